"""Small helpers over python-docx/lxml for Chinese official documents (GB/T 9704-2012).

Used by ``issue`` (blank forms, the notice) and ``publish`` (publicity lists,
commendations, certificates). Conventions of 党政机关公文格式 GB/T 9704-2012:
A4, margins top 37 / bottom 35 / left 28 / right 26 mm (版心 156 × 225 mm),
body 3号 (16 pt) 仿宋_GB2312 at 22 lines per page (line pitch ≈ 28.95 pt),
title 2号 (22 pt) 方正小标宋简体, level-1 headings 黑体, level-2 楷体_GB2312,
page numbers 4号 (14 pt) 宋体 “— 1 —”, odd pages right, even pages left.

python-docx's ``run.font.name`` sets only the Latin font, so every font here
goes through :func:`set_run_font`, which writes ascii/hAnsi/eastAsia/cs and
``w:hint="eastAsia"`` — otherwise Word shows CJK text in the theme font.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from formgen.anchors import CUSTOM_PROPS_CT, CUSTOM_PROPS_PART, CUSTOM_PROPS_REL, custom_properties_xml

# Fonts: the names offices have installed; the fallback is what Windows ships.
FANGSONG = "仿宋_GB2312"  # body
XIAOBIAOSONG = "方正小标宋简体"  # titles, 发文机关标志
HEITI = "黑体"  # level-1 headings, “附件N”
KAITI = "楷体_GB2312"  # level-2 headings
SONGTI = "宋体"  # page numbers, small print in tables
FONT_FALLBACK = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "宋体"}

# Sizes (pt) by Chinese 字号.
SIZE = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
        "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}
BODY_PT = 16
TITLE_PT = 22
LINE_PITCH_PT = 28.95  # 225 mm 版心 / 22 lines
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
RED = RGBColor(0xFF, 0x00, 0x00)

# Schema order of children (Word rejects files whose properties are out of order).
_ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
             "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
}


def _put(parent, tag: str):
    """The child ``w:<tag>`` of a tblPr/tcPr/pPr, replaced by a fresh one inserted in schema order."""
    old = parent.find(qn(f"w:{tag}"))
    if old is not None:
        parent.remove(old)
    child = OxmlElement(f"w:{tag}")
    order = _ORDER[etree.QName(parent).localname].split()
    later = {qn(f"w:{t}") for t in order[order.index(tag) + 1:]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
DISTRIBUTE = WD_ALIGN_PARAGRAPH.DISTRIBUTE

# ---------------------------------------------------------------------------- fonts, styles


def _rfonts(rpr, name: str):
    """Set all four font slots and the East Asian hint on an ``w:rPr``."""
    rfonts = rpr.get_or_add_rFonts()  # keeps schema order (after rStyle)
    for attr in list(rfonts.attrib):  # theme fonts would override the names
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), name)
    rfonts.set(qn("w:hint"), "eastAsia")
    return rfonts


def set_run_font(run, name: str | None = None, size: float | None = None, bold: bool | None = None,
                 color: RGBColor | None = None):
    """Font name (all scripts), size in pt, bold and colour of a run; returns the run."""
    if name:
        _rfonts(run._r.get_or_add_rPr(), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def set_style_font(style, name: str, size: float | None = None, bold: bool | None = None):
    """Font of a paragraph/character style (e.g. ``doc.styles['Normal']``)."""
    _rfonts(style.element.get_or_add_rPr(), name)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def set_document_defaults(doc, font: str = FANGSONG, size: float = BODY_PT):
    """docDefaults + Normal in styles.xml: font, size, zh-CN, no spacing, so WPS/Word users inherit them."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None:
        _rfonts(rpr, font)
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(round(size * 2))))
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = styles.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
    if ppr is not None:
        for sp in ppr.findall(qn("w:spacing")):
            ppr.remove(sp)
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:after"), "0")
        sp.set(qn("w:line"), "240")
        sp.set(qn("w:lineRule"), "auto")
        ppr.append(sp)
    set_style_font(doc.styles["Normal"], font, size)
    _declare_fonts(doc)


def _declare_fonts(doc):
    """fontTable entries with altName, so Word substitutes 仿宋 for a missing 仿宋_GB2312."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None or not hasattr(part, "_blob"):
        return
    el = etree.fromstring(part.blob)
    have = {f.get(qn("w:name")) for f in el.findall(qn("w:font"))}
    for name in (FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI):
        if name in have:
            continue
        font = etree.SubElement(el, qn("w:font"), {qn("w:name"): name})
        if name in FONT_FALLBACK:
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): FONT_FALLBACK[name]})
        for tag, val in (("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            etree.SubElement(font, qn(tag), {qn("w:val"): val})
    part._blob = etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------------------- page


def setup_page(section, landscape: bool = False, margins_mm: dict | None = None,
               line_pitch: float | None = LINE_PITCH_PT):
    """A4 portrait/landscape with GB/T 9704 margins (landscape keeps binding side at top) and line grid."""
    m = dict(MARGINS_MM, **(margins_mm or {}))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:  # the long edge is bound: the 28 mm binding margin goes to the top
        section.top_margin, section.bottom_margin = Mm(m["left"]), Mm(m["right"])
        section.left_margin, section.right_margin = Mm(m["top"]), Mm(m["bottom"])
    else:
        section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
        section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    if line_pitch:
        sect = section._sectPr
        grid = sect.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(int(round(line_pitch * 20))))
    return section


def text_width_mm(section) -> float:
    """Width of the type area (版心) of a section in mm."""
    return (section.page_width - section.left_margin - section.right_margin) / 36000


# ---------------------------------------------------------------------------- paragraphs


def add_par(container, text: str = "", font: str | None = None, size: float | None = None,
            bold: bool | None = None, align=None, color: RGBColor | None = None, first_line_chars: float = 0,
            line_pt: float | None = None, before_pt: float | None = None, after_pt: float | None = None):
    """Append a paragraph with one run of ``text`` to a document/cell/header; returns the paragraph."""
    p = container.add_paragraph()
    if text:
        set_run_font(p.add_run(text), font, size, bold, color)
    format_par(p, align, first_line_chars, line_pt, before_pt, after_pt, size=size)
    return p


def format_par(p, align=None, first_line_chars: float = 0, line_pt: float | None = None,
               before_pt: float | None = None, after_pt: float | None = None, size: float | None = None):
    """Alignment, first-line indent in characters, exact line spacing and spacing of a paragraph."""
    pf = p.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_line_chars:
        first_line_indent(p, first_line_chars, size or BODY_PT)
    if line_pt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)
    if before_pt is not None:
        pf.space_before = Pt(before_pt)
    if after_pt is not None:
        pf.space_after = Pt(after_pt)
    return p


def first_line_indent(p, chars: float = 2, size: float = BODY_PT):
    """First-line indent in characters (w:firstLineChars, with twips for old readers)."""
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(int(chars * 100)))
    ind.set(qn("w:firstLine"), str(int(chars * size * 20)))
    return p


def set_mark_font(p, font: str | None = None, size: float | None = None):
    """Font of the paragraph mark, which is what text typed into an empty paragraph gets."""
    rpr = _put(p._p.get_or_add_pPr(), "rPr")
    if font:
        _rfonts(rpr, font)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(int(round(size * 2))))
            rpr.append(el)
    return p


def add_run(p, text: str, font: str | None = None, size: float | None = None, bold: bool | None = None,
            color: RGBColor | None = None):
    """Append a run with font settings to a paragraph; returns the run."""
    return set_run_font(p.add_run(text), font, size, bold, color)


def add_page_break(doc):
    """A page break paragraph."""
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def red_line(p, size_pt: float = 1.0, color: str = "FF0000"):
    """Draw the red separator (版头分隔线) as the bottom border of paragraph ``p``."""
    bdr = _put(p._p.get_or_add_pPr(), "pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(int(size_pt * 8))), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    return p


# ---------------------------------------------------------------------------- bookmarks


def _next_bookmark_id(p) -> int:
    """A bookmark id unused in the paragraph's document part (cached on the part)."""
    part = p.part
    nxt = getattr(part, "_fg_next_bookmark_id", None)
    if nxt is None:
        ids = [int(x) for x in part.element.xpath("//w:bookmarkStart/@w:id") if str(x).lstrip("-").isdigit()]
        nxt = max(ids, default=0) + 1
    part._fg_next_bookmark_id = nxt + 1
    return nxt


def add_bookmark(paragraph, name: str):
    """Insert a point bookmark ``name`` at the start of ``paragraph`` (ids unique in the document)."""
    bid = str(_next_bookmark_id(paragraph))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), bid)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), bid)
    ppr = paragraph._p.pPr
    at = 1 if ppr is not None else 0
    paragraph._p.insert(at, start)
    paragraph._p.insert(at + 1, end)
    return paragraph


# ---------------------------------------------------------------------------- tables


def set_table_borders(table, size_pt: float = 0.5, val: str = "single", color: str = "000000"):
    """All borders of a table (val="nil" for none); size in points."""
    borders = _put(table._tbl.tblPr, "tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), str(int(size_pt * 8)))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), color)
        borders.append(el)
    return table


def set_cell_border(cell, **edges: str):
    """Per-cell borders, e.g. ``bottom="single"`` or ``top="nil"`` (0.5 pt black)."""
    tcpr = cell._tc.get_or_add_tcPr()
    old = tcpr.find(qn("w:tcBorders"))
    current = {etree.QName(e).localname: e.get(qn("w:val")) for e in old} if old is not None else {}
    current.update(edges)
    borders = _put(tcpr, "tcBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):  # schema order
        if edge not in current:
            continue
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), current[edge])
        if current[edge] != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)


def set_col_widths(table, widths_mm: list[float], align_center: bool = True):
    """Fixed layout with these column widths (mm): tblGrid, every cell's tcW, total table width."""
    tbl = table._tbl
    tblpr = tbl.tblPr
    tblpr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    tblw = _put(tblpr, "tblW")
    tblw.set(qn("w:w"), str(_twips(sum(widths_mm))))
    tblw.set(qn("w:type"), "dxa")
    if align_center:
        table.alignment = 1  # WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(_twips(w)))
    for row in table.rows:
        for i, tc in enumerate(row._tr.tc_lst):
            col = sum(int(c.grid_span) for c in row._tr.tc_lst[:i])
            span = int(tc.grid_span)
            tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), str(_twips(sum(widths_mm[col:col + span]))))
            tc.tcPr.tcW.set(qn("w:type"), "dxa")
    return table


def _twips(mm: float) -> int:
    return int(round(mm * 1440 / 25.4))


def set_row_height(row, mm: float, exact: bool = False):
    """Minimum (or exact) row height in mm; rows never split across pages."""
    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))
    return row


def repeat_header(row):
    """Repeat this (first) row at the top of every page the table spans."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))
    return row


def cell_text(cell, text: str, font: str | None = None, size: float | None = None, bold: bool | None = None,
              align=CENTER, valign: str = "center", line_pt: float | None = None):
    """Replace a cell's content with ``text`` (``\\n`` starts a new paragraph); returns the first paragraph."""
    valign_cell(cell, valign)
    paras = cell.paragraphs
    for extra in paras[1:]:
        extra._p.getparent().remove(extra._p)
    first = paras[0]
    for r in list(first.runs):
        r._r.getparent().remove(r._r)
    for i, line in enumerate(text.split("\n")):
        p = first if i == 0 else cell.add_paragraph()
        if line:
            set_run_font(p.add_run(line), font, size, bold)
        if font or size:  # empty lines and text typed later take the cell's size, not Normal's
            set_mark_font(p, font, size)
        format_par(p, align, line_pt=line_pt)
    return first


def vertical_label(cell, text: str, font: str | None = None, size: float | None = None, bold: bool | None = None):
    """A label printed one character per line, centred (组/织/宣/传 as the seed prints it)."""
    chars = [c for c in text if not c.isspace()]
    return cell_text(cell, "\n".join(chars), font, size, bold, align=CENTER, valign="center")


def valign_cell(cell, where: str = "center"):
    """Vertical alignment of a cell: "top", "center" or "bottom"."""
    cell.vertical_alignment = {"top": WD_CELL_VERTICAL_ALIGNMENT.TOP, "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                               "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM}[where]
    return cell


def merge(table, r1: int, c1: int, r2: int, c2: int):
    """Merge the rectangle (r1, c1)–(r2, c2) (inclusive), keeping only the first cell's paragraphs."""
    a, b = table.cell(r1, c1), table.cell(r2, c2)
    keep = len(a.paragraphs)
    merged = a.merge(b)
    for p in merged.paragraphs[keep:]:
        if not p.text:
            p._p.getparent().remove(p._p)
    return merged


def cell_margins(table, left_mm: float = 1.9, right_mm: float = 1.9, top_mm: float = 0, bottom_mm: float = 0):
    """Default cell padding of a table (mm)."""
    mar = _put(table._tbl.tblPr, "tblCellMar")
    for edge, v in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(_twips(v)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)


# ---------------------------------------------------------------------------- footer


def _page_field(p, font: str, size: float):
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = set_run_font(p.add_run(), font, size)
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)
        elif text == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r._r.append(it)
        else:
            r.text = text


def page_numbers(doc, section=None, font: str = SONGTI, size: float = SIZE["四号"], mirrored: bool = True):
    """Footer page number “— 1 —”, 4号 宋体; odd pages right / even pages left (indented 1 char) if mirrored."""
    section = section or doc.sections[0]
    footers = [(section.footer, RIGHT if mirrored else CENTER)]
    if mirrored:
        doc.settings.odd_and_even_pages_header_footer = True
        footers.append((section.even_page_footer, LEFT))
    for footer, align in footers:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        format_par(p, align)
        ind = p.paragraph_format
        if align == RIGHT:
            ind.right_indent = Pt(size)
        elif align == LEFT:
            ind.left_indent = Pt(size)
        add_run(p, "— ", font, size)
        _page_field(p, font, size)
        add_run(p, " —", font, size)


# ---------------------------------------------------------------------------- package


def set_custom_properties(docx: bytes | str | Path, props: dict[str, str]) -> bytes:
    """Write ``props`` as docProps/custom.xml (with content-type Override and package rel).

    ``docx`` is the file's bytes or a path; a path is rewritten in place. Returns the new bytes.
    """
    path = None if isinstance(docx, (bytes, bytearray)) else Path(docx)
    data = path.read_bytes() if path else bytes(docx)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == CUSTOM_PROPS_PART:
                continue
            if info.filename == "[Content_Types].xml":
                body = _with_override(body)
            elif info.filename == "_rels/.rels":
                body = _with_package_rel(body)
            dst.writestr(info, body)
        dst.writestr(CUSTOM_PROPS_PART, custom_properties_xml(props))
    result = out.getvalue()
    if path:
        path.write_bytes(result)
    return result


_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _with_override(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    name = "/" + CUSTOM_PROPS_PART
    if not any(o.get("PartName") == name for o in root.findall(f"{{{_CT_NS}}}Override")):
        etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName=name, ContentType=CUSTOM_PROPS_CT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_package_rel(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    rels = root.findall(f"{{{_REL_NS}}}Relationship")
    if not any(r.get("Type") == CUSTOM_PROPS_REL for r in rels):
        used = {r.get("Id") for r in rels}
        n = 1
        while f"rId{n}" in used:
            n += 1
        etree.SubElement(root, f"{{{_REL_NS}}}Relationship", Id=f"rId{n}", Type=CUSTOM_PROPS_REL,
                         Target=CUSTOM_PROPS_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def no_grid(p):
    """Let the paragraph's exact line spacing win over the document's line grid.

    On a page with a 28.95 pt grid a 35 pt title line would otherwise take two grid lines.
    """
    ppr = p._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        el = _put(ppr, "snapToGrid")
        el.set(qn("w:val"), "0")
    return p

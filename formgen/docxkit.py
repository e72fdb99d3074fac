"""Small helpers over python-docx/lxml for Chinese official documents (GB/T 9704-2012).

The one place (with ``intake/readers/docx_reader.py``) where WordprocessingML
is touched: ``w:`` names, ``qn``, python-docx's private ``_p``/``_r``, regexes
over document.xml. Used by ``issue`` (blank forms, the notice), ``publish``
(publicity lists, commendations, certificates), ``sample`` (a clerk typing into
a blank) and for packages (custom properties, bookmarks, slimmed parts).
Everything else calls these named helpers, as python-docx keeps its XML in its
``oxml`` layer. Conventions of 党政机关公文格式 GB/T 9704-2012:
A4, margins top 37 / bottom 35 / left 28 / right 26 mm (版心 156 × 225 mm),
body 3号 (16 pt) 仿宋_GB2312 at 22 lines per page (line pitch ≈ 28.95 pt),
title 2号 (22 pt) 方正小标宋简体, level-1 headings 黑体, level-2 楷体_GB2312,
page numbers 4号 (14 pt) 宋体 “— 1 —”, odd pages right, even pages left.

python-docx's ``run.font.name`` sets only the Latin font, so every font here
goes through :func:`set_run_font`, which writes ascii/hAnsi/eastAsia/cs and
``w:hint="eastAsia"`` — otherwise Word shows CJK text in the theme font.
"""
from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

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


def page_border(section, color: str, val: str = "thickThinMediumGap", size_pt: float = 4.5, space_pt: int = 28):
    """A border ``space_pt`` inside the page edge on every page of the section (w:pgBorders)."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", val), ("w:sz", str(int(size_pt * 8))), ("w:space", str(space_pt)), ("w:color", color)):
            el.set(qn(k), v)
        borders.append(el)
    sect = section._sectPr
    # schema order: pgBorders follows pgMar (and paperSrc)
    anchor = sect.find(qn("w:paperSrc"))
    if anchor is None:
        anchor = sect.find(qn("w:pgMar"))
    anchor.addnext(borders)
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
    return indent(p, first_line_chars=chars, size=size)


def indent(p, first_line_chars: float | None = None, left_chars: float | None = None,
           hanging_chars: float | None = None, size: float = BODY_PT):
    """Indents in characters (w:*Chars, which Word and WPS follow) plus twips at ``size`` for old readers.

    A zero sets only the character value: it cancels an indent inherited from the style.
    """
    _indent_el(p._p, first_line_chars, left_chars, hanging_chars, size)
    return p


def _indent_el(p_el, first_line_chars, left_chars, hanging_chars, size):
    ind = p_el.get_or_add_pPr().get_or_add_ind()
    for name, chars in (("firstLine", first_line_chars), ("left", left_chars), ("hanging", hanging_chars)):
        if chars is None:
            continue
        ind.set(qn(f"w:{name}Chars"), str(int(chars * 100)))
        if chars:
            ind.set(qn(f"w:{name}"), str(int(chars * size * 20)))


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


def line_break_before(run):
    """A line break (Shift+Enter) in a run of its own just before ``run``."""
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:br"))
    run._r.addprevious(r)
    return run


def char_spacing(run, pt: float):
    """Extra space between the characters of ``run`` (w:spacing, in points)."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(int(pt * 20)))
    rpr = run._r.get_or_add_rPr()
    # schema order: spacing follows color (CT_RPr only orders what goes through its own API)
    color = rpr.find(qn("w:color"))
    (color.addnext if color is not None else rpr.append)(spacing)
    return run


def size_value(run, value: str):
    """A run whose w:sz/w:szCs hold ``value`` verbatim (half-points, a sentinel or a Jinja tag)."""
    run.font.size = Pt(12)
    rpr = run._r.rPr
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.sz.addnext(el)
        el.set(qn("w:val"), value)
    return run


def add_page_break(doc):
    """A page break paragraph."""
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def red_line(p, size_pt: float = 1.0, color: str = "FF0000", space_pt: int = 1):
    """Draw the red separator (版头分隔线) as the bottom border of paragraph ``p``, ``space_pt`` below the text."""
    return paragraph_rules(p, ("bottom",), size_pt, color, space_pt)


def paragraph_rules(p, edges=("top", "bottom"), size_pt: float = 1.0, color: str = "000000", space_pt: int = 1):
    """Single rules along ``edges`` of paragraph ``p`` (its w:pBdr, replacing any it had)."""
    bdr = _put(p._p.get_or_add_pPr(), "pBdr")
    for edge in edges:
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", str(int(size_pt * 8))), ("w:space", str(space_pt)),
                     ("w:color", color)):
            el.set(qn(k), v)
        bdr.append(el)
    return p


def frame_at(p, width, top):
    """Place paragraph ``p`` in a frame (w:framePr) ``width`` wide, ``top`` from the page top (EMU/Length).

    Word and LibreOffice both put a framed paragraph at that distance from the
    top of the page, centred on the type area, whatever flows before it.
    """
    frame = _put(p._p.get_or_add_pPr(), "framePr")
    for k, v in (("w:w", str(int(width / 635))), ("w:hSpace", "0"), ("w:wrap", "notBeside"),
                 ("w:vAnchor", "page"), ("w:hAnchor", "margin"), ("w:xAlign", "center"), ("w:y", str(int(top / 635)))):
        frame.set(qn(k), v)
    return p


def exact_line_value(p, value: str):
    """Exact line spacing whose w:line holds ``value`` verbatim (a number in twips, a sentinel or a Jinja tag)."""
    pf = p.paragraph_format
    pf.line_spacing = Pt(20)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p._p.pPr.find(qn("w:spacing")).set(qn("w:line"), value)
    return p


def remove_paragraphs(doc):
    """Drop the body's paragraphs (python-docx's default template starts with an empty one)."""
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


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


def set_table_borders(table, size_pt: float = 0.5, val: str = "single", color: str = "000000",
                      inside: str | None = None):
    """All borders of a table (val="nil" for none; ``inside`` another val for the inner rules); size in points."""
    borders = _put(table._tbl.tblPr, "tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        v = inside if inside is not None and edge.startswith("inside") else val
        el.set(qn("w:val"), v)
        if v != "nil":
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


def keep_with_next(p):
    """Keep paragraph ``p`` on the page of the next one (headings: never alone at a page foot)."""
    p.paragraph_format.keep_with_next = True
    return p


def keep_row_with_next(row):
    """Keep this table row on the same page as the next row (or the paragraph after the table):
    Word, WPS and LibreOffice follow keep-with-next on every paragraph of the row."""
    for cell in row.cells:
        for p in cell.paragraphs:
            keep_with_next(p)
    return row


def no_lone_rows(table, whole_up_to: int = 15):
    """Never leave one row alone on a page: a list of up to ``whole_up_to`` rows stays on one
    page; a longer one keeps its header with the first two rows and its last two rows together."""
    rows = table.rows
    n = len(rows)
    for i in (range(n - 1) if n <= whole_up_to + 1 else (0, 1, n - 2)):
        keep_row_with_next(rows[i])
    return table


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


# ---------------------------------------------------------------------------- typing into an existing document
# What a clerk's keystrokes do to the XML (used by the sample's simulated returns): text lands in
# the paragraph next to a bookmark, Enter copies the paragraph formatting, Shift+Enter is a w:br.


def bookmark_starts(doc) -> dict[str, object]:
    """Bookmark name → its w:bookmarkStart element, in the body of a python-docx Document."""
    return {el.get(qn("w:name")): el for el in doc.element.body.iter(qn("w:bookmarkStart")) if el.get(qn("w:name"))}


def paragraph_of(el):
    """The w:p holding element ``el`` (e.g. a bookmark); ValueError outside any paragraph."""
    p = el.getparent()
    while p is not None and p.tag != qn("w:p"):
        p = p.getparent()
    if p is None:
        raise ValueError("bookmark outside a paragraph")
    return p


def p_text(p) -> str:
    """The text of the runs of a w:p element."""
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _typed_run_props(p):
    """The formatting a newly typed run gets: the paragraph mark's, else the first run's."""
    ppr = p.find(qn("w:pPr"))
    mark = ppr.find(qn("w:rPr")) if ppr is not None else None
    if mark is None:
        r = p.find(qn("w:r"))
        mark = r.find(qn("w:rPr")) if r is not None else None
    if mark is None:
        return None
    rpr = copy.deepcopy(mark)
    rpr.tag = qn("w:rPr")
    return rpr


def _set_rpr_size(rpr, pt: float):
    """Font size of a run's properties; w:sz where the schema wants it, w:szCs right after."""
    sz = rpr.get_or_add_sz()
    sz.set(qn("w:val"), str(int(round(pt * 2))))
    cs = rpr.find(qn("w:szCs"))
    if cs is None:
        cs = rpr.makeelement(qn("w:szCs"), {})
        sz.addnext(cs)
    cs.set(qn("w:val"), str(int(round(pt * 2))))


def type_text_into(p, text: str, pt: float | None = None):
    """Text typed at the end of w:p ``p``, formatted as typing there would be (optionally at ``pt``)."""
    r = p.makeelement(qn("w:r"), {})
    rpr = _typed_run_props(p)
    if rpr is None and pt:
        rpr = r.makeelement(qn("w:rPr"), {})
    if rpr is not None:
        if pt:
            _set_rpr_size(rpr, pt)
        r.append(rpr)
    t = r.makeelement(qn("w:t"), {})
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    p.append(r)
    return r


def type_line_break(p):
    """Shift+Enter at the end of w:p ``p``."""
    r = p.makeelement(qn("w:r"), {})
    rpr = _typed_run_props(p)
    if rpr is not None:
        r.append(rpr)
    r.append(r.makeelement(qn("w:br"), {}))
    p.append(r)


def type_enter(p):
    """Enter at the end of w:p ``p``: a new empty paragraph after it with the same paragraph formatting."""
    new = p.makeelement(qn("w:p"), {})
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        new.append(copy.deepcopy(ppr))
    p.addnext(new)
    return new


def p_first_line_indent(p, chars: int = 2, size: float = 12):
    """Format → Paragraph → first-line indent on a w:p element (python-docx keeps the schema order)."""
    _indent_el(p, chars, None, None, size)


def delete_runs(p):
    """Select the paragraph's text and delete it: runs go, bookmarks and pPr stay."""
    for r in list(p.findall(qn("w:r"))):
        p.remove(r)


# ---------------------------------------------------------------------------- package

CUSTOM_PROPS_PART = "docProps/custom.xml"
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PAGE_BREAK_RUN_XML = '<w:r><w:br w:type="page"/></w:r>'


def custom_properties_xml(props: dict[str, str]) -> bytes:
    """The ``docProps/custom.xml`` part holding ``props`` as text properties."""
    body = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(str(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">'
        f"{body}</Properties>"
    ).encode("utf-8")


def _package(docx: bytes | str | Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(docx) if isinstance(docx, (bytes, bytearray)) else docx)


def read_custom_properties(docx: bytes | str | Path) -> dict[str, str]:
    """The text custom properties of a package we wrote or issued ({} when it has none or is not a zip).

    Only for our own files: returned files go through the docx reader, which guards sizes and errors.
    """
    try:
        with _package(docx) as zf:
            root = etree.fromstring(zf.read(CUSTOM_PROPS_PART))
    except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        return {}
    return {p.get("name"): "".join(p.itertext()) for p in root.findall(f"{{{_CUSTOM_NS}}}property") if p.get("name")}


def part_digest(docx: bytes | str | Path, part: str = "word/document.xml") -> str | None:
    """SHA-256 of one part of a package (None when it has no such part or is no zip): a file's body changed
    by hand in Word or WPS has another digest than the one formgen wrote."""
    import hashlib

    try:
        with _package(docx) as zf:
            return hashlib.sha256(zf.read(part)).hexdigest()
    except (KeyError, zipfile.BadZipFile, OSError):
        return None


def block_texts(docx: bytes | str | Path) -> list[str]:
    """The text of every paragraph of word/document.xml in reading order (table cells included)."""
    with _package(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return [p_text(p) for p in root.iter(qn("w:p"))]


def bookmark_names(docx: bytes | str | Path) -> set[str]:
    """Names of all bookmarks in word/document.xml of a package."""
    with _package(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return {el.get(qn("w:name")) for el in root.iter(qn("w:bookmarkStart")) if el.get(qn("w:name"))}


def split_body(document_xml: str) -> tuple[str, str, str]:
    """document.xml cut into (up to and including ``<w:body>``, the block content, final w:sectPr and closing tags)."""
    start = document_xml.index("<w:body>") + len("<w:body>")
    end = document_xml.rindex("<w:sectPr")
    return document_xml[:start], document_xml[start:end], document_xml[end:]


def unwrap_run(document_xml: str, token: str) -> str:
    """document.xml with each run (w:r) holding ``token`` replaced by the bare token, ready for a splice."""
    return re.sub(r"<w:r>(?:(?!</w:r>).)*?" + re.escape(token) + r"(?:(?!</w:r>).)*?</w:r>", token, document_xml,
                  flags=re.S)


STYLES_WITH_EFFECTS_REL = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def drop_styles_with_effects(doc):
    """Drop word/stylesWithEffects.xml (its relationship, hence the part and its content type).

    python-docx's default template carries Word 2010's copy of the styles; formgen changes
    styles.xml (fonts, sizes) but not that copy, and Office's checker then says Word may
    repair the file. The part is optional (Word 2013 and later do not write it).
    """
    part = doc.part
    for rid in [rid for rid, rel in part.rels.items() if rel.reltype == STYLES_WITH_EFFECTS_REL]:
        part.drop_rel(rid)
    return doc


def new_document(template=None):
    """``docx.Document(template)`` without the stale stylesWithEffects part: every formgen
    document starts here."""
    from docx import Document

    return drop_styles_with_effects(Document(template))


def save_document(doc, path: Path) -> Path:
    """Save ``doc`` through formgen.outputs (atomic; beside the old file when that one is open);
    returns the path written."""
    from formgen.outputs import write_file

    drop_styles_with_effects(doc)
    return write_file(path, doc.save)


def slim_package(data: bytes, drop: tuple[str, ...]) -> dict[str, bytes]:
    """The parts of a package except those whose names start with ``drop``, styles cut to those in use.

    Content types and relationships of the dropped parts go too.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist() if not n.startswith(drop)}
    dropped = {n for n in src.namelist() if n.startswith(drop)}
    parts["[Content_Types].xml"] = _without(parts["[Content_Types].xml"], "Override", "PartName",
                                            lambda v: v.lstrip("/") in dropped)
    for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word")):
        parts[rels] = _without(parts[rels], "Relationship", "Target",
                               lambda v, b=base: posixpath.normpath(posixpath.join(b, v)).lstrip("/") in dropped)
    # numbering.xml names paragraph styles too (python-docx's list styles): cut one, Word repairs the file
    referring = parts["word/document.xml"] + parts.get("word/numbering.xml", b"")
    parts["word/styles.xml"] = used_styles(parts["word/styles.xml"], referring)
    return parts


def _without(xml: bytes, tag: str, attr: str, drop) -> bytes:
    """``xml`` without the ``tag`` children whose ``attr`` satisfies ``drop``."""
    root = etree.fromstring(xml)
    for el in list(root):
        if etree.QName(el).localname == tag and drop(el.get(attr, "")):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def used_styles(styles_xml: bytes, document_xml: bytes) -> bytes:
    """styles.xml cut to the default styles, those document.xml uses and what they are based on."""
    root = etree.fromstring(styles_xml)
    used = set(re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', document_xml))
    used = {u.decode() for u in used}
    by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
    keep = {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"} | (used & set(by_id))
    todo = list(keep)
    while todo:  # follow basedOn chains
        based = by_id[todo.pop()].find(qn("w:basedOn"))
        if based is not None and based.get(qn("w:val")) in by_id and based.get(qn("w:val")) not in keep:
            keep.add(based.get(qn("w:val")))
            todo.append(based.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in keep:
            root.remove(s)
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)



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
        from formgen.outputs import write_bytes

        write_bytes(path, result)
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


# ---------------------------------------------------------------------------- an office's own file
# formgen forms/rubric/notice import: anchors added to a file formgen did not write, everything else
# byte for byte as the office saved it (only word/document.xml is rewritten, and only where it gains
# a bookmark or the unit-name tag).

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class OfficeDocument:
    """word/document.xml of an office's .docx, opened for adding anchors; :meth:`save` keeps every other part."""

    def __init__(self, data: bytes):
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.root = etree.fromstring(zf.read("word/document.xml"), _SAFE_PARSER)
        self.body = self.root.find(qn("w:body"))
        ids = [int(x) for x in self.root.xpath("//w:bookmarkStart/@w:id", namespaces={"w": _W_NS})
               if str(x).lstrip("-").isdigit()]
        self._next_id = max(ids, default=0) + 1

    # --- where things are, in the docx reader's order (formgen.intake.readers.docx_reader) -------------

    def tables(self) -> list[dict[tuple[int, int], object]]:
        """Per table, in the reader's order (a nested table right after its parent): (row, col) → w:tc
        of the cell that starts there, with the reader's rules for gridBefore, gridSpan and vMerge."""
        out: list[dict] = []
        for tbl in _blocks(self.body, qn("w:tbl")):
            nested: list[dict] = []
            out.append(_table_cells(tbl, nested))
            out.extend(nested)
        return out

    def paragraphs(self) -> list[object]:
        """The w:p outside tables, in the reader's order (its Line blocks)."""
        return list(_blocks(self.body, qn("w:p")))

    # --- changes --------------------------------------------------------------------------------------

    def bookmark(self, container, name: str) -> None:
        """A point bookmark ``name`` at the start of the first paragraph of ``container`` (a w:tc or w:p)."""
        p = container if container.tag == qn("w:p") else container.find(qn("w:p"))
        if p is None:  # a cell Word would call broken; give it its paragraph
            p = etree.SubElement(container, qn("w:p"))
        bid = str(self._next_id)
        self._next_id += 1
        start = p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): bid, qn("w:name"): name})
        end = p.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): bid})
        at = 1 if p.find(qn("w:pPr")) is not None else 0
        p.insert(at, start)
        p.insert(at + 1, end)

    def insert_after_text(self, p, after: str, text: str) -> bool:
        """Type ``text`` right after the first occurrence of ``after`` in paragraph ``p`` (a new run with
        the formatting of the run it follows); False when ``after`` is not in one run of ``p``."""
        for r in p.iter(qn("w:r")):
            t = r.find(qn("w:t"))
            if t is None or not t.text or after not in t.text:
                continue
            head, _, tail = t.text.partition(after)
            t.text = head + after
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            new = copy.deepcopy(r)
            for child in list(new):
                if child.tag != qn("w:rPr"):
                    new.remove(child)
            nt = new.makeelement(qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            nt.text = text + tail
            new.append(nt)
            r.addnext(new)
            return True
        return False

    def replace_run_text(self, p, old: str, new: str) -> bool:
        """``old`` (within one w:t of paragraph ``p``) replaced by ``new``; False when not found."""
        for t in p.iter(qn("w:t")):
            if t.text and old in t.text:
                t.text = t.text.replace(old, new, 1)
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                return True
        return False

    def save(self) -> bytes:
        """The package with the new document.xml; every other part as it was."""
        xml = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
        src = zipfile.ZipFile(io.BytesIO(self.data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, xml if info.filename == "word/document.xml" else src.read(info.filename))
        return out.getvalue()


def _blocks(el, wanted: str):
    """Block-level w:p or w:tbl of ``el``, through sdt/customXml wrappers, as the docx reader walks them."""
    for child in el:
        if child.tag == wanted:
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, wanted)
        elif child.tag in (qn("w:customXml"), qn("w:ins"), qn("w:moveTo"), qn("w:smartTag")):
            yield from _blocks(child, wanted)


def _rows(el, wanted: str):
    for child in el:
        if child.tag == wanted:
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                yield from _rows(content, wanted)


def _int_attr(el, default: int) -> int:
    try:
        return int(el.get(qn("w:val"))) if el is not None and el.get(qn("w:val")) is not None else default
    except ValueError:
        return default


def _table_cells(tbl, nested: list) -> dict[tuple[int, int], object]:
    cells: dict[tuple[int, int], object] = {}
    open_cols: set[int] = set()
    r = -1
    for tr in _rows(tbl, qn("w:tr")):
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None and trpr.find(qn("w:del")) is not None:
            continue
        r += 1
        col = _int_attr(trpr.find(qn("w:gridBefore")) if trpr is not None else None, 0)
        next_open: set[int] = set()
        for tc in _rows(tr, qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = max(1, _int_attr(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, 1))
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            hmerge = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
            for inner in _blocks(tc, qn("w:tbl")):
                deeper: list = []
                nested.append(_table_cells(inner, deeper))
                nested.extend(deeper)
            continues = vmerge is not None and (vmerge.get(qn("w:val")) or "continue") == "continue"
            h_continues = hmerge is not None and (hmerge.get(qn("w:val")) or "continue") == "continue"
            if continues and col in open_cols:
                next_open.add(col)
            elif not h_continues:
                cells[(r, col)] = tc
                next_open.add(col)
            col += span
        open_cols = next_open
    return cells


def package_is_encrypted(data: bytes) -> bool:
    """An OLE compound file holding an EncryptedPackage: a password-protected .docx."""
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and "EncryptedPackage".encode("utf-16-le") in data


def document_facts(data: bytes) -> dict:
    """What a GB/T 9704 check looks at, read from a .docx: page size and margins (mm), default body font
    and size, line pitch (pt), paragraphs (text, east-Asian font, size, alignment), footers (text, size,
    alignment, has a PAGE field), whether odd and even pages have their own footers."""
    def mm(v):
        return int(v) / 1440 * 25.4 if v is not None and str(v).lstrip("-").isdigit() else None

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        doc = etree.fromstring(zf.read("word/document.xml"), _SAFE_PARSER)
        styles = etree.fromstring(zf.read("word/styles.xml"), _SAFE_PARSER) if "word/styles.xml" in names else None
        settings = zf.read("word/settings.xml") if "word/settings.xml" in names else b""
        footers = [etree.fromstring(zf.read(n), _SAFE_PARSER) for n in names if re.match(r"word/footer\d+\.xml$", n)]
    sects = list(doc.iter(qn("w:sectPr")))
    sect = sects[-1] if sects else None
    pg = sect.find(qn("w:pgSz")) if sect is not None else None
    mar = sect.find(qn("w:pgMar")) if sect is not None else None
    grid = sect.find(qn("w:docGrid")) if sect is not None else None
    font, size = None, None
    if styles is not None:
        for rpr in [*styles.iterfind(f".//{qn('w:style')}[@{qn('w:styleId')}='Normal']/{qn('w:rPr')}"),
                    *styles.iterfind(f".//{qn('w:docDefaults')}//{qn('w:rPr')}")]:
            fonts = rpr.find(qn("w:rFonts"))
            sz = rpr.find(qn("w:sz"))
            font = font or (fonts.get(qn("w:eastAsia")) if fonts is not None else None)
            size = size or (int(sz.get(qn("w:val"))) / 2 if sz is not None and sz.get(qn("w:val"), "").isdigit()
                            else None)
    paras = []
    for p in doc.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        fonts = [f.get(qn("w:eastAsia")) for f in p.iter(qn("w:rFonts")) if f.get(qn("w:eastAsia"))]
        sizes = [int(s.get(qn("w:val"))) / 2 for s in p.iter(qn("w:sz")) if s.get(qn("w:val"), "").isdigit()]
        jc = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
        paras.append({"text": text, "font": fonts[0] if fonts else None, "size": sizes[0] if sizes else None,
                      "align": jc.get(qn("w:val")) if jc is not None else None})
    foot = []
    for f in footers:
        jc = next((j.get(qn("w:val")) for j in f.iter(qn("w:jc"))), None)
        sz = next((int(s.get(qn("w:val"))) / 2 for s in f.iter(qn("w:sz")) if s.get(qn("w:val"), "").isdigit()), None)
        instr = "".join(i.text or "" for i in f.iter(qn("w:instrText"))) + "".join(
            s.get(qn("w:instr"), "") for s in f.iter(qn("w:fldSimple")))
        foot.append({"text": "".join(t.text or "" for t in f.iter(qn("w:t"))), "align": jc, "size": sz,
                     "page_field": "PAGE" in instr})
    return {
        "page_mm": (mm(pg.get(qn("w:w"))), mm(pg.get(qn("w:h")))) if pg is not None else (None, None),
        "margins_mm": {k: mm(mar.get(qn(f"w:{k}"))) for k in ("top", "bottom", "left", "right")} if mar is not None
        else {},
        "line_pitch_pt": int(grid.get(qn("w:linePitch"))) / 20 if grid is not None and
        (grid.get(qn("w:linePitch")) or "").isdigit() else None,
        "body_font": font, "body_pt": size, "paragraphs": paras, "footers": foot,
        "even_odd_footers": b"evenAndOddHeaders" in settings,
    }


def element_text(element) -> str:
    """The text of every w:t under ``element`` (a paragraph, cell or table), joined."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))

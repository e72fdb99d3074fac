"""荣誉证书: one certificate per winner of an award with ``certificate: true``.

A4 landscape, a double red page border with a thin gold frame inside, 荣誉证书
in large red 小标宋, the campaign's certificate text in 楷体, issuer and date
(in Chinese numerals) bottom right. Each certificate is one page by
construction: the content sits in a table of fixed-height rows, and the body
text size is chosen per certificate so a long name or unit still fits.

Thousands must be instant, so the page is built once with python-docx around
sentinel strings, and every certificate is that XML with the sentinels
replaced by the escaped values (``render_xml``); the combined print file is
the same blocks joined by page breaks. ``bench/bench_certificates.py``
compares this with rendering a docxtpl template per certificate.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from docx.shared import Mm, RGBColor

from formgen import docxkit as dk
from formgen.campaign.model import Award, Campaign
from formgen.publish import layout
from formgen.publish.model import Winner, award_title, cn_numeral_date, fill, period_title, safe_filename
from formgen.xlsx import clean_text
from formgen.outputs import write_bytes, write_file

# Sentinels: ASCII, no XML-special characters, what python-docx writes where the values go.
S_NAME, S_UNIT, S_SIZE, S_LINE, S_BREAK = "FGSENTxNAME", "FGSENTxUNIT", "FGSENTxSIZE", "FGSENTxLINE", "FGSENTxBREAK"
# In the cut template they become control characters, which values cannot contain (clean_text
# strips them), so a name that spells a sentinel can never be substituted a second time.
SLOT = {S_NAME: "\x01N\x01", S_UNIT: "\x01U\x01", S_SIZE: "\x01S\x01", S_LINE: "\x01L\x01", S_BREAK: "\x01B\x01"}
JINJA = {S_NAME: "{{ name }}", S_UNIT: "{{ unit }}", S_SIZE: "{{ size }}", S_LINE: "{{ line }}", S_BREAK: ""}

DARK_RED = "C00000"
GOLD = "C9A227"

# Geometry (mm): landscape A4 with the border 10 mm in and the content frame inside it.
MARGIN_TB, MARGIN_LR = 24, 30
CONTENT_W = 297 - 2 * MARGIN_LR  # 237
ROWS_MM = (44, 81, 36)  # title, text, issuer and date: 161 of the 162 mm available
TEXT_PAD_MM = 14  # left/right padding of the text inside the frame
BODY_SIZES = (26, 24, 22, 20, 18, 16, 14, 12)  # pt, largest that fits wins


@dataclass
class Certificate:
    winner: Winner
    name: str  # as printed
    unit: str


def certificate_lines(campaign: Campaign, award: Award, name: str, unit: str) -> list[str]:
    """The certificate text's lines with the values filled in."""
    values = {"name": name, "unit": unit, "award": award_title(award), "year": campaign.year,
              "period": period_title(campaign, award)}
    return fill(campaign.publication.certificate_text, values).split("\n")


def body_size(lines: list[tuple[float, bool]]) -> tuple[int, int]:
    """(w:sz in half-points, exact line height in twips) of the largest body size that fits the text row.

    ``lines`` are (width in characters, is a salutation) of each line of text.
    """
    width_mm = CONTENT_W - 2 * TEXT_PAD_MM
    fits = []
    for pt in BODY_SIZES:
        per_line = max(1, math.floor(width_mm / (pt * layout.MM_PER_PT)))
        line_pt = pt * 1.75
        n = sum(max(1, math.ceil((em + (0 if salutation else 2)) / per_line)) for em, salutation in lines)
        if n * line_pt * layout.MM_PER_PT <= ROWS_MM[1] - 2:
            fits.append((pt, line_pt))
            if not any(_ragged(em + (0 if salutation else 2), per_line) for em, salutation in lines):
                return pt * 2, int(line_pt * 20)
    pt, line_pt = fits[0] if fits else (BODY_SIZES[-1], BODY_SIZES[-1] * 1.75)
    return pt * 2, int(line_pt * 20)


def _ragged(em: float, per_line: int) -> bool:
    """A line that wraps leaving a stub (“最美政务|人”。”) or only just fits (it may wrap in print).

    Printed digits and quotes make a line hold a character more or less than computed,
    so a stub at any of those three widths counts.

    >>> _ragged(24, 22), _ragged(24, 26), _ragged(21.8, 22), _ragged(40, 22), _ragged(26, 22)
    (True, False, True, False, True)
    """
    for p in (per_line - 1, per_line, per_line + 1):
        if em <= p - 1:  # one line, a character to spare
            continue
        if em <= p or em % p < 4:
            return True
    return False


def line_shapes(campaign: Campaign, award: Award) -> list[tuple[float, int, int, bool]]:
    """Per line of the certificate text: (width without the values, times {name} occurs, times {unit}, salutation)."""
    shapes = []
    for line in certificate_lines(campaign, award, S_NAME, S_UNIT):
        rest = line.replace(S_NAME, "").replace(S_UNIT, "")
        shapes.append((layout.text_em(rest), line.count(S_NAME), line.count(S_UNIT), _is_salutation(line)))
    return shapes


def fitted_size(shapes, name: str, unit: str) -> tuple[int, int]:
    name_em, unit_em = layout.text_em(name), layout.text_em(unit)
    return body_size([(fixed + n * name_em + u * unit_em, sal) for fixed, n, u, sal in shapes])


def _is_salutation(line: str) -> bool:
    return line.rstrip().endswith(("：", ":"))


# ---------------------------------------------------------------------------- the page, built once


def build_page(campaign: Campaign, award: Award, date, tokens: dict[str, str] | None = None):
    """A python-docx Document holding one certificate, with ``tokens`` (sentinels) where values go."""
    t = tokens or {s: s for s in (S_NAME, S_UNIT, S_SIZE, S_LINE, S_BREAK)}
    doc = layout.new_document(landscape=True, line_grid=False)
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Mm(MARGIN_TB)
    section.left_margin = section.right_margin = Mm(MARGIN_LR)
    dk.page_border(section, DARK_RED)

    table = doc.add_table(rows=3, cols=2)
    dk.set_table_borders(table, val="nil")
    dk.set_col_widths(table, [CONTENT_W - 110, 110])
    dk.cell_margins(table, 0, 0, 0, 0)
    dk.set_table_borders(table, 1.5, color=GOLD, inside="nil")  # a frame round the content
    for row, mm in zip(table.rows, ROWS_MM):
        dk.set_row_height(row, mm, exact=True)

    head = dk.merge(table, 0, 0, 0, 1)
    p = dk.cell_text(head, "荣誉证书", dk.XIAOBIAOSONG, 54, align=dk.CENTER, valign="center")
    for r in p.runs:
        r.font.color.rgb = RGBColor.from_string(DARK_RED)
        dk.char_spacing(r, 16)
    layout.no_grid(p)

    text = dk.merge(table, 1, 0, 1, 1)
    dk.valign_cell(text, "center")
    lines = certificate_lines(campaign, award, t[S_NAME], t[S_UNIT])
    first = text.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else text.add_paragraph()
        r = dk.add_run(p, line, dk.KAITI)
        dk.size_value(r, t[S_SIZE])
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(TEXT_PAD_MM)
        if not _is_salutation(line):
            dk.first_line_indent(p, 2)
        dk.exact_line_value(p, t[S_LINE])
        p.paragraph_format.alignment = dk.JUSTIFY

    sign = table.cell(2, 1)
    issuer = campaign.publication.certificate_issuer or "　".join(campaign.issuer.offices)
    names = [n for n in re.split(r"[\s\u3000]+", issuer) if n]
    dk.cell_text(sign, "\n".join(names + [cn_numeral_date(date)]), dk.KAITI, 20, align=dk.CENTER, valign="center",
                 line_pt=30)
    for p in sign.paragraphs:
        layout.no_grid(p)

    # The paragraph a body needs after a table; in the combined file it carries the page break.
    tail = doc.add_paragraph()
    dk.add_run(tail, t[S_BREAK], size=1)
    dk.format_par(tail, line_pt=1)
    layout.no_grid(tail)
    return doc


# ---------------------------------------------------------------------------- template: parts + XML pieces


@dataclass
class PageTemplate:
    parts: dict[str, bytes]  # every package part except word/document.xml
    head: str  # document.xml up to and including <w:body>
    block: str  # one certificate (table + closing paragraph), with sentinels
    tail: str  # the section properties and closing tags
    shapes: list = field(default_factory=list)  # line_shapes() of the certificate text

    def __post_init__(self):
        # The static parts compressed once: each package appends only its document.xml.
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", self.parts["[Content_Types].xml"])  # first, as Office writes it
            for name, data in self.parts.items():
                if name != "[Content_Types].xml":
                    z.writestr(name, data)
        self._static = buf.getvalue()

    def document(self, blocks: list[str]) -> str:
        return self.head + "".join(blocks) + self.tail

    def package(self, document_xml: str) -> bytes:
        out = io.BytesIO(self._static)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml", document_xml.encode("utf-8"))
        return out.getvalue()


_DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/", "word/webSettings.xml")


def make_template(campaign: Campaign, award: Award, date) -> PageTemplate:
    """Build the page once and cut its document.xml around the certificate."""
    doc = build_page(campaign, award, date)
    buf = io.BytesIO()
    doc.save(buf)
    # python-docx's default styles.xml (350 KB) and stylesWithEffects.xml (440 KB) would otherwise
    # be compressed again for every one of thousands of files
    parts = dk.slim_package(buf.getvalue(), _DROP_PARTS)
    xml = parts.pop("word/document.xml").decode("utf-8")
    head, block, tail = dk.split_body(dk.unwrap_run(xml, S_BREAK))
    for sentinel, slot in SLOT.items():
        block = block.replace(sentinel, slot)
    return PageTemplate(parts, head, block, tail, line_shapes(campaign, award))


# ---------------------------------------------------------------------------- rendering


def _xml_text(value: str) -> str:
    return escape(clean_text(value.strip()))


def render_block(template: PageTemplate, cert: Certificate) -> str:
    """One certificate's XML: the sentinels replaced by escaped values and the fitting text size.

    The page-break sentinel stays: :func:`alone` removes it, :func:`followed` turns it into a break.
    """
    size, line = fitted_size(template.shapes, cert.name, cert.unit)
    return (template.block.replace(SLOT[S_NAME], _xml_text(cert.name)).replace(SLOT[S_UNIT], _xml_text(cert.unit))
            .replace(SLOT[S_SIZE], str(size)).replace(SLOT[S_LINE], str(line)))


def alone(block: str) -> str:
    return block.replace(SLOT[S_BREAK], "")


def followed(block: str) -> str:
    """The block with a page break after it (combined print file)."""
    return block.replace(SLOT[S_BREAK], dk.PAGE_BREAK_RUN_XML)


def certificates_for(winners: list[Winner]) -> list[Certificate]:
    return [Certificate(w, w.name.strip(), (w.unit or "").strip()) for w in winners]


def file_stems(certs: list[Certificate]) -> list[str]:
    """姓名-单位, safe on Windows, unique (a repeat gets （2）)."""
    seen: dict[str, int] = {}
    stems = []
    for c in certs:
        stem = safe_filename(f"{c.name}-{c.unit}" if c.unit else c.name)
        n = seen.get(stem.lower(), 0) + 1
        seen[stem.lower()] = n
        stems.append(stem if n == 1 else f"{stem}（{n}）")
    return stems


def write(campaign: Campaign, award: Award, winners: list[Winner], date, out_dir: Path,
          combined_name: str = "证书_合并打印.docx", folder: str = "证书") -> list[Path]:
    """One .docx per certificate in ``out_dir/证书/`` and the combined print file; returns the combined file first."""
    certs = certificates_for(winners)
    if not certs:
        return []
    template = make_template(campaign, award, date)
    folder_path = out_dir / folder
    folder_path.mkdir(parents=True, exist_ok=True)
    paths, blocks = [], []
    for cert, stem in zip(certs, file_stems(certs)):
        block = render_block(template, cert)
        path = folder_path / f"{stem}.docx"
        paths.append(write_bytes(path, template.package(template.document([alone(block)]))))
        blocks.append(block)
    blocks = [followed(b) for b in blocks[:-1]] + [alone(blocks[-1])]
    combined = out_dir / combined_name
    combined = write_bytes(combined, template.package(template.document(blocks)))
    return [combined, *paths]


# ---------------------------------------------------------------------------- the reference (slow) path


def docxtpl_template(campaign: Campaign, award: Award, date) -> bytes:
    """The same page as a docxtpl template ({{ name }} … where the sentinels are)."""
    buf = io.BytesIO()
    build_page(campaign, award, date, JINJA).save(buf)
    return buf.getvalue()


def render_with_docxtpl(template: bytes, campaign: Campaign, award: Award, cert: Certificate, path: Path) -> Path:
    """One certificate the ordinary way (load, render, save): what the benchmark and tests compare against."""
    from docxtpl import DocxTemplate

    size, line = fitted_size(line_shapes(campaign, award), cert.name, cert.unit)
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render({"name": clean_text(cert.name), "unit": clean_text(cert.unit), "size": size, "line": line},
               autoescape=True)
    dk.drop_styles_with_effects(tpl.docx)
    return write_file(path, tpl.save)

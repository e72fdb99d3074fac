"""Pieces of an official document (GB/T 9704-2012) that publish needs beyond docxkit.

docxkit has fonts, page set-up, paragraphs, tables and page numbers; this adds
the parts of a 红头 document and its signature block, and the plain list table
every publish output prints (publicity list, attachments, plaque list).
"""
from __future__ import annotations

import re

from docx.shared import Pt

from formgen import docxkit as dk
from formgen.titles import text_em, title_lines  # noqa: F401  (layout.text_em / title_lines for publish)

EM_BODY = dk.BODY_PT  # one character of body text, in pt
MM_PER_PT = 25.4 / 72
_LONG_LATIN = re.compile(r"[\x21-\x7e]{12,}")


def new_document(landscape: bool = False, line_grid: bool = True):
    """An empty A4 document with GB/T 9704 margins, 仿宋 3号 defaults and no spacing."""
    doc = dk.new_document()
    dk.set_document_defaults(doc)
    dk.setup_page(doc.sections[0], landscape=landscape, line_pitch=dk.LINE_PITCH_PT if line_grid else None)
    return dk.remove_paragraphs(doc)


def title(doc, text: str, before_pt: float = 0, after_lines: int = 1, size: float = dk.TITLE_PT):
    """The title: 2号 小标宋, centred, broken into lines at sensible places (see :func:`title_lines`)."""
    p = doc.add_paragraph()
    width_mm = dk.text_width_mm(doc.sections[-1])
    # one character of slack: digits and quotes print a little wider than their nominal width
    for i, line in enumerate(title_lines(text, int(width_mm / (size * MM_PER_PT)) - 1)):
        r = dk.add_run(p, line, dk.XIAOBIAOSONG, size)
        if i:
            dk.line_break_before(r)
    dk.format_par(p, dk.CENTER, line_pt=size * 1.6, before_pt=before_pt)
    no_grid(p)
    blank_lines(doc, after_lines)
    return p


no_grid = dk.no_grid


def blank_lines(doc, n: int = 1):
    for _ in range(n):
        dk.add_par(doc, "", dk.FANGSONG, dk.BODY_PT)


def body_par(doc, text: str, indent: float = 2, align=dk.JUSTIFY):
    """A body paragraph: 3号 仿宋, first line indented two characters.

    Justified, except when it holds a long unbreakable Latin run (an e-mail
    address), which justification would stretch into letter-spaced gaps.
    """
    if align == dk.JUSTIFY and _LONG_LATIN.search(text):
        align = dk.LEFT
    return dk.add_par(doc, text, dk.FANGSONG, dk.BODY_PT, align=align, first_line_chars=indent)


def heading(doc, text: str, font: str = dk.HEITI):
    """A level-1 heading (黑体, indented two characters like the body), kept with what follows it."""
    return dk.keep_with_next(dk.add_par(doc, text, font, dk.BODY_PT, align=dk.JUSTIFY, first_line_chars=2))


def issuer_mark(doc, names: list[str], suffix: str = "文件", size: float = 36):
    """发文机关标志 in red 小标宋: one name, or several stacked with ``suffix`` beside them (联合行文).

    GB/T 9704: its top edge lies 35 mm below the top of the type area; the
    size shrinks so the widest name and the suffix fit the 156 mm type area.
    """
    spacer = dk.add_par(doc, "", dk.FANGSONG, 10)
    dk.format_par(spacer, line_pt=35 / 25.4 * 72 - 8)  # 35 mm, less the leading above the glyphs
    no_grid(spacer)
    widest = max(text_em(n) for n in names) + (text_em(suffix) if len(names) == 1 else 0)
    extra = text_em(suffix) + 0.5 if len(names) > 1 and suffix else 0
    size = min(size, 152 / (widest + extra) / MM_PER_PT)
    em_mm = size * MM_PER_PT
    if len(names) == 1:
        p = dk.add_par(doc, names[0] + suffix, dk.XIAOBIAOSONG, size, color=dk.RED, align=dk.CENTER)
        return no_grid(p)
    cols = [widest * em_mm + 1] + ([extra * em_mm] if extra else [])
    table = doc.add_table(rows=len(names), cols=len(cols))
    dk.set_table_borders(table, val="nil")
    dk.set_col_widths(table, cols)
    dk.cell_margins(table, 0, 0, 0, 0)
    for i, name in enumerate(names):
        p = dk.cell_text(table.cell(i, 0), name, dk.XIAOBIAOSONG, size, align=dk.JUSTIFY)
        dk.format_par(p, dk.DISTRIBUTE)  # names of different lengths fill the same width, as printed 红头 do
        _red(p)
        no_grid(dk.format_par(p, line_pt=size * 1.3))
    if extra:
        merged = dk.merge(table, 0, 1, len(names) - 1, 1)
        p = dk.cell_text(merged, suffix, dk.XIAOBIAOSONG, size, align=dk.RIGHT, valign="center")
        _red(p)
        no_grid(p)
    return table


def _red(p):
    for r in p.runs:
        r.font.color.rgb = dk.RED


def doc_number_and_rule(doc, number: str):
    """发文字号 two lines below the mark, centred, with the red separator 4 mm below it."""
    blank_lines(doc, 1)
    p = dk.add_par(doc, number, dk.FANGSONG, dk.BODY_PT, align=dk.CENTER)
    dk.red_line(p, size_pt=2.25, space_pt=11)  # the line sits 4 mm (≈ 11 pt) under the number
    return p


def recipients(doc, text: str):
    """主送机关: flush left, ends with a full-width colon."""
    text = text.rstrip("：:") + "："
    return dk.add_par(doc, text, dk.FANGSONG, dk.BODY_PT, align=dk.JUSTIFY)


def attachment_note(doc, names: list[str]):
    """附件说明: “附件：1．…” two characters in, later items aligned with the first name.

    A name that wraps continues under its own first character (GB/T 9704 7.3.4),
    and the list is kept on one page (with the signature after it).
    """
    if not names:
        return
    blank_lines(doc, 1)
    numbered = len(names) > 1
    for i, name in enumerate(names, start=1):
        number = f"{i}．" if numbered else ""
        p = dk.add_par(doc, ("附件：" if i == 1 else "") + number + name, dk.FANGSONG, dk.BODY_PT, align=dk.LEFT)
        left = 5 + text_em(number)  # where the name starts: 2 characters, 附件：, the number
        dk.indent(p, left_chars=left, hanging_chars=left - (2 if i == 1 else 5), size=EM_BODY)
        if i < len(names):
            dk.keep_with_next(p)


def signature(doc, names: list[str], date_text: str, blank_before: int = 2, date_right_chars: float = 4):
    """发文机关署名 centred over 成文日期, which is 4 characters from the right (sealed layout).

    The block stays on one page, and with a short paragraph before it, so a
    signature does not open a page alone. A long paragraph before it is not
    tied to it: LibreOffice would move that whole paragraph to the next page.
    """
    if doc.paragraphs and text_em(doc.paragraphs[-1].text) <= 6 * 26:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(blank_before):
        blank_lines(doc, 1)
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    date_w = text_em(date_text)
    for name in names:
        shift = (date_w - text_em(name)) / 2
        right = max(date_right_chars + shift, 2)
        p = dk.add_par(doc, name, dk.FANGSONG, dk.BODY_PT, align=dk.RIGHT)
        p.paragraph_format.right_indent = Pt(right * EM_BODY)
        p.paragraph_format.keep_with_next = True
    p = dk.add_par(doc, date_text, dk.FANGSONG, dk.BODY_PT, align=dk.RIGHT)
    p.paragraph_format.right_indent = Pt(date_right_chars * EM_BODY)
    return p


def attachment_page(doc, number: int | None, title_text: str):
    """A new page with “附件N” (黑体, top left) and the attachment's title."""
    p = dk.add_par(doc, f"附件{number}" if number else "附件", dk.HEITI, dk.BODY_PT, align=dk.LEFT)
    p.paragraph_format.page_break_before = True
    blank_lines(doc, 1)
    title(doc, title_text, after_lines=1)


def list_table(doc, headers: list[str], rows: list[list[str]], widths_mm: list[float],
               size: float = dk.SIZE["四号"], align_cols: list | None = None, row_mm: float = 9):
    """A ruled list: bold header row repeated on each page, rows never split, text as given."""
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    dk.set_table_borders(table, size_pt=0.5)
    dk.set_col_widths(table, widths_mm)
    dk.cell_margins(table, 1.5, 1.5, 0.5, 0.5)
    hdr = table.rows[0]
    for i, h in enumerate(headers):
        no_grid(dk.cell_text(hdr.cells[i], h, dk.HEITI, size, align=dk.CENTER))
    dk.repeat_header(hdr)
    dk.set_row_height(hdr, row_mm)
    for r, values in enumerate(rows, start=1):
        row = table.rows[r]
        dk.set_row_height(row, row_mm)
        for c, value in enumerate(values):
            align = align_cols[c] if align_cols and align_cols[c] is not None else dk.CENTER
            dk.cell_text(row.cells[c], value or "", dk.FANGSONG, size, align=align)
            for p in row.cells[c].paragraphs:  # lines of the table's own size, not the page's 22-line grid
                no_grid(p)
    dk.no_lone_rows(table)
    return table

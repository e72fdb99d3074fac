"""授牌名单: the plaque list for awards with ``plaque: true`` (the posts get a plaque).

What the office sends to the plaque maker and reads out at the ceremony:
序号, 岗位名称, 所属单位, 牌匾文字 (publication.honor_title), 负责人 (who
receives it). One .docx to print, one .xlsx to pass on.
"""
from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from formgen import docxkit as dk
from formgen.campaign.model import Award
from formgen.publish import layout
from formgen.publish.model import PublishInput, honor_title, ordered, safe_filename
from formgen.publish.publicity import sort_rule
from formgen.xlsx import BORDER, CENTER, WRAP, header_row, print_setup, set_text, set_value
from formgen.outputs import write_file

HEADERS = ["序号", "岗位名称", "所属单位", "牌匾文字", "负责人"]
WIDTHS_CHARS = [6, 30, 26, 34, 12]


def rows(data: PublishInput, award: Award) -> list[list[str]]:
    text = honor_title(data.campaign, award)
    winners = ordered(data.winners(award.id), sort_rule(data, award), data.unit_order)
    return [[str(i), w.name, w.unit, text, w.leader or ""] for i, w in enumerate(winners, start=1)]


def list_title(data: PublishInput, award: Award) -> str:
    return f"{honor_title(data.campaign, award)}授牌名单"


def fitted_widths(headers: list[str], body: list[list[str]], total_mm: float, size: float) -> list[float]:
    """Column widths (mm): each column's longest text on one line where the page allows. When it
    does not, 岗位名称 and 所属单位 share what is left and wrap; 牌匾文字 (the engraving) stays whole."""
    em = size * layout.MM_PER_PT
    # two characters of slack and the cell margins: digits and quotes print wider than their nominal width
    want = [(max(layout.text_em(v) for v in [h, *(r[c] for r in body)]) + 2) * em + 3 for c, h in enumerate(headers)]
    if sum(want) <= total_mm:  # room to spare goes to the name column (1): the list reads evenly
        want[1] += total_mm - sum(want)
        return want
    flex = [c for c, h in enumerate(headers) if h in ("岗位名称", "所属单位")]
    room = total_mm - sum(w for c, w in enumerate(want) if c not in flex)
    share = sum(want[c] for c in flex)
    for c in flex:
        want[c] = max(room * want[c] / share, 4 * em + 3)
    return want


TABLE_ROOM_MM = 105  # landscape type area 138 mm, less the title (12 mm), the count and a blank line


def table_mm(body: list[list[str]], widths: list[float], size: float) -> float:
    """Estimated height of the list: header and rows of at least 9 mm, wrapped lines at 1.25 × size."""
    em = size * layout.MM_PER_PT
    line = size * 1.25 * layout.MM_PER_PT
    rows = [max(math.ceil((layout.text_em(v) + 1) * em / (w - 3)) for v, w in zip(r, widths)) for r in body]
    return 9 + sum(max(9.0, n * line + 2) for n in rows)


def write_docx(data: PublishInput, award: Award, path: Path) -> Path:
    doc = layout.new_document(landscape=True)
    body = rows(data, award)
    headers, align = list(HEADERS), [dk.CENTER, dk.LEFT, dk.LEFT, dk.CENTER, dk.CENTER]
    if all(r[1] == r[2] for r in body):  # a hall or window is its own unit: no 所属单位 column repeating it
        headers, align = headers[:2] + headers[3:], align[:2] + align[3:]
        body = [r[:2] + r[3:] for r in body]
    layout.title(doc, list_title(data, award), after_lines=0)
    # the count under the title, not after the table where it could stand alone on a last page
    layout.no_grid(dk.add_par(doc, f"（共{len(body)}个）", dk.KAITI, dk.BODY_PT, align=dk.CENTER))
    layout.blank_lines(doc, 1)
    # 小四, or 五号 when that keeps a list of up to 16 rows (kept whole) on the title's page: a list
    # too tall for it moves whole to page 2, leaving the title alone on page 1
    for size in (dk.SIZE["小四"], dk.SIZE["五号"]):
        widths = fitted_widths(headers, body, dk.text_width_mm(doc.sections[-1]) - 2, size)
        if table_mm(body, widths, size) <= TABLE_ROOM_MM:
            break
    layout.list_table(doc, headers, body, widths, size=size, row_mm=9, align_cols=align)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


def write_xlsx(data: PublishInput, award: Award, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "授牌名单"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    set_text(ws.cell(1, 1), list_title(data, award))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    header_row(ws, 2, HEADERS, WIDTHS_CHARS)
    for r, values in enumerate(rows(data, award), start=3):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c)
            if c == 1:
                set_value(cell, int(v))
            else:
                set_text(cell, v)
            cell.border = BORDER
            cell.alignment = CENTER if c in (1, 5) else WRAP
    ws.freeze_panes = "A3"
    print_setup(ws, landscape=False, title_rows="2:2", centered=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, wb.save)


def write(data: PublishInput, out_dir: Path) -> list[Path]:
    """授牌名单.docx/.xlsx per plaque award (named after the award when there are several)."""
    awards = [a for a in data.awards_with("plaque") if data.winners(a.id)]
    paths = []
    for award in awards:
        stem = "授牌名单" if len(awards) == 1 else f"授牌名单_{safe_filename(award.name)}"
        paths += [write_docx(data, award, out_dir / f"{stem}.docx"), write_xlsx(data, award, out_dir / f"{stem}.xlsx")]
    return paths

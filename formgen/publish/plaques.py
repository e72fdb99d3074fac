"""授牌名单: the plaque list for awards with ``plaque: true`` (the posts get a plaque).

What the office sends to the plaque maker and reads out at the ceremony:
序号, 岗位名称, 所属单位, 牌匾文字 (publication.honor_title), 负责人 (who
receives it). One .docx to print, one .xlsx to pass on.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from formgen import docxkit as dk
from formgen.campaign.model import Award
from formgen.publish import layout
from formgen.publish.model import PublishInput, honor_title, ordered, safe_filename
from formgen.publish.publicity import sort_rule
from formgen.xlsx import BORDER, CENTER, WRAP, header_row, print_setup, set_text, set_value

HEADERS = ["序号", "岗位名称", "所属单位", "牌匾文字", "负责人"]
WIDTHS_MM = [14, 78, 34, 75, 24]  # landscape: 牌匾文字 and most post names on one line
WIDTHS_CHARS = [6, 30, 26, 34, 12]


def rows(data: PublishInput, award: Award) -> list[list[str]]:
    text = honor_title(data.campaign, award)
    winners = ordered(data.winners(award.id), sort_rule(data, award), data.unit_order)
    return [[str(i), w.name, w.unit, text, w.leader or ""] for i, w in enumerate(winners, start=1)]


def list_title(data: PublishInput, award: Award) -> str:
    return f"{honor_title(data.campaign, award)}授牌名单"


def write_docx(data: PublishInput, award: Award, path: Path) -> Path:
    doc = layout.new_document(landscape=True)
    layout.title(doc, list_title(data, award), after_lines=1)
    body = rows(data, award)
    table = layout.list_table(doc, HEADERS, body, WIDTHS_MM, size=dk.SIZE["小四"], row_mm=9,
                              align_cols=[dk.CENTER, dk.LEFT, dk.LEFT, dk.CENTER, dk.CENTER])
    dk.keep_row_with_next(table.rows[-1])  # “共N个。” never alone on a page
    layout.body_par(doc, f"共{len(body)}个。", indent=0)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


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
    wb.save(path)
    return path


def write(data: PublishInput, out_dir: Path) -> list[Path]:
    """授牌名单.docx/.xlsx per plaque award (named after the award when there are several)."""
    awards = [a for a in data.awards_with("plaque") if data.winners(a.id)]
    paths = []
    for award in awards:
        stem = "授牌名单" if len(awards) == 1 else f"授牌名单_{safe_filename(award.name)}"
        paths += [write_docx(data, award, out_dir / f"{stem}.docx"), write_xlsx(data, award, out_dir / f"{stem}.xlsx")]
    return paths

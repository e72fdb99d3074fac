"""The county's own campaign of issue 22: ``init --preset kunshan-awards``, then the county's campaign.yaml
and its unit list in the office's own layout (title row, merged cells, 电子邮箱, 序号, 备注)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from click.testing import CliRunner

from formgen.cli import cli

COUNTY = Path(__file__).parent / "data" / "county"
TITLE = "青川县2025年度“最佳办事窗口”评选参评单位名单"


def office_rows() -> list[list[str]]:
    """The office's list as typed: header then 25 units (县交通运输局's address is mistyped qcjtj@163,com)."""
    with open(COUNTY / "units.csv", encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f)]


def write_office_xlsx(path: Path, rows: list[list[str]] | None = None) -> Path:
    """The list the way the office keeps it: a merged title row and a blank row above the header."""
    from openpyxl import Workbook

    rows = rows if rows is not None else office_rows()
    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    ws.append([])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def make_county(root: Path) -> Path:
    """A workspace made the way the newcomer made it; units.xlsx is the office's own list."""
    result = CliRunner().invoke(cli, ["init", str(root), "--preset", "kunshan-awards"])
    assert result.exit_code == 0, result.output
    shutil.copyfile(COUNTY / "campaign.yaml", root / "campaign.yaml")
    write_office_xlsx(root / "units.xlsx")
    return root

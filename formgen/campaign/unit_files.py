"""Rows of cell values from an office's unit list: .xlsx, .xls or .csv (UTF-8 or GBK).

Only the first sheet is read; merged cells give their value in their top-left
cell and blanks elsewhere, which is what the header matcher expects.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from formgen.errors import ConfigError


def read_rows(path: Path) -> list[list]:
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"找不到单位名单 {path}；请检查文件名和路径")
    if path.is_dir():
        raise ConfigError(f"{path} 是一个文件夹，不是单位名单；请指定 .xlsx、.xls 或 .csv 文件")
    head = path.read_bytes()[:8]
    if head.startswith(b"PK"):
        return _xlsx_rows(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _xls_rows(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return _csv_rows(path)
    raise ConfigError(f"{path.name}：不是 Excel（.xlsx/.xls）或 .csv 文件；请在 Excel 中“另存为”.xlsx 后重试")


def _xlsx_rows(path: Path) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ConfigError(f"{path.name}：无法打开（文件可能已损坏或加密）；请用 Excel 打开后另存为 .xlsx 再试") from None
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def _xls_rows(path: Path) -> list[list]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception:
        raise ConfigError(f"{path.name}：无法打开这个 .xls 文件（可能已损坏或加密）；请用 Excel 打开后另存为 .xlsx 再试"
                          ) from None
    sheet = book.sheet_by_index(0)
    return [[None if v == "" else v for v in sheet.row_values(r)] for r in range(sheet.nrows)]


def _csv_rows(path: Path) -> list[list]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel saves CSV as GBK on Chinese Windows
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ConfigError(f"{path.name}：既不是 UTF-8 也不是 GBK 编码；请在 Excel 中另存为“CSV UTF-8”后重试")
    return [[v if v.strip() else None for v in row] for row in csv.reader(io.StringIO(content))]


def import_units(path: Path, categories: list[str] | None = None, columns: dict[str, int] | None = None):
    """(units, match) of an office's own list; ``columns`` are the clerk's answers to the guesses.

    A unit whose address is bad keeps the cell as typed (its row is in ``match.problems``);
    ``Unit.emails()`` then gives none, so it is never half-used.
    """
    from formgen.campaign.model import Unit
    from formgen.campaign.unit_columns import match_columns, unit_rows

    rows = read_rows(path)
    m = match_columns(rows, categories, columns)
    if m.header_row is None or "name" not in m.columns:
        raise ConfigError(f"{Path(path).name}：找不到“单位名称”列（表头可写 单位名称、单位 或 名称）；"
                          "请在表头行写明后重试")
    units = [Unit(name=r["name"], category=r.get("category"), contact=r.get("contact"),
                  email=r.get("email") or r.get("email_invalid"), phone=r.get("phone"), extra=r["extra"], row=r["row"])
             for r in unit_rows(rows, m)]
    return units, m


def header_cells(path: Path, match) -> list[str]:
    """The header row's cells as text, for asking the clerk about a column."""
    from formgen.campaign.unit_columns import text

    return [text(v) for v in read_rows(path)[match.header_row]]

"""Small helpers for the workbooks formgen writes (openpyxl).

Text a unit or a clerk typed must never turn into a formula: a name like
``=HYPERLINK(...)`` is stored as a string cell, which Excel, WPS and
LibreOffice show literally.
"""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WARN_FILL = PatternFill("solid", fgColor="FFF2CC")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
OK_FILL = PatternFill("solid", fgColor="E2EFDA")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# A returned workbook larger than this is not one of ours (a scorer pasted photos, or sent the wrong file).
MAX_BOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # a zip bomb is refused before openpyxl inflates it
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # an encrypted .xlsx is an OLE file

# Characters XML 1.0 cannot hold; openpyxl raises IllegalCharacterError on them.
_ILLEGAL = {c for c in range(32) if c not in (9, 10, 13)}


def clean_text(value: str) -> str:
    return "".join(ch for ch in value if ord(ch) not in _ILLEGAL)


def sheet_title(name: str, taken, fallback: str = "表") -> str:
    """A sheet name Excel accepts (no []:*?/\\, ≤ 31 characters), made unique among ``taken``.

    ``taken`` is the workbook's sheet names (a list) or a set that the new name is added to.
    """
    clean = "".join("_" if c in '[]:*?/\\' else c for c in name)[:31] or fallback
    title, n = clean, 2
    while title in taken:
        title = f"{clean[:28]}({n})"
        n += 1
    if isinstance(taken, set):
        taken.add(title)
    return title


def set_text(cell: Cell, value: Any) -> None:
    """Store ``value`` as literal text (None stays empty)."""
    if value is None:
        cell.value = None
        return
    cell.value = clean_text(str(value))
    cell.data_type = "s"  # never "f", even for a leading "="


def set_value(cell: Cell, value: Any) -> None:
    """Numbers stay numbers; everything else is literal text."""
    if isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
        set_text(cell, value)
    else:
        cell.value = value


def header_row(ws, row: int, titles: list[str], widths: list[float] | None = None) -> None:
    for col, title in enumerate(titles, start=1):
        c = ws.cell(row=row, column=col)
        set_text(c, title)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = CENTER
        if widths and col <= len(widths):
            ws.column_dimensions[c.column_letter].width = widths[col - 1]


def header_cell(cell: Cell, text: str, font: Font | None = None, alignment: Alignment | None = CENTER) -> None:
    """A column title: literal text, bold, shaded, boxed (``alignment=None`` keeps the cell's own)."""
    set_text(cell, text)
    cell.font, cell.fill, cell.border = font or Font(bold=True), HEADER_FILL, BORDER
    if alignment is not None:
        cell.alignment = alignment


def validation(kind: str, formula1: str, formula2: str | None = None, *, operator: str | None = None,
               error: str | None = None, title: str | None = None, prompt: str | None = None,
               prompt_title: str | None = None) -> DataValidation:
    """An Excel input rule that refuses a wrong entry with a Chinese message (blank stays allowed).

    >>> validation("whole", "0", "99", operator="between", error="请填写 0–99 的整数。").errorStyle
    'stop'
    """
    dv = DataValidation(type=kind, operator=operator, formula1=formula1, formula2=formula2, allow_blank=True,
                        showErrorMessage=True, errorStyle="stop")
    dv.errorTitle, dv.error = title, error
    if prompt:
        dv.showInputMessage, dv.promptTitle, dv.prompt = True, prompt_title, prompt
    return dv


@dataclass
class BookProblem:
    """One bad input in a returned workbook, said as one Chinese line naming file, sheet and cell."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file + (f" 工作表“{self.sheet}”" if self.sheet else "") + (f" {self.cell} 单元格" if self.cell else "")
        return f"{where}：{self.message}"


def book_bytes(path: Path, what: str, limit: int = MAX_BOOK_BYTES) -> tuple[bytes | None, str]:
    """The bytes of a returned workbook, or None and one Chinese line why it is not read.

    ``what`` names the kind of workbook (台账, 评分表 …) for the too-large message.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return None, f"无法读取文件（{e.strerror or e}）"
    if len(data) > limit:
        return None, f"文件过大（{len(data) // 1024 // 1024} MB），不像{what}，未读取"
    return data, ""


def open_book(path: Path, what: str, damaged: str, *, data_only: bool = True, read_only: bool = False):
    """A returned workbook opened from one read of its bytes: ``(workbook, sha256, "")``,
    or ``(None, sha256 or "", one Chinese line why not)``.

    Too large, encrypted, inflating to more than ``MAX_UNPACKED`` and damaged are told
    apart; ``damaged`` is the caller's line for a file openpyxl cannot open (the
    exception's name is appended).
    """
    from openpyxl import load_workbook

    data, why = book_bytes(path, what)
    if data is None:
        return None, "", why
    sha = hashlib.sha256(data).hexdigest()
    if data[:8] == OLE_MAGIC:
        return None, sha, "已加密（请去掉打开密码后再放入），未读取"
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError):
        unpacked = 0  # openpyxl below gives the damaged-file line
    if unpacked > MAX_UNPACKED:
        return None, sha, f"文件解压后过大（{unpacked // 1024 // 1024} MB），不像{what}，未读取"
    try:
        return load_workbook(BytesIO(data), data_only=data_only, read_only=read_only), sha, ""
    except Exception as e:  # openpyxl raises many kinds on damaged files
        return None, sha, f"{damaged}（{type(e).__name__}），未读取"


def text_width(text: str) -> int:
    """Width in Excel character units: a CJK character counts two.

    >>> text_width("东山街道 A1")
    11
    """
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text or "")


def fit_width(texts: list[str], low: float, high: float) -> float:
    """A column width that shows the widest of ``texts``, kept within ``low``–``high``."""
    return max(low, min(high, max((text_width(t) for t in texts), default=0) + 2))


def wrapped_lines(text: str, width: float, fill: float = 1.0) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide (``fill``: text units per width unit), for row heights.

    >>> wrapped_lines("东" * 10, 11)
    2
    """
    per_line = max(1, int((width - 1) * fill))
    return sum(max(1, -(-text_width(part) // per_line)) for part in (text or "").split("\n"))


def print_setup(ws, *, landscape: bool = True, title_rows: str | None = None, centered: bool = False) -> None:
    """A4, as wide as the paper (as many pages tall as it takes), header rows repeated on every page.

    Without this LibreOffice and WPS print wide sheets column-strip by column-strip,
    so a list comes out on six pages with the names on one and the posts on another.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if centered:
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4

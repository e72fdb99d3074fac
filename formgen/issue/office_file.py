"""Opening an office's own Word file for import (forms, rubric, notice): one Chinese line for each file
that cannot be used, and the original never written to.

A .doc/.wps/.rtf/.odt is converted first (LibreOffice, as for returns); the import then works on the
converted .docx, and the template it makes is that .docx.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from formgen import docxkit as dk
from formgen.errors import FormgenError, InputFileError
from formgen.intake.grid import GridDocument, Table
from formgen.intake.normalize import label_key, strip_parens
from formgen.intake.readers.docx_reader import read_docx
from formgen.intake.result import SourceFile
from formgen.intake.sniff import sniff

MAX_BYTES = 30 * 1024 * 1024
CONVERTIBLE = {"doc", "wps", "rtf", "odt", "html", "wordxml"}
_IMAGE_PARTS = re.compile(r"^word/media/")


class OfficeFileError(FormgenError):
    """An office file that cannot be imported (the message names it and says what to do)."""

    exit_code = 2


@dataclass
class OfficeFile:
    path: Path
    data: bytes  # the .docx (converted when the original was .doc/.wps)
    grid: GridDocument
    converted_from: str | None = None  # "doc", "wps", … when LibreOffice converted it


def _fail(path: Path, message: str) -> OfficeFileError:
    return OfficeFileError(f"{path.name}：{message}")


def open_office_file(path: Path, need_table: bool = True) -> OfficeFile:
    """The office's file read into the grid; OfficeFileError with one line when it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "找不到这个文件，请检查路径和文件名") from None
    except IsADirectoryError:
        raise _fail(path, "这是一个文件夹，请给出其中的 Word 文件") from None
    except OSError as e:
        raise _fail(path, f"无法读取（{e.strerror or e}），请关闭正在打开它的 Word/WPS 后重试") from None
    if len(data) > MAX_BYTES:
        raise _fail(path, f"文件过大（{len(data) // 1024 // 1024} MB），不像是一张表格；请确认选对了文件")
    kind = sniff(data, path.name)
    converted_from = None
    if dk.package_is_encrypted(data) or kind in ("ole-encrypted",):
        raise _fail(path, "设有打开密码；请在 Word/WPS 中打开，“文件→信息→保护文档”去掉密码并另存后再导入")
    if kind in CONVERTIBLE:
        from formgen.intake.convert import convert_to_docx

        out = convert_to_docx([SourceFile(name=path.name, data=data, path=str(path))])[0]
        if isinstance(out, InputFileError):
            raise _fail(path, f"{out.reason.replace('请让报送单位', '请')}（也可以在 Word/WPS 中另存为 .docx 后再导入）")
        data, converted_from = out.data, kind
    elif kind != "docx":
        what = {"pdf": "PDF 文件", "xlsx": "Excel 表格", "xls": "Excel 表格", "jpg": "图片", "png": "图片",
                "empty": "空文件"}.get(kind, "不是 Word 文档")
        raise _fail(path, f"这是{what}，不能作为表格导入；请给出表格的 Word 文件（.docx、.doc 或 .wps）")
    try:
        grid = read_docx(SourceFile(name=path.name, data=data, path=str(path)))
    except InputFileError as e:
        reason = e.reason.replace("请让报送单位重新保存后发送", "请在 Word/WPS 中打开并另存为 .docx 后再导入")
        raise _fail(path, reason) from None
    if need_table:
        _check_tables(path, data, grid, converted_from)
    return OfficeFile(path=path, data=data, grid=grid, converted_from=converted_from)


def _has_images(data: bytes) -> bool:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return any(_IMAGE_PARTS.match(n) for n in zf.namelist())


def _check_tables(path: Path, data: bytes, grid: GridDocument, converted_from: str | None = None) -> None:
    if not grid.tables:
        if converted_from:
            raise _fail(path, f"LibreOffice 转换这个 .{converted_from} 文件时表格丢失；请在 Word/WPS 中打开它，"
                              "另存为 .docx 后再导入")
        if _has_images(data):
            raise _fail(path, "表格是一张图片（扫描件或截图），没有可以填写的格子；请用 Word 重新制作这张表格，"
                              "或找到原来的 Word 文件再导入")
        raise _fail(path, "文件里没有表格；forms import 需要一张 Word 表格（标签和填写格），"
                          "文字写成的表请先在 Word 中“插入→表格”做成表格")
    titles = form_titles(grid)
    if len(titles) > 1:
        raise _fail(path, f"一个文件里有 {len(titles)} 张表（{'、'.join(titles)}）；请在 Word 中把每张表另存为"
                          "单独的文件，再分别导入")


def form_titles(grid: GridDocument) -> list[str]:
    """Titles of the forms in a file: a line ending in 表 that comes before a table (or a table's title row)."""
    titles: list[str] = []
    pending: str | None = None
    for block in grid.blocks:
        if isinstance(block, Table):
            if pending:
                titles.append(pending)
                pending = None
            continue
        key = strip_parens(label_key(block.text))
        if 4 <= len(key) <= 40 and key.endswith("表") and not key.startswith(("附件", "附表")):
            pending = block.text.strip()
    return list(dict.fromkeys(titles))

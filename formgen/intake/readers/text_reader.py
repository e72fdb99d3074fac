"""Plain-text files (a deeds document sent as .txt): one Line per line of text."""
from __future__ import annotations

from formgen.errors import InputFileError
from formgen.intake.grid import GridDocument, Line
from formgen.intake.result import SourceFile

MAX_CHARS = 2_000_000


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 — what Chinese offices write."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def read_text(source: SourceFile) -> GridDocument:
    text = decode_text(source.data)
    if text is None:
        raise InputFileError(source.path or source.name, "文本文件的编码无法识别，请另存为 UTF-8 或改发 Word 文件",
                             "unsupported")
    text = text[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(text=t, where=f"第{i}行") for i, t in enumerate(text.split("\n"), start=1)]
    return GridDocument(source=source.name, blocks=list(lines), method="labels")

"""Readers: one per file format, each turning a SourceFile into a GridDocument.

Readers are looked up by the kind ``formgen.intake.sniff.sniff`` reports and
imported lazily, so that a missing optional dependency (OCR) only matters for
the files that need it.
"""
from __future__ import annotations

import importlib
from typing import Callable

from formgen.errors import InputFileError
from formgen.intake.grid import GridDocument
from formgen.intake.result import SourceFile

READERS: dict[str, str] = {
    "docx": "formgen.intake.readers.docx_reader:read_docx",
    "pdf": "formgen.intake.readers.pdf_reader:read_pdf",
    "png": "formgen.intake.readers.ocr_reader:read_image",
    "jpg": "formgen.intake.readers.ocr_reader:read_image",
    "heic": "formgen.intake.readers.ocr_reader:read_image",
    "text": "formgen.intake.readers.text_reader:read_text",
}

_WHAT = {"pdf": "PDF", "png": "图片", "jpg": "图片", "heic": "图片", "docx": "Word 文档", "text": "文本文件"}


def reader_for(kind: str) -> Callable[[SourceFile], GridDocument] | None:
    spec = READERS.get(kind)
    if spec is None:
        return None
    module_name, func_name = spec.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def read_grid(source: SourceFile, kind: str) -> GridDocument:
    """The grid of ``source`` read as ``kind``; InputFileError when no reader can read it."""
    reader = reader_for(kind)
    if reader is None:
        what = _WHAT.get(kind, kind)
        raise InputFileError(source.path or source.name,
                             f"本版本尚不能读取{what}格式的文件，请让报送单位改发 Word（.docx）文件", "unsupported")
    return reader(source)

"""Why a PDF cannot be read: encrypted, cut short, or damaged.

Shared by the text-layer reader and the OCR reader (which rasterises PDF pages), so
neither has to import the other for it.
"""
from __future__ import annotations

from formgen.errors import InputFileError
from formgen.intake.result import SourceFile

ENCRYPTED = "PDF 文件设有打开密码，无法读取；请让报送单位去掉密码后重新发送"
TRUNCATED = "PDF 文件不完整（文件结尾缺失，可能是传输或下载中断），请让报送单位重新发送完整的文件"
CORRUPT = "PDF 文件已损坏，无法读取，请让报送单位重新导出 PDF 后发送"


def unreadable(source: SourceFile, exc: BaseException) -> InputFileError:
    """The error for a PDF that pdfminer / pdfium cannot read: encrypted, cut short, or damaged.

    pdfplumber wraps pdfminer's exceptions (``PdfminerException(PDFPasswordIncorrect())``,
    whose text is empty), so the whole chain is looked at, not just the message.
    """
    if _encrypted(exc):
        return InputFileError(source.name, ENCRYPTED, "encrypted")
    if truncated(source.data):
        return InputFileError(source.name, TRUNCATED, "truncated")
    return InputFileError(source.name, CORRUPT, "corrupt")


def _encrypted(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        text = str(e).lower()
        if "password" in text or "encrypt" in text:
            return True
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        todo += [e.__cause__, e.__context__]
    return False


def truncated(data: bytes) -> bool:
    """A PDF ends with ``%%EOF`` (readers look for it in the last 1024 bytes); a file
    cut short in transfer does not."""
    return b"%%EOF" not in data[-1024:]

"""PDF with a text layer → GridDocument (method "pdf-text").

pdfplumber gives glyphs with positions and the vector rulings of the tables.
``extract_tables`` alone loses what the matcher needs (merged cells come back
as ``None``, line breaks and paragraphs are guessed), so the grid is rebuilt
here from the rulings (``layout.find_tables``) and every glyph is put in the
cell that holds its centre. Pages without a usable text layer (scans, fonts
without a Unicode map that read as ``(cid:N)``) go to the OCR reader.
"""
from __future__ import annotations

import io
import logging
import re

from formgen.errors import InputFileError
from formgen.intake.grid import GridDocument
from formgen.intake.readers import layout
from formgen.intake.readers.layout import GeoTable, Piece, Seg, TextLine
from formgen.intake.readers.pdf_errors import CORRUPT, ENCRYPTED, TRUNCATED, truncated, unreadable  # noqa: F401
from formgen.intake.result import SourceFile

TOL = 2.0  # pt: rulings closer than this are one ruling
PAD = 2.0  # pt: inner cell margin assumed when judging wrapped lines
MAX_PAGES = 200  # a returned form has a few pages; more is not a form
CID = re.compile(r"^\(cid:\d+\)$")
GARBLED, IMAGE = "garbled", "image"  # why a page goes to OCR
NEEDS_OCR_GARBLED = ("PDF 的文字层无法解读（字体缺少编码表，读出的是乱码），需要先安装文字识别组件：pip install formgen[ocr]；"
                     "或请让报送单位改发 Word 文件")

log = logging.getLogger(__name__)


def read_pdf(source: SourceFile) -> GridDocument:
    """Read a PDF; pages without a text layer are OCR'd (needs ``formgen[ocr]``)."""
    pdf = _open(source)
    try:
        if len(pdf.pages) > MAX_PAGES:
            raise InputFileError(source.name, f"共 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页，不像是一份表格，请只提交表格本身",
                                 "too_large")
        pages, image_pages, garbled = [], [], 0
        for number, page in enumerate(pdf.pages, start=1):
            try:
                read = _read_page(page, number)
            finally:
                page.close()  # pdfplumber caches every page's objects otherwise
            if isinstance(read, str):  # why the page must be OCR'd
                image_pages.append(number)
                garbled += read == GARBLED
                pages.append(None)
            else:
                pages.append(read)
    except InputFileError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        log.debug("pdf read failed", exc_info=True)
        raise unreadable(source, exc) from exc
    finally:
        pdf.close()
    method = "pdf-text"
    images: dict = {}  # OCR'd pages' images, for the crops of values to check
    if image_pages:
        from formgen.intake.readers.ocr_reader import read_scanned_pdf_pages

        try:
            ocr = read_scanned_pdf_pages(source, image_pages, images)
        except InputFileError as exc:
            if exc.kind == "needs_ocr" and garbled == len(image_pages):
                # Not a scan: the text layer is there but reads as (cid:N) noise.
                raise InputFileError(source.name, NEEDS_OCR_GARBLED, "needs_ocr") from exc
            raise
        pages = [ocr[i + 1] if p is None else p for i, p in enumerate(pages)]
        method = "ocr"
    doc = layout.build_document(source.source_label, pages, method, TOL, PAD)
    doc.page_images = images
    return doc


def _open(source: SourceFile):
    import pdfplumber

    if b"%PDF" not in source.data[:1024]:
        raise InputFileError(source.name, "不是有效的 PDF 文件，请确认文件类型后重新发送", "corrupt")
    try:
        pdf = pdfplumber.open(io.BytesIO(source.data))
        _ = pdf.pages  # parses the page tree: damage shows here
        return pdf
    except Exception as exc:
        log.debug("pdf open failed", exc_info=True)
        raise unreadable(source, exc) from exc


def _read_page(page, number: int) -> tuple[list[GeoTable], list[TextLine]] | str:
    """The page's tables and outside lines, or why it must be OCR'd (GARBLED / IMAGE)."""
    chars = [c for c in page.chars if c.get("text")]
    visible = [c for c in chars if c["text"].strip()]
    garbage = sum(1 for c in visible if CID.match(c["text"]))
    if visible and garbage / len(visible) > 0.3:
        return GARBLED  # the font has no Unicode map: the text layer is noise
    if not visible:
        return IMAGE if page.images else ([], [])
    if _scan_with_hidden_text(page):
        return IMAGE
    pieces = [
        Piece(float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]), c["text"],
              float(c.get("size") or (c["bottom"] - c["top"])))
        for c in chars
        if not CID.match(c["text"])
    ]
    h, v = _rulings(page)
    tables = layout.find_tables(h, v, TOL, page=number)
    outside = layout.assign_pieces(tables, pieces)
    return tables, layout.group_lines(outside, number)


def _scan_with_hidden_text(page) -> bool:
    """A scanner's invisible OCR layer over a full-page image and no rulings:
    our own OCR finds the table grid, the hidden layer cannot."""
    if page.edges:
        return False
    area = float(page.width * page.height) or 1.0
    big = any((float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) > 0.5 * area
              for i in page.images)
    if not big:
        return False
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        return False  # without OCR the hidden text is the best we have
    return True


def _rulings(page) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical ruling segments: pdfplumber's edges of lines,
    rectangles (Word draws borders as thin filled rectangles) and curves."""
    h: list[Seg] = []
    v: list[Seg] = []
    for e in page.edges:
        x0, x1, top, bottom = float(e["x0"]), float(e["x1"]), float(e["top"]), float(e["bottom"])
        if e.get("orientation") == "h" or (bottom - top) <= TOL < (x1 - x0):
            h.append(Seg((top + bottom) / 2, x0, x1))
        elif e.get("orientation") == "v" or (x1 - x0) <= TOL < (bottom - top):
            v.append(Seg((x0 + x1) / 2, top, bottom))
    return h, v

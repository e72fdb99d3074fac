"""Returned ballot files → page images: multi-page PDFs (scanner output) and single images."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

SCAN_DPI = 200  # PDF pages are rendered at this resolution
MAX_PIXELS = 60_000_000  # a bigger image is refused rather than exhausting memory
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}


def is_ballot_candidate(name: str, data: bytes) -> bool:
    """A file worth looking for ballot pages in: a PDF or an image."""
    return data[:5] == b"%PDF-" or Path(name).suffix.lower() in IMAGE_SUFFIXES


def iter_pages(name: str, data: bytes) -> Iterator[tuple[int, np.ndarray | None, str | None]]:
    """(1-based page, BGR/grey image or None, problem line or None) for every page of a file."""
    if data[:5] == b"%PDF-":
        yield from _pdf_pages(name, data)
        return
    img = None
    try:
        buf = np.frombuffer(data, np.uint8)
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR) if buf.size else None
    except cv2.error:
        img = None
    if img is None:
        yield 1, None, f"{name}：不是可读取的图片或 PDF（文件损坏或格式不支持），请重新扫描后再放入"
    elif img.shape[0] * img.shape[1] > MAX_PIXELS:
        yield 1, None, f"{name}：图片过大（{img.shape[1]}×{img.shape[0]}），请以 300dpi 以下重新扫描"
    else:
        yield 1, img, None


def _pdf_pages(name: str, data: bytes):
    import pypdfium2 as pdfium  # noqa: PLC0415

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        why = "已加密，请去掉密码后重新导出" if "password" in str(e).lower() else "已损坏，请重新扫描"
        yield 1, None, f"{name}：PDF {why}"
        return
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                w, h = page.get_size()
                scale = SCAN_DPI / 72
                if w * h * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / (w * h)) ** 0.5
                bitmap = page.render(scale=scale)
                img = bitmap.to_numpy()
                img = img[:, :, :3].copy() if img.ndim == 3 else img.copy()
                yield i + 1, img, None
            except pdfium.PdfiumError:
                yield i + 1, None, f"{name} 第{i + 1}页：无法渲染（页面损坏），请重新扫描该页"
            finally:
                page.close()
    finally:
        pdf.close()


SNIFF_DPI = 120  # enough for the registration marks and the code bar (2.8 mm cells)


def first_page_code(name: str, data: bytes):
    """The ballot code (SheetCode) on a file's first page, or None: the cheap test of "is this a ballot?".

    Only images and PDFs whose first page holds an image (scans, also with an OCR text layer) are
    looked at; a Word/WPS export draws text and lines only and is a form, not a ballot. Any campaign's code counts: a ballot of last year's campaign is
    still a ballot, and the ballot reader reports it by file and page.
    """
    if not is_ballot_candidate(name, data):
        return None
    from formgen.ballots.read import page_code  # noqa: PLC0415

    if data[:5] != b"%PDF-":
        page = next(iter_pages(name, data))[1]
        return page_code(page) if page is not None else None
    import pypdfium2 as pdfium  # noqa: PLC0415

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None  # encrypted or broken: the form reader says so
    try:
        if not len(pdf):
            return None
        page = pdf[0]
        try:
            if not _has_image(page):
                return None  # drawn text and lines only (a Word/WPS export): not a scan
            img = page.render(scale=SNIFF_DPI / 72).to_numpy()
        finally:
            page.close()
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()
    return page_code(img[:, :, :3].copy() if img.ndim == 3 else img)


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))

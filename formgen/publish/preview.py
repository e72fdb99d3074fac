"""Page images for looking at a document in the browser (the desk's file view and publish preview).

A PDF's page is rendered with pdfium (pypdfium2, a core dependency with wheels for Windows, so no
poppler is needed); Word and Excel files go through LibreOffice's PDF first (formgen.publish.run.to_pdf,
which finds soffice at the Windows install paths too); photos are scaled. Images are cached under
``out/desk/preview/`` by the content's SHA-256, so a file is converted once.
"""
from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path

from formgen.errors import FormgenError
from formgen.outputs import write_bytes

WIDTH = 1000  # pixels: a page fills half of a 1366-wide screen and stays readable
OFFICE = {".doc", ".docx", ".wps", ".rtf", ".odt", ".xls", ".xlsx", ".et", ".ods"}
IMAGES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".heic", ".heif"}


def can_preview(name: str) -> bool:
    return Path(name).suffix.lower() in OFFICE | IMAGES | {".pdf"}


def needs_office(name: str) -> bool:
    """Whether the preview needs LibreOffice (slow: the desk runs it in its worker)."""
    return Path(name).suffix.lower() in OFFICE


def cached_page(out_dir: Path, data: bytes, page: int = 1) -> Path:
    return out_dir / "preview" / f"{hashlib.sha256(data).hexdigest()}-{page}.png"


def page_image(out_dir: Path, name: str, data: bytes, page: int = 1) -> Path:
    """The PNG of ``page`` of the document ``name`` (its ``data``), cached in ``out_dir``/preview/."""
    path = cached_page(out_dir, data, page)
    if path.exists():
        return path
    suffix = Path(name).suffix.lower()
    if suffix in IMAGES:
        png = _scaled_photo(data, name)
    elif suffix == ".pdf":
        png = _pdf_page(data, page, name)
    elif suffix in OFFICE:
        png = _pdf_page(_office_pdf(name, data), page, name)
    else:
        raise FormgenError(f"“{name}”没有预览（{suffix or '无扩展名'} 文件）；可下载原件查看")
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes(path, png)


def _scaled_photo(data: bytes, name: str) -> bytes:
    from PIL import Image, ImageOps

    try:
        try:
            import pillow_heif  # noqa: PLC0415

            pillow_heif.register_heif_opener()
        except ImportError:
            pass
        img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        img.thumbnail((WIDTH, WIDTH * 2))
        out = io.BytesIO()
        img.convert("RGB").save(out, "PNG")
        return out.getvalue()
    except Exception as e:  # noqa: BLE001 - a damaged photo: one line, the file stays downloadable
        raise FormgenError(f"“{name}”无法显示为图片（{type(e).__name__}）；可下载原件查看") from None


def _pdf_page(pdf: bytes, page: int, name: str) -> bytes:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as e:
        raise FormgenError(f"“{name}”的 PDF 无法打开（{e}）；可下载原件查看") from None
    try:
        if page > len(doc):
            raise FormgenError(f"“{name}”只有 {len(doc)} 页")
        p = doc[page - 1]
        scale = WIDTH / max(p.get_width(), 1)
        img = p.render(scale=scale).to_pil()
        out = io.BytesIO()
        img.save(out, "PNG")
        return out.getvalue()
    finally:
        doc.close()


def _office_pdf(name: str, data: bytes) -> bytes:
    from formgen.publish.run import to_pdf

    with tempfile.TemporaryDirectory(prefix="formgen-preview-") as tmp:
        src = Path(tmp) / ("preview" + Path(name).suffix.lower())  # a short ASCII name: any LibreOffice takes it
        src.write_bytes(data)
        (pdf,) = to_pdf([src], Path(tmp) / "pdf")
        return pdf.read_bytes()

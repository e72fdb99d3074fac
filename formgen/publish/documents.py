"""What the publish page offers: the documents of out/publish/ to download, and each as page images.

A page image is ``pdftoppm`` of the document's PDF (the one ``formgen publish`` made with
LibreOffice, or made now for a workbook), cached under ``out/desk/pages/`` by the document's
content, so a document generated again gets fresh images and an unchanged one is not rendered twice.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from formgen.errors import FormgenError
from formgen.publish.run import to_pdf
from formgen.workspace import Workspace

KINDS = {".docx": "Word 文档", ".pdf": "PDF", ".xlsx": "Excel 工作簿"}
PRINT_FILE = "证书_合并打印"  # the combined certificates (publish.certificates), one file to print
RENDER_DPI = 60  # enough to read a page on screen; a clerk prints the PDF, not the image
MAX_PAGES = 30


@dataclass
class Document:
    path: Path
    rel: str  # under the workspace, with / (what the page links to)
    kind: str
    print_file: bool = False  # the certificates to print in one go


def published_documents(ws: Workspace) -> list[Document]:
    """The documents in out/publish/ (and the certificates' print file), in name order."""
    top = ws.root / "out" / "publish"
    if not top.is_dir():
        return []
    out = []
    for p in sorted(top.rglob("*")):
        if p.is_file() and p.suffix in KINDS and not p.name.startswith((".", "~$")):
            inside = p.parent == top or p.stem.startswith(PRINT_FILE)
            if inside:
                out.append(Document(p, p.relative_to(ws.root).as_posix(), KINDS[p.suffix], p.stem.startswith(PRINT_FILE)))
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def page_images(ws: Workspace, path: Path) -> list[Path]:
    """PNG of every page (at most MAX_PAGES) of a published document, rendered once per content."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise FormgenError("预览页面需要 poppler 的 pdftoppm；请安装 poppler（Windows 可下载 poppler 并加入 PATH）")
    cache = ws.out_dir("desk") / "pages" / _digest(path)
    done = sorted(cache.glob("page-*.png"))
    if done:
        return done
    pdf = path if path.suffix == ".pdf" else path.with_suffix(".pdf")
    if not pdf.exists() or pdf.stat().st_mtime < path.stat().st_mtime:
        pdf = to_pdf([path], cache / "pdf")[0]
    cache.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([pdftoppm, "-png", "-r", str(RENDER_DPI), "-l", str(MAX_PAGES), str(pdf), str(cache / "page")],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        raise FormgenError(f"无法生成 {path.name} 的页面预览（PDF 可能已损坏）；可下载后在 Word/WPS 中查看") from None
    return sorted(cache.glob("page-*.png"))

"""Scans and photos → GridDocument (method "ocr").

A page image is cleaned (red seal ink removed, skew corrected), its table
rulings are found with OpenCV (long horizontal / vertical strokes), and the
text is read once per page with RapidOCR. Each recognised character goes to
the cell that holds its centre, so the grid — merged cells included — comes
from the rulings, not from guessing at text positions. The result uses the
same geometry code as the PDF reader (``layout``), in PDF points.

RapidOCR, onnxruntime and OpenCV are the optional extra ``formgen[ocr]``;
they are imported only here, on first use, and a missing extra gives a clean
"needs_ocr" error. The models ship inside the rapidocr wheel: nothing is
downloaded at run time.
"""
from __future__ import annotations

import io
import logging
import threading
from typing import TYPE_CHECKING

from formgen.errors import InputFileError
from formgen.intake.grid import GridDocument
from formgen.intake.readers import layout
from formgen.intake.readers.layout import GeoTable, Piece, Seg, TextLine
from formgen.intake.result import SourceFile

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

DPI = 200  # scans are rendered / assumed at this resolution
MAX_PIXELS = 40_000_000  # decompression-bomb guard (an A4 page at 600 dpi is 35 MP)
TOL_PT = 3.6  # rulings closer than this (≈10 px at 200 dpi) are one ruling
PAD_PT = 2.0
THREADS = 2  # the machines this runs on have 2 cores

PageLayout = tuple[list[GeoTable], list[TextLine]]

NEEDS_OCR = "是扫描件或图片（没有文字层），需要先安装文字识别组件：pip install formgen[ocr]"

_engine = None
_engine_lock = threading.Lock()


def _require_ocr(source: SourceFile):
    """Import the OCR stack or say how to install it."""
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError as exc:
        raise InputFileError(source.name, NEEDS_OCR, "needs_ocr") from exc


def engine():
    """The one RapidOCR engine of this process (loading the models takes ~1 s)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr import RapidOCR

            _engine = RapidOCR(params={
                # The line classifier flips whole lines of upright forms; scans here are upright.
                "Global.use_cls": False,
                "Global.log_level": "critical",
                "EngineConfig.onnxruntime.intra_op_num_threads": THREADS,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            })
        return _engine


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------


def read_image(source: SourceFile) -> GridDocument:
    """A photo or scan saved as .png / .jpg → GridDocument."""
    _require_ocr(source)
    rgb, dpi = _load_image(source)
    page = ocr_page(rgb, 1, dpi)
    return layout.build_document(source.source_label, [page], "ocr", TOL_PT, PAD_PT)


def read_scanned_pdf_pages(source: SourceFile, numbers: list[int]) -> dict[int, PageLayout]:
    """Render the given 1-based pages of a PDF at 200 dpi and read them by OCR."""
    _require_ocr(source)
    import numpy as np
    import pypdfium2 as pdfium

    from formgen.intake.readers.pdf_reader import unreadable

    try:
        pdf = pdfium.PdfDocument(source.data)
    except Exception as exc:  # pdfium reports damage as PdfiumError
        raise unreadable(source, exc) from exc
    out: dict[int, PageLayout] = {}
    try:
        for n in numbers:
            try:
                page = pdf[n - 1]
                w, h = page.get_size()  # points
                scale = DPI / 72
                if w * h * scale * scale > MAX_PIXELS:  # a poster-sized page: read it coarser
                    scale = (MAX_PIXELS / (w * h)) ** 0.5
                rgb = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
                page.close()
            except Exception as exc:  # a page pdfium cannot render
                raise unreadable(source, exc) from exc
            out[n] = ocr_page(rgb, n, scale * 72)
    finally:
        pdf.close()
    return out


def _load_image(source: SourceFile) -> tuple["np.ndarray", float]:
    import numpy as np
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(source.data)) as im:
            if im.width * im.height > MAX_PIXELS:
                raise InputFileError(source.name, f"图片过大（{im.width}×{im.height} 像素），请缩小到 4000 万像素以内后重新发送",
                                     "too_large")
            im = ImageOps.exif_transpose(im)  # phone photos carry their rotation in EXIF
            if im.mode in ("RGBA", "LA", "P"):
                im = im.convert("RGBA")
                bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
                im = Image.alpha_composite(bg, im)
            rgb = np.asarray(im.convert("RGB"))
            dpi = _image_dpi(im)
    except InputFileError:
        raise
    except Image.DecompressionBombError as exc:
        raise InputFileError(source.name, "图片过大，请缩小到 4000 万像素以内后重新发送", "too_large") from exc
    except Exception as exc:  # PIL raises many kinds on damaged files
        raise InputFileError(source.name, "图片文件已损坏或格式无法识别，请重新拍照或扫描后发送", "corrupt") from exc
    return rgb, dpi


def _image_dpi(im) -> float:
    """The image's resolution, or the one that makes it an A4 page (a photo has none)."""
    dpi = im.info.get("dpi")
    try:
        if dpi and 50 <= float(dpi[0]) <= 1200:
            return float(dpi[0])
    except (TypeError, ValueError, IndexError):
        pass
    return max(im.width, im.height) / 11.69


# --------------------------------------------------------------------------
# one page
# --------------------------------------------------------------------------


def ocr_page(rgb: "np.ndarray", number: int, dpi: float) -> PageLayout:
    """Tables and outside lines of one page image, in PDF points."""
    gray = drop_red(rgb)
    gray = deskew(gray)
    h_mask, v_mask = ruling_masks(gray, dpi)
    pt = 72.0 / dpi
    h, v = mask_segments(h_mask, "h", pt), mask_segments(v_mask, "v", pt)
    tables = layout.find_tables(h, v, TOL_PT, page=number)
    # Rulings next to text read as 丨 or 1: blank them, inside tables only (a
    # long dash in running text outside is no ruling).
    clean = gray.copy()
    lines = h_mask | v_mask
    for t in tables:
        x0, y0 = max(0, int((t.x0 - TOL_PT) / pt)), max(0, int((t.y0 - TOL_PT) / pt))
        x1, y1 = int((t.x1 + TOL_PT) / pt) + 1, int((t.y1 + TOL_PT) / pt) + 1
        region = clean[y0:y1, x0:x1]
        region[lines[y0:y1, x0:x1] > 0] = 255
    pieces = ocr_pieces(clean, pt)
    outside = layout.assign_pieces(tables, pieces)
    return tables, layout.group_lines(outside, number)


def drop_red(rgb: "np.ndarray") -> "np.ndarray":
    """Grayscale page with red ink (seals) turned white.

    A seal over a date otherwise hides the date from the recogniser. Red
    pixels take their brightest channel, lifted by a fifth, so seal ink goes
    white while black text printed under the seal (dark in every channel)
    stays dark.
    """
    import cv2
    import numpy as np

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = ((hue <= 12) | (hue >= 160)) & (sat > 40)
    lifted = np.clip(val.astype(np.float32) * 1.2, 0, 255).astype(np.uint8)
    gray[red] = lifted[red]
    # The seal's rim blends with the paper in JPEG (unsaturated, mid-gray): clear
    # light pixels right around red ones too.
    rim = cv2.dilate(red.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))) > 0
    gray[rim & (val > 200)] = 255
    return gray


def _binary(gray: "np.ndarray") -> "np.ndarray":
    import cv2

    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def skew_angle(gray: "np.ndarray") -> float:
    """Skew in degrees, from the long near-horizontal strokes (table rulings)."""
    import cv2
    import numpy as np

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    bw = _binary(small)
    width = bw.shape[1]
    lines = cv2.HoughLinesP(bw, 1, np.pi / 360, threshold=width // 6, minLineLength=width // 4, maxLineGap=6)
    if lines is None:
        return 0.0
    # The angle comes from each segment's end points, so a coarse theta step only
    # affects which lines are found, not the precision.
    angles, weights = [], []
    for x1, y1, x2, y2 in np.asarray(lines).reshape(-1, 4):  # OpenCV 4: (N,1,4); 5: (N,4)
        a = np.degrees(np.arctan2(y2 - y1, x2 - x1))
        if abs(a) < 10:
            angles.append(a)
            weights.append(np.hypot(x2 - x1, y2 - y1))
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])  # weighted median


def deskew(gray: "np.ndarray") -> "np.ndarray":
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def ruling_masks(gray: "np.ndarray", dpi: float = DPI) -> tuple["np.ndarray", "np.ndarray"]:
    """Masks of the long horizontal and vertical strokes (morphological opening)."""
    import cv2

    bw = _binary(gray)
    # 0.3 inch: longer than a stroke of one or two characters of body text, shorter
    # than the side of the smallest cell. Rulings broken by noise or a seal come
    # back as pieces that layout.merge_segments re-joins.
    length = max(15, int(0.3 * dpi))
    h_mask = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    v_mask = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    return cv2.dilate(h_mask, grow), cv2.dilate(v_mask, grow)


def mask_segments(mask: "np.ndarray", orient: str, pt: float) -> list[Seg]:
    """Connected strokes of a line mask → ruling segments in points."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    segs = []
    for x, y, w, h, _area in stats[1:n]:
        if orient == "h":
            segs.append(Seg((y + h / 2) * pt, x * pt, (x + w) * pt))
        else:
            segs.append(Seg((x + w / 2) * pt, y * pt, (y + h) * pt))
    return segs


def ocr_pieces(gray: "np.ndarray", pt: float) -> list[Piece]:
    """Every recognised character as a Piece (in points) with its line's score."""
    import cv2
    import numpy as np

    res = engine()(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), use_det=True, use_cls=False, use_rec=True,
                   return_word_box=True, return_single_char_box=True)
    pieces: list[Piece] = []
    if not getattr(res, "txts", None):
        return pieces
    words = res.word_results
    if len(words) != len(res.txts):  # rapidocr drops lines without character boxes
        words = [None] * len(res.txts)
    for box, text, score, chars in zip(res.boxes, res.txts, res.scores, words):
        box = np.asarray(box, dtype=float)
        line_h = float(min(np.ptp(box[:, 1]), np.ptp(box[:, 0])))  # vertical text: the box is tall
        char_boxes = [c for c in chars if c and c[2] is not None] if chars else []
        if not char_boxes or "".join(c[0] for c in char_boxes) != text:
            # No usable character boxes: the whole line as one piece.
            pieces.append(Piece(box[:, 0].min() * pt, box[:, 1].min() * pt, box[:, 0].max() * pt,
                                box[:, 1].max() * pt, text, line_h * pt, float(score)))
            continue
        for ch, _s, cb in char_boxes:
            cb = np.asarray(cb, dtype=float)
            pieces.append(Piece(cb[:, 0].min() * pt, cb[:, 1].min() * pt, cb[:, 0].max() * pt,
                                cb[:, 1].max() * pt, ch, line_h * pt, float(score)))
    return pieces

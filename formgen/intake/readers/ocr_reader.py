"""Scans and photos → GridDocument (method "ocr").

A page image is cleaned (red seal ink removed, skew corrected), its table
rulings are found with OpenCV (long horizontal / vertical strokes), and the
text is read once per page with RapidOCR. Each recognised character goes to
the cell that holds its centre, so the grid — merged cells included — comes
from the rulings, not from guessing at text positions. The result uses the
same geometry code as the PDF reader (``layout``), in PDF points.

A phone photo (told from a scan by ``page_finder.looks_like_photo``) is first
flattened into a scan-like page — sheet found, perspective undone, light evened
out, tint removed (``page_finder``) — and turned upright when it was taken
sideways or upside down; a photo nobody can read (too dark, blurred, a screen,
half the page, no form) is refused with one line saying what to do. The page
image as read is kept (``GridDocument.page_images``) for the crops of values a
person must check (``formgen.intake.review``).

RapidOCR, onnxruntime and OpenCV are the optional extra ``formgen[ocr]``;
they are imported only here, on first use, and a missing extra gives a clean
"needs_ocr" error. The models ship inside the rapidocr wheel: nothing is
downloaded at run time.
"""
from __future__ import annotations

import io
import logging
import os
import threading
from typing import TYPE_CHECKING

from formgen.errors import InputFileError
from formgen.intake.grid import GridDocument
from formgen.intake.issued import current_tables
from formgen.intake.readers import layout
from formgen.intake.readers.cell_reader import read_known_page
from formgen.intake.readers.layout import GeoTable, Piece, Seg, TextLine
from formgen.intake.readers.pdf_errors import unreadable
from formgen.intake.result import SourceFile

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

DPI = 200  # scans are rendered / assumed at this resolution
MAX_PIXELS = 40_000_000  # decompression-bomb guard (an A4 page at 600 dpi is 35 MP)
TOL_PT = 3.6  # rulings closer than this (≈10 px at 200 dpi) are one ruling
PAD_PT = 2.0
THREADS = 2  # the machines this runs on have 2 cores
THREADS_ENV = "FORMGEN_OCR_THREADS"  # set by collect's process pool: cores shared among its workers
DET_SIDE = 1280  # px: the longest side of the page the text detector looks at

PageLayout = tuple[list[GeoTable], list[TextLine]]

NEEDS_OCR = "是扫描件或图片（没有文字层），需要先安装文字识别组件：pip install formgen[ocr]"

NEEDS_HEIF = "是 HEIC 格式的照片（iPhone），需要先安装 HEIC 组件：pip install formgen[ocr]；或请让报送单位改发 JPG 照片"

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
                "EngineConfig.onnxruntime.intra_op_num_threads": int(os.environ.get(THREADS_ENV) or THREADS),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                # Text is found on the page at most DET_SIDE px long (the detector's cost
                # grows with the pixels; lines on a form are big enough for it there) and
                # read from the page at full size.
                "Det.limit_type": "max",
                "Det.limit_side_len": DET_SIDE,
            })
            _quiet_sessions(_engine)
        return _engine


def _quiet_sessions(eng) -> None:
    """Reopen the detector's and recogniser's onnxruntime sessions with idle worker threads
    that sleep instead of spinning: on a machine shared by several processes, spinning
    threads burn a core each between the many small recogniser runs, for no speed."""
    import onnxruntime as ort

    threads = int(os.environ.get(THREADS_ENV) or THREADS)
    try:
        models = (eng._load_det_model(), eng._load_rec_model())  # rapidocr loads them lazily
        for model in models:
            old = model.session.session
            opts = ort.SessionOptions()
            opts.log_severity_level = 4
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            model.session.session = ort.InferenceSession(old._model_path, sess_options=opts,
                                                         providers=["CPUExecutionProvider"])
    except (AttributeError, TypeError):  # another rapidocr layout: keep its own sessions
        log.debug("rapidocr sessions kept as they are", exc_info=True)


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------


def read_image(source: SourceFile) -> GridDocument:
    """A photo or scan saved as .png / .jpg → GridDocument."""
    _require_ocr(source)
    page, images = read_image_layout(source)
    doc = layout.build_document(source.source_label, [page], "ocr", TOL_PT, PAD_PT)
    doc.page_images = images
    return doc


def read_image_layout(source: SourceFile) -> tuple[PageLayout, dict]:
    """One image as page 1: its tables and lines, and the page image kept for crops."""
    _require_ocr(source)
    rgb, dpi = _load_image(source)
    flat, dpi = flatten_photo(source, rgb, dpi)
    images: dict = {}
    page = read_photo_page(flat, 1, dpi, images) if flat is not rgb else ocr_page(rgb, 1, dpi, keep=images)
    return page, images


def flatten_photo(source: SourceFile, rgb: "np.ndarray", dpi: float, page: int | None = None) -> tuple["np.ndarray", float]:
    """A phone photo → the flat, evenly lit page at DPI, as a scanner would give it;
    a scan is returned as it is. A photo nobody can read → InputFileError saying why."""
    from formgen.intake.readers import page_finder as pf

    if not pf.looks_like_photo(rgb):
        return rgb, dpi
    where = f"第{page}页" if page else ""
    try:
        problem = pf.quality_problem(rgb)
        if problem:
            raise problem
        fit = pf.find_page(rgb)
        size = fit.size_px(DPI)
        flat = pf.even_light(pf.rectify(rgb, fit, size))
        gray = drop_red(flat)
        problem = pf.blur_problem(gray, pf.detail(fit, size))
        if problem:
            raise problem
    except pf.PhotoProblem as exc:
        raise InputFileError(source.name, where + exc.message, f"photo_{exc.kind}") from None
    return flat, float(DPI)


def read_photo_page(flat: "np.ndarray", number: int, dpi: float, keep: dict | None = None) -> PageLayout:
    """A flattened photo read upright. Most photos are taken upright and read as they are;
    when the recogniser was unsure of most of the page (text sideways or upside down
    reads as low-confidence noise), the page's text direction is measured and, if the
    page lies turned, it is turned back and read again."""
    import numpy as np

    page = ocr_page(flat, number, dpi, photo=True, keep=keep)
    if _mean_confidence(page) >= UPRIGHT_CONFIDENCE:
        return page
    turns = upright_turns(drop_red(flat))
    if not turns:
        return page
    return ocr_page(np.ascontiguousarray(np.rot90(flat, turns)), number, dpi, photo=True, keep=keep)


UPRIGHT_CONFIDENCE = 0.85  # upright photos read ≥ 0.95 on average; turned pages ≈ 0.6–0.8


def _mean_confidence(page: PageLayout) -> float:
    tables, lines = page
    confs = [c for ln in lines for c in ln.confidences]
    confs += [c for t in tables for cell in t.cells for ln in cell.lines for c in ln.confidences]
    return sum(confs) / len(confs) if len(confs) >= 20 else 0.0


def upright_turns(gray: "np.ndarray") -> int:
    """Quarter turns (numpy ``rot90``, counter-clockwise) that make a flattened page's text
    upright: a photo taken sideways or upside down.

    Text lines are found on a third-size copy: lines taller than wide mean the page lies
    on its side (turn it a quarter); then the recogniser's direction classifier votes,
    weighted by its certainty, on the widest lines: upside down or not.
    """
    import cv2
    import numpy as np

    eng = engine()
    small = cv2.resize(gray, None, fx=1 / 3, fy=1 / 3, interpolation=cv2.INTER_AREA)

    def boxes(img):
        res = eng(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR), use_det=True, use_cls=False, use_rec=False)
        b = np.asarray(res.boxes if res.boxes is not None else [], dtype=float).reshape(-1, 4, 2)
        return b, np.ptp(b[:, :, 0], axis=1) if len(b) else np.zeros(0), np.ptp(b[:, :, 1], axis=1) if len(b) else np.zeros(0)

    b, w, h = boxes(small)
    turns = 0
    if (h > 1.5 * w).sum() > 2 * max(1, (w > 1.5 * h).sum()):
        turns = 1
        small = np.ascontiguousarray(np.rot90(small, 1))
        gray = np.rot90(gray, 1)
        b, w, h = boxes(small)
    wide = [i for i in np.argsort(-w) if w[i] > 2 * h[i]][:12]
    if not wide:
        return turns
    page = cv2.cvtColor(np.ascontiguousarray(gray), cv2.COLOR_GRAY2BGR)
    crops = []
    for i in wide:
        (x0, y0), (x1, y1) = (b[i].min(0) * 3).astype(int), (b[i].max(0) * 3).astype(int)
        crops.append(page[max(0, y0 - 3):y1 + 3, max(0, x0 - 3):x1 + 3])
    _, cls = eng.cls_and_rotate(crops)
    flipped = sum(float(sc) for label, sc in cls.cls_res if label == "180")
    upright = sum(float(sc) for label, sc in cls.cls_res if label != "180")
    return (turns + 2) % 4 if flipped > 1.5 * upright else turns


def read_scanned_pdf_pages(source: SourceFile, numbers: list[int], images: dict | None = None) -> dict[int, PageLayout]:
    """Render the given 1-based pages of a PDF at 200 dpi and read them by OCR (a page that
    is a phone photo is flattened first); ``images`` receives each page's image as read."""
    _require_ocr(source)
    import numpy as np
    import pypdfium2 as pdfium

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
                scale = max(DPI / 72, _native_scale(page, w, h))
                if w * h * scale * scale > MAX_PIXELS:  # a poster-sized page: read it coarser
                    scale = (MAX_PIXELS / (w * h)) ** 0.5
                rgb = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
                page.close()
            except Exception as exc:  # a page pdfium cannot render
                raise unreadable(source, exc) from exc
            flat, dpi = flatten_photo(source, rgb, scale * 72, n if len(numbers) > 1 else None)
            out[n] = read_photo_page(flat, n, dpi, images) if flat is not rgb else ocr_page(rgb, n, dpi, keep=images)
    finally:
        pdf.close()
    return out


def _native_scale(page, w: float, h: float) -> float:
    """A page that is one big picture (a phone photo saved as PDF): the scale that
    renders it at the picture's own resolution, so none of the photo's detail is lost."""
    try:
        import pypdfium2.raw as pdfium_c

        best = 0.0
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=1):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) > 0.6 * w * h:
                px_w, _px_h = obj.get_px_size()
                best = max(best, px_w / max(right - left, 1.0))
        return min(best, 600 / 72)
    except Exception:  # an odd image object: the default resolution will do
        return 0.0


def _load_image(source: SourceFile) -> tuple["np.ndarray", float]:
    import numpy as np
    from PIL import Image, ImageOps

    if source.data[4:8] == b"ftyp":  # HEIC (iPhone): PIL reads it through pillow-heif
        try:
            import pillow_heif
        except ImportError:
            raise InputFileError(source.name, NEEDS_HEIF, "needs_ocr") from None
        pillow_heif.register_heif_opener()
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


def ocr_page(rgb: "np.ndarray", number: int, dpi: float, photo: bool = False, keep: dict | None = None) -> PageLayout:
    """Tables and outside lines of one page image, in PDF points. ``photo``: a flattened
    phone photo, whose rulings come out thin and faint (lens blur, JPEG, a seal lifted
    off them): fainter strokes count as ink when the long strokes are looked for."""
    gray = drop_red(rgb)
    gray = deskew(gray)
    if keep is not None:  # the page as read (150 dpi at 200): crops of values to check come from it
        import cv2

        keep[number] = (cv2.resize(gray, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA), 0.75 * dpi / 72)
    h_mask, v_mask = ruling_masks(gray, dpi, faint=photo)
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
    issued = current_tables()
    if issued:  # a form formgen issued: only its answer cells are read (cell_reader); else the whole page
        known = read_known_page(clean, tables, pt, number, issued, ocr_pieces, recognise_line, spread=photo)
        if known is not None:
            return known
    pieces = ocr_pieces(clean, pt, spread=photo)
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


def _binary(gray: "np.ndarray", c: int = 15) -> "np.ndarray":
    import cv2

    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, c)


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
    coarse = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])  # weighted median
    return _refine_skew(bw, coarse)


def _refine_skew(bw: "np.ndarray", coarse: float) -> float:
    """The angle near ``coarse`` at which the rows' ink is most concentrated.

    Hough segments of a slightly tilted ruling come back as short staircase pieces
    whose end points are a few tenths of a degree off (OpenCV 5 more so than 4), so the
    segment median is only a start: the page is turned by candidate angles and the one
    that makes the horizontal projection sharpest (rulings in single rows) wins.
    """
    import cv2
    import numpy as np

    h, w = bw.shape
    # Only horizontal strokes vote: text lines would pull towards their own baselines.
    ink = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1))).astype(np.float32)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0).sum(axis=1, dtype=np.float64)
        return float((rows * rows).sum())

    best = coarse
    for span, step in ((1.0, 0.1), (0.1, 0.02)):
        best = float(max(np.arange(best - span, best + span + 1e-9, step), key=sharpness))
    # Within 0.15° the segment median is as good as deskew needs (a ruling then drifts by
    # under a pixel per 400), and the scan path was tuned on it: only a clear miss is replaced.
    return round(best, 3) if abs(best - coarse) > 0.15 else coarse


def deskew(gray: "np.ndarray") -> "np.ndarray":
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def ruling_masks(gray: "np.ndarray", dpi: float = DPI, faint: bool = False) -> tuple["np.ndarray", "np.ndarray"]:
    """Masks of the long horizontal and vertical strokes (morphological opening).
    ``faint``: strokes only a little darker than the paper count too (photos)."""
    import cv2

    bw = _binary(gray, 6 if faint else 15)
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


def ocr_pieces(gray: "np.ndarray", pt: float, spread: bool = False) -> list[Piece]:
    """Every recognised character as a Piece (in points) with its line's score.

    ``spread``: a line without usable character boxes is cut into characters placed
    along its box by their widths (CJK full, Latin half), so that a line the detector
    ran across a ruling (label and value side by side) still lands in two cells."""
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
        usable = bool(char_boxes) and "".join(c[0] for c in char_boxes) == text
        if spread and not usable and char_boxes and "".join(c[0] for c in char_boxes) == "".join(text.split()):
            usable = True  # the recogniser's spaces have no boxes of their own
        if spread and not usable and len(text) > 1:
            pieces.extend(_spread_line(box, text, line_h, float(score), pt))
            continue
        if not usable:
            # No usable character boxes: the whole line as one piece.
            pieces.append(Piece(box[:, 0].min() * pt, box[:, 1].min() * pt, box[:, 0].max() * pt,
                                box[:, 1].max() * pt, text, line_h * pt, float(score)))
            continue
        for ch, _s, cb in char_boxes:
            cb = np.asarray(cb, dtype=float)
            pieces.append(Piece(cb[:, 0].min() * pt, cb[:, 1].min() * pt, cb[:, 0].max() * pt,
                                cb[:, 1].max() * pt, ch, line_h * pt, float(score)))
    return pieces


def recognise_line(gray: "np.ndarray") -> tuple[str, float]:
    """One line of text (a grayscale crop) through the recogniser alone: (text, score)."""
    import cv2
    from rapidocr.ch_ppocr_rec import TextRecInput

    out = engine()._load_rec_model()(TextRecInput(img=[cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)]))
    if not out.txts:
        return "", 0.0
    return str(out.txts[0]), float(out.scores[0])


def _spread_line(box: "np.ndarray", text: str, line_h: float, score: float, pt: float) -> list[Piece]:
    """A horizontal line's characters at the places their widths give them along its box."""
    x0, x1 = float(box[:, 0].min()), float(box[:, 0].max())
    y0, y1 = float(box[:, 1].min()), float(box[:, 1].max())
    if y1 - y0 > x1 - x0:  # vertical text: one piece, as before
        return [Piece(x0 * pt, y0 * pt, x1 * pt, y1 * pt, text, line_h * pt, score)]
    widths = [1.0 if layout.is_wide(ch) else 0.5 for ch in text]
    unit = (x1 - x0) / (sum(widths) or 1.0)
    out, x = [], x0
    for ch, w in zip(text, widths):
        out.append(Piece(x * pt, y0 * pt, (x + w * unit) * pt, y1 * pt, ch, line_h * pt, score))
        x += w * unit
    return out

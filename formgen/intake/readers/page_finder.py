"""Find the sheet of paper in a phone photo and flatten it into a scan-like page.

A phone photo shows the page on a desk, in perspective, rolled a few degrees,
with uneven light, a shadow and warm paper. This module turns it into what a
scanner would have produced, so that the page goes through the same reader as
a scan (``ocr_reader.ocr_page``):

    fit = find_page(rgb)                 # PageFit, or raises PhotoProblem
    page = rectify(rgb, fit, fit.size_px(200))
    page = even_light(page)              # white paper, no shadow, no tint

The page is found by its paper edges (bright sheet on a darker desk); when the
paper fills the frame or its edge is cut off, by the form's outer ruling (the
closed frame of its table). ``looks_like_photo`` tells a photo from a scan by
image evidence (desk around the page, uneven light), so scans keep their path.
``quality_problem`` rejects photos nobody can read (too dark, blurred, a photo
of a screen).

Pure numpy + OpenCV (the ``formgen[ocr]`` extra); nothing here knows formgen's
files or forms, so the ballot reader can reuse it as it is. Coordinates are
image pixels, x to the right, y down; corners run TL, TR, BR, BL.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

A4_MM = (210.0, 297.0)
WORK_SIDE = 900  # px: the long side the page is searched at
RULING_TOP_MARGIN = 0.12  # share of the frame's height kept above it (title, "推荐单位：…")
RULING_SIDE_MARGIN = 0.05


class PhotoProblem(Exception):
    """A photo that cannot be read: ``kind`` for programs, ``message`` (Chinese: what is
    wrong and what to do) for people. The caller adds the file name."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


TOO_DARK = "照片太暗，无法识别，请在光线充足处重新拍摄"
TOO_BLURRED = "照片模糊，无法识别，请对准表格、保持手机稳定后重新拍摄"
SCREEN = "照片是对着屏幕拍的（有摩尔纹），无法准确识别，请直接发送原文件，或拍摄纸质表格"
HALF_PAGE = "照片只拍到了表格的一部分，请重新拍摄，使整页在画面内"
NOT_A_FORM = "照片中没有找到表格页面，请确认发送的是填好的表格，并使整页在画面内重新拍摄"


@dataclass(frozen=True)
class PageFit:
    """Where the page is in the photo.

    ``corners``: the quadrilateral (TL, TR, BR, BL, float photo pixels) that maps to the
    rectangle ``target`` (x0, y0, x1, y1) of a page whose size is ``page_mm`` —
    the paper's own corners map to the whole page, the form's outer ruling to the
    frame's place on it.
    """

    corners: np.ndarray
    how: str  # "paper" or "ruling"
    page_mm: tuple[float, float]  # (width, height)
    target_mm: tuple[float, float, float, float]

    @property
    def landscape(self) -> bool:
        return self.page_mm[0] > self.page_mm[1]

    def size_px(self, dpi: float) -> tuple[int, int]:
        """(width, height) of the flattened page at ``dpi``."""
        return round(self.page_mm[0] / 25.4 * dpi), round(self.page_mm[1] / 25.4 * dpi)

    def homography(self, size_px: tuple[int, int]) -> np.ndarray:
        """3×3 matrix taking photo pixels to pixels of a page of ``size_px``."""
        sx, sy = size_px[0] / self.page_mm[0], size_px[1] / self.page_mm[1]
        x0, y0, x1, y1 = self.target_mm
        dst = np.float32([[x0 * sx, y0 * sy], [x1 * sx, y0 * sy], [x1 * sx, y1 * sy], [x0 * sx, y1 * sy]])
        return cv2.getPerspectiveTransform(np.float32(self.corners), dst)


# --------------------------------------------------------------------------
# photo or scan
# --------------------------------------------------------------------------


def _small(image: np.ndarray, side: int = WORK_SIDE) -> tuple[np.ndarray, float]:
    """Grayscale copy whose long side is ``side`` px, and the factor back to the original."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    f = side / max(gray.shape)
    if f >= 1:
        return gray.copy(), 1.0
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), 1 / f


def looks_like_photo(image: np.ndarray) -> bool:
    """A photo (desk around the sheet, or light that falls off across the page), not a scan.

    A scan is paper to its edges under even light: its border is as bright as its
    middle and its paper brightness is flat. Ink is removed (closing) before the
    paper's brightness is measured.
    """
    gray, _ = _small(image, 400)
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    h, w = paper.shape
    b = max(4, int(0.04 * min(h, w)))
    ring = np.concatenate([paper[:b].ravel(), paper[-b:].ravel(), paper[:, :b].ravel(), paper[:, -b:].ravel()])
    centre = paper[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    mid = float(np.median(centre)) or 1.0
    if np.percentile(ring, 25) < 0.75 * mid:
        return True  # a desk shows along the border
    lo, hi = np.percentile(paper, [5, 95])
    return hi > 0 and lo / hi < 0.72  # shade across the sheet


# --------------------------------------------------------------------------
# finding the page
# --------------------------------------------------------------------------


def _order(pts: np.ndarray) -> np.ndarray:
    """Four points → TL, TR, BR, BL."""
    pts = np.asarray(pts, dtype=np.float64).reshape(4, 2)
    s, d = pts.sum(1), pts[:, 0] - pts[:, 1]
    return np.array([pts[s.argmin()], pts[d.argmax()], pts[s.argmax()], pts[d.argmin()]])


def _quad(contour: np.ndarray, clipped: bool = False) -> np.ndarray | None:
    """The four corners of a roughly quadrilateral contour (TL, TR, BR, BL). A contour
    cut by the image border (``clipped``) has a fifth vertex where the cut is: its
    corners are taken as the extremes along the diagonals, and ``_refine`` moves the
    cut corner out to where its sides meet."""
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in () if clipped else (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return _order(approx)
    pts = hull.reshape(-1, 2).astype(np.float64)
    s, d = pts.sum(1), pts[:, 0] - pts[:, 1]  # the extremes along the diagonals
    q = np.array([pts[s.argmin()], pts[d.argmax()], pts[s.argmax()], pts[d.argmin()]])
    return q if len({tuple(p) for p in q}) == 4 else None


def _refine(quad: np.ndarray, contour: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Corners as intersections of lines fitted to each side's contour points (sub-pixel);
    points on the image border are no side of the sheet."""
    pts = contour.reshape(-1, 2)
    h, w = shape
    pts = pts[(pts[:, 0] > 2) & (pts[:, 1] > 2) & (pts[:, 0] < w - 3) & (pts[:, 1] < h - 3)].astype(np.float32)
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        ab = b - a
        length = float(np.hypot(*ab)) or 1.0
        t = ((pts - a) @ ab) / length ** 2
        dist = np.abs((pts[:, 0] - a[0]) * ab[1] - (pts[:, 1] - a[1]) * ab[0]) / length
        near = pts[(t > 0.1) & (t < 0.9) & (dist < 0.02 * length + 2)]
        if len(near) < 5:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((float(vx), float(vy), float(x0), float(y0)))
    out = []
    for i in range(4):
        (v1x, v1y, x1, y1), (v2x, v2y, x2, y2) = lines[i - 1], lines[i]
        det = v1x * (-v2y) - v1y * (-v2x)
        if abs(det) < 1e-6:
            return quad
        t = ((x2 - x1) * (-v2y) - (y2 - y1) * (-v2x)) / det
        out.append((x1 + t * v1x, y1 + t * v1y))
    out = np.array(out)
    return out if np.abs(out - quad).max() < 0.15 * max(np.ptp(quad[:, 0]), np.ptp(quad[:, 1])) else quad


def _touches_border(contour: np.ndarray, shape: tuple[int, int], margin: int = 3) -> float:
    """Share of the contour's points lying on the image border."""
    pts = contour.reshape(-1, 2)
    h, w = shape
    on = (pts[:, 0] <= margin) | (pts[:, 1] <= margin) | (pts[:, 0] >= w - 1 - margin) | (pts[:, 1] >= h - 1 - margin)
    return float(on.mean())


def _share_in_picture(quad: np.ndarray, shape: tuple[int, int]) -> float:
    """Share of the quad's area inside the picture."""
    h, w = shape
    pad = max(h, w)
    canvas = np.zeros((h + 2 * pad, w + 2 * pad), np.uint8)
    cv2.fillConvexPoly(canvas, np.int32(np.round(quad + pad)), 1)
    total = int(canvas.sum())
    return float(canvas[pad:pad + h, pad:pad + w].sum()) / total if total else 0.0


def _sides(q: np.ndarray) -> tuple[float, float]:
    """Mean width and height of a quad (TL, TR, BR, BL)."""
    w = (np.hypot(*(q[1] - q[0])) + np.hypot(*(q[2] - q[3]))) / 2
    h = (np.hypot(*(q[3] - q[0])) + np.hypot(*(q[2] - q[1]))) / 2
    return float(w), float(h)


def _paper(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The sheet: (its quad, its contour) in ``gray``'s pixels, or None."""
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    # Ink would punch holes in the sheet; closing fills them before thresholding.
    blur = cv2.morphologyEx(blur, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bw = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    contours, _ = cv2.findContours(bw, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    if area < 0.15 * gray.size:
        return None
    q = _quad(c, _touches_border(c, gray.shape) > 0.005)
    if q is None:
        return None
    # A sheet fills the quad it spans; a blob of light (a lamp, a wall) does not.
    if area < 0.85 * cv2.contourArea(np.float32(q)):
        return None
    return q, c


def _ruling_frame(gray: np.ndarray, sheet: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """The form's outer table frame: (its quad, its contour), or None. With the sheet's
    contour given, only rulings inside the sheet count (its own edge is no ruling)."""
    bw = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)
    if sheet is not None:
        inside = np.zeros(gray.shape, np.uint8)
        cv2.drawContours(inside, [sheet], -1, 255, -1)
        bw &= cv2.erode(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    n = max(gray.shape) // 25  # long strokes only; short enough to survive a few degrees of roll
    h = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    v = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    lines = cv2.dilate(h | v, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    if cv2.contourArea(cv2.convexHull(c)) < 0.03 * gray.size:
        return None
    q = _quad(c)
    return (q, c) if q is not None else None


def find_page(image: np.ndarray) -> PageFit:
    """Locate the page in a photo (RGB or grayscale array).

    The sheet's edges when the whole sheet is in the picture, else the form's outer
    ruling when that frame is whole; PhotoProblem (HALF_PAGE / NOT_A_FORM) otherwise.
    """
    gray, back = _small(image)
    paper = _paper(gray)
    frame = _ruling_frame(gray, paper[1] if paper is not None else None)
    # (within the sheet's eroded outline, a frame cut by the picture's edge stops ~8 px short of it)
    if frame is not None and _touches_border(frame[1], gray.shape, 12) > 0.0:
        raise PhotoProblem("half_page", HALF_PAGE)  # the form itself runs out of the picture
    if paper is not None:
        quad = _refine(paper[0], paper[1], gray.shape)
        # A sheet whose corner is cut off is still the page when what is cut is margin
        # (little of it, or the form on it is whole); a sheet filling the picture has no
        # edges to go by.
        shown = _share_in_picture(quad, gray.shape)
        edges_seen = _touches_border(paper[1], gray.shape) < 0.25
        if edges_seen and (shown > 0.97 or (frame is not None and shown > 0.8)):
            quad = quad * back
            w, h = _sides(quad)
            page = A4_MM if h >= w else A4_MM[::-1]
            return PageFit(quad, "paper", page, (0.0, 0.0, *page))
    if frame is None:  # no table anywhere (a cut-off table has a frame touching the edge, above)
        raise PhotoProblem("not_a_form", NOT_A_FORM)
    quad = _refine(frame[0], frame[1], gray.shape) * back
    w, h = _sides(quad)
    # The frame of a form is about the text width of an A4 page; the page around it is
    # kept so that the title and the lines above the table are read too.
    tw = 170.0 if h >= w else 257.0
    th = tw * h / w
    top, side = RULING_TOP_MARGIN * th, RULING_SIDE_MARGIN * tw
    page = (tw + 2 * side, th + top + side)
    return PageFit(quad, "ruling", page, (side, top, side + tw, top + th))


# --------------------------------------------------------------------------
# flattening
# --------------------------------------------------------------------------


def rectify(image: np.ndarray, fit: PageFit, size_px: tuple[int, int]) -> np.ndarray:
    """The page of ``fit`` warped flat to ``size_px`` (width, height); outside the photo is white."""
    white = (255,) * (1 if image.ndim == 2 else image.shape[2])
    return cv2.warpPerspective(image, fit.homography(size_px), size_px, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=white)


def paper_light(image: np.ndarray) -> np.ndarray:
    """The paper's brightness without the ink, per channel, at full size (uint8)."""
    h, w = image.shape[:2]
    f = 300 / max(h, w)
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))  # the brightest nearby: paper
    bg = cv2.GaussianBlur(bg, (0, 0), 6)
    return cv2.resize(np.maximum(bg, 8), (w, h), interpolation=cv2.INTER_LINEAR)


def even_light(image: np.ndarray) -> np.ndarray:
    """Divide out the light: the paper becomes white everywhere (shadow and warm tint gone,
    each channel scaled by its own paper brightness), ink keeps its colour (a red seal stays red)."""
    flat = cv2.divide(image, paper_light(image), scale=255)
    # Ink under weak light comes out gray after the division: stretch so that paper
    # stays white and the darkest ink gets near black.
    sample = flat[::4, ::4]
    lo = min(float(np.percentile(sample.min(axis=2) if sample.ndim == 3 else sample, 0.5)), 150.0)
    hi = 247.0
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * 255 / (hi - lo), 0, 255).astype(np.uint8)
    return cv2.LUT(flat, lut)


# --------------------------------------------------------------------------
# photos nobody can read
# --------------------------------------------------------------------------


def quality_problem(image: np.ndarray, fit: PageFit | None = None) -> PhotoProblem | None:
    """TOO_DARK / SCREEN for the photo as taken (``blur_problem`` judges the flattened page)."""
    gray, back = _small(image, 1200)
    if fit is not None:
        mask = np.zeros(gray.shape, np.uint8)
        cv2.fillConvexPoly(mask, np.int32(fit.corners / back), 1)
        region = gray[mask > 0]
    else:
        region = gray.ravel()
    if region.size and np.percentile(region, 90) < DARK_BAR:
        return PhotoProblem("too_dark", TOO_DARK)
    if moire_score(image) > MOIRE_BAR:
        return PhotoProblem("screen", SCREEN)
    return None


DARK_BAR = 70  # the brightest tenth of the page darker than this: no paper white left to read against
MOIRE_BAR = 40.0  # printed paper: < 15; a monitor's pixel grid: > 100
BLUR_BAR = 0.55  # sharp photos: ≈ 0.95; blurred by σ 1.5 px: 0.8 (still read well); by σ 5 px: 0.4


def moire_score(image: np.ndarray) -> float:
    """How strongly one fine periodic pattern stands out at the finest frequencies of the
    photo (a screen's pixel grid beating with the camera's): the strongest peak over the
    99th percentile of that band, on a full-resolution tile from the middle. Print on
    paper has no such isolated peak; rows of text and rulings sit on the axes, left out."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    n = min(512, h, w) // 2 * 2
    if n < 64:
        return 0.0
    tile = gray[h // 2 - n // 2: h // 2 + n // 2, w // 2 - n // 2: w // 2 + n // 2].astype(np.float32)
    tile = (tile - tile.mean()) * np.outer(np.hanning(n), np.hanning(n))
    spec = np.abs(np.fft.fftshift(np.fft.fft2(tile)))
    yy, xx = np.mgrid[:n, :n]
    fy, fx = (yy - n // 2) / n, (xx - n // 2) / n
    r = np.hypot(fx, fy)
    band = (r > 0.3) & (r < 0.5) & (np.abs(fx) > 3 / n) & (np.abs(fy) > 3 / n)
    vals = spec[band]
    return float(vals.max() / (np.percentile(vals, 99) + 1e-6))


def sharpness(page_gray: np.ndarray, detail: float = 1.0) -> float:
    """How sharp the ink of a flattened page is: the mean gradient at its strongest ink
    edges over the ink's contrast (≈ 1 for a crisp edge whatever the ink's darkness; a
    smear spreads the step and lowers it). A page with almost no ink counts as sharp.

    Judged at half the page's resolution, or at the photo's own when that is lower
    (``detail``: photo pixels per page pixel): a small photo enlarged to the page's
    size is soft, not blurred."""
    f = min(0.5, detail)
    g = cv2.resize(page_gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA).astype(np.float32)
    dark = g < 160
    if dark.mean() < 0.002:
        return 1.0
    mag = cv2.magnitude(cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3))
    # The strongest fifth of the gradients around the ink: on a page with little ink,
    # the strongest pixels of the whole page would be paper noise.
    near = mag[cv2.dilate(dark.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0]
    edge = near[near > np.percentile(near, 80)]
    contrast = float(np.percentile(g[::2, ::2], 95) - np.percentile(g[dark], 20)) or 1.0
    return float(np.mean(edge)) / (4 * contrast)  # a step edge: Sobel peak = 4 × contrast


def blur_problem(page_gray: np.ndarray, detail: float = 1.0) -> PhotoProblem | None:
    """TOO_BLURRED when the flattened page's ink has no sharp edges (``detail``: see ``sharpness``)."""
    return PhotoProblem("too_blurred", TOO_BLURRED) if sharpness(page_gray, detail) < BLUR_BAR else None


def detail(fit: PageFit, size_px: tuple[int, int]) -> float:
    """Photo pixels per pixel of the flattened page (< 1: the photo was enlarged)."""
    w, h = _sides(fit.corners)
    x0, y0, x1, y1 = fit.target_mm
    tw = (x1 - x0) / fit.page_mm[0] * size_px[0]
    th = (y1 - y0) / fit.page_mm[1] * size_px[1]
    return min(w / tw, h / th)

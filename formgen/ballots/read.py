"""Reading returned ballots: page images → sheet code and the mark in every row.

Pure image work (numpy/OpenCV), no OCR. For each page image:

1. the ink channel: the red channel of a colour image (blue and black pen and
   pencil are dark in it, a red official stamp all but vanishes), else grey;
2. the four registration marks: contours with a ring-in-ring hierarchy and the
   area ratios of the printed finder pattern (a pen mark in a box has neither);
3. the homography from the marks' printed positions; each of the four corner
   orders is tried and only the right one yields a code bar whose CRC checks,
   so upside-down and sideways pages read the same;
4. the page warped to 5 px/mm, paper level divided out (uneven light in
   photos), each row's boxes re-registered against the printed box outlines
   (creases, lens distortion), then the share of inked pixels inside each box.

A box is marked above ``MARKED``, empty below ``EMPTY``; anything between is
unsure and the row is flagged with its crop, never guessed.

The share is taken twice: over the box's core (``INSET`` clear of the printed
outline), and over nearly the whole inside with the printed outline's straight
strokes taken out. A ○ drawn inside the box runs close to the outline, mostly
outside the core; its ink is counted by the second, which is worth as much as
the core's share once it holds more than a stray pixel's worth (``RIM_SLACK``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Callable

import cv2
import numpy as np

from formgen.ballots import layout as L
from formgen.ballots.code import NBITS, SheetCode, decode
from formgen.ballots.settings import BallotRating, BallotSettings

PX = 5.0  # canonical pixels per mm
WORK_MAX = 2000  # longest side of the working image
DETECT_MAX = 1100  # …and of the image the registration marks are searched in
INK_DARK = 0.28  # a pixel is ink when this much darker than the paper around it
MARKED = 0.075  # share of inked pixels in a box's inside: a mark
EMPTY = 0.003  # …and below this: empty
SCRIBBLED = 0.7  # a box this full, next to a lighter mark, may be a crossed-out choice
INSET = 1.25  # mm kept clear of the printed box outline
RIM_INSET = 0.35  # mm: the wider measure reaches this close to the outline…
RIM_BAND = 0.9  # …and within this of the outline, straight strokes (the outline itself) are not ink
RIM_SLACK = 0.25  # mm² of ink in the wider measure that is outline residue or dust, not a mark
MIN_PX_PER_MM = 3.5  # below this (≈90 dpi) a pencil tick and a faint touch look alike: the page is refused


@dataclass
class RowRead:
    index: int  # row on the page, 0-based
    number: int  # 序号 printed on the ballot
    subject: str
    status: str  # "ok" | "empty" | "multiple" | "flagged"
    level: str | None  # ok: the level; flagged: the suggested level, if any
    reason: str = ""  # Chinese, for empty/multiple/flagged
    inks: list[float] = field(default_factory=list)
    crop_png: bytes | None = None  # the row as read, for flagged rows


@dataclass
class PageRead:
    file: str
    page: int  # 1-based page within the file
    code: SheetCode | None = None
    rating: BallotRating | None = None
    group: str = ""
    rows: list[RowRead] = field(default_factory=list)
    problem: str | None = None  # one Chinese line when the page cannot be read
    problem_kind: str = ""  # "blank" | "not_ballot" | "partial" | "bad_code" | "foreign"
    # row index → the row's crop (PNG), while the page image is at hand (a conflict needs any row's)
    crop_of: Callable[[int], bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> str:
        """The tally source of this page: the sheet, not the file, so a rescan replaces it."""
        c = self.code
        return f"{self.rating.id}:票号{c.serial:04d}第{c.page + 1}页" if c and self.rating else ""

    @property
    def where(self) -> str:
        return f"{self.file} 第{self.page}页"


# ---------------------------------------------------------------------------- image → ink


def ink_channel(img: np.ndarray) -> np.ndarray:
    if img.ndim == 3:
        if img.shape[2] == 4:
            img = img[:, :, :3]
        return np.ascontiguousarray(img[:, :, 2])  # red channel of BGR
    return img


def _working(img: np.ndarray) -> tuple[np.ndarray, float]:
    """The image at most WORK_MAX px long, and its scale to the original."""
    side0 = max(img.shape[:2])
    while max(img.shape[:2]) > 2 * WORK_MAX:
        img = cv2.pyrDown(img)  # exact halving: fast and anti-aliased
    h, w = img.shape[:2]
    f = min(1.0, WORK_MAX / max(h, w))
    if f < 1.0:  # a mild step: linear is enough and much faster than area averaging
        img = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_LINEAR)
    return img, max(img.shape[:2]) / side0


# ---------------------------------------------------------------------------- registration marks


def find_fiducials(gray: np.ndarray) -> list[tuple[float, float, float]]:
    """(x, y, size) of every finder pattern in a grey image (searched at ≤1100 px, for speed)."""
    found: list[tuple[float, float, float]] = []
    for cands in fiducial_candidates(gray):
        found = _dedupe(found + cands)
    return found


def fiducial_candidates(gray: np.ndarray):
    """Candidate lists from several binarisations, cheapest and likeliest first."""
    h, w = gray.shape
    f = min(1.0, DETECT_MAX / max(h, w))
    small = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_LINEAR) if f < 1 else gray
    side = max(small.shape)
    min_side = side / 297 * L.FID_SIZE * 0.25
    # The local window must be well over a mark's size (a mark is ~1/30 of the page).
    for block in ((side // 14) | 1, (side // 30) | 1, None):
        if block is None:
            b = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
        else:
            b = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, max(block, 15), 12)
        yield [(x / f, y / f, size / f) for x, y, size in _finders(b, min_side)]


def _finders(binary: np.ndarray, min_side: float) -> list[tuple[float, float, float]]:
    contours, hier = cv2.findContours(binary, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hier is None:
        return []
    hier = hier[0]
    # Only contours with a grandchild can be finder patterns: measure just those (and their kin).
    areas = np.zeros(len(contours))
    cand = [i for i in np.nonzero(hier[:, 2] >= 0)[0] if hier[hier[i][2]][2] >= 0 or hier[hier[i][2]][0] >= 0]
    for i in cand:
        x, y, bw, bh = cv2.boundingRect(contours[i])
        if bw < min_side or bh < min_side:
            continue
        areas[i] = cv2.contourArea(contours[i])
        for k in _children(hier, hier[i][2]):
            areas[k] = cv2.contourArea(contours[k])
            if hier[k][2] >= 0:
                for g in _children(hier, hier[k][2]):
                    areas[g] = cv2.contourArea(contours[g])
    out = []
    min_area = min_side * min_side
    for i in np.nonzero(areas > min_area)[0]:
        child = hier[i][2]
        if child < 0:
            continue
        # the white ring: the largest child; the core: the largest grandchild
        kids = _children(hier, child)
        c1 = max(kids, key=lambda k: areas[k])
        grand = _children(hier, hier[c1][2]) if hier[c1][2] >= 0 else []
        if not grand:
            continue
        c2 = max(grand, key=lambda k: areas[k])
        a0, a1, a2 = areas[i], areas[c1], areas[c2]
        if not (0.33 < a1 / a0 < 0.75 and 0.09 < a2 / a0 < 0.33 and 0.25 < a2 / a1 < 0.55):
            continue
        (cx, cy), (rw, rh), _ = cv2.minAreaRect(contours[i])
        if min(rw, rh) <= 0 or max(rw, rh) / min(rw, rh) > 1.8 or a0 / (rw * rh) < 0.75:
            continue
        m = cv2.moments(contours[c2])
        if m["m00"] <= 0:
            continue
        out.append((m["m10"] / m["m00"], m["m01"] / m["m00"], float(np.sqrt(a0))))
    return _dedupe(out)


def _children(hier, first: int) -> list[int]:
    kids, k = [], first
    while k >= 0:
        kids.append(k)
        k = hier[k][0]
    return kids


def _dedupe(points):
    out = []
    for p in sorted(points, key=lambda p: -p[2]):
        if all((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 > (q[2] / 2) ** 2 for q in out):
            out.append(p)
    return out


def _clockwise(pts: np.ndarray) -> np.ndarray | None:
    """The four points in clockwise order (image coordinates), or None if not a convex quadrilateral."""
    c = pts.mean(axis=0)
    order = np.argsort(np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0]))
    q = pts[order]
    def turn(a, b, c):  # z of (b - a) × (c - b)
        return (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])

    cross = [turn(q[i], q[(i + 1) % 4], q[(i + 2) % 4]) for i in range(4)]
    if not (all(x > 0 for x in cross) or all(x < 0 for x in cross)):
        return None
    return q


def _sample(gray: np.ndarray, H: np.ndarray, pts_mm: np.ndarray) -> np.ndarray:
    p = cv2.perspectiveTransform(pts_mm.reshape(-1, 1, 2).astype(np.float32), H).reshape(-1, 2)
    h, w = gray.shape
    xs = np.clip(np.round(p[:, 0]).astype(int), 0, w - 1)
    ys = np.clip(np.round(p[:, 1]).astype(int), 0, h - 1)
    return gray[ys, xs].astype(np.float32)


def _code_points() -> np.ndarray:
    pts = []
    for x0, y0, x1, y1 in L.code_cells(NBITS):
        for fx in (0.3, 0.5, 0.7):
            for fy in (0.25, 0.5, 0.75):
                pts.append((x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy))
    return np.array(pts, np.float32)


_CODE_PTS = _code_points()


def read_code(gray: np.ndarray, H: np.ndarray) -> SheetCode | None:
    vals = _sample(gray, H, _CODE_PTS).reshape(NBITS, 9).mean(axis=1)
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo < 40:
        return None
    t = (lo + hi) / 2
    for _ in range(3):  # two-means: the threshold between the black and the white cells
        dark, light = vals[vals < t], vals[vals >= t]
        if not len(dark) or not len(light):
            return None
        t = (dark.mean() + light.mean()) / 2
    return decode([int(v < t) for v in vals])


def register(gray: np.ndarray) -> tuple[np.ndarray | None, SheetCode | None, int]:
    """Homography (mm → image) and code of a page; also how many marks were found."""
    tried: list[tuple[float, float, float]] = []
    for cands in fiducial_candidates(gray):
        merged = _dedupe(tried + cands)
        if len(merged) == len(tried):
            continue  # nothing new to try
        tried = merged
        H, code = _register_with(gray, tried)
        if H is not None:
            return H, code, len(tried)
    return None, None, len(tried)


def _register_with(gray: np.ndarray, cands) -> tuple[np.ndarray | None, SheetCode | None]:
    if len(cands) < 4:
        return None, None
    # Prefer marks of like size (the printed ones), then the largest quadrilateral.
    cands = sorted(cands, key=lambda c: -c[2])[:9]
    dst_mm = np.array(L.FIDUCIALS, np.float32)
    combos = []
    for combo in combinations(range(len(cands)), 4):
        sizes = [cands[k][2] for k in combo]
        if max(sizes) > 1.8 * min(sizes):
            continue
        q = _clockwise(np.array([cands[k][:2] for k in combo], np.float32))
        if q is None:
            continue
        combos.append((-cv2.contourArea(q), q))
    combos.sort(key=lambda t: t[0])
    for _, q in combos[:40]:
        for r in range(4):
            H = cv2.getPerspectiveTransform(dst_mm, np.roll(q, -r, axis=0))
            code = read_code(gray, H)
            if code is not None:
                return H, code
    return None, None


# ---------------------------------------------------------------------------- marks


def _canonical(gray: np.ndarray, H: np.ndarray) -> np.ndarray:
    """The page at PX px/mm, as darkness 0..255 against the local paper level (uint8)."""
    S = np.diag([PX, PX, 1.0])
    M = S @ np.linalg.inv(H)
    size = (int(L.PAGE_W * PX), int(L.PAGE_H * PX))
    page = cv2.warpPerspective(gray, M, size, flags=cv2.INTER_LINEAR, borderValue=255)
    small = cv2.resize(page, (size[0] // 4, size[1] // 4), interpolation=cv2.INTER_AREA)
    paper = cv2.GaussianBlur(cv2.dilate(small, np.ones((13, 13), np.uint8)), (0, 0), 3)
    paper = cv2.resize(paper, size, interpolation=cv2.INTER_LINEAR)
    return 255 - cv2.divide(page, np.maximum(paper, 1), scale=255)  # divide saturates at 255 (paper)


def _row_template(pl: L.PageLayout) -> tuple[np.ndarray, float, float]:
    """Outline image of one row's boxes, and its top-left in mm."""
    x0 = pl.box(0, 0)[0] - 0.5
    x1 = pl.box(0, len(pl.levels) - 1)[2] + 0.5
    y0 = pl.box(0, 0)[1] - 0.5
    w, h = int(round((x1 - x0) * PX)), int(round((L.BOX + 1) * PX))
    t = np.zeros((h, w), np.uint8)
    for j in range(len(pl.levels)):
        bx0, by0, bx1, by1 = pl.box(0, j)
        p0 = (int(round((bx0 - x0) * PX)), int(round((by0 - y0) * PX)))
        p1 = (int(round((bx1 - x0) * PX)), int(round((by1 - y0) * PX)))
        cv2.rectangle(t, p0, p1, 255, 2)
    return t, x0, y0


def _inks(dark: np.ndarray, pl: L.PageLayout) -> tuple[list[list[float]], list[tuple[int, int]]]:
    template, tx0, ty0 = _row_template(pl)
    th, tw = template.shape
    pad = int(2.0 * PX)
    ink = dark > int(INK_DARK * 255)
    out, shifts = [], []
    for i in range(len(pl.subjects)):
        dy_mm = pl.row_top(i) - pl.row_top(0)
        X, Y = int(round(tx0 * PX)), int(round((ty0 + dy_mm) * PX))
        win = dark[Y - pad:Y + th + pad, X - pad:X + tw + pad]
        dx = dy = 0
        if win.shape == (th + 2 * pad, tw + 2 * pad):
            res = cv2.matchTemplate(win, template, cv2.TM_CCOEFF_NORMED)
            _, best, _, loc = cv2.minMaxLoc(res)
            if best > 0.3:
                dx, dy = loc[0] - pad, loc[1] - pad
        shifts.append((dx, dy))
        row = []
        for j in range(len(pl.levels)):
            bx0, by0, bx1, by1 = pl.box(i, j)
            a = int(round((by0 + INSET) * PX)) + dy
            b = int(round((by1 - INSET) * PX)) + dy
            c = int(round((bx0 + INSET) * PX)) + dx
            d = int(round((bx1 - INSET) * PX)) + dx
            core = float(ink[a:b, c:d].mean())
            if core < MARKED:  # marked already: the rim adds nothing to say
                core = max(core, _rim_share(ink, (bx0, by0, bx1, by1), dx, dy, (b - a) * (d - c)))
            row.append(core)
        out.append(row)
    return out, shifts


_H_LINE = cv2.getStructuringElement(cv2.MORPH_RECT, (int(2.4 * PX), 1))
_V_LINE = cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(2.4 * PX)))


def _rim_share(ink: np.ndarray, box, dx: int, dy: int, core_px: int) -> float:
    """The box's ink up to ``RIM_INSET`` from its outline, with the outline's straight strokes
    near it taken out, as a share of the core's area (so it compares with the core's share)."""
    bx0, by0, bx1, by1 = box
    m = int(round(RIM_BAND * PX))
    a, b = int(round((by0 + RIM_INSET) * PX)) + dy, int(round((by1 - RIM_INSET) * PX)) + dy
    c, d = int(round((bx0 + RIM_INSET) * PX)) + dx, int(round((bx1 - RIM_INSET) * PX)) + dx
    if a - m < 0 or c - m < 0 or b + m > ink.shape[0] or d + m > ink.shape[1] or core_px <= 0:
        return 0.0
    if ink[a:b, c:d].sum() <= RIM_SLACK * PX * PX:
        return 0.0  # not even the slack's worth of ink, outline residue included: nothing to take out
    cut = ink[a - m:b + m, c - m:d + m].astype(np.uint8)
    lines = cv2.morphologyEx(cut, cv2.MORPH_OPEN, _H_LINE) | cv2.morphologyEx(cut, cv2.MORPH_OPEN, _V_LINE)
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
    near = np.ones_like(cut, bool)  # the band along the outline, where straight strokes are the printing
    near[2 * m:-2 * m, 2 * m:-2 * m] = False
    inside = cut[m:-m, m:-m].astype(bool) & ~(lines[m:-m, m:-m].astype(bool) & near[m:-m, m:-m])
    area_mm2 = float(inside.sum()) / (PX * PX)
    return max(0.0, area_mm2 - RIM_SLACK) * PX * PX / core_px


def classify(inks: list[float], levels: tuple[str, ...]) -> tuple[str, str | None, str]:
    """(status, level, reason) of one row from its boxes' ink shares."""
    marked = [j for j, v in enumerate(inks) if v >= MARKED]
    unsure = [j for j, v in enumerate(inks) if EMPTY < v < MARKED]
    if unsure:
        guess = levels[marked[0]] if len(marked) == 1 else None
        return "flagged", guess, "有看不准的淡痕或小记号，请人工判定"
    if not marked:
        return "empty", None, "未选等次（该项无效）"
    if len(marked) == 1:
        return "ok", levels[marked[0]], ""
    if len(marked) == 2:
        heavy, light = sorted(marked, key=lambda j: -inks[j])
        if inks[heavy] >= SCRIBBLED and inks[light] < inks[heavy] / 1.6:
            return "flagged", levels[light], f"疑似将“{levels[heavy]}”涂掉改选“{levels[light]}”，请人工判定"
    return "multiple", None, "选了多个等次（该项无效）"


def _crop(dark: np.ndarray, pl: L.PageLayout, i: int) -> bytes:
    y0, y1 = int((pl.row_top(i) - 1) * PX), int((pl.row_top(i) + L.ROW_H + 1) * PX)
    x0, x1 = int((L.TABLE_X0 - 1) * PX), int((L.TABLE_X1 + 1) * PX)
    img = 255 - dark[y0:y1, x0:x1]
    return cv2.imencode(".png", img)[1].tobytes()


# ---------------------------------------------------------------------------- a page


def page_code(img: np.ndarray) -> SheetCode | None:
    """The code of a ballot page (registration marks found and code bar read), or None: not a ballot."""
    gray, _ = _working(ink_channel(img))
    _, code, n_marks = register(gray)
    # A phone photo with the sheet small or steep: flatten it first — only when some registration
    # mark was seen, so that an ordinary photo of a form costs no page finding here.
    if code is None and img.ndim == 3 and n_marks:
        flat, _ = _flattened(img)
        if flat is not None:
            code = register(_working(ink_channel(flat))[0])[1]
    return code


def read_page(img: np.ndarray, settings: BallotSettings, file: str, page: int) -> PageRead:
    out = PageRead(file=file, page=page)
    gray, f = _working(ink_channel(img))
    H, code, n_marks = register(gray)
    px_mm = _px_per_mm(H) / f if H is not None else 0.0
    if H is None and img.ndim == 3:
        # A phone photo with the sheet small or steep in the frame: flatten the sheet first
        # (the photos engineer's page finder), then look for the marks again.
        flat, to_flat = _flattened(img)
        if flat is not None:
            gray2, f2 = _working(ink_channel(flat))
            H2, code2, n2 = register(gray2)
            if H2 is not None:
                gray, H, code, n_marks = gray2, H2, code2, n2
                # resolution in the photo itself: mm → flattened → photo pixels
                px_mm = _px_per_mm(np.linalg.inv(to_flat) @ np.diag([1 / f2, 1 / f2, 1.0]) @ H2)
    if H is None:
        return _unreadable(out, gray, n_marks, code_failed=n_marks >= 4)
    if px_mm < MIN_PX_PER_MM:
        out.problem_kind = "low_res"
        out.problem = (f"{out.where}：票面太小、太模糊（约每毫米 {px_mm:.1f} 像素），无法可靠读票；"
                       "请以 150dpi 以上扫描，或靠近拍照让整张票占满画面")
        return out
    by_key = {settings.key(r.id): r for r in settings.ratings}
    rating = by_key.get(code.key)
    if rating is None:
        out.problem_kind = "foreign"
        out.problem = (f"{out.where}：不是本活动（{settings.campaign_name or settings.campaign_id}）的测评票"
                       f"（机读码 {code.key:05X}，可能是其他活动或往年的票），未计入")
        return out
    if code.group >= len(rating.groups) or code.page >= L.page_count(rating):
        out.problem_kind = "foreign"
        out.problem = f"{out.where}：测评票的机读码与本活动的设置不符（类别或页码超出），可能是改动设置前印制的票，未计入"
        return out
    out.code, out.rating, out.group = code, rating, rating.groups[code.group].name
    pl = L.page_layout(rating, code.page)
    dark = _canonical(gray, H)
    inks, _ = _inks(dark, pl)
    for i, row in enumerate(inks):
        status, level, reason = classify(row, pl.levels)
        out.rows.append(RowRead(i, pl.first_no + i, pl.subjects[i], status, level, reason, [round(v, 4) for v in row],
                                _crop(dark, pl, i) if status == "flagged" else None))
    out.crop_of = lambda i: _crop(dark, pl, i)
    return out


def _px_per_mm(H: np.ndarray) -> float:
    """Image pixels per millimetre of the page (mean over the page), from the homography."""
    corners = np.array([[0, 0], [L.PAGE_W, 0], [L.PAGE_W, L.PAGE_H], [0, L.PAGE_H]], np.float32)
    quad = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), H).reshape(-1, 2)
    return float(np.sqrt(abs(cv2.contourArea(quad)) / (L.PAGE_W * L.PAGE_H)))


def _flattened(img: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The sheet of a photo flattened at 200 dpi, and the homography photo → flattened."""
    try:
        from formgen.intake.readers.page_finder import PhotoProblem, find_page, rectify  # noqa: PLC0415
    except ImportError:
        return None, None
    try:
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        fit = find_page(rgb)
        size = fit.size_px(200)
        # the sheet may lie either way round; the registration marks decide which way is up
        return cv2.cvtColor(rectify(rgb, fit, size), cv2.COLOR_RGB2BGR), np.asarray(fit.homography(size), np.float64)
    except (PhotoProblem, cv2.error, ValueError, np.linalg.LinAlgError):
        return None, None


def _unreadable(out: PageRead, gray: np.ndarray, n_marks: int, code_failed: bool) -> PageRead:
    small = cv2.resize(gray, (200, int(200 * gray.shape[0] / max(gray.shape[1], 1)) or 1))
    inked = float((cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 20) > 0).mean())
    if code_failed:
        out.problem_kind = "bad_code"
        out.problem = f"{out.where}：找到了定位标记，但底部机读码无法识别（可能污损或被遮挡），请重新扫描或人工统计该页"
    elif inked < 0.004:
        out.problem_kind = "blank"
        out.problem = f"{out.where}：空白页，未计入"
    elif n_marks > 0:
        out.problem_kind = "partial"
        out.problem = f"{out.where}：只找到 {n_marks} 个定位标记，可能只扫到或拍到半页，请把整页（含四角标记）重新扫描或拍照"
    else:
        out.problem_kind = "not_ballot"
        out.problem = f"{out.where}：不是测评票（找不到四角定位标记），未计入；如确是测评票，请整页重新扫描"
    return out

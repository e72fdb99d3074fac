"""Filled and degraded ballots, for the tests, the bench and the demo.

A blank page is the printed PDF page itself (rendered once per layout and
resolution); each sheet's code bar is painted onto it, then marks are drawn in
pen or pencil, and the page is degraded as an office scanner or a phone would.
Everything is numpy/OpenCV so hundreds of pages take seconds. Each row's truth
is kept so readers can be scored.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from formgen.ballots import layout as L
from formgen.ballots.code import NBITS, SheetCode, encode
from formgen.ballots.pdf import render_rating, sheet_serials
from formgen.ballots.settings import BallotRating, BallotSettings

INKS = {"black": (35, 30, 30), "blue": (150, 60, 25), "pencil": (105, 105, 105)}
MARKS = ("tick", "cross", "circle", "fill")


@dataclass
class RowTruth:
    kind: str  # "one" | "empty" | "double" | "replaced" | "faint"
    level: int | None = None  # the intended level ("one", "replaced")
    mark: str = ""
    ink: str = ""


@dataclass
class SheetTruth:
    rating_id: str
    group: int
    serial: int
    page: int
    rows: list[RowTruth] = field(default_factory=list)


# ---------------------------------------------------------------------------- blank pages


@lru_cache(maxsize=64)
def _template(settings_json: str, rating_id: str, group: int, page: int, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium  # noqa: PLC0415

    settings = BallotSettings.model_validate_json(settings_json)
    rating = settings.rating(rating_id)
    serial = next(s for gi, s in sheet_serials(rating) if gi == group) if rating.groups[group].count else 1
    pdf = pdfium.PdfDocument(render_rating(settings, rating, group, [serial]))
    img = pdf[page].render(scale=dpi / 72).to_numpy()[:, :, :3].copy()
    pdf.close()
    return img


def blank_page(settings: BallotSettings, rating: BallotRating, code: SheetCode, dpi: int) -> np.ndarray:
    """The printed page of one sheet at ``dpi`` (BGR), with that sheet's own code bar."""
    img = _template(settings.model_dump_json(), rating.id, code.group, code.page, dpi).copy()
    f = dpi / 25.4
    x0, y0, x1, y1 = L.CODE_X0, L.CODE_Y0, L.CODE_X1, L.CODE_Y1
    img[int(y0 * f) - 1:int(y1 * f) + 2, int(x0 * f) - 1:int(x1 * f) + 2] = 255
    for bit, (a, b, c, d) in zip(encode(code), L.code_cells(NBITS)):
        if bit:
            img[int(round(b * f)):int(round(d * f)), int(round(a * f)):int(round(c * f))] = 0
    return img


# ---------------------------------------------------------------------------- marks


RING_RADII = (1.5, 2.0, 2.5, 3.0, 3.3)  # mm: a ○ from small to touching the 7 mm box's outline
RING_PENS = (0.3, 0.4, 0.55, 0.8)  # mm: fine liner, gel pen, ballpoint, felt pen


def draw_mark(img: np.ndarray, box_mm, f: float, mark: str, ink: str, rng: np.random.Generator,
              scale: float = 1.0, radius: float | None = None, pen: float | None = None) -> None:
    """Draw one pen/pencil mark into a box (mm) on a page at f px/mm.

    A ``circle`` is a ring of ``radius`` mm drawn with a ``pen`` mm wide (both random unless given)."""
    x0, y0, x1, y1 = box_mm
    cx, cy = (x0 + x1) / 2 + rng.normal(0, 0.5), (y0 + y1) / 2 + rng.normal(0, 0.5)
    colour = INKS[ink]
    width = max(1, int(round((0.35 if ink == "pencil" else 0.5) * f * rng.uniform(0.8, 1.3))))
    s = scale * rng.uniform(0.85, 1.2)

    def P(pts):
        return np.array([[(cx + x * s) * f, (cy + y * s) * f] for x, y in pts], np.int32)

    if mark == "tick":
        cv2.polylines(img, [P([(-2.4, 0.0), (-0.7, 2.2), (3.0, -3.2)])], False, colour, width, cv2.LINE_AA)
    elif mark == "cross":
        cv2.line(img, *[tuple(p) for p in P([(-2.4, -2.4), (2.4, 2.4)])], colour, width, cv2.LINE_AA)
        cv2.line(img, *[tuple(p) for p in P([(2.4, -2.4), (-2.4, 2.4)])], colour, width, cv2.LINE_AA)
    elif mark == "circle":
        r = radius if radius is not None else rng.uniform(RING_RADII[0], RING_RADII[-1])
        w = pen if pen is not None else rng.uniform(0.3, 0.5 if ink == "pencil" else 0.8)
        squash = rng.uniform(0.88, 1.0)  # hand-drawn: a little oval, at any angle
        cv2.ellipse(img, (int(cx * f * 16), int(cy * f * 16)), (int(r * f * 16), int(r * squash * f * 16)),
                    rng.uniform(0, 180), 0, 360, colour, max(1, int(round(w * f))), cv2.LINE_AA, 4)
    elif mark == "fill":
        cv2.fillPoly(img, [P([(-2.9, -2.8), (2.8, -3.0), (3.0, 2.9), (-2.8, 3.0)])], colour, cv2.LINE_AA)
    elif mark == "scribble":  # crossing out: dense zigzag over the whole box
        pts = [(-3.2 + k * 0.55, -3.2 if k % 2 else 3.2) for k in range(13)]
        cv2.polylines(img, [P(pts)], False, colour, max(width, int(0.7 * f)), cv2.LINE_AA)
        cv2.fillPoly(img, [P([(-2.5, -2.2), (2.4, -2.5), (2.6, 2.4), (-2.3, 2.5)])], colour, cv2.LINE_AA)
    elif mark == "dot":  # a faint, tiny touch of the pen
        cv2.circle(img, (int(cx * f * 16), int(cy * f * 16)), int(0.35 * f * 16), colour, -1, cv2.LINE_AA, 4)


def fill_page(img: np.ndarray, pl: L.PageLayout, dpi: int, rng: np.random.Generator,
              hard: bool = True) -> list[RowTruth]:
    """Mark every row of a blank page; returns the truth per row."""
    f = dpi / 25.4
    k = len(pl.levels)
    sheet_ink = str(rng.choice(list(INKS)))
    truths = []
    for i in range(len(pl.subjects)):
        mark = str(rng.choice(MARKS, p=[0.55, 0.2, 0.15, 0.1]))
        r = rng.random() if hard else 1.0
        level = int(rng.choice(k, p=_level_odds(k)))
        if r < 0.04:
            truths.append(RowTruth("empty"))
            continue
        if r < 0.08:
            other = int((level + rng.integers(1, k)) % k)
            draw_mark(img, pl.box(i, level), f, mark, sheet_ink, rng)
            draw_mark(img, pl.box(i, other), f, "tick", sheet_ink, rng)
            truths.append(RowTruth("double", None, mark, sheet_ink))
            continue
        if r < 0.12:
            old = int((level + rng.integers(1, k)) % k)
            draw_mark(img, pl.box(i, old), f, "tick", sheet_ink, rng)
            draw_mark(img, pl.box(i, old), f, "scribble", sheet_ink, rng)
            draw_mark(img, pl.box(i, level), f, "tick", sheet_ink, rng)
            truths.append(RowTruth("replaced", level, "tick", sheet_ink))
            continue
        if r < 0.14:
            draw_mark(img, pl.box(i, level), f, "dot", sheet_ink, rng)
            truths.append(RowTruth("faint", None, "dot", sheet_ink))
            continue
        draw_mark(img, pl.box(i, level), f, mark, sheet_ink, rng)
        truths.append(RowTruth("one", level, mark, sheet_ink))
    return truths


def _level_odds(k: int) -> list[float]:
    w = np.array([0.6] + [0.4 / (k - 1)] * (k - 1))
    return list(w / w.sum())


# ---------------------------------------------------------------------------- degrading


def _stamp(img: np.ndarray, f: float, rng: np.random.Generator) -> None:
    """A red official seal over the header (offices stamp the heading, not the boxes)."""
    cx, cy = int(rng.uniform(120, 160) * f), int(rng.uniform(20, 32) * f)
    r = int(19 * f)
    layer = img.copy()
    cv2.circle(layer, (cx, cy), r, (40, 40, 215), max(2, int(1.0 * f)), cv2.LINE_AA)
    star = np.array([[cx + r * 0.35 * np.cos(a) * (1 if n % 2 == 0 else 0.4),
                      cy + r * 0.35 * np.sin(a) * (1 if n % 2 == 0 else 0.4)]
                     for n, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1])], np.int32)
    cv2.fillPoly(layer, [star], (40, 40, 215), cv2.LINE_AA)
    cv2.addWeighted(layer, 0.8, img, 0.2, 0, img)


def _crease(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h = img.shape[0]
    y, band = int(rng.uniform(0.3, 0.7) * h), max(2, int(0.003 * h))
    img[y:] = cv2.convertScaleAbs(img[y:], alpha=0.95)  # the far half sits a little lower
    img[y - band:y + band] = cv2.convertScaleAbs(img[y - band:y + band], alpha=0.85)  # the fold line
    return img


def _finish(img: np.ndarray, rng: np.random.Generator, noise: float, blur: float, quality: int,
            grey: bool) -> np.ndarray:
    if blur > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    if noise > 0:
        # Sensor noise with a 2-pixel grain: a random window of a cached noise field,
        # added with saturating uint8 arithmetic (fast); colour channels get their own noise.
        h, w = img.shape[:2]
        ch = img.shape[2] if img.ndim == 3 else 1
        flat = img.reshape(h, w * ch)
        pos, neg = _noise_field(3 if noise < 4.5 else 6)
        hh, ww = (h + 1) // 2, (w * ch + 1) // 2
        y, x = int(rng.integers(0, pos.shape[0] - hh)), int(rng.integers(0, pos.shape[1] - ww))
        p_, n_ = (cv2.resize(f[y:y + hh, x:x + ww], (w * ch, h), interpolation=cv2.INTER_NEAREST) for f in (pos, neg))
        img = cv2.subtract(cv2.add(flat, p_), n_).reshape(img.shape)
    if grey:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])[1],
                        cv2.IMREAD_UNCHANGED)


@lru_cache(maxsize=12)
def _noise_field(sigma: int) -> tuple[np.ndarray, np.ndarray]:
    n = np.random.default_rng(sigma).normal(0, sigma, (2200, 4600)).astype(np.float32)
    return np.clip(n, 0, 255).astype(np.uint8), np.clip(-n, 0, 255).astype(np.uint8)


def degrade_scan(img: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """Office scanner: skew ≤10°, shift, sometimes upside down, stamp, crease, noise, JPEG, grey or colour."""
    f = dpi / 25.4
    if rng.random() < 0.5:
        _stamp(img, f, rng)
    grey = rng.random() < 0.4
    if grey:  # a grey scan: everything after this works on one channel
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    if rng.random() < 0.3:
        img = _crease(img, rng)
    h, w = img.shape[:2]
    # The scan bed is larger than the sheet, so a sheet skewed 10° keeps its corners.
    W, Hh = int(w * 1.16), int(h * 1.1)
    angle = rng.uniform(-10, 10) + (180 if rng.random() < 0.2 else 0)
    M = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    M[:, 2] += [(W - w) / 2, (Hh - h) / 2] + rng.uniform(-3, 3, 2) * f
    img = cv2.warpAffine(img, M, (W, Hh), flags=cv2.INTER_LINEAR, borderValue=(235, 235, 235))
    return _finish(img, rng, noise=rng.uniform(2, 8), blur=rng.uniform(0, 1.0), quality=int(rng.integers(60, 92)),
                   grey=False)


def degrade_photo(img: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """Phone photo: the page in perspective on a table, uneven light, focus blur, JPEG."""
    h, w = img.shape[:2]
    W, Hh = int(w * 1.25), int(h * 1.2)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    jitter = rng.uniform(-0.06, 0.06, (4, 2)) * [w, h]
    dst = src * 0.92 + [(W - w * 0.92) / 2, (Hh - h * 0.92) / 2] + jitter
    c = dst.mean(axis=0)
    a = np.deg2rad(rng.uniform(-10, 10))
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    dst = ((dst - c) @ R.T + c).astype(np.float32)
    if rng.random() < 0.25:
        dst = np.roll(dst, 2, axis=0)  # upside down
    table = tuple(int(v) for v in rng.integers(60, 140, 3))  # a plain desk around the sheet
    P = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(img, P, (W, Hh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=table)
    gx = np.linspace(rng.uniform(0.6, 1.0), rng.uniform(0.85, 1.0), W, dtype=np.float32)
    gy = np.linspace(rng.uniform(0.75, 1.0), rng.uniform(0.85, 1.0), Hh, dtype=np.float32)
    light = (np.outer(gy, gx) * 255).astype(np.uint8)  # uneven light, a little warm
    out = cv2.multiply(out, cv2.merge([(light * 0.92).astype(np.uint8), (light * 0.97).astype(np.uint8), light]),
                       scale=1 / 255)
    return _finish(out, rng, noise=rng.uniform(3, 9), blur=rng.uniform(0.3, 1.4), quality=int(rng.integers(65, 92)),
                   grey=False)


# ---------------------------------------------------------------------------- whole sets


def filled_pages(settings: BallotSettings, n_sheets: int, rng: np.random.Generator, kind: str = "scan",
                 dpis=(150, 200, 300), hard: bool = True, plan=None):
    """Yield (image, SheetTruth) for every page of ``n_sheets`` sheets, degraded as ``kind``.

    ``plan(group, serial, page)``, when given, returns the level index (or None) of every row
    on that page; the rows are then marked plainly with exactly those levels."""
    rating = settings.ratings[0]
    sheets = sheet_serials(rating)
    for gi, serial in (sheets[k % len(sheets)] for k in range(n_sheets)):
        for p in range(L.page_count(rating)):
            dpi = int(rng.choice(dpis)) if kind == "scan" else 150
            code = SheetCode(settings.key(rating.id), gi, serial, p)
            img = blank_page(settings, rating, code, dpi)
            pl = L.page_layout(rating, p)
            rows = (fill_page(img, pl, dpi, rng, hard) if plan is None
                    else mark_levels(img, pl, dpi, rng, plan(gi, serial, p)))
            img = degrade_scan(img, dpi, rng) if kind == "scan" else degrade_photo(img, dpi, rng)
            yield img, SheetTruth(rating.id, gi, serial, p, rows)


def ring_pages(settings: BallotSettings, rng: np.random.Generator, kind: str = "scan", dpis=(150, 200, 300),
               rounds: int = 1):
    """Yield (image, SheetTruth): pages whose every row is one ○ (at a random level), going ``rounds``
    times through every radius of ``RING_RADII`` with every pen of ``RING_PENS`` and every ink."""
    rating = settings.ratings[0]
    grid = [(r, w, ink) for r in RING_RADII for w in RING_PENS for ink in INKS
            if not (ink == "pencil" and w > 0.55)]  # no pencil draws a felt pen's line
    sheets = sheet_serials(rating)
    k = 0
    for n, (gi, serial) in enumerate(sheets):
        if k >= len(grid) * rounds:
            return
        for p in range(L.page_count(rating)):
            dpi = int(dpis[(n + p) % len(dpis)]) if kind == "scan" else 150
            img = blank_page(settings, rating, SheetCode(settings.key(rating.id), gi, serial, p), dpi)
            pl = L.page_layout(rating, p)
            rows = []
            for i in range(len(pl.subjects)):
                r, w, ink = grid[k % len(grid)]
                k += 1
                level = int(rng.integers(len(pl.levels)))
                draw_mark(img, pl.box(i, level), dpi / 25.4, "circle", ink, rng, radius=r, pen=w)
                rows.append(RowTruth("one", level, f"circle r{r} w{w}", ink))
            img = degrade_scan(img, dpi, rng) if kind == "scan" else degrade_photo(img, dpi, rng)
            yield img, SheetTruth(rating.id, gi, serial, p, rows)


def mark_levels(img: np.ndarray, pl: L.PageLayout, dpi: int, rng: np.random.Generator,
                levels: list[int | None]) -> list[RowTruth]:
    """Plain marks: row i gets one mark at ``levels[i]`` (None: left empty)."""
    ink = str(rng.choice(["black", "blue"]))
    out = []
    for i, lvl in enumerate(levels):
        if lvl is None:
            out.append(RowTruth("empty"))
            continue
        mark = str(rng.choice(["tick", "tick", "tick", "cross", "circle"]))
        draw_mark(img, pl.box(i, lvl), dpi / 25.4, mark, ink, rng)
        out.append(RowTruth("one", lvl, mark, ink))
    return out


def votes_plan(settings: BallotSettings, rating: BallotRating, votes: dict):
    """A ``plan`` that hands out ``votes[subject][group] = [n per level]`` over the group's sheets,
    so that reading the ballots gives exactly those counts (rows beyond the votes stay empty)."""
    serials = sheet_serials(rating)
    rank = {}
    for gi in range(len(rating.groups)):
        for r, s in enumerate(s for g, s in serials if g == gi):
            rank[s] = r

    def plan(gi: int, serial: int, page: int) -> list[int | None]:
        pl = L.page_layout(rating, page)
        out = []
        for subject in pl.subjects:
            counts = (votes.get(subject) or {}).get(rating.groups[gi].name) or []
            ballots = [lv for lv, n in enumerate(counts) for _ in range(int(n))]
            r = rank[serial]
            out.append(ballots[r] if r < len(ballots) else None)
        return out

    return plan


def write_sample_returns(settings: BallotSettings, out_dir: Path, seed: int = 7, scan_sheets: int | None = None,
                         photo_sheets: int = 3, votes: dict | None = None) -> list[SheetTruth]:
    """Filled ballots as they come back: one multi-page scanned PDF per rating (pages shuffled, one
    sheet scanned twice) and a few phone photos. For the demo; returns the truth of every page.

    ``votes``: {rating id: {subject: {group: [n per level]}}} — those ratings' ballots are filled
    plainly so that they read back as exactly these counts (every sheet is returned); other
    ratings get varied marks including empty, double, crossed-out and faint rows."""
    from PIL import Image  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    truths: list[SheetTruth] = []
    for rating in settings.ratings:
        one = settings.model_copy(update={"ratings": [rating]})
        sheets = sheet_serials(rating)
        wanted = (votes or {}).get(rating.id)
        plan = votes_plan(one, rating, wanted) if wanted else None
        n = len(sheets) if scan_sheets is None or wanted else min(scan_sheets, len(sheets))
        n_photo = min(photo_sheets, n)
        pages = list(filled_pages(one, n, rng, "scan", dpis=(150,), plan=plan))
        order = rng.permutation(len(pages))
        photo_serials = {t.serial for _, t in pages[-n_photo * L.page_count(rating):]} if n_photo else set()
        scans = [pages[i] for i in order if pages[i][1].serial not in photo_serials]
        if scans:
            scans.append(scans[0])  # the same sheet fed through the scanner twice
        ims = [Image.fromarray(im if im.ndim == 2 else cv2.cvtColor(im, cv2.COLOR_BGR2RGB)).convert("L") for im, _ in scans]
        if ims:
            ims[0].save(out_dir / f"{rating.title}_扫描件.pdf", save_all=True, append_images=ims[1:],
                        resolution=150.0, quality=80)
        truths += [t for _, t in scans[:-1]]
        for img, truth in pages:
            if truth.serial in photo_serials:
                blank = blank_page(one, rating, SheetCode(one.key(rating.id), truth.group, truth.serial, truth.page), 150)
                _redraw(blank, L.page_layout(rating, truth.page), truth, rng)
                photo = degrade_photo(blank, 150, rng)
                cv2.imwrite(str(out_dir / f"手机拍照_{rating.title}_票号{truth.serial:04d}_第{truth.page + 1}页.jpg"), photo,
                            [cv2.IMWRITE_JPEG_QUALITY, 85])
                truths.append(truth)
    return truths


def _redraw(img: np.ndarray, pl: L.PageLayout, truth: SheetTruth, rng: np.random.Generator) -> None:
    f = 150 / 25.4
    for i, t in enumerate(truth.rows):
        if t.kind == "one":
            draw_mark(img, pl.box(i, t.level), f, t.mark, t.ink, rng)
        else:  # a photographed sheet is filled in plainly: its odd rows are left empty
            truth.rows[i] = RowTruth("empty")

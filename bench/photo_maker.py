"""Phone photos made from page images, the way the public corpus's photos were made.

    make_photo(page_rgb, seed)  → JPEG bytes

The page (a rendered page or a scan, RGB) is laid on a desk: put in perspective,
rolled a few degrees, lit unevenly with a soft shadow across it, on warm paper,
with sensor noise, and saved as JPEG. Everything random comes from ``seed``, so
the same seed gives the same photo. ``spoil`` makes the bad photos the reader
must refuse (too dark, blurred, a photo of a screen, half the page, no form).

Used by bench/bench_photo.py and to (re)generate tests/data/photo/.
"""
from __future__ import annotations

import cv2
import numpy as np


def _desk(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = rng.uniform(50, 95)
    tint = np.array([1.0, rng.uniform(0.9, 1.0), rng.uniform(0.8, 0.95)])
    grad = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(1.0, 1.2), w)[None, :, None]
    desk = np.ones((h, w, 3)) * base * tint * grad
    desk += rng.normal(0, 4, (h, w, 1))
    return desk


def _light(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Light falling off across the picture, and a soft shadow (a hand or the phone)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(ang) * xx / w + np.sin(ang) * yy / h)
    ramp = (ramp - ramp.min()) / (np.ptp(ramp) or 1)
    light = 1.0 - rng.uniform(0.15, 0.3) * ramp
    shadow = np.zeros((h, w), np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    r = rng.uniform(0.25, 0.45) * min(h, w)
    pts = np.array([[cx + r * np.cos(t) * rng.uniform(0.7, 1.3), cy + r * np.sin(t) * rng.uniform(0.7, 1.3)]
                    for t in np.linspace(0, 2 * np.pi, 9)[:-1]], np.int32)
    edge = rng.choice(4)  # the shadow comes in from one side of the picture
    pts[:, 0 if edge < 2 else 1] += int((-1 if edge % 2 == 0 else 1) * r)
    cv2.fillPoly(shadow, [pts], 1.0)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 0.08 * min(h, w))
    light *= 1.0 - rng.uniform(0.2, 0.35) * shadow
    return light[:, :, None]


def make_photo(page: np.ndarray, seed: int, *, long_side: int = 2900, quality: int = 85,
               fill: float = 0.82, rotate90: int = 0) -> bytes:
    """A phone photo of ``page`` (H×W×3 RGB uint8) as JPEG bytes.

    ``fill``: share of the picture's long side the sheet takes; ``rotate90``: the phone
    held sideways / upside down (quarter turns of the finished picture)."""
    rng = np.random.default_rng(seed)
    ph, pw = page.shape[:2]
    landscape = pw > ph
    W, H = (long_side, int(long_side * 0.75)) if landscape else (int(long_side * 0.75), long_side)
    s = fill * (W / pw if landscape else H / ph)
    cx, cy = W / 2 + rng.uniform(-0.03, 0.03) * W, H / 2 + rng.uniform(-0.03, 0.03) * H
    roll = np.radians(rng.uniform(-5, 5))
    corners = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]]) * s
    rot = np.array([[np.cos(roll), -np.sin(roll)], [np.sin(roll), np.cos(roll)]])
    dst = corners @ rot.T + [cx, cy]
    # Perspective: the far edge of the sheet looks shorter (the phone is tilted).
    k = rng.uniform(0.02, 0.06) * pw * s
    side = rng.choice(4)
    a, b = side, (side + 1) % 4
    centre = dst.mean(axis=0)
    for i in (a, b):
        dst[i] += (centre - dst[i]) / np.linalg.norm(centre - dst[i]) * k
    dst += rng.uniform(-0.004, 0.004, dst.shape) * W
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    m = cv2.getPerspectiveTransform(src, np.float32(dst))
    warm = np.array([1.0, rng.uniform(0.93, 0.97), rng.uniform(0.82, 0.9)])
    paper = page.astype(np.float32) * warm * rng.uniform(0.88, 0.97)
    sheet = cv2.warpPerspective(paper, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (W, H), flags=cv2.INTER_AREA)[:, :, None]
    img = sheet * mask + _desk(rng, H, W) * (1 - mask)
    img = img * _light(rng, H, W)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 0.9))  # lens
    img += rng.normal(0, 2.5, img.shape)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if rotate90:
        out = np.ascontiguousarray(np.rot90(out, rotate90))
    return encode(out, quality)


def encode(rgb: np.ndarray, quality: int = 85) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def decode(data: bytes) -> np.ndarray:
    return cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def spoil(photo: bytes, how: str, seed: int = 0) -> bytes:
    """A bad photo: "dark", "blurred", "screen", "half" (of a photo from make_photo)."""
    rng = np.random.default_rng(seed)
    img = decode(photo).astype(np.float32)
    h, w = img.shape[:2]
    if how == "dark":
        img = img * rng.uniform(0.12, 0.2)
    elif how == "blurred":
        img = cv2.GaussianBlur(img, (0, 0), w / 400)
    elif how == "screen":
        img = screen(img, rng)
    elif how == "half":
        img = img[: int(h * rng.uniform(0.45, 0.6))]
    else:
        raise ValueError(how)
    return encode(np.clip(img, 0, 255).astype(np.uint8))


def screen(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The picture as a phone sees it on a monitor: the display's RGB stripes, a touch
    finer than the camera's pixels, beat with them into coloured moiré bands."""
    h, w = img.shape[:2]
    period = rng.uniform(2.2, 2.8)  # camera pixels per display pixel
    ang = np.radians(rng.uniform(-4, 4))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx * np.cos(ang) + yy * np.sin(ang)) / period
    stripes = np.stack([0.55 + 0.45 * np.cos(2 * np.pi * (u - k / 3)) for k in range(3)], axis=2)
    rows = 0.8 + 0.2 * np.cos(2 * np.pi * (-xx * np.sin(ang) + yy * np.cos(ang)) / period)
    glow = img * 0.9 + 25  # an emissive screen: no black, a bluish cast
    glow[:, :, 2] += 10
    return glow * stripes * rows[:, :, None]


def not_a_form(seed: int, size: tuple[int, int] = (1500, 2000)) -> bytes:
    """A photo of something else: a cluttered desk with a mug and a book, no form."""
    rng = np.random.default_rng(seed)
    w, h = size
    img = _desk(rng, h, w)
    for _ in range(6):
        colour = rng.uniform(30, 230, 3)
        c = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        if rng.random() < 0.5:
            cv2.circle(img, c, int(rng.uniform(60, 250)), colour.tolist(), -1)
        else:
            cv2.ellipse(img, c, (int(rng.uniform(80, 300)), int(rng.uniform(40, 160))), rng.uniform(0, 180), 0, 360,
                        colour.tolist(), -1)
    img = img * _light(rng, h, w)
    img = cv2.GaussianBlur(img, (0, 0), 2)
    return encode(np.clip(img, 0, 255).astype(np.uint8))

"""Accuracy of the ballot reader on printed, filled and degraded pages (≥200 pages).

Each page is the printed PDF page with its own code bar, marked in every row
(✓ × ○ filled; black, blue, pencil; empty, double, crossed-out-and-replaced and
faint rows), then degraded as a scanner (skew ≤10°, upside down, stamp, crease,
noise, blur, JPEG, 150–300 dpi, grey or colour) or a phone (perspective, desk,
uneven light) would. A row is right when read as its truth; a crossed-out
replacement may be flagged instead; a faint touch must be flagged; a filled box
next to a tick is ambiguous with a crossed-out choice and may be flagged.
A mark read wrong without a flag fails the test outright.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from formgen.ballots.read import read_page
from formgen.ballots.sample import filled_pages
from formgen.ballots.settings import BallotSettings

SUBJECTS = [f"科室{i:02d}" for i in range(1, 27)]  # two pages a sheet


def settings() -> BallotSettings:
    return BallotSettings.model_validate({
        "campaign_id": "town-acc", "year": 2024,
        "ratings": [{"id": "internal", "title": "内部测评票", "subjects": SUBJECTS,
                     "levels": ["满意", "基本满意", "不满意"],
                     "groups": [{"name": "班子成员", "count": 40}, {"name": "干部职工", "count": 60}]}]})


def judge(truth, row, levels) -> str:
    """'right', 'flagged' (sent to a person, acceptable) or 'wrong' (silently wrong)."""
    k = truth.kind
    if k == "one":
        if row.status == "ok" and row.level == levels[truth.level]:
            return "right"
    elif k == "empty" and row.status == "empty" or k == "double" and row.status == "multiple":
        return "right"
    elif k == "replaced" and (row.status == "flagged" or row.status == "ok" and row.level == levels[truth.level]):
        return "right"
    elif k in ("faint",) and row.status == "flagged":
        return "right"
    elif k == "double" and truth.mark == "fill" and row.status == "flagged":
        return "right"
    return "flagged" if row.status == "flagged" else "wrong"


def run(kind: str, sheets: int, seed: int, dpis=(150, 150, 200, 300)):
    s = settings()
    levels = s.ratings[0].levels
    outcome: Counter = Counter()
    pages = 0
    seen = set()
    for n, (img, truth) in enumerate(filled_pages(s, sheets, np.random.default_rng(seed), kind, dpis=dpis)):
        pr = read_page(img, s, f"{kind}.pdf", n + 1)
        assert pr.problem is None, pr.problem
        assert (pr.code.serial, pr.code.page, pr.code.group) == (truth.serial, truth.page, truth.group)
        assert pr.source not in seen  # every sheet's page is its own source: none counted twice
        seen.add(pr.source)
        pages += 1
        for row, t in zip(pr.rows, truth.rows, strict=True):
            verdict = judge(t, row, levels)
            assert verdict != "wrong", (n, t, row.status, row.level, row.inks)
            outcome[verdict] += 1
    return pages, outcome


@pytest.fixture(scope="module")
def scans():
    return run("scan", 70, seed=2024)


@pytest.fixture(scope="module")
def photos():
    return run("photo", 32, seed=2025)


def test_scans_read_right(scans):
    pages, outcome = scans
    assert pages == 140
    total = sum(outcome.values())
    assert outcome["right"] / total >= 0.999, outcome


def test_phone_photos_read_right(photos):
    pages, outcome = photos
    assert pages == 64
    total = sum(outcome.values())
    assert outcome["right"] / total >= 0.995, outcome


@pytest.mark.parametrize("kind", ["scan", "photo"])
def test_a_ring_of_every_size_and_pen_is_a_mark(kind):
    """Issue 15.6: the ballot says 画“○”亦可 (formgen.ballots.layout.INSTRUCTIONS). A ring of 1.5–3.3 mm
    radius (up to the 7 mm box's outline), drawn with a 0.3–0.8 mm pen in black, blue or pencil, is
    read as that level — not sent to review as 有看不准的淡痕或小记号 (13 of 130 before the fix)."""
    from formgen.ballots.sample import ring_pages

    s = settings()
    levels = s.ratings[0].levels
    outcome: Counter = Counter()
    for n, (img, truth) in enumerate(ring_pages(s, np.random.default_rng(7), kind)):
        pr = read_page(img, s, f"{kind}.pdf", n + 1)
        assert pr.problem is None, pr.problem
        for row, t in zip(pr.rows, truth.rows, strict=True):
            outcome[judge(t, row, levels)] += 1
            assert judge(t, row, levels) == "right", (t.mark, t.ink, row.status, row.reason, row.inks)
    assert sum(outcome.values()) >= 55  # every one of 5 radii × 4 pens × 3 inks (no pencil as wide as a felt pen)

"""Ballot reading: accuracy and pages/second, formgen vs a naive reader, in one run.

    .venv/bin/python bench/bench_ballots.py [--scans SHEETS] [--photos SHEETS] [--seed N]

Pages are printed (the real PDF page), filled with varied marks and degraded as
an office scanner or a phone would (formgen.ballots.sample); generating them is
not timed. The naive reader takes the page as the whole image, reads a fixed
threshold at the nominal box positions, without registration; it is even told
which sheet and page it holds (it has no code reader). "Right" follows
tests/test_ballots_read.py: a crossed-out replacement or a faint touch may be
flagged; a mark read wrong without a flag is "wrong".
Circles get their own pass (issue 15.6): pages whose every row is a ○ of one of
``RING_RADII`` (1.5–3.3 mm, up to the box outline) drawn with one of ``RING_PENS``
(0.3–0.8 mm) in black, blue or pencil, ``--ring-rounds`` times through the grid.
Finally every scanned page goes through the ledger twice (a rescan) to count
sheets counted twice, and a photocopied sheet (same number, other marks) must come
out as a conflict that counts nothing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_ballots_read import judge, settings  # noqa: E402

from formgen.ballots import layout as L  # noqa: E402
from formgen.ballots.read import EMPTY, INSET, MARKED, RowRead, ink_channel, read_page  # noqa: E402
from formgen.ballots.sample import RING_PENS, RING_RADII, filled_pages, ring_pages  # noqa: E402


def naive_read(img, s, truth) -> list[RowRead]:
    """Fixed threshold at nominal positions of the page stretched over the whole image."""
    rating = s.rating(truth.rating_id)
    pl = L.page_layout(rating, truth.page)
    g = cv2.resize(ink_channel(img), (int(L.PAGE_W * 5), int(L.PAGE_H * 5)), interpolation=cv2.INTER_AREA)
    rows = []
    for i, subject in enumerate(pl.subjects):
        inks = []
        for j in range(len(pl.levels)):
            x0, y0, x1, y1 = pl.box(i, j)
            cut = g[int((y0 + INSET) * 5):int((y1 - INSET) * 5), int((x0 + INSET) * 5):int((x1 - INSET) * 5)]
            inks.append(float((cut < 128).mean()))
        marked = [j for j, v in enumerate(inks) if v >= 0.1]
        status, level = ("ok", pl.levels[marked[0]]) if len(marked) == 1 else (
            ("empty", None) if not marked else ("multiple", None))
        rows.append(RowRead(i, pl.first_no + i, subject, status, level, "", inks))
    return rows


def measure(kind: str, sheets: int, seed: int):
    s = settings()
    levels = s.ratings[0].levels
    pages = list(filled_pages(s, sheets, np.random.default_rng(seed), kind, dpis=(150, 200, 300)))
    ours, naive = Counter(), Counter()
    t0, c0 = time.perf_counter(), time.process_time()
    reads = [read_page(img, s, kind, n + 1) for n, (img, _) in enumerate(pages)]
    t_ours = (time.perf_counter() - t0, time.process_time() - c0)
    t0, c0 = time.perf_counter(), time.process_time()
    naive_reads = [naive_read(img, s, truth) for img, truth in pages]
    t_naive = (time.perf_counter() - t0, time.process_time() - c0)
    unread = 0
    for pr, nr, (_, truth) in zip(reads, naive_reads, pages):
        if pr.problem or (pr.code.serial, pr.code.page) != (truth.serial, truth.page):
            unread += 1
            ours["wrong"] += len(truth.rows)
        else:
            for row, t in zip(pr.rows, truth.rows):
                ours[judge(t, row, levels)] += 1
                ours["to_person"] += row.status == "flagged"
                ours["kind_" + t.kind] += 1
        for row, t in zip(nr, truth.rows):
            naive[judge(t, row, levels)] += 1
    return pages, reads, ours, naive, t_ours, t_naive, unread


def rings(kind: str, rounds: int, seed: int) -> tuple[Counter, Counter, int]:
    """Every ring of the grid, ours and naive: (ours, naive, pages)."""
    s = settings()
    levels = s.ratings[0].levels
    ours, naive, n = Counter(), Counter(), 0
    for n, (img, truth) in enumerate(ring_pages(s, np.random.default_rng(seed), kind, rounds=rounds), start=1):
        pr = read_page(img, s, kind, n)
        for row, t in zip(pr.rows if not pr.problem else [None] * len(truth.rows), truth.rows):
            ours[judge(t, row, levels) if row else "wrong"] += 1
        for row, t in zip(naive_read(img, s, truth), truth.rows):
            naive[judge(t, row, levels)] += 1
    return ours, naive, n


def photocopy_is_a_conflict(pages) -> bool:
    """A scanned page fed again with other marks under its number: a conflict, counting nothing."""
    from formgen.ballots.tally import read_files
    from formgen.ledger import ballots as LB
    from formgen.ledger.db import Ledger
    from formgen.ledger.tallies import tally_counts

    from formgen.ballots.code import SheetCode
    from formgen.ballots.sample import blank_page, degrade_scan, draw_mark

    s = settings()
    rating = s.ratings[0]
    img, truth = pages[0]
    rng = np.random.default_rng(5)
    copy = blank_page(s, rating, SheetCode(s.key(rating.id), truth.group, truth.serial, truth.page), 200)
    pl = L.page_layout(rating, truth.page)
    for i in range(len(pl.subjects)):  # the photocopy, filled in again: a tick in the next box of every row
        draw_mark(copy, pl.box(i, ((truth.rows[i].level or 0) + 1) % len(pl.levels)), 200 / 25.4, "tick", "blue", rng)
    copy = degrade_scan(copy, 200, rng)
    files = [("original.jpg", cv2.imencode(".jpg", img)[1].tobytes()), ("copy.jpg", cv2.imencode(".jpg", copy)[1].tobytes())]
    with tempfile.TemporaryDirectory() as d, Ledger(Path(d) / "l.sqlite") as ledger:
        report = read_files(files, s, ledger)
        src = next(iter(LB.counted(ledger).conflicts), None)
        counted = sum(tally_counts(ledger, "internal").values())
    return bool(report.conflicts) and src is not None and counted == 0


def counted_twice(pages, reads) -> int:  # noqa: ARG001
    """Read every page twice into a ledger (a rescan); how many sheets' rows count more than once."""
    from formgen.ballots.tally import read_files
    from formgen.ledger import ballots as LB
    from formgen.ledger.db import Ledger
    from formgen.ledger.tallies import tally_counts

    s = settings()
    files = [(f"p{n}.jpg", cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
             for n, (img, _) in enumerate(pages)]
    rescans = [(f"rescan{n}.jpg", cv2.imencode(".jpg", cv2.flip(img, -1), [cv2.IMWRITE_JPEG_QUALITY, 75])[1].tobytes())
               for n, (img, _) in enumerate(pages[: len(pages) // 2])]  # fed again, the other way up
    with tempfile.TemporaryDirectory() as d, Ledger(Path(d) / "l.sqlite") as ledger:
        report = read_files(files + rescans, s, ledger)
        total = sum(tally_counts(ledger, "internal").values())
        # what one count per sheet page gives: the clear rows of the reading that counts
        expected = sum(r.status == "ok" for r in LB.counted(ledger).rows)
        pages = ledger.execute("SELECT COUNT(DISTINCT source) FROM ballot_reads").fetchone()[0]
    assert pages == report.pages - len(report.duplicates) - len(report.conflicts)
    return total - expected


def accuracy(name, c: Counter) -> str:
    n = (c["right"] + c["flagged"] + c["wrong"]) or 1
    return (f"  {name:<8} marks right {100 * c['right'] / n:7.3f}%   flagged {100 * c['flagged'] / n:5.2f}%   "
            f"wrong (silent) {100 * c['wrong'] / n:6.3f}%")


def line(name, c: Counter, pages: int, secs: tuple[float, float]) -> str:
    return (accuracy(name, c) + f"   {pages / secs[0]:6.1f} pages/s wall "
            f"({pages / max(secs[1], 1e-9):5.1f} per CPU-second)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scans", type=int, default=60, help="sheets scanned (2 pages each; default 60)")
    ap.add_argument("--photos", type=int, default=25, help="sheets photographed (default 25)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--ring-rounds", type=int, default=4, help="times through the circle grid (default 4)")
    args = ap.parse_args()
    cv2.setNumThreads(2)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"load average at start: {load} (pages/s wall depends on it; per CPU-second less so)")
    print(f"thresholds: empty < {EMPTY}, marked ≥ {MARKED} (share of inked pixels in a box)")
    s_levels = settings().ratings[0].levels
    for kind, n in (("scan", args.scans), ("photo", args.photos)):
        pages, reads, ours, naive, t_ours, t_naive, unread = measure(kind, n, args.seed)
        rows = sum(len(t.rows) for _, t in pages)
        print(f"{kind}: {len(pages)} pages, {rows} rows, pages not identified: {unread}")
        print(line("formgen", ours, len(pages), t_ours))
        print(line("naive", naive, len(pages), t_naive))
        kinds = ", ".join(f"{k[5:]} {v}" for k, v in sorted(ours.items()) if k.startswith("kind_"))
        print(f"  rows by truth: {kinds}; rows sent to a person (flagged, with crop): {ours['to_person']}")
        circles = Counter(judge(t, row, s_levels) for pr, (_, tr) in zip(reads, pages) if not pr.problem
                          for row, t in zip(pr.rows, tr.rows) if t.mark == "circle" and t.kind == "one")
        print(f"  circles among these rows: {sum(circles.values())}, right {circles['right']}, "
              f"flagged {circles['flagged']}, wrong {circles['wrong']}")
        r_ours, r_naive, r_pages = rings(kind, args.ring_rounds, args.seed)
        print(f"{kind} circles: radii {RING_RADII} mm × pens {RING_PENS} mm × black/blue/pencil, {r_pages} pages, "
              f"{sum(r_ours.values())} rings")
        print(accuracy("formgen", r_ours))
        print(accuracy("naive", r_naive))
        if kind == "scan":
            print(f"  sheets counted twice after rescanning half the pages: {counted_twice(pages, reads)}")
            print(f"  photocopied sheet (same number, other marks) shown as a conflict, counting nothing: "
                  f"{'yes' if photocopy_is_a_conflict(pages) else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

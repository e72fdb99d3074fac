"""OCR cost per page: CPU seconds and wall seconds per photo and per scanned page.

    .venv/bin/python bench/bench_ocr_speed.py [--variants photo scan] [--shared ../shared]

Reads every file of the corpus's photo/ and scan/ variants in this process (models loaded
before timing) and prints, per variant, pages, wall s/page, CPU s/page (all threads) and the
load average before and after: other work sharing the cores shows in wall, not in CPU.
The same files are checked for accuracy by shared/tools/score_corpus.py; this only times.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_photo import pages_of  # noqa: E402  (one page counter for both OCR benches)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--variants", nargs="+", default=["photo", "scan"])
    args = ap.parse_args()
    from formgen.intake.extract import extract_path
    from formgen.intake.readers.ocr_reader import engine

    engine()  # models loaded before timing
    print(f"{'variant':8} {'pages':>5} {'wall s/page':>12} {'cpu s/page':>11}  load before→after")
    for variant in args.variants:
        files = sorted((args.shared / "corpus" / variant).glob("*.*"))
        files = [f for f in files if f.suffix.lower() in {".jpg", ".jpeg", ".png", ".pdf", ".heic"}]
        pages = sum(pages_of(f) for f in files)
        load0 = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        for f in files:
            extract_path(f)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{variant:8} {pages:>5} {wall / pages:>12.2f} {cpu / pages:>11.2f}  {load0:.2f}→{os.getloadavg()[0]:.2f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

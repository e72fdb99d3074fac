"""Phone photos: formgen's photo path vs the plain scan path, fields right and seconds per photo.

    .venv/bin/python bench/bench_photo.py [--no-public] [--generated N] [--way both|photo|scan] [-v]

Sets (truth from shared/corpus/truth.json):
  public     the corpus's photo/ variant (10 files, 16 photographed pages).
  generated  N more made here from the corpus's scan/ pages with bench/photo_maker.py
             (perspective, roll, uneven light + shadow, warm tint, JPEG; seeds 1000+i, so
             not the public photos): one page → .jpg, more pages → a PDF of photos.
Ways, both in this process, one after the other (models loaded before timing):
  photo      extract_path as shipped: a photo is found and flattened (page_finder), then
             read as a scan; OCR values below the bar or failing their checks are flagged.
  scan path  the same file with photo detection switched off: the page read as it is by
             the scan reader (what formgen did before page finding).
Per way: fields right %, wrong values not flagged (score_corpus's silent-wrong: a wrong
value no problem names), values flagged for review, wall seconds per photographed page, and
CPU seconds per page (all threads: on an idle 2-core machine wall ≈ cpu / 2; wall alone
says little when other work shares the cores).
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from formgen.intake.extract import extract_path  # noqa: E402
from formgen.intake.readers import page_finder  # noqa: E402

import photo_maker  # noqa: E402


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_corpus", shared / "tools" / "score_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(shared: Path, n: int, out: Path) -> list[tuple[Path, dict]]:
    """N photos from the corpus's scan pages (new seeds), with their truth entries."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    truth = json.loads((shared / "corpus" / "truth.json").read_text(encoding="utf-8"))["files"]
    scans = sorted((e for e in truth if e["variant"] == "scan"), key=lambda e: e["file"])
    made = []
    for i in range(n):
        e = scans[i % len(scans)]
        pdf = pdfium.PdfDocument(str(shared / "corpus" / e["file"]))
        shots = []
        for k, page in enumerate(pdf):
            rgb = np.asarray(page.render(scale=200 / 72).to_pil().convert("RGB"))
            shots.append(photo_maker.make_photo(rgb, 1000 + 10 * i + k))
        pdf.close()
        stem = f"gen{i:02d}-{Path(e['file']).stem}"
        if len(shots) == 1:
            path = out / f"{stem}.jpg"
            path.write_bytes(shots[0])
        else:
            path = out / f"{stem}.pdf"
            ims = [Image.open(io.BytesIO(s)) for s in shots]
            ims[0].save(path, "PDF", save_all=True, append_images=ims[1:], resolution=250)
        made.append((path, e))
    return made


def pages_of(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def run(files: list[tuple[Path, dict]], scorer, photo_path: bool) -> dict:
    real = page_finder.looks_like_photo
    if not photo_path:
        page_finder.looks_like_photo = lambda image: False
    right = total = wrong_unflagged = flagged = pages = 0
    seconds = 0.0
    misses = []
    try:
        for path, entry in files:
            pages += pages_of(path)
            t0 = time.perf_counter()
            try:
                [result] = extract_path(path)
                got = result.to_json()
            except Exception as exc:  # a refused photo scores nothing
                got = None
                misses.append((path.name, "*", str(exc)[:80]))
            seconds += time.perf_counter() - t0
            c, t, m = scorer.compare_form(entry, got, scorer.THRESHOLD["photo"])
            right, total = right + c, total + t
            if got is not None:
                wrong_unflagged += scorer.silent_wrong(got, m, entry)
                flagged += sum(1 for p in got["problems"] if p["field"] and p["message"].startswith("需人工核对"))
            misses += [(path.name, k, f"{str(ev)[:30]} → {str(gv)[:30]}") for _b, k, ev, gv in m]
    finally:
        page_finder.looks_like_photo = real
    return dict(right=right, total=total, wrong_unflagged=wrong_unflagged, flagged=flagged,
                s_per_photo=seconds / max(pages, 1), misses=misses)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--generated", type=int, default=4, help="photos to generate from scan pages (default 4)")
    ap.add_argument("--no-public", action="store_true")
    ap.add_argument("--way", choices=["both", "photo", "scan"], default="both",
                    help="both ways (default), or only one (e.g. to split a long run)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = ap.parse_args()
    scorer = load_scorer(args.shared)
    truth = json.loads((args.shared / "corpus" / "truth.json").read_text(encoding="utf-8"))["files"]
    from formgen.intake.readers.ocr_reader import engine

    engine()  # load the models before timing
    sets = {}
    if not args.no_public:
        sets["public"] = [(args.shared / "corpus" / e["file"], e) for e in truth if e["variant"] == "photo"]
    with tempfile.TemporaryDirectory(prefix="bench_photo_") as td:
        if args.generated:
            sets["generated"] = generate(args.shared, args.generated, Path(td))
        print(f"{'set':10} {'way':10} {'fields right':>16} {'wrong unflagged':>16} {'flagged':>8} {'s/photo':>8} "
              f"{'cpu s':>8}")
        for name, files in sets.items():
            for way in [w for w in ("photo", "scan path") if args.way == "both" or w.startswith(args.way)]:
                cpu = time.process_time()
                r = run(files, scorer, way == "photo")
                cpu = (time.process_time() - cpu) / max(sum(pages_of(p) for p, _ in files), 1)
                pct = 100 * r["right"] / max(r["total"], 1)
                print(f"{name:10} {way:10} {r['right']:>6}/{r['total']:<4} {pct:5.1f}% {r['wrong_unflagged']:>16} "
                      f"{r['flagged']:>8} {r['s_per_photo']:>8.2f} {cpu:>8.2f}", flush=True)
                if args.verbose:
                    for m in r["misses"]:
                        print("    miss:", *m)
    return 0


if __name__ == "__main__":
    sys.exit(main())

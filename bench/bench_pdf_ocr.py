"""PDF and scan reading: formgen's readers vs the naive way, seconds per page and fields right.

    .venv/bin/python bench/bench_pdf_ocr.py [--n N] [--shared DIR]

Text PDFs: every corpus entry of variant "pdf".
  formgen  extract_path (pdf_reader: rulings → lattice with merged cells, glyphs into
           cells, paragraphs; then the matcher and validation).
  naive    pdfplumber ``extract_tables()`` per page, then a plain label lookup: a cell
           whose text is a field's label (or a listed variant) gives the next non-empty cell
           of its row; an item name's row gives the last number of the row; the form type
           from the title keywords. Values go through formgen's own field normaliser
           (matcher.field_value), so the difference is the reading, not birth-date parsing.
Scans: the first N corpus entries of variant "scan" (sorted by file name; default 10).
  formgen  extract_path (ocr_reader: red seal removed, deskewed, lattice by OpenCV,
           RapidOCR with use_cls off, characters into cells; matcher, validation).
  naive    each page rendered at 200 dpi (pypdfium2, as formgen does), RapidOCR with its
           default settings (use_cls on) on the whole page as it is, text boxes grouped into
           rows by position, then the same label lookup as above.
Both ways run in this process, one after the other; model loading is done before timing.
Accuracy is score_corpus.compare_form (shared/tools) against truth.json: whitespace-free
equality, long texts by difflib ratio ≥ 0.97 (≥ 0.90 for scans).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

from formgen.forms import builtin_forms
from formgen.intake.extract import extract_path
from formgen.intake.matcher import field_value
from formgen.intake.normalize import label_key, parse_score, strip_parens

DPI = 200


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_corpus", shared / "tools" / "score_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------
# the naive label lookup, shared by the naive PDF and the naive OCR way
# ------------------------------------------------------------------------------------------

def _key(text: str | None) -> str:
    return strip_parens(label_key(text or ""))


def naive_match(rows: list[list[str | None]], text: str) -> dict:
    """rows: the cells of each table row (None for a merged-away cell); text: all page text."""
    flat = re.sub(r"\s+", "", text)
    form = next((f for f in builtin_forms()
                 if any(all(k in flat for k in group) for group in f.title_keywords)), None)
    if form is None:  # no title printed: the form whose labels / item names most cells are
        keys = {_key(c) for row in rows for c in row if c}
        hits = {f.type: sum(any(_key(lab) in keys for lab in fs.all_labels) for fs in f.fields)
                + sum(any(it.name in k for k in keys) for it in f.items) for f in builtin_forms()}
        best = max(hits, key=hits.get)
        form = next(f for f in builtin_forms() if f.type == best) if hits[best] >= 2 else None
    if form is None:
        return {"form_type": None, "fields": {}, "items": []}
    fields: dict = {f.key: None for f in form.fields}
    labels = {_key(lab): f for f in form.fields for lab in f.all_labels}
    for row in rows:
        for i, cell in enumerate(row):
            key = _key(cell)
            f = labels.get(key)
            if f is None:  # "姓名林昇": label and value read as one piece
                lab = next((k for k in sorted(labels, key=len, reverse=True) if k and key.startswith(k)), None)
                if lab is not None and fields[labels[lab].key] is None:
                    fields[labels[lab].key] = field_value(labels[lab], key[len(lab):].lstrip(":："))
                continue
            if fields[f.key] is not None:
                continue
            value = next((c for c in row[i + 1:] if c and c.strip()), None)
            if value is not None and _key(value) not in labels:
                fields[f.key] = field_value(f, value)
    for f in form.fields:  # 推荐单位：XX on a line of its own
        if f.position == "line":
            m = re.search(re.escape(f.label) + r"[:：]\s*(\S[^\n]*)", text)
            fields[f.key] = field_value(f, m.group(1)) if m else None
    items = []
    for it in form.items:
        score = None
        for row in rows:
            if any(c and _key(c).startswith(it.name) for c in row):  # not the criteria text naming it
                score = next((v for v in map(_number, reversed(row)) if v is not None), None)  # 得分: rightmost
                break
        items.append({"name": it.name, "max": it.max, "score": score})
    return {"form_type": form.type, "fields": fields, "items": items}


def _number(cell: str | None) -> float | None:
    if not cell or len(cell.strip()) > 8:
        return None
    try:
        return parse_score(cell)
    except ValueError:  # not a number
        return None


# ------------------------------------------------------------------------------------------
# naive PDF: pdfplumber extract_tables
# ------------------------------------------------------------------------------------------

def naive_pdf(path: Path) -> tuple[dict, int]:
    import pdfplumber

    rows: list[list[str | None]] = []
    texts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows.extend(table)
            texts.append(page.extract_text() or "")
            page.close()
        n = len(pdf.pages)
    return naive_match(rows, "\n".join(texts)), n


# ------------------------------------------------------------------------------------------
# naive OCR: RapidOCR defaults on the whole page
# ------------------------------------------------------------------------------------------

_naive_engine = None


def naive_engine():
    global _naive_engine
    if _naive_engine is None:
        from rapidocr import RapidOCR

        _naive_engine = RapidOCR(params={"Global.log_level": "critical"})  # quiet; all else default
    return _naive_engine


def render_pages(path: Path):
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for page in pdf:
            yield np.asarray(page.render(scale=DPI / 72).to_pil().convert("RGB"))
            page.close()
    finally:
        pdf.close()


def ocr_rows(rgb) -> tuple[list[list[str]], str]:
    """Boxes → rows (a box joins the row whose centre line it crosses), left to right."""
    import numpy as np

    res = naive_engine()(rgb[:, :, ::-1].copy())
    boxes = []
    for box, txt in zip(res.boxes if res.boxes is not None else [], res.txts or []):
        b = np.asarray(box, dtype=float)
        boxes.append((b[:, 1].min(), b[:, 1].max(), b[:, 0].min(), txt))
    rows: list[list[tuple]] = []
    for y0, y1, x0, txt in sorted(boxes):
        cy = (y0 + y1) / 2
        for row in rows:
            ry0, ry1 = min(b[0] for b in row), max(b[1] for b in row)
            if ry0 <= cy <= ry1:
                row.append((y0, y1, x0, txt))
                break
        else:
            rows.append([(y0, y1, x0, txt)])
    cells = [[b[3] for b in sorted(row, key=lambda b: b[2])] for row in rows]
    return cells, "\n".join(" ".join(r) for r in cells)


def naive_ocr(path: Path) -> tuple[dict, int]:
    rows: list[list[str]] = []
    texts = []
    n = 0
    for rgb in render_pages(path):
        r, t = ocr_rows(rgb)
        rows += r
        texts.append(t)
        n += 1
    return naive_match(rows, "\n".join(texts)), n


# ------------------------------------------------------------------------------------------
# running both ways
# ------------------------------------------------------------------------------------------

def formgen_way(path: Path) -> dict:
    [result] = extract_path(path)
    return result.to_json()


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return len(pdf)
    finally:
        pdf.close()


def run(entries, root: Path, scorer, threshold: float, way) -> dict:
    """way(path) → (json, pages). Returns totals: secs, pages, correct, total, files."""
    out = dict(secs=0.0, pages=0, correct=0, total=0, files=0, wrong_type=0)
    for e in entries:
        path = root / e["file"]
        t0 = time.perf_counter()
        got, pages = way(path)
        out["secs"] += time.perf_counter() - t0
        c, t, _ = scorer.compare_form(e, got, threshold)
        out["pages"] += pages
        out["correct"] += c
        out["total"] += t
        out["files"] += 1
        out["wrong_type"] += got.get("form_type") != e["form_type"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="number of corpus scans (default 10)")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    args = parser.parse_args()
    corpus = args.shared / "corpus"
    scorer = load_scorer(args.shared)
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["files"]
    pdfs = [e for e in truth if e["variant"] == "pdf"]
    scans = sorted((e for e in truth if e["variant"] == "scan"), key=lambda e: e["file"])[: max(0, args.n)]
    pdf_thr = scorer.DEFAULT_THRESHOLD
    scan_thr = scorer.THRESHOLD.get("scan", pdf_thr)

    results = []
    # Warm-up (not timed): imports, pdfminer caches, both OCR engines' models.
    formgen_way(corpus / pdfs[0]["file"])
    naive_pdf(corpus / pdfs[0]["file"])
    results.append(("text PDF", "formgen pdf-text",
                    run(pdfs, corpus, scorer, pdf_thr, lambda p: (formgen_way(p), pages_of(p)))))
    results.append(("text PDF", "naive extract_tables", run(pdfs, corpus, scorer, pdf_thr, naive_pdf)))
    if scans:
        try:
            import numpy as np

            from formgen.intake.readers.ocr_reader import engine

            blank = np.full((64, 64, 3), 255, np.uint8)
            engine()(blank)
            naive_engine()(blank)
        except ImportError:
            print("the [ocr] extra is not installed: scans skipped (pip install formgen[ocr])", file=sys.stderr)
            scans = []
    if scans:
        results.append(("scan", "formgen ocr", run(scans, corpus, scorer, scan_thr,
                                                   lambda p: (formgen_way(p), pages_of(p)))))
        results.append(("scan", "naive rapidocr", run(scans, corpus, scorer, scan_thr, naive_ocr)))

    print(f"corpus: {corpus}   text PDFs: {len(pdfs)} files   scans: {len(scans)} files (--n {args.n})")
    print()
    print(f"{'set':<9} {'way':<22} {'files':>5} {'pages':>5} {'total s':>8} {'s/page':>7} "
          f"{'fields right':>13} {'%':>6} {'wrong type':>10}")
    for name, way, r in results:
        pct = 100.0 * r["correct"] / r["total"] if r["total"] else 0.0
        print(f"{name:<9} {way:<22} {r['files']:>5} {r['pages']:>5} {r['secs']:>8.2f} "
              f"{r['secs'] / max(1, r['pages']):>7.3f} {str(r['correct']) + '/' + str(r['total']):>13} "
              f"{pct:>6.1f} {r['wrong_type']:>10}")
    print()

    def part(a, b, label):
        ra, rb = a[2], b[2]
        sa, sb = ra["secs"] / max(1, ra["pages"]), rb["secs"] / max(1, rb["pages"])
        pa, pb = (100.0 * x["correct"] / max(1, x["total"]) for x in (ra, rb))
        return f"{label}: formgen {sa:.3f} s/page {pa:.1f}% vs naive {sb:.3f} s/page {pb:.1f}% ({sa / sb:.2f}x time)"

    parts = [part(results[0], results[1], "text PDF")]
    if len(results) == 4:
        parts.append(part(results[2], results[3], "scan"))
    print("summary: " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A whole campaign at the size of a province: seconds per stage and peak memory.

    .venv/bin/python bench/bench_campaign.py --units 300 [--jobs N] [--no-compare] [--pdf] [--keep DIR]

1. init: ruian-2014 with N units (the preset's 30 units, numbered, cycled).
2. issue: blank forms for every unit.
3. returns (not a formgen stage; timed so the totals add up): each unit sends its four
   forms as the sample's clerks type them (formgen.sample), in the usual mix —
   mostly filled .docx; every 10th unit its forms as PDF (Word "save as PDF", one
   LibreOffice batch); every 10th unit its two score sheets as scans (page images at
   200 dpi) — about 10% scans; every 20th unit a zip, every 20th an email (.eml);
   every 25th unit sends nothing.
4. collect (``--jobs``, default: the core count), 5. score (self-assessed scores: no judges),
6. publish (documents; ``--pdf`` also converts them with LibreOffice).
Then, unless ``--no-compare``: the scans alone collected into fresh ledgers with
``--jobs 1`` and ``--jobs 2``, the naive way (one process) against the pool, same run
(``--compare-scans K``: the first K scans only, when the machine is busy).

Peak memory: ru_maxrss of this process after each stage (it only grows) and of the
pool workers (RUSAGE_CHILDREN), plus tracemalloc's peak of Python allocations within
collect (tracemalloc slows Python code, so it is on only for that stage's second
measure when ``--tracemalloc`` is given).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

from formgen.campaign.load import write_units
from formgen.campaign.model import Unit
from formgen.collect.collect import collect
from formgen.collect.pool import default_jobs
from formgen.issue.init import init_workspace
from formgen.issue.render import issue_forms, safe_filename
from formgen.publish.run import to_pdf
from formgen.publish.stage import publish_campaign
from formgen.sample import load_people
from formgen.sample import packaging as pk
from formgen.sample.fill import ALL_FORMS, Plan, UnitReturn
from formgen.scoring.stage import score
from formgen.workspace import Workspace

SCORE_SHEETS = ("post_score_sheet", "candidate_score_sheet")
WHEN = datetime(2014, 10, 8, 10, 0)
SCAN_DPI = 200  # as a copier scans and as formgen renders image-only PDFs (at 150 dpi 附件2 is often missed)


def _mb(kb: int) -> float:
    return kb / 1024  # ru_maxrss is in KiB on Linux


def rss_mb() -> tuple[float, float]:
    return (_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))


class Stages:
    def __init__(self):
        self.rows: list[tuple[str, float, float, float, str]] = []

    def run(self, name: str, fn, note=lambda result: ""):
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        own, children = rss_mb()
        self.rows.append((name, seconds, own, children, note(result)))
        print(f"  {name:<10} {seconds:8.1f} s   peak RSS {own:7.0f} MB (workers {children:5.0f} MB)  {note(result)}",
              flush=True)
        return result


def make_units(ws: Workspace, n: int) -> list[tuple[str, str]]:
    """N units cycled from the preset's 30 (name + number); (unit, preset unit whose people it sends)."""
    people = load_people()
    base = [u for u in ws.units if u.name in people]
    units, pairs = [], []
    for k in range(n):
        src = base[k % len(base)]
        name = f"{src.name}{k + 1:03d}"
        units.append(Unit(name=name, category=src.category, contact=src.contact, email=f"unit{k + 1:03d}@example.cn"))
        pairs.append((name, src.name))
    write_units(ws.root / ws.campaign.units_file, units)
    return pairs


def _blanks(ws: Workspace, unit: str) -> dict[str, Path]:
    folder = ws.out / "issue" / safe_filename(unit)
    found = {}
    for p in folder.glob("*.docx"):
        from formgen.sample.keyboard import form_type_of

        t = form_type_of(p)
        if t:
            found[t] = p
    return found


def _route(k: int) -> str:
    if k % 25 == 11:
        return "none"
    if k % 10 == 5:
        return "pdf"
    if k % 10 == 3:
        return "scan"
    if k % 20 == 7:
        return "zip"
    if k % 20 == 9:
        return "email"
    return "docx"


def write_returns(ws: Workspace, pairs: list[tuple[str, str]], scans_dir: Path) -> dict[str, int]:
    """Every unit's returned files in forms_in/ (scans also copied to ``scans_dir``); count per route."""
    people = load_people()
    dest = ws.forms_in
    dest.mkdir(exist_ok=True)
    to_pdf: list[tuple[Path, str]] = []  # (docx in a temp folder, "pdf" | "scan")
    tmp = Path(tempfile.mkdtemp(prefix="bench-campaign-"))
    counts: dict[str, int] = {}
    for k, (unit, src) in enumerate(pairs):
        route = _route(k)
        counts[route] = counts.get(route, 0) + 1
        if route == "none":
            continue
        ur = UnitReturn(ws, unit, people[src], Plan(), random.Random(f"bench:{k}"))
        blanks = _blanks(ws, unit)
        built = [(t, ur.build(t, blanks[t], WHEN)[0]) for t in ALL_FORMS if t in blanks]
        names = [(t, f"{Path(blanks[t]).stem}.docx", data) for t, data in built]
        if route == "zip":
            pk.write_zip(dest / f"{unit}-推荐材料.zip", [(n, d) for _, n, d in names], when=WHEN)
        elif route == "email":
            pk.write_eml(dest / f"{unit}报送材料.eml", sender_name=unit, sender=f"unit{k + 1:03d}@example.cn",
                         to="xnb@ruian.gov.cn", subject=f"{unit}推荐材料", date=WHEN, body="请查收。",
                         attachments=[(n, d, "rfc2231") for _, n, d in names])
        else:
            for t, n, d in names:
                if route == "pdf" or (route == "scan" and t in SCORE_SHEETS):
                    path = tmp / f"{k:04d}_{t}.docx"
                    path.write_bytes(d)
                    to_pdf.append((path, route, n))
                else:
                    (dest / n).write_bytes(d)
    _convert(to_pdf, tmp, dest, scans_dir)
    shutil.rmtree(tmp, ignore_errors=True)
    return counts


def _convert(to_pdf: list[tuple[Path, str, str]], tmp: Path, dest: Path, scans_dir: Path) -> None:
    """One LibreOffice call for every PDF; scans: each PDF's first page as a grey image (SCAN_DPI)."""
    if not to_pdf:
        return
    if not pk.soffice_available():
        print("  (LibreOffice not installed: PDF and scan returns sent as .docx)")
        for path, _, name in to_pdf:
            shutil.copy(path, dest / name)
        return
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp), *[str(p) for p, _, _ in to_pdf]],
                   check=True, capture_output=True, timeout=1800)
    import pypdfium2 as pdfium

    scans_dir.mkdir(parents=True, exist_ok=True)
    for path, route, name in to_pdf:
        pdf = path.with_suffix(".pdf")
        stem = Path(name).stem
        if route == "pdf":
            shutil.copy(pdf, dest / f"{stem}.pdf")
            continue
        doc = pdfium.PdfDocument(str(pdf))
        image = doc[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
        doc.close()
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=False)
        (dest / f"{stem}（扫描件）.png").write_bytes(buf.getvalue())
        (scans_dir / f"{stem}（扫描件）.png").write_bytes(buf.getvalue())


def collect_note(report) -> str:
    forms = sum(n for t, n in report.forms.items() if t)
    return (f"{report.new_files} files, {forms} forms, {report.unreadable} unreadable, "
            f"{report.problems} problems")


def compare_jobs(template: Path, scans: Path, work: Path, limit: int | None = None) -> list[tuple[int, float, int]]:
    """The scans alone (the first ``limit``) into fresh ledgers: --jobs 1 (one process), then --jobs 2 (the pool)."""
    out = []
    if limit:
        subset = work / "scans-subset"
        subset.mkdir(exist_ok=True)
        for p in sorted(scans.glob("*.png"))[:limit]:
            shutil.copy(p, subset / p.name)
        scans = subset
    pages = len(list(scans.glob("*.png")))
    for jobs in (1, 2):
        root = work / f"scans-jobs{jobs}"
        shutil.copytree(template, root, ignore=shutil.ignore_patterns("forms_in", "out", "ledger.sqlite*"))
        ws = Workspace.open(root)
        start = time.perf_counter()
        report = collect(ws, [scans], jobs=jobs)
        seconds = time.perf_counter() - start
        forms = sum(n for t, n in report.forms.items() if t)
        out.append((jobs, seconds, forms))
        print(f"  --jobs {jobs}: {seconds:7.1f} s for {pages} scan pages ({seconds / max(pages, 1):.2f} s/page), "
              f"{forms} forms read", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=None, help="collect --jobs (default: core count)")
    parser.add_argument("--no-compare", action="store_true", help="skip the --jobs 1 vs 2 run on the scans")
    parser.add_argument("--compare-scans", type=int, default=None,
                        help="compare --jobs 1 vs 2 on the first K scans only (default: all)")
    parser.add_argument("--pdf", action="store_true", help="publish also converts the documents to PDF")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations in collect")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    args.jobs = args.jobs or default_jobs()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-campaign-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"bench_campaign: {args.units} units, collect --jobs {args.jobs} "
          f"({os.cpu_count()} cores), in {work}", flush=True)
    stages = Stages()
    root = work / "ws"

    def init():
        ws = init_workspace(root, "ruian-2014")
        return ws, make_units(ws, args.units)

    ws, pairs = stages.run("init", init, lambda r: f"{len(r[1])} units")
    ws = Workspace.open(root)
    stages.run("issue", lambda: issue_forms(ws), lambda r: f"{sum(len(u.files) for u in r.units)} blank forms")
    template = work / "template"
    shutil.copytree(root, template, ignore=shutil.ignore_patterns("forms_in", "ledger.sqlite*"))
    scans = work / "scans"
    stages.run("returns", lambda: write_returns(ws, pairs, scans),
               lambda r: ", ".join(f"{k} {v}" for k, v in sorted(r.items())) + " (units by route)")
    n_files = sum(1 for p in ws.forms_in.iterdir())
    print(f"  forms_in: {n_files} files, {len(list(scans.glob('*.png')))} scans", flush=True)
    report = stages.run("collect", lambda: collect(ws, jobs=args.jobs), collect_note)
    if args.tracemalloc:
        shutil.rmtree(root / "out" / "collect", ignore_errors=True)
        for f in root.glob("ledger.sqlite*"):
            f.unlink()
        tracemalloc.start()
        stages.run("collect+tm", lambda: collect(ws, jobs=args.jobs),
                   lambda r: f"tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB")
        tracemalloc.stop()
    stages.run("score", lambda: score(ws), lambda r: f"{sum(len(v) for v in r.ranked.values())} ranked")
    done = stages.run("publish", lambda: publish_campaign(ws), lambda r: f"{len(r.documents)} documents, "
                      f"{sum(r.certificates.values())} certificates")
    if args.pdf:
        stages.run("pdf", lambda: list(to_pdf(done.printable)), lambda r: f"{len(r)} PDFs")
    total = sum(s for name, s, *_ in stages.rows if name not in ("returns", "collect+tm"))
    print(f"  formgen stages total {total:.1f} s (returns generation excluded); "
          f"unchanged re-collect: ", end="", flush=True)
    start = time.perf_counter()
    again = collect(ws, jobs=args.jobs)
    print(f"{time.perf_counter() - start:.1f} s ({again.unchanged} unchanged)", flush=True)
    if not args.no_compare and list(scans.glob("*.png")):
        print("scans only, fresh ledger each (the naive way: one process; formgen: the pool):")
        rows = compare_jobs(template, scans, work, args.compare_scans)
        if len(rows) == 2 and rows[1][1] > 0:
            print(f"  --jobs 2 / --jobs 1 speed-up: {rows[0][1] / rows[1][1]:.2f}x "
                  f"(same forms read: {rows[0][2] == rows[1][2]})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if report.new_files else 1


if __name__ == "__main__":
    sys.exit(main())

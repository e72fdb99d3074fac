"""One soffice call for a whole batch vs one call per file.

    .venv/bin/python bench/bench_convert.py [--shared DIR]

Inputs: a fixed sample of Apache POI .doc files that convert cleanly
(shared/corpus/foreign/poi) plus .doc files made from the corpus .docx forms
by LibreOffice first (not timed). Both ways run in this process, one after
the other, and must produce the same number of .docx files.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from formgen.errors import InputFileError
from formgen.intake.convert import convert_to_docx, soffice_path
from formgen.intake.result import SourceFile

POI_SAMPLE = [
    "simple.doc", "simple-table.doc", "table-merges.doc", "innertable.doc", "footnote.doc",
    "Lists.doc", "test2.doc", "FancyFoot.doc", "page-break-before.doc", "Bug44292.doc",
]


def make_docs_from_corpus(soffice: str, docx_dir: Path, outdir: Path) -> list[Path]:
    files = sorted(docx_dir.glob("*.docx"))
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(outdir / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=300)
    return sorted(outdir.glob("*.doc"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    args = parser.parse_args()
    soffice = soffice_path()
    if soffice is None:
        print("soffice not found; install LibreOffice", file=sys.stderr)
        return 1
    poi = args.shared / "corpus" / "foreign" / "poi"
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        start = time.perf_counter()
        made = make_docs_from_corpus(soffice, args.shared / "corpus" / "docx", Path(tmp))
        print(f"setup: {len(made)} .doc made from corpus .docx in {time.perf_counter() - start:.1f} s")
        paths = [poi / name for name in POI_SAMPLE if (poi / name).exists()] + made
        sources = [SourceFile(name=p.name, data=p.read_bytes(), path=str(p)) for p in paths]

    def converted(results) -> int:
        return sum(not isinstance(r, InputFileError) for r in results)

    start = time.perf_counter()
    batch = convert_to_docx(sources)
    t_batch = time.perf_counter() - start

    start = time.perf_counter()
    single = [convert_to_docx([s])[0] for s in sources]
    t_single = time.perf_counter() - start

    n = len(sources)
    print(f"files: {n} ({len(POI_SAMPLE)} POI + {n - len(POI_SAMPLE)} from corpus)")
    print(f"one soffice call for all: {t_batch:6.1f} s  ({t_batch / n:.2f} s/file, {converted(batch)} converted)")
    print(f"one soffice call a file:  {t_single:6.1f} s  ({t_single / n:.2f} s/file, {converted(single)} converted)")
    print(f"ratio per-file / batch:   {t_single / t_batch:6.1f}x")
    return 0 if converted(batch) == converted(single) == n else 1


if __name__ == "__main__":
    sys.exit(main())

"""The intake numbers in one run: text PDF and scan seconds per page (formgen vs
the naive way, with accuracy), then one soffice call for a batch vs one per file.

    .venv/bin/python bench/bench_intake.py [--n SCANS] [--shared DIR]

It runs bench_pdf_ocr.py and bench_convert.py one after the other in this process.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="number of corpus scans (default 10)")
    parser.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    args = parser.parse_args()
    status = 0
    for name, argv in (("bench_pdf_ocr", ["--n", str(args.n), "--shared", str(args.shared)]),
                       ("bench_convert", ["--shared", str(args.shared)])):
        print(f"== {name}")
        start = time.perf_counter()
        sys.argv = [name, *argv]
        status |= _bench(name).main()
        print(f"({time.perf_counter() - start:.0f} s)\n")
    return status


if __name__ == "__main__":
    sys.exit(main())

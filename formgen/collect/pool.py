"""``collect --jobs N``: the slow readers (OCR of scans and photos, PDF layout) in a process pool.

Only reading happens in the workers: each reads one file from disk and returns
what :func:`formgen.intake.extract.extract_source` made of it (or why it could
not), as plain picklable data. Everything written to the ledger is written by
the parent process, in the order collect lists the files, so a run with
``--jobs 4`` records exactly what ``--jobs 1`` records.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from formgen.errors import InputFileError
from formgen.forms import FormSpec
from formgen.intake.result import SourceFile
from formgen.intake.sniff import sniff

SLOW_KINDS = {"pdf", "png", "jpg"}  # PDF layout and OCR: seconds a page; everything else is milliseconds
HEAD = 4096


def default_jobs() -> int:
    return os.cpu_count() or 1


def is_slow(path: Path) -> bool:
    """A scan, photo or PDF, judged by the file's first bytes (as collect itself judges formats)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD)
    except OSError:
        return False
    return sniff(head, path.name) in SLOW_KINDS


def read_in_worker(path: str, name: str, expected_sha: str, forms: list[FormSpec]) -> tuple:
    """One file read and extracted, in a worker process. Returns one of
    ``("ok", data, results)``, ``("error", data, message, kind)``, ``("transient", why)``,
    ``("internal", data, traceback text)`` — never raises (exceptions do not pickle reliably)."""
    from formgen.intake.extract import extract_source

    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return ("transient", f"无法读取（{e.strerror or e}）")
    if expected_sha and hashlib.sha256(data).hexdigest() != expected_sha:
        return ("transient", "在收件过程中被改动（可能仍在复制中）")
    try:
        return ("ok", data, extract_source(SourceFile(name=name, data=data, path=path), forms))
    except InputFileError as e:
        return ("error", data, e.reason, e.kind)
    except Exception as e:  # a reader bug: the parent logs it, the batch goes on
        return ("internal", data, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")


def _share_cores(workers: int) -> None:
    """In each worker: OCR threads = cores / workers, so the pool does not oversubscribe the CPU."""
    from formgen.intake.readers.ocr_reader import THREADS_ENV

    os.environ[THREADS_ENV] = str(max(1, (os.cpu_count() or 1) // workers))


class SlowReaders:
    """Submits the slow files of a run to a pool up front; ``outcome(path)`` waits for one."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Path, Future] = {}

    def submit(self, files: list[tuple[Path, str, str]], forms: list[FormSpec]) -> None:
        """``files``: (path, shown name, sha256 when listed). No pool for one job or fewer than two files."""
        slow = [f for f in files if is_slow(f[0])]
        if self.jobs < 2 or len(slow) < 2:
            return
        # forkserver: the parent may run threads (the progress bar); fork would copy their locks
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        workers = min(self.jobs, len(slow))
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                        initializer=_share_cores, initargs=(workers,))
        for path, name, sha in slow:
            self.futures[path] = self.pool.submit(read_in_worker, str(path), name, sha, forms)

    def outcome(self, path: Path) -> tuple | None:
        """The worker's outcome for ``path``; None when it was not sent to the pool (read it in-process)."""
        future = self.futures.pop(path, None)
        if future is None:
            return None
        try:
            return future.result()
        except Exception as e:  # the worker died (out of memory, killed): read in-process instead
            return ("retry", str(e))

    def close(self) -> None:
        if self.pool is not None:
            for f in self.futures.values():
                f.cancel()
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> "SlowReaders":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

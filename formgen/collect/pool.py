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
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from formgen.errors import InputFileError
from formgen.forms import FormSpec
from formgen.intake.containers import expand
from formgen.intake.issued import IssuedTable, reading_issued
from formgen.intake.limits import MAX_BYTES
from formgen.intake.result import SourceFile
from formgen.intake.sniff import sniff

SLOW_KINDS = {"pdf", "png", "jpg", "heic"}  # PDF layout and OCR: seconds a page; everything else is milliseconds
CONTAINERS = {"zip", "eml", "msg", "mbox"}
HEAD = 4096


def default_jobs() -> int:
    return os.cpu_count() or 1


def is_slow(path: Path) -> bool:
    """A scan, photo or PDF, judged by the file's first bytes (as collect itself judges formats);
    or a zip or an email that holds one — unless it also holds an old-format file, which the
    parent converts in its one LibreOffice batch."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD)
        kind = sniff(head, path.name)
        if kind in CONTAINERS and path.stat().st_size <= MAX_BYTES:
            return _holds_slow(SourceFile(name=path.name, data=path.read_bytes(), path=str(path)))
    except OSError:
        return False
    return kind in SLOW_KINDS


def _holds_slow(container: SourceFile, depth: int = 0) -> bool:
    from formgen.intake.extract import CONVERTIBLE, MAX_DEPTH

    try:
        members, _ = expand(container)
    except InputFileError:
        return False  # said in-process when its turn comes
    slow = False
    for m in members:
        kind = sniff(m.data, m.name)
        if kind in CONVERTIBLE:
            return False
        if kind in CONTAINERS and depth + 1 < MAX_DEPTH:
            slow = slow or _holds_slow(m, depth + 1)
        slow = slow or kind in SLOW_KINDS
    return slow


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
        with reading_issued(_issued):
            return ("ok", data, extract_source(SourceFile(name=name, data=data, path=path), forms))
    except InputFileError as e:
        return ("error", data, e.reason, e.kind)
    except Exception as e:  # a reader bug: the parent logs it, the batch goes on
        return ("internal", data, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")


_issued: list[IssuedTable] = []  # in a worker: the issued forms' tables its scans are matched to


def _start_worker(workers: int, issued: list[IssuedTable]) -> None:
    """In each worker, once: OCR threads = cores / workers, so the pool does not oversubscribe
    the CPU; the issued tables kept for every file it reads. (The OCR models are loaded on the
    worker's first scan and kept for the next ones: one load per worker, not per file.)"""
    from formgen.intake.readers.ocr_reader import THREADS_ENV

    global _issued
    os.environ[THREADS_ENV] = str(max(1, (os.cpu_count() or 1) // workers))
    _issued = issued


class SlowReaders:
    """Submits the slow files of a run to a pool up front; ``outcome(path)`` waits for one."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Path, Future] = {}

    def submit(self, files: list[tuple[Path, str, str]], forms: list[FormSpec],
               issued: Callable[[], list[IssuedTable]] = list) -> None:
        """``files``: (path, shown name, sha256 when listed). No pool for one job or fewer than two files.
        ``issued``: the issued tables (formgen.intake.issued) the workers match scans to."""
        slow = [f for f in files if is_slow(f[0])]
        if self.jobs < 2 or len(slow) < 2:
            return
        # forkserver: the parent may run threads (the progress bar); fork would copy their locks
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        workers = min(self.jobs, len(slow))
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                        initializer=_start_worker, initargs=(workers, issued()))
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

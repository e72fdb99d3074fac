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
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
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
# A file still being read after this long is skipped (one line) and its worker killed: a reader caught in a
# loop must not hold the batch. Generous: a 40-page scan takes a few minutes of OCR on a slow office PC.
FILE_SECONDS_ENV = "FORMGEN_FILE_SECONDS"
FILE_SECONDS = 900.0
_POLL = 0.25  # seconds between looks at a running file's clock


def file_seconds() -> float:
    """The per-file time limit: FORMGEN_FILE_SECONDS when set to a positive number, else FILE_SECONDS."""
    try:
        value = float(os.environ.get(FILE_SECONDS_ENV, ""))
    except ValueError:
        return FILE_SECONDS
    return value if 0 < value < float("inf") else FILE_SECONDS


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
_started: "multiprocessing.Queue | None" = None  # in a worker: where it says which file it begins
_generation = 0  # in a worker: which pool it belongs to (a replaced pool's last words are ignored)


def _worker_start(workers: int, lifeline, started, generation: int = 0,
                  issued: list[IssuedTable] | None = None) -> None:
    """In each worker: share the cores, watch the parent, and say when each file begins.

    OCR threads = cores / workers, so the pool does not oversubscribe the CPU. ``lifeline`` is the
    read end of a pipe whose only write end the collect process holds: when that process dies
    (kill -9, a closed console on Windows) the pipe reads end-of-file and the worker exits at once,
    even in the middle of a file. A pipe, not the parent's pid: pids are reused, and on Windows a
    process has no parent-death signal. ``issued``: the issued tables kept for every scan it reads
    (the OCR models load on the first scan and stay: one load per worker, not per file).
    """
    global _started, _generation, _issued
    from formgen.intake.readers.ocr_reader import THREADS_ENV

    os.environ[THREADS_ENV] = str(max(1, (os.cpu_count() or 1) // workers))
    _started, _generation = started, generation
    _issued = issued or []

    def watch() -> None:
        try:
            lifeline.recv()  # the parent never sends: this returns only by raising, when the parent is gone
        except BaseException:
            pass
        os._exit(1)

    threading.Thread(target=watch, name="formgen-parent-watch", daemon=True).start()


def _timed_read(path: str, name: str, expected_sha: str, forms: list[FormSpec]) -> tuple:
    """:func:`read_in_worker`, after telling the parent this worker (pid) now reads ``path``."""
    if _started is not None:
        _started.put((_generation, os.getpid(), path, time.time()))
    return read_in_worker(path, name, expected_sha, forms)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # SIGTERM is TerminateProcess on Windows
    except OSError:
        pass  # already gone


class SlowReaders:
    """Submits the slow files of a run to a pool up front; ``outcome(path)`` waits for one.

    A file that runs past :func:`file_seconds` gets ``("timeout", seconds)``: its worker is killed,
    which breaks the pool, so a fresh pool takes the files not yet done.
    """

    def __init__(self, jobs: int, seconds: float | None = None):
        self.jobs = max(1, jobs)
        self.seconds = seconds if seconds is not None else file_seconds()
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Path, Future] = {}
        self._args: dict[Path, tuple[str, str]] = {}
        self._forms: list[FormSpec] = []
        self._began: dict[str, tuple[int, float]] = {}  # path → (worker pid, when it began)
        self._workers = 0
        self._generation = 0
        self._issued: list[IssuedTable] = []
        self._ctx = None
        self._lifeline = None  # (read end, write end); the write end never leaves this process
        self._started_queue = None

    def submit(self, files: list[tuple[Path, str, str]], forms: list[FormSpec],
               issued: Callable[[], list[IssuedTable]] = list) -> None:
        """``files``: (path, shown name, sha256 when listed). No pool for one job or fewer than two files.
        ``issued``: the issued tables (formgen.intake.issued) the workers match scans to."""
        slow = [f for f in files if is_slow(f[0])]
        if self.jobs < 2 or len(slow) < 2:
            return
        # forkserver: the parent may run threads (the progress bar); fork would copy their locks
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        self._workers = min(self.jobs, len(slow))
        self._lifeline = self._ctx.Pipe(duplex=False)
        self._started_queue = self._ctx.Queue()
        self._forms = forms
        self._issued = issued()
        self._args = {path: (name, sha) for path, name, sha in slow}
        self._start_pool(list(self._args))

    def _start_pool(self, paths: list[Path]) -> None:
        self._generation += 1
        self.pool = ProcessPoolExecutor(
            max_workers=self._workers, mp_context=self._ctx, initializer=_worker_start,
            initargs=(self._workers, self._lifeline[0], self._started_queue, self._generation, self._issued))
        for path in paths:
            name, sha = self._args[path]
            self.futures[path] = self.pool.submit(_timed_read, str(path), name, sha, self._forms)

    def outcome(self, path: Path) -> tuple | None:
        """The worker's outcome for ``path``; None when it was not sent to the pool (read it in-process)."""
        future = self.futures.pop(path, None)
        if future is None:
            return None
        while True:
            try:
                return future.result(timeout=_POLL)
            except FutureTimeout:
                pass
            except Exception as e:  # the worker died (out of memory, killed): read in-process instead
                return ("retry", str(e))
            self._note_started()
            pid, began = self._began.get(str(path), (None, None))
            if pid is not None and time.time() - began > self.seconds:
                self._give_up(pid)
                return ("timeout", self.seconds)

    def _note_started(self) -> None:
        while True:
            try:
                generation, pid, path, began = self._started_queue.get_nowait()
            except queue.Empty:
                return
            if generation == self._generation:
                self._began[path] = (pid, began)

    def _give_up(self, pid: int) -> None:
        """Kill the worker stuck on a file; the pool it broke is replaced and takes the files not yet done."""
        _kill(pid)
        old, self.pool = self.pool, None
        old.shutdown(wait=True, cancel_futures=True)  # a dead worker marks the pool broken; the rest are ended
        redo = [p for p, f in self.futures.items() if not (f.done() and f.exception() is None)]
        self._began.clear()
        self._start_pool(redo)

    def close(self) -> None:
        if self.pool is not None:
            for f in self.futures.values():
                f.cancel()
            self._note_started()  # a run cut short (an error, Ctrl+C) must not wait on a stuck worker
            for path, (pid, _) in self._began.items():
                future = self.futures.get(Path(path))
                if future is not None and not future.done():
                    _kill(pid)
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self._lifeline is not None:
            for end in self._lifeline:
                end.close()
            self._lifeline = None
        if self._started_queue is not None:
            self._started_queue.close()
            self._started_queue = None

    def __enter__(self) -> "SlowReaders":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

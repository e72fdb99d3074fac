"""One background worker per workspace for the long work: collect, mail, LibreOffice, ballots.

A thread in the server process (Windows-safe: no fork; collect's own reader pool uses spawn).
Jobs run one after another; their state lives here, not in the browser, so a reload or a second
clerk sees the same job running. Pages poll ``/api/jobs`` (formgen.desk.pages.jobs).
"""
from __future__ import annotations

import contextvars
import itertools
import queue
import threading
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from formgen.errors import FormgenError
from formgen.ledger.decisions import acting_as
from formgen.privacy import redact

KEEP_LINES = 2000  # lines kept per job (a 1,000-file collect stays whole)
KEEP_JOBS = 50
_ids = itertools.count(1)


@dataclass
class Line:
    text: str
    level: str = "info"  # info, problem, error


@dataclass
class Job:
    id: int
    kind: str  # collect, mail, remind …
    label: str  # 收取文件 …
    started_by: str
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int | None = None
    current: str = ""
    lines: list[Line] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    error: str | None = None
    queued_at: datetime = field(default_factory=datetime.now)
    finished_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def as_json(self, since: int = 0) -> dict:
        return {"id": self.id, "kind": self.kind, "label": self.label, "by": self.started_by, "state": self.state,
                "done": self.done, "total": self.total, "current": self.current,
                "lines": [{"text": ln.text, "level": ln.level} for ln in self.lines[since:]], "line_count": len(self.lines),
                "summary": self.summary, "error": self.error, "queued_at": f"{self.queued_at:%H:%M:%S}",
                "finished_at": f"{self.finished_at:%H:%M:%S}" if self.finished_at else None}


class Progress:
    """What a job's function is handed to report as it goes."""

    def __init__(self, job: Job, lock: threading.Lock):
        self._job, self._lock = job, lock

    def step(self, done: int, total: int | None, current: str = "") -> None:
        with self._lock:
            self._job.done, self._job.total, self._job.current = done, total, current

    def line(self, text: str, level: str = "info") -> None:
        with self._lock:
            if len(self._job.lines) < KEEP_LINES:
                self._job.lines.append(Line(redact(text), level))


JobFn = Callable[[Progress], list[str]]  # returns the summary lines


class Worker:
    def __init__(self, root: Path):
        self.root = root
        self._jobs: list[Job] = []
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name=f"formgen-desk-worker-{root.name}", daemon=True)
        self._thread.start()

    def submit(self, kind: str, label: str, fn: JobFn, actor: str, join_running: bool = True) -> Job:
        """Queue ``fn``; a job of the same kind already waiting (or, with ``join_running``, running) is
        returned instead — a second clerk pressing 收取 joins the first one's job."""
        with self._lock:
            for j in self._jobs:
                if j.kind == kind and (j.state == "queued" or (join_running and j.state == "running")):
                    return j
            job = Job(next(_ids), kind, label, actor)
            self._jobs.append(job)
            del self._jobs[:-KEEP_JOBS]
        self._queue.put((job, fn, contextvars.copy_context()))
        return job

    def jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs if j.id == job_id), None)

    def snapshot(self, job_id: int, since: int = 0) -> dict | None:
        with self._lock:
            job = next((j for j in self._jobs if j.id == job_id), None)
            return job.as_json(since) if job else None

    def active(self) -> list[Job]:
        return [j for j in self.jobs() if j.active]

    def stop(self) -> None:
        self._queue.put(None)

    def wait_idle(self, timeout: float | None = None) -> None:
        """Until every queued job has finished (tests, and the server on Ctrl-C)."""
        done = threading.Event()
        self._queue.put((None, done.set, None))
        done.wait(timeout)

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, fn, ctx = item
            if job is None:  # wait_idle's marker
                fn()
                continue
            ctx.run(self._run, job, fn)

    def _run(self, job: Job, fn: JobFn) -> None:
        with self._lock:
            job.state = "running"
        progress = Progress(job, self._lock)
        try:
            with acting_as(job.started_by):
                summary = fn(progress)
            state, error = "done", None
        except FormgenError as e:
            summary, state, error = [], "failed", f"错误：{redact(str(e))}"
        except Exception as e:  # a bug: one line on the page, the details in the workspace's log
            summary, state = [], "failed"
            error = internal_error_line(self.root, e)
        with self._lock:
            job.summary, job.state, job.error, job.finished_at = summary or [], state, error, datetime.now()


def internal_error_line(root: Path | None, e: BaseException) -> str:
    """The one line a bug becomes (as the CLI prints it), the traceback kept in out/desk/error.log."""
    where = ""
    if root is not None:
        try:
            log = root / "out" / "desk" / "error.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S}\n{redact(traceback.format_exc())}\n")
            where = f"，详情见 {log}"
        except OSError:
            pass
    return f"错误：程序内部错误（{type(e).__name__}: {redact(str(e))}）{where}。请将此信息反馈给维护人员。"

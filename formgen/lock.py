"""One formgen at a time may change a workspace: an OS file lock on ``.formgen.lock``.

The lock is the operating system's (``flock`` on Linux and macOS, ``msvcrt.locking`` on
Windows), so it ends with the process that holds it: a run killed with ``kill -9`` or
closed from the task manager leaves the file behind but not the lock, and the next run
goes ahead. The file holds who took it (pid, command, time), for the message the second
run shows. Nested use in one process (``collect`` rewriting 收件情况.xlsx) is free.
"""
from __future__ import annotations

import functools
import os
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from formgen.errors import FormgenError

LOCK_FILE = ".formgen.lock"
_INFO_BYTES = 4096  # Windows locks a byte range: lock one byte past the info so it stays readable
_held: dict[Path, int] = {}  # lock file → nesting depth in this process


class WorkspaceBusy(FormgenError):
    exit_code = 75  # EX_TEMPFAIL: try again later


@contextmanager
def workspace_lock(root: Path, what: str):
    """Hold the workspace lock while ``what`` (a command name, 收件 …) runs; one Chinese line
    (:class:`WorkspaceBusy`) when another process holds it."""
    path = (Path(root) / LOCK_FILE).resolve()
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    fh = open(path, "a+b")  # noqa: SIM115 - closed below, after the lock is released
    try:
        if not _try_lock(fh):
            raise WorkspaceBusy(f"另一个 formgen 正在处理这个工作目录（{_holder(path)}）；"
                                "请等它结束后再运行（若它已被关闭，锁会自动解除，直接重新运行即可）")
        _stamp(fh, what)
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            _unlock(fh)
    finally:
        fh.close()


def _holder(path: Path) -> str:
    try:
        pid, what, when = path.read_text(encoding="utf-8").strip().split("\t")
        return f"进程 {pid}，formgen {what}，{when} 开始"
    except (OSError, ValueError):
        return "进程信息不详"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fh) -> bool:
        fh.seek(_INFO_BYTES)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fh.seek(_INFO_BYTES)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fh) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def locked(what: str):
    """Decorator: the function (whose first argument is the workspace) runs under :func:`workspace_lock`."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(ws, *args, **kwargs):
            with workspace_lock(ws.root, what):
                return fn(ws, *args, **kwargs)
        return run
    return wrap


DESK_LOCK_FILE = ".formgen-desk.lock"


class DeskOpen(FormgenError):
    exit_code = 75


class HeldLock:
    """A lock held until :meth:`release` (the desk keeps its workspace's for as long as it runs)."""

    def __init__(self, fh):
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            _unlock(self._fh)
            self._fh.close()
            self._fh = None


def _stamp(fh, what: str) -> None:
    """Who holds the lock, for the line a second process shows: pid, what it does, since when."""
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\t{what}\t{datetime.now():%Y-%m-%d %H:%M:%S}\n".encode("utf-8"))
    fh.flush()


def desk_lock(root: Path, where: str) -> HeldLock:
    """One ``formgen desk`` per workspace: a second one gets one Chinese line naming the first
    (``where``: the address it serves). The same OS lock as :func:`workspace_lock`, on its own file,
    so the CLI still runs beside an open desk."""
    path = (Path(root) / DESK_LOCK_FILE).resolve()
    fh = open(path, "a+b")  # noqa: SIM115 - kept open while the desk runs
    if not _try_lock(fh):
        fh.close()
        raise DeskOpen(f"这个工作目录已在另一个 formgen desk 中打开（{_desk_holder(path)}）；"
                       "请切换到已打开的浏览器页面，或先关闭那个 desk（若它已退出，直接重新运行即可）")
    _stamp(fh, where)
    return HeldLock(fh)


def _desk_holder(path: Path) -> str:
    try:
        pid, where, when = path.read_text(encoding="utf-8").strip().split("\t")
        return f"进程 {pid}，{when} 开始，地址 {where}"
    except (OSError, ValueError):
        return "进程信息不详"

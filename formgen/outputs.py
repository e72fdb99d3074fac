"""Every file formgen writes for people (workbooks, documents, PDFs) goes through :func:`write_file`.

The new file is written under a unique temporary name in the target's folder and then
moved over the target in one step, so a reader never sees half a file and two runs at
once never share a temporary name. When the target cannot be replaced — open in Excel
or WPS (Windows locks it), read-only, or something else stands at its name — the new
file is kept under another name beside it, and one Chinese line saying so is queued in
:func:`take_notices`, which the command line prints at the end of the command.
"""
from __future__ import annotations

import os
import stat
import secrets
from datetime import datetime
from pathlib import Path
from typing import Callable

from formgen.errors import FormgenError

_notices: list[str] = []


def take_notices() -> list[str]:
    """The lines queued since the last call (each said once)."""
    out = list(_notices)
    _notices.clear()
    return out


def notice(line: str) -> None:
    _notices.append(line)


def write_file(path: Path, write: Callable[[Path], object], *, keep_old: str | None = None) -> Path:
    """Write ``path`` with ``write(tmp)`` (``wb.save``, ``doc.save``, ``Path.write_bytes`` …); returns the
    path written: ``path``, or a sibling when ``path`` cannot be replaced (see the module docstring).

    ``keep_old`` (a Chinese reason) means the file at ``path`` must not be overwritten: the new one
    goes beside it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # pid + random: unique across processes and calls; created by ``write`` itself, so it gets the
    # usual permissions (mkstemp's would be 0600)
    # short and unique: a name that just fits the file system must still fit while it is being written
    tmp = path.with_name(f".~fg-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        write(tmp)
        if keep_old is None and not _read_only(path):
            try:
                os.replace(tmp, path)
                return path
            except OSError:  # PermissionError (Excel has it open), IsADirectoryError …
                pass
            why = "正在被 Excel/WPS 打开或无法替换"
        else:
            why = keep_old or "是只读文件"
        other = _beside(path)
        try:
            os.replace(tmp, other)
        except OSError as e:
            raise FormgenError(f"无法写入 {path.parent} 中的 {path.name}（{e.strerror or e}）；"
                               "请检查该文件夹是否可写后重试") from None
        notice(f"{path.name} {why}，未覆盖；新的已保存为 {other}，请关闭旧文件后改用新文件")
        return other
    finally:
        if tmp.exists():
            try:
                tmp.unlink()
            except OSError:
                pass


def write_bytes(path: Path, data: bytes) -> Path:
    return write_file(path, lambda tmp: tmp.write_bytes(data))


def _read_only(path: Path) -> bool:
    """A target the user made read-only keeps its bytes (Windows refuses to replace it anyway)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and not st.st_mode & stat.S_IWUSR


def _beside(path: Path) -> Path:
    """A free name next to ``path``: 收件情况（新 20261207-135501）.xlsx, then …-2, -3."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        other = path.with_name(f"{path.stem}（新 {stamp}{'' if n == 1 else f'-{n}'}）{path.suffix}")
        if not os.path.lexists(other):
            return other
        n += 1

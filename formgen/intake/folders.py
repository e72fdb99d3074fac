"""The one folder reader: every folder formgen reads from is listed and read by these rules.

forms_in/ (collect), ballots_in/ (ballots read) and the folders of returned
workbooks (panel, scorers, inputs/…: :func:`workbooks_in`) all go through
:func:`list_files` and :func:`read_listed`, so a rule holds everywhere or nowhere:

* Symbolic links are never followed (``ln -s /etc/passwd ballots_in/x.jpg``
  must not put the target into the ledger); they and hidden files are
  reported, not silently skipped. Office lock files and OS metadata are
  skipped quietly: no unit sends them.
* A file over :data:`~formgen.intake.limits.MAX_BYTES` is not read into memory;
  :func:`read_listed` refuses it with the one too-large line.
* A name that is not valid UTF-8 (GBK from a Windows share or an old unzip)
  arrives as surrogate escapes, which SQLite and Excel cannot hold: it is
  decoded as the zip reader decodes member names (UTF-8, then GB18030).
  Control and format characters (U+202E right-to-left override …) are removed
  from every name shown, as they are from names inside zips.

It sits in intake (the lowest stage) so that collect, ballots and scoring all
import it without a loop.
"""
from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from formgen.errors import FormgenError, InputFileError
from formgen.intake.containers.names import decode_bytes
from formgen.intake.limits import MAX_BYTES, too_large
from formgen.outputs import notice

LOCK_PREFIXES = ("~$", ".~lock", "~WRL")
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

SYMLINK = "是符号链接（快捷方式），formgen 不跟随链接读取；如确是报送材料，请把文件本身复制到该文件夹后重新读取"
HIDDEN = "是隐藏文件（文件名以“.”开头），未读取；如确是报送材料，请去掉文件名开头的“.”后重新读取"
HIDDEN_DIR = "是隐藏文件夹（名称以“.”开头），其中的文件未读取；如确是报送材料，请改名后重新读取"


def shown_name(text: str) -> str:
    """``text`` (a name or path from the disk) as text the ledger and workbooks can hold and show.

    >>> shown_name("\\udcb6\\udcab\\udcc9\\udcbd.docx")  # GBK bytes of 东山, not valid UTF-8
    '东山.docx'
    >>> shown_name("申报表\\u202excod.exe")
    '申报表xcod.exe'
    """
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = decode_bytes(os.fsencode(text))
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


def _quiet(name: str) -> bool:
    return name.startswith(LOCK_PREFIXES) or name.lower() in JUNK_NAMES


@dataclass
class Listing:
    files: list[Path] = field(default_factory=list)  # to read, in a stable order
    ignored: list[str] = field(default_factory=list)  # lock files and OS metadata (not reported)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (shown path, why): reported to staff

    def skipped_lines(self) -> list[str]:
        return [f"{name}：{why}" for name, why in self.skipped]


def list_files(paths: list[Path], own: list[Path] = (), recursive: bool = True,
               patterns: tuple[str, ...] | None = None) -> Listing:
    """The files under ``paths``, never following a symbolic link; ``own``: formgen's output.

    ``recursive=False`` looks in the folders themselves only; ``patterns`` (``("*.xlsx",)``)
    keeps the names that match one of them (others are not ours: not listed at all).
    A path that does not exist is an error."""
    out = Listing()
    seen: set[Path] = set()

    def consider(f: Path) -> None:
        if patterns is not None and not any(f.match(p) for p in patterns):
            return
        if f.is_symlink():
            out.skipped.append((shown_name(str(f)), SYMLINK))
            return
        if _quiet(f.name):
            out.ignored.append(shown_name(str(f)))
            return
        if f.name.startswith("."):
            out.skipped.append((shown_name(str(f)), HIDDEN))
            return
        if not f.is_file():
            return  # a fifo or device: nothing a unit sent
        r = f.resolve()
        if any(r == o or o in r.parents for o in own) or r in seen:
            return
        seen.add(r)
        out.files.append(r)

    for given in paths:
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise FormgenError(f"找不到 {given}；请检查路径")
        if not p.is_dir():  # (a folder given by a link is walked: staff chose it)
            consider(p)
            continue
        for folder, dirs, names in os.walk(p, followlinks=False):
            base = Path(folder)
            for d in sorted(dirs) if recursive else ():
                sub = base / d
                if sub.is_symlink():
                    out.skipped.append((shown_name(str(sub)), SYMLINK))
                elif d.lower() == "__macosx":  # macOS resource forks beside an unzipped folder
                    out.ignored.append(shown_name(str(sub)))
                elif d.startswith("."):
                    out.skipped.append((shown_name(str(sub)), HIDDEN_DIR))
            dirs[:] = sorted(d for d in dirs if recursive and not (base / d).is_symlink()
                             and not d.startswith(".") and d.lower() != "__macosx")
            for name in sorted(names):
                consider(base / name)
    return out


def read_listed(path: Path, limit: int = MAX_BYTES, where: str | None = None) -> bytes:
    """The bytes of a listed file: never through a link (even one put there since it was listed),
    never more than ``limit`` (:class:`~formgen.errors.InputFileError` ``too_large``). An
    ``OSError`` (vanished, locked, a link put in its place) is the caller's to word: collect
    reads the file again next run, the ballot reader lists the file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputFileError(where or path, "不是普通文件，未读取", "unsupported")
        if st.st_size > limit:
            raise too_large(where or path, st.st_size)
        data = fh.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise too_large(where or path, len(data))
    return data


def workbooks_in(folder: Path, patterns: tuple[str, ...] = ("*.xlsx",)) -> list[Path]:
    """The returned files in ``folder`` (none when it does not exist), by the one folder reader's
    rules (formgen.intake.folders): Office lock files left out, links and hidden files not read
    and said in one line each (printed at the end of the command)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    listing = list_files([folder], recursive=False, patterns=patterns)
    for line in listing.skipped_lines():
        notice(line)
    return sorted(listing.files)

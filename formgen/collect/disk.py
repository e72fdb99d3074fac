"""What collect finds on disk: which files to read, which to report, and how their names read.

* A name that is not valid UTF-8 (GBK from a Windows share or an old unzip)
  arrives as surrogate escapes, which SQLite and Excel cannot hold: it is
  decoded as the zip reader decodes member names (UTF-8, then GB18030).
* Control and format characters (U+202E right-to-left override …) are removed
  from every name shown, as they are from names inside zips.
* Symbolic links are never followed (``ln -s /etc/passwd forms_in/x.docx``
  must not put the target into the ledger); they and hidden files are
  reported, not silently skipped. Office lock files and OS metadata are
  skipped quietly: no unit sends them.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from formgen.errors import FormgenError
from formgen.intake.containers.names import decode_bytes

LOCK_PREFIXES = ("~$", ".~lock", "~WRL")
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

SYMLINK = "是符号链接（快捷方式），formgen 不跟随链接读取；如确是报送材料，请把文件本身复制到 forms_in/ 后重新收件"
HIDDEN = "是隐藏文件（文件名以“.”开头），未收取；如确是报送材料，请去掉文件名开头的“.”后重新收件"
HIDDEN_DIR = "是隐藏文件夹（名称以“.”开头），其中的文件未收取；如确是报送材料，请改名后重新收件"


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


def list_files(paths: list[Path], own: list[Path]) -> Listing:
    """The files under ``paths`` (recursively), never following a symbolic link; ``own``: formgen's output."""
    out = Listing()
    seen: set[Path] = set()

    def consider(f: Path) -> None:
        if f.is_symlink():
            out.skipped.append((shown_name(str(f)), SYMLINK))
            return
        if _quiet(f.name):
            out.ignored.append(shown_name(str(f)))
            return
        if f.name.startswith("."):
            out.skipped.append((shown_name(str(f)), HIDDEN))
            return
        r = f.resolve()
        if any(r == o or o in r.parents for o in own) or r in seen:
            return
        seen.add(r)
        out.files.append(r)

    for given in paths:
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise FormgenError(f"找不到 {given}；请检查路径（默认收取工作目录下的 forms_in/）")
        if not p.is_dir():  # (a folder given by a link is walked: staff chose it)
            consider(p)
            continue
        for folder, dirs, names in os.walk(p, followlinks=False):
            base = Path(folder)
            for d in sorted(dirs):
                sub = base / d
                if sub.is_symlink():
                    out.skipped.append((shown_name(str(sub)), SYMLINK))
                elif d.lower() == "__macosx":  # macOS resource forks beside an unzipped folder
                    out.ignored.append(shown_name(str(sub)))
                elif d.startswith("."):
                    out.skipped.append((shown_name(str(sub)), HIDDEN_DIR))
            dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink()
                             and not d.startswith(".") and d.lower() != "__macosx")
            for name in sorted(names):
                consider(base / name)
    return out

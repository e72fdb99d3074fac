"""File names made from what users typed (unit names, people, awards): valid on Windows too."""
from __future__ import annotations

import re

_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
FALLBACK = "未命名"
MAX_NAME_BYTES = 240  # a file name on ext4/NTFS/zip tools: 255 bytes (UTF-8: a Chinese character is 3)


def safe_filename(name: str, limit: int = 80) -> str:
    """``name`` usable as a Windows file or folder name: no <>:"/\\|?* or control characters, no
    trailing dot or space, at most ``limit`` characters, not a device name (CON …).

    >>> safe_filename('东山街道/便民中心:窗口. ')
    '东山街道_便民中心_窗口'
    """
    s = _WINDOWS_BAD.sub("_", name).strip().rstrip(". ")[:limit].rstrip(". ") or FALLBACK
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s


def fit_name(before: str, part: str, after: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """``before + part + after`` with ``part`` (a unit's name) shortened (…) until it fits ``max_bytes``.

    >>> len(fit_name("附件1_评分表（", "东" * 300, "）.docx").encode("utf-8")) <= 240
    True
    >>> fit_name("01_", "东山街道", ".eml")
    '01_东山街道.eml'
    """
    while len(f"{before}{part}{after}".encode("utf-8")) > max_bytes and len(part) > 1:
        part = part[:-2] + "…"
    return f"{before}{part}{after}"

"""IMAP folder names: modified UTF-7 (RFC 3501 §5.1.3).

Servers list and expect folder names in this encoding: printable ASCII stands
for itself except ``&`` (written ``&-``); any other run of characters is UTF-16BE
in base64 with ``,`` for ``/``, between ``&`` and ``-``.

>>> encode("收件箱")
'&ZTZO9nux-'
>>> decode("&ZTZO9nux-")
'收件箱'
"""
from __future__ import annotations

import base64


def _b64(text: str) -> str:
    raw = base64.b64encode(text.encode("utf-16-be")).decode("ascii")
    return raw.rstrip("=").replace("/", ",")


def encode(name: str) -> str:
    """A folder name as the server wants it."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            out.append("&" + _b64("".join(pending)) + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def decode(name: str) -> str:
    """A folder name as the server sends it, for people to read (undecodable runs kept as they are)."""
    out: list[str] = []
    i = 0
    while i < len(name):
        ch = name[i]
        end = name.find("-", i + 1) if ch == "&" else -1
        if ch != "&" or end < 0:
            out.append(ch)
            i += 1
            continue
        chunk = name[i + 1:end]
        if not chunk:
            out.append("&")
        else:
            raw = chunk.replace(",", "/")
            try:
                out.append(base64.b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                out.append(name[i:end + 1])
        i = end + 1
    return "".join(out)

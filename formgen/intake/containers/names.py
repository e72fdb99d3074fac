"""Decoding and sanitising the names that containers give their members.

Chinese mail clients and Windows zip tools label names badly: zip member names
in GBK without the UTF-8 flag, RFC 2047 words declared ``GB2312`` that hold
GBK-only characters, 8-bit bytes straight in a header. Every name is decoded
here and then made safe: a member called ``../../etc/x`` or ``C:\\x`` must
never point outside the folder someone later writes it to.
"""
from __future__ import annotations

import base64
import binascii
import re
import struct
import unicodedata
import zlib
from zipfile import ZipInfo

# Declared charsets that are really a subset of GB18030: decoding them as the
# superset keeps the characters that the sender's client added anyway (昇, 喆 …).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "x-euc-cn": "gb18030",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Bytes of a name or header in ``charset`` (which may be wrong) → text.

    Tries the declared charset (GB2312 read as GB18030), then UTF-8, then
    GB18030; only if all fail, the declared one with replacement characters.
    """
    tried: list[str] = []
    declared = _CHARSET_ALIASES.get((charset or "").strip().lower(), (charset or "").strip().lower())
    for codec in (declared, "utf-8", "gb18030"):
        if not codec or codec in tried:
            continue
        tried.append(codec)
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode(declared or "gb18030", errors="replace")
    except LookupError:
        return data.decode("gb18030", errors="replace")


# One RFC 2047 encoded word: =?charset[*lang]?B|Q?text?=
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")


def _decode_word(encoding: str, text: str) -> bytes:
    if encoding.upper() == "B":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return b""
    raw = text.replace("_", " ")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw.encode("ascii", "surrogateescape"))


def _plain_bytes(text: str) -> bytes:
    """Header text outside encoded words; 8-bit bytes arrive surrogate-escaped."""
    return text.encode("utf-8", "surrogateescape")


def decode_header_text(raw: str | None) -> str:
    """A raw header value (subject, file name) → text.

    Handles RFC 2047 words with any charset label, words that split one
    multi-byte character between them (bytes of adjacent words in the same
    charset are joined before decoding), and raw 8-bit GBK/UTF-8 bytes.
    """
    if not raw:
        return ""
    text = re.sub(r"\r?\n[ \t]*", " ", str(raw))
    pieces: list[tuple[bytes, str | None]] = []  # (bytes, charset); charset None = plain
    pos = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[pos:match.start()]
        # Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
        if between and not (pieces and pieces[-1][1] is not None and not between.strip()):
            pieces.append((_plain_bytes(between), None))
        charset, word = match.group(1).lower(), _decode_word(match.group(2), match.group(3))
        if pieces and pieces[-1][1] == charset:
            pieces[-1] = (pieces[-1][0] + word, charset)
        else:
            pieces.append((word, charset))
        pos = match.end()
    if pos < len(text):
        pieces.append((_plain_bytes(text[pos:]), None))
    return "".join(decode_bytes(data, charset) for data, charset in pieces).strip()


def rfc2231_value(value: tuple[str | None, str | None, str]) -> str:
    """``email``'s (charset, language, latin-1 text) triple of an RFC 2231 parameter → text."""
    charset, _language, text = value
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return text  # not %XX bytes after all: already text
    return decode_bytes(data, charset or "utf-8")


def zip_member_name(info: ZipInfo) -> str:
    """The decoded name of a zip member (full path inside the archive).

    zipfile decodes names without the UTF-8 flag (bit 11) as cp437; Chinese
    Windows tools write GBK there. Order: flag set → as decoded; Info-ZIP
    Unicode Path extra field (0x7075) whose CRC matches the raw name; raw bytes
    as UTF-8 (macOS writes UTF-8 without the flag); raw bytes as GB18030;
    finally cp437 as zipfile had it.
    """
    if info.flag_bits & 0x800:
        return info.orig_filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:
        return info.orig_filename
    unicode_path = _unicode_path_extra(info.extra, raw)
    if unicode_path:
        return unicode_path
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


def _unicode_path_extra(extra: bytes, raw_name: bytes) -> str | None:
    pos = 0
    while pos + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        pos += 4 + size
        if header_id != 0x7075 or len(body) < 5 or body[0] != 1:
            continue
        (name_crc,) = struct.unpack_from("<I", body, 1)
        if name_crc != zlib.crc32(raw_name):
            continue  # the name was changed after the extra field was written
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


_RESERVED = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_MAX_NAME_BYTES = 200  # file systems allow 255 bytes; leave room for suffixes


def _clean_component(part: str) -> str:
    # Control and format characters (NUL, U+202E right-to-left override …) and lone surrogates go.
    part = "".join(ch for ch in part if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    part = _RESERVED.sub("_", part).strip().rstrip(". ").lstrip(".").strip()
    if part.split(".")[0].lower() in _WINDOWS_DEVICES:
        part = "_" + part
    return part


def path_components(raw: str) -> list[str]:
    """A member path → its safe components; ``..``, ``.``, drive letters and empty parts dropped."""
    out = []
    for part in re.split(r"[\\/]+", raw or ""):
        if part in ("", ".", "..") or re.fullmatch(r"[A-Za-z]:", part):
            continue
        cleaned = _clean_component(part)
        if cleaned:
            out.append(cleaned)
    return out


def safe_name(raw: str | None, fallback: str = "未命名文件") -> str:
    """A safe base name for ``raw``: no directories, no control characters,
    nothing a file system treats specially, at most 200 bytes (suffix kept)."""
    parts = path_components(raw or "")
    name = parts[-1] if parts else _clean_component(fallback) or "未命名文件"
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        dot = name.rfind(".")
        suffix = name[dot:] if 0 < dot and len(name) - dot <= 10 else ""
        stem = name[: len(name) - len(suffix)]
        while len((stem + suffix).encode("utf-8")) > _MAX_NAME_BYTES:
            stem = stem[:-1]
        name = stem + suffix
    return name

"""What a file really is, from its bytes (units rename .doc to .docx, zip a
folder and call it .rar, save HTML as .doc …). The extension only breaks ties.

Kinds (other modules rely on these strings): docx, xlsx, pptx, odt, zip, doc,
wps, msg, xls, ppt, ole (an OLE file of no known kind), ole-damaged (an OLE
header over sectors that do not parse: truncated or corrupt), ole-encrypted (a
password-protected Office file: encrypted OOXML inside OLE, or an encrypted
doc/xls), pdf, rtf, png, jpg, heic, html, wordxml (Word 2003 XML), eml, mbox, text,
empty, unknown.
"""
from __future__ import annotations

import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}  # iPhone photos

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]*\S")
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"mime-version", b"message-id", b"received",
                 b"return-path", b"content-type", b"x-mailer", b"delivered-to", b"reply-to", b"cc"}


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist()[:5000])
            mimetype = b""
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mimetype = zf.read(info)
    except Exception:  # a damaged archive: judge by the first member's name
        first = data[30:30 + int.from_bytes(data[26:28], "little")] if data[:4] == b"PK\x03\x04" else b""
        if first.startswith((b"word/", b"[Content_Types].xml", b"_rels/", b"docProps/")):
            return "docx" if not name.lower().endswith((".xlsx", ".pptx")) else name.lower()[-4:]
        return "zip"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if "[Content_Types].xml" in names or "_rels/.rels" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "unknown"  # a spreadsheet or presentation
    return "zip"


def _ole_kind(data: bytes, name: str) -> str:
    try:
        import olefile

        ole = olefile.OleFileIO(io.BytesIO(data))
        try:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
        finally:
            ole.close()
    except Exception:  # the header says OLE but the sectors are cut off or garbled
        return "ole-damaged"
    top = {s.split("/")[0] for s in streams}
    if {"EncryptionInfo", "EncryptedPackage"} <= top:
        return "ole-encrypted"
    if any(s.startswith("__substg1.0_") for s in top):
        return "msg"
    if "WordDocument" in top:
        if _ole_encrypted(data):
            return "ole-encrypted"
        return "wps" if name.lower().endswith(".wps") else "doc"
    if "Workbook" in top or "Book" in top:
        return "ole-encrypted" if _ole_encrypted(data) else "xls"
    if "PowerPoint Document" in top:
        return "ppt"
    if "CONTENTS" in top or "MatOST" in top:  # Microsoft Works / Kingsoft WPS
        return "wps"
    return "ole"


def _ole_encrypted(data: bytes) -> bool:
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:
        return False


def _decode_text(data: bytes) -> str | None:
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as e:
            if e.start >= len(head) - 4:  # cut in the middle of a character
                return head[:e.start].decode(enc, errors="ignore")
    return None


def _looks_like_mail(data: bytes) -> bool:
    lines = data[:16384].replace(b"\r\n", b"\n").split(b"\n")
    seen = set()
    stray = 0  # a line with no colon in the header block: mail clients write them; tolerate a few
    for number, line in enumerate(lines[:80]):
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue  # a folded header line
        if not _HEADER_LINE.match(line):
            stray += 1
            if number == 0 or stray > 2:
                return False
            continue
        seen.add(line.split(b":", 1)[0].lower())
    return len(seen & _MAIL_HEADERS) >= 2


def sniff(data: bytes, name: str = "") -> str:
    """The real kind of ``data`` (see the module docstring)."""
    if not data or not data.strip(b"\x00 \t\r\n"):
        return "empty"
    head = data[:2048]
    if head.startswith(ZIP_MAGICS):
        return _zip_kind(data, name)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(data, name)
    if head.startswith(b"\xdb\xa5"):  # Word for Windows 2.0: LibreOffice still reads it
        return "doc"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    lower = stripped[:1024].lower()
    if b"<?mso-application progid=\"word.document\"?>" in lower or b"<w:worddocument" in lower:
        return "wordxml"
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower[:300]:
        return "html"
    if stripped.startswith(b"From ") and b"\n" in stripped and _looks_like_mail(stripped.split(b"\n", 1)[1]):
        return "mbox"
    if _looks_like_mail(stripped):
        return "eml"
    text = _decode_text(data)
    if text is not None:
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls <= max(2, len(text) // 200):
            return "text"
    return "unknown"

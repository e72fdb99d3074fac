"""Email as units send it: .eml files and .mbox exports.

The stdlib parser (policy.default) gives the MIME tree; names, subject and
sender are decoded here from the raw headers, because the policy decodes a
``GB2312``-labelled word strictly and turns the GBK-only characters Chinese
clients put there into U+FFFD.
"""
from __future__ import annotations

import base64
import binascii
import email
import email.message
import email.utils
import mailbox
import mimetypes
import quopri
import re
import tempfile
from datetime import datetime, timezone
from email import policy
from pathlib import Path

from formgen.intake.containers import Walk
from formgen.intake.containers.names import decode_bytes, decode_header_text, rfc2231_value, safe_name
from formgen.intake.result import SourceFile

_RFC822 = ("message/rfc822", "message/global")


def _raw_header(part: email.message.Message, name: str) -> str | None:
    """A header's value exactly as received (8-bit bytes surrogate-escaped)."""
    for key, value in part.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def email_metadata(msg: email.message.Message) -> dict:
    """``sender`` (lower-case address), ``sent_at`` (aware datetime), ``subject`` of one message."""
    sender = None
    for header in ("from", "sender", "reply-to", "return-path"):
        raw = _raw_header(msg, header)
        if raw:
            address = email.utils.parseaddr(raw.replace("\r", "").replace("\n", " "))[1].strip().lower()
            if address:
                sender = address
                break
    return {"sender": sender, "sent_at": parse_date(_raw_header(msg, "date")),
            "subject": decode_header_text(_raw_header(msg, "subject")) or None}


def parse_date(raw: str | None) -> datetime | None:
    """An RFC 5322 date → aware datetime; ``-0000`` (zone unknown) is read as UTC."""
    if not raw:
        return None
    try:
        when = email.utils.parsedate_to_datetime(" ".join(raw.split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def attachment_name(part: email.message.Message) -> str | None:
    """The decoded file name of a MIME part (RFC 2231 ``filename*=``, RFC 2047 words, raw 8-bit), or None."""
    probe = email.message.Message()  # compat32: parameters come back undecoded
    for header in ("content-disposition", "content-type"):
        raw = _raw_header(part, header)
        if raw:
            # Raw 8-bit bytes (GBK or UTF-8 straight in the header) are decoded first: the
            # probe would turn them into U+FFFD. Encoded words and %XX stay ASCII meanwhile.
            probe[header] = " ".join(decode_bytes(raw.encode("utf-8", "surrogateescape")).split())
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        value = probe.get_param(param, None, header)
        if isinstance(value, tuple):
            text = rfc2231_value(value)
        elif value:
            text = decode_header_text(value)
        else:
            continue
        text = text.strip().strip('"').strip()
        if text:
            return text
    return None


def _leaf_name(part: email.message.Message, counter: list[int]) -> str | None:
    """The name to keep a leaf part under, or None for a body text / inline picture."""
    disposition = part.get_content_disposition()
    if part.get_content_maintype() == "image" and part.get("content-id") and disposition != "attachment":
        return None  # a logo or signature picture the HTML body shows (cid:), not a file sent
    name = attachment_name(part)
    if name is None:
        if disposition != "attachment":
            return None
        counter[0] += 1
        extension = mimetypes.guess_extension(part.get_content_type()) or ""
        return f"附件{counter[0]}{extension}"
    counter[0] += 1
    return safe_name(name, f"附件{counter[0]}")


def open_message(msg: email.message.Message, container: SourceFile, depth: int, walk: Walk) -> None:
    """Hand every attachment of ``msg`` (and of messages attached to it) to ``walk``.

    ``container`` stands for the message in ``via``; its attachments carry
    this message's sender, date and subject.
    """
    meta = email_metadata(msg)
    counter = [0]

    def visit(part: email.message.Message) -> None:
        ctype = part.get_content_type()
        if ctype in _RFC822:
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            encoded = _encoded_message(part, inner)
            if encoded is not None:  # base64 / QP: the parser read the encoded text as a message
                name = safe_name(attachment_name(part) or "转发的邮件.eml", "转发的邮件.eml")
                walk.count_bytes(len(encoded))
                walk.add(walk.child(container, name, encoded, **meta), depth)
            elif isinstance(inner, email.message.Message):
                subject = email_metadata(inner)["subject"]
                name = safe_name(attachment_name(part) or f"{subject or '转发的邮件'}.eml", "转发的邮件.eml")
                _open_nested(inner, walk.child(container, name, b"", **meta), depth, walk)
            return
        if part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                visit(sub)
            return
        name = _leaf_name(part, counter)
        if name is None:
            return
        data = part.get_payload(decode=True) or b""
        walk.count_bytes(len(data))
        walk.add(walk.child(container, name, data, **meta), depth)

    visit(msg)


def _encoded_message(part: email.message.Message, inner) -> bytes | None:
    """The bytes of a message/rfc822 part sent base64 or quoted-printable (RFC 2046 forbids it; clients do it)."""
    cte = str(part.get("content-transfer-encoding") or "").strip().lower()
    if cte not in ("base64", "quoted-printable"):
        return None
    text = inner.as_string() if isinstance(inner, email.message.Message) else str(inner or "")
    raw = text.encode("ascii", "ignore")
    if cte == "quoted-printable":
        return quopri.decodestring(raw)
    raw = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
    try:
        return base64.b64decode(raw + b"=" * (-len(raw) % 4))
    except binascii.Error:  # a lone trailing character: drop it
        return base64.b64decode(raw[: len(raw) // 4 * 4])


def _open_nested(inner: email.message.Message, holder: SourceFile, depth: int, walk: Walk) -> None:
    """An email attached to an email (message/rfc822): one level deeper."""
    walk.count_member()
    if depth + 1 > walk.limits.max_depth:
        walk.member_error(f"“{walk.label(holder)}”是第 {depth + 1} 层嵌套的邮件，超过 {walk.limits.max_depth} 层，"
                          "已跳过；请让报送单位直接发送表格文件", "too_large", holder)
        return
    open_message(inner, holder, depth + 1, walk)


_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")


def repair_header_block(data: bytes) -> bytes:
    """``data`` without the lines of its header block that are no header (no colon, not folded).

    The parser ends the headers at such a line, so Content-Type and every
    attachment after it would be read as body text and lost.
    """
    lines = data.splitlines(keepends=True)
    kept: list[bytes] = []
    for number, line in enumerate(lines):
        if not line.strip(b"\r\n"):
            return data if len(kept) == number else b"".join(kept + lines[number:])
        if (_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") and kept
                or number == 0 and line.startswith(b"From ")):
            kept.append(line)
    return data  # no body at all: leave it as it came


def open_eml(src: SourceFile, depth: int, walk: Walk) -> None:
    try:
        msg = email.message_from_bytes(repair_header_block(src.data), policy=policy.default)
    except Exception:  # the parser is lenient; anything it still cannot take is a broken file
        raise walk.error(f"{walk.named(src, '邮件')}无法解析，请让报送单位重新发送") from None
    open_message(msg, src, depth, walk)


def open_mbox(src: SourceFile, depth: int, walk: Walk) -> None:
    """Every message of an mbox export, each named 第N封邮件 in ``via``, at the mbox's own level."""
    with tempfile.TemporaryDirectory(prefix="formgen-mbox-") as tmp:
        path = Path(tmp) / "mail.mbox"
        path.write_bytes(src.data)
        box = mailbox.mbox(str(path), create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                msg = email.message_from_bytes(repair_header_block(box.get_bytes(key)), policy=policy.default)
                walk.count_member()
                open_message(msg, walk.child(src, f"第{number}封邮件", b""), depth, walk)
        finally:
            box.close()

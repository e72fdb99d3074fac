"""Outlook .msg files (OLE compound files), read with extract_msg.

Sender and date come from the transport headers when Outlook kept them
(received mail), else from the MAPI properties (PR_SENDER_SMTP_ADDRESS /
PR_SENDER_EMAIL_ADDRESS, PR_CLIENT_SUBMIT_TIME).
"""
from __future__ import annotations

import email.utils
import logging
from datetime import datetime, timezone

from formgen.intake.containers import Walk
from formgen.intake.containers.email_message import parse_date
from formgen.intake.containers.names import safe_name
from formgen.intake.result import SourceFile

# extract_msg logs every oddity of real-world files at WARNING and above.
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)


def _address(text: str | None) -> str | None:
    if not text:
        return None
    address = email.utils.parseaddr(" ".join(str(text).split()))[1].strip().lower()
    return address if "@" in address else None


def msg_metadata(msg) -> dict:
    header = msg.header if msg.headerText else None
    sender = _address(header["from"] if header is not None else None)
    for stream in ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_0065"):
        sender = sender or _address(msg.getStringStream(stream))
    sent_at = parse_date(header["date"]) if header is not None else None
    if sent_at is None:
        prop_date = msg.props.date if msg.props is not None else None
        if isinstance(prop_date, datetime):
            sent_at = prop_date if prop_date.tzinfo else prop_date.replace(tzinfo=timezone.utc)
    return {"sender": sender, "sent_at": sent_at, "subject": msg.subject or None}


def _walk_msg(msg, container: SourceFile, depth: int, walk: Walk) -> None:
    from extract_msg.enums import AttachmentType

    meta = msg_metadata(msg)
    for number, att in enumerate(msg.attachments, start=1):
        if att.hidden:
            continue  # pictures the HTML/RTF body shows inline, not files sent
        kind = att.type
        if kind in (AttachmentType.MSG, AttachmentType.SIGNED_EMBEDDED):
            inner = att.data
            name = safe_name(att.name or f"{getattr(inner, 'subject', None) or '嵌入的邮件'}.msg", "嵌入的邮件.msg")
            holder = walk.child(container, name, b"", **meta)
            walk.count_member()
            if depth + 1 > walk.limits.max_depth:
                walk.member_error(f"“{walk.label(holder)}”是第 {depth + 1} 层嵌套的邮件，超过 "
                                  f"{walk.limits.max_depth} 层，已跳过；请让报送单位直接发送表格文件",
                                  "too_large", holder)
                continue
            _walk_msg(inner, holder, depth + 1, walk)
            continue
        name = safe_name(att.name, f"附件{number}")
        data = att.data if isinstance(att.data, bytes) else None
        leaf = walk.child(container, name, data or b"", **meta)
        if data is None:
            walk.member_error(f"邮件附件“{walk.label(leaf)}”无法读取（链接或损坏的附件），已跳过；"
                              "请让报送单位把表格作为普通附件重新发送", "corrupt", leaf)
            continue
        walk.count_bytes(len(data))
        walk.add(leaf, depth)


def open_msg(src: SourceFile, depth: int, walk: Walk) -> None:
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    named = walk.named(src, "Outlook 邮件")
    try:
        msg = extract_msg.openMsg(src.data, strict=False, errorBehavior=ErrorBehavior.SUPPRESS_ALL)
    except Exception:  # extract_msg raises many kinds for damaged compound files
        raise walk.error(f"{named}已损坏，无法打开；请让报送单位重新发送") from None
    found = len(walk.leaves) + len(walk.errors)
    try:
        _walk_msg(msg, src, depth, walk)
    except (AttributeError, KeyError, ValueError, TypeError, OSError, IndexError):
        # A broken property stream: fatal if nothing was found yet, else what was found stays.
        if len(walk.leaves) + len(walk.errors) == found:
            raise walk.error(f"{named}已损坏，无法读取；请让报送单位重新发送") from None
        walk.member_error(f"{named}的部分内容已损坏，可能缺少附件；请让报送单位重新发送")
    finally:
        msg.close()

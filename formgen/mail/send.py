"""``formgen issue --send`` and ``formgen remind --send``: the messages go out over SMTP.

* Each unit's message goes to the 邮箱 of units.xlsx, from mail.from.
* Every message sent, or refused, is recorded in the ledger (``mail_sent``):
  to, when, Message-ID, attachments, and the raw bytes; a reply is later matched
  to its unit through that Message-ID.
* A unit already sent a reminder today, or the notice at any time, is skipped unless ``force``.
* One unit's failure (a refused address, a dropped line) is recorded and the
  rest go on; sending is paced by mail.per_minute.
"""
from __future__ import annotations

import email
import hashlib
import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Callable

from formgen.campaign.mail import MailSettings
from formgen.errors import FormgenError
from formgen.ledger.db import Ledger
from formgen.ledger.files import CHINA_TZ, now, store_blob
from formgen.ledger.mail import last_sent, record_sent, sent_today
from formgen.mail.errors import MailError
from formgen.mail.fetch import mail_settings
from formgen.mail.password import mail_password
from formgen.mail.smtp import Outbox
from formgen.workspace import Workspace

Progress = Callable[[int, int, str], None]


@dataclass
class Outgoing:
    unit: str
    to: list[str]
    msg: EmailMessage
    attachments: list[str]
    digest: str | None = None


@dataclass
class SendReport:
    kind: str
    sent: list[tuple[str, list[str]]] = field(default_factory=list)  # (unit, addresses)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (unit, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (unit, one-line message)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[1] if "@" in address else "formgen.local"


def _stamp(msg: EmailMessage, settings: MailSettings, from_name: str, when: datetime) -> str:
    """From, Date and a fresh Message-ID for sending; returns the Message-ID."""
    for h in ("From", "Date", "Message-ID", "X-Unsent"):
        del msg[h]
    try:
        msg["From"] = Address(display_name=from_name, addr_spec=settings.sender)
    except (ValueError, IndexError) as e:
        raise FormgenError(f"发件地址 mail.from“{settings.sender}”格式不正确（{e}）；请填写完整邮箱地址") from None
    msg["Date"] = format_datetime(when.replace(tzinfo=CHINA_TZ))
    mid = make_msgid(idstring="formgen", domain=_domain(settings.sender))
    msg["Message-ID"] = mid
    return mid


def send_all(ws: Workspace, kind: str, items: list[Outgoing], *, force: bool = False, password: str | None = None,
             prompt: Callable[[str], str] | None = None, progress: Progress | None = None) -> SendReport:
    """Send ``items`` (one per unit); see the module docstring. Connection failures before any send raise."""
    settings = mail_settings(ws, "smtp")
    report = SendReport(kind)
    from_name = settings.from_name or ws.campaign.contact.department
    when = now()
    todo: list[Outgoing] = []
    with ws.ledger() as ledger:
        for item in items:
            if not item.to:
                report.failed.append((item.unit, "单位名单（units.xlsx）中没有该单位的邮箱，未发送；请补填后重新运行"))
                continue
            if kind == "remind" and not force:
                old = sent_today(ledger, kind, item.unit, when)
                if old is not None:
                    report.skipped.append((item.unit, f"今天 {old.sent_at:%H:%M} 已发过催报邮件（加 --force 可再发）"))
                    continue
            if kind == "issue" and not force:  # a second run must not mail every unit the notice again
                old = last_sent(ledger, kind, item.unit)
                if old is not None:
                    report.skipped.append((item.unit, f"{old.sent_at:%Y-%m-%d %H:%M} 已发过下发通知邮件（加 --force 可再发）"))
                    continue
            todo.append(item)
        if not todo:
            return report
        if password is None and settings.smtp.login:  # a relay without login needs none
            password = mail_password(settings.user, prompt)
        outbox: Outbox | None = None
        try:
            for i, item in enumerate(todo):
                if progress:
                    progress(i, len(todo), item.unit)
                if outbox is None:  # first message, or the line dropped on the last one
                    outbox = Outbox(settings.smtp, settings.user, password, settings.per_minute, settings.timeout)
                mid = _stamp(item.msg, settings, from_name, now())
                try:
                    outbox.send(item.msg, settings.sender, item.to)
                except MailError as e:
                    _record(ledger, kind, item, mid, "failed", str(e))
                    report.failed.append((item.unit, str(e)))
                    if e.kind == "dropped":
                        outbox.close()
                        outbox = None
                    continue
                _record(ledger, kind, item, mid, "sent", None)
                report.sent.append((item.unit, item.to))
            if progress:
                progress(len(todo), len(todo), "")
        finally:
            if outbox is not None:
                outbox.close()
    return report


def _record(ledger: Ledger, kind: str, item: Outgoing, mid: str, status: str, error: str | None) -> None:
    raw = item.msg.as_bytes()
    with ledger.transaction():
        sha = store_blob(ledger, raw) if status == "sent" else None
        record_sent(ledger, kind=kind, unit=item.unit, to=item.to, subject=str(item.msg["Subject"] or ""),
                    message_id=mid, attachments=item.attachments, digest=item.digest, sha256=sha, status=status,
                    error=error)


# ---- the issue mail --------------------------------------------------------------------------

def can_send(campaign) -> bool:
    """campaign.yaml's mail settings name an SMTP server (so ``--send`` is worth mentioning)."""
    return campaign.mail is not None and campaign.mail.smtp is not None


def issue_subject(ws: Workspace) -> str:
    return f"【通知】{ws.campaign.notice.title}"


def issue_body(ws: Workspace, unit: str) -> str:
    c = ws.campaign
    deadline = c.deadlines.submit
    contact = c.contact
    who = "，".join(x for x in (contact.person, f"电话 {contact.phone}" if contact.phone else None) if x)
    return "\n".join([
        f"{unit}：", "",
        f"　　现将《{c.notice.title}》（{c.issuer.doc_number}）及贵单位的报送表格发给你们，请认真组织推荐。",
        f"　　请在附件表格中直接填写（不要删除或合并表格中的格子），于{deadline.year}年{deadline.month}月{deadline.day}日前"
        "直接回复本邮件报送，附件保持 Word 格式即可。",
        f"　　如有疑问，请联系{contact.department}" + (f"（{who}）" if who else "") + "。", "",
        contact.department, f"{c.issuer.date.year}年{c.issuer.date.month}月{c.issuer.date.day}日", ""])


def _attach(msg: EmailMessage, path: Path) -> None:
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".docx":
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    maintype, subtype = ctype.split("/", 1)
    msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)


def issue_messages(ws: Workspace, issue_report) -> list[Outgoing]:
    """The notice and the unit's blank forms, to each unit of an ``issue_forms`` report."""
    out: list[Outgoing] = []
    for u in issue_report.units:
        unit = ws.unit(u.unit)
        msg = EmailMessage()
        to = unit.emails() if unit else []
        if to:
            try:  # 陈静（安阳街道） <anyang@…>: the contact's name, as a clerk addresses a colleague
                name = f"{unit.contact}（{u.unit}）" if unit.contact else u.unit
                msg["To"] = [Address(display_name=name, addr_spec=a) for a in to]
            except (ValueError, IndexError):
                msg["To"] = ", ".join(to)  # an odd address: the server will say whether it takes it
        msg["Subject"] = issue_subject(ws)
        msg.set_content(issue_body(ws, u.unit), charset="utf-8", cte="base64")
        files = [issue_report.notice, *u.files]
        for f in files:
            _attach(msg, f)
        out.append(Outgoing(u.unit, to, msg, [f.name for f in files]))
    return out


# ---- reminders -------------------------------------------------------------------------------

def reminder_messages(reminders) -> list[Outgoing]:
    """The reminders ``write_reminders`` wrote (out/remind/*.eml), ready to send."""
    out: list[Outgoing] = []
    for r in reminders:
        msg = email.message_from_bytes(r.path.read_bytes(), policy=policy.default)
        digest = hashlib.sha256("\n".join(r.missing).encode("utf-8")).hexdigest()[:16]
        out.append(Outgoing(r.unit, list(r.to), msg, [], digest))
    return out

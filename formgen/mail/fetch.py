"""``formgen collect --mail``: take the units' returns from the office mailbox into the ledger.

1. SEARCH SINCE the campaign's start (mail.since, default the notice's date);
   only UIDs not looked at before (per account, folder and UIDVALIDITY) go on.
2. Their headers are fetched (no bodies): a Message-ID already in the ledger is
   recorded as the same message without a download; the sender / subject filter
   is applied (a reply to a message formgen sent passes whoever sends it, and
   belongs to the unit that message went to); a message over the size limit
   stays in the mailbox with a one-line problem.
3. The rest are downloaded (BODY.PEEK: nothing becomes read by accident) and
   each is recorded in ONE transaction: its raw bytes (blob), the message row,
   its attachments through the collect pipeline (send time = arrival time),
   its UID. A dropped line or a crash leaves whole messages or none; the next
   run resumes after the last one recorded.
4. Recorded messages get the keyword ($formgen) or \\Seen, as mail.mark says;
   they are moved or deleted only when mail.after_fetch says so.
"""
from __future__ import annotations

import email
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from email import policy
from pathlib import Path
from typing import Callable

from formgen.campaign.mail import MailSettings
from formgen.collect.collect import CollectReport, collect_data, convert_data, finish_collect
from formgen.errors import FormgenError
from formgen.intake.containers.email_message import attachment_name, email_metadata
from formgen.intake.containers.names import safe_name
from formgen.ledger.db import Ledger
from formgen.ledger.files import local_time, now, sha256_of, store_blob
from formgen.ledger.mail import (known_uids, message_by_id, record_message, record_uid, set_marked,
                                 unit_of_sent)
from formgen.mail.errors import MailError, lost
from formgen.mail.imap import Envelope, Mailbox
from formgen.mail.password import mail_password
from formgen.workspace import Workspace

Progress = Callable[[int, int, str], None]
_MSGID = re.compile(r"<[^<>\s]+>")
BATCH_MESSAGES = 25  # messages per body FETCH
BATCH_BYTES = 8 * 1024 * 1024


@dataclass
class FetchReport:
    folder: str = ""
    since: date | None = None
    found: int = 0  # messages since the start date
    looked_at: int = 0  # UIDs new to the ledger this run
    taken: int = 0  # messages recorded this run
    same: int = 0  # already in the ledger (same Message-ID or bytes): not stored again
    filtered: int = 0  # not from a unit / subject not matching
    replies: int = 0  # of the taken, answers to a message formgen sent
    too_large: int = 0
    marked: int = 0
    moved: int = 0
    deleted: int = 0
    text_only: list[str] = field(default_factory=list)  # taken messages without any file: sender《subject》
    notes: list[str] = field(default_factory=list)
    collect: CollectReport = field(default_factory=CollectReport)
    seconds: float = 0.0


def mail_settings(ws: Workspace, need: str | None = "imap") -> MailSettings:
    """The campaign's mail settings, with ``need`` (imap / smtp) present; certificate paths resolved."""
    s = ws.campaign.mail
    if s is None:
        raise FormgenError("campaign.yaml 中没有 mail 设置（邮箱服务器、账号）；请按 README“办公邮箱”一节填写后重试")
    if need and getattr(s, need) is None:
        what = "收信服务器（mail.imap：host、port、security）" if need == "imap" else "发信服务器（mail.smtp：host、port、security）"
        raise FormgenError(f"campaign.yaml 的 mail 设置缺少{what}；请按 README“办公邮箱”一节填写")
    # a certificate file named relative to the workspace, as every other path in campaign.yaml
    changes = {}
    for side in ("imap", "smtp"):
        server = getattr(s, side)
        if server is not None and server.ca_file and not Path(server.ca_file).is_absolute():
            changes[side] = server.model_copy(update={"ca_file": str(ws.root / server.ca_file)})
    return s.model_copy(update=changes) if changes else s


# Attachments that may be (or hold) an old-format document LibreOffice converts ahead, in one call per batch.
_MAYBE_OLD = {"doc", "dot", "wps", "wpt", "rtf", "odt", "htm", "html", "xml", "zip", "rar", "7z", "eml", "msg", "mbox"}
_MAYBE_OLD_TYPES = {"application/msword", "application/rtf", "text/rtf", "application/vnd.ms-works",
                    "application/vnd.oasis.opendocument.text", "application/zip", "application/x-zip-compressed",
                    "message/rfc822", "message/global"}


# A line of base64 payload: no header (':' and spaces) or boundary ('--') line looks like this.
_PAYLOAD_LINE = re.compile(rb"(?m)^[A-Za-z0-9+/=]{40,}\r?\n")


def files_in(raw: bytes) -> tuple[bool, bool]:
    """(does the message carry any file, might one be an old format to convert) — without decoding bodies.

    Mirrors what the email reader takes: body text and inline pictures (Content-ID) are not files.
    """
    # Only the MIME skeleton matters: drop the base64 payload lines first (parsing them is most of the cost).
    msg = email.message_from_bytes(_PAYLOAD_LINE.sub(b"", raw), policy=policy.compat32)
    carries = maybe_old = False
    for part in msg.walk():
        ctype = part.get_content_type()
        rfc822 = ctype in ("message/rfc822", "message/global")
        if part.is_multipart() and not rfc822:
            continue
        disposition = (part.get("content-disposition") or "").split(";")[0].strip().lower()
        name = attachment_name(part)
        inline_picture = part.get_content_maintype() == "image" and part.get("content-id") and disposition != "attachment"
        if inline_picture or (not (rfc822 or name or disposition == "attachment")
                              and part.get_content_maintype() == "text"):
            continue
        carries = True
        ext = name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
        if not name or ext in _MAYBE_OLD or ctype in _MAYBE_OLD_TYPES:
            maybe_old = True
    return carries, maybe_old


def message_ids(text: str | None) -> list[str]:
    return _MSGID.findall(text or "")


@dataclass
class _Head:
    env: Envelope
    message_id: str | None
    refs: list[str]
    sender: str | None
    subject: str
    sent_at: datetime | None


def _head(env: Envelope) -> _Head:
    msg = email.message_from_bytes(env.header, policy=policy.compat32)
    meta = email_metadata(msg)
    mid = message_ids(str(msg.get("message-id") or ""))
    refs = message_ids(str(msg.get("in-reply-to") or "")) + list(reversed(message_ids(str(msg.get("references") or ""))))
    return _Head(env, mid[0] if mid else None, refs, meta["sender"], meta["subject"] or "", meta["sent_at"])


class _Filter:
    def __init__(self, ws: Workspace, settings: MailSettings):
        self.settings = settings
        self.addresses = {a for u in ws.units for a in u.emails()}

    def accepts(self, head: _Head, thread_unit: str | None) -> bool:
        s = self.settings
        sender_ok = s.senders == "any" or head.sender in self.addresses or thread_unit is not None
        subject_ok = not s.subject_contains or any(w in head.subject for w in s.subject_contains)
        return sender_ok and subject_ok


def fetch_mail(ws: Workspace, password: str | None = None, progress: Progress | None = None,
               prompt: Callable[[str], str] | None = None) -> FetchReport:
    """Fetch the campaign's mail into the ledger (see the module docstring); one Chinese line on failure."""
    started = time.monotonic()
    settings = mail_settings(ws, "imap")
    report = FetchReport(folder=settings.folder, since=settings.since or ws.campaign.issuer.date)
    password = password if password is not None else mail_password(settings.user, prompt)
    with ws.ledger() as ledger:
        try:
            with Mailbox(settings.imap, settings.user, password, settings.timeout) as box:
                _Fetch(ws, ledger, box, settings, report, progress).run()
        except MailError as e:
            if report.taken:
                finish_collect(ledger, ws, report.collect)
            if e.kind == "dropped":
                raise lost("收信", getattr(e, "detail", "") or "连接被关闭", report.taken) from None
            raise
        if report.taken:  # nothing new: units, checks and 收件情况.xlsx are as the last run left them
            finish_collect(ledger, ws, report.collect)
    report.seconds = time.monotonic() - started
    return report


class _Fetch:
    def __init__(self, ws: Workspace, ledger: Ledger, box: Mailbox, settings: MailSettings, report: FetchReport,
                 progress: Progress | None):
        self.ws, self.ledger, self.box, self.s, self.report = ws, ledger, box, settings, report
        self.progress = progress or (lambda done, total, name: None)
        self.account = f"{settings.user}@{settings.imap.host}"
        self.filter = _Filter(ws, settings)
        self.limit = settings.max_message_mb * 1024 * 1024
        self.same_uids: list[int] = []  # known by Message-ID from the headers alone: flagged, not downloaded

    def run(self) -> None:
        s, box, report = self.s, self.box, self.report
        self.uidvalidity = box.select(s.folder)
        uids = box.search_since(report.since)
        report.found = len(uids)
        known = known_uids(self.ledger, self.account, s.folder, self.uidvalidity)
        todo = [u for u in uids if u not in known]
        # looked at before but worth another look: a filter or limit that now lets them in
        again = [u for u, k in known.items() if k["outcome"] == "too_large" and (k["size"] or 0) <= self.limit]
        again += [u for u, k in known.items() if k["outcome"] == "filtered" and self._now_accepted(k)]
        present = set(uids)
        todo = sorted(set(todo) | {u for u in again if u in present})
        report.looked_at = len(todo)
        self.progress(0, len(todo), "读取邮件头")
        heads = [_head(e) for e in box.envelopes(todo)] if todo else []
        wanted: list[tuple[_Head, str | None]] = []
        for h in heads:
            self._sort(h, wanted)
        self._download(wanted, len(todo), len(todo) - len(wanted))
        self._flag(self.same_uids)
        self._mark(known)
        self._after_fetch()

    def _now_accepted(self, k: dict) -> bool:
        refs = (k["refs"] or "").split()
        head = _Head(Envelope(k["uid"], k["size"] or 0, None, [], b""), k["message_id"], refs, k["sender"],
                     k["subject"] or "", None)
        return self.filter.accepts(head, unit_of_sent(self.ledger, refs))

    def _sort(self, h: _Head, wanted: list) -> None:
        """Record what needs no download; queue the rest."""
        ledger, report, uid = self.ledger, self.report, h.env.uid
        common = dict(sender=h.sender, subject=h.subject, message_id=h.message_id, refs=" ".join(h.refs),
                      size=h.env.size)
        existing = message_by_id(ledger, h.message_id, "") if h.message_id else None
        if existing is not None:
            with ledger.transaction():
                record_uid(ledger, self.account, self.s.folder, self.uidvalidity, uid, "same", message=existing,
                           **common)
            report.same += 1
            self.same_uids.append(uid)
            return
        thread = unit_of_sent(ledger, h.refs)
        if not self.filter.accepts(h, thread):
            with ledger.transaction():
                record_uid(ledger, self.account, self.s.folder, self.uidvalidity, uid, "filtered", **common)
            report.filtered += 1
            return
        if h.env.size > self.limit:
            note = (f"邮件“{h.subject or '（无主题）'}”（{h.sender or '发件人不明'}）有 {h.env.size / 1048576:.1f} MB，"
                    f"超过 {self.s.max_message_mb} MB 上限，未下载，仍留在邮箱中；请让单位压缩后重发，或调大 mail.max_message_mb")
            with ledger.transaction():
                record_uid(ledger, self.account, self.s.folder, self.uidvalidity, uid, "too_large", note=note, **common)
            report.too_large += 1
            report.notes.append(note)
            return
        wanted.append((h, thread))

    def _download(self, wanted: list[tuple[_Head, str | None]], total: int, done: int) -> None:
        batch: list[tuple[_Head, str | None]] = []
        size = 0
        for item in wanted:
            batch.append(item)
            size += item[0].env.size
            if len(batch) >= BATCH_MESSAGES or size >= BATCH_BYTES:
                done = self._take_batch(batch, total, done)
                batch, size = [], 0
        if batch:
            self._take_batch(batch, total, done)

    def _take_batch(self, batch: list[tuple[_Head, str | None]], total: int, done: int) -> int:
        by_uid = {h.env.uid: (h, t) for h, t in batch}
        bodies = self.box.bodies(list(by_uid))
        kinds = {b.uid: files_in(b.data) for b in bodies}
        with_files = {uid for uid, (carries, _) in kinds.items() if carries}
        converted = convert_data([(f"{b.uid}.eml", b.data) for b in bodies if kinds[b.uid][1]])
        taken: list[int] = []
        for body in bodies:
            if body.uid not in by_uid or not body.data:  # not asked for, or gone meanwhile: next run
                continue
            h, thread = by_uid[body.uid]
            self.progress(done, total, h.subject or "（无主题）")
            self._take(h, thread, body.data, body.internal_date or h.env.internal_date, converted,
                       body.uid in with_files)
            taken.append(body.uid)
            done += 1
        self.progress(done, total, "")
        self._flag(taken)
        return done

    def _take(self, h: _Head, thread: str | None, raw: bytes, internal: datetime | None, converted,
              with_files: bool = True) -> None:
        """One message, all or nothing: blob, message row, attachments' receipts and forms, UID."""
        ledger, report, s = self.ledger, self.report, self.s
        sha = sha256_of(raw)
        common = dict(sender=h.sender, subject=h.subject, message_id=h.message_id, refs=" ".join(h.refs),
                      size=len(raw))
        with ledger.transaction():
            existing = message_by_id(ledger, h.message_id, sha)
            if existing is not None:  # the same bytes under another UID (copied, or the folder was rebuilt)
                record_uid(ledger, self.account, s.folder, self.uidvalidity, h.env.uid, "same", message=existing,
                           **common)
                report.same += 1
                return
            subject = safe_name(h.subject or "无主题", "无主题")[:60]
            path = f"邮箱/{s.folder}/#{h.env.uid} {subject}.eml"
            when = local_time(internal) or local_time(h.sent_at) or now()
            if with_files:
                collect_data(ledger, self.ws, report.collect, path, f"{subject}.eml", raw, when, converted)
            else:  # text only (a question, "我单位无推荐人选"): kept, listed for the clerk, not a failed file
                store_blob(ledger, raw)
                report.text_only.append(f"{h.sender or '发件人不明'}《{h.subject or '无主题'}》")
            row = record_message(ledger, message_id=h.message_id, sha256=sha, account=self.account, folder=s.folder,
                                 uidvalidity=self.uidvalidity, uid=h.env.uid, path=path, sender=h.sender,
                                 subject=h.subject, sent_at=h.sent_at, internal_date=internal, size=len(raw),
                                 thread_unit=thread)
            record_uid(ledger, self.account, s.folder, self.uidvalidity, h.env.uid, "taken", message=row, **common)
        report.taken += 1
        if thread:
            report.replies += 1

    # ---- after ------------------------------------------------------------------------------
    def _flag_name(self) -> str | None:
        if self.s.mark == "none":
            return None
        if self.s.mark == "seen":
            return "\\Seen"
        if not self.box.keywords_allowed:
            note = f"邮箱服务器不允许自定义标记 {self.s.keyword}，已收取的邮件未做标记（台账已记录，不会重复收取）；可把 mail.mark 改为 seen"
            if note not in self.report.notes:
                self.report.notes.append(note)
            return None
        return self.s.keyword

    def _flag(self, uids: list[int]) -> None:
        flag = self._flag_name()
        if not uids or flag is None:
            return
        self.box.add_flag(uids, flag)
        with self.ledger.transaction():
            set_marked(self.ledger, self.account, self.s.folder, self.uidvalidity, uids)
        self.report.marked += len(uids)

    def _mark(self, known: dict[int, dict]) -> None:
        """Messages recorded by an earlier run that stopped before it could flag them."""
        missed = [u for u, k in known.items() if k["outcome"] in ("taken", "same") and not k["marked"]]
        self._flag(missed)

    def _after_fetch(self) -> None:
        if self.s.after_fetch == "keep":
            return
        rows = self.ledger.execute(
            "SELECT uid FROM mail_uids WHERE account = ? AND folder = ? AND uidvalidity = ? AND outcome IN ('taken', 'same')",
            (self.account, self.s.folder, self.uidvalidity)).fetchall()
        present = set(self.box.search_since(None))
        uids = [r["uid"] for r in rows if r["uid"] in present]
        if not uids:
            return
        if self.s.after_fetch == "move":
            self.box.move(uids, self.s.move_to)
            self.report.moved += len(uids)
        else:
            self.box.delete(uids)
            self.report.deleted += len(uids)

"""The office mailbox in the ledger: messages fetched, UIDs looked at, messages sent.

``mail_messages``: each message taken from the mailbox, once, keyed by its
Message-ID and by the SHA-256 of its raw bytes (kept in ``blobs``). Its
attachments are receipts whose ``path`` is this row's ``path``.

``mail_uids``: every (account, folder, UIDVALIDITY, UID) already looked at, so
a re-run fetches only what is new and an interrupted run resumes where it
stopped. A UID is written in the same transaction as its message, so a crash
leaves either both or neither. Messages passed over by the sender / subject
filter keep their headers here, so a later units.xlsx is applied without a
download.

``mail_sent``: each message sent (or tried) over SMTP: to whom, when, its
Message-ID (replies are matched to units through it) and what was attached.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from formgen.ledger.db import Ledger, register_schema
from formgen.ledger.files import iso, now, parse_iso

register_schema("mail", """
CREATE TABLE IF NOT EXISTS mail_messages (
    id INTEGER PRIMARY KEY,
    message_id TEXT,             -- normalised '<…>', NULL when the message has none
    sha256 TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
    account TEXT NOT NULL,
    folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    path TEXT NOT NULL,          -- receipts.path of its attachments
    sender TEXT,
    subject TEXT,
    sent_at TEXT,
    internal_date TEXT,
    size INTEGER NOT NULL,
    thread_unit TEXT,            -- unit of the sent message it answers (In-Reply-To / References)
    fetched_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS mail_messages_mid ON mail_messages(message_id) WHERE message_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS mail_uids (
    account TEXT NOT NULL,
    folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('taken', 'same', 'filtered', 'too_large', 'error')),
    message INTEGER REFERENCES mail_messages(id),
    sender TEXT,
    subject TEXT,
    message_id TEXT,
    refs TEXT,                   -- In-Reply-To and References ids, space separated
    size INTEGER,
    note TEXT,
    marked INTEGER NOT NULL DEFAULT 0,  -- the keyword / \\Seen flag is set on the server
    seen_at TEXT NOT NULL,
    PRIMARY KEY (account, folder, uidvalidity, uid)
);
CREATE TABLE IF NOT EXISTS mail_sent (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,          -- issue / remind
    unit TEXT NOT NULL,
    to_addrs TEXT NOT NULL,      -- JSON list
    subject TEXT NOT NULL,
    message_id TEXT NOT NULL,
    attachments TEXT NOT NULL,   -- JSON list of file names
    digest TEXT,                 -- what a reminder listed: the same digest on the same day is not sent again
    sha256 TEXT REFERENCES blobs(sha256),
    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    error TEXT,
    sent_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_sent_unit ON mail_sent(unit, kind);
CREATE INDEX IF NOT EXISTS mail_sent_mid ON mail_sent(message_id);
""")


@dataclass
class SentMail:
    id: int
    kind: str
    unit: str
    to: list[str]
    subject: str
    message_id: str
    attachments: list[str]
    status: str
    error: str | None
    sent_at: datetime

    @classmethod
    def from_row(cls, r) -> "SentMail":
        return cls(r["id"], r["kind"], r["unit"], json.loads(r["to_addrs"]), r["subject"], r["message_id"],
                   json.loads(r["attachments"]), r["status"], r["error"], parse_iso(r["sent_at"]))


# ---- fetched ---------------------------------------------------------------------------------

def known_uids(ledger: Ledger, account: str, folder: str, uidvalidity: int) -> dict[int, dict]:
    rows = ledger.execute("SELECT * FROM mail_uids WHERE account = ? AND folder = ? AND uidvalidity = ?",
                          (account, folder, uidvalidity)).fetchall()
    return {r["uid"]: dict(r) for r in rows}


def record_uid(ledger: Ledger, account: str, folder: str, uidvalidity: int, uid: int, outcome: str, *,
               message: int | None = None, sender: str | None = None, subject: str | None = None,
               message_id: str | None = None, refs: str | None = None, size: int | None = None,
               note: str | None = None) -> None:
    ledger.execute(
        """INSERT INTO mail_uids(account, folder, uidvalidity, uid, outcome, message, sender, subject, message_id,
                                 refs, size, note, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(account, folder, uidvalidity, uid) DO UPDATE SET outcome = excluded.outcome,
               message = excluded.message, note = excluded.note, seen_at = excluded.seen_at""",
        (account, folder, uidvalidity, uid, outcome, message, sender, subject, message_id, refs, size, note,
         iso(now())))


def set_marked(ledger: Ledger, account: str, folder: str, uidvalidity: int, uids: list[int]) -> None:
    ledger.conn.executemany(
        "UPDATE mail_uids SET marked = 1 WHERE account = ? AND folder = ? AND uidvalidity = ? AND uid = ?",
        [(account, folder, uidvalidity, u) for u in uids])


def message_by_id(ledger: Ledger, message_id: str | None, sha256: str) -> int | None:
    """The stored message with this Message-ID or these bytes, if any."""
    row = ledger.execute("SELECT id FROM mail_messages WHERE sha256 = ? OR (message_id IS NOT NULL AND message_id = ?)",
                         (sha256, message_id)).fetchone()
    return int(row["id"]) if row else None


def record_message(ledger: Ledger, *, message_id: str | None, sha256: str, account: str, folder: str,
                   uidvalidity: int, uid: int, path: str, sender: str | None, subject: str | None,
                   sent_at: datetime | None, internal_date: datetime | None, size: int,
                   thread_unit: str | None) -> int:
    cur = ledger.execute(
        """INSERT INTO mail_messages(message_id, sha256, account, folder, uidvalidity, uid, path, sender, subject,
               sent_at, internal_date, size, thread_unit, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (message_id, sha256, account, folder, uidvalidity, uid, path, sender, subject, iso(sent_at),
         iso(internal_date), size, thread_unit, iso(now())))
    return int(cur.lastrowid)


def message_count(ledger: Ledger) -> int:
    return int(ledger.execute("SELECT COUNT(*) FROM mail_messages").fetchone()[0])


def thread_units(ledger: Ledger) -> dict[str, str]:
    """Receipt path → unit, for messages that answer a message sent to that unit."""
    rows = ledger.execute("SELECT path, thread_unit FROM mail_messages WHERE thread_unit IS NOT NULL")
    return {r["path"]: r["thread_unit"] for r in rows}


# ---- sent ------------------------------------------------------------------------------------

def unit_of_sent(ledger: Ledger, message_ids: list[str]) -> str | None:
    """The unit a message we sent went to, for the first of ``message_ids`` that is ours."""
    for mid in message_ids:
        row = ledger.execute("SELECT unit FROM mail_sent WHERE message_id = ? AND status = 'sent'",
                             (mid,)).fetchone()
        if row:
            return row["unit"]
    return None


def record_sent(ledger: Ledger, *, kind: str, unit: str, to: list[str], subject: str, message_id: str,
                attachments: list[str], digest: str | None, sha256: str | None, status: str,
                error: str | None = None, when: datetime | None = None) -> int:
    cur = ledger.execute(
        """INSERT INTO mail_sent(kind, unit, to_addrs, subject, message_id, attachments, digest, sha256, status,
               error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (kind, unit, json.dumps(to, ensure_ascii=False), subject, message_id,
         json.dumps(attachments, ensure_ascii=False), digest, sha256, status, error, iso(when or now())))
    return int(cur.lastrowid)


def sent_today(ledger: Ledger, kind: str, unit: str, day: datetime) -> SentMail | None:
    """A message of ``kind`` already sent to ``unit`` on ``day`` (China time)."""
    row = ledger.execute(
        """SELECT * FROM mail_sent WHERE kind = ? AND unit = ? AND status = 'sent'
           AND substr(sent_at, 1, 10) = ? ORDER BY id DESC LIMIT 1""",
        (kind, unit, day.strftime("%Y-%m-%d"))).fetchone()
    return SentMail.from_row(row) if row else None


def last_sent(ledger: Ledger, kind: str, unit: str) -> SentMail | None:
    """The last message of ``kind`` sent to ``unit`` (any day): the notice goes to a unit once."""
    row = ledger.execute(
        "SELECT * FROM mail_sent WHERE kind = ? AND unit = ? AND status = 'sent' ORDER BY id DESC LIMIT 1",
        (kind, unit)).fetchone()
    return SentMail.from_row(row) if row else None


def sent_mail(ledger: Ledger, unit: str | None = None) -> list[SentMail]:
    if unit is None:
        rows = ledger.execute("SELECT * FROM mail_sent ORDER BY id")
    else:
        rows = ledger.execute("SELECT * FROM mail_sent WHERE unit = ? ORDER BY id", (unit,))
    return [SentMail.from_row(r) for r in rows]


def last_sent_by_unit(ledger: Ledger) -> dict[str, list[SentMail]]:
    """Per unit, the last message sent of each kind (issue, remind), for ``formgen status``."""
    out: dict[str, list[SentMail]] = {}
    rows = ledger.execute(
        """SELECT * FROM mail_sent WHERE id IN (SELECT MAX(id) FROM mail_sent WHERE status = 'sent'
           GROUP BY unit, kind) ORDER BY unit, id""")
    for r in rows:
        m = SentMail.from_row(r)
        out.setdefault(m.unit, []).append(m)
    return out

"""Received files: their bytes (kept forever) and one receipt per arrival.

``blobs`` holds each distinct file's original bytes once, keyed by SHA-256, so
the ledger alone can reproduce every file ever collected even after forms_in/
is cleaned up. ``receipts`` records each arrival of a leaf file (a file on
disk, an email attachment, an archive member): where it came from, when, by
which route, which unit sent it and whether it could be read.

An arrival is identified by (sha256, path, via, name): collecting the same
file from the same place again records nothing new. The same bytes arriving
by another path or route are recorded as a ``duplicate`` of the first.

All times are China Standard Time without a zone (the campaign's deadline is
written that way in campaign.yaml).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from formgen.ledger.db import Ledger, register_schema

CHINA_TZ = timezone(timedelta(hours=8))

register_schema("files", """
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    bytes BLOB,                 -- NULL only for a file refused as too large
    stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS receipts (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    path TEXT NOT NULL,          -- the file on disk as given (workspace-relative when inside it)
    outer_sha256 TEXT NOT NULL,  -- bytes of that file on disk (differs from sha256 inside a container)
    name TEXT NOT NULL,          -- the leaf file name (attachment / member name, decoded)
    via TEXT NOT NULL DEFAULT '[]',  -- JSON list of containers, outermost first
    sender TEXT,
    sent_at TEXT,
    email_subject TEXT,
    file_mtime TEXT,
    arrived_at TEXT,             -- the email's Date when by email, else the file's mtime
    arrived_basis TEXT,          -- 'email' / 'mtime'
    received_at TEXT NOT NULL,   -- when formgen collected it
    route TEXT NOT NULL,         -- folder / email / zip / …
    unit TEXT,
    unit_method TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'duplicate')),
    duplicate_of INTEGER REFERENCES receipts(id),
    error TEXT,
    error_kind TEXT,
    UNIQUE (sha256, path, via, name)
);
CREATE INDEX IF NOT EXISTS receipts_outer ON receipts(path, outer_sha256);
CREATE INDEX IF NOT EXISTS receipts_sha ON receipts(sha256);
-- Staff decisions about a whole file: which unit sent it ('' = not counted at all).
CREATE TABLE IF NOT EXISTS assignments (
    receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),
    unit TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
""")

EMAIL_SUFFIXES = (".eml", ".msg", ".mbox")


def now() -> datetime:
    return datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def local_time(value: datetime | None) -> datetime | None:
    """``value`` as China time without a zone (naive values are taken as already local)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(CHINA_TZ).replace(tzinfo=None)
    return value.replace(microsecond=0)


def iso(value: datetime | None) -> str | None:
    return local_time(value).isoformat(sep=" ") if value is not None else None


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def route_of(via: list[str], sender: str | None) -> str:
    """How a leaf file reached us: by email, inside an archive, or straight into the folder."""
    if sender or any(v.lower().endswith(EMAIL_SUFFIXES) for v in via):
        return "email"
    if via:
        dot = via[0].rfind(".")
        return via[0][dot + 1:].lower() if dot >= 0 else "archive"
    return "folder"


ROUTE_LABELS = {"folder": "收件目录", "email": "电子邮件", "zip": "压缩包", "rar": "压缩包", "7z": "压缩包",
                "archive": "压缩包"}


def route_label(route: str) -> str:
    return ROUTE_LABELS.get(route, route)


@dataclass
class Receipt:
    id: int
    sha256: str
    path: str
    outer_sha256: str
    name: str
    via: list[str]
    sender: str | None
    sent_at: datetime | None
    email_subject: str | None
    file_mtime: datetime | None
    arrived_at: datetime | None
    arrived_basis: str | None
    received_at: datetime
    route: str
    unit: str | None
    unit_method: str | None
    status: str
    duplicate_of: int | None
    error: str | None
    error_kind: str | None

    @property
    def label(self) -> str:
        """The file as a person would name it: path, then the containers' inner names."""
        inner = [*self.via[1:], self.name] if self.via else []
        return " → ".join([self.path, *inner])

    @classmethod
    def from_row(cls, row) -> "Receipt":
        return cls(
            id=row["id"], sha256=row["sha256"], path=row["path"], outer_sha256=row["outer_sha256"],
            name=row["name"], via=json.loads(row["via"]), sender=row["sender"],
            sent_at=parse_iso(row["sent_at"]), email_subject=row["email_subject"],
            file_mtime=parse_iso(row["file_mtime"]), arrived_at=parse_iso(row["arrived_at"]),
            arrived_basis=row["arrived_basis"], received_at=parse_iso(row["received_at"]),
            route=row["route"], unit=row["unit"], unit_method=row["unit_method"], status=row["status"],
            duplicate_of=row["duplicate_of"], error=row["error"], error_kind=row["error_kind"])


def store_blob(ledger: Ledger, data: bytes | None, sha256: str | None = None, size: int | None = None) -> str:
    """Keep ``data`` under its SHA-256 (once; later calls change nothing). Returns the hash.

    ``data`` None records only hash and size, for a file refused as too large.
    """
    if data is not None:
        sha256 = sha256_of(data)
        size = len(data)
    assert sha256 is not None and size is not None
    ledger.execute("INSERT OR IGNORE INTO blobs(sha256, size, bytes, stored_at) VALUES (?, ?, ?, ?)",
                   (sha256, size, data, iso(now())))
    if data is not None:  # a blob first seen too large and now readable keeps its bytes
        ledger.execute("UPDATE blobs SET bytes = ? WHERE sha256 = ? AND bytes IS NULL", (data, sha256))
    return sha256


def blob_bytes(ledger: Ledger, sha256: str) -> bytes | None:
    row = ledger.execute("SELECT bytes FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return bytes(row["bytes"]) if row and row["bytes"] is not None else None


def find_receipt(ledger: Ledger, sha256: str, path: str, via: list[str], name: str) -> Receipt | None:
    row = ledger.execute("SELECT * FROM receipts WHERE sha256 = ? AND path = ? AND via = ? AND name = ?",
                         (sha256, path, json.dumps(via, ensure_ascii=False), name)).fetchone()
    return Receipt.from_row(row) if row else None


def first_receipt_of(ledger: Ledger, sha256: str) -> Receipt | None:
    """The arrival of record of these bytes (later arrivals are its duplicates)."""
    row = ledger.execute("SELECT * FROM receipts WHERE sha256 = ? AND status = 'ok' ORDER BY id LIMIT 1",
                         (sha256,)).fetchone()
    return Receipt.from_row(row) if row else None


def receipts_of_file(ledger: Ledger, path: str, outer_sha256: str) -> list[Receipt]:
    """Every receipt recorded from the file at ``path`` with these bytes (empty: not collected yet)."""
    rows = ledger.execute("SELECT * FROM receipts WHERE path = ? AND outer_sha256 = ? ORDER BY id",
                          (path, outer_sha256)).fetchall()
    return [Receipt.from_row(r) for r in rows]


def record_receipt(ledger: Ledger, *, sha256: str, path: str, outer_sha256: str, name: str,
                   via: list[str] | None = None, sender: str | None = None, sent_at: datetime | None = None,
                   email_subject: str | None = None, file_mtime: datetime | None = None,
                   status: str = "ok", duplicate_of: int | None = None, error: str | None = None,
                   error_kind: str | None = None, received_at: datetime | None = None) -> int:
    """Record one arrival and return its id; an arrival already recorded returns the old id unchanged."""
    via = list(via or [])
    old = find_receipt(ledger, sha256, path, via, name)
    if old is not None:
        return old.id
    sent_at, file_mtime = local_time(sent_at), local_time(file_mtime)
    arrived_at, basis = (sent_at, "email") if sent_at else (file_mtime, "mtime" if file_mtime else None)
    cur = ledger.execute(
        """INSERT INTO receipts(sha256, path, outer_sha256, name, via, sender, sent_at, email_subject,
               file_mtime, arrived_at, arrived_basis, received_at, route, status, duplicate_of, error, error_kind)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (sha256, path, outer_sha256, name, json.dumps(via, ensure_ascii=False), sender, iso(sent_at),
         email_subject, iso(file_mtime), iso(arrived_at), basis, iso(received_at or now()),
         route_of(via, sender), status, duplicate_of, error, error_kind))
    return int(cur.lastrowid)


def update_receipt_error(ledger: Ledger, receipt_id: int, status: str, error: str | None,
                         error_kind: str | None) -> None:
    """A retried file's new outcome (only for environment errors such as a missing LibreOffice)."""
    ledger.execute("UPDATE receipts SET status = ?, error = ?, error_kind = ? WHERE id = ?",
                   (status, error, error_kind, receipt_id))


def set_receipt_unit(ledger: Ledger, receipt_id: int, unit: str | None, method: str | None) -> None:
    ledger.execute("UPDATE receipts SET unit = ?, unit_method = ? WHERE id = ?", (unit, method, receipt_id))


def all_receipts(ledger: Ledger) -> list[Receipt]:
    return [Receipt.from_row(r) for r in ledger.execute("SELECT * FROM receipts ORDER BY id")]


def get_receipt(ledger: Ledger, receipt_id: int) -> Receipt | None:
    row = ledger.execute("SELECT * FROM receipts WHERE id = ?", (receipt_id,)).fetchone()
    return Receipt.from_row(row) if row else None


def assign_unit(ledger: Ledger, receipt_id: int, unit: str, note: str | None = None) -> None:
    """Staff say which unit sent a file ('' = the file does not count)."""
    ledger.execute(
        """INSERT INTO assignments(receipt_id, unit, note, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(receipt_id) DO UPDATE SET unit = excluded.unit, note = excluded.note,
               created_at = excluded.created_at""",
        (receipt_id, unit, note, iso(now())))


def assignments(ledger: Ledger) -> dict[int, str]:
    return {r["receipt_id"]: r["unit"] for r in ledger.execute("SELECT receipt_id, unit FROM assignments")}


def make_primary(ledger: Ledger, old_id: int, new_id: int) -> None:
    """``new_id`` becomes the arrival of record for its bytes and ``old_id`` (and its duplicates) its duplicates.

    Used when the same file arrives again by a better route (by email, with a sender and a date) or
    earlier than the arrival recorded first. The caller moves what hangs on the old receipt.
    """
    ledger.execute("UPDATE receipts SET status = 'ok', duplicate_of = NULL WHERE id = ?", (new_id,))
    ledger.execute("UPDATE receipts SET duplicate_of = ? WHERE duplicate_of = ?", (new_id, old_id))
    ledger.execute("UPDATE receipts SET status = 'duplicate', duplicate_of = ? WHERE id = ?", (new_id, old_id))
    ledger.execute("UPDATE OR IGNORE assignments SET receipt_id = ? WHERE receipt_id = ?", (new_id, old_id))


def delete_error_receipt(ledger: Ledger, receipt_id: int) -> None:
    """Drop a whole-file failure that a later run read after all (it holds no forms)."""
    ledger.execute("DELETE FROM problems WHERE receipt_id = ? AND origin = 'check'", (receipt_id,))
    ledger.execute("DELETE FROM assignments WHERE receipt_id = ?", (receipt_id,))
    ledger.execute("DELETE FROM receipts WHERE id = ? AND status = 'error'", (receipt_id,))

"""Ballot pages in the ledger: every row as read (kept for audit), page problems, and people's decisions.

A ballot page is one tally source (its sheet serial and page, not the file it came
in). Reading the page again replaces its reads; ``ballot_decisions`` is
append-only, so a person's decision on a flagged row survives every re-collect
and keeps its history (the latest decision for a row counts).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from formgen.ledger.db import Ledger, register_schema

register_schema("ballots", """
CREATE TABLE IF NOT EXISTS ballot_reads (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    rating TEXT NOT NULL,
    rater_group TEXT NOT NULL,
    serial INTEGER NOT NULL,
    page INTEGER NOT NULL,
    file TEXT NOT NULL,
    file_page INTEGER NOT NULL,
    file_sha256 TEXT,
    row_no INTEGER NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    level TEXT,
    reason TEXT NOT NULL DEFAULT '',
    inks TEXT NOT NULL,
    crop BLOB,
    read_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ballot_reads_source ON ballot_reads (source);
CREATE TABLE IF NOT EXISTS ballot_decisions (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    row_no INTEGER NOT NULL,
    level TEXT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ballot_decisions_source ON ballot_decisions (source, row_no);
CREATE TABLE IF NOT EXISTS ballot_page_problems (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    file_page INTEGER NOT NULL,
    file_sha256 TEXT,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ballot_page_problems_file ON ballot_page_problems (file);
CREATE TABLE IF NOT EXISTS ballot_files (
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pages INTEGER NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (file, sha256)
)
""")

INVALID = "无效"  # a decision that the row counts for no level


@dataclass
class BallotRowRead:
    source: str
    rating: str
    group: str
    serial: int
    page: int  # 0-based page of the sheet
    file: str
    file_page: int
    row_no: int  # 序号 on the ballot
    subject: str
    status: str  # ok | empty | multiple | flagged
    level: str | None
    reason: str
    inks: list[float]
    crop: bytes | None = None
    file_sha256: str | None = None


@dataclass
class BallotDecision:
    source: str
    row_no: int
    level: str  # a level, or INVALID
    decided_by: str
    note: str
    decided_at: str


def _now(at: datetime | None) -> str:
    return (at or datetime.now()).isoformat(timespec="seconds")


def replace_page_reads(ledger: Ledger, source: str, rows: list[BallotRowRead], at: datetime | None = None) -> None:
    stamp = _now(at)
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM ballot_reads WHERE source = ?", (source,))
        conn.executemany(
            "INSERT INTO ballot_reads (source, rating, rater_group, serial, page, file, file_page, file_sha256,"
            " row_no, subject, status, level, reason, inks, crop, read_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(source, r.rating, r.group, r.serial, r.page, r.file, r.file_page, r.file_sha256, r.row_no, r.subject,
              r.status, r.level, r.reason, json.dumps(r.inks), r.crop, stamp) for r in rows])


def page_reads(ledger: Ledger, source: str | None = None) -> list[BallotRowRead]:
    sql = ("SELECT source, rating, rater_group, serial, page, file, file_page, row_no, subject, status, level,"
           " reason, inks, crop, file_sha256 FROM ballot_reads")
    args: tuple = ()
    if source is not None:
        sql += " WHERE source = ?"
        args = (source,)
    return [BallotRowRead(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                          json.loads(r[12]), r[13], r[14])
            for r in ledger.execute(sql + " ORDER BY rating, serial, page, row_no", args)]


def has_source(ledger: Ledger, source: str) -> bool:
    return ledger.execute("SELECT 1 FROM ballot_reads WHERE source = ? LIMIT 1", (source,)).fetchone() is not None


def file_seen(ledger: Ledger, file: str, sha256: str) -> bool:
    """Whether these very bytes under this name were read before (so need not be read again)."""
    return ledger.execute("SELECT 1 FROM ballot_files WHERE file = ? AND sha256 = ?", (file, sha256)).fetchone() is not None


def mark_file_read(ledger: Ledger, file: str, sha256: str, pages: int, at: datetime | None = None) -> None:
    ledger.execute("INSERT OR REPLACE INTO ballot_files (file, sha256, pages, read_at) VALUES (?, ?, ?, ?)",
                   (file, sha256, pages, _now(at)))


def add_decision(ledger: Ledger, source: str, row_no: int, level: str, decided_by: str = "", note: str = "",
                 at: datetime | None = None) -> None:
    ledger.execute("INSERT INTO ballot_decisions (source, row_no, level, decided_by, note, decided_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", (source, row_no, level, decided_by, note, _now(at)))


def decisions(ledger: Ledger, source: str | None = None) -> list[BallotDecision]:
    """Every decision, oldest first (the history)."""
    sql = "SELECT source, row_no, level, decided_by, note, decided_at FROM ballot_decisions"
    args: tuple = ()
    if source is not None:
        sql += " WHERE source = ?"
        args = (source,)
    return [BallotDecision(*tuple(r)) for r in ledger.execute(sql + " ORDER BY id", args)]


def latest_decisions(ledger: Ledger, source: str | None = None) -> dict[tuple[str, int], BallotDecision]:
    out: dict[tuple[str, int], BallotDecision] = {}
    for d in decisions(ledger, source):
        out[(d.source, d.row_no)] = d
    return out


def replace_file_problems(ledger: Ledger, file: str, problems: list[tuple[int, str, str]],
                          sha256: str | None = None, at: datetime | None = None) -> None:
    """(file page, kind, message) of every page of ``file`` that could not be counted."""
    stamp = _now(at)
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM ballot_page_problems WHERE file = ?", (file,))
        conn.executemany("INSERT INTO ballot_page_problems (file, file_page, file_sha256, kind, message, seen_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", [(file, p, sha256, k, m, stamp) for p, k, m in problems])


def page_problems(ledger: Ledger) -> list[tuple[str, int, str, str]]:
    return [tuple(r) for r in ledger.execute(
        "SELECT file, file_page, kind, message FROM ballot_page_problems ORDER BY file, file_page")]

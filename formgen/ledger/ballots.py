"""Ballot pages in the ledger: every row as read (kept for audit), page problems, and people's decisions.

A ballot page is one tally source (its sheet serial and page, not the file it came
in). Each file page that held it is one *reading* of it. Reading the same file page
again replaces that reading; another reading with the same marks replaces it too (a
sheet scanned twice counts once). A reading that says something else (a photocopied
ballot filled in differently) is kept beside the first: the sheet is a conflict and
counts for nothing until a person adopts one reading or declares the sheet invalid —
a decision on row :data:`SHEET_ROW` in ``ballot_decisions``, like any other.

``ballot_decisions`` is append-only, so a person's decision on a flagged row survives
every re-collect and keeps its history (the latest decision for a row counts).
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

INVALID = "无效"  # a decision that the row counts for no level (on SHEET_ROW: the whole sheet page)
SHEET_ROW = 0  # the row number of a decision about the whole sheet page (which reading counts)
ADOPT = "采用"  # a sheet decision "采用：<reading>": this reading counts, the others do not


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


def reading_of(r: BallotRowRead) -> str:
    """The reading a row belongs to, as staff see it: the file and page it was read from."""
    return f"{r.file} 第{r.file_page}页"


def adopt(reading: str) -> str:
    """The sheet decision that ``reading`` counts."""
    return f"{ADOPT}：{reading}"


def readings(ledger: Ledger, source: str) -> dict[str, list[BallotRowRead]]:
    """Every reading of one sheet page (oldest first), each its rows in order."""
    out: dict[str, list[BallotRowRead]] = {}
    for r in page_reads(ledger, source):
        out.setdefault(reading_of(r), []).append(r)
    return out


def replace_page_reads(ledger: Ledger, source: str, rows: list[BallotRowRead], at: datetime | None = None,
                       keep: tuple[str, ...] = ()) -> None:
    """Store one reading of ``source`` (``rows``, all from one file page); the page's other readings
    are dropped, except those named in ``keep`` (readings that differ: a conflict)."""
    stamp = _now(at)
    with ledger.transaction() as conn:
        for reading in {reading_of(r) for r in page_reads(ledger, source)} - set(keep):
            file, page = reading.rsplit(" 第", 1)
            conn.execute("DELETE FROM ballot_reads WHERE source = ? AND file = ? AND file_page = ?",
                         (source, file, int(page.removesuffix("页"))))
        for r in rows:
            conn.execute("DELETE FROM ballot_reads WHERE source = ? AND file = ? AND file_page = ?",
                         (source, r.file, r.file_page))
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
            for r in ledger.execute(sql + " ORDER BY rating, serial, page, id", args)]


def set_crop(ledger: Ledger, source: str, reading: str, row_no: int, crop: bytes) -> None:
    file, page = reading.rsplit(" 第", 1)
    ledger.execute("UPDATE ballot_reads SET crop = ? WHERE source = ? AND file = ? AND file_page = ? AND row_no = ?",
                   (crop, source, file, int(page.removesuffix("页")), row_no))


@dataclass
class Counted:
    """What counts of the ballot pages in the ledger (:func:`counted`)."""

    rows: list[BallotRowRead]  # the rows of the reading that counts, of every page that is not a conflict
    conflicts: dict[str, dict[str, list[BallotRowRead]]]  # undecided: source → reading → rows (none count)
    decided: dict[str, dict[str, list[BallotRowRead]]]  # conflicts a person decided (kept for the record)
    void: set[str]  # sources a person declared invalid as a whole (their rows count as invalid)


def counted(ledger: Ledger, source: str | None = None) -> Counted:
    """Which reading of each sheet page counts: its only one; of a conflict, the one a person
    adopted (none while undecided; none, and every row invalid, when declared 无效)."""
    by_source: dict[str, dict[str, list[BallotRowRead]]] = {}
    for r in page_reads(ledger, source):
        by_source.setdefault(r.source, {}).setdefault(reading_of(r), []).append(r)
    sheet = {s: d for (s, row), d in latest_decisions(ledger, source).items() if row == SHEET_ROW}
    out = Counted([], {}, {}, set())
    for src, reads in by_source.items():
        d = sheet.get(src)
        if d and d.level == INVALID:
            out.void.add(src)
            out.rows += next(iter(reads.values()))
        elif len(reads) == 1:
            out.rows += next(iter(reads.values()))
        elif d and d.level.startswith(ADOPT) and d.level.removeprefix(f"{ADOPT}：") in reads:
            out.rows += reads[d.level.removeprefix(f"{ADOPT}：")]
        else:
            out.conflicts[src] = reads
            continue
        if len(reads) > 1:
            out.decided[src] = reads
    return out


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


def same_marks(a: list[BallotRowRead], b: list[BallotRowRead]) -> bool:
    """Two readings of a page say the same: row by row the same clear result. A row one of them
    could not tell (flagged) agrees with anything: a person looks at it anyway."""
    if [r.row_no for r in a] != [r.row_no for r in b]:
        return False
    return all("flagged" in (x.status, y.status) or (x.status, x.level) == (y.status, y.level) for x, y in zip(a, b))


def differing_rows(readings: dict[str, list[BallotRowRead]]) -> list[int]:
    """序号 of the rows where the readings of one page do not all say the same."""
    first = next(iter(readings.values()))
    out = []
    for i, r in enumerate(first):
        said = {(rows[i].status, rows[i].level) for rows in readings.values() if i < len(rows)}
        if len(said) > 1:
            out.append(r.row_no)
    return out

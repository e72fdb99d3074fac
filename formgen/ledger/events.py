"""Findings, outcomes and tie decisions of campaigns assessed by periods (seeds 002, 004).

``assessment_events``: one row per finding (an event-log row or a scorer's cell). A
source (one event-log sheet, one scorer's workbook) is read as a whole: reading it
again replaces what it gave before, so a corrected workbook counts once.

``assessment_outcomes``: first and last place per period, kept across years so that
"末位连续两年" can be read from history; earlier years can be entered by hand.

``tie_decisions``: a person's decision on a tie that decided first or last place
(``formgen decide``); every decision is kept, the latest for a pair counts.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterable

from formgen.ledger.db import Ledger, register_schema
from formgen.records import EventRow

register_schema("events", """
CREATE TABLE IF NOT EXISTS assessment_events (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    event_date TEXT,
    subject TEXT NOT NULL,
    item TEXT NOT NULL,
    rule TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    source_kind TEXT NOT NULL,
    source TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assessment_events_period ON assessment_events (period, subject);
CREATE INDEX IF NOT EXISTS assessment_events_file ON assessment_events (source_kind, source_file);
CREATE TABLE IF NOT EXISTS assessment_outcomes (
    id INTEGER PRIMARY KEY,
    award_id TEXT NOT NULL,
    period TEXT NOT NULL,
    place TEXT NOT NULL,
    subject TEXT NOT NULL,
    rank INTEGER,
    total REAL,
    how TEXT NOT NULL DEFAULT 'scored',
    recorded_at TEXT NOT NULL,
    UNIQUE (award_id, period, place)
);
CREATE TABLE IF NOT EXISTS tie_decisions (
    id INTEGER PRIMARY KEY,
    award_id TEXT NOT NULL,
    period TEXT NOT NULL,
    above TEXT NOT NULL,
    below TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL
)
""")


def _stamp(at: dt.datetime | None) -> str:
    return (at or dt.datetime.now()).isoformat(timespec="seconds")


def replace_events(ledger: Ledger, source_kind: str, source_file: str, rows: Iterable[EventRow],
                   at: dt.datetime | None = None, sha256: str = "") -> int:
    """Store what one workbook says, replacing what it said before; returns the rows stored."""
    rows = list(rows)
    stamp = _stamp(at)
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM assessment_events WHERE source_kind = ? AND source_file = ?",
                     (source_kind, source_file))
        conn.executemany(
            "INSERT INTO assessment_events (period, event_date, subject, item, rule, value, reason, evidence,"
            " recorded_by, source_kind, source, source_file, source_sha256, recorded_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(r.period, r.date.isoformat() if r.date else None, r.subject, r.item, r.rule,
              json.dumps(r.value, ensure_ascii=False), r.reason, r.evidence, r.recorded_by, source_kind,
              r.source, source_file, sha256, stamp) for r in rows])
    return len(rows)


def same_content(ledger: Ledger, source_kind: str, source_file: str, sha256: str) -> str | None:
    """Another workbook already read with exactly these bytes (a copy sent twice), if any."""
    row = ledger.execute("SELECT source_file FROM assessment_events WHERE source_kind = ? AND source_sha256 = ?"
                         " AND source_file != ? AND source_sha256 != '' LIMIT 1",
                         (source_kind, sha256, source_file)).fetchone()
    return row[0] if row else None


def load_events(ledger: Ledger, periods: Iterable[str] | None = None) -> list[EventRow]:
    sql = ("SELECT period, event_date, subject, item, rule, value, reason, evidence, recorded_by, source,"
           " source_kind FROM assessment_events")
    args: list = []
    if periods is not None:
        periods = list(periods)
        sql += f" WHERE period IN ({','.join('?' * len(periods))})"
        args = periods
    out = []
    for r in ledger.execute(sql + " ORDER BY event_date, id", args):
        out.append(EventRow(r["period"], r["subject"], r["item"], r["rule"], json.loads(r["value"]),
                            dt.date.fromisoformat(r["event_date"]) if r["event_date"] else None, r["reason"],
                            r["evidence"], r["recorded_by"], r["source"], r["source_kind"]))
    return out


def record_outcome(ledger: Ledger, award_id: str, period: str, place: str, subject: str,
                   rank: int | None = None, total: float | None = None, how: str = "scored",
                   at: dt.datetime | None = None) -> None:
    """First / last place of ``period`` (replacing an earlier record of the same place)."""
    with ledger.transaction() as conn:
        conn.execute("INSERT INTO assessment_outcomes (award_id, period, place, subject, rank, total, how,"
                     " recorded_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (award_id, period, place) DO UPDATE SET"
                     " subject = excluded.subject, rank = excluded.rank, total = excluded.total, how = excluded.how,"
                     " recorded_at = excluded.recorded_at",
                     (award_id, period, place, subject, rank, total, how, _stamp(at)))


def forget_outcome(ledger: Ledger, award_id: str, period: str, place: str) -> None:
    """A place now held for a decision: an earlier record of it no longer stands."""
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM assessment_outcomes WHERE award_id = ? AND period = ? AND place = ? AND how = 'scored'",
                     (award_id, period, place))


def load_outcomes(ledger: Ledger, award_id: str) -> dict[tuple[str, str], dict]:
    """(period, place) → {subject, rank, total, how, recorded_at}."""
    rows = ledger.execute("SELECT * FROM assessment_outcomes WHERE award_id = ? ORDER BY period", (award_id,))
    return {(r["period"], r["place"]): dict(r) for r in rows}


def record_decision(ledger: Ledger, award_id: str, period: str, above: str, below: str, decided_by: str,
                    reason: str = "", at: dt.datetime | None = None) -> None:
    with ledger.transaction() as conn:
        conn.execute("INSERT INTO tie_decisions (award_id, period, above, below, decided_by, reason, decided_at)"
                     " VALUES (?,?,?,?,?,?,?)", (award_id, period, above, below, decided_by, reason, _stamp(at)))


def load_decisions(ledger: Ledger, award_id: str, period: str) -> list[dict]:
    """Every decision for the period, oldest first (a later one on the same pair overrides)."""
    rows = ledger.execute("SELECT * FROM tie_decisions WHERE award_id = ? AND period = ? ORDER BY id",
                          (award_id, period))
    return [dict(r) for r in rows]


AWARD_TIES = "award"  # the period column of a tie decided in an award ranking (no periods there)


def award_tie_decisions(ledger: Ledger, award_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(upper key, lower key) -> (decided by, reason) of an award's decided ties; the latest per pair counts."""
    latest: dict[frozenset, dict] = {}
    for row in load_decisions(ledger, award_id, AWARD_TIES):
        latest[frozenset((row["above"], row["below"]))] = row
    return {(r["above"], r["below"]): (r["decided_by"], r["reason"]) for r in latest.values()}

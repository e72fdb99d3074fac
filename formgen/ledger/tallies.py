"""Rating tallies in the ledger: one row per rating × period × subject × rater group × level × source.

Every way a tally arrives (paper ballots read by ``collect``, an online survey
export, a hand-counted tally sheet) is one *source*: a ballot page, a workbook
sheet. Reading a source again replaces what that source gave before, so a
ballot page scanned twice, or a corrected tally sheet, counts once.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterable

from formgen.ledger.db import Ledger, register_schema
from formgen.records import TallyRow

register_schema("tallies", """
CREATE TABLE IF NOT EXISTS rating_tallies (
    id INTEGER PRIMARY KEY,
    rating TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    rater_group TEXT NOT NULL,
    level TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    source_kind TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rating_tallies_rating ON rating_tallies (rating, period);
CREATE INDEX IF NOT EXISTS rating_tallies_source ON rating_tallies (source_kind, source)
""")


def replace_source(ledger: Ledger, source_kind: str, source: str, rows: Iterable[TallyRow],
                   at: datetime | None = None) -> int:
    """Store what one source says, replacing anything it said before; returns the rows stored."""
    rows = list(rows)
    stamp = (at or datetime.now()).isoformat(timespec="seconds")
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM rating_tallies WHERE source_kind = ? AND source = ?", (source_kind, source))
        conn.executemany(
            "INSERT INTO rating_tallies (rating, period, subject, rater_group, level, count,"
            " source_kind, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.rating, r.period, r.subject, r.group, r.level, int(r.count), source_kind, source, stamp)
             for r in rows])
    return len(rows)


def load_tally_rows(ledger: Ledger, rating: str | None = None, period: str | None = None) -> list[TallyRow]:
    sql = ("SELECT rating, subject, rater_group, level, count, source_kind, source, period"
           " FROM rating_tallies WHERE 1=1")
    args: list = []
    if rating is not None:
        sql += " AND rating = ?"
        args.append(rating)
    if period is not None:
        sql += " AND period = ?"
        args.append(period)
    return [TallyRow(*tuple(r)) for r in ledger.execute(sql + " ORDER BY id", args)]


def tally_counts(ledger: Ledger, rating: str, period: str = "") -> dict[tuple[str, str, str], int]:
    """(subject, group, level) → count, summed over every source."""
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in load_tally_rows(ledger, rating, period):
        counts[(r.subject, r.group, r.level)] += r.count
    return dict(counts)

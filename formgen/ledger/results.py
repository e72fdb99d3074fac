"""The result of the last ``formgen score``: every award's ranking, as publish reads it.

``formgen score`` replaces the stored result as a whole; ``formgen publish`` prints
exactly what was scored and shown, never a ranking computed afresh behind the
clerk's back. ``stale_since`` says when judges' scores were read after the scoring.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime

from formgen.ledger.db import Ledger, register_schema
from formgen.ledger.files import parse_iso
from formgen.records import Nominee

register_schema("results", """
CREATE TABLE IF NOT EXISTS score_results (
    award_id TEXT NOT NULL,
    position INTEGER NOT NULL,      -- 0.. in the ranking's order
    nominee TEXT NOT NULL,          -- JSON of the Nominee as scored
    rank INTEGER,
    total REAL,
    selected INTEGER NOT NULL,
    recommended INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    scored_at TEXT NOT NULL,
    PRIMARY KEY (award_id, position)
);
CREATE TABLE IF NOT EXISTS result_locks (       -- set when the results were published
    id INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    who TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS score_result_versions (  -- a published result replaced later, kept whole
    id INTEGER PRIMARY KEY,
    rows TEXT NOT NULL,             -- JSON: the score_results rows as they were
    scored_at TEXT,
    replaced_at TEXT NOT NULL,
    who TEXT NOT NULL,
    reason TEXT NOT NULL
)
""")


@dataclass
class ScoredNominee:
    """One row of a stored ranking (the fields of ``scoring.rank.Ranked`` publish needs)."""

    award_id: str
    nominee: Nominee
    rank: int | None
    total: float | None
    selected: bool
    recommended: bool
    status: str = ""
    grade: str = ""


def save_score_results(ledger: Ledger, ranked_by_award: dict, scored_at: datetime | None = None) -> None:
    """Replace the stored result with ``ranked_by_award`` (award id → ``Ranked`` rows, in order)."""
    at = (scored_at or datetime.now()).isoformat(timespec="seconds")  # the clock judge reads are stamped with
    with ledger.transaction():
        ledger.execute("DELETE FROM score_results")
        for award_id, rows in ranked_by_award.items():
            for position, r in enumerate(rows):
                ledger.execute(
                    "INSERT INTO score_results(award_id, position, nominee, rank, total, selected, recommended, "
                    "status, grade, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (award_id, position, _nominee_json(r.nominee), r.rank, r.total, int(bool(r.selected)),
                     int(bool(r.recommended)), r.status or "", getattr(r, "grade", "") or "", at))


def load_score_results(ledger: Ledger) -> dict[str, list[ScoredNominee]]:
    """The stored ranking per award, in order (empty when ``formgen score`` has not run)."""
    out: dict[str, list[ScoredNominee]] = {}
    for row in ledger.execute("SELECT * FROM score_results ORDER BY rowid"):
        out.setdefault(row["award_id"], []).append(ScoredNominee(
            award_id=row["award_id"], nominee=_nominee(row["nominee"]), rank=row["rank"], total=row["total"],
            selected=bool(row["selected"]), recommended=bool(row["recommended"]), status=row["status"],
            grade=row["grade"]))
    return out


def lock_results(ledger: Ledger, who: str, at: datetime | None = None) -> None:
    """The stored result was published: from now on a change needs a reason (``replace_locked``)."""
    ledger.execute("INSERT INTO result_locks(published_at, who) VALUES (?, ?)",
                   ((at or datetime.now()).isoformat(timespec="seconds"), who))


def locked_since(ledger: Ledger) -> tuple[datetime, str] | None:
    """(when, who) the result was first published, or None while it is not locked."""
    row = ledger.execute("SELECT published_at, who FROM result_locks ORDER BY id LIMIT 1").fetchone()
    return (parse_iso(row["published_at"]), row["who"]) if row else None


def result_signature(ranked_by_award: dict) -> dict:
    """What a change of result is judged by: per award, each row's nominee, rank, total, selection, status."""
    return {aid: [(r.nominee.key, r.rank, r.total, bool(r.selected), r.status or "") for r in rows]
            for aid, rows in ranked_by_award.items()}


def archive_result(ledger: Ledger, who: str, reason: str) -> int:
    """Keep the stored result whole before a locked result is replaced; returns the version's id."""
    rows = [dict(r) for r in ledger.execute("SELECT * FROM score_results ORDER BY rowid")]
    scored = max((r["scored_at"] for r in rows), default=None)
    cur = ledger.execute("INSERT INTO score_result_versions(rows, scored_at, replaced_at, who, reason) VALUES (?,?,?,?,?)",
                         (json.dumps(rows, ensure_ascii=False), scored,
                          datetime.now().isoformat(timespec="seconds"), who, reason))
    return int(cur.lastrowid)


def result_versions(ledger: Ledger) -> list[dict]:
    """Every replaced published result, oldest first: id, scored_at, replaced_at, who, reason, rows."""
    out = []
    for r in ledger.execute("SELECT * FROM score_result_versions ORDER BY id"):
        d = dict(r)
        d["rows"] = json.loads(d["rows"])
        out.append(d)
    return out


def stale_since(ledger: Ledger) -> datetime | None:
    """When judges' scores were read after the stored result was scored (None: it is current)."""
    scored = ledger.execute("SELECT MAX(scored_at) AS at FROM score_results").fetchone()["at"]
    read = ledger.execute("SELECT MAX(read_at) AS at FROM judge_scores").fetchone()["at"]
    if scored and read and parse_iso(read) > parse_iso(scored):
        return parse_iso(read)
    return None


def _nominee_json(n: Nominee) -> str:
    return json.dumps(dataclasses.asdict(n), ensure_ascii=False, default=str)


def _nominee(text: str) -> Nominee:
    d = json.loads(text)
    d["submitted_at"] = parse_iso(d.get("submitted_at"))
    known = {f.name for f in dataclasses.fields(Nominee)}
    return Nominee(**{k: v for k, v in d.items() if k in known})

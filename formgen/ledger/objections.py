"""Objections raised during the publicity round (公示), with their evidence and history.

Every seed publishes the selected names for a few working days before the commendation;
an objection raised in those days is part of the campaign. One ``objections`` row per
objection: about which subject (award and nominee key as ``formgen score`` stored it),
who raised it, when, and what it says. Its evidence files are kept like any return:
their bytes in ``blobs`` (formgen.ledger.files), forever, one ``objection_files`` row each.

What staff do with it is a staff decision (formgen.ledger.decisions), scope
``objection``, subject ``objection:<id>``: ``handling`` rows (each step: 受理, 核查 …)
and ``decision`` rows (upheld or dismissed, whether it removes the subject, who and why).
Nothing is updated in place; a later decision replaces an earlier one and both stay.

The publicity period itself (its first day, as the 公示名单 printed it) is scope
``publicity``, subject ``campaign``, key ``start``: set by the first ``formgen publish``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from formgen.ledger.db import Ledger, register_schema
from formgen.ledger.decisions import Decision, current, history, record_decision
from formgen.ledger.files import iso, now, parse_iso, sha256_of, store_blob

register_schema("objections", """
CREATE TABLE IF NOT EXISTS objections (
    id INTEGER PRIMARY KEY,
    award_id TEXT NOT NULL,
    subject_key TEXT NOT NULL,          -- the nominee key of the stored score result
    unit TEXT NOT NULL,
    name TEXT NOT NULL,
    raised_by TEXT NOT NULL,            -- who raised it (a person, a unit, 匿名来信)
    raised_on TEXT NOT NULL,            -- the date it was raised (YYYY-MM-DD)
    what TEXT NOT NULL,                 -- what it says
    recorded_by TEXT NOT NULL,          -- the staff member who entered it
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS objection_files (
    id INTEGER PRIMARY KEY,
    objection_id INTEGER NOT NULL REFERENCES objections(id),
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL
)
""")

OBJECTION, PUBLICITY = "objection", "publicity"
UPHELD, DISMISSED = "upheld", "dismissed"
OUTCOME_WORDS = {UPHELD: "异议成立", DISMISSED: "异议不成立"}


@dataclass
class EvidenceFile:
    name: str
    sha256: str
    size: int


@dataclass
class Objection:
    id: int
    award_id: str
    subject_key: str
    unit: str
    name: str
    raised_by: str
    raised_on: dt.date
    what: str
    recorded_by: str
    recorded_at: dt.datetime
    files: list[EvidenceFile] = field(default_factory=list)
    handling: list[Decision] = field(default_factory=list)  # oldest first
    decisions: list[Decision] = field(default_factory=list)  # oldest first; the last one holds

    @property
    def decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def open(self) -> bool:
        return self.decision is None

    @property
    def removes(self) -> bool:
        """Upheld, and the subject loses its place (the next in line moves up)."""
        d = self.decision
        return bool(d and d.new_value.get("outcome") == UPHELD and d.new_value.get("removes"))

    def summary(self) -> str:
        """One line: 第1号异议（张三 2014-11-20）：反映……；处理：……；决定：异议成立，取消入选（王主任：理由）."""
        head = f"第{self.id}号异议（{self.raised_by} {self.raised_on:%Y-%m-%d}）：{self.what}"
        if self.files:
            head += f"；证据 {len(self.files)} 份（{'、'.join(f.name for f in self.files)}）"
        for h in self.handling:
            head += f"；{h.at:%m-%d} {h.who}：{h.new_value.get('step')}"
        d = self.decision
        if d is None:
            return head + "；尚未决定"
        verdict = OUTCOME_WORDS[d.new_value["outcome"]] + ("，取消入选" if self.removes else "")
        return head + f"；决定：{verdict}（{d.who} {d.at:%Y-%m-%d}" + (f"，理由：{d.note}" if d.note else "") + "）"


def _subject(objection_id: int) -> str:
    return f"objection:{objection_id}"


def add_objection(ledger: Ledger, award_id: str, subject_key: str, unit: str, name: str, raised_by: str,
                  raised_on: dt.date, what: str, files: list[tuple[str, bytes]] = (),
                  who: str | None = None) -> int:
    """Record an objection and its evidence files (name, bytes); returns its number."""
    from formgen.ledger.decisions import staff_name

    with ledger.transaction():
        cur = ledger.execute(
            "INSERT INTO objections(award_id, subject_key, unit, name, raised_by, raised_on, what, recorded_by,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (award_id, subject_key, unit, name, raised_by, raised_on.isoformat(), what, who or staff_name(),
             iso(now())))
        oid = int(cur.lastrowid)
        for file_name, data in files:
            add_evidence(ledger, oid, file_name, data)
    return oid


def add_evidence(ledger: Ledger, objection_id: int, file_name: str, data: bytes) -> None:
    sha = store_blob(ledger, data, sha256_of(data), len(data))
    ledger.execute("INSERT INTO objection_files(objection_id, sha256, name, size, added_at) VALUES (?, ?, ?, ?, ?)",
                   (objection_id, sha, file_name, len(data), iso(now())))


def record_handling(ledger: Ledger, objection_id: int, step: str, who: str | None = None) -> int:
    with ledger.transaction():
        return record_decision(ledger, OBJECTION, _subject(objection_id), "handling", {"step": step}, who=who)


def decide_objection(ledger: Ledger, objection_id: int, outcome: str, removes: bool, why: str,
                     who: str | None = None) -> int:
    """Upheld or dismissed, whether the subject loses its place, who decided and why."""
    if outcome not in OUTCOME_WORDS:
        raise ValueError(f"unknown objection outcome {outcome!r}")
    old = current(ledger, OBJECTION).get((_subject(objection_id), "decision"))
    with ledger.transaction():
        return record_decision(ledger, OBJECTION, _subject(objection_id), "decision",
                               {"outcome": outcome, "removes": bool(removes and outcome == UPHELD)},
                               old=old.new_value if old else None, note=why, who=who)


def list_objections(ledger: Ledger) -> list[Objection]:
    """Every objection, oldest first, with its files and history."""
    steps: dict[str, list[Decision]] = {}
    for d in history(ledger, OBJECTION):
        steps.setdefault(d.subject, []).append(d)
    files: dict[int, list[EvidenceFile]] = {}
    for r in ledger.execute("SELECT * FROM objection_files ORDER BY id"):
        files.setdefault(r["objection_id"], []).append(EvidenceFile(r["name"], r["sha256"], r["size"]))
    out = []
    for r in ledger.execute("SELECT * FROM objections ORDER BY id"):
        mine = steps.get(_subject(r["id"]), [])
        out.append(Objection(
            id=r["id"], award_id=r["award_id"], subject_key=r["subject_key"], unit=r["unit"], name=r["name"],
            raised_by=r["raised_by"], raised_on=dt.date.fromisoformat(r["raised_on"]), what=r["what"],
            recorded_by=r["recorded_by"], recorded_at=parse_iso(r["recorded_at"]), files=files.get(r["id"], []),
            handling=[d for d in mine if d.key == "handling"], decisions=[d for d in mine if d.key == "decision"]))
    return out


def set_publicity_start(ledger: Ledger, start: dt.date, note: str | None = None) -> None:
    old = publicity_start(ledger)
    with ledger.transaction():
        record_decision(ledger, PUBLICITY, "campaign", "start", start.isoformat(),
                        old=old.isoformat() if old else None, note=note)


def publicity_start(ledger: Ledger) -> dt.date | None:
    """The first day of the 公示名单 as first published (None: not published yet)."""
    d = current(ledger, PUBLICITY).get(("campaign", "start"))
    return dt.date.fromisoformat(d.new_value) if d else None

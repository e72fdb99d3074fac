"""Facts staff record about a nominee or a unit that no form supplies: today the veto
"本年度单位及个人没有受到效能或党政纪处理" (seed 000).

A record is a staff decision (formgen.ledger.decisions) of scope ``fact``: subject
``单位`` (the unit: it covers everyone it nominated) or ``单位|姓名`` (one nominee),
key ``discipline``; its value says whether there was a 处理 and what it was, its note
the basis (纪委通报〔2014〕3号). Withdrawing it appends a ``delete`` row: the history stays.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.ledger.db import Ledger
from formgen.ledger.decisions import Decision, current, history, record_decision

FACT = "fact"
DISCIPLINE = "discipline"


@dataclass
class FactRecord:
    unit: str
    name: str  # '' : the unit itself
    disciplined: bool
    what: str  # the 处理 as recorded (empty when none)
    decision: Decision

    def source(self) -> str:
        """Who recorded it, when and on what basis: 王科员 2014-11-03 记录（纪委通报〔2014〕3号）."""
        d = self.decision
        return f"{d.who} {d.at:%Y-%m-%d} 记录" + (f"（依据：{d.note}）" if d.note else "")


def _subject(unit: str, name: str = "") -> str:
    return f"{unit}|{name}" if name else unit


def record_fact(ledger: Ledger, unit: str, name: str, disciplined: bool, what: str = "",
                basis: str | None = None, who: str | None = None) -> int:
    """Record (or replace) whether ``unit`` (or its nominee ``name``) was disciplined this year."""
    old = current(ledger, FACT).get((_subject(unit, name), DISCIPLINE))
    with ledger.transaction():
        return record_decision(ledger, FACT, _subject(unit, name), DISCIPLINE,
                               {"disciplined": disciplined, "what": what},
                               old=old.new_value if old else None, note=basis, who=who)


def withdraw_fact(ledger: Ledger, unit: str, name: str, basis: str | None = None, who: str | None = None) -> bool:
    old = current(ledger, FACT).get((_subject(unit, name), DISCIPLINE))
    if old is None:
        return False
    with ledger.transaction():
        record_decision(ledger, FACT, _subject(unit, name), DISCIPLINE, action="delete", old=old.new_value,
                        note=basis, who=who)
    return True


def discipline_records(ledger: Ledger) -> dict[tuple[str, str], FactRecord]:
    """(unit, name) → the record in effect (name '' for the unit's own)."""
    out = {}
    for (subject, _), d in current(ledger, FACT).items():
        unit, _, name = subject.partition("|")
        v = d.new_value or {}
        out[(unit, name)] = FactRecord(unit, name, bool(v.get("disciplined")), v.get("what") or "", d)
    return out


def fact_history(ledger: Ledger) -> list[Decision]:
    return history(ledger, FACT)

"""Ranking without ties, first and last place and what follows from them (seed 004).

名次不得并列: ``rank.rank_award``'s tie-break chain orders the subjects and notes
how each tie was broken. A tie that decides first or last place is listed with
the rule that decided it; with ``assessment.ties: hold`` it is left for a person
instead (``formgen decide``), whose recorded decision then orders the pair.

"末位连续两年" is read from the outcomes of earlier years kept in the ledger.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from formgen.campaign.model import Campaign
from formgen.scoring.assess import SubjectScore, as_nominee_score, assessed_award
from formgen.scoring.periods import Period
from formgen.scoring.rank import Ranked, rank_award


@dataclass
class Outcome:
    place: str  # "first" | "last"
    subject: str | None  # None while held for a decision
    rank: int | None
    total: float | None
    consequences: list[str] = field(default_factory=list)
    tie: str | None = None  # how a tie for this place was decided
    pending: list[str] = field(default_factory=list)  # tied subjects awaiting `formgen decide`
    history: str | None = None  # e.g. 2017年度亦为末位


PLACE_WORDS = {"first": "首位", "last": "末位"}


def rank_subjects(campaign: Campaign, scores: list[SubjectScore], decisions: list[dict] = ()) -> list[Ranked]:
    """Ranked 1..n without ties; decisions (above, below, decided_by, reason) order tied pairs."""
    award = assessed_award(campaign)
    ranked = rank_award(award, [as_nominee_score(award, s) for s in scores])
    field_ = [r for r in ranked if r.rank is not None]
    rest = [r for r in ranked if r.rank is None]
    latest: dict[frozenset, dict] = {}
    for d in decisions:
        latest[frozenset((d["above"], d["below"]))] = d
    changed = True
    while changed:  # bubble decided pairs of equal totals into the decided order
        changed = False
        for i in range(len(field_) - 1):
            up, down = field_[i], field_[i + 1]
            d = latest.get(frozenset((up.nominee.key, down.nominee.key)))
            if d and up.total == down.total and d["above"] == down.nominee.key:
                field_[i], field_[i + 1] = down, up
                changed = True
    for i, r in enumerate(field_, start=1):
        r.rank = i
    for up, down in zip(field_, field_[1:]):
        d = latest.get(frozenset((up.nominee.key, down.nominee.key)))
        if d and up.total == down.total:
            why = f"，理由：{d['reason']}" if d.get("reason") else ""
            up.tie_notes = [f"与{down.nominee.name}总分相同，经{d['decided_by']}决定{why}，列其前"]
            down.tie_notes = [f"与{up.nominee.name}总分相同，经{d['decided_by']}决定{why}，列其后"]
    return field_ + rest


def decided(r: Ranked, other: Ranked) -> bool:
    return any("经" in n and "决定" in n and other.nominee.name in n for n in r.tie_notes)


def outcomes(campaign: Campaign, ranked: list[Ranked], period: Period, history: dict) -> list[Outcome]:
    """首位 and 末位 of ``period`` with their consequences; ``history``: ledger outcomes (period, place) → row."""
    settings = campaign.assessment.outcomes
    field_ = [r for r in ranked if r.rank is not None]
    if settings is None or len(field_) < 2:
        return []
    unscored = [r.nominee.key for r in ranked if r.rank is None]
    if unscored:  # first or last place cannot be known while some subjects have no total
        why = f"{'、'.join(unscored)}尚未评定（见结果表备注），首位、末位待全部评定后确定"
        return [Outcome(place, None, None, None, tie=why) for place in ("first", "last")]
    out = []
    for place, r, nxt in (("first", field_[0], field_[1]), ("last", field_[-1], field_[-2])):
        o = Outcome(place, r.nominee.key, r.rank, r.total)
        if r.total == nxt.total:
            if decided(r, nxt):
                o.tie = r.tie_notes[0]
            elif campaign.assessment.ties == "hold":
                o.subject, o.rank = None, None
                o.pending = [r.nominee.key, nxt.nominee.key]
                o.tie = (f"{r.nominee.key}与{nxt.nominee.key}总分同为{r.total:.2f}分，按设置由人决定："
                         f"formgen decide {period.key} 列前者 列后者 --by 决定人 --reason 理由")
                out.append(o)
                continue
            else:
                o.tie = next((n for n in r.tie_notes if nxt.nominee.name in n), None)
        if place == "first":
            o.consequences = [settings.first] if settings.first else []
        else:
            o.consequences = list(settings.last)
            before = history.get((period.previous_year().key, "last"))
            if before and before["subject"] == o.subject:
                o.history = f"{period.previous_year().title}亦为末位（连续两年末位）"
                if settings.last_twice:
                    o.consequences.append(settings.last_twice)
        out.append(o)
    return out

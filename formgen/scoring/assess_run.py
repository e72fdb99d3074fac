"""The ``score`` stage of a campaign assessed by periods: ledger → scores → ranking → outcomes.

``score_period`` reads the findings, tallies, tie decisions and earlier outcomes
from the ledger, scores every subject for the period (a year of a quarterly
campaign rolls its quarters up), ranks them without ties, works out first and
last place, and records this period's outcome in the ledger for next year's
"末位连续两年" (a place still held for ``formgen decide`` is not recorded).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from formgen.scoring.assess import (SubjectScore, assessed_award, default_period, score_subject, score_year,
                                    subjects)
from formgen.scoring.outcomes import Outcome, outcomes, rank_subjects
from formgen.scoring.periods import Period
from formgen.scoring.rank import Ranked


@dataclass
class PeriodResult:
    period: Period
    scores: dict[str, SubjectScore]  # subject → score
    ranked: list[Ranked]
    outcomes: list[Outcome] = field(default_factory=list)
    # the periods of a year, each scored (for the annual score sheet)
    parts: dict[str, dict[str, SubjectScore]] = field(default_factory=dict)


def parse_period(campaign, text: str | None) -> Period:
    if not text:
        return default_period(campaign)
    p = Period.parse(text)
    year = campaign.assessment.periods.year
    unit = campaign.assessment.periods.unit
    if p.year != year:
        from formgen.errors import FormgenError

        raise FormgenError(f"本活动的考核年度为 {year} 年，期间 {p.key} 不在其中")
    if p.kind != "year" and p.kind != unit:
        from formgen.errors import FormgenError

        words = {"month": "月", "quarter": "季度", "year": "年度"}
        raise FormgenError(f"本活动按{words[unit]}考核，不能按{words[p.kind]}计分；请写成 "
                           + {"quarter": f"{year}Q3", "month": f"{year}-07", "year": str(year)}[unit])
    return p


def load_inputs(ledger, campaign, period: Period):
    from formgen.ledger.events import load_decisions, load_events, load_outcomes
    from formgen.ledger.tallies import load_tally_rows

    award = assessed_award(campaign)
    events = load_events(ledger)
    ratings = {r.rating for r in campaign.assessment.ratings}
    tallies = [t for t in load_tally_rows(ledger) if t.rating in ratings]
    return events, tallies, load_decisions(ledger, award.id, period.key), load_outcomes(ledger, award.id)


def compute(campaign, units, period: Period, events, tallies, decisions=(), history=None) -> PeriodResult:
    """Pure: every subject's score, the ranking and the outcomes of ``period``."""
    units = subjects(campaign, units)
    by_unit: dict[str, list] = {}
    for e in events:
        by_unit.setdefault(e.subject, []).append(e)
    votes: dict[str, list] = {}
    for t in tallies:
        votes.setdefault(t.subject, []).append(t)
    parts: dict[str, dict[str, SubjectScore]] = {}
    if period.kind == "year":
        done = None
        if campaign.assessment.periods.unit != "year":
            from formgen.scoring.assess import assessed_periods

            done, _ = assessed_periods(campaign, period, events, tallies)  # over every unit's records
            parts = {p.key: {u.name: score_subject(campaign, u, p, by_unit.get(u.name, []), votes.get(u.name, []))
                             for u in units} for p in done}
        scores = {u.name: score_year(campaign, u, period, by_unit.get(u.name, []), votes.get(u.name, []), done,
                                     {k: v[u.name] for k, v in parts.items()}) for u in units}
    else:
        scores = {u.name: score_subject(campaign, u, period, by_unit.get(u.name, []), votes.get(u.name, []))
                  for u in units}
    ranked = rank_subjects(campaign, list(scores.values()), decisions)
    result = PeriodResult(period, scores, ranked)
    settings = campaign.assessment
    if settings.outcomes and (settings.outcomes.decide_on == "period" or period.kind == "year"):
        result.outcomes = outcomes(campaign, ranked, period, history or {})
    result.parts = parts
    return result


def score_period(workspace, period: Period) -> PeriodResult:
    from formgen.ledger.events import forget_outcome, record_outcome

    campaign = workspace.campaign
    award = assessed_award(campaign)
    with workspace.ledger() as ledger:
        events, tallies, decisions, history = load_inputs(ledger, campaign, period)
        result = compute(campaign, workspace.units, period, events, tallies, decisions, history)
        for o in result.outcomes:
            if o.subject:
                record_outcome(ledger, award.id, period.key, o.place, o.subject, o.rank, o.total)
            else:
                forget_outcome(ledger, award.id, period.key, o.place)
    return result

"""The ``score`` stage end to end: judges' scores → item scores → ranking → selection.

``score_awards`` is pure; ``score_campaign`` only adds reading the judges'
scores from the ledger. Items scored relative to the whole field (proportional:
最高者得满分，其余按比例) are computed here, since no single nominee can.
Their measured value comes from the judges' observations (mean, when several
judges report it) or else from ``Nominee.facts[item or rule label]``.
"""
from __future__ import annotations

from typing import Mapping

from formgen.campaign.model import Award, Campaign
from formgen.scoring.aggregate import mean, score_nominee
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rank import Ranked, TieDecisions, rank_and_select
from formgen.scoring.rules import ItemResult, ScoringError, as_decimal, rule_key, score_item


def score_campaign(workspace, nominees_by_award: dict[str, list[Nominee]]) -> dict[str, list[Ranked]]:
    """Rank every award of the workspace's campaign from the judges' scores in the ledger."""
    from formgen.ledger.judging import load_judge_scores

    from formgen.ledger.events import award_tie_decisions

    with workspace.ledger() as ledger:
        judge_scores = load_judge_scores(ledger)
        ties = {a.id: award_tie_decisions(ledger, a.id) for a in workspace.campaign.awards if "decided" in a.tie_break}
    return score_awards(workspace.campaign, nominees_by_award, judge_scores, ties)


def score_awards(campaign: Campaign, nominees_by_award: Mapping[str, list[Nominee]],
                 judge_scores: list[JudgeScore], ties: dict[str, TieDecisions] | None = None
                 ) -> dict[str, list[Ranked]]:
    """``ties``: award id -> the ties people decided (for awards whose tie_break has ``decided``)."""
    out = {}
    for award in campaign.awards:
        if award.id in nominees_by_award:
            scores = [js for js in judge_scores if js.award_id == award.id]
            out[award.id] = score_award(award, nominees_by_award[award.id], scores, (ties or {}).get(award.id))
    if campaign.shared_quotas:
        from formgen.scoring.shared_quota import apply_shared_quotas

        apply_shared_quotas(campaign, out)
    return out


def score_award(award: Award, nominees: list[Nominee], judge_scores: list[JudgeScore],
                ties: TieDecisions | None = None) -> list[Ranked]:
    from formgen.campaign.scope import uses_scope

    if uses_scope(award):  # categories, form fields, owned sub-scores, grades
        from formgen.scoring.scoped import score_award_scoped

        return score_award_scoped(award, nominees, judge_scores, _measured, ties)
    by_nominee: dict[str, list[JudgeScore]] = {}
    for js in judge_scores:
        by_nominee.setdefault(js.nominee_key, []).append(js)
    measured = _measured(award, nominees, by_nominee)
    scores = [score_nominee(award.rubric, n, by_nominee.get(n.key, []), measured.get(n.key)) for n in nominees]
    return rank_and_select(award, scores, ties)


def _measured(award: Award, nominees: list[Nominee], by_nominee: dict[str, list[JudgeScore]]
              ) -> dict[str, dict[str, ItemResult]]:
    """Proportional items, scored over the whole field: nominee key -> item -> result."""
    out: dict[str, dict[str, ItemResult]] = {n.key: {} for n in nominees}
    for item in award.rubric.items:
        rules = [(rule_key(r, i), r) for i, r in enumerate(item.rules) if r.type == "proportional"]
        if not rules:
            continue
        observed = {n.key: {} for n in nominees}
        for key, rule in rules:
            values = {n.key: _value(n, by_nominee.get(n.key, []), item.name, key) for n in nominees}
            known = [v for v in values.values() if v is not None]
            if not known:
                continue
            best = max(known) if rule.higher_is_better else min(known)
            for k, v in values.items():
                if v is not None:
                    observed[k][key] = {"value": v, "best": best}
        for n in nominees:
            if not observed[n.key]:
                out[n.key][item.name] = ItemResult(item.name, item.kind, item.max, None, notes=["尚无数据"])
                continue
            try:
                out[n.key][item.name] = score_item(item, observed[n.key])
            except ScoringError as e:
                out[n.key][item.name] = ItemResult(item.name, item.kind, item.max, None, notes=[str(e)])
    return out


def _value(nominee: Nominee, judge_scores: list[JudgeScore], item: str, key: str) -> float | None:
    found = []
    for js in judge_scores:
        obs = js.observations.get(item)
        v = obs.get(key) if isinstance(obs, Mapping) else obs
        if isinstance(v, Mapping):
            v = v.get("value")
        if v is not None:
            try:
                found.append(float(as_decimal(v, item)))
            except ScoringError:
                continue
    if found:
        return mean(found)
    for name in (key, item):
        if nominee.facts.get(name) is not None:
            try:
                return float(as_decimal(nominee.facts[name], item))
            except ScoringError:
                return None
    return None

"""Scoring an award that uses categories, form fields, owned sub-scores or graded honours.

The steps, each in its own module: scope (who the award concerns, which rubric),
field inputs (values typed into the forms), ownership (only the owning
department's sub-score), then the usual item scoring and tie-break chain,
ranked within each unit category where the award says so (seed 001), and the
places given out grade by grade (seed 003: 最美 then 优秀政务大厅).

A nominee with missing data (an unfilled field, a sub-score not yet received,
a relative item with no value) is held back: listed 待补充数据 with every
missing piece, unranked, never 入选 and never silently dropped.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from formgen.campaign.model import Award
from formgen.records import JudgeScore, Nominee
from formgen.scoring.aggregate import NomineeScore, score_nominee
from formgen.scoring.field_inputs import field_facts, with_field_inputs
from formgen.scoring.ownership import STRAY, owned_only
from formgen.scoring.rank import Ranked, TieDecisions, rank_award, select
from formgen.campaign.scope import applies, rubric_for

HELD = "待补充数据"


def score_award_scoped(award: Award, nominees: list[Nominee], judge_scores: list[JudgeScore],
                       measure: Callable, ties: TieDecisions | None = None) -> list[Ranked]:
    """``measure(award, nominees, judge scores by nominee)``: the relative (proportional) items over
    the field — ``formgen.scoring.run`` passes its own, which this module must not import (cycle)."""
    by_nominee: dict[str, list[JudgeScore]] = {}
    for js in judge_scores:
        by_nominee.setdefault(js.nominee_key, []).append(js)
    outside, inside = [], []
    for n in nominees:
        (inside if applies(award, n.category) else outside).append(n)

    prepared: dict[str, tuple[Nominee, list[JudgeScore], list[str]]] = {}
    for n in inside:
        rubric = rubric_for(award, n.category)
        facts, problems = field_facts(award.facts_from_fields, n)
        scores, rule_facts, more = with_field_inputs(rubric, n, by_nominee.get(n.key, []))
        scores, owned = owned_only(rubric, scores)
        n = replace(n, facts={**n.facts, **facts, **rule_facts})
        prepared[n.key] = (n, scores, problems + more + owned)

    scored: list[NomineeScore] = []
    groups: dict[int, list[str]] = {}
    for key, (n, _, _) in prepared.items():
        groups.setdefault(id(rubric_for(award, n.category)), []).append(key)
    for keys in groups.values():
        first = prepared[keys[0]][0]
        rubric = rubric_for(award, first.category)
        group = [prepared[k][0] for k in keys]
        judged = {k: prepared[k][1] for k in keys}
        measured = measure(award.model_copy(update={"rubric": rubric}), group, judged)
        for k in keys:
            n, scores, problems = prepared[k]
            s = score_nominee(rubric, n, scores, measured.get(k))
            missing = [i.name for i in rubric.items if i.kind == "score" and s.items[i.name].score is None]
            if missing and not any(f.startswith("缺少评分") for f in s.flags):
                s.flags.insert(0, f"缺少评分：{'、'.join(missing)}")
            s.flags += [p for p in problems if p not in s.flags]
            if missing or any(not p.endswith(STRAY) for p in problems):
                s.total = None  # held: never ranked on part of its data (a stray score alone does not hold)
            scored.append(s)

    if award.rank_within == "category":
        ranked: list[Ranked] = []
        for cat in _categories_in_order(award, scored):
            group = [s for s in scored if s.nominee.category == cat]
            quota = award.quota.per_category.get(cat, award.quota.total) if award.quota.total else 0
            ranked += _select_in(award, rank_award(award, group, ties), quota)
    else:
        ranked = select(award, rank_award(award, scored, ties))
    if award.quota.total == 0:  # a ranking, no selection (seed 001: results notified by category)
        for r in ranked:
            if r.rank is not None:
                r.selected, r.recommended = False, False
                r.status = f"{r.nominee.category or ''}第{r.rank}名" if award.rank_within == "category" else "已排名"
    _grade(award, ranked)
    for r in ranked:
        if r.rank is None and r.eligible and r.score.flags:
            r.status = f"{HELD}：" + "；".join(r.score.flags)
        elif r.rank is None and _held(r):
            # a missing fact made it look ineligible: it is missing, not failed
            r.eligible, r.ineligible = True, []
            r.status = f"{HELD}：" + "；".join(r.score.flags)
    for n in outside:
        s = score_nominee(award.rubric, n, [])
        s.total = None
        where = "、".join(award.categories)
        ranked.append(Ranked(s, eligible=False, ineligible=[f"“{award.name}”只面向{where}，{n.unit}（{n.category or '未分类'}）不在评选范围"],
                             status="不在评选范围"))
    return ranked


def _held(r: Ranked) -> bool:
    return bool(r.score.flags) and all(x.startswith("未提供") for x in r.ineligible)


def _categories_in_order(award: Award, scored: list[NomineeScore]) -> list[str | None]:
    order = list(award.categories) + [c for c in award.quota.per_category if c not in award.categories]
    for s in scored:
        if s.nominee.category not in order:
            order.append(s.nominee.category)
    return [c for c in order if any(s.nominee.category == c for s in scored)]


def _select_in(award: Award, ranked: list[Ranked], quota: int) -> list[Ranked]:
    """Selection within one category's ranking."""
    one = award.model_copy(update={"quota": award.quota.model_copy(update={"total": quota, "per_category": {}})})
    return select(one, ranked)


def _grade(award: Award, ranked: list[Ranked]) -> None:
    """Selected nominees, in rank order, get the grades in turn (最美 first, then 优秀)."""
    if not award.grades:
        return
    selected = [r for r in ranked if r.selected]
    i = 0
    for grade in award.grades:
        for r in selected[i:i + grade.count]:
            r.grade = grade.name
            r.status = f"入选（{grade.name}）"
        i += grade.count

"""Eligibility, ranking without ties, quota selection, recommendation upward.

名次不得并列: nominees are ordered by the award's ``tie_break`` chain, and
``stroke_order`` (the name in surname stroke order, then the unit, then the
nominee key) always comes last, so two nominees never share a rank. Wherever
two neighbours have the same total, both carry a note saying which criterion
put one before the other (“与XX总分相同，按评委平均分（不含自评代分）排序，列其前”).

Eligibility facts a nominee carries (``Nominee.facts``, filled by intake):
``service_years``, ``monthly_average``, ``discipline`` (true / a description
when the person or unit was disciplined this year), ``forms`` (form types that
arrived). A failed condition keeps the nominee in the results, unranked, with
the reason.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from formgen.campaign.model import Award
from formgen.scoring.aggregate import NomineeScore
from formgen.records import Nominee
from formgen.scoring.rules import num
from formgen.strokes import stroke_key


@dataclass
class Ranked:
    score: NomineeScore
    rank: int | None = None  # 1.. for the eligible and scored; None otherwise
    eligible: bool = True
    ineligible: list[str] = field(default_factory=list)  # reasons, Chinese
    selected: bool = False  # 入选
    recommended: bool = False  # 推荐上报
    tie_notes: list[str] = field(default_factory=list)
    held: bool = False  # a tie the award leaves for a person ("decided") that nobody has decided yet
    status: str = ""  # 入选 / 超出名额 / 不符合条件 / 尚无评分
    grade: str = ""  # the honour of a graded award (最美政务大厅 / 优秀政务大厅), see Award.grades

    @property
    def nominee(self) -> Nominee:
        return self.score.nominee

    @property
    def total(self) -> float | None:
        return self.score.total


# ---------------------------------------------------------------------------
# eligibility
# ---------------------------------------------------------------------------


def eligibility(nominee: Nominee, award: Award) -> list[str]:
    """Why ``nominee`` may not be selected (empty: eligible)."""
    rules, facts, out = award.eligibility, nominee.facts, []
    if rules.min_service_years is not None:
        years = _number(facts.get("service_years"))
        if years is None:
            out.append(f"未提供工作年限，无法核实是否满{num(rules.min_service_years)}年")
        elif years < rules.min_service_years:
            out.append(f"连续工作年限{num(years)}年，不满{num(rules.min_service_years)}年")
    if rules.min_monthly_average is not None:
        avg = _number(facts.get("monthly_average"))
        if avg is None:
            out.append(f"未提供窗口标准化考核月平均分，无法核实是否达到{num(rules.min_monthly_average)}分")
        elif avg < rules.min_monthly_average:
            out.append(f"窗口标准化考核月平均分{num(avg)}分，未达到{num(rules.min_monthly_average)}分")
    if rules.no_discipline:
        d = facts.get("discipline")
        if d not in (None, False, "", "无", "否", "没有"):
            what = f"（{d}）" if isinstance(d, str) and d not in ("是", "有") else ""
            source = facts.get("discipline_source")
            out.append(f"本年度受到效能或党政纪处理{what}" + (f"；{source}" if source else ""))
    for key, least in rules.field_min.items():
        value = _number(str(nominee.fields.get(key, "")).strip().rstrip("%％分").strip() or None)
        what = rules.label(key)
        if value is None:  # “未提供” keeps it 待补充数据 (scoped._held), not failed
            out.append(f"未提供“{what}”，无法核实是否达到{num(least)}")
        elif value < least:
            out.append(f"“{what}”为{num(value)}，未达到{num(least)}")
    for form in rules.required_forms:
        if not _form_arrived(nominee, award, form):
            out.append(f"未收到{_form_title(form)}")
    return out


def _form_arrived(nominee: Nominee, award: Award, form: str) -> bool:
    if "forms" in nominee.facts:
        return form in nominee.facts["forms"]
    if form == award.nomination_form:
        return bool(nominee.fields)
    if form == award.score_form:
        return any(v is not None for v in nominee.self_scores.values())
    return False


def _form_title(form: str) -> str:
    try:
        from formgen.forms import BUILTIN_FORMS

        return f"《{BUILTIN_FORMS[form].title}》"
    except (ImportError, KeyError, AttributeError):
        return f"表格 {form}"


def _number(value) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# ---------------------------------------------------------------------------
# the tie-break chain
# ---------------------------------------------------------------------------

_INF = float("inf")


def _neg(x: float | None, places: int = 6) -> float:
    return _INF if x is None else -round(x, places)


def _items_key(s: NomineeScore) -> tuple:
    return tuple(_INF if i.score is None else -i.score for i in s.items.values())


def _submitted(s: NomineeScore) -> tuple:
    at = s.nominee.submitted_at
    return (1, 0.0) if at is None else (0, at.timestamp() if isinstance(at, datetime) else float(at))


def _strokes(s: NomineeScore) -> tuple:
    n = s.nominee
    return (stroke_key(n.name), stroke_key(n.unit), n.key)


# criterion -> (key: smaller is better, wording of the tie-break in the note)
CRITERIA: dict[str, tuple[Callable[[NomineeScore], object], str]] = {
    "total": (lambda s: _neg(s.total), "按总分排序"),
    "judge_total": (lambda s: _neg(s.judge_total), "按评委平均分（不含自评代分）排序"),
    "items_in_order": (_items_key, "按评分表项目顺序逐项比较"),
    "fewer_deductions": (lambda s: round(s.deducted, 6), "按扣分少者在前"),
    "self_assessment": (lambda s: _neg(s.self_total), "按自评总分排序"),
    "earlier_submission": (_submitted, "按推荐表送达时间先后排序"),
    "decided": (lambda s: 0, "由人工决定"),  # ordered afterwards by the recorded decisions (_apply_decisions)
    "stroke_order": (_strokes, "按名称笔画排序"),
}


def chain(award: Award) -> list[str]:
    out = [c for c in award.tie_break if c in CRITERIA]
    if "total" not in out:
        out.insert(0, "total")
    if "stroke_order" in out:
        out.remove("stroke_order")
    return out + ["stroke_order"]  # always decides, always last


# (upper key, lower key) -> (decided by, reason): ties a person decided (ledger.events.tie_decisions)
TieDecisions = dict[tuple[str, str], tuple[str, str]]


def _decider(a: NomineeScore, b: NomineeScore, criteria: list[str], ties: TieDecisions | None = None) -> str:
    for c in criteria:
        if c == "decided":
            by, reason = (ties or {}).get((a.nominee.key, b.nominee.key), ("", ""))
            if by:
                return f"由{by}决定" + (f"（{reason}）" if reason else "")
            rest = criteria[criteria.index(c) + 1:]
            return "须由人工决定（尚未决定），暂" + _decider(a, b, rest)
        key = CRITERIA[c][0]
        if key(a) != key(b):
            if c == "items_in_order":
                for ia, ib in zip(a.items.values(), b.items.values()):
                    if ia.score != ib.score:
                        return f"按评分表项目顺序逐项比较（“{ia.item}”项分出先后）"
            return CRITERIA[c][1]
    return CRITERIA["stroke_order"][1]


def _label(n: Nominee, others: list[Nominee]) -> str:
    same = sum(1 for o in others if o.name == n.name) > 1
    return f"{n.unit}{n.name}" if same else n.name


# ---------------------------------------------------------------------------
# ranking and selection
# ---------------------------------------------------------------------------


def rank_award(award: Award, scores: list[NomineeScore], ties: TieDecisions | None = None) -> list[Ranked]:
    """Eligible, scored nominees ranked 1..n without ties; then the unscored, then the ineligible.

    ``ties``: the decisions people recorded, for an award whose chain has ``decided``."""
    criteria = chain(award)
    ranked = []
    for s in scores:
        reasons = eligibility(s.nominee, award)
        ranked.append(Ranked(s, eligible=not reasons, ineligible=reasons))

    def key(r: Ranked):
        return tuple(CRITERIA[c][0](r.score) for c in criteria)

    field_ = sorted((r for r in ranked if r.eligible and r.total is not None), key=key)
    if "decided" in criteria:
        field_ = _apply_decisions(field_, criteria, ties or {})
    unscored = sorted((r for r in ranked if r.eligible and r.total is None), key=lambda r: _strokes(r.score))
    barred = sorted((r for r in ranked if not r.eligible), key=key)
    people = [r.nominee for r in ranked]
    for i, r in enumerate(field_, start=1):
        r.rank = i
    for up, down in zip(field_, field_[1:]):
        if up.total == down.total:
            how = _decider(up.score, down.score, criteria[1:], ties)
            if how.startswith("须由人工决定"):
                up.held = down.held = True
            up.tie_notes.append(f"与{_label(down.nominee, people)}总分相同，{how}，列其前")
            down.tie_notes.append(f"与{_label(up.nominee, people)}总分相同，{how}，列其后")
    for r in unscored:
        r.status = "尚无评分"
    for r in barred:
        r.status = "不符合条件"
    return field_ + unscored + barred


def _apply_decisions(field_: list[Ranked], criteria: list[str], ties: TieDecisions) -> list[Ranked]:
    """Within each run of rows equal on every criterion before ``decided``, put the upper of each
    decided pair first; pairs nobody decided keep the order of the criteria after ``decided``."""
    before = criteria[:criteria.index("decided")]

    def head(r: Ranked):
        return tuple(CRITERIA[c][0](r.score) for c in before)

    out: list[Ranked] = []
    i = 0
    while i < len(field_):
        j = i
        while j + 1 < len(field_) and head(field_[j + 1]) == head(field_[i]):
            j += 1
        run = field_[i:j + 1]
        for _ in range(len(run) ** 2):  # bubble by the decisions (bounded: decisions may form a circle)
            swap = next((k for k in range(len(run) - 1)
                         if (run[k + 1].nominee.key, run[k].nominee.key) in ties), None)
            if swap is None:
                break
            run[swap], run[swap + 1] = run[swap + 1], run[swap]
        out += run
        i = j + 1
    return out


def select(award: Award, ranked: list[Ranked]) -> list[Ranked]:
    """Mark the winners within the quota (total and per category) and the best ``recommend_up``."""
    quota = award.quota
    taken: dict[str, int] = {}
    chosen = 0
    for r in ranked:
        if r.rank is None:
            continue
        cat = r.nominee.category
        limit = quota.per_category.get(cat) if cat else None
        if chosen >= quota.total:
            r.status = f"超出名额（共{quota.total}名）"
        elif limit is not None and taken.get(cat, 0) >= limit:
            r.status = f"“{cat}”类名额（{limit}名）已满"
        else:
            r.selected, r.status = True, "入选"
            chosen += 1
            taken[cat] = taken.get(cat, 0) + 1
    for r in [r for r in ranked if r.selected][:quota.recommend_up]:
        r.recommended = True
    for up, down in zip(ranked, ranked[1:]):  # an undecided tie on the quota line decides nothing yet
        if up.held and down.held and up.selected and not down.selected and up.total == down.total:
            up.status = down.status = HELD_AT_LINE
    return ranked


HELD_AT_LINE = "同分待定（名额线上的同分须由人工决定）"


def rank_and_select(award: Award, scores: list[NomineeScore], ties: TieDecisions | None = None) -> list[Ranked]:
    return select(award, rank_award(award, scores, ties))

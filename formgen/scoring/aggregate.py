"""Judges (or raters) → one score per item, and a nominee's total.

Methods (``Aggregation.method``, per rubric or per item):

* ``mean`` — the plain mean of the judges who scored the item;
* ``trimmed_mean`` — drop the ``trim`` highest and lowest first (去掉最高分和最低分);
  with fewer than 2·trim+1 judges that is impossible, so the plain mean is
  used and the note says so;
* ``weighted_groups`` — the mean within each rater group, then the groups'
  weights (seed 004: 班子成员 50%, 内设机构负责人和干部职工 50%); a group with
  no ratings yet is left out and the others' weights are rescaled (noted).

Where no judge has scored an item yet, the unit's self-assessment stands in
(flagged 自评代分) if the rubric allows it. Item scores are rounded with
ROUND_HALF_UP to ``decimals`` (as people round, not banker's rounding); the total
is the unrounded items' sum, rounded once — the mean of the judges' own totals
when every judge scored every item, as an office computes it by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from formgen.campaign.model import Aggregation, Rubric, RubricItem
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rules import ItemResult, ScoringError, num, score_item

SELF_STAND_IN = "自评代分"


def round_half_up(value: float, decimals: int) -> float:
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP))


@dataclass
class Mark:
    """One judge's result for one item."""

    judge: str
    group: str | None
    result: ItemResult


@dataclass
class ItemScore:
    item: str
    kind: str
    max: float
    score: float | None  # rounded; signed (a deduction item is negative)
    raw: float | None  # before rounding
    per_judge: dict[str, float] = field(default_factory=dict)
    method: str = "平均"
    notes: list[str] = field(default_factory=list)
    from_self: bool = False
    reasons: list[str] = field(default_factory=list)  # the rules' reasons, "张三：…" per judge
    deducted: float = 0.0  # mean points the deduction rules took


@dataclass
class NomineeScore:
    nominee: Nominee
    items: dict[str, ItemScore]  # rubric order
    total: float | None  # rounded; None when nothing is scored yet
    judge_total: float | None  # judges' scores only (no stand-ins), unrounded
    self_total: float | None
    judges: list[str]
    deducted: float
    flags: list[str] = field(default_factory=list)  # 自评代分, 缺少评分, problems of judges' input

    @property
    def stand_in(self) -> bool:
        return any(i.from_self for i in self.items.values())


# ---------------------------------------------------------------------------
# the methods
# ---------------------------------------------------------------------------


def mean(values: list[float]) -> float:
    return float(sum(Decimal(str(v)) for v in values) / len(values))


def trimmed_mean(values: list[float], trim: int) -> tuple[float, str | None]:
    if trim <= 0:
        return mean(values), None
    if len(values) < 2 * trim + 1:
        return mean(values), f"评委仅{len(values)}人，不足{2 * trim + 1}人，未去掉最高最低分，按平均分计"
    kept = sorted(values)[trim:len(values) - trim]
    return mean(kept), None


def weighted_groups(by_group: dict[str, list[float]], agg: Aggregation) -> tuple[float | None, list[str]]:
    notes, parts = [], []
    for g in agg.groups:
        vals = by_group.get(g.name)
        if vals:
            parts.append((Decimal(str(g.weight)), Decimal(str(mean(vals)))))
        else:
            notes.append(f"“{g.name}”组尚无评分，按其余组的权重折算")
    if not parts:
        return None, notes
    weight = sum(w for w, _ in parts)
    return float(sum(w * v for w, v in parts) / weight), notes


def aggregate_item(item: RubricItem, marks: list[Mark], agg: Aggregation,
                   self_score: float | None = None) -> ItemScore:
    """One score for ``item`` from the judges' marks (the self-assessment if there are none)."""
    scored = [m for m in marks if m.result.score is not None]
    out = ItemScore(item.name, item.kind, item.max, None, None)
    out.per_judge = {m.judge: m.result.score for m in scored}
    for m in scored:
        out.reasons += [f"{m.judge}：{r}" for r in m.result.reasons]
    if scored:
        values = [m.result.score for m in scored]
        out.deducted = mean([m.result.deducted for m in scored])
        if agg.method == "trimmed_mean":
            out.raw, note = trimmed_mean(values, agg.trim)
            out.method = "去掉最高最低分后平均"
            out.notes += [note] if note else []
        elif agg.method == "weighted_groups":
            by_group: dict[str, list[float]] = {}
            known = {g.name for g in agg.groups}
            for m in scored:
                if m.group in known:
                    by_group.setdefault(m.group, []).append(m.result.score)
                else:
                    out.notes.append(f"评委{m.judge}未分组或组别“{m.group or ''}”不在设置中，未计入")
            out.raw, notes = weighted_groups(by_group, agg)
            out.method = "分组加权"
            out.notes += notes
        else:
            out.raw = mean(values)
    elif agg.self_assessment_fallback and self_score is not None:
        try:
            result = score_item(item, self_score)
        except ScoringError as e:
            out.notes.append(f"自评分无效：{e}")
        else:
            out.raw, out.from_self, out.method = result.score, True, SELF_STAND_IN
            out.notes.append(f"尚无评委评分，以自评分{num(self_score)}代分")
    if out.raw is not None:
        out.score = round_half_up(out.raw, agg.decimals)
    return out


# ---------------------------------------------------------------------------
# a nominee
# ---------------------------------------------------------------------------


def marks_for(rubric: Rubric, judge_scores: Iterable[JudgeScore], skip: set[str] = frozenset()
              ) -> tuple[dict[str, list[Mark]], list[str]]:
    """Each item's marks from the judges' scores (a number) or observations (rule inputs)."""
    marks: dict[str, list[Mark]] = {i.name: [] for i in rubric.items}
    problems: list[str] = []
    for js in judge_scores:
        for item in rubric.items:
            if item.name in skip:
                continue
            value = js.scores.get(item.name)
            if value is None:
                value = js.observations.get(item.name)
            if value is None:
                continue
            try:
                result = score_item(item, value)
            except ScoringError as e:
                problems.append(f"评委{js.judge}：{e}")
                continue
            marks[item.name].append(Mark(js.judge, js.group, result))
    return marks, problems


def score_nominee(rubric: Rubric, nominee: Nominee, judge_scores: Iterable[JudgeScore],
                  measured: dict[str, ItemResult] | None = None) -> NomineeScore:
    """Every item, the total and the tie-break figures of one nominee.

    ``measured``: items scored over the whole field rather than by judges
    (proportional items), already computed.
    """
    judge_scores = [js for js in judge_scores if js.nominee_key == nominee.key]
    measured = measured or {}
    marks, flags = marks_for(rubric, judge_scores, set(measured))
    items: dict[str, ItemScore] = {}
    for item in rubric.items:
        agg = item.aggregation or rubric.aggregation
        if item.name in measured:
            r = measured[item.name]
            s = ItemScore(item.name, item.kind, item.max, None, r.score, method="比例计分", reasons=r.reasons)
            s.score = None if r.score is None else round_half_up(r.score, agg.decimals)
        else:
            s = aggregate_item(item, marks[item.name], agg, nominee.self_scores.get(item.name))
        items[item.name] = s
    missing = [i.name for i in rubric.items if items[i.name].score is None and i.kind == "score"]
    stand_ins = [s.item for s in items.values() if s.from_self]
    if stand_ins:
        flags.insert(0, f"{SELF_STAND_IN}：{'、'.join(stand_ins)}")
    scored = [s for s in items.values() if s.score is not None]
    total = None
    if scored:
        decimals = rubric.aggregation.decimals
        total = round_half_up(float(sum(Decimal(str(s.raw)) for s in scored) + _base_offset(rubric)), decimals)
        if missing:
            flags.insert(0, f"缺少评分：{'、'.join(missing)}")
    judged = [s for s in scored if not s.from_self]
    judge_total = float(sum(Decimal(str(s.raw)) for s in judged) + _base_offset(rubric)) if judged else None
    selfs = [v for v in nominee.self_scores.values() if v is not None]
    self_total = float(sum(Decimal(str(v)) for v in selfs)) if selfs else None
    judges = sorted({js.judge for js in judge_scores if any(m.judge == js.judge for ms in marks.values() for m in ms)})
    deducted = sum(s.deducted for s in items.values())
    return NomineeScore(nominee, items, total, judge_total, self_total, judges, deducted, flags)


def _base_offset(rubric: Rubric) -> Decimal:
    """基础分 beyond the score items (e.g. a base of 100 with only add/deduct items)."""
    full = sum(Decimal(str(i.max)) for i in rubric.items if i.kind == "score")
    base = Decimal(str(rubric.base))
    return base - full if base > full else Decimal(0)

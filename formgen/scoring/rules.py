"""The rubric rules: one pure function per rule type of ``campaign.model``.

Each rule function takes the rule and what was observed for it (a count of
cases, a yes/no, a rate, a quantity, honours, ratings…) and returns a
:class:`RuleResult`: signed points and the reason in Chinese, worded as a clerk
would write it in the 扣分及原因 column. ``score_item`` combines an item's rules:

* an item of kind ``score`` made of deductions starts at its full value and
  loses points down to its ``floor`` (扣完为止); one with judged / rating /
  proportional rules starts from what they produce; one made only of bonuses
  starts at 0 — in every case the result stays within ``floor..max``;
* a ``bonus`` item adds 0..max; a ``deduction`` item takes 0..max away (its
  score is negative, and a judged value on it is the amount taken away).

A judge's number for the whole item (the 评分表 way) is the item score itself.
Arithmetic is decimal, so 3 × 0.1 is 0.3 in scores and in reasons.
"""
from __future__ import annotations

import builtins
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Hashable, Mapping

from formgen.campaign.model import (BonusTiers, CaseBonus, CaseDeduction, CountedBonus, FixedDeduction, HonorLevels,
                                    Judged, Proportional, RangeDeduction, RatingLevels, RubricItem,
                                    ThresholdPenalty)
from formgen.errors import FormgenError
from formgen.numeric import parse_number

PRODUCERS = ("judged", "rating_levels", "proportional")  # rules that give the item's base score
DEDUCTIONS = ("case_deduction", "fixed_deduction", "threshold_penalty", "range_deduction")


class ScoringError(FormgenError):
    """An observation a rule cannot use (wrong type, unknown level, out of range)."""


@dataclass
class RuleResult:
    label: str
    points: float  # signed: a deduction is negative; a producer's value is its score
    reason: str = ""  # Chinese; empty when the rule found nothing
    produces: bool = False  # judged / rating_levels / proportional: the item's base


@dataclass
class ItemResult:
    item: str
    kind: str
    max: float | None  # the item's limit (None: a bonus / deduction the notice sets none for)
    score: float | None  # signed, clamped, not yet rounded; None = not assessed
    results: list[RuleResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def deducted(self) -> float:
        """Points the deduction rules took (before 扣完为止), for the fewer_deductions tie-break."""
        return float(-sum(_d(r.points) for r in self.results if not r.produces and r.points < 0))

    @property
    def reasons(self) -> list[str]:
        return [r.reason for r in self.results if r.reason] + self.notes


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------


def _d(x: Any) -> Decimal:
    return Decimal(str(x))


def num(x: Any) -> str:
    """A number as a clerk writes it: 1.5, 2, 0.3 (no 2.0, no 0.30000000000000004)."""
    d = _d(round(float(x), 4)).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "") else text


def as_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ScoringError(f"{what}应为数字，实际为 “{value}”")
    if isinstance(value, (int, float, Decimal)):
        if (isinstance(value, float) and not math.isfinite(value)) or (
                isinstance(value, Decimal) and not value.is_finite()):
            raise ScoringError(f"{what}应为数字，实际为 “{value}”")
        return _d(value)
    try:  # thousands separators and a percent sign as typed in a workbook
        return parse_number(str(value).replace(",", "").replace("，", ""), units=("%", "％"))
    except ValueError:
        raise ScoringError(f"{what}应为数字，实际为 “{value}”") from None


def _count(value: Any, what: str) -> int:
    d = as_decimal(value, what)
    if d < 0 or d != d.to_integral_value():
        raise ScoringError(f"{what}应为不小于 0 的整数，实际为 “{value}”")
    return int(d)




def _capped(amount: Decimal, cap: float | None) -> tuple[Decimal, str]:
    if cap is None:
        return amount, ""
    cap_d = _d(cap)
    if amount > cap_d:
        return cap_d, f"（已达上限{num(cap)}分）"
    return amount, f"（上限{num(cap)}分）"


def _subject(label: str) -> tuple[str, str]:
    """'没有亮证上岗（每例）' -> ('没有亮证上岗', '例'): the wording and the unit of a case."""
    m = re.search(r"[（(]每(.{1,2})[）)]\s*$", label)  # 每例 / 每件次 / 每人次
    unit = m.group(1) if m else "例"
    return (label[: m.start()] if m else label).strip() or "扣分事项", unit


# ---------------------------------------------------------------------------
# one function per rule type
# ---------------------------------------------------------------------------


def case_deduction(rule: CaseDeduction, count: Any) -> RuleResult:
    """每例扣N分，扣完为止（共M分）."""
    n = _count(count, f"“{rule.label}”的例数")
    what, unit = _subject(rule.label)
    if n == 0:
        return RuleResult(rule.label, 0.0)
    amount, cap_note = _capped(_d(rule.points) * n, rule.cap)
    return RuleResult(rule.label, float(-amount),
                      f"{what} {n} {unit}，每{unit}扣{num(rule.points)}分，共扣{num(amount)}分{cap_note}")


def fixed_deduction(rule: FixedDeduction, present: Any) -> RuleResult:
    """有…的扣N分 (once)."""
    if not _truth(present, rule.label):
        return RuleResult(rule.label, 0.0)
    return RuleResult(rule.label, -float(rule.points), f"{_subject(rule.label)[0]}，扣{num(rule.points)}分")


def case_bonus(rule: CaseBonus, count: Any) -> RuleResult:
    """每…一个加N分 (capped)."""
    n = _count(count, f"“{rule.label}”的个数")
    what, unit = _subject(rule.label)
    if n == 0:
        return RuleResult(rule.label, 0.0)
    unit = unit if re.search(r"[（(]每.{1,2}[）)]\s*$", rule.label) else "个"
    amount, cap_note = _capped(_d(rule.points) * n, rule.cap)
    return RuleResult(rule.label, float(amount),
                      f"{what} {n} {unit}，每{unit}加{num(rule.points)}分，共加{num(amount)}分{cap_note}")


def threshold_penalty(rule: ThresholdPenalty, value: Any) -> RuleResult:
    """``points`` per ``step`` below ``threshold`` (满意率每低于90%10个百分点扣2分)."""
    what = rule.label or "测评结果"
    v = as_decimal(value, f"“{what}”")
    shortfall = _d(rule.threshold) - v
    if shortfall <= 0:
        return RuleResult(rule.label, 0.0)
    ratio = shortfall / _d(rule.step)
    if rule.partial == "ceil":
        steps, how = Decimal(math.ceil(ratio)), f"（不足{num(rule.step)}个百分点按{num(rule.step)}个百分点计）"
    elif rule.partial == "floor":
        steps, how = Decimal(math.floor(ratio)), f"（不足{num(rule.step)}个百分点不扣分）"
    else:
        steps, how = ratio, "（按比例计）"
    amount, cap_note = _capped(steps * _d(rule.points), rule.cap)
    if amount == 0:
        return RuleResult(rule.label, 0.0, f"{what} {num(v)}，低于{num(rule.threshold)}不足{num(rule.step)}，不扣分")
    return RuleResult(rule.label, float(-amount),
                      f"{what} {num(v)}，低于{num(rule.threshold)} {num(shortfall)} 个百分点{how}，"
                      f"每{num(rule.step)}个百分点扣{num(rule.points)}分，共扣{num(amount)}分{cap_note}")


def bonus_tiers(rule: BonusTiers, quantity: Any) -> RuleResult:
    """A quantity falls in a tier (办件量1500–4999件加0.3分 …)."""
    what = rule.label or "数量"
    q = as_decimal(quantity, f"“{what}”")
    hits = [t for t in rule.tiers if _d(t.min) <= q and (t.max is None or q <= _d(t.max))]
    if not hits:
        return RuleResult(rule.label, 0.0)
    tier = max(hits, key=lambda t: t.points)
    span = f"{num(tier.min)}–{num(tier.max)}" if tier.max is not None else f"{num(tier.min)}以上"
    return RuleResult(rule.label, float(tier.points), f"{what} {num(q)}，属 {span} 档，加{num(tier.points)}分")


def honor_levels(rule: HonorLevels, honors: Any) -> RuleResult:
    """Honours by level, each achievement once at its highest level, capped.

    ``honors``: a list of levels (``["市级", "省级"]``), of
    ``{"name": 事项, "level": 级别, "category": 表彰部门类别}`` (an honour whose
    category is in ``lower_for_categories`` counts one level lower — 条线部门降一档),
    or a tally ``{"市级": 2}``.
    """
    entries = _honor_entries(honors, rule)
    best: dict[str, tuple[Decimal, str]] = {}
    for i, (name, level, category) in enumerate(entries):
        if level not in rule.levels:
            raise ScoringError(f"“{rule.label or '荣誉'}”的级别“{level}”不在规则中（可选：{'、'.join(rule.order or rule.levels)}）")
        desc = f"{name or level}"
        if category and category in rule.lower_for_categories:
            order = rule.order or list(rule.levels)
            idx = order.index(level) if level in order else 0
            if idx == 0:
                points, desc = Decimal(0), f"{desc}（{category}表彰降一档，不加分）"
            else:
                points, desc = _d(rule.levels[order[idx - 1]]), f"{desc}（{category}表彰降一档按{order[idx - 1]}）"
        else:
            points = _d(rule.levels[level])
        key = name or f"#{i}"
        if key not in best or points > best[key][0]:
            best[key] = (points, f"{desc}{'' if name is None else '（' + level + '）'}+{num(points)}")
    if not best:
        return RuleResult(rule.label, 0.0)
    amount, cap_note = _capped(sum((p for p, _ in best.values()), Decimal(0)), rule.cap)
    parts = "、".join(text for _, text in best.values())
    same = "，同一事项按最高级别计" if len(best) < len(entries) else ""
    return RuleResult(rule.label, float(amount),
                      f"{rule.label or '荣誉'}：{parts}{same}，共加{num(amount)}分{cap_note}")


def counted_bonus(rule: CountedBonus, counts: Any) -> RuleResult:
    """Counted events, capped per period and in all (信息采用+0.5、报送+0.1，每季≤0.5，最高2.5).

    ``counts``: ``{"采用": 2, "报送": 3}`` for one period, or
    ``{"第一季度": {"采用": 1}, "第二季度": {...}}`` for several.
    """
    if not isinstance(counts, Mapping):
        raise ScoringError(f"“{rule.label}”应为各类数量，如 {{采用: 2, 报送: 3}}")
    periods = counts if counts and all(isinstance(v, Mapping) for v in counts.values()) else {None: counts}
    capped_kinds = set(rule.period_kinds or rule.points)
    total, parts = Decimal(0), []
    for period, tally in periods.items():
        in_cap, free, bits = Decimal(0), Decimal(0), []
        for kind, n in tally.items():
            if kind not in rule.points:
                raise ScoringError(f"“{rule.label}”没有“{kind}”这一类（可选：{'、'.join(rule.points)}）")
            n = _count(n, f"“{rule.label}”中“{kind}”的数量")
            if n == 0:
                continue
            pts = _d(rule.points[kind]) * n
            bits.append(f"{kind}{n}篇+{num(pts)}" if "信息" in rule.label else f"{kind}{n}次+{num(pts)}")
            if kind in capped_kinds:
                in_cap += pts
            else:
                free += pts
        if rule.period_cap is not None and in_cap > _d(rule.period_cap):
            bits.append(f"{period or '本期'}按上限{num(rule.period_cap)}分计")
            in_cap = _d(rule.period_cap)
        if bits:
            parts.append((f"{period}：" if period else "") + "，".join(bits))
        total += in_cap + free
    if total == 0:
        return RuleResult(rule.label, 0.0)
    amount, cap_note = _capped(total, rule.cap)
    return RuleResult(rule.label, float(amount), f"{rule.label or '加分'}：{'；'.join(parts)}，共加{num(amount)}分{cap_note}")


def rating_levels(rule: RatingLevels, ratings: Any, item_max: float) -> RuleResult:
    """Raters choose a level; the mean level value scaled to the item (满意90/基本满意70/不满意50 → 40分制).

    ``ratings``: one level, a list of levels (one per rater), or a tally ``{"满意": 30}``.
    """
    if isinstance(ratings, str):
        tally = {ratings.strip(): 1}
    elif isinstance(ratings, Mapping):
        tally = {str(k).strip(): _count(v, f"“{k}”的票数") for k, v in ratings.items()}
    elif isinstance(ratings, (list, tuple)):
        tally = {}
        for r in ratings:
            tally[str(r).strip()] = tally.get(str(r).strip(), 0) + 1
    else:
        raise ScoringError(f"“{rule.label or '测评'}”应为测评等次，如“满意”")
    for level in tally:
        if level not in rule.levels:
            raise ScoringError(f"“{rule.label or '测评'}”的等次“{level}”不在规则中（可选：{'、'.join(rule.levels)}）")
    votes = sum(tally.values())
    if votes == 0:
        raise ScoringError(f"“{rule.label or '测评'}”没有任何测评票")
    mean = sum((_d(rule.levels[k]) * n for k, n in tally.items()), Decimal(0)) / votes
    scale = _d(rule.scale) if rule.scale else rating_scale(rule, item_max)
    score = mean / scale * _d(item_max)
    shown = "、".join(f"{k}{n}票" for k, n in tally.items() if n)
    return RuleResult(rule.label, float(score),
                      f"{rule.label or '测评'}：{shown}，平均{num(mean)}分，按{num(item_max)}分制折算为{num(score)}分",
                      produces=True)


def rating_scale(rule: RatingLevels, item_max: float) -> Decimal:
    """The level value worth the full item when ``scale`` is not set.

    Levels on the 100-point scale (满意90/基本满意70/不满意50 on a 40-point item): 100, so
    30/8/2 votes average 84 and convert to 84/100×40 = 33.6. Levels that are the item's own
    points (很满意20/满意18 on a 20-point item): the item's maximum. Anything else must say.
    """
    top = max(_d(v) for v in rule.levels.values())
    if top <= _d(item_max):
        return _d(item_max)
    if top <= 100:
        return Decimal(100)
    raise ScoringError(f"“{rule.label or '测评'}”的等次分值最高为{num(top)}，请用 scale 写明多少分折合本项满分")


def range_deduction(rule: RangeDeduction, amounts: Any) -> RuleResult:
    """视情扣 min–max 分 per finding; the scorer's amount for each finding.

    >>> range_deduction(RangeDeduction(label="随机暗访发现问题", min=2, max=5), [3, 2]).points
    -5.0
    """
    what = rule.label or "酌情扣分"
    values = amounts if isinstance(amounts, (list, tuple)) else [amounts]
    found = []
    for v in values:
        d = as_decimal(v, f"“{what}”的扣分")
        if rule.max is None and d <= _d(rule.min):
            raise ScoringError(f"“{what}”每次的扣分应大于{num(rule.min)}，实际为{num(d)}")
        if rule.max is not None and (d < _d(rule.min) or d > _d(rule.max)):
            raise ScoringError(f"“{what}”每次应扣{num(rule.min)}–{num(rule.max)}分，实际为{num(d)}")
        found.append(d)
    if not found:
        return RuleResult(rule.label, 0.0)
    amount, cap_note = _capped(sum(found, Decimal(0)), rule.cap)
    each = "、".join(num(d) for d in found)
    span = f"每次{num(rule.min)}–{num(rule.max)}分" if rule.max is not None else "通知未规定每次的幅度"
    return RuleResult(rule.label, float(-amount),
                      f"{what} {len(found)} 次，{'分别' if len(found) > 1 else ''}扣{each}分"
                      f"（{span}），共扣{num(amount)}分{cap_note}")


def proportional(rule: Proportional, value: Any, best: Any, item_max: float) -> RuleResult:
    """最高者得满分，其余按比例 (or the lowest, when lower is better)."""
    what = rule.label or "指标"
    v, b = as_decimal(value, f"“{what}”"), as_decimal(best, f"“{what}”的最优值")
    if v == b:
        score = _d(item_max)
    elif rule.higher_is_better:
        score = Decimal(0) if b <= 0 else max(Decimal(0), v / b * _d(item_max))
    else:
        score = Decimal(0) if v <= 0 else b / v * _d(item_max)
    return RuleResult(rule.label, float(score),
                      f"{what} {num(v)}，最优 {num(b)}，按比例得{num(score)}分", produces=True)


def judged(rule: Judged, value: Any, item_max: float) -> RuleResult:
    """A judge's points for the item, 0..max."""
    v = as_decimal(value, f"“{rule.label or '评分'}”")
    if v < 0 or v > _d(item_max):
        raise ScoringError(f"“{rule.label or '评分'}”应在 0 至 {num(item_max)} 之间，实际为 {num(v)}")
    return RuleResult(rule.label, float(v), "", produces=True)


def score_proportional(values: Mapping[Hashable, float | None], max: float,
                       higher_is_better: bool = True) -> dict[Hashable, float | None]:
    """Scores of a relative item over the whole field; a missing value scores None."""
    known = {k: float(as_decimal(v, "比例计分的数值")) for k, v in values.items() if v is not None}
    if not known:
        return {k: None for k in values}
    best = builtins.max(known.values()) if higher_is_better else min(known.values())
    rule = Proportional(higher_is_better=higher_is_better)
    return {k: (proportional(rule, known[k], best, max).points if k in known else None) for k in values}


# ---------------------------------------------------------------------------
# an item
# ---------------------------------------------------------------------------


def rule_key(rule, index: int) -> str:
    """How an observation names a rule: its label, else its type and position."""
    return rule.label or f"{rule.type}#{index + 1}"


def score_item(item: RubricItem, observation: Any) -> ItemResult:
    """The item's score from what was observed.

    ``observation``: ``None`` (not assessed), a number (the item's score as a
    judge gave it; for a deduction item the amount taken away), a mapping of
    rule key (``rule_key``) to that rule's input (a rule not named found
    nothing), or a list aligned with ``item.rules``.
    """
    if observation is None:
        return ItemResult(item.name, item.kind, item.max, None)
    if isinstance(observation, (int, float, Decimal, str)) and not isinstance(observation, bool):
        return _direct(item, observation)
    inputs = _inputs(item, observation)
    results: list[RuleResult] = []
    missing_producer = False
    for i, rule in enumerate(item.rules):
        key = rule_key(rule, i)
        if key not in inputs:
            if rule.type in ("rating_levels", "proportional"):
                missing_producer = True
            continue
        results.append(_apply(rule, inputs[key], item))
    has_producer = any(r.produces for r in results)
    if missing_producer or (not results and any(r.type in PRODUCERS for r in item.rules)
                            and not any(r.type not in PRODUCERS for r in item.rules)):
        return ItemResult(item.name, item.kind, item.max, None, results, ["尚未评定"])
    return _combine(item, results, has_producer)


def _combine(item: RubricItem, results: list[RuleResult], has_producer: bool) -> ItemResult:
    produced = sum((_d(r.points) for r in results if r.produces), Decimal(0))
    adjust = sum((_d(r.points) for r in results if not r.produces), Decimal(0))
    # a bonus / deduction item the notice sets no limit for has none, unless the office set one
    top, notes = (None if item.limit is None else _d(item.limit)), []
    if item.kind == "deduction":
        lo, hi, raw = (None if top is None else -top), Decimal(0), -produced + adjust
    elif item.kind == "bonus":
        lo, hi, raw = Decimal(0), top, produced + adjust
    else:
        deducting = any(r.type in DEDUCTIONS for r in item.rules)
        base = produced if has_producer or not deducting else top
        lo, hi, raw = _d(item.floor), top, base + adjust
    score = raw if lo is None else max(raw, lo)
    score = score if hi is None else min(score, hi)
    basis = "（本活动设定）" if item.limit_basis == "本活动设定" else ""
    if lo is not None and raw < lo:
        notes.append(f"{'扣分合计超过本项分值' if item.kind != 'deduction' else '扣分超过本项上限' + basis}，"
                     f"{'扣完为止' if item.kind != 'deduction' else '按上限'}（本项计{num(score)}分）")
    elif hi is not None and raw > hi:
        notes.append(f"超过本项{'最高' if item.kind != 'score' else '满'}分{num(hi)}分{basis}，按{num(hi)}分计")
    return ItemResult(item.name, item.kind, item.limit, float(score), results, notes)


def _direct(item: RubricItem, value: Any) -> ItemResult:
    v = as_decimal(value, f"“{item.name}”的得分")
    low = _d(item.floor) if item.kind == "score" else Decimal(0)
    what = '扣分' if item.kind == 'deduction' else '得分'
    if item.limit is None and v < low:
        raise ScoringError(f"“{item.name}”的{what}应不小于 {num(low)}，实际为 {num(v)}")
    if item.limit is not None and (v < low or v > _d(item.limit)):
        raise ScoringError(f"“{item.name}”的{what}应在 {num(low)} 至 {num(item.limit)} 之间"
                           f"{'（本活动设定）' if item.limit_basis == '本活动设定' else ''}，实际为 {num(v)}")
    score = -v if item.kind == "deduction" else v
    return ItemResult(item.name, item.kind, item.limit, float(score))


def _inputs(item: RubricItem, observation: Any) -> dict[str, Any]:
    keys = [rule_key(r, i) for i, r in enumerate(item.rules)]
    if isinstance(observation, Mapping):
        unknown = [k for k in observation if k not in keys]
        if unknown:
            raise ScoringError(f"评分项“{item.name}”没有“{unknown[0]}”这条细则（可选：{'、'.join(keys)}）")
        return {k: v for k, v in observation.items() if v is not None}
    if isinstance(observation, (list, tuple)):
        if len(observation) != len(keys):
            raise ScoringError(f"评分项“{item.name}”有 {len(keys)} 条细则，收到 {len(observation)} 个值")
        return {k: v for k, v in zip(keys, observation) if v is not None}
    raise ScoringError(f"评分项“{item.name}”的观察值无法识别：{observation!r}")


def _apply(rule, value: Any, item: RubricItem) -> RuleResult:
    t = rule.type
    if t == "case_deduction":
        return case_deduction(rule, value)
    if t == "fixed_deduction":
        return fixed_deduction(rule, value)
    if t == "case_bonus":
        return case_bonus(rule, value)
    if t == "threshold_penalty":
        return threshold_penalty(rule, value)
    if t == "bonus_tiers":
        return bonus_tiers(rule, value)
    if t == "honor_levels":
        return honor_levels(rule, value)
    if t == "counted_bonus":
        return counted_bonus(rule, value)
    if t == "rating_levels":
        return rating_levels(rule, value, item.max)
    if t == "range_deduction":
        return range_deduction(rule, value)
    if t == "proportional":
        if not isinstance(value, Mapping) or "value" not in value or "best" not in value:
            raise ScoringError(f"“{rule.label or item.name}”按比例计分需要 value 与 best（全体最优值）")
        return proportional(rule, value["value"], value["best"], item.max)
    return judged(rule, value, item.max)


def _truth(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip()
    if text in ("是", "有", "存在", "√", "✓", "Y", "y", "yes", "true", "True", "1"):
        return True
    if text in ("否", "无", "没有", "不存在", "×", "", "N", "n", "no", "false", "False", "0"):
        return False
    raise ScoringError(f"“{label}”应为 是/否，实际为 “{value}”")


def _honor_entries(honors: Any, rule: HonorLevels) -> list[tuple[str | None, str, str | None]]:
    if honors is None:
        return []
    if isinstance(honors, str):
        honors = [honors]
    if isinstance(honors, Mapping):
        return [(None, str(level), None) for level, n in honors.items()
                for _ in range(_count(n, f"“{level}”荣誉的次数"))]
    out = []
    for h in honors:
        if isinstance(h, str):
            out.append((None, h.strip(), None))
        elif isinstance(h, Mapping) and "level" in h:
            out.append((h.get("name"), str(h["level"]).strip(), h.get("category")))
        else:
            raise ScoringError(f"“{rule.label or '荣誉'}”的每一项应为级别或 {{name, level, category}}，实际为 {h!r}")
    return out

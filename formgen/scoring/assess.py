"""Scoring by periods: findings and tallies → item scores → period totals → the year.

Pure functions over plain records (``EventRow``, ``TallyRow``), so every number
can be checked by hand:

* a period's inputs for one rule are ADDED UP over every finding (two patrols
  at −2 each take 4 points; several inspectors never average each other out):
  counts are summed, discretionary amounts listed one per finding, a yes/no
  holds once, a rate or quantity takes the latest value (a conflict is noted);
* rating items take the tallies of their rating (``assessment.ratings``): all
  votes pooled, or per rater group and weighted (``weighted_groups``);
* the year is the ``mean`` (or ``sum``) of the periods that were assessed (those
  with any finding recorded), plus the year adjustments recorded for the year.

Every item keeps the rules applied, their inputs, points and sources
(:class:`RuleLine`), which the results workbook, the score sheets and
``formgen explain`` print.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from formgen.campaign.model import Award, Campaign, RubricItem, Unit
from formgen.errors import ConfigError
from formgen.records import EventRow, Nominee, TallyRow
from formgen.scoring.aggregate import ItemScore, NomineeScore, round_half_up
from formgen.scoring.periods import Period
from formgen.scoring.rules import ScoringError, num, rating_levels, rule_key, score_item
from formgen.scoring.rules import _subject as _label_parts

DECIMALS = 2


@dataclass
class RuleLine:
    rule: str  # the rule's label (or a year adjustment's)
    input: str  # what was recorded, in words: "2 起", "满意率 75", "满意30票、基本满意8票"
    points: float  # signed
    reason: str  # the rule's own wording of the result (扣分及原因)
    sources: list[str] = field(default_factory=list)  # file / sheet / row, who, when, why


@dataclass
class ItemLine:
    item: str
    kind: str
    max: float
    score: float | None  # signed, rounded; None = not assessed
    raw: float | None
    lines: list[RuleLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    limit: str = ""  # a bonus / deduction item's limit and who set it (RubricItem.limit_text)


@dataclass
class SubjectScore:
    subject: str
    category: str | None
    period: Period
    items: dict[str, ItemLine]
    total: float | None
    parts: dict[str, float | None] = field(default_factory=dict)  # year: period key → total
    adjustments: list[RuleLine] = field(default_factory=list)  # year-level
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# the campaign's assessment settings
# ---------------------------------------------------------------------------


def assessed_award(campaign: Campaign) -> Award:
    a = campaign.assessment
    if a is None:
        raise ConfigError("本活动不是按期考核的活动（campaign.yaml 中没有 assessment），请用 formgen score")
    try:
        return campaign.award(a.award)
    except KeyError:
        raise ConfigError(f"campaign.yaml：assessment.award：奖项 {a.award} 不存在"
                          f"（可选：{'、'.join(x.id for x in campaign.awards)}）") from None


def subjects(campaign: Campaign, units: list[Unit]) -> list[Unit]:
    """The assessed units: all of units.xlsx, or those of the award's categories."""
    award = assessed_award(campaign)
    cats = set(getattr(award, "categories", None) or [])
    return [u for u in units if not cats or u.category in cats]


def default_period(campaign: Campaign) -> Period:
    return Period(campaign.assessment.periods.year, "year")


def rule_index(award: Award) -> dict[str, tuple[RubricItem, object]]:
    """"item：rule" and bare unique rule labels → (item, rule)."""
    out: dict[str, tuple[RubricItem, object]] = {}
    seen: dict[str, int] = defaultdict(int)
    for item in award.rubric.items:
        for i, rule in enumerate(item.rules):
            key = rule_key(rule, i)
            out[f"{item.name}：{key}"] = (item, rule)
            seen[key] += 1
    for item in award.rubric.items:
        for i, rule in enumerate(item.rules):
            key = rule_key(rule, i)
            if seen[key] == 1:
                out[key] = (item, rule)
    return out


# ---------------------------------------------------------------------------
# one period
# ---------------------------------------------------------------------------


def case_unit(label: str) -> str:
    """'被通报缺席会议（每次）' → '次': the unit a case is counted in."""
    unit = _label_parts(label)[1]
    return "起" if unit == "例" else unit


def _source(e: EventRow) -> str:
    bits = [b for b in (e.recorded_by, e.date.isoformat() if e.date else "", e.reason) if b]
    text = e.source + (f"（{'，'.join(bits)}）" if bits else "")
    return text + (f"；佐证：{e.evidence}" if e.evidence else "")


def _rule_input(rule, events: list[EventRow]) -> tuple[object, str, list[str]]:
    """(the rule's input, the input in words, notes) from its findings in one period."""
    t, notes = rule.type, []
    values = [e.value for e in events]
    if t in ("case_deduction", "case_bonus"):
        n = sum(int(Decimal(str(v))) for v in values)
        parts, unit = "+".join(num(v) for v in values), case_unit(rule.label)
        return n, (f"{parts}={n} {unit}" if len(values) > 1 else f"{n} {unit}"), notes
    if t == "fixed_deduction":
        if len(values) > 1:
            notes.append(f"“{rule.label}”记录 {len(values)} 次，按一次扣分")
        return True, "有", notes
    if t == "range_deduction":
        return [float(v) for v in values], "、".join(f"{num(v)}分" for v in values), notes
    if t == "judged":
        mean = sum(Decimal(str(v)) for v in values) / len(values)
        if len(values) > 1:
            notes.append(f"“{rule.label or '评分'}”有 {len(values)} 位评分人，取平均")
        return float(mean), "、".join(num(v) for v in values), notes
    # a rate, a quantity, a level: one per period, the latest counts
    distinct = {str(v) for v in values}
    if len(distinct) > 1:
        notes.append(f"“{rule.label}”本期记录了不同的值（{'、'.join(str(v) for v in values)}），按最后一次记录 {values[-1]} 计")
    last = values[-1]
    return last, num(last) if isinstance(last, (int, float)) else str(last), notes


def _tally_input(item: RubricItem, rule, rows: list[TallyRow], groups) -> tuple[object, list[RuleLine], list[str]]:
    """The rating item's score from tallies: pooled, or per group weighted (returns points, lines, notes)."""
    lines, notes = [], []

    def votes(rs):
        tally: dict[str, int] = defaultdict(int)
        for r in rs:
            tally[r.level] += r.count
        return {lvl: tally[lvl] for lvl in rule.levels if tally.get(lvl)} | \
               {lvl: n for lvl, n in tally.items() if lvl not in rule.levels}

    def sources(rs):
        # one line per file / sheet; paper ballots (one source per page) as one line per group
        out = {f"{r.source}（{r.group}）" for r in rs if r.source_kind != "ballot"}
        pages: dict[str, set[str]] = defaultdict(set)
        for r in rs:
            if r.source_kind == "ballot":
                pages[r.group].add(r.source)
        for g, ps in pages.items():
            ps = sorted(ps)
            out.add(f"纸质测评票{len(ps)}页（{g}）：{ps[0]}" + (f" 至 {ps[-1]}" if len(ps) > 1 else ""))
        return sorted(out)

    if groups:
        parts = []
        for g in groups:
            rs = [r for r in rows if r.group == g.name]
            if not rs:
                notes.append(f"“{g.name}”组尚无测评票，按其余组的权重折算")
                continue
            res = rating_levels(rule, votes(rs), item.max)
            parts.append((Decimal(str(g.weight)), Decimal(str(res.points))))
            lines.append(RuleLine(f"{rule.label or item.name}（{g.name}，权重{num(g.weight * 100)}%）",
                                  "、".join(f"{k}{n}票" for k, n in votes(rs).items()), res.points, res.reason,
                                  sources(rs)))
        stray = sorted({r.group for r in rows} - {g.name for g in groups})
        if stray:
            notes.append(f"测评票中的组别“{'、'.join(stray)}”不在设置中，未计入")
        if not parts:
            return None, lines, notes
        weight = sum(w for w, _ in parts)
        return float(sum(w * v for w, v in parts) / weight), lines, notes
    res = rating_levels(rule, votes(rows), item.max)
    lines.append(RuleLine(rule.label or item.name, "、".join(f"{k}{n}票" for k, n in votes(rows).items()),
                          res.points, res.reason, sources(rows)))
    return res.points, lines, notes


def score_subject(campaign: Campaign, unit: Unit, period: Period, events: list[EventRow],
                  tallies: list[TallyRow]) -> SubjectScore:
    """One subject's items and total for one period from its findings and tallies there."""
    award = assessed_award(campaign)
    index = rule_index(award)
    ratings = {r.item: r.rating for r in campaign.assessment.ratings}
    mine = [e for e in events if e.subject == unit.name and e.period == period.key and e.item]
    by_rule: dict[tuple[str, str], list[EventRow]] = defaultdict(list)
    notes: list[str] = []
    for e in mine:
        found = index.get(f"{e.item}：{e.rule}") or index.get(e.rule)
        if found is None:
            notes.append(f"{e.source}：细则“{e.rule}”不在评分细则中，未计分")
            continue
        by_rule[(found[0].name, e.rule)].append(e)
    items: dict[str, ItemLine] = {}
    for item in award.rubric.items:
        obs, lines, item_notes, produced = {}, [], [], None
        for i, rule in enumerate(item.rules):
            key = rule_key(rule, i)
            if rule.type == "rating_levels" and item.name in ratings:
                rows = [t for t in tallies if t.rating == ratings[item.name] and t.subject == unit.name
                        and t.period in ("", period.key)]
                if not rows:
                    continue
                agg = item.aggregation or award.rubric.aggregation
                groups = agg.groups if agg.method == "weighted_groups" else []
                try:
                    produced, tl, tn = _tally_input(item, rule, rows, groups)
                except ScoringError as e:
                    item_notes.append(str(e))
                    continue
                lines += tl
                item_notes += tn
                continue
            evs = by_rule.get((item.name, key), [])
            if not evs:
                continue
            value, words, rn = _rule_input(rule, evs)
            obs[key] = value
            item_notes += rn
            lines.append(RuleLine(key, words, 0.0, "", [_source(e) for e in evs]))
        items[item.name] = _item_line(item, obs, lines, item_notes, produced)
    return _with_total(SubjectScore(unit.name, unit.category, period, items, None, notes=notes), award)


def _item_line(item: RubricItem, obs: dict, lines: list[RuleLine], notes: list[str], produced) -> ItemLine:
    line = _scored_line(item, obs, lines, notes, produced)
    if item.kind != "score":
        line.limit = item.limit_text()
    return line


def _scored_line(item: RubricItem, obs: dict, lines: list[RuleLine], notes: list[str], produced) -> ItemLine:
    rating = any(r.type == "rating_levels" for r in item.rules)
    if rating and produced is None:
        return ItemLine(item.name, item.kind, item.max, None, None, lines, notes + ["尚无测评票，未评定"])
    if rating:
        raw = max(0.0, min(float(item.max), produced))
        return ItemLine(item.name, item.kind, item.max, round_half_up(raw, DECIMALS), raw, lines, notes)
    try:
        result = score_item(item, obs)
    except ScoringError as e:
        return ItemLine(item.name, item.kind, item.max, None, None, lines, notes + [str(e)])
    by_label = {r.label: r for r in result.results}
    for line in lines:
        r = by_label.get(line.rule)
        if r is not None:
            line.points, line.reason = r.points, r.reason
    raw = result.score
    return ItemLine(item.name, item.kind, item.limit, None if raw is None else round_half_up(raw, DECIMALS), raw,
                    lines, notes + result.notes)


def _with_total(s: SubjectScore, award: Award) -> SubjectScore:
    scored = [i for i in s.items.values() if i.raw is not None]
    missing = [i.item for i in s.items.values() if i.raw is None and i.kind == "score"]
    if missing:  # never ranked on part of its score: unranked, with the reason
        s.notes.append(f"未评定：{'、'.join(missing)}，暂不计总分、不参与排名")
        return s
    if scored:
        full = sum(Decimal(str(i.max)) for i in award.rubric.items if i.kind == "score")
        base = Decimal(str(award.rubric.base))
        offset = base - full if base > full else Decimal(0)
        s.total = round_half_up(float(sum(Decimal(str(i.raw)) for i in scored) + offset), DECIMALS)
    return s


# ---------------------------------------------------------------------------
# the year
# ---------------------------------------------------------------------------


def assessed_periods(campaign: Campaign, year: Period, events: Iterable[EventRow],
                     tallies: Iterable[TallyRow] = ()) -> tuple[list[Period], list[Period]]:
    """(assessed, not assessed) periods of the year: assessed = anything recorded for it."""
    unit = campaign.assessment.periods.unit
    parts = year.parts(unit)
    recorded = {e.period for e in events if e.item} | {t.period for t in tallies}
    return [p for p in parts if p.key in recorded], [p for p in parts if p.key not in recorded]


def score_year(campaign: Campaign, unit: Unit, year: Period, events: list[EventRow],
               tallies: list[TallyRow], assessed: list[Period] | None = None,
               scored: dict[str, SubjectScore] | None = None) -> SubjectScore:
    """The year: its periods' totals (mean or sum, as set) plus the year adjustments.

    ``assessed``: the periods assessed at all (anything recorded for any unit); by default
    those with records in ``events`` / ``tallies``. ``scored``: those periods' scores of this
    unit when already computed.
    """
    settings = campaign.assessment
    if settings.periods.unit == "year":
        s = score_subject(campaign, unit, year, events, tallies)
    else:
        if assessed is None:
            done, skipped = assessed_periods(campaign, year, events, tallies)
        else:
            done = assessed
            skipped = [p for p in year.parts(settings.periods.unit) if p not in done]
        periods = {p.key: (scored or {}).get(p.key) or score_subject(campaign, unit, p, events, tallies) for p in done}
        s = SubjectScore(unit.name, unit.category, year, {}, None)
        s.parts = {p.key: periods[p.key].total for p in done}
        if skipped:
            s.notes.append(f"{'、'.join(p.short for p in skipped)}尚无考核记录，未计入年度")
        unscored = [p.short for p in done if periods[p.key].total is None]
        if unscored:
            s.notes.append(f"{'、'.join(unscored)}未评定，未计入年度")
        totals = [Decimal(str(t)) for t in s.parts.values() if t is not None]
        if totals:
            how = settings.periods.year_from_periods
            base = sum(totals) / len(totals) if how == "mean" else sum(totals)
            s.total = float(base)
            s.notes.append(f"各期得分{'平均' if how == 'mean' else '合计'}：{'、'.join(num(t) for t in totals)}"
                           f" → {num(round_half_up(float(base), DECIMALS))}")
    _adjust(s, settings, year, events)
    return s


def _adjust(s: SubjectScore, settings, year: Period, events: list[EventRow]) -> None:
    adjustments = {a.label: a for a in settings.year_adjustments}
    for e in events:
        if e.subject != s.subject or e.period != year.key or e.item:
            continue
        a = adjustments.get(e.rule)
        if a is None:
            s.notes.append(f"{e.source}：年度加减分“{e.rule}”不在设置中（可选：{'、'.join(adjustments) or '无'}），未计分")
            continue
        verb = "加" if a.points > 0 else "扣"
        s.adjustments.append(RuleLine(a.label, "是", float(a.points),
                                      f"{a.label}，从年终总分中{verb}{num(abs(a.points))}分", [_source(e)]))
    if s.total is not None and s.adjustments:
        s.total = float(Decimal(str(s.total)) + sum(Decimal(str(a.points)) for a in s.adjustments))
    if s.total is not None:
        s.total = round_half_up(s.total, DECIMALS)


# ---------------------------------------------------------------------------
# for ranking
# ---------------------------------------------------------------------------


def as_nominee_score(award: Award, s: SubjectScore) -> NomineeScore:
    """The shape ``rank.rank_award`` ranks (tie-break chain, tie notes)."""
    nominee = Nominee(award.id, s.subject, s.subject, s.subject, s.category)
    if s.items:
        items = {k: ItemScore(v.item, v.kind, v.max, v.score, v.raw, method="台账") for k, v in s.items.items()}
    else:  # the year of a periodic campaign: its periods are its "items"
        items = {k: ItemScore(Period.parse(k).short, "score", 100, v, v) for k, v in s.parts.items()}
    deducted = float(-sum(Decimal(str(li.points)) for i in s.items.values() for li in i.lines if li.points < 0))
    return NomineeScore(nominee, items, s.total, s.total, None, [], deducted, list(s.notes))

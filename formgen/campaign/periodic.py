"""Settings of a campaign assessed by periods (seeds 002 district-quarterly, 004 town-internal).

Subjects (units or departments) send nothing; they are scored from what
inspectors, scorers and raters record about them:

* an event log (台账) — one row per finding: patrols, random visits, meeting absences;
* scorer workbooks — one per inspector / rating department, each rule's own input per unit;
* rating tallies — votes per level per rater group (tally sheets, survey exports, ballots).

A period (month, quarter, year) is scored from its events; the year from its
periods plus year-level adjustments (最不满意科室 −5, 优质服务标兵 +2).
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from formgen.settings_model import SettingsModel


_Model = SettingsModel  # extra keys and NaN/infinity refused


class Periods(_Model):
    unit: Literal["month", "quarter", "year"] = "quarter"  # how often subjects are scored
    year: int
    # 年终总分 from the scored periods: "mean" (an office averages its quarterly scores; seed 002
    # is silent on it), "sum", or "none" when the year is itself the only period (seed 004).
    year_from_periods: Literal["mean", "sum", "none"] = "mean"


class YearAdjustment(_Model):
    """Points on a subject's year total (seed 002: 最不满意科室 −5, 优质服务标兵 +2)."""

    label: str  # 被评为最不满意科室
    points: float  # signed: −5, +2


class RatingInput(_Model):
    """Which tally feeds which rubric item (its rating_levels rule)."""

    rating: str  # the tally's rating id (TallyRow.rating), e.g. "internal"
    item: str  # rubric item name, e.g. 内部测评
    title: str | None = None  # as the tally sheets name it, e.g. 内部测评（班子成员、干部职工）
    # Raters of a rating whose item has no rater groups: the paper ballots printed for it.
    # (A grouped rating gives each group's count on the group: aggregation.groups[].count.)
    count: int | None = Field(default=None, ge=1, le=9999)


class Clause(_Model):
    """One numbered line of a printed score sheet (seed 002: 4 sections × 20 items)."""

    line: str  # "1" (not "no": YAML reads a bare no as false)
    item: str  # the rubric item (section) it belongs to
    text: str  # 考核内容 as the seed prints it
    # The printed section it sits in when that is not its item (seed 002: the bonus line 5 in section 二).
    section: str | None = None


class Outcomes(_Model):
    """What first and last place mean (seed 004)."""

    first: str | None = None  # 给予表扬
    last: list[str] = Field(default_factory=list)  # 诫勉谈话并责令限期整改; 取消评优评先资格
    last_twice: str | None = None  # 连续两年末位: 对主要负责人予以组织处理
    # Which period's ranking decides: the year (seed 004 is annual).
    decide_on: Literal["year", "period"] = "year"  # (not "on": YAML reads a bare on as true)


class Assessment(_Model):
    award: str  # the award id assessed this way (its subjects: units)
    periods: Periods
    year_adjustments: list[YearAdjustment] = Field(default_factory=list)
    ratings: list[RatingInput] = Field(default_factory=list)
    outcomes: Outcomes | None = None
    # A tie deciding first / last place: "chain" lets the tie-break chain decide (listed in the
    # results); "hold" leaves it for a person (formgen decide), recorded in the ledger.
    ties: Literal["chain", "hold"] = "chain"
    # Who gets a scorer workbook (formgen panel): inspectors, rating departments.
    scorers: list[str] = Field(default_factory=list)
    # The printed per-unit score sheet, line by line; empty: one line per rubric item.
    sheet: list[Clause] = Field(default_factory=list)
    sheet_title: str | None = None  # 全区机关作风和效能建设考核评分表
    # Texts of the report to the higher office and the first / last notices (seed 004).
    report_to: str | None = None  # 区效能办
    report_title: str | None = None
    report_opening: str | None = None
    first_notice_title: str | None = None
    last_notice_title: str | None = None
    recipients: str | None = None  # 主送 of the notices

    def check(self, campaign) -> None:
        """References to the campaign's award, items and rules; "@path：message" as Campaign's checks raise."""
        ids = [a.id for a in campaign.awards]
        if self.award not in ids:
            raise ValueError(f"@assessment.award：奖项 {self.award} 不存在（可选：{'、'.join(ids)}）")
        award = next(a for a in campaign.awards if a.id == self.award)
        items = {i.name: i for i in award.rubric.items}
        names = "、".join(items)
        for n, r in enumerate(self.ratings):
            item = items.get(r.item)
            if item is None:
                raise ValueError(f"@assessment.ratings[{n}].item：评分项“{r.item}”不存在（可选：{names}）")
            if not any(x.type == "rating_levels" for x in item.rules):
                raise ValueError(f"@assessment.ratings[{n}].item：评分项“{r.item}”没有 rating_levels 细则，不能由测评票计分")
        for n, c in enumerate(self.sheet):
            for key in ("item", "section"):
                v = getattr(c, key)
                if v is not None and v not in items:
                    raise ValueError(f"@assessment.sheet[{n}].{key}：评分项“{v}”不存在（可选：{names}）")

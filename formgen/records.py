"""Plain records shared by the ledger and the stages above it: no I/O.

The ledger turns what units sent and what judges returned into these; the
scoring functions are pure functions over them (``formgen.scoring.rules`` …).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Nominee:
    """One post or person a unit put forward for one award."""

    award_id: str  # "post" / "person"
    key: str  # stable id within the award, e.g. "东山街道:post" (unit + award; one per unit)
    unit: str  # the recommending unit (as in units.xlsx)
    name: str  # the post name or the person's name
    category: str | None = None  # the unit's category
    # Self-assessed item scores from the returned 评分表: item name -> score (None = empty).
    self_scores: dict[str, float | None] = field(default_factory=dict)
    submitted_at: datetime | None = None  # when the nomination form arrived
    fields: dict = field(default_factory=dict)  # the nomination form's fields
    # Facts for eligibility, e.g. {"discipline": False, "service_years": 3}.
    facts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # unresolved intake errors (Chinese)


@dataclass
class JudgeScore:
    """One judge's scores for one nominee, read back from the judge's workbook."""

    judge: str
    award_id: str
    nominee_key: str
    scores: dict[str, float | None]  # item name -> score
    group: str | None = None  # rater group, for weighted_groups
    observations: dict = field(default_factory=dict)  # rule inputs: case counts, levels, quantities


@dataclass
class TallyRow:
    """How many raters of one group gave one subject one level.

    Paper ballots, online survey exports and hand-counted tally sheets all
    become these rows (``formgen.ledger.tallies``); the rating rules read them.
    Example: 30 of the leaders (班子成员) rated 办公室 满意 →
    ``TallyRow("内部测评", "办公室", "班子成员", "满意", 30, "ballot", "票号0001第1页")``.
    """

    rating: str  # the rating's id in campaign.yaml (e.g. "internal_rating")
    subject: str  # the unit, person, window or hall rated
    group: str  # the rater group (班子成员 / 中层 / 职工代表 / 服务对象 …)
    level: str  # the level as the campaign names it (满意 / 基本满意 / 不满意)
    count: int
    source_kind: str  # "ballot" | "survey" | "tally_sheet"
    source: str  # where it came from: file + page, or workbook + sheet + cell
    period: str = ""  # "" for the whole campaign, or "2024Q3", "2024-07", "2024"


@dataclass
class EventRow:
    """One finding about one subject: a row of an event log (台账) or a cell of a scorer workbook.

    Example: a patrol on 2024-07-12 found one case under 强化内部管理 →
    ``EventRow("2024Q3", "区发改局", "落实内部管理、规范行政行为", "上班迟到、早退、中途离岗（每起）", 1,
    date=date(2024, 7, 12), reason="7月巡查：1人上班时间离岗", recorded_by="巡查组 刘明",
    source="台账.xlsx 工作表“台账” 第5行")``. ``item`` empty and ``rule`` a year adjustment's
    label (被评为最不满意科室) for year-level adjustments.
    """

    period: str  # "2024Q3", "2024-07", "2024"
    subject: str  # the unit / department
    item: str  # rubric item name ("" for a year adjustment)
    rule: str  # rule key (label) within the item, or the year adjustment's label
    value: object  # count, rate, points within a range, level, or 1 for "yes"
    date: object = None  # datetime.date of the finding
    reason: str = ""  # 扣分原因 as recorded
    evidence: str = ""  # 佐证材料
    recorded_by: str = ""  # 记录人 / scorer
    source: str = ""  # workbook + sheet + row/cell
    source_kind: str = "event_log"  # "event_log" | "scorer"

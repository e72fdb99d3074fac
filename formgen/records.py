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

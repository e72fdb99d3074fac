"""The data scoring works on: plain values, no I/O.

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

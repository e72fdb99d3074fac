"""What the publish stage works on: the campaign, the winners, the decision date.

Plain data, so publish does not depend on how scoring ranks; the CLI builds it
from the ranked results (``formgen.cli.publish``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from formgen.campaign.model import Award, Campaign
from formgen.filenames import safe_filename  # noqa: F401 (publish modules import it from here)
from formgen.strokes import stroke_key


@dataclass
class Winner:
    """One selected post or person of one award."""

    award_id: str  # "post" / "person"
    rank: int  # 1-based, no ties (the tie-break decided)
    name: str  # the post name (岗位名称) or the person's name
    unit: str  # the recommending unit (推荐单位)
    total: float | None = None  # final score
    recommended_up: bool = False  # 择优推荐参加上级评选
    unit_title: str | None = None  # 单位及职务 as the application states it (people)
    leader: str | None = None  # 岗位主要负责人 (posts)
    category: str | None = None  # the unit's category (镇街 / 市级部门)
    gender: str | None = None
    # The form fields publication.list_fields prints (only those: a Winner carries nothing else of the form).
    listed_fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PublishInput:
    campaign: Campaign
    winners_by_award: dict[str, list[Winner]]
    # The publicity list's date; the 公示期 begins on it (or on the next working day).
    decided_on: dt.date
    # 表彰 date (commendation notice, certificates); None: the first working day after the publicity.
    commended_on: dt.date | None = None
    # Unit order of units.xlsx, for sort_posts: unit_order.
    unit_order: list[str] = field(default_factory=list)

    def winners(self, award_id: str) -> list[Winner]:
        return list(self.winners_by_award.get(award_id, []))

    def awards_with(self, flag: str) -> list[Award]:
        """Awards whose ``flag`` ("certificate", "plaque") is set."""
        return [a for a in self.campaign.awards if getattr(a, flag)]


# ---------------------------------------------------------------------------- presentation


def post_display(w: Winner) -> str:
    """How a post is named in running text: its name, prefixed with the unit unless it already says it."""
    name, unit = w.name.strip(), (w.unit or "").strip()
    if not unit or unit in name or name.startswith(unit.removeprefix("市")):
        return name
    return unit + name


def person_affiliation(w: Winner) -> str:
    """单位及职务 of a person: the form's wording, else the recommending unit."""
    return (w.unit_title or w.unit or "").strip()


def ordered(winners: list[Winner], how: str, unit_order: list[str] | None = None) -> list[Winner]:
    """Winners in the order a list prints them: "rank", "stroke_order" (of the name) or "unit_order"."""
    if how == "stroke_order":
        return sorted(winners, key=lambda w: (stroke_key(w.name), w.rank))
    if how == "unit_order":
        pos = {u: i for i, u in enumerate(unit_order or [])}
        return sorted(winners, key=lambda w: (pos.get(w.unit, len(pos)), stroke_key(w.unit), w.rank))
    return sorted(winners, key=lambda w: w.rank)


def award_title(award: Award) -> str:
    """The honour's name as printed in quotes, e.g. 勤廉标兵."""
    return award.title_for_winner or award.name


def counter(award: Award) -> str:
    """The measure word: 名 for people, 个 for posts, units and the like."""
    return "名" if award.subject == "person" else "个"


# ---------------------------------------------------------------------------- dates, file names


def cn_date(d: dt.date) -> str:
    """2014年11月17日 (GB/T 9704-2012: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def cn_numeral_date(d: dt.date) -> str:
    """二〇一四年十二月三十日, as certificates are dated."""
    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def text_vars(data: PublishInput) -> dict[str, object]:
    """Values for the publication texts: {posts} {people}, and {<award id>} → number of winners."""
    values: dict[str, object] = {}
    for award in data.campaign.awards:
        n = len(data.winners(award.id))
        values[award.id] = n
        plural = {"post": "posts", "person": "people"}.get(award.subject, award.subject + "s")
        values.setdefault(plural, n)
    values.setdefault("posts", 0)
    values.setdefault("people", 0)
    values["year"] = data.campaign.year
    return values


class _Keep(dict):
    """format_map mapping that leaves unknown {fields} as written."""

    def __missing__(self, key):
        return "{" + key + "}"


def fill(text: str, values: dict) -> str:
    """``text`` with the known {fields} replaced; unknown ones and stray braces stay as typed."""
    try:
        return text.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError):
        out = text
        for k, v in values.items():
            out = out.replace("{" + k + "}", str(v))
        return out


def period_title(campaign: Campaign, award: Award) -> str:
    """What {period} prints: 2024年第四季度 for an award of one quarter (``period``), else 2024年度."""
    if award.period:
        from formgen.scoring.periods import Period

        return Period.parse(award.period).title
    return f"{campaign.year}年度"


def honor_title(campaign: Campaign, award: Award) -> str:
    """The honour in full, e.g. 2014年度瑞安市“十大效能示范岗” (publication.honor_title)."""
    return fill(campaign.publication.honor_title,
                {"year": campaign.year, "award": award_title(award), "period": period_title(campaign, award)})

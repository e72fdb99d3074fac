"""What a campaign's ballots hold: subjects, levels, rater groups and how many sheets each.

Until the campaign model carries ratings itself, a workspace may hold them in
``ballots.yaml`` (see :func:`load_ballot_settings`)::

    ratings:
      - id: internal_rating
        title: 2024年度镇机关内设机构作风效能内部测评票
        subject_label: 被测评部门
        levels: [满意, 基本满意, 不满意]
        subjects: [党政办公室, 经济发展办公室, …]
        groups:
          - {name: 班子成员, count: 12}
          - {name: 内设机构负责人和干部职工, count: 60}

Weights of the groups are the scoring's business (the rubric's aggregation);
the ballots only need to know who gets how many sheets.
"""
from __future__ import annotations

import zlib
from pathlib import Path

from pydantic import Field, StrictInt, ValidationError, field_validator

from formgen.settings_model import SettingsModel
from formgen.errors import ConfigError

SETTINGS_FILE = "ballots.yaml"


_Model = SettingsModel  # extra keys and NaN/infinity refused


class BallotGroup(_Model):
    name: str  # 班子成员 / 中层 / 职工代表 / 服务对象
    count: StrictInt = Field(ge=0, le=9999)  # sheets (strict: YAML's true/"12" are typos, not counts) to print for this group


class BallotRating(_Model):
    id: str  # the rating's id, as TallyRow.rating
    title: str  # printed title of the ballot
    subjects: list[str] = Field(min_length=1)
    levels: list[str] = Field(min_length=2, max_length=6)
    groups: list[BallotGroup] = Field(min_length=1, max_length=15)
    subject_label: str = "测评对象"
    note: str | None = None  # an extra line of instructions

    @field_validator("subjects", "levels")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        dup = sorted({x for x in v if v.count(x) > 1})
        if dup:
            raise ValueError(f"有重复项：{'、'.join(dup)}")
        return v


class BallotSettings(_Model):
    campaign_id: str
    campaign_name: str = ""
    year: int
    ratings: list[BallotRating]

    def rating(self, rating_id: str) -> BallotRating:
        for r in self.ratings:
            if r.id == rating_id:
                return r
        raise KeyError(rating_id)

    def key(self, rating_id: str) -> int:
        """20-bit fingerprint of campaign + year + rating, printed in every sheet's code.

        A sheet of another campaign, or of last year's, carries a different key.
        """
        return zlib.crc32(f"{self.campaign_id}|{self.year}|{rating_id}".encode()) & 0xFFFFF


def load_ballot_settings(workdir: Path, campaign=None, units: list[str] | None = None) -> BallotSettings:
    """Ballot settings of a workspace.

    The campaign's ``assessment.ratings`` give each rating's subjects (the units),
    levels (its rating_levels rule) and rater groups (the item's weighted groups);
    ``ballots.yaml`` gives how many sheets each group gets (``counts:``), or
    whole ratings for a campaign that has none (``ratings:``). A count in ``ballots.yaml`` wins over
    the campaign's (``aggregation.groups[].count``, ``assessment.ratings[].count``); else 10 sheets.
    """
    workdir = Path(workdir)
    if campaign is None or units is None:
        from formgen.workspace import Workspace  # noqa: PLC0415

        ws = Workspace.open(workdir)
        campaign = campaign if campaign is not None else ws.campaign
        units = units if units is not None else [u.name for u in ws.units]
    data = _read_yaml(workdir / SETTINGS_FILE)
    ratings = data.get("ratings") or _from_campaign(campaign, units, data.get("counts") or {})
    if not ratings:
        raise ConfigError(f"活动配置中没有测评（assessment.ratings），工作目录中也没有 {SETTINGS_FILE}；"
                          f"请在 {SETTINGS_FILE} 中写明测评对象、等次和各类评议人数")
    try:
        return BallotSettings.model_validate({"campaign_id": campaign.id, "campaign_name": campaign.name,
                                              "year": campaign.year, "ratings": ratings})
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        if err["loc"][-1] == "count":  # pydantic's own words are English
            raise ConfigError(f"{SETTINGS_FILE} 的 {where} 应为 0 至 {MAX_COUNT} 之间的整数份数；请修改后重试") from None
        raise ConfigError(f"{SETTINGS_FILE} 的 {where} 有误：{err['msg']}；请修改后重试") from None


def _read_yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    import yaml  # noqa: PLC0415

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path.name} 格式有误（{str(e).splitlines()[0]}）；请按说明修改") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} 应为“键: 值”的设置，请按说明修改")
    return data


_SUBJECT_LABEL = {"department": "被测评部门", "unit": "被测评单位", "person": "被测评人", "window": "被测评窗口",
                  "hall": "被测评大厅", "post": "被测评岗位"}
DEFAULT_GROUP = "评议人"  # a rating whose item does not weigh groups
DEFAULT_COUNT = 10


def _from_campaign(campaign, units: list[str], counts: dict) -> list[dict]:
    """Ratings as the campaign defines them (campaign.assessment.ratings → rubric items)."""
    assessment = getattr(campaign, "assessment", None)
    if assessment is None or not getattr(assessment, "ratings", None):
        return []
    try:
        award = campaign.award(assessment.award)
    except KeyError:
        return []
    items = {i.name: i for i in award.rubric.items}
    known = {ri.rating for ri in assessment.ratings}
    if not isinstance(counts, dict):
        raise ConfigError(f"{SETTINGS_FILE} 的 counts 应为“测评: {{评议人类别: 份数}}”")
    for name in counts:
        if name not in known:
            raise ConfigError(f"{SETTINGS_FILE} 的 counts.{name} 不是本活动的测评（应为 {'、'.join(sorted(known))} 之一）；请修改后重试")
    out = []
    for ri in assessment.ratings:
        item = items.get(ri.item)
        rule = next((r for r in (item.rules if item else []) if r.type == "rating_levels"), None)
        if rule is None:
            continue
        agg = item.aggregation or award.rubric.aggregation
        names = [g.name for g in agg.groups] if agg.method == "weighted_groups" else []
        # the rater count in the campaign itself: on each weighted group, or on the rating when ungrouped
        in_model = {g.name: g.count for g in agg.groups} if agg.method == "weighted_groups" else {}
        in_model.setdefault(DEFAULT_GROUP, getattr(ri, "count", None))
        wanted = counts.get(ri.rating) or {}
        if not isinstance(wanted, dict):
            raise ConfigError(f"{SETTINGS_FILE} 的 counts.{ri.rating} 应为“评议人类别: 份数”")
        if names:
            for g in wanted:
                if g not in names:
                    raise ConfigError(f"{SETTINGS_FILE} 的 counts.{ri.rating}.{g} 不是该测评的评议人类别"
                                      f"（应为 {'、'.join(names)} 之一）；请修改后重试")
        names = names or [str(g) for g in wanted] or [DEFAULT_GROUP]
        given = {str(g): _count(v, f"counts.{ri.rating}.{g}") for g, v in wanted.items()}
        title = ri.title or ri.item
        title = title.split("（")[0]
        out.append({
            "id": ri.rating,
            "title": f"{campaign.name}{title}{'票' if title.endswith('测评') else '测评票'}",
            "subjects": list(units),
            "levels": list(rule.levels),
            "groups": [{"name": n, "count": given.get(n) or int(in_model.get(n) or DEFAULT_COUNT)} for n in names],
            "subject_label": _SUBJECT_LABEL.get(award.subject, "测评对象"),
        })
    return out


MAX_COUNT = 9999  # as BallotGroup.count


def _count(value, where: str) -> int:
    """A sheet count from ballots.yaml: a whole number 0..MAX_COUNT, else one line naming the key.

    YAML hands back floats (1e400 is inf), lists, strings and booleans as they were typed.
    """
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT
    if not ok:
        raise ConfigError(f"{SETTINGS_FILE} 的 {where} 应为 0 至 {MAX_COUNT} 之间的整数份数（现为 {str(value)[:20]}）；请修改后重试")
    return value

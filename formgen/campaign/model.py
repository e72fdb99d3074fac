"""The campaign model: everything a campaign's notice states, as validated data.

One ``campaign.yaml`` per workspace holds it (see ``formgen.campaign.load``).
Every stage reads this model and nothing else about the campaign: ``issue``
(forms, notice), ``intake`` (form types, deadlines, units), ``scoring``
(rubrics, aggregation, ranking, quotas), ``publish`` (issuer, 文号, honours).

The rubric rules are a discriminated union on ``type``, one small model per
rule the five seeds use, named after what the seeds call them:

=====================  ====================================================
type                   seed wording
=====================  ====================================================
judged                 评分 by judges, 0..max (the 000 posts and candidates)
case_deduction         每例/每项扣N分，扣完为止（共M分）
case_bonus             每解决1个问题加N分 (capped)
fixed_deduction        有…的扣N分 (once)
threshold_penalty      满意率每低于90%10个百分点扣2分
bonus_tiers            办件量1500–4999件加0.3分 …
honor_levels           县/市/省级荣誉 +1/+3/+5, 条线部门降一档, 最高5分
counted_bonus          信息采用+0.5、报送+0.1, 每季≤0.5, 最高2.5
rating_levels          很满意20/满意18/… ; 满意90/基本满意70/不满意50
proportional           最高者得满分，其余按比例
=====================  ====================================================
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Union

from pydantic import Field, PrivateAttr, field_validator, model_validator

from formgen.settings_model import SettingsModel
from formgen.campaign.periodic import Assessment
from formgen.campaign.mail import MailSettings
from formgen.forms import FormSpec


_Model = SettingsModel  # extra keys and NaN/infinity refused


# ---------------------------------------------------------------------------
# issuer, contact, dates
# ---------------------------------------------------------------------------


class Issuer(_Model):
    offices: list[str]  # 发文机关, one or several (联合行文)
    short_name: str | None = None  # 发文机关标志, e.g. "中共瑞安市委办公室文件"
    doc_number: str  # 发文字号, e.g. "瑞委办传〔2014〕75号"
    signers: list[str] = Field(default_factory=list)  # 签发人
    date: dt.date  # 成文日期 of the notice
    level: str | None = None  # 等级, e.g. "内部明电"


class Contact(_Model):
    department: str  # 市纪委（监察局）效能监察室
    person: str | None = None
    phone: str | None = None
    email: str | None = None
    fax: str | None = None


class Deadlines(_Model):
    submit: dt.datetime  # forms must arrive by this time (inclusive of that day when 00:00)
    evaluate: dt.date | None = None
    publicity_start: dt.date | None = None
    publicity_working_days: int = 5  # 公示期（工作日）
    commend: dt.date | None = None


class Category(_Model):
    name: str
    description: str | None = None


# ---------------------------------------------------------------------------
# rubric rules
# ---------------------------------------------------------------------------


class _Rule(_Model):
    label: str = ""  # what the seed says, e.g. "没有确定专人负责"
    # The nominee's form field that supplies this rule's input (seed 003: 办件量 typed into the
    # application form); a missing value is listed as a problem, never taken as 0.
    field: str | None = None
    # The numbered line of the printed score sheet this rule belongs to (seed 002: "6").
    clause: str | None = None


class Judged(_Rule):
    """Judges give the item a score 0..max directly."""

    type: Literal["judged"] = "judged"


class CaseDeduction(_Rule):
    """N points per case found, at most ``cap`` in all (扣完为止)."""

    type: Literal["case_deduction"] = "case_deduction"
    points: float
    cap: float | None = None  # 共M分; None: down to the item's floor


class FixedDeduction(_Rule):
    """N points once, if the condition holds."""

    type: Literal["fixed_deduction"] = "fixed_deduction"
    points: float


class CaseBonus(_Rule):
    """N points per case (e.g. per problem solved for a community), capped."""

    type: Literal["case_bonus"] = "case_bonus"
    points: float
    cap: float | None = None


class ThresholdPenalty(_Rule):
    """``points`` per ``step`` below ``threshold`` (e.g. 2 per 10 points under 90%)."""

    type: Literal["threshold_penalty"] = "threshold_penalty"
    threshold: float
    step: float
    points: float
    cap: float | None = None
    # A shortfall smaller than one step: "ceil" counts it as a whole step (低于即扣),
    # "floor" ignores it, "prorate" deducts in proportion.
    partial: Literal["ceil", "floor", "prorate"] = "ceil"


class Tier(_Model):
    min: float  # inclusive
    max: float | None = None  # inclusive; None = no upper bound
    points: float


class BonusTiers(_Rule):
    """A measured quantity falls in a tier that gives points (办件量)."""

    type: Literal["bonus_tiers"] = "bonus_tiers"
    tiers: list[Tier]


class HonorLevels(_Rule):
    """Honours by level; each achievement counts once at its highest level."""

    type: Literal["honor_levels"] = "honor_levels"
    levels: dict[str, float]  # {"县级": 1, "市级": 3, "省级": 5}
    order: list[str]  # lowest first, for "one level lower"
    cap: float | None = None
    # Categories whose honours count one level lower (条线部门降一档).
    lower_for_categories: list[str] = Field(default_factory=list)


class CountedBonus(_Rule):
    """Counted events with points each, capped per period and in all (信息报送)."""

    type: Literal["counted_bonus"] = "counted_bonus"
    points: dict[str, float]  # {"采用": 0.5, "报送": 0.1}
    period_cap: float | None = None
    # The kinds the period cap covers (seed 003: 简报录用/报送 ≤0.5 a quarter, 上级录用 not); empty = all.
    period_kinds: list[str] = Field(default_factory=list)
    cap: float | None = None


class RatingLevels(_Rule):
    """Raters choose a level; the mean of level values scaled to the item's max."""

    type: Literal["rating_levels"] = "rating_levels"
    levels: dict[str, float]  # {"满意": 90, "基本满意": 70, "不满意": 50}
    scale: float | None = None  # the value that maps to the full item score (e.g. 100)


class RangeDeduction(_Rule):
    """A discretionary deduction within a range per finding (扣1–2分; 视情扣2–5分).

    The scorer chooses the amount for each finding; each must lie in ``min..max``.
    Example: ``{type: range_deduction, label: 随机暗访发现问题, min: 2, max: 5}`` with
    findings [3, 2] deducts 5.
    """

    type: Literal["range_deduction"] = "range_deduction"
    # No range (seed 004 “分值按照造成影响和后果的严重性确定”): min 0 and no max; each finding's
    # amount is whatever the scorer decided, above 0.
    min: float = 0
    max: float | None = None
    cap: float | None = None

    @model_validator(mode="after")
    def _order(self):
        if self.max is None:
            if self.min < 0:
                raise ValueError(f"range_deduction 的 min 应不小于 0，实际为 {self.min:g}")
            return self
        if self.min < 0 or self.max < self.min:
            raise ValueError(f"range_deduction 的范围应为 0 ≤ min ≤ max，实际为 {self.min:g}–{self.max:g}")
        return self


class Proportional(_Rule):
    """Relative item: the best gets full marks, the others in proportion."""

    type: Literal["proportional"] = "proportional"
    higher_is_better: bool = True


Rule = Annotated[
    Union[Judged, CaseDeduction, FixedDeduction, CaseBonus, ThresholdPenalty, BonusTiers, HonorLevels,
          CountedBonus, RatingLevels, Proportional, RangeDeduction],
    Field(discriminator="type"),
]


class RubricItem(_Model):
    name: str  # 组织宣传
    # 分值 as the notice gives it (通知规定). A bonus or deduction item the notice sets no limit
    # for has none (None): the preset must not invent one (seed 002 “每为社区解决一个问题加2分”).
    max: float | None = None
    # A limit the office sets for such an item anyway (本活动设定): applied like ``max``, but
    # shown apart from the notice's limits in explain and the score sheets.
    office_max: float | None = Field(default=None, gt=0)
    content: str | None = None  # 考核内容 / 评选标准
    standard: str | None = None  # 评分标准
    method: str | None = None  # 考核方式
    kind: Literal["score", "bonus", "deduction"] = "score"
    floor: float = 0.0  # 扣完为止: an item never goes below this
    rules: list[Rule] = Field(default_factory=lambda: [Judged()])
    # Named department that supplies this sub-score (seed 001), if any.
    source: str | None = None
    # This item's own way of combining raters, when it differs from the rubric's
    # (seed 004: 内部测评 weighs rater groups 50/50, 公开评议 is a plain mean).
    aggregation: "Aggregation | None" = None

    @model_validator(mode="after")
    def _limits(self):
        if self.kind == "score" and self.max is None:
            raise ValueError(f"评分项“{self.name}”没有写分值（max）；只有加分项、扣分项可以不设上限")
        if self.max is not None and self.office_max is not None:
            raise ValueError(f"评分项“{self.name}”：通知已规定上限（max: {self.max:g}），不能再用 office_max 另设")
        return self

    @property
    def limit(self) -> float | None:
        """The most the item gives or takes: the notice's ``max``, else the office's ``office_max``."""
        return self.max if self.max is not None else self.office_max

    @property
    def limit_basis(self) -> str | None:
        """Who set :attr:`limit`: 通知规定 or 本活动设定 (None: no limit)."""
        if self.max is not None:
            return "通知规定"
        return "本活动设定" if self.office_max is not None else None

    def limit_text(self) -> str:
        """The limit as score sheets head the column: 最多扣20分，通知规定 / 最高加10分，本活动设定 / 通知未规定上限."""
        if self.kind == "score":
            return f"{self.max:g}分"
        if self.limit is None:
            return "通知未规定上限"
        verb = "最高加" if self.kind == "bonus" else "最多扣"
        return f"{verb}{self.limit:g}分，{self.limit_basis}"

    @model_validator(mode="after")
    def _judged_alone(self):
        # A judge's number is the whole item's score; mixed with rule inputs it would silently
        # become the starting score the other rules work from.
        deducting = {"case_deduction", "fixed_deduction", "threshold_penalty", "range_deduction"}
        if any(r.type == "judged" for r in self.rules) and any(r.type in deducting for r in self.rules):
            raise ValueError(f"评分项“{self.name}”：judged（评委直接给本项打分）不能与扣分细则同列（否则评委分会成为扣分的起点）；"
                             "评委在范围内酌情扣分请用 range_deduction，或把 judged 拆为单独的评分项")
        return self


class RaterGroup(_Model):
    name: str  # 班子成员 / 内设机构负责人和干部职工
    weight: float  # 0..1
    # How many raters the group has: the paper ballots printed for it (formgen ballots).
    count: int | None = Field(default=None, ge=1, le=9999)


class Aggregation(_Model):
    """How several judges' (or raters') scores become one."""

    method: Literal["mean", "trimmed_mean", "weighted_groups"] = "mean"
    trim: int = 1  # for trimmed_mean: drop this many highest and lowest
    groups: list[RaterGroup] = Field(default_factory=list)
    # A unit's self-score never replaces a judge's score unless the campaign asks for it: the
    # seeds have a panel (综合评定小组) score every item. With true, until a judge has scored an
    # item the self-assessment stands in (flagged 自评代分, left out of judge_total).
    self_assessment_fallback: bool = False
    decimals: int = 2

    @model_validator(mode="after")
    def _weights(self):
        if self.method == "weighted_groups":
            total = sum(g.weight for g in self.groups)
            if not self.groups or abs(total - 1.0) > 1e-6:
                raise ValueError("weighted_groups 的各组权重之和必须为 1")
        return self


RubricItem.model_rebuild()


class Rubric(_Model):
    total: float  # 满分
    base: float = 0.0  # 基础分 (e.g. 1000 with add/deduct)
    items: list[RubricItem]
    aggregation: Aggregation = Field(default_factory=Aggregation)

    @model_validator(mode="after")
    def _sum(self):
        s = sum(i.max for i in self.items if i.kind == "score")
        if self.base == 0 and abs(s - self.total) > 1e-6:
            raise ValueError(f"各评分项分值之和为 {s:g}，与满分 {self.total:g} 不一致")
        return self


# ---------------------------------------------------------------------------
# awards, selection
# ---------------------------------------------------------------------------

TieBreak = Literal[
    "total",  # higher total first
    "judge_total",  # higher judges' mean (without self-assessment stand-ins)
    "items_in_order",  # then item by item in rubric order, higher first
    "fewer_deductions",
    "self_assessment",  # higher self-assessed total
    "earlier_submission",  # the form that arrived first
    "decided",  # a person decides (formgen decide / the desk), recorded in the ledger; held until then
    "stroke_order",  # finally the name in surname stroke order (always decides)
]


class Eligibility(_Model):
    """Who may be selected at all; a failed condition is reported, not hidden."""

    min_service_years: float | None = None
    min_monthly_average: float | None = None  # 窗口标准化考核月平均分
    no_discipline: bool = False  # 本年度未受效能或党政纪处理
    required_forms: list[str] = Field(default_factory=list)  # form types that must have arrived
    # Form field → the least value it must reach (群众满意率达95%以上: {satisfaction: 95}); a field not filled
    # in is missing data (待补充数据), never a failed condition.
    field_min: dict[str, float] = Field(default_factory=dict)
    _labels: dict[str, str] = PrivateAttr(default_factory=dict)  # field key → its label, for the reasons

    def label(self, key: str) -> str:
        return self._labels.get(key, key)


class Quota(_Model):
    total: int = Field(ge=0)  # 10
    per_category: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    recommend_up: int = Field(0, ge=0)  # 择优推荐到上级 (2)


class Grade(_Model):
    """One honour of several given from one ranking (seed 003: 最美政务大厅 then 优秀政务大厅)."""

    name: str  # 最美政务大厅
    count: int  # how many places, taken in rank order after the grades before it


class SharedQuota(_Model):
    """One quota shared by several awards (seed 003: 三牛奖 90 a quarter across three awards)."""

    name: str  # 三牛奖
    awards: list[str]  # award ids
    total: int  # 90
    # How places are shared: by rank on the combined list, within each award's own quota.total.
    order: Literal["total"] = "total"


class Award(_Model):
    id: str  # "post" / "person"
    name: str  # 十大效能示范岗
    subject: Literal["post", "person", "unit", "window", "hall", "department"]
    title_for_winner: str | None = None  # 授予“勤廉标兵”荣誉称号
    honor: str  # 表彰授牌 / 授予荣誉称号
    nomination_form: str | None = None  # form type of the application / nomination
    score_form: str | None = None  # form type of the self-assessed score sheet
    name_field: str = "name"  # field of the nomination form that names the subject ("post", "name")
    # "units": nothing is nominated, every unit of units.xlsx is assessed (seeds 002, 004).
    subjects: Literal["nominated", "units"] = "nominated"
    per_unit: int = 1  # each unit recommends this many
    rubric: Rubric
    quota: Quota
    eligibility: Eligibility = Field(default_factory=Eligibility)
    tie_break: list[TieBreak] = Field(
        default_factory=lambda: ["total", "judge_total", "items_in_order", "earlier_submission", "stroke_order"])
    certificate: bool = False  # a certificate per winner
    plaque: bool = False  # a plaque (授牌) per winner
    # Unit categories the award (and its forms) applies to; empty: every unit (formgen.scoring.scope).
    categories: list[str] = Field(default_factory=list)
    # "category": ranked and selected within each unit category (seed 001); "all": one ranking.
    rank_within: Literal["all", "category"] = "all"
    # A different rubric for some unit categories (seed 001: 第四类 测评400 + 服务地方经济发展600).
    category_rubrics: dict[str, Rubric] = Field(default_factory=dict)
    # Several honours from one ranking, in rank order (seed 003: 最美8 + 优秀16 政务大厅).
    grades: list[Grade] = Field(default_factory=list)
    # Applying is voluntary (seed 003: 各类奖项申报): a unit that sends no application is not chased.
    voluntary: bool = False
    # Facts read from the nomination form's fields: fact name -> field key
    # (monthly_average, service_years … feed eligibility; a missing one is a listed problem).
    facts_from_fields: dict[str, str] = Field(default_factory=dict)
    # The period the award is for when it is not the campaign's year (seed 003: 三牛奖 are chosen
    # each quarter, "2024Q4"): lists and certificates name it through {period} (2024年第四季度).
    period: str | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _period_form(cls, v):
        if v is not None and not re.fullmatch(r"\d{4}(Q[1-4])?", str(v).strip()):
            raise ValueError(f"奖项期间“{v}”应写成 2024Q4（季度）或 2024（年度）")
        return None if v is None else str(v).strip()


class NoticeSection(_Model):
    heading: str
    paragraphs: list[str] = Field(default_factory=list)
    subsections: list["NoticeSection"] = Field(default_factory=list)


class Notice(_Model):
    title: str
    recipients: str  # 主送机关
    opening: str
    sections: list[NoticeSection] = Field(default_factory=list)
    closing: str | None = None
    note: str | None = None  # 附注


class Disclosure(_Model):
    """A form field the campaign decided may appear on its public documents, and why
    (个人信息保护法 art. 25: publishing personal information needs the person's separate consent)."""

    field: str
    reason: str = Field(min_length=2)


class Publication(_Model):
    """Texts of the outputs: publicity list, commendation notice, certificates."""

    publicity_title: str
    publicity_intro: str
    publicity_contact: str | None = None
    commendation_title: str
    commendation_opening: str
    commendation_closing: str
    certificate_text: str  # with {name} {unit} {award} {year}
    certificate_issuer: str | None = None
    sort_people: Literal["stroke_order", "rank"] = "stroke_order"
    sort_posts: Literal["stroke_order", "rank", "unit_order"] = "rank"
    # 发文字号 of the commendation; None: the notice's prefix and year with the number left blank.
    commendation_doc_number: str | None = None
    publicity_issuer: str | None = None  # who signs the publicity list; None: issuer.offices
    # The honour in full, e.g. 2014年度瑞安市“十大效能示范岗”: 牌匾文字 and list titles ({year} {award}).
    honor_title: str = "{year}年度“{award}”"
    # Form fields printed as extra columns of the 公示名单 (and the published results sheet), e.g. [gender].
    list_fields: list[str] = Field(default_factory=list)
    # Non-public fields the campaign publishes anyway, each with its recorded reason (formgen.privacy).
    disclose: list[Disclosure] = Field(default_factory=list)


class Judge(_Model):
    """A member of the evaluation group (综合评定小组); ``group`` for weighted_groups."""

    name: str
    group: str | None = None
    # The judge's own unit: by default (回避) the judge is not shown that unit's candidates.
    unit: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data):
        # "张三" or "张三：班子成员" in campaign.yaml
        if isinstance(data, str):
            name, _, group = data.replace("：", ":").partition(":")
            return {"name": name.strip(), "group": group.strip() or None}
        return data


class Campaign(_Model):
    id: str  # "ruian-2014"
    name: str  # short name shown in messages
    year: int
    issuer: Issuer
    contact: Contact
    deadlines: Deadlines
    categories: list[Category] = Field(default_factory=list)
    units_file: str = "units.xlsx"
    forms: list[FormSpec] = Field(default_factory=list)  # campaign-defined form types
    builtin_forms: list[str] = Field(default_factory=list)  # built-in form types used
    awards: list[Award]
    notice: Notice
    publication: Publication
    template_version: str = "1"
    # The detailed deeds document (~3000 characters) asked for with each application.
    deeds_document_chars: int | None = None
    # 综合评定小组: the judges who get a scoring workbook (formgen panel); optional.
    judges: list[Judge] = Field(default_factory=list)
    # The office mailbox formgen fetches returns from and sends from (formgen.campaign.mail); optional.
    mail: MailSettings | None = None
    # Assessment by periods from event logs, scorer workbooks and rating tallies (seeds 002, 004).
    assessment: Assessment | None = None
    # Quotas shared by several awards (三牛奖), see SharedQuota.
    shared_quotas: list[SharedQuota] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self):
        # "@path：message" puts the message at the key's full path (formgen.campaign.load).
        known = set(self.builtin_forms) | {f.type for f in self.forms}
        for n, a in enumerate(self.awards):
            for key in ("nomination_form", "score_form"):
                ft = getattr(a, key)
                if ft and ft not in known:
                    raise ValueError(f"@awards[{n}].{key}：奖项“{a.name}”引用了未定义的表格类型 {ft}"
                                     f"（可选：{'、'.join(sorted(known)) or '无'}）")
        cats = {c.name for c in self.categories}
        valid = f"（categories 中定义的类别：{'、'.join(c.name for c in self.categories) or '无'}）"
        for n, a in enumerate(self.awards):
            for key, names in (("quota.per_category", a.quota.per_category), ("categories", a.categories),
                               ("category_rubrics", a.category_rubrics)):
                for c in names:
                    if c not in cats:
                        raise ValueError(f"@awards[{n}].{key}.{c}：奖项“{a.name}”引用的类别“{c}”未在 categories 中定义{valid}")
        if self.assessment is not None:
            self.assessment.check(self)  # its references to awards, items and rules
        ids = [a.id for a in self.awards]
        for n, q in enumerate(self.shared_quotas):
            for m, aid in enumerate(q.awards):
                if aid not in ids:
                    raise ValueError(f"@shared_quotas[{n}].awards[{m}]：共用名额“{q.name}”引用的奖项 {aid} 不存在"
                                     f"（可选：{'、'.join(ids)}）")
        self._public_fields()
        labels = {f.key: f.label for spec in self.form_specs() for f in spec.fields}
        for a in self.awards:  # eligibility's reasons name a field by its label
            a.eligibility._labels = {k: labels.get(k, k) for k in a.eligibility.field_min}
        return self

    def _public_fields(self) -> None:
        """Public documents show only public fields, unless ``publication.disclose`` gives a reason."""
        levels = {f.key: (f.label, f.level) for spec in self.form_specs() for f in spec.fields}
        disclosed = {d.field for d in self.publication.disclose}
        for n, d in enumerate(self.publication.disclose):
            if d.field not in levels:
                raise ValueError(f"@publication.disclose[{n}].field：{d.field} 不是任何表格中的字段"
                                 f"（可选：{'、'.join(sorted(levels)) or '无'}）")
        for n, key in enumerate(self.publication.list_fields):
            path = f"publication.list_fields[{n}]"
            if key not in levels:
                raise ValueError(f"@{path}：{key} 不是任何表格中的字段（可选：{'、'.join(sorted(levels)) or '无'}）")
            label, level = levels[key]
            if level != "public" and key not in disclosed:
                from formgen.privacy import LEVEL_NAMES

                raise ValueError(f"@{path}：“{label}”（{key}）是{LEVEL_NAMES[level]}信息，不能印在公示名单、表彰通报、"
                                 f"证书等公开文件中；确需公开的，请在 publication.disclose 中写明该字段和理由"
                                 f"（个人信息保护法第二十五条：公开个人信息须取得个人单独同意）")

    def form_specs(self) -> list[FormSpec]:
        from formgen.forms import BUILTIN_FORMS

        out = [BUILTIN_FORMS[t] for t in self.builtin_forms if t in BUILTIN_FORMS]
        return out + list(self.forms)

    def form_spec(self, form_type: str) -> FormSpec:
        for f in self.form_specs():
            if f.type == form_type:
                return f
        raise KeyError(form_type)

    def several_per_unit(self) -> set[str]:
        """Form types a unit may send several of (one per nominee): each is its own form for
        superseding, corrections and reviews."""
        return {t for a in self.awards if a.per_unit > 1 for t in (a.nomination_form, a.score_form) if t}

    def award(self, award_id: str) -> Award:
        for a in self.awards:
            if a.id == award_id:
                return a
        raise KeyError(award_id)


class Unit(_Model):
    """One row of units.xlsx."""

    name: str  # 单位名称
    category: str | None = None  # 类别
    contact: str | None = None  # 联系人
    email: str | None = None  # 邮箱 (several separated by ; ， 、 or spaces)
    phone: str | None = None  # 电话
    extra: dict[str, str] = Field(default_factory=dict)  # the office's other columns, kept as they were
    row: int | None = Field(default=None, exclude=True)  # its row in units.xlsx, for messages

    def emails(self) -> list[str]:
        """The unit's addresses; none when any part of the cell is not an address (never half-used)."""
        from formgen.campaign.unit_columns import split_emails

        good, bad = split_emails(self.email)
        return [] if bad else good

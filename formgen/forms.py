"""Form types: what a returned form holds, as data.

The four built-in types and their canonical keys are fixed by
``shared/spec/forms.md`` (other tools rely on the names). A campaign may define
more types in its ``campaign.yaml`` with the same model; the matcher and the
issue stage read nothing else, so a new type needs no code.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from formgen.settings_model import SettingsModel
from formgen.privacy import Sensitivity, level_of

FieldKind = Literal["text", "multiline", "gender", "birth", "integer", "date", "percent", "choice"]
# The range a number of each kind lies in when campaign.yaml sets none for the field (None: no bound).
KIND_RANGES = {"integer": (0, None), "percent": (0, 100)}
KIND_NAMES = {"integer": "整数", "percent": "百分比"}


class FieldSpec(SettingsModel):
    """One labelled value of a form."""

    key: str
    label: str  # as the seed prints it
    variants: list[str] = Field(default_factory=list)  # other spellings units use
    kind: FieldKind = "text"
    required: bool = True
    # Printed placeholder text of the blank form; never part of a value.
    placeholders: list[str] = Field(default_factory=list)
    # Where the value sits relative to the label: in the next cell to the right
    # (the usual case), in the cell below, or on the line of text above/around
    # the table ("line": ``推荐单位：XX`` outside the grid).
    position: Literal["right", "below", "line"] = "right"
    # A soft length target (characters) that yields a warning, e.g. 主要事迹 ~500.
    target_chars: int | None = None
    # A hard limit (characters), e.g. 专项报告“一般不超过2000字”: over it is a problem, not a warning.
    max_chars: int | None = None
    # Who may see the value whole (formgen.privacy): 公开 public / 内部 internal / 个人 personal;
    # None: the canonical key's default, else proposed from the label.
    sensitivity: Sensitivity | None = None
    # The range a number of this field lies in, [min, max] (campaign.yaml ``range``); outside it is a warning
    # naming the range. None: the kind's own range (KIND_RANGES).
    range: tuple[float, float] | None = None

    @field_validator("range")
    @classmethod
    def _ordered(cls, v):
        if v is not None and v[0] > v[1]:
            raise ValueError(f"range 应写成 [最小值, 最大值]，实际为 [{v[0]:g}, {v[1]:g}]")
        return v

    def value_range(self) -> tuple[float | None, float | None, str] | None:
        """(min, max, where the range comes from) for a number of this field; None: no range."""
        if self.range is not None:
            return self.range[0], self.range[1], f"本字段设定的范围 {self.range[0]:g}–{self.range[1]:g}"
        if self.kind in KIND_RANGES:
            lo, hi = KIND_RANGES[self.kind]
            span = f"{lo:g}–{hi:g}" if hi is not None else f"不小于 {lo:g}"
            return lo, hi, f"{KIND_NAMES[self.kind]}字段的范围（{span}）"
        return None
    # kind "choice": the printed options (□是 □否); the value is the one ticked.
    choices: list[str] = Field(default_factory=list)

    @property
    def level(self) -> Sensitivity:
        return level_of(self.key, self.label, self.sensitivity)

    @property
    def all_labels(self) -> list[str]:
        return [self.label, *self.variants]


class ItemSpec(SettingsModel):
    """One scored item of a score sheet (the unit fills 得分 as self-assessment)."""

    name: str
    max: float
    variants: list[str] = Field(default_factory=list)


class FormSpec(SettingsModel):
    """A form type: how to recognise it, what it holds, how it is issued."""

    type: str  # canonical key, e.g. "candidate_application"
    title: str  # printed title, e.g. "“勤廉标兵”候选人申报表"
    # Words whose presence (all of one group) in the title or first lines
    # identifies the form when it carries no anchors.
    title_keywords: list[list[str]] = Field(default_factory=list)
    fields: list[FieldSpec] = Field(default_factory=list)
    items: list[ItemSpec] = Field(default_factory=list)
    # Header words of the self-assessed score column.
    score_headers: list[str] = Field(default_factory=lambda: ["得分", "自评得分", "自评分"])
    # Which candidate/post the sheet belongs to ("candidate", "post", None).
    subject: Literal["candidate", "post", "unit"] | None = None
    attachment_no: int | None = None  # 附件N in the notice
    # A free-text document rather than a table (seed 001: 自查报告): recognised by title_keywords
    # in its first lines; its whole text becomes the field ``text``.
    free_text: bool = False
    # Rows of field keys as the form prints them (2–3 label/value pairs a row; a long text alone);
    # empty: one label/value row per field.
    layout: list[list[str]] = Field(default_factory=list)
    template: str | None = None  # file name in templates/

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def unit_field(self) -> FieldSpec | None:
        """The field that holds the unit a blank is issued to (pre-filled with its name): found by key, else by
        label (所属单位, 推荐单位, 申报单位, 单位名称); None when the form has none."""
        for f in self.fields:
            if f.key in UNIT_KEYS:
                return f
        for f in self.fields:
            if "".join(f.label.split()).rstrip("：:") in UNIT_LABELS:
                return f
        return None


UNIT_KEYS = ("recommending_unit", "unit", "unit_name", "owner_unit", "applicant_unit")
UNIT_LABELS = ("所属单位", "推荐单位", "申报单位", "单位名称")

STAMP_PLACEHOLDERS = ["（盖章）", "(盖章)", "盖章", "年月日", "年  月  日", "年   月   日"]

CANDIDATE_APPLICATION = FormSpec(
    type="candidate_application",
    title="“勤廉标兵”候选人申报表",
    title_keywords=[["勤廉标兵", "申报表"], ["候选人", "申报表"]],
    subject="candidate",
    attachment_no=4,
    template="附件4_勤廉标兵候选人申报表.docx",
    fields=[
        FieldSpec(key="name", label="姓名", variants=["姓 名", "名字"]),
        FieldSpec(key="gender", label="性别", kind="gender"),
        FieldSpec(key="birth", label="出生年月", variants=["出生日期", "出生年月日", "出生时间"], kind="birth"),
        FieldSpec(key="unit_title", label="单位及职务",
                  variants=["工作单位及职务", "单位职务", "工作单位及职位", "单位及职位", "工作单位和职务"]),
        FieldSpec(key="political", label="政治面貌"),
        FieldSpec(key="education", label="文化程度", variants=["学历", "学历学位", "文化程度（学历）"]),
        FieldSpec(key="resume", label="主要工作简历", variants=["工作简历", "简历", "主要简历"], kind="multiline"),
        FieldSpec(key="honors", label="曾获荣誉", variants=["获得荣誉", "所获荣誉", "曾获奖励", "荣誉情况"],
                  kind="multiline", required=False),
        FieldSpec(key="deeds", label="主要事迹", variants=["事迹简述", "主要事迹简述", "事迹"], kind="multiline",
                  placeholders=["（500字左右事迹简述，可附页）", "(500字左右事迹简述，可附页)",
                                "500字左右事迹简述，可附页"],
                  target_chars=500),
        FieldSpec(key="recommender_opinion", label="推荐单位意见", variants=["推荐意见", "单位推荐意见"],
                  kind="multiline", required=False, placeholders=STAMP_PLACEHOLDERS),
    ],
)

POST_NOMINATION = FormSpec(
    type="post_nomination",
    title="“十大效能示范岗”推荐表",
    title_keywords=[["示范岗", "推荐表"]],
    subject="post",
    attachment_no=3,
    template="附件3_十大效能示范岗推荐表.docx",
    fields=[
        FieldSpec(key="recommending_unit", label="推荐单位", position="line"),
        FieldSpec(key="post", label="被推荐岗位", variants=["推荐岗位", "岗位名称"]),
        FieldSpec(key="headcount", label="被推荐岗位人数", variants=["岗位人数", "人数"], kind="integer",
                  range=(1, 500)),
        FieldSpec(key="post_leader", label="被推荐岗位主要负责人", variants=["主要负责人", "岗位负责人", "负责人"]),
        FieldSpec(key="duties", label="被推荐岗位主要职责", variants=["主要职责", "岗位职责", "岗位主要职责"],
                  kind="multiline"),
        FieldSpec(key="practices", label="主要做法和成效", variants=["主要做法及成效", "做法和成效", "主要做法与成效"],
                  kind="multiline", placeholders=["（可另附页）", "(可另附页)", "可另附页"]),
        FieldSpec(key="party_opinion", label="镇街党（工）委或市级部门党委（组）意见",
                  variants=["镇街党(工)委或市级部门党委(组)意见", "党委（组）意见", "党（工）委意见", "党委意见",
                            "推荐意见"],
                  kind="multiline", required=False, placeholders=STAMP_PLACEHOLDERS),
    ],
)

POST_SCORE_SHEET = FormSpec(
    type="post_score_sheet",
    title="“十大效能示范岗”评分表",
    title_keywords=[["示范岗", "评分表"]],
    subject="post",
    attachment_no=1,
    template="附件1_十大效能示范岗评分表.docx",
    items=[
        ItemSpec(name="组织宣传", max=10),
        ItemSpec(name="硬件设施", max=15),
        ItemSpec(name="管理制度", max=15),
        ItemSpec(name="工作作风", max=15),
        ItemSpec(name="依法行政", max=25),
        ItemSpec(name="服务质量", max=20),
    ],
)

CANDIDATE_SCORE_SHEET = FormSpec(
    type="candidate_score_sheet",
    title="“勤廉标兵”评分表",
    title_keywords=[["勤廉标兵", "评分表"]],
    subject="candidate",
    attachment_no=2,
    template="附件2_勤廉标兵评分表.docx",
    items=[
        ItemSpec(name="政治坚定", max=20),
        ItemSpec(name="作风优良", max=20),
        ItemSpec(name="爱岗敬业", max=20),
        ItemSpec(name="廉洁自律", max=20),
        ItemSpec(name="加分项目", max=20),
    ],
)

BUILTIN_FORMS: dict[str, FormSpec] = {
    f.type: f for f in (POST_SCORE_SHEET, CANDIDATE_SCORE_SHEET, POST_NOMINATION, CANDIDATE_APPLICATION)
}


def builtin_forms() -> list[FormSpec]:
    return list(BUILTIN_FORMS.values())

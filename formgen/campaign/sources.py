"""Every rule and condition has a source for its input (issue 18 point 5).

A condition nobody can feed is worse than none: it looks applied and never fires
(ruian's veto "本年度单位及个人没有受到效能或党政纪处理" had no field, command or workbook).
``source_problems`` lists, one Chinese line each, the conditions of campaign.yaml whose
input comes from nowhere; ``formgen check`` reports them as errors. Kept apart from the
reference checks (formgen.campaign.references): those find names that are not defined,
these find inputs that are defined nowhere.
"""
from __future__ import annotations

from formgen.campaign.model import Campaign

# Facts only a form field can give (facts_from_fields), and where else each may come from.
FIELD_FACTS = {"min_service_years": ("service_years", "连续工作年限"),
               "min_monthly_average": ("monthly_average", "窗口标准化考核月平均分")}
# The veto's sources: a 申报表 declaration (facts_from_fields.discipline) and the staff's
# record (formgen discipline), which every campaign has.
DISCIPLINE_SOURCES = "申报表声明（facts_from_fields.discipline）或人工记录（formgen discipline）"


def source_problems(c: Campaign, file_name: str = "campaign.yaml") -> list[str]:
    out = []
    for n, a in enumerate(c.awards):
        rules = a.eligibility
        for cond, (fact, words) in FIELD_FACTS.items():
            if getattr(rules, cond, None) is None or fact in a.facts_from_fields:
                continue
            out.append(f"{file_name}：awards[{n}].eligibility.{cond}：奖项“{a.name}”的参评条件需要“{words}”，"
                       f"但没有任何来源；请在 awards[{n}].facts_from_fields 中写明申报表的哪一栏填写它"
                       f"（如 {fact}: {fact}），或删去这一条件")
        if a.subjects == "units" and rules.no_discipline:
            out.append(f"{file_name}：awards[{n}].eligibility.no_discipline：奖项“{a.name}”不推荐对象，"
                       f"“没有受到效能或党政纪处理”无从记录；请删去这一条件")
    return out

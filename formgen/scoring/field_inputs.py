"""Values units type into their forms, fed to eligibility and to rules.

An award's ``facts_from_fields`` names the form field behind a fact
(``monthly_average: monthly_average`` — 窗口标准化考核月平均分); a rule's
``field`` names the field behind its input (``bonus_tiers`` on 办件量). A value
that is missing or is not a number is a problem listed for the staff: the
nominee is held back (待补充数据), never excluded or ranked without a word.

>>> from formgen.records import Nominee
>>> facts, problems = field_facts({"monthly_average": "avg"}, Nominee("a", "k", "甲", "张三", fields={"avg": "92.5分"}))
>>> facts, problems
({'monthly_average': 92.5}, [])
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from formgen.campaign.model import Rubric
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rules import ScoringError, as_decimal, rule_key

FORM_SOURCE = "申报表"  # the "scorer" whose inputs are the unit's own form fields


def _number(value: Any, what: str) -> float:
    text = re.sub(r"[分件年个篇次\s]+$", "", str(value).strip())
    return float(as_decimal(text, what))


def field_value(nominee: Nominee, key: str, what: str) -> tuple[float | None, str | None]:
    """(number, None) or (None, the problem in Chinese)."""
    value = nominee.fields.get(key)
    if value in (None, ""):
        return None, f"申报表未填写“{what}”"
    try:
        return _number(value, f"申报表“{what}”"), None
    except ScoringError as e:
        return None, str(e)


FACT_WORDS = {"monthly_average": "窗口标准化考核月平均分", "service_years": "连续工作年限",
              "case_volume": "办件量", "discipline": "本年度是否受到效能或党政纪处理"}
_NONE_SAID = ("无", "否", "没有", "未", "不")  # how a declaration says there was none: 无 / 未受到…处理


def declared_discipline(value: Any) -> bool | str | None:
    """A 申报表 declaration on 效能或党政纪处理: False (none), the 处理 as written, or None (blank).

    >>> declared_discipline("本年度未受到效能或党政纪处理"), declared_discipline("无"), declared_discipline("  ")
    (False, False, None)
    >>> declared_discipline("2014年5月受到党内警告处分")
    '2014年5月受到党内警告处分'
    """
    text = "".join(str(value or "").split())
    if not text:
        return None
    said = text.removeprefix("本年度").removeprefix("单位及个人")
    return False if said.startswith(_NONE_SAID) else text


def field_facts(facts_from_fields: Mapping[str, str], nominee: Nominee) -> tuple[dict, list[str]]:
    """The facts an award reads from the form, and the problems of the missing ones.

    ``discipline`` is a declaration, not a number: blank leaves it to the staff's record
    (formgen.ledger.facts), and a staff record made for the nominee wins over it."""
    facts, problems = {}, []
    for fact, key in facts_from_fields.items():
        if fact == "discipline":
            said = declared_discipline(nominee.fields.get(key))
            if said is not None and "discipline" not in nominee.facts:
                facts["discipline"], facts["discipline_source"] = said, f"申报表“{FACT_WORDS[fact]}”栏声明"
            continue
        v, problem = field_value(nominee, key, FACT_WORDS.get(fact, key))
        if problem:
            problems.append(problem)
        else:
            facts[fact] = v
    return facts, problems


def with_field_inputs(rubric: Rubric, nominee: Nominee, judge_scores: list[JudgeScore]
                      ) -> tuple[list[JudgeScore], dict, list[str]]:
    """Judges' scores with each field-fed rule's input added to every judge's observation of its item.

    Returns (judge scores, facts for proportional rules keyed by rule key, problems). A judge who
    gave the whole item one number keeps it (the number is the item score). With no judge on such
    an item, the form alone scores it (as scorer ``申报表``).
    """
    inputs: dict[str, dict[str, float]] = {}
    facts: dict[str, float] = {}
    problems: list[str] = []
    for item in rubric.items:
        for i, rule in enumerate(item.rules):
            if not rule.field:
                continue
            v, problem = field_value(nominee, rule.field, rule.label or item.name)
            if problem:
                problems.append(f"“{item.name}”：{problem}")
                continue
            if rule.type == "proportional":
                facts[rule_key(rule, i)] = v
            else:
                inputs.setdefault(item.name, {})[rule_key(rule, i)] = v
    if not inputs:
        return judge_scores, facts, problems
    out = []
    judged_items: set[str] = set()
    for js in judge_scores:
        obs = dict(js.observations)
        for item, values in inputs.items():
            mine = obs.get(item)
            if js.scores.get(item) is not None and mine is None:
                continue  # a number for the whole item
            if isinstance(mine, Mapping) or mine is None:
                obs[item] = {**(mine or {}), **values}
                judged_items.add(item)
        out.append(JudgeScore(js.judge, js.award_id, js.nominee_key, dict(js.scores), js.group, obs))
    alone = {item: values for item, values in inputs.items() if item not in judged_items}
    if alone:
        award_id = judge_scores[0].award_id if judge_scores else nominee.award_id
        out.append(JudgeScore(FORM_SOURCE, award_id, nominee.key, {}, None, alone))
    return out, facts, problems

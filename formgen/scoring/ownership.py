"""Sub-scores owned by a named department (seed 001: 省委办公厅 30 + 省政府办公厅 30).

An item with ``source`` is taken only from the workbook of that department
(the scorer named ``source``). A score for it from anyone else is never
averaged in: it is dropped and listed as a problem for the staff; a missing
score from the owner is listed too.

>>> from formgen.campaign.model import Rubric
>>> rb = Rubric(total=30, items=[{"name": "重点工作（省委办公厅）", "max": 30, "source": "省委办公厅"}])
>>> js = [JudgeScore("省委办公厅", "a", "k", {"重点工作（省委办公厅）": 28}),
...       JudgeScore("省财政厅", "a", "k", {"重点工作（省委办公厅）": 20})]
>>> kept, problems = owned_only(rb, js)
>>> [j.judge for j in kept if j.scores], problems
(['省委办公厅'], ['“重点工作（省委办公厅）”由省委办公厅提供分值，省财政厅提供的20分未计入，请核实'])
"""
from __future__ import annotations

from formgen.campaign.model import Rubric
from formgen.records import JudgeScore
from formgen.scoring.rules import num

STRAY = "未计入，请核实"  # how a stray score's problem ends (it does not hold the nominee back)


def owned_only(rubric: Rubric, judge_scores: list[JudgeScore]) -> tuple[list[JudgeScore], list[str]]:
    """(the scores kept, problems): a stray score is dropped; a missing owner's score is listed
    (as “尚未收到…”, which holds the nominee back until it arrives)."""
    owner = {i.name: i.source for i in rubric.items if i.source}
    if not owner:
        return judge_scores, []
    kept, problems = [], []
    for js in judge_scores:
        scores, obs = dict(js.scores), dict(js.observations)
        for item, source in owner.items():
            if js.judge == source:
                continue
            for store in (scores, obs):
                value = store.pop(item, None)
                if value is not None:
                    shown = num(value) + "分" if isinstance(value, (int, float)) else str(value)
                    problems.append(f"“{item}”由{source}提供分值，{js.judge}提供的{shown}{STRAY}")
        kept.append(JudgeScore(js.judge, js.award_id, js.nominee_key, scores, js.group, obs))
    for item, source in owner.items():
        if not any(js.judge == source and (js.scores.get(item) is not None or js.observations.get(item) is not None)
                   for js in judge_scores):
            problems.append(f"尚未收到{source}提供的“{item}”分值")
    return kept, problems

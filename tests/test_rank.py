"""Ranking without ties, quota selection, eligibility, stroke order."""
from __future__ import annotations

import random
from datetime import datetime

import pytest

from formgen.campaign.model import Award, Eligibility, Quota
from formgen.campaign.presets import preset_campaign
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rank import eligibility, rank_and_select
from formgen.scoring.run import score_award
from formgen.strokes import sort_by_strokes, stroke_key


@pytest.fixture()
def person() -> Award:
    return preset_campaign("ruian-2014").award("person")


def _nominee(name, unit=None, category="镇街", at=None, **facts) -> Nominee:
    unit = unit or f"{name}单位"
    return Nominee("person", f"{unit}:person", unit, name, category, submitted_at=at,
                   fields={"name": name}, facts=facts)


def _judged(award, nominee, *rows) -> list[JudgeScore]:
    """One JudgeScore per row of five item scores."""
    items = [i.name for i in award.rubric.items]
    return [JudgeScore(f"评委{j}", award.id, nominee.key, dict(zip(items, row))) for j, row in enumerate(rows)]


def test_stroke_order():
    # 丁(2: 一亅) 刁(2: 𠃌一) 王(4) 李(7 1234521) 张(7 5153154) 陈(7 5215234) 赵(9)
    assert sort_by_strokes(["赵六", "陈七", "张三", "李四", "王五", "刁二", "丁一"]) == \
           ["丁一", "刁二", "王五", "李四", "张三", "陈七", "赵六"]
    assert stroke_key("王") < stroke_key("王五")  # a prefix first
    assert stroke_key("王五") < stroke_key("Wang")  # unknown characters after known ones
    assert stroke_key("王 五") == stroke_key("王五")


def test_equal_nominees_never_share_a_rank(person):
    names = ["赵六", "陈七", "张三", "李四", "王五", "刁二", "丁一", "张三"]
    nominees = [_nominee(n, unit=f"单位{i}") for i, n in enumerate(names)]
    scores = [js for n in nominees for js in _judged(person, n, [18, 18, 18, 18, 18])]
    orders = set()
    for seed in range(5):
        random.Random(seed).shuffle(nominees)
        ranked = score_award(person, nominees, scores)
        assert [r.rank for r in ranked] == list(range(1, 9))
        orders.add(tuple(r.nominee.key for r in ranked))
    assert len(orders) == 1  # the same order whatever the input order
    ranked = score_award(person, nominees, scores)
    assert [r.nominee.name for r in ranked] == ["丁一", "刁二", "王五", "李四", "张三", "张三", "陈七", "赵六"]
    assert ranked[0].tie_notes == ["与刁二总分相同，按名称笔画排序，列其前"]
    assert ranked[1].tie_notes == ["与丁一总分相同，按名称笔画排序，列其后", "与王五总分相同，按名称笔画排序，列其前"]
    # the two 张三 are told apart by their units in the notes
    assert "与单位2张三总分相同" in ranked[5].tie_notes[0]


def test_tie_break_chain_in_order(person):
    # same rounded total; judges' mean differs only beyond 2 decimals → judge_total decides
    a, b = _nominee("甲"), _nominee("乙")
    scores = _judged(person, a, [18, 18, 18, 18, 18], [18, 18, 18, 18, 18], [18, 18, 18, 18, 17.97]) \
        + _judged(person, b, [18, 18, 18, 18, 18], [18, 18, 18, 18, 18], [18, 18, 18, 18, 17.98])
    ranked = score_award(person, [a, b], scores)
    assert ranked[0].total == ranked[1].total == 89.99
    assert ranked[0].nominee.name == "乙"
    assert ranked[0].tie_notes == ["与甲总分相同，按评委平均分（不含自评代分）排序，列其前"]
    # same totals and judges' means: item by item in rubric order
    c, d = _nominee("丙"), _nominee("丁")
    scores = _judged(person, c, [19, 17, 18, 18, 18]) + _judged(person, d, [18, 18, 18, 18, 18])
    ranked = score_award(person, [d, c], scores)
    assert [r.nominee.name for r in ranked] == ["丙", "丁"]
    assert "按评分表项目顺序逐项比较（“政治坚定”项分出先后）" in ranked[1].tie_notes[0]
    # same item scores: the form that arrived first
    e = _nominee("王", at=datetime(2014, 10, 9, 15, 0))
    f = _nominee("丁", at=datetime(2014, 10, 8, 9, 30))
    scores = _judged(person, e, [18] * 5) + _judged(person, f, [18] * 5)
    ranked = score_award(person, [e, f], scores)
    assert [r.nominee.name for r in ranked] == ["丁", "王"]
    assert ranked[1].tie_notes == ["与丁总分相同，按推荐表送达时间先后排序，列其后"]


def test_custom_chain_always_ends_in_stroke_order(person):
    award = person.model_copy(update={"tie_break": ["total", "self_assessment"]})
    a = _nominee("赵")
    a.self_scores = {"政治坚定": 20}
    b = _nominee("丁")
    b.self_scores = {"政治坚定": 19}
    ranked = score_award(award, [b, a], _judged(award, a, [18] * 5) + _judged(award, b, [18] * 5))
    assert [r.nominee.name for r in ranked] == ["赵", "丁"]
    assert "按自评总分排序" in ranked[0].tie_notes[0]


def test_quota_total_category_and_recommend_up(person):
    award = person.model_copy(update={"quota": Quota(total=3, per_category={"镇街": 2, "市级部门": 1},
                                                      recommend_up=2)})
    people = [("甲", "镇街", 95), ("乙", "镇街", 94), ("丙", "镇街", 93), ("丁", "市级部门", 92),
              ("戊", "市级部门", 91)]
    nominees, scores = [], []
    for name, cat, total in people:
        n = _nominee(name, category=cat)
        nominees.append(n)
        scores += _judged(award, n, [20, 20, 20, 20, total - 80])
    ranked = score_award(award, nominees, scores)
    by = {r.nominee.name: r for r in ranked}
    assert [n for n, r in by.items() if r.selected] == ["甲", "乙", "丁"]
    assert by["丙"].status == "“镇街”类名额（2名）已满" and by["丙"].rank == 3
    assert by["戊"].status == "超出名额（共3名）"
    assert [n for n, r in by.items() if r.recommended] == ["甲", "乙"]


def test_eligibility_reasons(person):
    # seed 003 最美政务人: ≥1 year of service, window assessment monthly average ≥ 90
    award = person.model_copy(update={"eligibility": Eligibility(
        min_service_years=1, min_monthly_average=90, no_discipline=True, required_forms=["candidate_application"])})
    ok = _nominee("甲", service_years=3, monthly_average=92.5)
    assert eligibility(ok, award) == []
    short = _nominee("乙", service_years=0.5, monthly_average=89)
    assert eligibility(short, award) == ["连续工作年限0.5年，不满1年", "窗口标准化考核月平均分89分，未达到90分"]
    unknown = _nominee("丙", discipline="2014年受效能告诫")
    reasons = eligibility(unknown, award)
    assert reasons[0].startswith("未提供工作年限") and reasons[2] == "本年度受到效能或党政纪处理（2014年受效能告诫）"
    no_form = _nominee("丁", service_years=2, monthly_average=95)
    no_form.fields = {}
    assert eligibility(no_form, award) == ["未收到《“勤廉标兵”候选人申报表》"]
    listed = _nominee("戊", service_years=2, monthly_average=95, forms=["candidate_score_sheet"])
    assert eligibility(listed, award) == ["未收到《“勤廉标兵”候选人申报表》"]


def test_ineligible_and_unscored_are_listed_unranked(person):
    good, barred, empty = _nominee("甲"), _nominee("乙", discipline=True), _nominee("丙")
    scores = _judged(person, good, [15] * 5) + _judged(person, barred, [20] * 5)
    ranked = score_award(person, [barred, empty, good], scores)
    assert [(r.nominee.name, r.rank, r.status) for r in ranked] == \
           [("甲", 1, "入选"), ("丙", None, "尚无评分"), ("乙", None, "不符合条件")]
    assert ranked[2].ineligible == ["本年度受到效能或党政纪处理"] and not ranked[2].selected


def test_rank_and_select_on_scores_directly(person):
    from formgen.scoring.aggregate import score_nominee

    nominees = [_nominee(n) for n in ("甲", "乙")]
    scores = [score_nominee(person.rubric, n, _judged(person, n, [10 + i] * 5)) for i, n in enumerate(nominees)]
    ranked = rank_and_select(person, scores)
    assert [r.nominee.name for r in ranked] == ["乙", "甲"] and all(r.selected for r in ranked)

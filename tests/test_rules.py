"""Every rubric rule type, with the numbers of the seeds (000 Rui'an, 001 Anhui, 002 district,
003 Kunshan, 004 town), and the aggregation of judges into one score."""
from __future__ import annotations

import pytest

from formgen.campaign.model import (Aggregation, BonusTiers, CaseBonus, CaseDeduction, CountedBonus, FixedDeduction,
                                    HonorLevels, Judged, Proportional, RatingLevels, Rubric, RubricItem,
                                    ThresholdPenalty, Tier)
from formgen.campaign.presets import preset_campaign
from formgen.scoring.aggregate import Mark, aggregate_item, round_half_up, score_nominee, trimmed_mean
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rules import (ScoringError, bonus_tiers, case_bonus, case_deduction, counted_bonus,
                                   fixed_deduction, honor_levels, judged, proportional, rating_levels, score_item,
                                   score_proportional, threshold_penalty)


@pytest.fixture(scope="module")
def post_items():
    return {i.name: i for i in preset_campaign("ruian-2014").award("post").rubric.items}


# ---------------------------------------------------------------------------
# seed 000: the Rui'an 评分表 (per-rule caps, 扣完为止 per item)
# ---------------------------------------------------------------------------


def test_case_deduction_reason_and_cap(post_items):
    rule = post_items["工作作风"].rules[0]  # 没有亮证上岗的，每例扣0.5分，扣完为止（共2分）
    r = case_deduction(rule, 3)
    assert r.points == -1.5
    assert r.reason == "没有亮证上岗 3 例，每例扣0.5分，共扣1.5分（上限2分）"
    r = case_deduction(rule, 5)
    assert r.points == -2 and r.reason.endswith("共扣2分（已达上限2分）")
    assert case_deduction(rule, 0).points == 0 and case_deduction(rule, 0).reason == ""
    with pytest.raises(ScoringError, match="整数"):
        case_deduction(rule, 1.5)


def test_item_of_per_rule_caps(post_items):
    item = post_items["工作作风"]  # 15 = 2 + 5 + 5 + 3
    r = score_item(item, {"没有亮证上岗（每例）": 3, "办理业务出现差错（每例）": 7})
    assert r.score == 15 - 1.5 - 5
    assert len(r.reasons) == 2 and "已达上限5分" in r.reasons[1]
    worst = score_item(item, {rule.label: 99 for rule in item.rules})
    assert worst.score == 0 and worst.deducted == 15


def test_fixed_deductions(post_items):
    item = post_items["组织宣传"]  # 专人2 部署2 台帐2 上报4
    r = score_item(item, {"没有确定专人负责": True, "没有及时上报": "是", "没有活动台帐": "否"})
    assert r.score == 4
    assert r.reasons == ["没有确定专人负责，扣2分", "没有及时上报，扣4分"]
    assert fixed_deduction(item.rules[1], False).points == 0
    with pytest.raises(ScoringError, match="是/否"):
        fixed_deduction(item.rules[0], "也许")


def test_cases_with_own_cap_and_fixed_in_one_item(post_items):
    item = post_items["硬件设施"]  # 每项扣2分（共8分）+ 2 + 2 + 3
    r = score_item(item, {item.rules[0].label: 2, "没有实行网上审批": True})
    assert r.score == 15 - 4 - 3
    r = score_item(item, {item.rules[0].label: 9})
    assert r.score == 7  # capped at 8 for that rule
    item = post_items["服务质量"]  # 受到效能或党纪处理 每例扣5分（共10分）
    assert score_item(item, {"受到效能或党纪处理（每例）": 3}).score == 10


def test_judge_gives_the_item_score_directly(post_items):
    assert score_item(post_items["依法行政"], 23.5).score == 23.5
    with pytest.raises(ScoringError, match="0 至 25"):
        score_item(post_items["依法行政"], 26)
    person = preset_campaign("ruian-2014").award("person").rubric.items[0]
    assert score_item(person, None).score is None
    assert score_item(person, {"judged#1": 18}).score == 18
    assert judged(Judged(), "１８．５", 20).points == 18.5


# ---------------------------------------------------------------------------
# seed 002: 扣完所属项目分值为止 per section, +2 per community problem, thresholds
# ---------------------------------------------------------------------------


def _section_one() -> RubricItem:
    # （一）加强组织领导、强化舆论宣传（10分）: items 1–3 deduct from the section's 10 points
    return RubricItem(name="加强组织领导、强化舆论宣传", max=10, rules=[
        FixedDeduction(label="未成立领导小组", points=2), FixedDeduction(label="未及时调整", points=1),
        FixedDeduction(label="无实施方案", points=2), FixedDeduction(label="实施方案不切合实际", points=1),
        FixedDeduction(label="未按要求开展思想教育活动", points=1),
        FixedDeduction(label="有条件开展舆论宣传而未开展", points=1),
        FixedDeduction(label="未开展学习型党组织创建活动", points=3)])


def test_seed002_section_floor():
    section = _section_one()
    everything = {r.label: True for r in section.rules}  # 2+1+2+1+1+1+3 = 11 > 10
    r = score_item(section, everything)
    assert r.score == 0 and r.deducted == 11
    assert any("扣完为止" in n for n in r.notes)
    assert score_item(section, {"无实施方案": True, "未开展学习型党组织创建活动": True}).score == 5
    # （三）… 50分: 审批件未在规定时限内办结的，每件次扣5分 — 11 件 would be 55
    efficiency = RubricItem(name="转变机关作风、提高办事效率", max=50, rules=[
        CaseDeduction(label="审批件未在承诺时限内办结（每件）", points=5)])
    r = score_item(efficiency, {"审批件未在承诺时限内办结（每件）": 11})
    assert r.score == 0
    assert r.reasons[0].startswith("审批件未在承诺时限内办结 11 件，每件扣5分，共扣55分")


def test_seed002_graded_cases_and_community_bonus():
    section = RubricItem(name="落实内部管理、规范行政行为", max=30, rules=[
        CaseBonus(label="为社区解决实际问题（每个）", points=2),
        CaseDeduction(label="迟到、早退、中途离岗等（每起）", points=2),
        CaseDeduction(label="班子成员受立案查处或处分（每起）", points=3),
        CaseDeduction(label="中层干部受立案查处或处分（每起）", points=2),
        CaseDeduction(label="一般人员受立案查处或处分（每起）", points=1)])
    r = score_item(section, {"迟到、早退、中途离岗等（每起）": 3, "中层干部受立案查处或处分（每起）": 1,
                             "一般人员受立案查处或处分（每起）": 2, "为社区解决实际问题（每个）": 2})
    assert r.score == 30 - 6 - 2 - 2 + 4
    assert "为社区解决实际问题 2 个，每个加2分，共加4分" in r.reasons
    # the bonus restores deducted points but never lifts the section over its 30
    r = score_item(section, {"为社区解决实际问题（每个）": 3})
    assert r.score == 30 and any("按30分计" in n for n in r.notes)
    assert case_bonus(section.rules[0], 3).points == 6


def test_seed002_exposure_by_level():
    # 被新闻媒体曝光的，每件扣2-5分（本市级扣2分、省级扣4分、国家级扣5分）
    item = RubricItem(name="廉洁自律", max=50, rules=[
        CaseDeduction(label="本市级媒体曝光（每件）", points=2), CaseDeduction(label="省级媒体曝光（每件）", points=4),
        CaseDeduction(label="国家级媒体曝光（每件）", points=5)])
    r = score_item(item, {"本市级媒体曝光（每件）": 1, "国家级媒体曝光（每件）": 1})
    assert r.score == 43


def test_seed002_satisfaction_threshold():
    # 民意调查满意、基本满意低于90%的，每低10个百分点，扣2分
    rule = ThresholdPenalty(label="民意调查满意率", threshold=90, step=10, points=2)
    assert threshold_penalty(rule, 95).points == 0
    assert threshold_penalty(rule, 90).points == 0
    r = threshold_penalty(rule, 75)  # 15 points below: two steps begun
    assert r.points == -4 and "不足10个百分点按10个百分点计" in r.reason
    assert threshold_penalty(rule, "70%").points == -4
    floor = rule.model_copy(update={"partial": "floor"})
    assert threshold_penalty(floor, 75).points == -2
    assert threshold_penalty(floor, 85).points == 0
    prorate = rule.model_copy(update={"partial": "prorate"})
    assert threshold_penalty(prorate, 75).points == -3


def test_seed002_year_adjustments():
    # 随机暗访 酌情扣2-5分; 最不满意科室 −5; 优质服务标兵 +2; 缺席 −1/次, 迟到早退 −0.5/次
    spot = RubricItem(name="随机暗访", max=5, kind="deduction")
    assert score_item(spot, 3).score == -3
    with pytest.raises(ScoringError):
        score_item(spot, 6)
    meetings = RubricItem(name="会议纪律", max=20, kind="deduction", rules=[
        CaseDeduction(label="被通报缺席（每次）", points=1), CaseDeduction(label="迟到早退（每次）", points=0.5)])
    r = score_item(meetings, {"被通报缺席（每次）": 2, "迟到早退（每次）": 3})
    assert r.score == -3.5
    assert r.reasons[1] == "迟到早退 3 次，每次扣0.5分，共扣1.5分"
    worst = RubricItem(name="最不满意科室", max=5, kind="deduction",
                       rules=[FixedDeduction(label="被评为最不满意科室", points=5)])
    assert score_item(worst, {"被评为最不满意科室": True}).score == -5
    star = RubricItem(name="优质服务标兵", max=2, kind="bonus", rules=[CaseBonus(label="被评为优质服务标兵", points=2)])
    assert score_item(star, {"被评为优质服务标兵": 1}).score == 2


# ---------------------------------------------------------------------------
# seed 003: Kunshan windows and halls
# ---------------------------------------------------------------------------

SATISFACTION = RatingLevels(label="服务对象评议", levels={"很满意": 20, "满意": 18, "比较满意": 15, "一般": 10, "不满意": 0})


def test_seed003_rating_levels_window():
    item = RubricItem(name="服务对象评议", max=20, rules=[SATISFACTION])
    assert score_item(item, {"服务对象评议": {"很满意": 8, "满意": 2}}).score == pytest.approx(19.6)
    assert score_item(item, {"服务对象评议": ["满意", "一般"]}).score == 14
    assert rating_levels(SATISFACTION, "不满意", 20).points == 0
    with pytest.raises(ScoringError, match="不在规则中"):
        rating_levels(SATISFACTION, "非常满意", 20)
    assert score_item(item, {}).score is None  # no ratings yet: not assessed


def test_seed003_case_deductions_window():
    safety = RubricItem(name="环境安全", max=20, rules=[CaseDeduction(label="安全责任事故（每起）", points=10)])
    assert score_item(safety, {"安全责任事故（每起）": 3}).score == 0
    staff = RubricItem(name="人员管理", max=20, rules=[CaseDeduction(label="违反选派管理规定（每人次）", points=4)])
    assert score_item(staff, {"违反选派管理规定（每人次）": 2}).score == 12


def test_seed003_volume_tiers():
    rule = BonusTiers(label="办件量", tiers=[Tier(min=1500, max=4999, points=0.3), Tier(min=5000, max=9999, points=0.5),
                                          Tier(min=10000, points=1)])
    assert [bonus_tiers(rule, q).points for q in (1499, 1500, 4999, 5000, 9999, 10000, 25000)] == \
           [0, 0.3, 0.3, 0.5, 0.5, 1, 1]
    assert bonus_tiers(rule, 6000).reason == "办件量 6000，属 5000–9999 档，加0.5分"


HONOURS = HonorLevels(label="荣誉加分", levels={"县级": 1, "市级": 3, "省级": 5}, order=["县级", "市级", "省级"], cap=5,
                      lower_for_categories=["条线部门"])


def test_seed003_honours():
    assert honor_levels(HONOURS, ["县级"]).points == 1
    # the same achievement honoured at two levels counts once, at the highest
    same = honor_levels(HONOURS, [{"name": "文明窗口", "level": "市级"}, {"name": "文明窗口", "level": "省级"}])
    assert same.points == 5 and "同一事项按最高级别计" in same.reason
    # a line department's honour counts one level lower; below 县级 nothing
    assert honor_levels(HONOURS, [{"name": "青年文明号", "level": "省级", "category": "条线部门"}]).points == 3
    assert honor_levels(HONOURS, [{"name": "巾帼岗", "level": "县级", "category": "条线部门"}]).points == 0
    capped = honor_levels(HONOURS, {"市级": 3})  # 9, 最高5分
    assert capped.points == 5 and "已达上限5分" in capped.reason
    with pytest.raises(ScoringError, match="国家级"):
        honor_levels(HONOURS, ["国家级"])


def test_seed003_information_and_leadership():
    # 录用每篇0.5、报送未录用每篇0.1，每季最高0.5；上级层面录用每篇1–2分；信息加分最高2.5
    info = CountedBonus(label="信息加分", points={"录用": 0.5, "报送": 0.1, "市级录用": 1, "省级录用": 2},
                        period_cap=0.5, period_kinds=["录用", "报送"], cap=2.5)
    r = counted_bonus(info, {"第一季度": {"录用": 2, "报送": 3}, "第二季度": {"报送": 2}})
    assert r.points == pytest.approx(0.7)  # 0.5 (capped) + 0.2
    assert "第一季度按上限0.5分计" in r.reason and "0.30000000000000004" not in r.reason
    r = counted_bonus(info, {"第一季度": {"录用": 2}, "第二季度": {"报送": 2}, "第三季度": {"省级录用": 1}})
    assert r.points == 2.5  # 0.5 + 0.2 + 2 = 2.7 → 最高2.5
    assert counted_bonus(info, {"报送": 3}).points == pytest.approx(0.3)
    visits = CountedBonus(label="领导重视加分", points={"分管领导": 0.5, "主要领导": 1}, cap=1.5)
    assert counted_bonus(visits, {"分管领导": 1, "主要领导": 2}).points == 1.5
    with pytest.raises(ScoringError, match="没有“书记”"):
        counted_bonus(visits, {"书记": 1})


def test_seed003_bonus_item_adds_up_to_20():
    bonus = RubricItem(name="加分内容", max=20, rules=[
        BonusTiers(label="办件量", tiers=[Tier(min=1500, max=4999, points=0.3), Tier(min=5000, max=9999, points=0.5),
                                        Tier(min=10000, points=1)]),
        HONOURS, CountedBonus(label="领导重视加分", points={"分管领导": 0.5, "主要领导": 1}, cap=1.5),
        Judged(label="重点工作加分")])
    r = score_item(bonus, {"办件量": 12000, "荣誉加分": ["市级"], "领导重视加分": {"主要领导": 1}, "重点工作加分": 4})
    assert r.score == 1 + 3 + 1 + 4  # an additive item starts at 0
    assert score_item(bonus, {}).score == 0


def test_seed003_proportional_halls():
    # 行政许可事项入驻率最高的得5分，其他按比例计分
    got = score_proportional({"周市": 0.95, "张浦": 0.76, "千灯": None}, 5, True)
    assert got["周市"] == 5 and got["张浦"] == pytest.approx(4.0) and got["千灯"] is None
    lower = score_proportional({"甲": 2, "乙": 4}, 10, higher_is_better=False)
    assert lower == {"甲": 10, "乙": 5}
    assert proportional(Proportional(label="入驻率"), 0.76, 0.95, 5).reason.startswith("入驻率 0.76，最优 0.95")
    item = RubricItem(name="推进“一门”政务服务", max=5, rules=[Proportional(label="入驻率")])
    assert score_item(item, {"入驻率": {"value": 0.76, "best": 0.95}}).score == pytest.approx(4.0)


# ---------------------------------------------------------------------------
# seed 004: the composite 公开评议40 + 内部测评30 (50/50 groups) + 外部测评30 + 5 − 扣分
# ---------------------------------------------------------------------------

LEVELS_004 = {"满意": 90, "基本满意": 70, "不满意": 50}


def _town_rubric() -> Rubric:
    return Rubric(total=100, items=[
        RubricItem(name="公开评议", max=40, rules=[RatingLevels(label="随机评测", levels=LEVELS_004, scale=100)]),
        RubricItem(name="内部测评", max=30, rules=[RatingLevels(label="内部测评", levels=LEVELS_004, scale=100)],
                   aggregation=Aggregation(method="weighted_groups", groups=[
                       {"name": "班子成员", "weight": 0.5}, {"name": "内设机构负责人和干部职工", "weight": 0.5}])),
        RubricItem(name="外部测评", max=30, rules=[RatingLevels(label="外部测评", levels=LEVELS_004, scale=100)]),
        RubricItem(name="加分", max=5, kind="bonus", rules=[CaseBonus(label="受区委区政府表扬或经验推广", points=5, cap=5)]),
        RubricItem(name="扣分", max=30, kind="deduction"),
    ])


def test_seed004_rating_scaled_to_40():
    rule = RatingLevels(label="随机评测", levels=LEVELS_004, scale=100)
    r = rating_levels(rule, {"满意": 30, "基本满意": 8, "不满意": 2}, 40)
    assert r.points == pytest.approx(33.6)  # mean 84 → 84/100 × 40
    assert r.reason == "随机评测：满意30票、基本满意8票、不满意2票，平均84分，按40分制折算为33.6分"


def test_seed004_composite():
    rubric = _town_rubric()
    nominee = Nominee("department", "林业站", "元坝镇", "林业站")
    scores = [
        JudgeScore("测评办", "department", "林业站", {}, None,
                   {"公开评议": {"随机评测": {"满意": 30, "基本满意": 8, "不满意": 2}},
                    "外部测评": {"外部测评": {"满意": 10}},
                    "加分": {"受区委区政府表扬或经验推广": 1}}),
        JudgeScore("测评办扣分", "department", "林业站", {"扣分": 2}),
    ]
    # internal raters: leaders 满意/满意/基本满意 → 27/27/21, mean 25; staff 满意/不满意 → 27/15, mean 21
    for i, level in enumerate(["满意", "满意", "基本满意"]):
        scores.append(JudgeScore(f"班子{i}", "department", "林业站", {}, "班子成员", {"内部测评": {"内部测评": level}}))
    for i, level in enumerate(["满意", "不满意"]):
        scores.append(JudgeScore(f"干部{i}", "department", "林业站", {}, "内设机构负责人和干部职工",
                                 {"内部测评": {"内部测评": level}}))
    s = score_nominee(rubric, nominee, scores)
    assert s.items["公开评议"].score == 33.6
    assert s.items["内部测评"].score == 23.0 and s.items["内部测评"].method == "分组加权"
    assert s.items["外部测评"].score == 27
    assert s.items["加分"].score == 5 and s.items["扣分"].score == -2
    assert s.total == 86.6


def test_seed004_missing_group_rescales():
    item = _town_rubric().items[1]
    res = score_item(item, {"内部测评": "基本满意"})
    got = aggregate_item(item, [Mark("班子0", "班子成员", res)], item.aggregation)
    assert got.score == 21 and "“内设机构负责人和干部职工”组尚无评分" in got.notes[0]


# ---------------------------------------------------------------------------
# seed 001: base 1000, sub-scores from named departments, 视情扣1-5分
# ---------------------------------------------------------------------------


def test_seed001_base_and_departments():
    rubric = Rubric(total=1000, base=1000, items=[
        RubricItem(name="重点工作任务（省委办公厅）", max=30, source="省委办公厅"),
        RubricItem(name="重点工作任务（省政府办公厅）", max=30, source="省政府办公厅"),
        RubricItem(name="履行核心职能其他", max=240),
        RubricItem(name="规范权力运行", max=200),
        RubricItem(name="服务对象测评", max=400),
        RubricItem(name="效能建设工作", max=100),
        RubricItem(name="违反保密规定", max=5, kind="deduction", source="省委办公厅"),
    ])
    n = Nominee("unit", "省教育厅", "省教育厅", "省教育厅", category="行政管理部门")
    scores = [JudgeScore("省委办公厅", "unit", "省教育厅", {"重点工作任务（省委办公厅）": 28, "违反保密规定": 3}),
              JudgeScore("省政府办公厅", "unit", "省教育厅", {"重点工作任务（省政府办公厅）": 29}),
              JudgeScore("考核组", "unit", "省教育厅",
                         {"履行核心职能其他": 230, "规范权力运行": 190, "服务对象测评": 360.5, "效能建设工作": 95})]
    s = score_nominee(rubric, n, scores)
    assert s.total == 28 + 29 + 230 + 190 + 360.5 + 95 - 3
    # a base of 100 with only add/deduct items
    plain = Rubric(total=100, base=100, items=[RubricItem(name="扣分", max=100, kind="deduction")])
    assert score_nominee(plain, n, [JudgeScore("x", "unit", "省教育厅", {"扣分": 7.5})]).total == 92.5


# ---------------------------------------------------------------------------
# aggregation
# ---------------------------------------------------------------------------


def test_round_half_up_not_bankers():
    assert round_half_up(2.675, 2) == 2.68  # float round() gives 2.67
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(92.5, 0) == 93


def test_trimmed_mean_and_too_few_judges():
    assert trimmed_mean([90, 85, 88, 70, 99], 1) == (pytest.approx(263 / 3), None)
    value, note = trimmed_mean([90, 80], 1)
    assert value == 85 and "不足3人" in note
    item = RubricItem(name="政治坚定", max=20)
    marks = [Mark(j, None, score_item(item, v)) for j, v in zip("ABCDE", [18, 17, 19, 12, 20])]
    got = aggregate_item(item, marks, Aggregation(method="trimmed_mean", trim=1))
    assert got.score == 18 and got.per_judge["D"] == 12


def test_self_assessment_stands_in_only_when_the_campaign_asks(post_items):
    # Seed 000: the 综合评定小组 scores every item; a self-score never replaces it (issue 18.6).
    rubric = preset_campaign("ruian-2014").award("post").rubric
    assert rubric.aggregation.self_assessment_fallback is False
    n = Nominee("post", "东山街道:post", "东山街道", "便民服务窗口",
                self_scores={"组织宣传": 9, "硬件设施": 14, "管理制度": 15, "工作作风": 13, "依法行政": 24, "服务质量": 19})
    one = [JudgeScore("张三", "post", "东山街道:post", {"组织宣传": 8, "硬件设施": 13})]
    s = score_nominee(rubric, n, one)
    assert s.items["组织宣传"].score == 8 and not s.items["组织宣传"].from_self
    assert s.items["管理制度"].score is None and s.flags[0].startswith("缺少评分：管理制度")
    on = rubric.model_copy(update={"aggregation": Aggregation(self_assessment_fallback=True)})
    s = score_nominee(on, n, one)
    assert s.items["管理制度"].from_self and s.items["管理制度"].score == 15
    assert s.total == 8 + 13 + 15 + 13 + 24 + 19
    assert s.judge_total == 21  # stand-ins excluded
    assert s.flags[0] == "自评代分：管理制度、工作作风、依法行政、服务质量"


def test_mean_is_rounded_per_item_and_total_from_unrounded(post_items):
    rubric = preset_campaign("ruian-2014").award("person").rubric
    n = Nominee("person", "k", "东山街道", "张伟")
    judges = [JudgeScore(j, "person", "k", {i.name: v for i in rubric.items}) for j, v in
              (("甲", 18), ("乙", 18), ("丙", 17))]
    s = score_nominee(rubric, n, judges)
    assert s.items["政治坚定"].score == 17.67  # 17.666… half-up
    assert s.total == 88.33  # 5 × 17.666… = 88.333…, not 5 × 17.67

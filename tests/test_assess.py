"""Scoring by periods (seeds 002 district-quarterly, 004 town-internal): expected values by hand from the seed text."""
from __future__ import annotations

import datetime as dt

import pytest

from formgen.campaign.model import RangeDeduction, RatingLevels, Unit
from formgen.campaign.presets import preset_campaign
from formgen.records import EventRow, TallyRow
from formgen.scoring.assess import score_subject, score_year
from formgen.scoring.assess_run import compute
from formgen.scoring.periods import Period
from formgen.scoring.rules import ScoringError, range_deduction, rating_levels

D = preset_campaign("district-quarterly")
T = preset_campaign("town-internal")
UNIT = Unit(name="区住房和城乡建设局", category="区级机关")
OTHER = Unit(name="区教育局", category="区级机关")
DISCIPLINE = ("落实内部管理、规范行政行为", "迟到早退、离岗、上班打牌上网炒股、午间饮酒（每起）")
SATISFACTION = ("民意调查", "满意率（满意+基本满意，%）")
ABSENCE = ("会议纪律", "被通报缺席会议（每次）")


def ev(item_rule, value, day, unit=UNIT.name, who="", period=None):
    item, rule = item_rule
    date = dt.date.fromisoformat(day)
    return EventRow(period or Period.of(date, "quarter").key, unit, item, rule, value, date, recorded_by=who,
                    source=f"台账.xlsx 工作表“台账” 第{date.day}行")


def seed_quarter():
    # 说明3: monthly patrols count into the quarter; two patrol groups find one case each (发现一起扣2分)
    return [ev(DISCIPLINE, 1, "2024-07-12", who="巡查一组"), ev(DISCIPLINE, 1, "2024-08-09", who="巡查二组"),
            ev(SATISFACTION, 75, "2024-09-20"), ev(ABSENCE, 1, "2024-09-03")]


def test_district_two_patrols_satisfaction_and_absence_make_91():
    # 100 − (2 + 2) patrols − 4 (75%: 15 points under 90, every started 10 points: 2 × 2) − 1 absence = 91
    s = score_subject(D, UNIT, Period.parse("2024Q3"), seed_quarter(), [])
    assert s.total == 91
    assert s.items[DISCIPLINE[0]].score == 26  # added up, never averaged (28 was the bug)
    assert s.items["民意调查"].score == -4 and s.items["会议纪律"].score == -1
    line = s.items[DISCIPLINE[0]].lines[0]
    assert line.input == "1+1=2 起" and line.points == -4
    assert [src.split("（")[1].split("，")[0] for src in line.sources] == ["巡查一组", "巡查二组"]
    assert "每起扣2分，共扣4分" in line.reason


@pytest.mark.parametrize("partial, total", [("ceil", 91), ("floor", 93), ("prorate", 92)])
def test_satisfaction_shortfall_is_a_setting(partial, total):
    # 75%: 15 points under → ceil 2 steps (−4), floor 1 step (−2), prorate 1.5 steps (−3)
    c = D.model_copy(deep=True)
    c.awards[0].rubric.items[-2].rules[0].partial = partial
    assert score_subject(c, UNIT, Period.parse("2024Q3"), seed_quarter(), []).total == total


def test_section_never_goes_below_zero_and_bonus_adds_beyond_deductions():
    # 16 cases × 2 = 32 > 30: the section stops at 0 (扣完为止); 3 problems solved for a community: +6
    events = [ev(DISCIPLINE, 16, "2024-08-01"), ev(("机关进社区活动", "为社区解决问题（每个）"), 3, "2024-08-02")]
    s = score_subject(D, UNIT, Period.parse("2024Q3"), events, [])
    assert s.items[DISCIPLINE[0]].score == 0
    assert s.items["机关进社区活动"].score == 6
    assert s.total == 100 - 30 + 6


def test_year_is_the_mean_of_assessed_quarters_plus_adjustments():
    events = seed_quarter() + [ev(("注重形象建设、塑造良好风貌", "物品摆放不整齐或卫生区域脏乱差（每次）"), 1, "2024-02-10",
                                  unit=OTHER.name),
                               EventRow("2024", UNIT.name, "", "被评为最不满意科室", 1, dt.date(2024, 12, 18))]
    y = score_year(D, UNIT, Period.parse("2024"), events, [])
    # Q1 100 (nothing found for this unit; Q1 was assessed), Q3 91; Q2, Q4 not assessed → (100 + 91) / 2 − 5
    assert y.parts == {"2024Q1": 100, "2024Q3": 91}
    assert y.total == 90.5
    assert [a.points for a in y.adjustments] == [-5]
    assert any("第二季度、第四季度尚无考核记录" in n for n in y.notes)


def test_range_deduction_each_finding_within_its_range():
    rule = RangeDeduction(label="随机暗访发现问题", min=2, max=5)
    r = range_deduction(rule, [3, 2])
    assert r.points == -5 and "分别扣3、2分" in r.reason
    with pytest.raises(ScoringError, match="2–5"):
        range_deduction(rule, 6)


def test_town_30_8_2_votes_on_90_70_50_make_33_6_of_40():
    # (30×90 + 8×70 + 2×50) / 40 = 84; 84 / 100 × 40 = 33.6
    levels = {"满意": 90, "基本满意": 70, "不满意": 50}
    assert rating_levels(RatingLevels(levels=levels), {"满意": 30, "基本满意": 8, "不满意": 2}, 40).points == \
        pytest.approx(33.6)  # the default scale is 100 (37.33 was the bug)
    rows = [TallyRow("public", "村建所", "服务对象", lvl, n, "survey", "问卷.csv")
            for lvl, n in (("满意", 30), ("基本满意", 8), ("不满意", 2))]
    s = score_subject(T, Unit(name="村建所"), Period.parse("2018"), [], rows)
    assert s.items["公开评议"].score == 33.6


def test_town_internal_rating_weighs_groups_half_and_half():
    # 班子成员 5满意 3基本满意: 82.5 → 24.75 of 30; 负责人和干部职工 20满意: 90 → 27; (24.75 + 27) / 2 = 25.875
    rows = [TallyRow("internal", "村建所", "班子成员", "满意", 5, "tally_sheet", "计票表"),
            TallyRow("internal", "村建所", "班子成员", "基本满意", 3, "tally_sheet", "计票表"),
            TallyRow("internal", "村建所", "内设机构负责人和干部职工", "满意", 20, "tally_sheet", "计票表")]
    s = score_subject(T, Unit(name="村建所"), Period.parse("2018"), [], rows)
    assert s.items["内部测评"].raw == pytest.approx(25.875)
    assert s.items["内部测评"].score == 25.88


def _town_field(tied: bool):
    units = [Unit(name=n) for n in ("党政办公室", "便民服务中心", "村建所")]
    votes = {"党政办公室": (9, 1, 0), "便民服务中心": (9, 1, 0) if tied else (8, 2, 0), "村建所": (5, 3, 2)}
    rows = [TallyRow(r, u, g, lvl, n, "tally_sheet", "计票表")
            for u, (a, b, c) in votes.items()
            for r, groups in (("public", ["测评人"]), ("external", ["测评人"]),
                              ("internal", ["班子成员", "内设机构负责人和干部职工"]))
            for g in groups for lvl, n in (("满意", a), ("基本满意", b), ("不满意", c))]
    return units, rows


def test_last_place_two_years_running_from_history():
    units, rows = _town_field(tied=False)
    history = {("2017", "last"): {"subject": "村建所"}}
    r = compute(T, units, Period.parse("2018"), [], rows, history=history)
    first, last = r.outcomes
    assert (first.place, first.subject) == ("first", "党政办公室")
    assert (last.place, last.subject) == ("last", "村建所")
    assert last.history == "2017年度亦为末位（连续两年末位）"
    assert last.consequences[-1] == "对内设机构主要负责人予以组织处理"
    again = compute(T, units, Period.parse("2018"), [], rows, history={("2017", "last"): {"subject": "党政办公室"}})
    assert again.outcomes[1].history is None and "组织处理" not in "".join(again.outcomes[1].consequences)


def test_a_tie_for_first_place_is_held_until_a_person_decides():
    units, rows = _town_field(tied=True)
    held = compute(T, units, Period.parse("2018"), [], rows)
    first = held.outcomes[0]
    assert first.subject is None and sorted(first.pending) == ["便民服务中心", "党政办公室"]
    decision = {"above": "党政办公室", "below": "便民服务中心", "decided_by": "镇长", "reason": "投诉为零",
                "decided_at": "2018-12-20T10:00:00"}
    decided = compute(T, units, Period.parse("2018"), [], rows, decisions=[decision])
    first = decided.outcomes[0]
    assert first.subject == "党政办公室" and "经镇长决定，理由：投诉为零" in first.tie
    assert [r.nominee.key for r in decided.ranked][:2] == ["党政办公室", "便民服务中心"]


def test_a_tie_for_first_place_decided_by_the_chain_is_listed():
    c = T.model_copy(deep=True)
    c.assessment.ties = "chain"
    units, rows = _town_field(tied=True)
    first = compute(c, units, Period.parse("2018"), [], rows).outcomes[0]
    assert first.subject and "按名称笔画排序" in first.tie


def test_periods_parse_and_contain():
    assert Period.parse("2024Q3").title == "2024年第三季度"
    assert Period.parse("2024-07").contains(dt.date(2024, 7, 31))
    assert [p.key for p in Period.parse("2024").parts("quarter")] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert Period.parse("2024年第三季度") == Period.parse("2024Q3")


def test_assessment_reference_documents_every_setting_with_an_example_that_loads():
    import re
    from pathlib import Path

    import yaml

    from formgen.campaign.periodic import Assessment

    doc = (Path(__file__).resolve().parents[1] / "docs" / "assessment-reference.md").read_text(encoding="utf-8")
    assert [k for k in Assessment.model_fields if f"`{k}`" not in doc] == []
    example = yaml.safe_load(re.search(r"```yaml\n(assessment:.*?)```", doc, re.S).group(1))["assessment"]
    assert Assessment.model_validate(example).periods.unit == "quarter"


def test_a_wrong_reference_names_its_key_path():
    from formgen.campaign.load import describe_validation_error
    from formgen.campaign.model import Campaign
    from pydantic import ValidationError

    data = T.model_dump(mode="json", exclude_none=True)
    data["assessment"]["ratings"][1]["item"] = "内部评测"
    with pytest.raises(ValidationError) as e:
        Campaign.model_validate(data)
    assert describe_validation_error("campaign.yaml", e.value).startswith(
        "campaign.yaml：assessment.ratings[1].item：评分项“内部评测”不存在（可选：公开评议、内部测评、外部测评、加分、扣分）")


def test_survey_export_xlsx_one_row_per_respondent(tmp_path):
    from openpyxl import Workbook

    from formgen.campaign.presets import preset_units
    from formgen.scoring.tally_book import read_tallies

    wb = Workbook()
    ws = wb.active
    ws.append(["提交时间", "您的身份", "村建所", "林业站"])
    ws.append(["2018-09-01", "班子成员", "满意", "基本满意"])
    ws.append(["2018-09-01", "内设机构负责人和干部职工", "不满意", "很满意"])
    ws.append(["2018-09-02", "路人", "满意", "满意"])
    path = tmp_path / "内部测评问卷.xlsx"
    wb.save(path)
    read = read_tallies(T, preset_units("town-internal"), path)
    rows = {(r.subject, r.group, r.level): r.count for rows in read.sources.values() for r in rows}
    assert rows == {("村建所", "班子成员", "满意"): 1, ("林业站", "班子成员", "基本满意"): 1,
                    ("村建所", "内设机构负责人和干部职工", "不满意"): 1}
    problems = [str(p) for p in read.problems]
    assert "内部测评问卷.xlsx 工作表“Sheet” D3 单元格：“林业站”的评价“很满意”应为满意、基本满意、不满意之一，未计入" in problems
    assert any("B4 单元格：测评人类别“路人”应为班子成员、内设机构负责人和干部职工之一" in p for p in problems)
    assert read.respondents == 2


def test_no_first_or_last_place_while_a_subject_is_not_rated():
    units, rows = _town_field(tied=False)
    rows = [r for r in rows if not (r.subject == "村建所" and r.rating == "external")]
    r = compute(T, units, Period.parse("2018"), [], rows)
    assert r.scores["村建所"].total is None and "未评定：外部测评" in r.scores["村建所"].notes[0]
    assert [(o.subject, o.tie) for o in r.outcomes] == [
        (None, "村建所尚未评定（见结果表备注），首位、末位待全部评定后确定")] * 2


def test_tallies_claiming_more_votes_than_raters_are_listed(tmp_path):
    """town-internal preset: ``- {name: 班子成员, weight: 0.5, count: 7}`` — 7 leaders rate each department."""
    from openpyxl import Workbook, load_workbook

    from formgen.campaign.presets import preset_units
    from formgen.scoring.tally_book import read_tallies, write_tally_sheet

    units = preset_units("town-internal")
    path = write_tally_sheet(T, units, tmp_path / "计票表.xlsx")
    wb = load_workbook(path)
    ws = next(w for w in wb.worksheets if any(c.value == "班子成员" for c in w["B"]))
    r = next(c.row for c in ws["B"] if c.value == "班子成员")
    ws.cell(r, 3).value, ws.cell(r, 4).value = 5, 3  # 8 votes from 7 leaders
    wb.save(path)
    read = read_tallies(T, units, path)
    subject = ws.cell(r, 1).value
    assert f"“{subject}”班子成员共8票，多于该类测评人数7人，该行未读入，请核对计票" in "\n".join(map(str, read.problems))
    assert not any(t.subject == subject and t.group == "班子成员" for rows in read.sources.values() for t in rows)

    wb = Workbook()
    ws = wb.active
    ws.append(["您的身份", "村建所"])
    for _ in range(8):
        ws.append(["班子成员", "满意"])
    survey = tmp_path / "内部测评问卷.xlsx"
    wb.save(survey)
    read = read_tallies(T, units, survey)
    assert any("班子成员有8份答卷，多于该类测评人数7人" in str(p) for p in read.problems), read.problems

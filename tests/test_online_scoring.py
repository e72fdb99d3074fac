"""Judges scoring on the desk (formgen.scoring.online), ties a person decides (formgen.scoring.ties),
and the result locked once published (formgen.scoring.stage.score with a reason)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.errors import FormgenError
from formgen.ledger.decisions import history
from formgen.ledger.judging import BROWSER, load_judge_scores
from formgen.ledger.results import result_versions
from formgen.scoring.online import (RECUSAL, issue_judge_link, judge_for_token, judge_progress, judge_view,
                                    override_recusal, save_online_scores)
from formgen.scoring.panel import parse_score
from formgen.workspace import Workspace

# Seed 000, 附件2 “勤廉标兵”评分表: 政治坚定 20分, 作风优良 20分, 爱岗敬业 20分, 廉洁自律 20分 (and 加分项目).
PERSON_SCORES = {"政治坚定": "18", "作风优良": "17.5", "爱岗敬业": "19", "廉洁自律": "16", "加分项目": "0"}
PERSON_TOTAL = 18 + 17.5 + 19 + 16 + 0  # one judge: the mean is that judge's score


def with_judges(ws: Workspace, judges: str, tie_break: str | None = None) -> Workspace:
    path = ws.root / "campaign.yaml"
    text = path.read_text(encoding="utf-8").replace("judges: []", f"judges: {judges}")
    if tie_break:
        text = text.replace("tie_break: [total, judge_total, items_in_order, earlier_submission, stroke_order]",
                            f"tie_break: {tie_break}")
    path.write_text(text, encoding="utf-8")
    return Workspace.open(ws.root)


@pytest.fixture
def judged(collected_copy) -> Workspace:
    return with_judges(collected_copy, "[{name: 张三, unit: 东山街道}, 李四]", "[total, decided, stroke_order]")


def _person(view, unit):
    return next(s for s in view.subjects if s.award.id == "person" and s.nominee.unit == unit)


def test_link_names_the_judge_and_a_new_link_revokes_the_old(judged):
    first = issue_judge_link(judged, "李四", who="王秘书")
    assert judge_for_token(judged, first).name == "李四"
    second = issue_judge_link(judged, "李四", who="王秘书")
    assert judge_for_token(judged, first) is None and judge_for_token(judged, second).name == "李四"
    assert judge_for_token(judged, "guessed") is None
    with pytest.raises(FormgenError, match="不在 campaign.yaml 的 judges 中"):
        issue_judge_link(judged, "王五")


def test_cells_are_checked_as_the_workbook_checks_them_and_land_in_the_same_table(judged):
    li = judge_for_token(judged, issue_judge_link(judged, "李四"))
    subject = _person(judge_view(judged, li), "玉海街道")
    raw = dict(PERSON_SCORES, 作风优良="25", 爱岗敬业="十九")
    problems = save_online_scores(judged, li, "person", subject.nominee.key, raw, note="事迹突出")
    name = subject.nominee.name
    # the workbook reader's own messages for the same cells
    assert problems == [f"{name}“作风优良”{parse_score('25', 0, 20)[1]}", f"{name}“爱岗敬业”{parse_score('十九', 0, 20)[1]}"]
    with judged.ledger() as ledger:
        mine = [s for s in load_judge_scores(ledger) if s.judge == "李四"]
        source = {r[0] for r in ledger.execute("SELECT workbook FROM judge_scores WHERE judge = '李四'")}
    assert len(mine) == 1 and source == {BROWSER}
    assert mine[0].scores == {"政治坚定": 18, "作风优良": None, "爱岗敬业": None, "廉洁自律": 16, "加分项目": 0}
    assert mine[0].observations["_note"] == "事迹突出"
    progress = {p.judge: p for p in judge_progress(judged)}
    assert progress["李四"].filled == 3 and progress["李四"].sources == [BROWSER]
    assert progress["张三"].filled == 0 and progress["张三"].recused == 2  # 东山街道's post and person


def test_a_judge_is_not_shown_own_units_candidates_until_a_clerk_overrides_it_with_a_reason(judged):
    zhang = judge_for_token(judged, issue_judge_link(judged, "张三"))
    view = judge_view(judged, zhang)
    assert view.recused == 2 and all(s.nominee.unit != "东山街道" for s in view.subjects)
    key = "东山街道:person"
    with pytest.raises(FormgenError, match="不在您的评分范围内"):
        save_online_scores(judged, zhang, "person", key, PERSON_SCORES)
    with pytest.raises(FormgenError, match="理由"):
        override_recusal(judged, "张三", key, " ")
    override_recusal(judged, "张三", key, "本单位仅一名评委，经领导小组同意", who="王秘书")
    assert _person(judge_view(judged, zhang), "东山街道").recusal_overridden
    assert save_online_scores(judged, zhang, "person", key, PERSON_SCORES) == []
    with judged.ledger() as ledger:
        logged = history(ledger, RECUSAL)
    assert [(d.subject, d.key, d.who, d.note) for d in logged] == [("张三", key, "王秘书", "本单位仅一名评委，经领导小组同意")]


def _tie(ws):
    li = judge_for_token(ws, issue_judge_link(ws, "李四"))
    for unit in ("东山街道", "玉海街道"):
        assert save_online_scores(ws, li, "person", f"{unit}:person", PERSON_SCORES) == []


def test_a_held_tie_waits_for_a_person_and_is_decided_with_name_and_reason(judged):
    from formgen.scoring.stage import score
    from formgen.scoring.ties import held_ties, tie_history

    _tie(judged)
    run = score(judged)
    rows = run.ranked["person"]
    assert [r.total for r in rows[:2]] == [PERSON_TOTAL, PERSON_TOTAL] and all(r.held for r in rows[:2])
    assert "须由人工决定（尚未决定）" in rows[0].tie_notes[0]
    (tie,) = held_ties(judged)
    lower = tie.lower
    r = CliRunner().invoke(cli, ["-C", str(judged.root), "decide", "勤廉标兵", lower.unit, tie.upper.unit,
                                 "--by", "领导小组组长 朱其祥", "--reason", "事迹更突出"])
    assert r.exit_code == 0, r.output
    rows = score(judged).ranked["person"]
    assert rows[0].nominee.key == lower.key and not rows[0].held
    assert rows[0].tie_notes == [f"与{tie.upper.name}总分相同，由领导小组组长 朱其祥决定（事迹更突出），列其前"]
    assert held_ties(judged) == []
    (d,) = tie_history(judged, "person")
    assert (d["above"], d["below"], d["decided_by"], d["reason"]) == (lower.key, tie.upper.key, "领导小组组长 朱其祥", "事迹更突出")


def test_decide_refuses_unequal_totals_and_awards_that_break_ties_by_rule(judged):
    from formgen.scoring.ties import decide_award_tie

    li = judge_for_token(judged, issue_judge_link(judged, "李四"))
    save_online_scores(judged, li, "person", "东山街道:person", PERSON_SCORES)
    save_online_scores(judged, li, "person", "玉海街道:person", dict(PERSON_SCORES, 加分项目="1"))
    with pytest.raises(FormgenError, match="总分不同"):
        decide_award_tie(judged, "勤廉标兵", "东山街道", "玉海街道", "张三")
    path = judged.root / "campaign.yaml"  # back to the preset's chain: ties broken by rule
    path.write_text(path.read_text(encoding="utf-8").replace("[total, decided, stroke_order]", "[total, stroke_order]"),
                    encoding="utf-8")
    r = CliRunner().invoke(cli, ["-C", str(judged.root), "decide", "勤廉标兵", "东山街道", "玉海街道", "--by", "x"])
    assert r.exit_code != 0 and "不由人工决定" in r.stderr and "Traceback" not in r.output


def test_publishing_refuses_a_held_tie_on_the_quota_line(judged):
    from formgen.publish.stage import publish_campaign
    from formgen.scoring.stage import score

    text = (judged.root / "campaign.yaml").read_text(encoding="utf-8")
    (judged.root / "campaign.yaml").write_text(text.replace("quota: {total: 10, recommend_up: 2}\n    eligibility:\n      no_discipline: true\n      required_forms: [candidate_application]",
                                                            "quota: {total: 1}\n    eligibility:\n      no_discipline: true\n      required_forms: [candidate_application]"), encoding="utf-8")
    ws = Workspace.open(judged.root)
    assert ws.campaign.award("person").quota.total == 1
    _tie(ws)
    rows = score(ws).ranked["person"]
    assert rows[0].status == rows[1].status == "同分待定（名额线上的同分须由人工决定）"
    with pytest.raises(FormgenError, match="同分待定"):
        publish_campaign(ws)


def test_a_published_result_changes_only_with_a_reason_and_both_versions_are_kept(judged):
    from formgen.publish.stage import publish_campaign
    from formgen.scoring.stage import score

    li = judge_for_token(judged, issue_judge_link(judged, "李四"))
    save_online_scores(judged, li, "person", "东山街道:person", PERSON_SCORES)
    score(judged)
    publish_campaign(judged, "2014-11-17", who="王秘书")
    assert score(judged).replaced_version is None  # the same result again: nothing to keep
    save_online_scores(judged, li, "person", "玉海街道:person", PERSON_SCORES)
    with pytest.raises(FormgenError, match="已于 .* 发布"):
        score(judged)
    r = CliRunner().invoke(cli, ["-C", str(judged.root), "score"])
    assert r.exit_code != 0 and "--reason" in r.stderr
    run = score(judged, reason="补录李四对玉海街道的评分", who="王秘书")
    with judged.ledger() as ledger:
        (kept,) = result_versions(ledger)
    assert kept["id"] == run.replaced_version and kept["reason"] == "补录李四对玉海街道的评分" and kept["who"] == "王秘书"
    old = [r for r in kept["rows"] if r["award_id"] == "person"]
    assert [r["total"] for r in old if r["total"] is not None] == [PERSON_TOTAL]
    assert [r.total for r in run.ranked["person"]][:2] == [PERSON_TOTAL, PERSON_TOTAL]

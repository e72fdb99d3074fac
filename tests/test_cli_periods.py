"""CLI of campaigns assessed by periods: events, tallies, panel (scorer workbooks), score --period, explain,
decide, history, publish — on the presets' sample inputs, with the clean one-line errors."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formgen.cli import cli
from formgen.sample.periodic import fill_scorer_books, write_event_logs, write_tallies
from formgen.workspace import Workspace


def run(root, *args, ok=True):
    result = CliRunner().invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    root = tmp_path_factory.mktemp("district")
    run(root, "init", str(root), "--preset", "district-quarterly")
    ws = Workspace.open(root)
    write_event_logs(ws, "district-quarterly", root / "inputs" / "台账")
    return root


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    root = tmp_path_factory.mktemp("town")
    run(root, "init", str(root), "--preset", "town-internal")
    ws = Workspace.open(root)
    write_event_logs(ws, "town-internal", root / "inputs" / "台账")
    write_tallies(ws, "town-internal", root / "inputs" / "计票")
    return root


def test_event_logs_in_each_bad_cell_one_line(district):
    out = run(district, "events").output
    assert "工作表“台账” B10 单元格：单位“区发改局”不在单位名单中，是否为“区发展和改革局”？" in out
    assert "D17 单元格：数量或分值应为数字，实际为“两”" in out
    assert "暗访组台账.xlsx 工作表“台账” D11 单元格：扣分 6 超出 2–5 分的范围" in out
    assert "日期 2023-12-20 不在考核年度 2024 年内" in out
    # reading the same workbooks again replaces them: still one finding per row
    run(district, "events")
    with sqlite3.connect(district / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM assessment_events WHERE subject = '区住房和城乡建设局'"
                          " AND period = '2024Q3'").fetchone()[0] == 4


def test_event_log_template_limits_cells(district):
    run(district, "events", "--template")
    wb = load_workbook(district / "out" / "inputs" / "台账.xlsx")
    kinds = sorted(dv.type for dv in wb["台账"].data_validations.dataValidation)
    assert kinds == ["custom", "date", "list", "list"]  # 数量或分值 follows the rule of its row
    assert wb["_lists"].sheet_state == "hidden"
    # the seed's 附：考核评分表, blank, for inspections on paper: 20 numbered lines and the three counted into the quarter
    import docx

    sheet = docx.Document(str(district / "out" / "inputs" / "考核评分表（空白，现场检查用）.docx"))
    numbers = [row.cells[1].text for row in sheet.tables[0].rows[1:-1]]
    assert numbers == [str(n) for n in range(1, 21)] + ["暗访", "民调", "会议"]
    assert [c.text for c in sheet.tables[0].rows[0].cells] == ["项目", "序号", "考核内容", "扣分及原因", "加减分", "得分"]


def test_score_quarter_and_explain(district):
    run(district, "events")
    out = run(district, "score", "--period", "2024Q3").output
    assert "区住房和城乡建设局  91" in out
    book = load_workbook(district / "out" / "score" / "考核结果_2024Q3.xlsx")
    ranking = {row[1]: row for row in book["排名"].iter_rows(min_row=4, values_only=True) if row[1]}
    assert ranking["区住房和城乡建设局"][-4] == 91
    details = [row for row in book["得分明细"].iter_rows(min_row=4, values_only=True) if row[0] == "区住房和城乡建设局"]
    assert any(r[2] == "落实内部管理、规范行政行为" and r[5] == "-4" and "巡查二组台账.xlsx 工作表“台账” 第" in r[7]
               for r in details)
    out = run(district, "explain", "区住房和城乡建设局", "--period", "2024Q3").output
    assert "落实内部管理、规范行政行为：26（满分30）" in out
    assert "巡查二组台账.xlsx 工作表“台账”" in out and "民意调查：-4" in out and "会议纪律：-1" in out


def test_scorer_workbooks_out_and_back(district):
    # nothing is nominated: `panel` writes the scorers' workbooks of the assessed units, no nomination forms needed
    r = run(district, "panel", ok=False)
    assert r.exit_code != 0 and "请用 --period 写明考核期间" in r.output
    run(district, "panel", "--period", "2024Q4")
    ws = Workspace.open(district)
    books = sorted((district / "out" / "panel").glob("考核评分_*.xlsx"))
    assert [b.name for b in books] == ["考核评分_区机关工委考核组_2024Q4.xlsx"]
    wb = load_workbook(books[0])
    assert {dv.type for dv in wb["考核评分"].data_validations.dataValidation} == {"whole", "list", "decimal"}
    fill_scorer_books(ws, "district-quarterly", books, district / "out" / "panel" / "returned")
    out = run(district, "panel", "--read").output
    assert "工作表“考核评分” J6 单元格：区财政局“制度不完善”：扣分 3 超出 1–2 分的范围" in out
    assert "E11 单元格：此项应填“是”或留空，实际为“是的”" in out
    out = run(district, "explain", "区教育局", "--period", "2024Q4").output
    assert "未按要求开展思想教育活动，扣1分" in out and "工作表“考核评分”" in out


def test_clean_errors(district, tmp_path):
    r = run(district, "explain", "区发改局", ok=False)
    assert r.exit_code != 0 and r.output.strip().count("\n") == 0 and "是否为“区发展和改革局”" in r.output
    r = run(district, "score", "--period", "2023Q1", ok=False)
    assert r.exit_code != 0 and "考核年度为 2024 年" in r.output
    r = run(district, "score", "--period", "2024-13", ok=False)
    assert r.exit_code != 0 and "无法识别" in r.output
    r = run(district, "decide", "2024", "区教育局", "区财政局", "--by", "某人", ok=False)
    assert r.exit_code != 0 and "总分不同" in r.output
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    out = run(district, "events", str(bad)).output
    assert "坏.xlsx：不是可以打开的 .xlsx 工作簿" in out


def test_town_year_tie_held_then_decided_and_history(town):
    out = run(town, "tallies").output
    assert "公开评议问卷导出.csv K13 单元格：“综治办”的评价“很满意”应为满意、基本满意、不满意之一" in out
    assert "工作表“内部测评” E10 单元格：票数应为不小于0的整数，实际为“-1”" in out
    run(town, "events")
    run(town, "history", "add", "2017", "--first", "便民服务中心", "--last", "村建所")
    out = run(town, "score").output
    assert "首位待定：便民服务中心与党政办公室总分同为92.59分" in out
    assert "末位：村建所（77.6分），2017年度亦为末位（连续两年末位）" in out and "组织处理" in out
    run(town, "decide", "2018", "便民服务中心", "党政办公室", "--by", "镇长 朱其祥", "--reason", "投诉为零")
    out = run(town, "score").output
    assert "首位：便民服务中心（92.59分）" in out and "经镇长 朱其祥决定，理由：投诉为零" in out
    assert "2018  末位  村建所" in run(town, "history").output
    out = run(town, "explain", "村建所").output
    assert "公开评议：33.6（满分40）" in out and "内部测评：23.25（满分30）" in out and "扣分：-3" in out


def test_town_publish_documents(town):
    run(town, "tallies")
    run(town, "events")
    out = run(town, "publish", "--no-pdf").output
    for name in ("关于元坝镇2018年内设机构作风效能评测结果的报告.docx", "末位通报.docx"):
        assert (town / "out" / "publish" / name).exists(), out


def test_commands_refuse_a_campaign_not_assessed_by_periods(tmp_path):
    run(tmp_path, "init", str(tmp_path), "--preset", "ruian-2014")
    r = run(tmp_path, "events", ok=False)
    assert r.exit_code != 0 and "不是按期考核的活动" in r.output


def test_the_same_event_log_under_another_name_counts_once(district):
    import shutil

    src = district / "inputs" / "台账" / "巡查一组台账.xlsx"
    copy = district / "inputs" / "巡查一组台账(1).xlsx"
    shutil.copyfile(src, copy)
    run(district, "events")
    out = run(district, "events", str(copy)).output
    assert "巡查一组台账(1).xlsx：与已读入的 巡查一组台账.xlsx 内容完全相同，未重复计入" in out
    assert "区住房和城乡建设局  91" in run(district, "score", "--period", "2024Q3").output


def test_a_corrected_tally_sheet_replaces_its_rows(town):
    run(town, "tallies")
    sheet = town / "inputs" / "计票" / "计票表.xlsx"
    wb = load_workbook(sheet)
    ws = wb["外部测评"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "村建所")
    ws.cell(row, 3).value, ws.cell(row, 4).value, ws.cell(row, 5).value = 24, None, None  # recounted: 24 满意
    wb.save(sheet)
    run(town, "tallies")
    out = run(town, "explain", "村建所").output
    # 24 满意 = 90 → 27 of 30, counted once; the row is named
    assert "外部测评：27（满分30）" in out and "计票表.xlsx 工作表“外部测评” 第" in out


def test_presets_and_issue_say_what_an_assessment_is(district):
    """An assessment of units has no quota: presets says how many units it assesses; issue says only the
    notice went out (the units fill in no forms) and which command makes the scorers' documents."""
    out = CliRunner().invoke(cli, ["presets"]).output
    line = next(x for x in out.splitlines() if x.startswith("district-quarterly"))
    assert line.endswith("机关作风和效能建设考核（考核10个单位，不评名额）") and "（0名）" not in out
    assert "十大效能示范岗（10名）" in out
    out = run(district, "issue").output
    assert "本活动各单位无需填报表格，已为 10 个单位生成通知" in out
    assert "直接填写" not in out and "0 份空白表格" not in out
    assert "空白台账：formgen events --template" in out and "考核组评分录入表：formgen panel" in out


def test_rater_counts_come_from_the_campaign(town):
    """campaign.yaml: aggregation.groups[].count and assessment.ratings[].count → sheets printed per group."""
    from formgen.ballots.settings import load_ballot_settings

    ws = Workspace.open(town)
    s = load_ballot_settings(ws.root, ws.campaign, [u.name for u in ws.units])
    got = {r.id: [(g.name, g.count) for g in r.groups] for r in s.ratings}
    assert got["internal"] == [("班子成员", 7), ("内设机构负责人和干部职工", 28)]
    assert got["external"] == [("评议人", 24)] and got["public"] == [("评议人", 40)]

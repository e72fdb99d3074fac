"""Judges' workbooks: written, filled with openpyxl, read back exactly; problems reported by cell;
user text never becomes a formula; a corrected workbook supersedes the earlier read; the CLI."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formgen.ledger.judging import judge_reads, load_judge_scores, save_judge_read
from formgen.records import Nominee
from formgen.scoring.panel import ANCHOR_SHEET, FIRST_ROW, read_panel, read_panel_files, write_panel
from formgen.workspace import Workspace

POST_ITEMS = ["组织宣传", "硬件设施", "管理制度", "工作作风", "依法行政", "服务质量"]
PERSON_ITEMS = ["政治坚定", "作风优良", "爱岗敬业", "廉洁自律", "加分项目"]


@pytest.fixture()
def ws(workspace) -> Workspace:
    return workspace


def _nominees() -> dict[str, list[Nominee]]:
    posts = [Nominee("post", f"{u}:post", u, p, "镇街", {"组织宣传": 9, "工作作风": 14}, datetime(2014, 10, 8))
             for u, p in (("东山街道", "便民服务中心窗口"), ("市民政局&<“局”>", "=HYPERLINK(\"http://x\")"),
                          ("塘下镇", "社保窗口"))]
    people = [Nominee("person", f"{u}:person", u, n, "镇街", {i: 18 for i in PERSON_ITEMS})
              for u, n in (("东山街道", "张伟"), ("市民政局&<“局”>", "=SUM(A1)"), ("塘下镇", "李娜"))]
    for n in posts + people:
        n.fields = {"name": n.name}
    return {"post": posts, "person": people}


def _fill(path: Path, values: dict[str, dict[str, dict[str, object]]], save_as: Path | None = None) -> Path:
    """Write values[sheet][nominee name][item] into the judge's cells, found by the header text."""
    wb = load_workbook(path)
    for sheet, rows in values.items():
        ws = wb[sheet]
        cols = {}
        for col in range(5, ws.max_column + 1, 2):
            head = ws.cell(3, col).value
            if head:
                cols[head.split("\n")[0]] = col + 1
        for r in range(FIRST_ROW, ws.max_row + 1):
            name = ws.cell(r, 4).value
            for item, v in rows.get(name, {}).items():
                ws.cell(r, cols[item]).value = v
    out = save_as or path
    wb.save(out)
    return out


def complete(problems):
    """The problems besides the judge's unscored items (partly filled sheets are what these tests fill)."""
    return [p for p in problems if "尚未评完" not in p.message]


def _scores(js_list):
    return {(s.award_id, s.nominee_key): {k: v for k, v in s.scores.items() if v is not None} for s in js_list}


FILLED = {
    "十大效能示范岗": {"便民服务中心窗口": {"组织宣传": 8.5, "硬件设施": 14, "管理制度": 13, "工作作风": 15,
                                     "依法行政": 24, "服务质量": 18},
                  "=HYPERLINK(\"http://x\")": {"组织宣传": 10, "服务质量": 19.5}},
    "勤廉标兵": {"=SUM(A1)": {"政治坚定": 19, "加分项目": 0}, "李娜": {"廉洁自律": "17.5"}},
}
EXPECTED = {
    ("post", "东山街道:post"): {"组织宣传": 8.5, "硬件设施": 14, "管理制度": 13, "工作作风": 15, "依法行政": 24,
                              "服务质量": 18},
    ("post", "市民政局&<“局”>:post"): {"组织宣传": 10, "服务质量": 19.5},
    ("post", "塘下镇:post"): {},
    ("person", "东山街道:person"): {},
    ("person", "市民政局&<“局”>:person"): {"政治坚定": 19, "加分项目": 0},
    ("person", "塘下镇:person"): {"廉洁自律": 17.5},
}


def test_write_fill_read_back_exact(ws, tmp_path):
    paths = write_panel(ws, ["张三", "李四:班子成员"], _nominees())
    assert [p.name for p in paths] == ["评委_张三.xlsx", "评委_李四.xlsx"]
    renamed = _fill(paths[0], FILLED, save_as=tmp_path / "评分表（已填）.xlsx")
    scores, problems = read_panel(ws, [renamed, paths[1]])
    # 张三 left items empty (issue 22.7: a partly empty sheet is a problem naming the judge and what is missing);
    # 李四 returned his untouched: not read, so it never replaces scores he gave before
    assert [(p.file, p.sheet) for p in problems] == [("评分表（已填）.xlsx", "十大效能示范岗"), ("评分表（已填）.xlsx", "勤廉标兵"),
                                                      ("评委_李四.xlsx", "十大效能示范岗"), ("评委_李四.xlsx", "勤廉标兵")]
    assert problems[0].message.startswith("评委张三尚未评完（填写 8/18 项），缺少评分：市民政局&<“局”>")
    assert all("评委李四的评分表没有填写任何评分" in p.message for p in problems[2:])
    mine = [s for s in scores if s.judge == "张三"]
    assert _scores(mine) == EXPECTED  # the judge comes from the anchors, not the file name
    assert [s for s in scores if s.judge == "李四"] == []


def test_layout_protection_and_validation(ws):
    path = write_panel(ws, ["张三"], _nominees())[0]
    wb = load_workbook(path)
    assert wb.sheetnames == ["十大效能示范岗", "勤廉标兵", ANCHOR_SHEET]
    assert wb[ANCHOR_SHEET].sheet_state == "veryHidden"
    sheet = wb["十大效能示范岗"]
    assert sheet.protection.sheet and not sheet.protection.sort  # protected, sorting allowed
    assert sheet.column_dimensions["A"].hidden
    assert sheet.cell(3, 5).value == "组织宣传\n（10分）"
    assert sheet.cell(FIRST_ROW, 6).protection.locked is False  # the judge's cell
    assert sheet.cell(FIRST_ROW, 4).protection.locked is True  # the name
    assert sheet.cell(FIRST_ROW, 5).value == 9  # self-assessment shown for reference
    dv = {str(d.sqref): d for d in sheet.data_validations.dataValidation}
    first = dv[f"F{FIRST_ROW}:F{FIRST_ROW + 2}"]
    assert (first.type, first.formula1, first.formula2) == ("decimal", "0", "10")
    assert first.error == "“组织宣传”的得分应为 0 至 10 之间的数字，请重新填写。"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


def test_user_text_is_never_a_formula(ws):
    path = write_panel(ws, ["张三"], _nominees())[0]
    cells = {}
    with zipfile.ZipFile(path) as z:
        xml = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
    formulas = [f for text in xml.values() for f in re.findall(r"<f>(.*?)</f>", text)]
    assert formulas and all(f.startswith("IF(COUNT(") for f in formulas)  # only our 合计 column
    for name, text in xml.items():
        # the second data row holds "=SUM(A1)" (勤廉标兵) / the HYPERLINK post: its name cell D6
        m = re.search(rf'<c r="D{FIRST_ROW + 1}"[^>]*>.*?</c>', text)
        if m and ("SUM(A1)" in m.group(0) or "HYPERLINK" in m.group(0)):
            cells[name] = m.group(0)
    assert len(cells) == 2
    assert all("<f>" not in c and ('t="s"' in c or 't="inlineStr"' in c) for c in cells.values())
    wb = load_workbook(path)
    cell = wb["勤廉标兵"].cell(FIRST_ROW + 1, 4)
    assert cell.value == "=SUM(A1)" and cell.data_type == "s"
    assert wb["十大效能示范岗"].cell(FIRST_ROW + 1, 3).value == "市民政局&<“局”>"


def test_sorted_rows_still_read_exact(ws):
    path = _fill(write_panel(ws, ["张三"], _nominees())[0], FILLED)
    wb = load_workbook(path)
    sheet = wb["十大效能示范岗"]
    rows = [[sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)] for r in range(FIRST_ROW, FIRST_ROW + 3)]
    for i, row in enumerate(reversed(rows)):  # the judge sorts descending, whole rows move
        for c, v in enumerate(row, start=1):
            sheet.cell(FIRST_ROW + i, c).value = v
    wb.save(path)
    scores, problems = read_panel(ws, [path])
    assert complete(problems) == [] and _scores(scores) == EXPECTED


def test_problems_name_file_sheet_and_cell(ws):
    bad = {"十大效能示范岗": {"便民服务中心窗口": {"组织宣传": 12, "硬件设施": "八", "管理制度": "=1+1", "工作作风": 15}}}
    path = _fill(write_panel(ws, ["张三"], _nominees())[0], bad)
    scores, problems = read_panel(ws, [path])
    text = [str(p) for p in problems]
    assert text[0] == ("评委_张三.xlsx 工作表“十大效能示范岗” F5 单元格："
                       "便民服务中心窗口“组织宣传”得分 12 超出 0–10 的范围，未读入")
    assert "H5 单元格" in text[1] and "应为数字" in text[1]
    assert "J5 单元格" in text[2] and "不能是公式" in text[2]
    got = next(s for s in scores if s.nominee_key == "东山街道:post").scores
    assert got["组织宣传"] is None and got["工作作风"] == 15


def test_tampered_rows_and_sheets(ws, tmp_path):
    path = _fill(write_panel(ws, ["张三"], _nominees())[0], FILLED)
    wb = load_workbook(path)
    post = wb["十大效能示范岗"]
    post.cell(FIRST_ROW, 1).value = "不存在的单位:post"  # unknown key
    post.cell(FIRST_ROW + 1, 4).value = "别的岗位"  # a name that no longer matches its key
    person = wb["勤廉标兵"]
    person.cell(3, 5).value = "政治表现"  # header of an item changed
    wb.save(path)
    scores, problems = read_panel(ws, [path])
    text = "\n".join(str(p) for p in problems)
    assert "A5 单元格：未知的参评对象编号“不存在的单位:post”" in text
    assert "D6 单元格：该行的单位或名称与编号不符" in text
    assert "“政治坚定”一列的表头被改动" in text
    assert "缺少“东山街道 便民服务中心窗口”所在的行" in text
    assert not [s for s in scores if s.award_id == "person"]  # the tampered sheet is not read
    # the post sheet's one readable row (塘下镇) holds no score: an untouched sheet is said, and not read
    assert "评委张三的评分表没有填写任何评分（填写 0/12 项）" in text and scores == []


def test_unreadable_files_are_problems_not_crashes(ws, tmp_path):
    corrupt = tmp_path / "坏文件.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    ole = tmp_path / "加密.xlsx"
    ole.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    from openpyxl import Workbook

    foreign = tmp_path / "别人的表.xlsx"
    Workbook().save(foreign)
    scores, problems = read_panel(ws, [corrupt, ole, foreign])
    text = [str(p) for p in problems]
    assert scores == [] and len(text) == 3
    assert text[0].startswith("坏文件.xlsx：") and "未读取" in text[0]
    assert "已加密" in text[1]
    assert "不是 formgen 生成的评分表" in text[2]


def test_other_campaign_is_refused(ws, tmp_path):
    path = write_panel(ws, ["张三"], _nominees())[0]
    wb = load_workbook(path)
    wb[ANCHOR_SHEET]["C2"].value = "other-2015"
    wb.save(path)
    _, problems = read_panel(ws, [path])
    assert "这是活动“other-2015”的评分表" in str(problems[0])


def test_corrected_workbook_supersedes(ws, tmp_path):
    path = _fill(write_panel(ws, ["张三"], _nominees())[0], FILLED)
    with ws.ledger() as ledger:
        for r in read_panel_files(ws, [path]):
            for award in r.awards:
                save_judge_read(ledger, r.judge, award, [s for s in r.scores if s.award_id == award], r.path.name,
                                r.sha256)
        assert _scores(load_judge_scores(ledger))[("post", "东山街道:post")]["组织宣传"] == 8.5
        # the judge corrects one score and erases another, and sends the workbook again
        wb = load_workbook(path)
        wb["十大效能示范岗"]["F5"].value = 9
        wb["十大效能示范岗"]["H5"].value = None
        wb.save(path)
        for r in read_panel_files(ws, [path]):
            for award in r.awards:
                save_judge_read(ledger, r.judge, award, [s for s in r.scores if s.award_id == award], r.path.name,
                                r.sha256)
        got = _scores(load_judge_scores(ledger))
        corrected = {k: v for k, v in EXPECTED[("post", "东山街道:post")].items() if k != "硬件设施"}
        assert got[("post", "东山街道:post")] == {**corrected, "组织宣传": 9}
        reads = judge_reads(ledger)
        assert {(r["judge"], r["award_id"], r["nominees"]) for r in reads} == {("张三", "post", 3), ("张三", "person", 3)}


def test_two_workbooks_of_one_judge_newest_counts(ws, tmp_path):
    first = write_panel(ws, ["张三"], _nominees())[0]
    old = shutil.copyfile(first, tmp_path / "旧.xlsx")
    new = _fill(first, FILLED, save_as=tmp_path / "新.xlsx")
    reads = read_panel_files(ws, [new, old])
    by_name = {r.path.name: r for r in reads}
    assert by_name["旧.xlsx"].scores == [] and any("另有一份较新的评分表 新.xlsx" in str(p) for p in by_name["旧.xlsx"].problems)
    assert _scores(by_name["新.xlsx"].scores) == EXPECTED


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_survives_libreoffice_resave(ws, tmp_path):
    path = _fill(write_panel(ws, ["张三"], _nominees())[0], FILLED)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=120)
    scores, problems = read_panel(ws, [out / path.name])
    assert complete(problems) == [] and _scores(scores) == EXPECTED


def test_cli_panel_read_score(collected_copy):
    """The nominees collected from tests/data/returns: panel → one judge fills part → read → score."""
    from formgen.cli import cli

    ws = collected_copy
    runner = CliRunner()
    result = runner.invoke(cli, ["-C", str(ws.root), "panel"])
    assert result.exit_code == 1 and "没有指定评委" in result.output
    result = runner.invoke(cli, ["-C", str(ws.root), "panel", "--judges", "张三，李四"])
    assert result.exit_code == 0, result.output
    assert "已为 2 位评委生成评分表" in result.output
    returned = ws.root / "out" / "panel" / "returned"
    post = "东山街道便民服务中心综合受理窗口"
    _fill(ws.root / "out" / "panel" / "评委_张三.xlsx",
          {"十大效能示范岗": {post: {"组织宣传": 8.5, "硬件设施": 14, "管理制度": 13, "工作作风": 15, "依法行政": 24,
                                "服务质量": 18}},
           "勤廉标兵": {"郑丽娜": {"廉洁自律": "17.5"}}}, save_as=returned / "张三.xlsx")
    result = runner.invoke(cli, ["-C", str(ws.root), "panel", "--read"])
    assert result.exit_code == 0, result.output
    # 2 posts × 6 + 2 candidates × 5 items (市地方税务局 sent a score sheet but no nomination)
    assert "已读入 张三.xlsx：评委张三，填写 7/22 项" in result.output
    result = runner.invoke(cli, ["-C", str(ws.root), "score"])
    assert result.exit_code == 0, result.output
    assert "评选结果已写入 out/score/评选结果.xlsx" in result.output
    book = load_workbook(ws.root / "out" / "score" / "评选结果.xlsx")
    assert book.sheetnames == ["十大效能示范岗", "勤廉标兵", "评分明细"]
    sheet = book["十大效能示范岗"]
    assert [c.value for c in sheet[3]][:4] == ["名次", "推荐单位", "岗位名称", "类别"]
    rows = {sheet.cell(r, 3).value: [c.value for c in sheet[r]] for r in range(4, 6)}
    assert rows[post][10] == 92.5  # the judge's 8.5+14+13+15+24+18, not the unit's own 96.5
    assert all(sheet.cell(r, 3).data_type == "s" for r in range(4, 6))


def test_rating_levels_are_chosen_and_weighted_by_group(ws):
    """Seed 004: raters pick 满意/基本满意/不满意; 内部测评 weighs 班子成员 and 干部职工 50/50."""
    from test_rules import _town_rubric

    from formgen.scoring.run import score_campaign

    campaign = ws.campaign
    award = campaign.award("person").model_copy(update={"id": "department", "name": "内设机构作风效能评测",
                                                         "subject": "department", "rubric": _town_rubric()})
    ws.__dict__["campaign"] = campaign.model_copy(update={"awards": [award]})
    nominees = {"department": [Nominee("department", "林业站", "元坝镇", "林业站", fields={"name": "林业站"}),
                               Nominee("department", "村建所", "元坝镇", "村建所", fields={"name": "村建所"})]}
    paths = write_panel(ws, ["甲:班子成员", "乙:班子成员", "丙:内设机构负责人和干部职工"], nominees)
    sheet = load_workbook(paths[0])["内设机构作风效能评测"]
    assert sheet.cell(4, 6).value == "等次"
    lists = [d for d in sheet.data_validations.dataValidation if d.type == "list"]
    assert [d.formula1 for d in lists] == ['"满意,基本满意,不满意"'] * 3
    picks = {"甲": ("满意", "满意"), "乙": ("基本满意", "满意"), "丙": ("不满意", "很好")}
    for path, (judge, (internal, external)) in zip(paths, picks.items()):
        _fill(path, {"内设机构作风效能评测": {"林业站": {"公开评议": "满意", "内部测评": internal,
                                                    "外部测评": external}}})
    with ws.ledger() as ledger:
        reads = read_panel_files(ws, paths)
        for r in reads:
            save_judge_read(ledger, r.judge, "department", r.scores, r.path.name, r.sha256)
    problems = [str(p) for r in reads for p in complete(r.problems)]
    assert problems == ["评委_丙.xlsx 工作表“内设机构作风效能评测” J5 单元格："
                        "林业站“外部测评”等次应为满意、基本满意、不满意之一，实际为“很好”"]
    ranked = score_campaign(ws, nominees)["department"]
    s = ranked[0].score
    assert ranked[0].nominee.name == "林业站" and ranked[1].total is None
    assert s.items["公开评议"].score == 36  # 满意 90 → 36 of 40
    # 班子成员: 27 and 21 → 24; 干部职工: 15 → 50/50 = 19.5
    assert s.items["内部测评"].score == 19.5
    assert s.items["外部测评"].score == 27
    assert s.total == 36 + 19.5 + 27


def test_zip_bomb_is_refused(ws, monkeypatch):
    import formgen.xlsx as xlsx

    path = write_panel(ws, ["张三"], _nominees())[0]
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 10_000)
    _, problems = read_panel(ws, [path])
    assert "解压后过大" in str(problems[0])

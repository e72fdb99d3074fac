"""A campaign from the office's own files: formgen new (prompts and answers file), rubric import of the
office's 评分表, notice import, and the county's own 最佳办事窗口 campaign run from the CLI with no
YAML written by hand (issue 17)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from county import office_rows, write_office_xlsx
from formgen.cli import cli
from formgen.workspace import Workspace
from office_helpers import OFFICE_FORMS, fill_blank, sample_values
from test_office_forms import ANSWERS, make_workspace

RUN = CliRunner()

# The clerk's answers at the prompts of `formgen new`, in the order asked.
PROMPTS = [
    "窗口",  # 推荐的是什么
    "2025年度青川县“最佳办事窗口”评选", "2025", "青川县机关效能建设领导小组办公室", "青效办〔2025〕3号", "2025-03-10",
    "县效能办督查股", "何晓梅", "0839-7201234", "qcxnb@example.cn", "2025-03-31 17:00", "2025-04-15", "2025-04-21",
    "",  # 公示几个工作日: the nearest preset's default (kunshan-awards: 3) is not what the county wants …
    "2025-05-06", "县级部门、乡镇",
    "最佳办事窗口", "", "", "8", "县级部门=5、乡镇=3",  # award: name, subject (default 窗口), per unit (default 1)
    "赵明、钱芳、孙立、李静、周强", "",
]


def _new_by_prompts(root: Path, publicity_days: str = "5"):
    answers = list(PROMPTS)
    answers[13] = publicity_days
    return RUN.invoke(cli, ["new", str(root)], input="\n".join(answers) + "\n")


def test_new_asks_in_chinese_with_the_nearest_presets_defaults_and_check_passes(tmp_path):
    result = _new_by_prompts(tmp_path / "c", publicity_days="")
    assert result.exit_code == 0, result.output
    assert "公示几个工作日 [3]" in result.output  # kunshan-awards (windows): 对外公示三个工作日
    assert "每个单位推荐几个 [1]" in result.output
    ws = Workspace.open(tmp_path / "c")
    c = ws.campaign
    assert c.deadlines.publicity_working_days == 3
    assert c.deadlines.submit == dt.datetime(2025, 3, 31, 17, 0)
    award = c.awards[0]
    assert (award.subject, award.per_unit, award.quota.total, award.quota.per_category) == \
        ("window", 1, 8, {"县级部门": 5, "乡镇": 3})
    assert [j.name for j in c.judges] == ["赵明", "钱芳", "孙立", "李静", "周强"]
    text = ws.campaign_file.read_text(encoding="utf-8")
    assert text.count("\n#") + text.count("  #") >= 6  # commented
    write_office_xlsx(tmp_path / "名单.xlsx", _fixed_rows())
    assert RUN.invoke(cli, ["-C", str(ws.root), "units", "import", str(tmp_path / "名单.xlsx"), "--yes"]).exit_code == 0
    assert RUN.invoke(cli, ["-C", str(ws.root), "check"]).exit_code == 0


def test_new_from_an_answers_file_with_groups_and_weights(tmp_path):
    answers = dict(ANSWERS, 评委="张三：班子成员、李四：班子成员、王五：干部职工", 评委分组="班子成员=0.5、干部职工=0.5")
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    result = RUN.invoke(cli, ["new", str(tmp_path / "c"), "--answers", str(path)])
    assert result.exit_code == 0, result.output
    c = Workspace.open(tmp_path / "c").campaign
    agg = c.awards[0].rubric.aggregation
    assert agg.method == "weighted_groups" and [(g.name, g.weight) for g in agg.groups] == [("班子成员", 0.5), ("干部职工", 0.5)]
    assert [(j.name, j.group) for j in c.judges][0] == ("张三", "班子成员")


@pytest.mark.parametrize("change,says", [
    ({"名额": "八"}, "名额应为整数"),
    ({"报送截止": "三月底"}, "报送截止时间应为日期"),
    ({"分类名额": "街道=3"}, "“街道”不是单位类别"),
])
def test_new_with_a_bad_answer_says_which_in_one_line(tmp_path, change, says):
    answers = dict(ANSWERS)
    answers["奖项"] = [dict(ANSWERS["奖项"][0], **{k: v for k, v in change.items() if k in ("名额", "分类名额")})]
    answers.update({k: v for k, v in change.items() if k not in ("名额", "分类名额")})
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    result = RUN.invoke(cli, ["new", str(tmp_path / "c"), "--answers", str(path)])
    assert result.exit_code != 0 and says in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "c" / "campaign.yaml").exists()


# ---------------------------------------------------------------------------------------- rubric


def test_rubric_from_a_sheet_with_sub_items_and_its_phrase_rules(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    sheet = OFFICE_FORMS / "11_窗口评分表_Word_子项.docx"
    result = RUN.invoke(cli, ["-C", str(ws.root), "rubric", "import", str(sheet), "--yes"])
    assert result.exit_code == 0, result.output
    assert "表中没有印出合计，按各项分值之和 100 分" in result.output
    rubric = Workspace.open(ws.root).campaign.awards[0].rubric
    items = {i.name: i for i in rubric.items}
    # 子项 rows under the merged 项目 cells: 首问负责 10, 一次告知 10, 亮证上岗 20 | 按时办结 25, 群众少跑 15 | 创新举措 20
    assert [(i.name, i.max) for i in rubric.items] == [("首问负责", 10), ("一次告知", 10), ("亮证上岗", 20),
                                                        ("按时办结", 25), ("群众少跑", 15), ("创新举措", 20)]
    assert rubric.total == 100
    # "未落实首问负责的，每例扣0.5分，扣完为止"
    [r] = items["首问负责"].rules
    assert (r.type, r.points, r.cap) == ("case_deduction", 0.5, None)
    assert items["首问负责"].standard == "未落实首问负责的，每例扣0.5分，扣完为止"  # kept for the judges' workbooks
    # "未一次性告知的，每次扣2分"
    assert [(r.type, r.points) for r in items["一次告知"].rules] == [("case_deduction", 2)]
    # "按时办结率低于90%的，每低10个百分点扣2分"
    [r] = items["按时办结"].rules
    assert (r.type, r.threshold, r.step, r.points) == ("threshold_penalty", 90, 10, 2)
    # "每项加2分，最高加5分"
    [r] = items["创新举措"].rules
    assert (r.type, r.points, r.cap) == ("case_bonus", 2, 5)
    # "查阅考勤和巡查记录，酌情评分": the judges score it, and the clerk is told
    assert [r.type for r in items["亮证上岗"].rules] == ["judged"]
    assert "亮证上岗" in result.output and "酌情评分" in result.output

    from formgen.scoring import rules as R

    # 按时办结率 70%: 20 points below 90, two steps of 10, 2 points each → 4 deducted
    assert R.threshold_penalty(items["按时办结"].rules[0], 70).points == -4
    # 3 innovations at 2 points each would be 6, but "最高加5分" → 5
    assert R.case_bonus(items["创新举措"].rules[0], 3).points == 5


def test_rubric_rule_the_clerk_does_not_confirm_stays_a_judged_item(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    sheet = OFFICE_FORMS / "12_窗口评分表_WPS_合计.docx"
    # four rules asked in order: 首问负责, 一次告知, 按时办结, 有效投诉 — the clerk refuses the first
    result = RUN.invoke(cli, ["-C", str(ws.root), "rubric", "import", str(sheet)], input="n\ny\ny\ny\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("采用吗？") == 4
    items = {i.name: i for i in Workspace.open(ws.root).campaign.awards[0].rubric.items}
    assert [(r.type, r.points) for r in items["服务规范"].rules] == [("case_deduction", 2)]  # 每次扣2分 only
    assert [(r.type, r.points) for r in items["群众评价"].rules] == [("case_deduction", 5)]  # 有效投诉每件扣5分
    assert sum(i.max for i in items.values()) == 100  # 合计 100: 30 + 30 + 25 + 15


def test_rubric_whose_maxima_do_not_add_up_is_not_written(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    before = ws.campaign_file.read_bytes()
    result = RUN.invoke(cli, ["-C", str(ws.root), "rubric", "import", str(OFFICE_FORMS / "13_文明科室评分表_合计不符.docx"),
                              "--yes"])
    assert result.exit_code != 0
    # 组织领导 10 + 制度建设 20 + 服务质量 60 = 90, the sheet's 合计 says 100
    assert "各项分值之和 90 分与表中合计 100 分不一致" in result.output
    assert "只写了“最高加5分”" in result.output  # cannot apply: said so, not made into something else
    assert ws.campaign_file.read_bytes() == before


# ---------------------------------------------------------------------------------------- notice


def test_notice_is_filled_per_unit_and_its_deadline_and_format_checked(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    src = OFFICE_FORMS / "通知.docx"
    before = src.read_bytes()
    result = RUN.invoke(cli, ["-C", str(ws.root), "notice", "import", str(src)])
    assert result.exit_code == 0, result.output
    assert src.read_bytes() == before
    assert "单位名称填在：正文第3段" in result.output
    assert "截止日期" not in result.output  # 于2025年3月31日前报送 = deadlines.submit
    # what ../shared/tools/gbt9704_check.py checks, found wrong in the office's file and listed
    for problem in ("页边距应为上37、下35、左28、右26 mm", "没有发文字号", "页码应为4号", "没有版记"):
        assert problem in result.output
    assert RUN.invoke(cli, ["-C", str(ws.root), "issue"]).exit_code == 0
    import docx
    import zipfile

    with zipfile.ZipFile(ws.out / "issue" / "县公安局.zip") as z:
        (tmp_path / "n.docx").write_bytes(z.read("通知.docx"))
    assert "县公安局：" in [p.text for p in docx.Document(tmp_path / "n.docx").paragraphs]

    text = ws.campaign_file.read_text(encoding="utf-8").replace("submit: 2025-03-31 17:00:00", "submit: 2025-04-03 17:00:00")
    ws.campaign_file.write_text(text, encoding="utf-8")
    result = RUN.invoke(cli, ["-C", str(ws.root), "notice", "import", str(src)])
    assert "通知写的是“2025年3月31日前”，活动设置的报送截止为 2025年4月3日" in result.output


# ---------------------------------------------------------------------------------------- the county


def _fixed_rows() -> list[list[str]]:
    """The county's list with the one mistyped address corrected (qcjtj@163,com → qcjtj@163.com)."""
    return [[c.replace("qcjtj@163,com", "qcjtj@163.com") for c in row] for row in office_rows()]


def test_county_campaign_from_its_own_files_without_yaml(tmp_path):
    """最佳办事窗口: 25 units from the office's Excel, its own 推荐表, 评分表 and notice, 5 judges, top 8,
    5 working days of publicity, certificates — every step a CLI command, no YAML written by hand."""
    root = tmp_path / "青川县最佳办事窗口"
    files = tmp_path / "办公室的文件"
    files.mkdir()
    write_office_xlsx(files / "参评单位名单.xlsx", _fixed_rows())
    for src, name in (("02_最佳办事窗口推荐表_WPS.docx", "推荐表.docx"), ("12_窗口评分表_WPS_合计.docx", "评分表.docx"),
                      ("通知.docx", "通知.docx")):
        shutil.copyfile(OFFICE_FORMS / src, files / name)

    def run(*args, **kw):
        result = RUN.invoke(cli, ["-C", str(root), *args], **kw)
        assert result.exit_code == 0, (args, result.output)
        return result.output

    assert _new_by_prompts(root).exit_code == 0
    run("units", "import", str(files / "参评单位名单.xlsx"), "--yes")
    run("forms", "import", str(files / "推荐表.docx"))
    run("rubric", "import", str(files / "评分表.docx"), "--yes", "--self-assessment")
    run("notice", "import", str(files / "通知.docx"))
    run("check")
    run("issue")
    ws = Workspace.open(root)
    assert len(ws.units) == 25
    nom = ws.campaign.form_spec("window_nomination")
    arrived = dt.datetime(2025, 3, 25, 10, 0).timestamp()
    sent: dict[str, dict] = {}
    for n, unit in enumerate(u.name for u in ws.units):
        folder = ws.out / "issue" / unit
        blank = next(p for p in folder.glob("*.docx") if "推荐表" in p.name)
        values = sample_values(nom)
        values["window"] = ([f"{unit}综合窗口"], f"{unit}综合窗口")
        values["staff"] = ([str(3 + n)], 3 + n)
        dest = ws.forms_in / f"{unit}推荐表.docx"
        dest.write_bytes(fill_blank(blank.read_bytes(), nom, values))
        os.utime(dest, (arrived, arrived))
        sent[unit] = {k: v for k, (_, v) in values.items()}
    run("collect")
    from formgen.ledger.forms import effective_forms

    with ws.ledger() as ledger:
        forms = [f for f in effective_forms(ledger) if f.form_type == "window_nomination"]
    assert len(forms) == 25
    for f in forms:  # the returned forms read back exactly, by their anchors
        assert f.method == "tagged"
        assert {k: f.fields[k] for k in sent[f.unit]} == sent[f.unit], f.unit
        assert f.fields["recommending_unit"] == f.unit
    run("panel")
    from formgen.sample.judges import fill_panel

    books = sorted((ws.out / "panel").glob("*.xlsx"))
    assert len(books) == 5  # 赵明、钱芳、孙立、李静、周强
    fill_panel(ws, books)
    run("panel", "--read")
    run("score")
    out = run("publish")
    assert "公示" in out
    publish = ws.out / "publish"
    certificates = list(publish.rglob("*证书*"))
    assert certificates
    import openpyxl

    results = next(ws.out.rglob("评选结果.xlsx"))
    sheet = openpyxl.load_workbook(results).worksheets[0]
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    selected = [r for r in rows if any(isinstance(c, str) and c.strip() in ("入选", "是") for c in r)]
    assert len(selected) == 8, rows[:3]
    # 公示 5 个工作日 from Monday 2025-04-21: 21, 22, 23, 24, 25 April → ends Friday 2025-04-25
    from formgen.publish.workdays import add_working_days

    assert add_working_days(dt.date(2025, 4, 21), 5) == dt.date(2025, 4, 25)
    texts = " ".join(_docx_text(p) for p in publish.glob("*公示*.docx"))
    assert re.search(r"2025年4月21日.{0,12}2025年4月25日|4月21日至4月25日|2025年4月25日", texts), texts[:300]


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(path)
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])

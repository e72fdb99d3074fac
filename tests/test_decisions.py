"""Staff decisions (formgen.collect.decisions) and ``formgen correct`` / ``assign`` through the CLI.

A correction names the form and field as a clerk would; they resolve through the matcher's
label rules and the value through the same parsers as a returned form.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.collect.decisions import assign, correct, corrections
from formgen.errors import FormgenError
from formgen.issue.init import init_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return init_workspace(tmp_path_factory.mktemp("decisions") / "ws", "ruian-2014")


@pytest.mark.parametrize("form, field, typed, key, value", [
    ("附件 4", "出生 年月", "1982年7月", "birth", "1982-07"),
    ("“勤廉标兵”候选人申报表", "姓\u3000名", "司徒静怡", "name", "司徒静怡"),
    ("勤廉标兵候选人申报表", "性别", "女性", "gender", "女"),
    ("candidate_application", "名字", "王五", "name", "王五"),  # a variant label the matcher knows
    ("十大效能示范岗推荐表", "岗位人数", "十五人", "headcount", 15),
    ("附件1", "组织宣传", "９分", "items.组织宣传", 9.0),
])
def test_correction_resolves_like_the_matcher_and_parses_like_a_form(ws, form, field, typed, key, value):
    done = correct(ws, "东山街道", form, field, typed, note="经电话核实")
    assert (done.key, done.value) == (key, value)
    stored = {(c["form_type"], c["key"]): c for c in corrections(ws)}[(done.form.type, key)]
    assert (stored["value"], stored["note"]) == (value, "经电话核实")


@pytest.mark.parametrize("form, field, typed, message", [
    ("附件4", "出生年月", "八二年", "不是有效的出生年月"),
    ("附件1", "组织宣传", "11", "0 到 10 之间"),  # 组织宣传 is out of 10 (seed 2014 评分表)
    ("附件1", "组织宣传", "优秀", "不是有效的得分"),
    ("附件9", "姓名", "张三", "不认识的表格类型“附件9”"),
    ("附件4", "爱好", "游泳", "没有“爱好”这一项"),
])
def test_bad_corrections_are_one_clear_line(ws, form, field, typed, message):
    with pytest.raises(FormgenError, match=message):
        correct(ws, "东山街道", form, field, typed)


def test_withdrawing_a_correction(ws):
    correct(ws, "上望街道", "附件4", "姓名", "李四")
    assert correct(ws, "上望街道", "附件4", "姓名", None, delete=True).deleted
    assert not [c for c in corrections(ws) if c["unit"] == "上望街道"]
    with pytest.raises(FormgenError, match="没有人工更正"):
        correct(ws, "上望街道", "附件4", "姓名", None, delete=True)


def test_unknown_unit_and_unknown_file(ws):
    with pytest.raises(FormgenError, match="不在单位名单中"):
        correct(ws, "火星街道", "附件4", "姓名", "张三")
    with pytest.raises(FormgenError, match="没有编号为 99 的文件"):
        assign(ws, 99, "东山街道")
    with pytest.raises(FormgenError, match="用法"):
        assign(ws, 1, "东山街道", exclude=True)


def test_cli_correct_and_its_errors(ws):
    run = CliRunner().invoke
    ok = run(cli, ["-C", str(ws.root), "correct", "玉海街道", "附件4", "出生年月", "1975.3"])
    assert ok.exit_code == 0, ok.output
    assert "已更正：玉海街道 “勤廉标兵”候选人申报表 出生年月 → 1975-03" in ok.output
    listed = run(cli, ["-C", str(ws.root), "correct", "--list"], env={"COLUMNS": "250"})
    assert listed.exit_code == 0 and "1975-03" in listed.output
    bad = run(cli, ["-C", str(ws.root), "correct", "玉海街道", "附件4", "出生年月", "不详"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert bad.output.strip().splitlines() == ["错误：“不详”不是有效的出生年月；应为出生年月（如 1982-07）"]
    bad = run(cli, ["-C", str(ws.root), "assign", "7", "东山街道"])
    assert bad.exit_code != 0 and bad.output.strip().count("\n") == 0 and "没有编号为 7 的文件" in bad.output

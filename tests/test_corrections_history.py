"""Issue 8 defects 2 and 10: `formgen correct` says what a field accepts; corrections keep their history."""
from __future__ import annotations

import os
import random
import shutil
from datetime import datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formgen.cli import cli

UNIT = "飞云街道"


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """A one-unit workspace with the unit's application collected (birth 1981-12 on the form)."""
    from formgen.campaign.load import write_units
    from formgen.campaign.model import Unit
    from formgen.collect.collect import collect
    from formgen.issue.init import init_workspace
    from formgen.issue.render import issue_forms
    from formgen.workspace import Workspace

    root = tmp_path_factory.mktemp("corrections") / "ws"
    ws = init_workspace(root, "ruian-2014")
    write_units(root / ws.campaign.units_file, [Unit(name=UNIT, email="fy@example.cn")])
    ws = Workspace.open(root)
    issue_forms(ws)
    (root / "forms_in").mkdir(exist_ok=True)
    (root / "forms_in" / "申报表.docx").write_bytes(_application(ws, {}))
    collect(ws)
    return root


def _application(ws, override: dict) -> bytes:
    from formgen.sample import load_people
    from formgen.sample.fill import Plan, UnitReturn, issued_blanks

    ur = UnitReturn(ws, UNIT, load_people()[UNIT], Plan(), random.Random(3))
    data, _ = ur.build("candidate_application", issued_blanks(ws, UNIT)["candidate_application"],
                       datetime(2014, 10, 1), override=override)
    return data


@pytest.fixture
def ws(issued, tmp_path, monkeypatch):
    from formgen.workspace import Workspace

    monkeypatch.setenv("FORMGEN_USER", "王科员")
    shutil.copytree(issued, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def _run(ws, *args):
    return CliRunner().invoke(cli, ["-C", str(ws.root), *args])


@pytest.mark.parametrize("form,field,value,accepts", [
    ("candidate_application", "birth", "abc", "出生年月"),
    ("candidate_application", "birth", "1982-13", "出生年月"),
    ("candidate_application", "gender", "X", "“男”或“女”"),
    ("post_nomination", "headcount", "abc", "整数"),
])
def test_defect2_a_bad_value_is_one_line_saying_what_the_field_accepts(ws, form, field, value, accepts):
    result = _run(ws, "correct", UNIT, form, field, value)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and value in lines[0] and accepts in lines[0]


def _history(ws) -> list[list[str]]:
    from formgen.collect.decisions import correction_history

    return correction_history(ws)[1:]


def test_defect10_every_correction_and_withdrawal_is_kept(ws):
    assert _run(ws, "correct", UNIT, "candidate_application", "birth", "1982-07", "--note", "电话核实").exit_code == 0
    assert _run(ws, "correct", UNIT, "candidate_application", "出生年月", "1982-08").exit_code == 0
    assert _run(ws, "correct", UNIT, "candidate_application", "birth", "--delete", "--note", "以原表为准").exit_code == 0
    rows = _history(ws)
    # 时间, 操作人, 单位, 表格, 栏目, 操作, 原值, 新值, 说明, 现状
    assert [r[1:] for r in rows] == [
        ["王科员", UNIT, "“勤廉标兵”候选人申报表", "出生年月", "更正", "1981-12", "1982-07", "电话核实", "已被后来的更正取代"],
        ["王科员", UNIT, "“勤廉标兵”候选人申报表", "出生年月", "更正", "1982-07", "1982-08", "", "已被后来的更正取代"],
        ["王科员", UNIT, "“勤廉标兵”候选人申报表", "出生年月", "撤销更正", "1982-08", "", "以原表为准", "已撤销"],
    ]
    listed = CliRunner().invoke(cli, ["-C", str(ws.root), "correct", "--list"], env={"COLUMNS": "250"})
    assert listed.exit_code == 0 and "撤销更正" in listed.output and "电话核实" in listed.output
    book = load_workbook(ws.out / "collect" / "收件情况.xlsx")
    assert [c.value for c in book["人工更正"][4]][5:8] == ["撤销更正", "1982-08", None]


def test_defect10_a_newer_form_that_disagrees_is_shown(ws):
    from formgen.collect.collect import collect
    from formgen.ledger.forms import list_problems

    assert _run(ws, "correct", UNIT, "candidate_application", "birth", "1982-07").exit_code == 0
    (ws.forms_in / "申报表（修改稿）.docx").write_bytes(_application(ws, {"birth": "1980-05"}))
    os.utime(ws.forms_in / "申报表（修改稿）.docx")
    collect(ws)
    with ws.ledger() as ledger:
        warned = [p.message for p in list_problems(ledger) if "与人工更正的" in p.message]
    assert len(warned) == 1 and "1980-05" in warned[0] and "1982-07" in warned[0] and "--delete" in warned[0]
    [row] = _history(ws)
    assert row[-1] == "有效；但之后报送的新表为“1980-05”，请核对"
    # a newer form that agrees with the correction raises nothing
    (ws.forms_in / "申报表（第三稿）.docx").write_bytes(_application(ws, {"birth": "1982-07"}))
    collect(ws)
    with ws.ledger() as ledger:
        assert not [p for p in list_problems(ledger) if "与人工更正的" in p.message]

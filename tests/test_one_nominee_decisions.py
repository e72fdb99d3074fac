"""Issue 18 point 1: a correction or review of one nominee changes that nominee only.

Seed 003 (昆山) lets a unit recommend several people: "各科室、窗口……推荐1-3名" — so
审批管理科 sent two 申报表 (马海燕, 田海燕) and 不动产登记窗口 two (沈海燕, 曹秀英), as the
demo's applications.yaml has them. A correction must say which one it is about."""
from __future__ import annotations

from click.testing import CliRunner

from formgen.cli import cli


def _forms(ws, unit):
    from formgen.ledger.forms import effective_forms

    with ws.ledger() as ledger:
        return {f.subject: f for f in effective_forms(ledger, unit, "person_application")}


def _values(ws, unit, key):
    """{nominee: the value that counts, as a number (forms hold the text read, corrections the parsed value)}"""
    return {n: None if f.fields[key] is None else float(f.fields[key]) for n, f in _forms(ws, unit).items()}


def _run(ws, *args):
    return CliRunner().invoke(cli, ["-C", str(ws.root), *args])


def test_correct_names_one_nominee_and_leaves_the_other(demo_copy):
    ws = demo_copy("kunshan-awards")
    # both of 审批管理科's forms: applications.yaml has monthly_average 93.5 (马海燕) and 98 (田海燕)
    said = _run(ws, "correct", "审批管理科", "person_application", "monthly_average", "空")
    assert said.exit_code == 1
    assert "审批管理科 报送了 2 份" in said.output and "马海燕" in said.output and "田海燕" in said.output
    assert "Traceback" not in said.output
    assert _values(ws, "审批管理科", "monthly_average") == {"马海燕": 93.5, "田海燕": 98}

    said = _run(ws, "correct", "审批管理科", "person_application", "monthly_average", "空", "--subject", "马海燕")
    assert said.exit_code == 0, said.output
    assert _values(ws, "审批管理科", "monthly_average") == {"马海燕": None, "田海燕": 98}

    # 不动产登记窗口: service_years 8 (沈海燕) and 0.5 (曹秀英); only 曹秀英 becomes 1
    said = _run(ws, "correct", "不动产登记窗口", "person_application", "service_years", "1", "--subject", "曹 秀英")
    assert said.exit_code == 0, said.output
    assert _values(ws, "不动产登记窗口", "service_years") == {"沈海燕": 8, "曹秀英": 1}
    history = _run(ws, "correct", "--list").output
    assert "（曹秀英）" in history and "（马海燕）" in history

    said = _run(ws, "correct", "不动产登记窗口", "person_application", "service_years", "1", "--subject", "张三")
    assert said.exit_code == 1 and "没有报送“张三”" in said.output and "沈海燕" in said.output

    said = _run(ws, "correct", "不动产登记窗口", "person_application", "service_years", "--delete", "--subject", "曹秀英")
    assert said.exit_code == 0, said.output
    assert _values(ws, "不动产登记窗口", "service_years") == {"沈海燕": 8, "曹秀英": 0.5}


def test_review_workbook_row_corrects_its_own_form_only(demo_copy):
    """A 更正 in 收件情况.xlsx names one form (its hidden 核对编号): the unit's other nominee keeps hers."""
    from formgen.collect.review_book import Entry, ReviewOutcome, apply_entries

    ws = demo_copy("kunshan-awards")
    target = _forms(ws, "不动产登记窗口")["曹秀英"]
    with ws.ledger() as ledger:
        outcome = ReviewOutcome()
        apply_entries(ledger, ws.campaign, [Entry(5, target.id, "service_years", "更正", "2", "李审核", "K5", "L5")],
                      "收件情况.xlsx", outcome)
    assert outcome.recorded and not outcome.problems
    assert _values(ws, "不动产登记窗口", "service_years") == {"沈海燕": 8, "曹秀英": 2}


def test_old_ledger_corrections_are_kept_for_the_whole_unit(tmp_path):
    """A ledger written before corrections named a nominee: its table is rebuilt, nothing lost."""
    import sqlite3

    from formgen.ledger.db import Ledger
    from formgen.ledger.forms import list_corrections

    path = tmp_path / "ledger.sqlite"
    con = sqlite3.connect(path)
    con.execute("""CREATE TABLE corrections (id INTEGER PRIMARY KEY, unit TEXT NOT NULL, form_type TEXT NOT NULL,
                   key TEXT NOT NULL, value TEXT, note TEXT, created_at TEXT NOT NULL, UNIQUE (unit, form_type, key))""")
    con.execute("INSERT INTO corrections VALUES (1, '飞云街道', 'candidate_application', 'birth', '\"1981-12\"', "
                "'电话核实', '2014-10-01T09:00:00+08:00')")
    con.commit()
    con.close()
    with Ledger(path) as ledger:
        (c,) = list_corrections(ledger)
    assert (c["unit"], c["subject"], c["key"], c["value"], c["note"]) == ("飞云街道", "", "birth", "1981-12", "电话核实")

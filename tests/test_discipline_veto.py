"""Issue 18 point 5: ruian's veto has a source, and a condition nobody can feed fails check.

Seed 000, 评选条件6: "……本年度单位及个人没有受到效能或党政纪处理。" The demo's 锦湖街道 post is
first (93 points: 9.1 + 14 + 13.8 + 13.9 + 23.8 + 18.4, the judges' means). Once the clerk records
a 处理 for the unit, neither of its nominees may be selected, and explain says who recorded it."""
from __future__ import annotations

import yaml
from click.testing import CliRunner

from formgen.cli import cli
from formgen.scoring.field_inputs import declared_discipline, field_facts
from formgen.records import Nominee


def _run(ws, *args):
    return CliRunner().invoke(cli, ["-C", str(ws.root), *args])


def _stored(ws):
    from formgen.ledger.results import load_score_results

    with ws.ledger() as ledger:
        return load_score_results(ledger)


def test_clerk_record_fires_the_veto_and_explain_names_its_source(demo_copy):
    ws = demo_copy("ruian-2014")
    post = next(r for r in _stored(ws)["post"] if r.nominee.unit == "锦湖街道")
    assert (post.total, post.rank, post.selected) == (93, 1, True)
    said = _run(ws, "discipline", "锦湖街道", "--what", "2014年6月窗口工作人员受效能告诫", "--basis", "市纪委通报〔2014〕5号")
    assert said.exit_code == 0, said.output
    assert _run(ws, "score", "--reason", "记录效能处理后重新计分（结果已发布）").exit_code == 0
    rows = {r.nominee.unit: r for r in _stored(ws)["post"]}
    assert rows["锦湖街道"].rank is None and not rows["锦湖街道"].selected
    assert sum(r.selected for r in rows.values()) == 10  # the quota is still filled: the 11th moves up
    explained = _run(ws, "explain", "锦湖街道").output
    assert "效能或党政纪处理：有（2014年6月窗口工作人员受效能告诫）" in explained
    assert "依据：市纪委通报〔2014〕5号" in explained and "不符合条件：本年度受到效能或党政纪处理" in explained
    # withdrawn: the post is first again; the record and its withdrawal stay in the history
    assert _run(ws, "discipline", "锦湖街道", "--delete", "--basis", "通报撤销").exit_code == 0
    _run(ws, "score", "--reason", "记录效能处理后重新计分（结果已发布）")
    assert {r.nominee.unit: r for r in _stored(ws)["post"]}["锦湖街道"].rank == 1
    from formgen.ledger.facts import fact_history

    with ws.ledger() as ledger:
        assert [d.action for d in fact_history(ledger)] == ["set", "delete"]


def test_clean_errors_of_the_record(demo_copy):
    ws = demo_copy("ruian-2014")
    for args, said in ((["discipline", "锦湖街道"], "请用 --what"),
                       (["discipline", "不存在的单位", "--none"], "不在单位名单中"),
                       (["discipline", "锦湖街道", "--name", "张三", "--none"], "没有推荐“张三”"),
                       (["discipline", "锦湖街道", "--delete"], "无需撤销")):
        r = _run(ws, *args)
        assert r.exit_code == 1 and said in r.output and "Traceback" not in r.output, r.output


def test_a_declaration_on_the_form_is_a_source_too():
    assert declared_discipline("本年度未受到效能或党政纪处理") is False
    assert declared_discipline("2014年5月受党内警告处分") == "2014年5月受党内警告处分"
    n = Nominee("person", "k", "甲", "张三", fields={"pledge": "无"})
    facts, problems = field_facts({"discipline": "pledge"}, n)
    assert facts["discipline"] is False and "申报表" in facts["discipline_source"] and not problems
    # a staff record made for the nominee wins over the unit's own declaration
    n = Nominee("person", "k", "甲", "张三", fields={"pledge": "无"}, facts={"discipline": "受警告处分"})
    assert "discipline" not in field_facts({"discipline": "pledge"}, n)[0]


def test_check_refuses_a_condition_with_no_source(new_workspace):
    ws = new_workspace("ruian-2014")
    path = ws.root / "campaign.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["awards"][1]["eligibility"]["min_service_years"] = 3  # no form field gives 连续工作年限
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = _run(ws, "check")
    assert r.exit_code != 0
    assert "awards[1].eligibility.min_service_years" in r.output and "没有任何来源" in r.output

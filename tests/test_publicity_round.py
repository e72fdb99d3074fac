"""Issue 18, the publicity round (公示). Seed 000: "……报市委、市政府研究审定后，向社会公开公示。"
The ruian demo selects 10 posts; 东山街道's is 10th (90.7), 市住房和城乡建设局's 11th (90.5, tied with
市卫生局 and put first by the chain). An upheld objection against 东山街道 moves the 11th up."""
from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from formgen.cli import cli


def _run(ws, *args):
    return CliRunner().invoke(cli, ["-C", str(ws.root), *args])


def _posts(ws):
    from formgen.ledger.results import load_score_results

    with ws.ledger() as ledger:
        return {r.nominee.unit: r for r in load_score_results(ledger)["post"]}


def test_objection_holds_the_commendation_and_upheld_moves_the_next_up(demo_copy, tmp_path):
    from formgen.publish.stage import publish_campaign

    ws = demo_copy("ruian-2014")
    before = _posts(ws)
    assert before["东山街道"].selected and not before["市住房和城乡建设局"].selected
    letter = tmp_path / "来信.txt"
    letter.write_bytes("窗口人员上班时间玩手机".encode())
    r = _run(ws, "objection", "add", "东山街道", "--award", "post", "--by", "匿名来信", "--on", "2014-11-19",
             "--what", "窗口人员上班时间玩手机", "--file", str(letter))
    assert r.exit_code == 0, r.output
    # deadlines.publicity_start 2014-11-17, 5 working days: 11-17 … 11-21
    done = publish_campaign(ws, today=dt.date(2014, 11, 20))
    assert any("尚未期满" in h for h in done.held) and any("第1号异议尚未决定" in h for h in done.held)
    assert all(p.name.startswith("公示名单") for p in done.paths)
    done = publish_campaign(ws, today=dt.date(2014, 11, 24))
    assert done.held == ["东山街道便民服务中心综合受理窗口（东山街道）的第1号异议尚未决定：窗口人员上班时间玩手机；"
                         "决定后运行 formgen objection decide 1 upheld|dismissed --reason 理由"]
    assert _run(ws, "objection", "handle", "1", "--step", "已转效能监察室核查").exit_code == 0
    r = _run(ws, "objection", "decide", "1", "upheld", "--reason", "经核查属实")
    assert r.exit_code == 0 and "已重新计分" in r.output, r.output
    after = _posts(ws)
    assert not after["东山街道"].selected and after["市住房和城乡建设局"].selected
    assert sum(r.selected for r in after.values()) == 10
    done = publish_campaign(ws, today=dt.date(2014, 11, 24))
    assert not done.held and any(p.name == "表彰通报.docx" for p in done.paths)
    explained = _run(ws, "explain", "东山街道").output
    assert "公示异议：第1号异议（匿名来信 2014-11-19）" in explained and "理由：经核查属实" in explained
    from formgen.ledger.files import blob_bytes
    from formgen.ledger.objections import list_objections

    with ws.ledger() as ledger:
        (o,) = list_objections(ledger)
        assert blob_bytes(ledger, o.files[0].sha256) == letter.read_bytes()  # the evidence is kept
        assert [d.key for d in o.handling + o.decisions] == ["handling", "decision"]


def test_objection_clean_errors(demo_copy):
    ws = demo_copy("ruian-2014")
    r = _run(ws, "objection", "add", "不存在", "--by", "甲", "--what", "乙")
    assert r.exit_code == 1 and "没有名为“不存在”" in r.output
    r = _run(ws, "objection", "decide", "9", "upheld", "--reason", "x")
    assert r.exit_code == 1 and "没有第9号异议" in r.output and "Traceback" not in r.output

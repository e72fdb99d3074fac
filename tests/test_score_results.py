"""The stored score result: ``formgen score`` keeps it in the ledger, ``formgen publish`` prints it."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.errors import FormgenError
from formgen.issue.init import init_workspace
from formgen.ledger.judging import save_judge_read
from formgen.ledger.results import load_score_results, save_score_results, stale_since
from formgen.publish.stage import publish_campaign, stored_winners
from formgen.records import JudgeScore, Nominee

SCORED_AT = datetime(2014, 11, 3, 10, 0)


def all_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def ranked(award_id, rank, unit, name, total, selected, **fields):
    n = Nominee(award_id=award_id, key=f"{unit}:{award_id}", unit=unit, name=name, fields=fields,
                submitted_at=datetime(2014, 10, 8, 9, 30))
    return SimpleNamespace(nominee=n, rank=rank, total=total, selected=selected, recommended=rank == 1,
                           status="入选" if selected else "超出名额", grade="")


RANKED = {
    "post": [ranked("post", 1, "东山街道", "便民服务中心", 96.5, True, post_leader="张明"),
             ranked("post", 2, "安阳街道", "社区服务窗口", 90.0, False)],
    "person": [ranked("person", 1, "玉海街道", "李秀英", 94.0, True, gender="女", unit_title="玉海街道办事处科员")],
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return init_workspace(tmp_path_factory.mktemp("results") / "ws", "ruian-2014")


def test_publish_before_score_says_what_to_do(tmp_path):
    fresh = init_workspace(tmp_path / "ws", "ruian-2014")
    with pytest.raises(FormgenError, match="请先运行 formgen score"):
        stored_winners(fresh)
    out = CliRunner().invoke(cli, ["-C", str(fresh.root), "publish", "--no-pdf"])
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert out.output.strip().splitlines() == [
        "错误：还没有计分结果；请先运行 formgen score（评委评分读回后计分、排名、确定入选），再发布"]


def test_stored_result_round_trips_in_ranking_order(ws):
    with ws.ledger() as ledger:
        save_score_results(ledger, RANKED, scored_at=SCORED_AT)
        stored = load_score_results(ledger)
    assert [(r.rank, r.nominee.unit, r.total, r.selected, r.recommended) for r in stored["post"]] == [
        (1, "东山街道", 96.5, True, True), (2, "安阳街道", 90.0, False, False)]
    person = stored["person"][0].nominee
    assert (person.name, person.fields["gender"], person.submitted_at) == ("李秀英", "女", datetime(2014, 10, 8, 9, 30))
    winners = stored_winners(ws)
    assert [(w.rank, w.name, w.unit, w.leader) for w in winners["post"]] == [(1, "便民服务中心", "东山街道", "张明")]
    assert [(w.name, w.gender, w.unit_title) for w in winners["person"]] == [("李秀英", "女", "玉海街道办事处科员")]


def test_a_new_score_run_replaces_the_stored_result(ws):
    with ws.ledger() as ledger:
        save_score_results(ledger, RANKED, scored_at=SCORED_AT)
        save_score_results(ledger, {"post": RANKED["post"][:1]}, scored_at=SCORED_AT)
        stored = load_score_results(ledger)
    assert list(stored) == ["post"] and len(stored["post"]) == 1


def test_publish_prints_the_stored_result_and_notes_judges_read_since(ws):
    with ws.ledger() as ledger:
        save_score_results(ledger, RANKED, scored_at=SCORED_AT)
        assert stale_since(ledger) is None
    done = publish_campaign(ws, "2014-11-05")
    assert [p.name for p in done.printable] == ["公示名单.docx", "表彰通报.docx", "授牌名单.docx", "证书_合并打印.docx"]
    assert sum(done.certificates.values()) == 1  # the one person selected
    listed = all_text(ws.out / "publish" / "公示名单.docx")
    assert "便民服务中心" in listed and "李秀英" in listed and "社区服务窗口" not in listed  # only the selected
    assert not any("formgen score" in n for n in done.notes)
    later = SCORED_AT + timedelta(hours=2)
    with ws.ledger() as ledger:
        save_judge_read(ledger, "张三", "post", [JudgeScore("张三", "post", "东山街道:post", {"组织宣传": 9})],
                        read_at=later)
        assert stale_since(ledger) == later
    done = publish_campaign(ws, "2014-11-05")
    assert any("又读入了评委评分" in n and "formgen score" in n for n in done.notes)


def test_panel_read_takes_relative_files_from_the_workdir_not_the_cwd(ws, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # elsewhere: -C names the workspace
    out = CliRunner().invoke(cli, ["-C", str(ws.root), "panel", "--read", "评委_张三.xlsx"])
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert out.output.strip() == f"错误：找不到文件 {ws.root / '评委_张三.xlsx'}"

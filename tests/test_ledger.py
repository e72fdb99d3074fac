"""The ledger's contents: blobs, receipts, forms, superseding, corrections, nominees, unit matching.

Built from hand-made ExtractResults: no file is read here (tests/test_collect.py does that).
"""
from __future__ import annotations

from datetime import datetime

import pytest

from formgen.campaign.presets import preset_units
from formgen.intake.result import ExtractResult, ValueSource
from formgen.collect.unit_match import UnitMatcher
from formgen.ledger import Ledger
from formgen.ledger.files import all_receipts, blob_bytes, record_receipt, store_blob
from formgen.ledger.forms import (all_forms, effective_forms, list_problems, record_form, refresh_superseding,
                                  set_correction)
from formgen.ledger.views import nominees


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / "ledger.sqlite") as led:
        yield led


@pytest.fixture
def ws(workspace):
    return workspace


def _application(name="张晓明", birth="1982-07", unit_title="东山街道办事处主任", education="本科") -> ExtractResult:
    r = ExtractResult(file="x.docx", form_type="candidate_application", method="labels",
                      fields={"name": name, "gender": "男", "birth": birth, "unit_title": unit_title,
                              "political": "中共党员", "education": education, "resume": "…", "honors": None,
                              "deeds": "…", "recommender_opinion": None})
    r.provenance["education"] = ValueSource("表1 第3行第4列", "labels")
    return r


def _receive(ledger, name: str, data: bytes, sent_at: datetime | None = None,
             mtime: datetime | None = None) -> int:
    sha = store_blob(ledger, data)
    return record_receipt(ledger, sha256=sha, path=f"forms_in/{name}", outer_sha256=sha, name=name,
                          sent_at=sent_at, file_mtime=mtime or datetime(2014, 9, 1, 9, 0))


def _form(ledger, result: ExtractResult, unit: str, name: str, data: bytes, **when) -> int:
    rid = _receive(ledger, name, data, **when)
    fid = record_form(ledger, rid, 0, result, subject=result.fields.get("name"))
    ledger.execute("UPDATE forms SET unit = ? WHERE id = ?", (unit, fid))
    return fid


def test_blob_stored_once_and_receipt_idempotent(ledger):
    a = store_blob(ledger, b"same bytes")
    b = store_blob(ledger, b"same bytes")
    assert a == b
    assert ledger.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    assert blob_bytes(ledger, a) == b"same bytes"
    first = _receive(ledger, "a.docx", b"same bytes")
    again = _receive(ledger, "a.docx", b"same bytes")
    assert first == again
    assert len(all_receipts(ledger)) == 1
    other_path = _receive(ledger, "copy.docx", b"same bytes")
    assert other_path != first  # another arrival of the same bytes is its own receipt


def test_record_form_is_idempotent_and_keeps_provenance(ledger):
    rid = _receive(ledger, "a.docx", b"1")
    r = _application()
    assert record_form(ledger, rid, 0, r) == record_form(ledger, rid, 0, r)
    assert len(all_forms(ledger)) == 1
    row = ledger.execute("SELECT location, method FROM field_values WHERE key = 'education'").fetchone()
    assert (row["location"], row["method"]) == ("表1 第3行第4列", "labels")


def test_newer_form_supersedes_and_keeps_the_old(ledger):
    # the newer one (by email date) is recorded first: "newer" is about when it was sent, not collected
    new = _form(ledger, _application(education="硕士"), "东山街道", "new.docx", b"new",
                sent_at=datetime(2014, 9, 30, 10, 0))
    old = _form(ledger, _application(education="本科"), "东山街道", "old.docx", b"old",
                sent_at=datetime(2014, 9, 20, 10, 0))
    refresh_superseding(ledger, multi_per_unit=set())
    eff = effective_forms(ledger, unit="东山街道")
    assert [f.id for f in eff] == [new]
    kept = {f.id: f for f in all_forms(ledger)}
    assert kept[old].superseded_by == new
    assert kept[old].fields["education"] == "本科"  # the old form is still there, untouched


def test_same_arrival_time_does_not_supersede(ledger):
    when = datetime(2014, 9, 30, 10, 0)
    _form(ledger, _application("甲"), "东山街道", "a.docx", b"a", sent_at=when)
    _form(ledger, _application("乙"), "东山街道", "b.docx", b"b", sent_at=when)
    refresh_superseding(ledger, multi_per_unit=set())
    assert len(effective_forms(ledger, unit="东山街道")) == 2  # one email with two: both count (and get flagged)


def test_multi_per_unit_supersedes_only_the_same_subject(ledger):
    _form(ledger, _application("甲"), "东山街道", "a.docx", b"a", mtime=datetime(2014, 9, 1))
    _form(ledger, _application("乙"), "东山街道", "b.docx", b"b", mtime=datetime(2014, 9, 2))
    _form(ledger, _application("甲", education="博士"), "东山街道", "a2.docx", b"a2", mtime=datetime(2014, 9, 3))
    refresh_superseding(ledger, multi_per_unit={"candidate_application"})
    eff = effective_forms(ledger, unit="东山街道")
    assert sorted((f.fields["name"], f.fields["education"]) for f in eff) == [("乙", "本科"), ("甲", "博士")]


def test_correction_survives_superseding_and_resolves_the_problem(ledger):
    r = _application(education="本料")
    r.warn("education", "文化程度疑似错别字")
    _form(ledger, r, "东山街道", "a.docx", b"a", mtime=datetime(2014, 9, 1))
    set_correction(ledger, "东山街道", "candidate_application", "education", "本科", note="电话核实")
    [f] = effective_forms(ledger)
    assert f.fields["education"] == "本科" and f.corrected == {"education": "本科"}
    assert [p.resolved for p in list_problems(ledger)] == [True]
    # a newer file from the unit still carries the typo: the correction still wins
    _form(ledger, _application(education="本料"), "东山街道", "b.docx", b"b", mtime=datetime(2014, 9, 5))
    refresh_superseding(ledger, multi_per_unit=set())
    [f] = effective_forms(ledger)
    assert f.receipt_id != 1 and f.fields["education"] == "本科"
    set_correction(ledger, "东山街道", "candidate_application", "education", "大专")  # replaced, not added
    assert effective_forms(ledger)[0].fields["education"] == "大专"
    assert ledger.execute("SELECT COUNT(*) FROM corrections").fetchone()[0] == 1


def test_item_correction_and_nominees(ledger, ws):
    app = _application("司徒静怡")
    _form(ledger, app, "东山街道", "a.docx", b"a")
    sheet = ExtractResult(file="s.docx", form_type="candidate_score_sheet", method="labels", subject="司徒静怡",
                          items=[{"name": n, "max": 20, "score": 18} for n in ("政治坚定", "作风优良", "爱岗敬业",
                                                                                "廉洁自律", "加分项目")])
    sheet.error("items.加分项目", "得分超过满分")
    fid = _form(ledger, sheet, "东山街道", "s.docx", b"s")
    set_correction(ledger, "东山街道", "candidate_score_sheet", "items.廉洁自律", 19.5)
    refresh_superseding(ledger, set())
    got = nominees(ledger, ws.campaign, ws.units)
    assert got["post"] == []
    [n] = got["person"]
    assert (n.key, n.unit, n.name, n.category) == ("东山街道:person", "东山街道", "司徒静怡", "镇街")
    assert n.self_scores["廉洁自律"] == 19.5 and n.self_scores["政治坚定"] == 18
    assert n.submitted_at == datetime(2014, 9, 1, 9, 0)
    assert n.problems == ["得分超过满分"]  # the score sheet's unresolved error travels with the nominee
    set_correction(ledger, "东山街道", "candidate_score_sheet", "items.加分项目", 20)
    assert nominees(ledger, ws.campaign, ws.units)["person"][0].problems == []
    assert fid


def test_superseded_forms_problems_are_not_listed(ledger):
    old = _application()
    old.error("birth", "出生年月无法识别")
    _form(ledger, old, "东山街道", "a.docx", b"a", mtime=datetime(2014, 9, 1))
    _form(ledger, _application(), "东山街道", "b.docx", b"b", mtime=datetime(2014, 9, 2))
    refresh_superseding(ledger, set())
    assert list_problems(ledger) == []
    assert len(list_problems(ledger, include_superseded=True)) == 1


def test_unit_matcher():
    m = UnitMatcher(preset_units("ruian-2014"))
    assert m.match("东山街道") == ("东山街道", "exact")
    assert m.match("东山街道办事处") == ("东山街道", "contains")
    assert m.match("瑞安市民政局") == ("市民政局", "contains")
    assert m.match("民政局") == ("市民政局", "exact")
    assert m.match("湖岭镇人民政府党政办副主任") == ("湖岭镇", "contains")
    assert m.match("附件4：“勤廉标兵”候选人申报表（市交通运输局）.docx")[0] == "市交通运输局"
    assert m.match("某某公司") is None and m.match("") is None
    assert m.match("东山街道和湖岭镇联合推荐") is None  # two units, same length: no guess

"""formgen collect / status / remind / correct / assign over real returned forms (tests/data/returns)."""
from __future__ import annotations

import email
import email.policy
import hashlib
import importlib.util
import io
import os
import shutil
import zipfile
from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formgen import docxkit
from formgen.campaign.model import Unit
from formgen.campaign.presets import preset_units
from formgen.cli import cli
from formgen.collect import collect as collect_mod
from formgen.collect.collect import collect
from formgen.collect.remind import reminder_subject, write_reminders
from formgen.ledger.files import CHINA_TZ, all_receipts
from formgen.ledger.forms import all_deeds, all_forms, effective_forms, list_problems, set_correction
from formgen.ledger.views import nominees, unit_status
from formgen.workspace import Workspace
from testdata import (DONGSHAN_APP, DONGSHAN_DEEDS, DONGSHAN_NOM, RETURNS, REVISED_APP, REVISED_SCORE, SCAN, YUHAI_APP,
                      YUHAI_CAND_SCORE, YUHAI_NOM, YUHAI_POST_SCORE, returned)


def china(*args) -> float:
    """A file mtime given as China time (the ledger shows every time in China time)."""
    return datetime(*args, tzinfo=CHINA_TZ).timestamp()


BEFORE_DEADLINE = china(2014, 9, 20, 9, 0)
REVISED_AT = china(2014, 9, 21, 9, 0)
AFTER_DEADLINE = china(2014, 10, 15, 9, 0)


def put(ws: Workspace, name: str, data: bytes, mtime: float = BEFORE_DEADLINE) -> Path:
    p = ws.forms_in / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    os.utime(p, (mtime, mtime))
    return p


def corpus(name: str, replace: dict[str, str] | None = None, tag: str = "") -> bytes:
    """A returned .docx of tests/data, optionally with text replaced; ``tag`` makes the bytes differ, not the content."""
    data = returned(name)
    if not replace and not tag:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "word/document.xml" and replace:
                text = part.decode("utf-8")
                for a, b in replace.items():
                    assert a in text
                    text = text.replace(a, b)
                part = text.encode("utf-8")
            zout.writestr(info, part)
        zout.comment = tag.encode()
    return out.getvalue()


def eml(sender: str, attachments: dict[str, bytes], sent: datetime, subject: str = "推荐材料") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "xiaoneng@example.cn"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent.replace(tzinfo=CHINA_TZ))
    msg.set_content("请查收。")
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(msg)


def tree_digest(root: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def problems_of(ws: Workspace, unit: str | None = None) -> list:
    with ws.ledger() as led:
        return [p for p in list_problems(led) if unit is None or p.unit == unit]


@pytest.fixture
def ws(workspace) -> Workspace:
    return workspace


@pytest.fixture
def full_ws(workspace) -> Workspace:
    """Every returned file of tests/data (but the scan) in forms_in/, plus one corrupt file, all before the deadline.

    11 readable files on 2014-09-20, and the two revised ones (修改稿, text PDFs) a day later: they supersede
    东山街道's application and 玉海街道's post score sheet."""
    w = workspace
    for p in sorted(RETURNS.iterdir()):
        if p.name != SCAN:
            put(w, p.name, p.read_bytes(), mtime=REVISED_AT if "修改稿" in p.name else BEFORE_DEADLINE)
    put(w, "坏文件.docx", b"PK\x03\x04 this is not really a zip" * 10)
    return w


# ---------------------------------------------------------------------------------------------


def test_collect_twice_adds_nothing_and_never_touches_forms_in(full_ws):
    before = tree_digest(full_ws.forms_in)
    first = collect(full_ws)
    assert first.scanned == 13
    assert first.new_files == 12 and first.unreadable == 1 and first.duplicates == 0
    assert sum(n for t, n in first.forms.items() if t) == 11 and first.deeds == 1
    with full_ws.ledger() as led:
        counts = [led.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("blobs", "receipts", "forms", "field_values")]
    second = collect(full_ws)
    assert (second.new_files, second.duplicates, second.unreadable, sum(second.forms.values())) == (0, 0, 0, 0)
    assert second.unchanged == 13
    with full_ws.ledger() as led:
        assert [led.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("blobs", "receipts", "forms", "field_values")] == counts
    assert tree_digest(full_ws.forms_in) == before  # byte for byte, and not even re-saved
    assert (full_ws.out / "collect" / "收件情况.xlsx").is_file()


def test_a_corrupt_file_does_not_stop_the_batch(full_ws):
    report = collect(full_ws)
    [(name, message)] = report.failures
    assert name.endswith("坏文件.docx") and "损坏" in message
    with full_ws.ledger() as led:
        bad = [r for r in all_receipts(led) if r.status == "error"]
        assert len(bad) == 1 and bad[0].error == message and bad[0].error_kind == "corrupt"
        assert len([r for r in all_receipts(led) if r.status == "ok"]) == 12
    assert any(p.message.startswith("无法读取") for p in problems_of(full_ws))


def test_units_identified_from_the_forms_text_and_file_names(full_ws):
    collect(full_ws)
    with full_ws.ledger() as led:
        forms = {f.file.split("/")[-1]: f for f in all_forms(led)}
        counted = {f.file.split("/")[-1] for f in effective_forms(led)}
    assert DONGSHAN_APP not in counted and REVISED_APP in counted  # the 修改稿 of the next day replaces it
    assert YUHAI_POST_SCORE not in counted and REVISED_SCORE in counted
    assert (forms[REVISED_APP].unit, forms[REVISED_SCORE].unit) == ("东山街道", "玉海街道")
    assert (forms[YUHAI_APP].unit, forms[YUHAI_APP].unit_method) == ("玉海街道", "text")  # 单位及职务 “玉海街道办事处…”
    assert forms[YUHAI_NOM].unit == "玉海街道"  # 推荐单位 “玉海街道办事处”
    assert forms[YUHAI_CAND_SCORE].unit == forms[YUHAI_POST_SCORE].unit == "玉海街道"
    assert (forms[DONGSHAN_APP].unit, forms[DONGSHAN_APP].unit_method) == ("东山街道", "anchor")  # the issued blank
    assert forms["市地方税务局示范岗评分表.pdf"].unit == "市地方税务局"
    assert all(f.unit for f in forms.values())
    assert not [p for p in problems_of(full_ws) if "逾期" in p.message]  # all arrived before the deadline


def test_unit_by_email_sender_and_duplicate_by_route(ws):
    app = corpus(YUHAI_APP)
    put(ws, "邮件/玉海.eml", eml("王磊 <yuhai@example.cn>", {"申报表.docx": app}, datetime(2014, 9, 25, 10, 0)))
    put(ws, YUHAI_APP, app)  # the clerk also saved the attachment into the folder
    report = collect(ws)
    assert report.new_files == 1 and report.duplicates == 1
    with ws.ledger() as led:
        [form] = effective_forms(led)
        receipts = all_receipts(led)
    assert (form.unit, form.unit_method, form.route) == ("玉海街道", "email", "email")
    assert form.arrived_at == datetime(2014, 9, 25, 10, 0) and form.arrived_basis == "email"
    dup = next(r for r in receipts if r.status == "duplicate")
    assert dup.route == "folder" and dup.duplicate_of == form.receipt_id and dup.unit == "玉海街道"


def test_sender_unit_wins_over_text_with_a_warning(ws):
    app = corpus(YUHAI_APP)
    put(ws, "民政.eml", eml("minzheng@example.cn", {"申报表.docx": app}, datetime(2014, 9, 25, 10, 0)))
    collect(ws)
    with ws.ledger() as led:
        [form] = effective_forms(led)
    assert form.unit == "市民政局"
    assert any("表内填写的单位为“玉海街道”" in p.message for p in problems_of(ws, "市民政局"))


def test_late_arrival_flagged_with_its_basis(ws):
    put(ws, YUHAI_APP, corpus(YUHAI_APP), mtime=AFTER_DEADLINE)
    put(ws, "民政.eml", eml("minzheng@example.cn", {"表.docx": corpus(YUHAI_NOM)}, datetime(2014, 10, 11, 8, 30)))
    put(ws, "按时.docx", corpus(DONGSHAN_NOM), mtime=BEFORE_DEADLINE)
    collect(ws)
    late = {p.unit: p.message for p in problems_of(ws) if p.message.startswith("逾期")}
    assert set(late) == {"玉海街道", "市民政局"}
    assert "文件修改时间" in late["玉海街道"] and "2014-10-15 09:00" in late["玉海街道"]
    assert "邮件发送时间" in late["市民政局"] and "2014-10-11 08:30" in late["市民政局"]


def test_same_person_from_two_units_flagged(ws):
    put(ws, YUHAI_APP, corpus(YUHAI_APP))
    # the same person (name + birth) sent again by 市民政局 with its own unit title
    put(ws, "民政局申报表.docx", corpus(YUHAI_APP, replace={"玉海街道办事处便民服务中心副主任": "市民政局社会救助科科长"}))
    collect(ws)
    dup = [p for p in problems_of(ws) if p.message.startswith("同一人")]
    assert {p.unit for p in dup} == {"玉海街道", "市民政局"}
    assert all(p.severity == "error" and "陈素芬" in p.message and "1972-11" in p.message for p in dup)


def test_newer_file_supersedes_keeps_the_old_and_the_correction_survives(ws):
    put(ws, "v1.docx", corpus(YUHAI_APP), mtime=china(2014, 9, 20))
    collect(ws)
    with ws.ledger() as led:
        set_correction(led, "玉海街道", "candidate_application", "education", "博士研究生", note="电话核实")
    collect(ws)  # a re-run keeps it
    with ws.ledger() as led:
        assert effective_forms(led)[0].fields["education"] == "博士研究生"
    put(ws, "v2.docx", corpus(YUHAI_APP, replace={"中共党员": "九三学社社员"}), mtime=china(2014, 9, 28))
    report = collect(ws)
    assert report.new_files == 1 and report.unchanged == 1
    with ws.ledger() as led:
        forms = all_forms(led)
        [eff] = effective_forms(led)
    assert len(forms) == 2
    old = next(f for f in forms if f.id != eff.id)
    assert old.superseded_by == eff.id and old.fields["political"] == "中共党员"  # kept as it was
    assert eff.file.endswith("v2.docx") and eff.fields["political"] == "九三学社社员"
    assert eff.fields["education"] == "博士研究生"  # the correction outlives the superseded file


def test_two_candidates_from_one_unit_flagged(ws):
    put(ws, YUHAI_APP, corpus(YUHAI_APP))
    other = corpus(YUHAI_APP, replace={"陈素芬": "欧阳明"})
    put(ws, "玉海街道第二名.docx", other)  # same mtime: the same batch, so no superseding
    collect(ws)
    extra = [p for p in problems_of(ws, "玉海街道") if "每单位限 1 份" in p.message]
    assert len(extra) == 2 and all(p.severity == "error" for p in extra)
    with ws.ledger() as led:
        people = nominees(led, ws.campaign, ws.units)["person"]
    assert sorted(n.name for n in people) == ["欧阳明", "陈素芬"]
    assert len({n.key for n in people}) == 2 and all(n.problems for n in people)


def short_deeds_docx(name: str, unit_title: str, paragraphs: int) -> bytes:
    """A 详细事迹材料 as a unit types it in Word: a title, then ``paragraphs`` paragraphs of 11 characters each."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(f"{name}同志先进事迹")
    doc.add_paragraph(f"{name}，{unit_title}。")
    for _ in range(paragraphs):
        doc.add_paragraph("她扎根基层、服务群众。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_deeds_documents_matched_to_their_candidate_and_a_short_one_flagged(ws):
    put(ws, DONGSHAN_APP, corpus(DONGSHAN_APP))
    put(ws, DONGSHAN_DEEDS, corpus(DONGSHAN_DEEDS))  # the full document: about 3000 characters
    put(ws, YUHAI_APP, corpus(YUHAI_APP))
    put(ws, "玉海街道-陈素芬事迹.docx", short_deeds_docx("陈素芬", "玉海街道办事处便民服务中心副主任", 100))
    report = collect(ws)
    assert report.deeds == 2
    with ws.ledger() as led:
        deeds = {(d.unit, d.candidate) for d in all_deeds(led)}
        rows = {s.unit: s for s in unit_status(led, ws.campaign, ws.units)}
    assert deeds == {("东山街道", "郑丽娜"), ("玉海街道", "陈素芬")}
    assert [e.key for e in rows["东山街道"].expected if e.arrivals] == ["candidate_application", "deeds_document"]
    short = [p.message for p in problems_of(ws, "玉海街道") if "通知要求 3000 字左右" in p.message]
    assert len(short) == 1 and "仅 1130 字" in short[0]  # 9 + 21 + 100 × 11 characters, whitespace not counted
    assert not [p for p in problems_of(ws, "东山街道") if "通知要求 3000 字左右" in p.message]


@pytest.mark.ocr
@pytest.mark.skipif(importlib.util.find_spec("rapidocr") is None, reason="the [ocr] extra is not installed")
def test_low_ocr_confidence_flagged_until_a_clerk_checks_it(ws):
    from formgen.collect.checks import OCR_CONFIDENCE_THRESHOLD
    from formgen.ledger.forms import low_confidence_values

    put(ws, SCAN, returned(SCAN))
    collect(ws)
    with ws.ledger() as led:
        low = low_confidence_values(led, OCR_CONFIDENCE_THRESHOLD)
        [form] = effective_forms(led)
    assert form.method == "ocr" and form.unit == "东山街道"  # unit from the typed 单位 line
    flagged = {p.field for p in problems_of(ws) if "需人工核对" in p.message}
    assert flagged == {v["key"] for v in low}  # every low value flagged, nothing else
    with ws.ledger() as led:  # the clerk checks each value: the flags go away at the next run
        for v in low:
            set_correction(led, "东山街道", form.form_type, v["key"], form.fields.get(v["key"]) or "已核对")
    collect(ws)
    assert not any("需人工核对" in p.message for p in problems_of(ws) if not p.resolved)


def test_reminders_name_exactly_what_is_missing(ws):
    for name in ("东山街道示范岗评分表.docx", "东山街道勤廉标兵评分表.docx", DONGSHAN_NOM):
        put(ws, name, corpus(name))
    put(ws, "东山.eml", eml("dongshan@example.cn", {"申报表.docx": corpus(DONGSHAN_APP)}, datetime(2014, 9, 25)))
    collect(ws)
    reminders = write_reminders(ws, when=datetime(2014, 10, 8, 9, 0))
    assert len(reminders) == 30  # 东山街道 still owes the deeds document
    by_unit = {r.unit: r for r in reminders}
    msg = email.message_from_bytes(by_unit["东山街道"].path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "【催报】关于报送“十大效能示范岗”和“勤廉标兵”推荐材料的提醒" == reminder_subject(ws.campaign)
    assert msg["To"].addresses[0].addr_spec == "dongshan@example.cn"
    assert msg["From"].addresses[0].addr_spec == ws.campaign.contact.email
    raw_headers = by_unit["东山街道"].path.read_bytes().split(b"\n\n", 1)[0]
    assert raw_headers.isascii() and b"=?utf-8?" in raw_headers  # RFC 2047
    body = msg.get_content()
    owed = body.split("尚未收到贵单位的以下材料：", 1)[1].split("已收到贵单位的材料", 1)[0]
    assert "郑丽娜的详细事迹材料（3000字左右）" in owed
    assert "附件1" not in owed and "附件3" not in owed and "附件4" not in owed
    assert "2014年10月10日" in body
    other = email.message_from_bytes(by_unit["安阳街道"].path.read_bytes(), policy=email.policy.default)
    other_body = other.get_content()
    for n in (1, 2, 3, 4):
        assert f"附件{n}：" in other_body
    assert other["To"].addresses[0].addr_spec == "anyang@example.cn"


def test_status_book_keeps_formula_like_text_literal(new_workspace):
    evil = Unit(name="=HYPERLINK(\"http://x\",\"点我\")", category="市级部门", contact="甲", email="evil@example.cn")
    w = new_workspace(units=[*preset_units("ruian-2014"), evil])
    put(w, "=1+1.eml", eml("evil@example.cn", {"=SUM(A1).docx": corpus(YUHAI_APP)}, datetime(2014, 9, 25)))
    report = collect(w)
    book = load_workbook(report.book)
    values = [(c.value, c.data_type) for sh in book.worksheets for row in sh.iter_rows() for c in row
              if isinstance(c.value, str) and "=" in c.value]
    assert evil.name in {v for v, _ in values}  # the unit's row, as typed in units.xlsx
    assert "forms_in/=1+1.eml → =SUM(A1).docx" in {v for v, _ in values}
    assert all(t == "s" for _, t in values)
    with zipfile.ZipFile(report.book) as zf:
        assert not any("<f>" in zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert [s.title for s in book.worksheets] == ["各单位收件情况", "问题清单", "收到的文件", "人工更正"]


def test_cli_collect_status_remind_correct_assign(full_ws):
    runner = CliRunner()
    root = str(full_ws.root)
    res = runner.invoke(cli, ["-C", root, "collect"])
    assert res.exit_code == 0, res.output
    assert "新收文件" in res.output and "无法读取" in res.output and "收件情况.xlsx" in res.output
    res = runner.invoke(cli, ["-C", root, "collect"])
    assert "已收过、未变化" in res.output
    res = runner.invoke(cli, ["-C", root, "status"])
    assert res.exit_code == 0 and "东山街道" in res.output and "未收" in res.output
    res = runner.invoke(cli, ["-C", root, "correct", "玉海街道", "勤廉标兵候选人申报表", "学历", "博士研究生",
                              "--note", "电话核实"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["-C", root, "correct", "--list"])
    assert "博士研究生" in res.output and "电话核实" in res.output
    res = runner.invoke(cli, ["-C", root, "correct", "东山街道", "post_score_sheet", "组织宣传", "11"])
    assert res.exit_code != 0 and "0 到 10" in res.output and "Traceback" not in res.output
    with full_ws.ledger() as led:
        app = next(f for f in effective_forms(led) if f.unit == "玉海街道" and f.form_type == "candidate_application")
        bad = next(r for r in all_receipts(led) if r.status == "error")
    assert app.fields["education"] == "博士研究生"
    res = runner.invoke(cli, ["-C", root, "assign", str(app.receipt_id), "--exclude"])
    assert res.exit_code == 0, res.output
    with full_ws.ledger() as led:
        assert not [f for f in effective_forms(led) if f.unit == "玉海街道" and f.form_type == "candidate_application"]
    res = runner.invoke(cli, ["-C", root, "assign", str(bad.id), "不存在的单位"])
    assert res.exit_code != 0 and "不在单位名单" in res.output
    out = full_ws.root / "催报"
    res = runner.invoke(cli, ["-C", root, "remind", "--out", str(out)])
    assert res.exit_code == 0 and len(list(out.glob("*.eml"))) == 29  # 东山街道 sent everything, deeds included


def test_old_formats_are_converted_in_one_batch(ws, monkeypatch):
    import formgen.intake.convert as convert

    calls = []

    def fake_convert(sources):
        calls.append([s.name for s in sources])
        return [replace(s, name=s.name.rsplit(".", 1)[0] + ".docx", data=corpus(YUHAI_APP, tag=s.name))
                for s in sources]

    monkeypatch.setattr(convert, "convert_to_docx", fake_convert)
    rtf = [b"{\\rtf1\\ansi " + str(i).encode() + b"}" for i in range(5)]
    for i in range(3):
        put(ws, f"旧格式{i}.rtf", rtf[i])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("材料/压缩包里.rtf", rtf[3])
        zf.writestr("同内容.rtf", rtf[0])  # the same bytes as a file in the folder: converted once
    put(ws, "材料.zip", buf.getvalue())
    put(ws, "邮件.eml", eml("minzheng@example.cn", {"邮件里.rtf": rtf[4]}, datetime(2014, 10, 1, 9)))
    report = collect(ws)
    # one LibreOffice call for the run, members of zips and emails included
    assert len(calls) == 1 and sorted(calls[0]) == ["压缩包里.rtf", "旧格式0.rtf", "旧格式1.rtf", "旧格式2.rtf", "邮件里.rtf"]
    assert report.forms["candidate_application"] == 5 and report.duplicates == 1  # 同内容.rtf is 旧格式0.rtf
    with ws.ledger() as led:
        names = sorted(r.name for r in all_receipts(led))
    assert names == sorted(["旧格式0.rtf", "旧格式1.rtf", "旧格式2.rtf", "压缩包里.rtf", "同内容.rtf", "邮件里.rtf"])


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_real_doc_file_collected(ws, dongshan_doc):
    put(ws, "东山街道申报表.doc", dongshan_doc)  # DONGSHAN_APP saved as .doc by LibreOffice: anchored, bookmarks survive
    report = collect(ws)
    assert report.forms["candidate_application"] == 1, report.failures
    with ws.ledger() as led:
        [f] = effective_forms(led)
    assert (f.unit, f.fields["name"]) == ("东山街道", "郑丽娜")


def test_too_large_file_refused_but_recorded(ws, monkeypatch):
    monkeypatch.setattr(collect_mod, "MAX_BYTES", 1000)
    put(ws, "巨大扫描件.pdf", b"%PDF-1.4" + b"0" * 5000)
    report = collect(ws)
    assert report.unreadable == 1 and "文件过大" in report.failures[0][1]
    with ws.ledger() as led:
        [r] = all_receipts(led)
        assert r.error_kind == "too_large"
        assert tuple(led.execute("SELECT size, bytes IS NULL FROM blobs").fetchone()) == (5008, 1)
    assert collect(ws).unchanged == 1


def test_unidentified_file_assigned_by_hand(ws):
    anon = corpus(YUHAI_APP, replace={"玉海街道办事处便民服务中心副主任": "便民服务中心副主任"})
    put(ws, "申报表.docx", anon)
    collect(ws)
    [err] = [p for p in problems_of(ws) if p.severity == "error"]
    assert err.unit is None and "未能识别报送单位" in err.message and "formgen assign" in err.message
    res = CliRunner().invoke(cli, ["-C", str(ws.root), "assign", str(err.receipt_id), "玉海街道"])
    assert res.exit_code == 0, res.output
    assert not [p for p in problems_of(ws) if p.severity == "error"]
    with ws.ledger() as led:
        [f] = effective_forms(led)
    assert (f.unit, f.unit_method) == ("玉海街道", "assigned")


def issued_to(unit: str) -> bytes:
    """东山街道's typed nomination (推荐单位 “东山街道办事处”) as if its blank had been issued to ``unit``."""
    return docxkit.set_custom_properties(returned(DONGSHAN_NOM), {"formgen_form_type": "post_nomination",
                                                                 "formgen_template_version": "2014.1",
                                                                 "formgen_campaign": "ruian-2014",
                                                                 "formgen_unit": unit})


def test_anchor_unit_first_and_unit_not_in_the_list(ws):
    put(ws, "玉海街道.docx", issued_to("玉海街道"))
    put(ws, "瑞安市某某局.docx", issued_to("瑞安市某某局"))
    collect(ws)
    with ws.ledger() as led:
        units = {f.unit: f.unit_method for f in effective_forms(led)}
        rows = {s.unit: s for s in unit_status(led, ws.campaign, ws.units)}
    assert units == {"玉海街道": "anchor", "瑞安市某某局": "anchor"}  # the anchor beats the text (东山街道)
    [err] = [p for p in problems_of(ws, "瑞安市某某局") if p.severity == "error"]
    assert "不在单位名单" in err.message
    assert not rows["瑞安市某某局"].listed and rows["瑞安市某某局"].expected[2].arrivals
    assert any("表内填写的单位为“东山街道”" in p.message for p in problems_of(ws, "玉海街道"))
    res = CliRunner().invoke(cli, ["-C", str(ws.root), "status"], terminal_width=160)
    assert "瑞安市某某局" in res.output and "不在名单中" in res.output

"""formgen collect / status / remind / correct / assign over real returned forms (shared/corpus/docx)."""
from __future__ import annotations

import email
import email.policy
import hashlib
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

from formgen.campaign.load import write_units
from formgen.campaign.model import Unit
from formgen.campaign.presets import preset_dir, preset_units
from formgen.cli import cli
from formgen.intake import collect as collect_mod
from formgen.intake.collect import collect
from formgen.intake.remind import reminder_subject, write_reminders
from formgen.intake.result import ExtractResult, ValueSource
from formgen.ledger.files import CHINA_TZ, all_receipts
from formgen.ledger.forms import all_deeds, all_forms, effective_forms, list_problems, set_correction
from formgen.ledger.views import nominees, unit_status
from formgen.workspace import Workspace

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus" / "docx"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus not beside the repo")

DONGSHAN_APP = "东山街道勤廉标兵申报表.docx"


def china(*args) -> float:
    """A file mtime given as China time (the ledger shows every time in China time)."""
    return datetime(*args, tzinfo=CHINA_TZ).timestamp()


BEFORE_DEADLINE = china(2014, 9, 20, 9, 0)
AFTER_DEADLINE = china(2014, 10, 15, 9, 0)


def make_ws(root: Path, extra_units: list[Unit] = ()) -> Workspace:
    root.mkdir(parents=True)
    shutil.copyfile(preset_dir("ruian-2014") / "campaign.yaml", root / "campaign.yaml")
    write_units(root / "units.xlsx", [*preset_units("ruian-2014"), *extra_units])
    (root / "forms_in").mkdir()
    return Workspace.open(root)


def put(ws: Workspace, name: str, data: bytes, mtime: float = BEFORE_DEADLINE) -> Path:
    p = ws.forms_in / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    os.utime(p, (mtime, mtime))
    return p


def corpus(name: str, replace: dict[str, str] | None = None, tag: str = "") -> bytes:
    """A corpus .docx, optionally with text replaced; ``tag`` makes the bytes differ without changing content."""
    data = (CORPUS / name).read_bytes()
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
def ws(tmp_path) -> Workspace:
    return make_ws(tmp_path / "ws")


@pytest.fixture
def full_ws(tmp_path) -> Workspace:
    """Every corpus .docx in forms_in/, plus one corrupt file, all before the deadline."""
    w = make_ws(tmp_path / "ws")
    for p in sorted(CORPUS.glob("*.docx")):
        put(w, p.name, p.read_bytes())
    put(w, "坏文件.docx", b"PK\x03\x04 this is not really a zip" * 10)
    return w


# ---------------------------------------------------------------------------------------------


def test_collect_twice_adds_nothing_and_never_touches_forms_in(full_ws):
    before = tree_digest(full_ws.forms_in)
    first = collect(full_ws)
    assert first.scanned == 11
    assert first.new_files == 10 and first.unreadable == 1 and first.duplicates == 0
    assert sum(n for t, n in first.forms.items() if t) == 10
    with full_ws.ledger() as led:
        counts = [led.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("blobs", "receipts", "forms", "field_values")]
    second = collect(full_ws)
    assert (second.new_files, second.duplicates, second.unreadable, sum(second.forms.values())) == (0, 0, 0, 0)
    assert second.unchanged == 11
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
        assert len([r for r in all_receipts(led) if r.status == "ok"]) == 10
    assert any(p.message.startswith("无法读取") for p in problems_of(full_ws))


def test_units_identified_from_the_forms_text_and_file_names(full_ws):
    collect(full_ws)
    with full_ws.ledger() as led:
        forms = {f.file.split("/")[-1]: f for f in effective_forms(led)}
    assert forms["薛海军-勤廉标兵申报表.docx"].unit == "湖岭镇"  # 单位及职务 “湖岭镇人民政府…”
    assert forms["薛海军-勤廉标兵申报表.docx"].unit_method == "text"
    assert forms["十大效能示范岗推荐表-东山街道.docx"].unit == "东山街道"  # 推荐单位 “东山街道办事处”
    assert forms["市民政局勤廉标兵自评表.docx"].unit == "市民政局"
    assert forms["附件2 评分表（东山街道）.docx"].unit == "东山街道"
    assert all(f.unit for f in forms.values())
    assert not [p for p in problems_of(full_ws) if "逾期" in p.message]  # all arrived before the deadline


def test_unit_by_email_sender_and_duplicate_by_route(ws):
    app = corpus(DONGSHAN_APP)
    put(ws, "邮件/东山.eml", eml("周敏 <dongshan@example.cn>", {"申报表.docx": app}, datetime(2014, 9, 25, 10, 0)))
    put(ws, DONGSHAN_APP, app)  # the clerk also saved the attachment into the folder
    report = collect(ws)
    assert report.new_files == 1 and report.duplicates == 1
    with ws.ledger() as led:
        [form] = effective_forms(led)
        receipts = all_receipts(led)
    assert (form.unit, form.unit_method, form.route) == ("东山街道", "email", "email")
    assert form.arrived_at == datetime(2014, 9, 25, 10, 0) and form.arrived_basis == "email"
    dup = next(r for r in receipts if r.status == "duplicate")
    assert dup.route == "folder" and dup.duplicate_of == form.receipt_id and dup.unit == "东山街道"


def test_sender_unit_wins_over_text_with_a_warning(ws):
    app = corpus(DONGSHAN_APP)
    put(ws, "民政.eml", eml("minzheng@example.cn", {"申报表.docx": app}, datetime(2014, 9, 25, 10, 0)))
    collect(ws)
    with ws.ledger() as led:
        [form] = effective_forms(led)
    assert form.unit == "市民政局"
    assert any("表内填写的单位为“东山街道”" in p.message for p in problems_of(ws, "市民政局"))


def test_late_arrival_flagged_with_its_basis(ws):
    put(ws, DONGSHAN_APP, corpus(DONGSHAN_APP), mtime=AFTER_DEADLINE)
    put(ws, "民政.eml", eml("minzheng@example.cn", {"表.docx": corpus("市民政局勤廉标兵申报表.docx")},
                            datetime(2014, 10, 11, 8, 30)))
    put(ws, "按时.docx", corpus("十大效能示范岗推荐表-东山街道.docx"), mtime=BEFORE_DEADLINE)
    collect(ws)
    late = {p.unit: p.message for p in problems_of(ws) if p.message.startswith("逾期")}
    assert set(late) == {"东山街道", "市民政局"}
    assert "文件修改时间" in late["东山街道"] and "2014-10-15 09:00" in late["东山街道"]
    assert "邮件发送时间" in late["市民政局"] and "2014-10-11 08:30" in late["市民政局"]


def test_same_person_from_two_units_flagged(ws):
    put(ws, DONGSHAN_APP, corpus(DONGSHAN_APP))
    # the same person (name + birth) sent again by 市民政局 with its own unit title
    put(ws, "民政局申报表.docx", corpus(DONGSHAN_APP, replace={"东山街道办事处便民服务中心主任": "市民政局社会救助科科长"}))
    collect(ws)
    dup = [p for p in problems_of(ws) if p.message.startswith("同一人")]
    assert {p.unit for p in dup} == {"东山街道", "市民政局"}
    assert all(p.severity == "error" and "司徒静怡" in p.message and "1971-12" in p.message for p in dup)


def test_newer_file_supersedes_keeps_the_old_and_the_correction_survives(ws):
    put(ws, "v1.docx", corpus(DONGSHAN_APP), mtime=china(2014, 9, 20))
    collect(ws)
    with ws.ledger() as led:
        set_correction(led, "东山街道", "candidate_application", "education", "博士研究生", note="电话核实")
    collect(ws)  # a re-run keeps it
    with ws.ledger() as led:
        assert effective_forms(led)[0].fields["education"] == "博士研究生"
    put(ws, "v2.docx", corpus(DONGSHAN_APP, replace={"九三学社社员": "中共党员"}), mtime=china(2014, 9, 28))
    report = collect(ws)
    assert report.new_files == 1 and report.unchanged == 1
    with ws.ledger() as led:
        forms = all_forms(led)
        [eff] = effective_forms(led)
    assert len(forms) == 2
    old = next(f for f in forms if f.id != eff.id)
    assert old.superseded_by == eff.id and old.fields["political"] == "九三学社社员"  # kept as it was
    assert eff.file.endswith("v2.docx") and eff.fields["political"] == "中共党员"
    assert eff.fields["education"] == "博士研究生"  # the correction outlives the superseded file


def test_two_candidates_from_one_unit_flagged(ws):
    put(ws, DONGSHAN_APP, corpus(DONGSHAN_APP))
    other = corpus(DONGSHAN_APP, replace={"司徒静怡": "欧阳明"})
    put(ws, "东山街道第二名.docx", other)  # same mtime: the same batch, so no superseding
    collect(ws)
    extra = [p for p in problems_of(ws, "东山街道") if "每单位限 1 份" in p.message]
    assert len(extra) == 2 and all(p.severity == "error" for p in extra)
    with ws.ledger() as led:
        people = nominees(led, ws.campaign, ws.units)["person"]
    assert sorted(n.name for n in people) == ["司徒静怡", "欧阳明"]
    assert len({n.key for n in people}) == 2 and all(n.problems for n in people)


def test_low_ocr_confidence_and_deeds_document(ws, monkeypatch):
    """Hand-made extract results stand in for OCR and for a free-text deeds document."""
    def fake_extract(source, forms=None, **_):
        if source.name.endswith(".png"):
            r = ExtractResult(file=source.name, form_type="candidate_application", method="ocr",
                              fields={"name": "司徒静怡", "birth": "1971-12", "unit_title": "东山街道办事处主任"},
                              origin=source)
            r.provenance["name"] = ValueSource("第1页 表1 第1行第2列", "ocr", 0.97)
            r.provenance["birth"] = ValueSource("第1页 表1 第1行第6列", "ocr", 0.62)
            return [r]
        return [ExtractResult(file=source.name, form_type=None, method="labels", kind="deeds_document",
                              text="司徒静怡同志先进事迹\n" + "她扎根基层、服务群众。" * 100, origin=source)]

    monkeypatch.setattr(collect_mod, "extract_source", fake_extract)
    put(ws, "东山街道扫描件.png", b"\x89PNG fake")
    put(ws, "东山街道-详细事迹.txt", "事迹".encode())
    report = collect(ws)
    assert report.deeds == 1
    msgs = {(p.field, p.message) for p in problems_of(ws, "东山街道")}
    assert ("birth", "需人工核对：第1页 表1 第1行第6列 识别置信度 0.62") in msgs
    assert not any(f == "name" and "需人工核对" in m for f, m in msgs)
    assert any("仅 1110 字，通知要求 3000 字左右" in m for _, m in msgs)
    with ws.ledger() as led:
        [d] = all_deeds(led)
        assert (d.unit, d.candidate) == ("东山街道", "司徒静怡")
        [st] = [s for s in unit_status(led, ws.campaign, ws.units) if s.unit == "东山街道"]
    assert [e.key for e in st.expected if e.arrivals] == ["candidate_application", "deeds_document"]
    # the clerk checks the value: the flag goes away at the next run
    with ws.ledger() as led:
        set_correction(led, "东山街道", "candidate_application", "birth", "1971-12")
    collect(ws)
    assert not any("需人工核对" in p.message for p in problems_of(ws) if not p.resolved)


def test_reminders_name_exactly_what_is_missing(ws):
    for name in ("东山街道评分表.docx", "附件2 评分表（东山街道）.docx", "十大效能示范岗推荐表-东山街道.docx"):
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
    assert "司徒静怡的详细事迹材料（3000字左右）" in owed
    assert "附件1" not in owed and "附件3" not in owed and "附件4" not in owed
    assert "2014年10月10日" in body
    other = email.message_from_bytes(by_unit["安阳街道"].path.read_bytes(), policy=email.policy.default)
    other_body = other.get_content()
    for n in (1, 2, 3, 4):
        assert f"附件{n}：" in other_body
    assert other["To"].addresses[0].addr_spec == "anyang@example.cn"


def test_status_book_keeps_formula_like_text_literal(tmp_path):
    evil = Unit(name="=HYPERLINK(\"http://x\",\"点我\")", category="市级部门", contact="甲", email="evil@example.cn")
    w = make_ws(tmp_path / "ws", [evil])
    put(w, "=1+1.eml", eml("evil@example.cn", {"=SUM(A1).docx": corpus("市民政局勤廉标兵申报表.docx")},
                          datetime(2014, 9, 25)))
    report = collect(w)
    book = load_workbook(report.book)
    values = [(c.value, c.data_type) for sh in book.worksheets for row in sh.iter_rows() for c in row
              if isinstance(c.value, str) and "=" in c.value]
    assert evil.name in {v for v, _ in values}  # the unit's row, as typed in units.xlsx
    assert "forms_in/=1+1.eml → =SUM(A1).docx" in {v for v, _ in values}
    assert all(t == "s" for _, t in values)
    with zipfile.ZipFile(report.book) as zf:
        assert not any("<f>" in zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert [s.title for s in book.worksheets] == ["各单位收件情况", "问题清单", "收到的文件"]


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
    res = runner.invoke(cli, ["-C", root, "correct", "东山街道", "勤廉标兵候选人申报表", "学历", "博士研究生",
                              "--note", "电话核实"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["-C", root, "correct", "--list"])
    assert "博士研究生" in res.output and "电话核实" in res.output
    res = runner.invoke(cli, ["-C", root, "correct", "东山街道", "post_score_sheet", "组织宣传", "11"])
    assert res.exit_code != 0 and "0 到 10" in res.output and "Traceback" not in res.output
    with full_ws.ledger() as led:
        app = next(f for f in effective_forms(led) if f.unit == "东山街道" and f.form_type == "candidate_application")
        bad = next(r for r in all_receipts(led) if r.status == "error")
    assert app.fields["education"] == "博士研究生"
    res = runner.invoke(cli, ["-C", root, "assign", str(app.receipt_id), "--exclude"])
    assert res.exit_code == 0, res.output
    with full_ws.ledger() as led:
        assert not [f for f in effective_forms(led) if f.unit == "东山街道" and f.form_type == "candidate_application"]
    res = runner.invoke(cli, ["-C", root, "assign", str(bad.id), "不存在的单位"])
    assert res.exit_code != 0 and "不在单位名单" in res.output
    out = full_ws.root / "催报"
    res = runner.invoke(cli, ["-C", root, "remind", "--out", str(out)])
    assert res.exit_code == 0 and len(list(out.glob("*.eml"))) == 30


def test_old_formats_are_converted_in_one_batch(ws, monkeypatch):
    import formgen.intake.convert as convert

    calls = []

    def fake_convert(sources):
        calls.append([s.name for s in sources])
        return [replace(s, name=s.name.rsplit(".", 1)[0] + ".docx", data=corpus(DONGSHAN_APP, tag=s.name))
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
def test_real_doc_file_collected(ws, tmp_path):
    import subprocess

    src = tmp_path / "src"
    src.mkdir()
    (src / "东山街道申报表.docx").write_bytes(corpus(DONGSHAN_APP))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "doc", "--outdir", str(src), str(src / "东山街道申报表.docx")], check=True, capture_output=True,
                   timeout=120)
    put(ws, "东山街道申报表.doc", (src / "东山街道申报表.doc").read_bytes())
    report = collect(ws)
    assert report.forms["candidate_application"] == 1, report.failures
    with ws.ledger() as led:
        [f] = effective_forms(led)
    assert (f.unit, f.fields["name"]) == ("东山街道", "司徒静怡")


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
    anon = corpus(DONGSHAN_APP, replace={"东山街道办事处便民服务中心主任": "便民服务中心主任"})
    put(ws, "申报表.docx", anon)
    collect(ws)
    [err] = [p for p in problems_of(ws) if p.severity == "error"]
    assert err.unit is None and "未能识别报送单位" in err.message and "formgen assign" in err.message
    res = CliRunner().invoke(cli, ["-C", str(ws.root), "assign", str(err.receipt_id), "东山街道"])
    assert res.exit_code == 0, res.output
    assert not [p for p in problems_of(ws) if p.severity == "error"]
    with ws.ledger() as led:
        [f] = effective_forms(led)
    assert (f.unit, f.unit_method) == ("东山街道", "assigned")


def test_anchor_unit_first_and_unit_not_in_the_list(ws, monkeypatch):
    def fake_extract(source, forms=None, **_):
        unit = source.name.split(".")[0]
        r = ExtractResult(file=source.name, form_type="post_nomination", method="tagged",
                          fields={"recommending_unit": "东山街道办事处", "post": f"{unit}窗口"}, origin=source,
                          anchors={"unit": unit, "campaign": "ruian-2014", "template_version": "2014.1"})
        return [r]

    monkeypatch.setattr(collect_mod, "extract_source", fake_extract)
    put(ws, "玉海街道.docx", b"a")
    put(ws, "瑞安市某某局.docx", b"b")
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

"""formgen collect over ONE forms_in/ mixing every format units send, and over real foreign .doc files.

Acceptance points of the intake issue:

1. A folder holding a Word .docx, a LibreOffice .docx, an issued (tagged) blank filled in, a PDF with a text
   layer, a scan, a .doc, a zip with GBK member names (no UTF-8 flag) that holds a nested zip, and an .eml
   whose attachment name is an RFC 2047 "GB2312" word with GBK-only characters: every form is recorded once
   with where it came from; a second run adds nothing and forms_in/ stays byte for byte as it was.
2. All the .doc files of Apache POI's test data (fuzzer finds among them) in one batch: it finishes, nothing
   escapes, every file is either read (no form is fine) or has a one-line Chinese message; encrypted files
   get their own kind and message.
3. A .docx encrypted by Office (built with msoffcrypto-tool) is refused with "ask the unit to remove the
   password", a message distinct from the one for a truncated file.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import re
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.collect.collect import collect
from formgen.intake.convert import soffice_path
from formgen.intake.sniff import sniff
from formgen.ledger.files import all_receipts, blob_bytes
from formgen.ledger.forms import all_forms, list_problems, values_of
from formgen.workspace import Workspace
from test_collect import put, tree_digest
from testdata import DONGSHAN_APP, YUHAI_APP, YUHAI_CAND_SCORE, returned

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
POI = CORPUS / "foreign" / "poi"
needs_corpus = pytest.mark.skipif(not (CORPUS / "truth.json").is_file(), reason="shared/corpus not beside the repo")

SOFFICE = soffice_path()
HAS_OCR = all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")

LEDGER_TABLES = ("blobs", "receipts", "forms", "field_values", "problems", "deeds_documents")
CJK = re.compile(r"[\u4e00-\u9fff]")


def corpus_bytes(variant: str, name: str) -> bytes:
    return (CORPUS / variant / name).read_bytes()


def assert_one_line_chinese(message: str) -> None:
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert CJK.search(message), message
    assert "Traceback" not in message and "Error:" not in message, message


def table_counts(ws: Workspace) -> dict[str, int]:
    with ws.ledger() as led:
        return {t: led.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in LEDGER_TABLES}


@pytest.fixture
def ws(workspace) -> Workspace:
    return workspace


def problem_rows(ws: Workspace) -> list[tuple]:
    """Problems as content (check problems are recomputed each run: their ids change, nothing else may)."""
    with ws.ledger() as led:
        rows = led.execute("SELECT receipt_id, form_id, field, severity, message, origin FROM problems").fetchall()
    return sorted(tuple(r) for r in rows)


# ---------------------------------------------------------------------------------------------
# building what units send
# ---------------------------------------------------------------------------------------------

def gbk_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip whose member names are GBK bytes with the UTF-8 flag (bit 11) clear, as Chinese WinRAR writes them.

    zipfile flags every non-ASCII name UTF-8, so ASCII placeholders of the same byte length are written and
    the raw GBK bytes put in their place afterwards (local header and central directory).
    """
    raws = [name.encode("gbk") for name, _ in members]
    placeholders = [(chr(ord("A") + i) * len(raw)).encode() for i, raw in enumerate(raws)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for placeholder, (_, data) in zip(placeholders, members):
            zf.writestr(placeholder.decode(), data)
    out = buf.getvalue()
    for placeholder, raw in zip(placeholders, raws):
        assert out.count(placeholder) == 2  # local header + central directory, nowhere else
        out = out.replace(placeholder, raw)
    infos = zipfile.ZipFile(io.BytesIO(out)).infolist()
    assert all(not i.flag_bits & 0x800 for i in infos)
    assert [i.filename.encode("cp437") for i in infos] == raws  # what a naive reader would see: cp437 junk
    return out


def gb2312_word(text: str) -> str:
    """An RFC 2047 encoded word labelled GB2312 holding GB18030 bytes (Chinese clients do this for 昇, 喆 …)."""
    return f"=?GB2312?B?{base64.b64encode(text.encode('gb18030')).decode()}?="


def unit_email(sender: str, display: str, subject: str, date: str, attachments: dict[str, bytes]) -> bytes:
    """An email as a Chinese mail client writes it: every name and the subject in RFC 2047 GB2312 words."""
    lines = [f"From: {gb2312_word(display)} <{sender}>", "To: xiaoneng@example.cn", f"Subject: {gb2312_word(subject)}",
             f"Date: {date}", "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="----=_fg_0001"', "",
             "------=_fg_0001", "Content-Type: text/plain; charset=GB2312", "Content-Transfer-Encoding: base64", "",
             base64.b64encode("您好，推荐材料见附件，请查收。".encode("gb2312")).decode()]
    for name, data in attachments.items():
        word = gb2312_word(name)
        lines += ["------=_fg_0001",
                  f'Content-Type: application/octet-stream; name="{word}"',
                  "Content-Transfer-Encoding: base64",
                  f'Content-Disposition: attachment; filename="{word}"', "",
                  *base64.encodebytes(data).decode().splitlines()]
    lines += ["------=_fg_0001--", ""]
    return "\r\n".join(lines).encode("ascii")


def tagged_nomination(ws: Workspace, unit: str) -> bytes:
    """The post_nomination blank formgen issues to ``unit``, typed into (its anchors stay)."""
    from formgen.anchors import field_anchor
    from formgen.sample.fill import issued_blanks
    from formgen.sample.keyboard import open_blank, save_as_returned, type_lines, type_text

    doc = open_blank(issued_blanks(ws, unit)["post_nomination"])
    type_text(doc, field_anchor("post"), "安阳街道便民服务中心综合窗口")
    type_text(doc, field_anchor("headcount"), "6")
    type_text(doc, field_anchor("post_leader"), "郑晓燕")
    type_lines(doc, field_anchor("duties"), ["1．负责辖区居民各类便民服务事项的受理；", "2．负责社保、医保业务的代办。"])
    type_lines(doc, field_anchor("practices"), ["推行“一窗受理、集成服务”，群众办事平均等候时间缩短到 8 分钟。"])
    buf = io.BytesIO()
    save_as_returned(doc, buf, "郑晓燕", datetime(2014, 9, 18, 16, 0))
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory) -> bytes:
    """A real Word 97-2003 .doc: a corpus .docx (市交通运输局's application) saved as .doc by LibreOffice."""
    if SOFFICE is None:
        pytest.skip("LibreOffice not installed")
    work = tmp_path_factory.mktemp("doc")
    (work / "in.docx").write_bytes(corpus_bytes("docx", "附件4：“勤廉标兵”候选人申报表（市交通运输局）.docx"))
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(work), str(work / "in.docx")],
                   check=True, capture_output=True, timeout=120)
    data = (work / "in.doc").read_bytes()
    assert sniff(data, "in.doc") == "doc"
    return data


# ---------------------------------------------------------------------------------------------
# 1. one folder, every format
# ---------------------------------------------------------------------------------------------

# Every leaf file of the mixed folder, as the ledger should label it.
ZIP = "市民政局材料.zip"
ZIP_SCORE = "“十大效能示范岗”评分表（市民政局自评）.docx"
INNER_ZIP = "补充材料（自评表）.zip"
INNER_SCORE = "勤廉标兵自评表（市民政局）.docx"
EML = "市民政局-勤廉标兵推荐材料.eml"
EML_NAME = "林昇-勤廉标兵申报表.docx"  # 昇 is not in GB2312: the word is labelled GB2312 all the same
SCAN = "东山街道评分表（扫描件）.pdf"

EXPECTED = {
    # leaf receipt label: (route, via, form_type, method, unit, unit_method)
    "forms_in/薛海军-勤廉标兵申报表.docx":
        ("folder", [], "candidate_application", "labels", "湖岭镇", "text"),
    "forms_in/十大效能示范岗推荐表-东山街道（LibreOffice另存）.docx":
        ("folder", [], "post_nomination", "labels", "东山街道", "text"),
    "forms_in/附件3 推荐表（安阳街道）.docx":
        ("folder", [], "post_nomination", "tagged", "安阳街道", "anchor"),
    "forms_in/市民政局“十大效能示范岗”推荐表.pdf":
        ("folder", [], "post_nomination", "pdf-text", "市民政局", "text"),
    "forms_in/市交通运输局申报表.doc":
        ("folder", [], "candidate_application", "labels", "市交通运输局", "text"),
    f"forms_in/{ZIP} → 市民政局 → {ZIP_SCORE}":
        ("zip", [ZIP, "市民政局"], "post_score_sheet", "labels", "市民政局", "text"),
    f"forms_in/{ZIP} → 市民政局 → {INNER_ZIP} → {INNER_SCORE}":
        ("zip", [ZIP, "市民政局", INNER_ZIP], "candidate_score_sheet", "labels", "市民政局", "filename"),
    f"forms_in/{EML} → {EML_NAME}":
        ("email", [EML], "candidate_application", "labels", "市民政局", "email"),
}
SCAN_EXPECTED = {f"forms_in/{SCAN}": ("folder", [], "post_score_sheet", "ocr", "东山街道", "text")}


def fill_mixed_folder(ws: Workspace, doc: bytes, with_scan: bool) -> dict[str, bytes]:
    """Every format in forms_in/ (flat, as the clerk saves them); returns each leaf's expected bytes by label."""
    leaves: dict[str, bytes] = {}

    def folder_file(name: str, data: bytes) -> None:
        put(ws, name, data)
        leaves[f"forms_in/{name}"] = data

    folder_file("薛海军-勤廉标兵申报表.docx", corpus_bytes("docx", "薛海军-勤廉标兵申报表.docx"))
    folder_file("十大效能示范岗推荐表-东山街道（LibreOffice另存）.docx",
                corpus_bytes("lo-docx", "十大效能示范岗推荐表-东山街道.docx"))
    folder_file("附件3 推荐表（安阳街道）.docx", tagged_nomination(ws, "安阳街道"))
    folder_file("市民政局“十大效能示范岗”推荐表.pdf", corpus_bytes("pdf", "市民政局“十大效能示范岗”推荐表.pdf"))
    folder_file("市交通运输局申报表.doc", doc)
    if with_scan:
        folder_file(SCAN, corpus_bytes("scan", "东山街道评分表.pdf"))

    score = corpus_bytes("docx", "“十大效能示范岗”评分表（市民政局自评）.docx")
    self_score = corpus_bytes("docx", "市民政局勤廉标兵自评表.docx")
    inner = gbk_zip([(INNER_SCORE, self_score)])
    put(ws, ZIP, gbk_zip([(f"市民政局/{ZIP_SCORE}", score), (f"市民政局/{INNER_ZIP}", inner)]))
    leaves[f"forms_in/{ZIP} → 市民政局 → {ZIP_SCORE}"] = score
    leaves[f"forms_in/{ZIP} → 市民政局 → {INNER_ZIP} → {INNER_SCORE}"] = self_score

    application = corpus_bytes("docx", "市民政局勤廉标兵申报表.docx")
    put(ws, EML, unit_email("minzheng@example.cn", "市民政局办公室", "关于报送勤廉标兵推荐材料",
                            "Thu, 25 Sep 2014 10:12:45 +0800", {EML_NAME: application}))
    leaves[f"forms_in/{EML} → {EML_NAME}"] = application
    return leaves


@needs_corpus
@pytest.mark.soffice
@pytest.mark.parametrize("with_scan", [
    pytest.param(True, id="with-scan", marks=[pytest.mark.ocr,
                                              pytest.mark.skipif(not HAS_OCR, reason="OCR extra not installed")]),
    pytest.param(False, id="no-scan"),
])
def test_one_folder_of_every_format_collected_once(workspace, doc_bytes, with_scan):
    ws = workspace
    leaves = fill_mixed_folder(ws, doc_bytes, with_scan)
    expected = {**EXPECTED, **(SCAN_EXPECTED if with_scan else {})}
    assert set(leaves) == set(expected)
    before = tree_digest(ws.forms_in)
    on_disk = len(before)

    first = collect(ws)
    assert first.failures == [] and first.unreadable == 0 and first.duplicates == 0
    assert first.scanned == on_disk and first.new_files == len(expected)
    assert sum(first.forms.values()) == len(expected) and None not in first.forms

    with ws.ledger() as led:
        receipts = {r.label: r for r in all_receipts(led)}
        forms = all_forms(led)
        # each leaf file once, read, with its own bytes kept under its hash
        assert set(receipts) == set(expected)
        for label, r in receipts.items():
            assert r.status == "ok" and r.error is None, label
            assert r.sha256 == hashlib.sha256(leaves[label]).hexdigest(), label
            assert blob_bytes(led, r.sha256) == leaves[label], label
            outer = (ws.root / r.path).read_bytes()
            assert r.outer_sha256 == hashlib.sha256(outer).hexdigest(), label
        # each form once, on the receipt it came from, with its provenance
        assert len(forms) == len(expected)
        assert sorted(f.receipt_id for f in forms) == sorted(r.id for r in receipts.values())
        by_label = {f.file: f for f in forms}
        assert set(by_label) == set(expected)
        for label, (route, via, form_type, method, unit, unit_method) in expected.items():
            r, f = receipts[label], by_label[label]
            assert (r.route, r.via, f.route) == (route, via, route), label
            assert (f.form_type, f.method, f.unit) == (form_type, method, unit), label
            assert (f.unit_method, r.unit, r.unit_method) == (unit_method, unit, unit_method), label
            assert f.superseded_by is None and f.counted, label
            values = values_of(led, f.id)
            assert values and {v["method"] for v in values.values() if v["value"] is not None} == {method}, label
            if route == "folder":
                assert (r.sender, r.arrived_basis, r.name) == (None, "mtime", label.rsplit("/", 1)[1]), label
        # the .doc is recorded as sent (its own bytes and name), though it was read from a conversion
        doc_receipt = receipts["forms_in/市交通运输局申报表.doc"]
        assert doc_receipt.name.endswith(".doc") and blob_bytes(led, doc_receipt.sha256)[:4] == b"\xd0\xcf\x11\xe0"
        assert by_label["forms_in/市交通运输局申报表.doc"].fields["name"] == "余丹丹"
        # the zip: GBK names decoded, nested zip's path kept
        member = receipts[f"forms_in/{ZIP} → 市民政局 → {INNER_ZIP} → {INNER_SCORE}"]
        assert member.path == f"forms_in/{ZIP}" and member.name == INNER_SCORE and member.sender is None
        assert by_label[f"forms_in/{ZIP} → 市民政局 → {ZIP_SCORE}"].extracted["source"] == f"市民政局/{ZIP_SCORE}"
        # the email: decoded GB2312/GBK name, sender, date and subject
        mail = receipts[f"forms_in/{EML} → {EML_NAME}"]
        assert mail.name == EML_NAME and "\ufffd" not in mail.name
        assert (mail.sender, mail.email_subject) == ("minzheng@example.cn", "关于报送勤廉标兵推荐材料")
        sent = datetime(2014, 9, 25, 10, 12, 45)  # China time, as the Date header says (+0800)
        assert (mail.sent_at, mail.arrived_at, mail.arrived_basis) == (sent, sent, "email")
        assert by_label[f"forms_in/{EML} → {EML_NAME}"].fields["name"] == "林昇"
        assert by_label[f"forms_in/{EML} → {EML_NAME}"].sender == "minzheng@example.cn"
        tagged = by_label["forms_in/附件3 推荐表（安阳街道）.docx"]
        assert tagged.anchors.get("unit") == "安阳街道" and tagged.fields["post_leader"] == "郑晓燕"
        if with_scan:
            scan = by_label[f"forms_in/{SCAN}"]
            assert all(v["confidence"] is not None for v in values_of(led, scan.id).values() if v["value"] is not None)
            assert [it["name"] for it in scan.items][:2] == ["组织宣传", "硬件设施"]
        # nothing unreadable, and no problem says so
        assert not [p for p in list_problems(led) if p.severity == "error"]

    counts, problems = table_counts(ws), problem_rows(ws)
    second = collect(ws)
    assert (second.new_files, second.duplicates, second.unreadable, second.deeds) == (0, 0, 0, 0)
    assert sum(second.forms.values()) == 0 and second.failures == []
    assert second.unchanged == second.scanned == on_disk
    assert table_counts(ws) == counts
    assert problem_rows(ws) == problems
    assert tree_digest(ws.forms_in) == before  # byte for byte, and not even re-saved (mtimes)


# ---------------------------------------------------------------------------------------------
# 2. Apache POI's .doc files (fuzzer finds among them) as one batch
# ---------------------------------------------------------------------------------------------

POI_DOCS = sorted(POI.glob("*.doc")) if POI.is_dir() else []
POI_ENCRYPTED = {"PasswordProtected.doc", "password_password_cryptoapi.doc"}  # both set an open password


def poi_workspace(ws: Workspace) -> Workspace:
    for p in POI_DOCS:
        put(ws, p.name, p.read_bytes())
    return ws


def check_every_poi_file_answered(ws: Workspace, failures: list[tuple[str, str]]) -> None:
    """Every .doc has a receipt: read (a form row, no form is fine), a duplicate of one read, or a clean error."""
    with ws.ledger() as led:
        receipts = all_receipts(led)
        forms_by_receipt: dict[int, list] = {}
        for f in all_forms(led):
            forms_by_receipt.setdefault(f.receipt_id, []).append(f)
        problems = list_problems(led)
    by_name = {r.name: r for r in receipts}
    assert sorted(by_name) == sorted(p.name for p in POI_DOCS) and len(receipts) == len(POI_DOCS)
    ok_ids = {r.id for r in receipts if r.status == "ok"}
    failed = dict(failures)
    for name, r in by_name.items():
        assert r.path == f"forms_in/{name}" and r.via == [], name
        if r.status == "ok":
            assert forms_by_receipt.get(r.id), name  # recorded as read, form_type None or not
        elif r.status == "duplicate":
            assert r.duplicate_of in ok_ids, name  # the same bytes as another file of the batch
        else:
            assert r.status == "error" and r.error_kind and r.error_kind != "internal", (name, r.error_kind, r.error)
            assert_one_line_chinese(r.error)
            assert "报送单位" in r.error, r.error  # says what to do
            [problem] = [p for p in problems if p.receipt_id == r.id]
            assert problem.severity == "error" and problem.message == f"无法读取：{r.error}"
            assert problem.file == f"forms_in/{name}"  # the problem names the file
            assert failed[f"forms_in/{name}"] == r.error
    assert not (ws.out / "collect" / "collect-errors.log").exists()  # no reader crashed

    errors = [r for r in receipts if r.status == "error"]
    encrypted = {r.name: r.error for r in errors if r.error_kind == "encrypted"}
    others = {r.name: r.error for r in errors if r.error_kind != "encrypted"}
    assert set(encrypted) == POI_ENCRYPTED
    assert all(re.search(r"请让报送单位(去除|去掉)密码", m) for m in encrypted.values()), encrypted
    assert not any("密码" in m or "加密" in m for m in others.values()), others
    assert not set(encrypted.values()) & set(others.values())  # a message of their own
    assert any(r.error_kind == "corrupt" for r in errors)  # the fuzzer finds LibreOffice cannot open either
    assert sum(1 for r in receipts if r.status == "ok") >= len(POI_DOCS) // 2  # most are plain Word files


@pytest.fixture(scope="module")
def poi_collected(tmp_path_factory, _preset_trees):
    """Every POI .doc in forms_in/, collected ONCE through the CLI (one LibreOffice batch, ~10 s):
    (workspace, forms_in digest before, the CollectReport the command got, the CliRunner result)."""
    import formgen.collect.collect as collect_module
    from conftest import copy_workspace

    ws = poi_workspace(copy_workspace(_preset_trees("ruian-2014"), tmp_path_factory.mktemp("poi") / "ws"))
    before = tree_digest(ws.forms_in)
    reports = []
    real = collect_module.collect

    def recording(*args, **kwargs):  # the command's own collect(), its report kept for the batch test
        reports.append(real(*args, **kwargs))
        return reports[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(collect_module, "collect", recording)
        res = CliRunner().invoke(cli, ["-C", str(ws.root), "collect"], env={"COLUMNS": "400"})
    assert len(reports) == 1, res.output
    return ws, before, reports[0], res


@pytest.mark.soffice
@needs_soffice
@pytest.mark.skipif(not POI_DOCS, reason="shared/corpus/foreign/poi missing")
def test_all_poi_doc_files_in_one_batch(poi_collected):
    ws, before, report, _ = poi_collected
    assert report.scanned == len(POI_DOCS)  # an exception escaping fails the CLI test below and this one here
    assert report.new_files + report.duplicates + report.unreadable == len(POI_DOCS)
    assert report.forms[None] == report.new_files and len(report.forms) == 1  # none of them is a campaign form
    check_every_poi_file_answered(ws, report.failures)
    counts = table_counts(ws)
    again = collect(ws)
    assert again.new_total == 0 and again.failures == [] and table_counts(ws) == counts
    assert tree_digest(ws.forms_in) == before


@pytest.mark.soffice
@needs_soffice
@pytest.mark.skipif(not POI_DOCS, reason="shared/corpus/foreign/poi missing")
def test_all_poi_doc_files_through_the_cli(poi_collected):
    ws, _, _, res = poi_collected
    assert res.exception is None and res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    with ws.ledger() as led:
        errors = [r for r in all_receipts(led) if r.status == "error"]
    check_every_poi_file_answered(ws, [(f"forms_in/{r.name}", r.error) for r in errors])
    lines = res.output.splitlines()
    for r in errors:  # one line each: the file, then its message
        assert f"无法读取 forms_in/{r.name}：{r.error}" in lines, r.name
    [summary] = [line for line in lines if "无法读取" in line and "forms_in/" not in line]  # the table's row
    assert re.search(r"无法读取\D*(\d+)", summary).group(1) == str(len(errors))


# ---------------------------------------------------------------------------------------------
# 3. password-protected Office files
# ---------------------------------------------------------------------------------------------

def office_encrypted_docx(plain: bytes, password: str) -> bytes:
    """What Word writes for 文件 → 信息 → 用密码进行加密: an OLE file with EncryptionInfo / EncryptedPackage."""
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    data = out.getvalue()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        assert ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")
    assert msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    return data


def test_password_protected_docx_asks_to_remove_the_password(ws):
    plain = returned(YUHAI_APP)
    encrypted = ["市民政局申报表（加密）.docx"]
    put(ws, "市民政局申报表（加密）.docx", office_encrypted_docx(plain, "mima2014"))
    if (POI / "bug53475-password-is-pass.docx").is_file():  # Apache POI's own encrypted file, when the corpus is here
        put(ws, "bug53475-password-is-pass.docx", (POI / "bug53475-password-is-pass.docx").read_bytes())
        encrypted.append("bug53475-password-is-pass.docx")
    put(ws, "市民政局申报表（截断）.docx", plain[: len(plain) // 2])
    report = collect(ws)
    assert report.unreadable == 1 + len(encrypted) and report.new_files == 0
    failures = dict(report.failures)
    with ws.ledger() as led:
        receipts = {r.name: r for r in all_receipts(led)}
        problems = {p.file: p.message for p in list_problems(led)}
    truncated = receipts["市民政局申报表（截断）.docx"]
    assert truncated.error_kind == "corrupt" and "损坏" in truncated.error
    for name in encrypted:
        r = receipts[name]
        assert r.status == "error" and r.error_kind == "encrypted", (name, r.error_kind)
        assert_one_line_chinese(r.error)
        assert re.search(r"请让报送单位(去除|去掉)密码", r.error), r.error
        assert r.error != truncated.error and "损坏" not in r.error
        assert failures[f"forms_in/{name}"] == r.error  # reported against the file's name …
        assert problems[f"forms_in/{name}"] == f"无法读取：{r.error}"  # … and listed as its problem

    # the command line says it in one line naming the file; so does `formgen extract`
    res = CliRunner().invoke(cli, ["-C", str(ws.root), "collect"], env={"COLUMNS": "400"})
    assert res.exit_code == 0 and "Traceback" not in res.output  # nothing new: the earlier outcome stands
    enc = ws.forms_in / "市民政局申报表（加密）.docx"
    res = CliRunner().invoke(cli, ["extract", str(enc), "--json"])
    assert res.exit_code != 0 and "Traceback" not in res.output
    [line] = [ln for ln in res.output.splitlines() if ln.strip()]
    assert f"{enc.name}：{receipts[enc.name].error}" in line
    res = CliRunner().invoke(cli, ["extract", str(ws.forms_in / "市民政局申报表（截断）.docx"), "--json"])
    assert res.exit_code != 0 and "密码" not in res.output and "损坏" in res.output


def test_password_protected_files_inside_an_email_and_a_zip_are_told_apart(ws):
    """By email or in a zip, an encrypted form still says "remove the password"; its sibling is still read."""
    plain = returned(YUHAI_APP)
    enc = office_encrypted_docx(plain, "mima2014")
    put(ws, "民政局.eml", unit_email("minzheng@example.cn", "市民政局办公室", "推荐材料", "Thu, 25 Sep 2014 10:12:45 +0800",
                                  {"勤廉标兵申报表（加密）.docx": enc, "截断.docx": plain[:3000],
                                   "自评表.docx": returned(YUHAI_CAND_SCORE)}))
    put(ws, "东山街道.zip", gbk_zip([("东山街道/推荐表（加密）.docx", enc)]))
    report = collect(ws)
    assert report.new_files == 1 and report.forms["candidate_score_sheet"] == 1
    with ws.ledger() as led:
        receipts = {r.label: r for r in all_receipts(led)}
    enc_mail = receipts["forms_in/民政局.eml → 勤廉标兵申报表（加密）.docx"]
    enc_zip = receipts["forms_in/东山街道.zip → 东山街道 → 推荐表（加密）.docx"]
    broken = receipts["forms_in/民政局.eml → 截断.docx"]
    for r in (enc_mail, enc_zip):
        assert r.status == "error" and re.search(r"请让报送单位(去除|去掉)密码", r.error), r.error
        assert_one_line_chinese(r.error)
    assert broken.status == "error" and "密码" not in broken.error
    assert enc_mail.sender == "minzheng@example.cn" and enc_mail.unit == "市民政局"


# ---------------------------------------------------------------------------------------------
# an attachment's error kind is kept, so a failure that may pass later is retried
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def own_doc_bytes(tmp_path_factory) -> bytes:
    """A real Word 97-2003 .doc: 东山街道's application of tests/data saved as .doc by LibreOffice."""
    if SOFFICE is None:
        pytest.skip("LibreOffice not installed")
    work = tmp_path_factory.mktemp("own-doc")
    (work / "in.docx").write_bytes(returned(DONGSHAN_APP))
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(work), str(work / "in.docx")],
                   check=True, capture_output=True, timeout=120)
    return (work / "in.doc").read_bytes()


@pytest.mark.soffice
@needs_soffice
def test_attachment_that_needed_libreoffice_is_read_once_it_is_installed(ws, own_doc_bytes, monkeypatch):
    import formgen.intake.convert as convert

    put(ws, "东山.eml", unit_email("dongshan@example.cn", "东山街道", "推荐材料", "Thu, 25 Sep 2014 10:12:45 +0800",
                                 {"申报表.doc": own_doc_bytes}))
    with monkeypatch.context() as m:
        m.setattr(convert, "soffice_path", lambda: None)
        first = collect(ws)
    assert first.unreadable == 1 and "LibreOffice" in first.failures[0][1]
    second = collect(ws)  # LibreOffice is back
    assert second.forms["candidate_application"] == 1
    with ws.ledger() as led:
        [r] = all_receipts(led)
    assert r.status == "ok" and r.unit == "东山街道"

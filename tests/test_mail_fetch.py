"""formgen collect --mail against a real Dovecot: what is taken, how it is keyed, marked and matched to units."""
from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.issue.render import issue_forms
from formgen.ledger.files import all_receipts
from formgen.ledger.mail import record_sent
from formgen.mail.fetch import fetch_mail
from formgen.mail.utf7 import decode, encode
from formgen.soffice import soffice_path
from mail_servers import PASSWORD, Dovecot, dovecot_missing, forwarded, gbk_message, message
from mail_workspace import make_mail_ws, set_mail

needs_dovecot = pytest.mark.skipif(dovecot_missing() is not None, reason=dovecot_missing() or "")
FOLDER = "报送材料"  # a Chinese folder: its name travels in modified UTF-7
ISSUE_MID = "<issue-jinhu.1@ruian.gov.cn>"  # what formgen sent 锦湖街道 (recorded below)


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("FORMGEN_MAIL_PASSWORD", PASSWORD)


def test_utf7_round_trip_and_rfc_example():
    assert encode("收件箱") == "&ZTZO9nux-"
    assert encode("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"  # RFC 3501 §5.1.3
    assert encode("A&B") == "A&-B"
    for name in ("收件箱", "已发送", "报送/2014年", "Entwürfe", "A&B", "INBOX"):
        assert decode(encode(name)) == name


def _as_doc(docx: Path, out: Path) -> bytes | None:
    """The form saved as Word 97-2003 (.doc) by LibreOffice, or None without LibreOffice."""
    soffice = soffice_path()
    if soffice is None:
        return None
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "doc",
                    "--outdir", str(out), str(docx)], capture_output=True, timeout=180)
    doc = out / (docx.stem + ".doc")
    return doc.read_bytes() if doc.exists() else None


def _zip(files) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in files:
            z.writestr(p.name, p.read_bytes())
    return buf.getvalue()


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory):
    """Dovecot with a folder of real returns: UTF-8 and GBK names, zip, pdf, a forward, a reply, junk."""
    if dovecot_missing():
        pytest.skip(dovecot_missing())
    root = tmp_path_factory.mktemp("mailfetch")
    ws = make_mail_ws(root / "ws", None)
    forms = {u.unit: u.files for u in issue_forms(ws, ["东山街道", "玉海街道", "安阳街道", "锦湖街道", "莘塍街道"]).units}
    doc = _as_doc(forms["莘塍街道"][2], root)
    server = Dovecot().start()
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    inner = message("zhangsan.personal@163.com", "安阳街道材料", [(forms["安阳街道"][2].name, forms["安阳街道"][2].read_bytes()),
                                                         ("说明.pdf", pdf)], date="Sun, 28 Sep 2014 16:00:00 +0800",
                    message_id="<inner-1@163.com>")
    msgs = {
        "dongshan": message("dongshan@example.cn", "东山街道报送材料", [(f.name, f.read_bytes()) for f in forms["东山街道"][:2]]
                            + [("东山街道材料.zip", _zip(forms["东山街道"][2:]))], message_id="<ds-1@example.cn>"),
        "yuhai_gbk": gbk_message("yuhai@example.cn", "玉海街道推荐表（请查收）", forms["玉海街道"][2].name,
                                 forms["玉海街道"][2].read_bytes()),
        "forward": forwarded("anyang@example.cn", "转发：安阳街道材料", inner),
        "reply": message("li.si.home@126.com", "回复：【通知】关于评选的通知", [(forms["锦湖街道"][3].name,
                                                                     forms["锦湖街道"][3].read_bytes())],
                         in_reply_to=ISSUE_MID, message_id="<reply-1@126.com>", date="Thu, 02 Oct 2014 11:15:00 +0800"),
        "xincheng_doc": message("xincheng@example.cn", "莘塍街道报送（Word 97-2003 格式）",
                                [(forms["莘塍街道"][2].stem + ".doc", doc)], message_id="<doc-1@example.cn>")
        if doc else None,
        "stranger": message("sales@ads.example.com", "优惠促销", message_id="<ad-1@ads.example.com>"),
        "malformed": (b"From: shangwang@example.cn\r\nSubject: =?GBK?B?broken\r\nDate: not a date\r\n"
                      b"Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: application/zip; "
                      b"name=\"x.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBBQAAAAIAA==\r\n"),
    }
    msgs = {k: v for k, v in msgs.items() if v is not None}
    server.append(list(msgs.values()), folder=FOLDER)
    with ws.ledger() as ledger:  # formgen sent 锦湖街道 the issue mail; the reply answers it from a home address
        record_sent(ledger, kind="issue", unit="锦湖街道", to=["jinhu@example.cn"], subject="【通知】", message_id=ISSUE_MID,
                    attachments=[], digest=None, sha256=None, status="sent")
    ws = set_mail(ws, imap={"host": "127.0.0.1", "port": server.port, "security": "none"}, folder=FOLDER)
    yield server, ws, msgs
    server.cleanup()


@needs_dovecot
def test_fetch_takes_unit_mail_and_keys_it(mailbox):
    server, ws, msgs = mailbox
    report = fetch_mail(ws)
    n = len(msgs)
    assert report.found == n and report.looked_at == n
    assert report.filtered == 1  # the advertisement: not from a unit, not a reply
    assert report.taken == n - 1 and report.replies == 1
    with ws.ledger() as ledger:
        rows = {r["message_id"] or r["path"]: dict(r) for r in ledger.execute("SELECT * FROM mail_messages")}
        receipts = all_receipts(ledger)
        blobs = {r["sha256"] for r in ledger.execute("SELECT sha256 FROM blobs")}
    assert set(rows) >= {"<ds-1@example.cn>", "<gbk-1@foxmail.example.cn>", "<fwd-1@personal.example.cn>", "<reply-1@126.com>"}
    assert all(r["sha256"] in blobs for r in rows.values())  # the raw message is kept in the blob store
    by_name = {r.name: r for r in receipts}
    # UTF-8 names, a zip inside, the send time as the arrival time
    ds = [r for r in receipts if r.sender == "dongshan@example.cn"]
    assert len(ds) == 4 and {r.unit for r in ds} == {"东山街道"}
    assert all(str(r.arrived_at) == "2014-09-29 10:30:00" and r.route == "email" for r in ds)
    assert any(r.via[-1] == "东山街道材料.zip" for r in ds)
    # GBK encoded-word file name and subject
    gbk = [r for r in receipts if r.sender == "yuhai@example.cn"]
    assert [r.name for r in gbk] == ["附件3_十大效能示范岗推荐表（玉海街道）.docx"] and gbk[0].unit == "玉海街道"
    assert gbk[0].email_subject == "玉海街道推荐表（请查收）"
    # the forward: attachments carry the forwarded message's sender and date; the pdf is kept too
    fwd = [r for r in receipts if r.path.endswith("转发：安阳街道材料.eml")]
    assert {r.name for r in fwd} == {"附件3_十大效能示范岗推荐表（安阳街道）.docx", "说明.pdf"}
    assert {r.unit for r in fwd if r.name.endswith(".docx")} == {"安阳街道"}
    # the reply from a personal address belongs to the unit the issue mail went to
    reply = by_name["附件4_勤廉标兵候选人申报表（锦湖街道）.docx"]
    assert reply.sender == "li.si.home@126.com" and reply.unit == "锦湖街道"
    assert rows["<reply-1@126.com>"]["thread_unit"] == "锦湖街道"
    # the malformed message: recorded, with a problem line or as an unread file, never a crash
    bad_path = next(r["path"] for r in rows.values() if r["sender"] == "shangwang@example.cn")
    bad = [r for r in receipts if r.path == bad_path]
    assert [r.status for r in bad] == ["error"] and "已损坏" in bad[0].error and "\n" not in bad[0].error
    # the server: taken messages carry the keyword, the advertisement is untouched, nothing deleted or read
    # an old Word .doc goes through LibreOffice like a file in forms_in/
    if "xincheng_doc" in msgs:
        doc = next(r for r in receipts if r.sender == "xincheng@example.cn")
        assert doc.name.endswith(".doc") and doc.status == "ok" and doc.unit == "莘塍街道"
        with ws.ledger() as ledger:
            types = [r[0] for r in ledger.execute("SELECT form_type FROM forms WHERE receipt_id = ?", (doc.id,))]
        assert types == ["post_nomination"]
    flags = server.flags(FOLDER)
    assert len(flags) == n
    assert sum("$formgen" in f for f in flags.values()) == n - 1
    assert not any("\\Seen" in f or "\\Deleted" in f for f in flags.values())
    assert "ID sent: name=formgen" in server.log_text()


@needs_dovecot
def test_refetch_downloads_and_adds_nothing(mailbox):
    server, ws, _ = mailbox
    fetch_mail(ws)
    with ws.ledger() as ledger:
        before = [tuple(r) for r in ledger.execute("SELECT id, sha256, path, name, unit FROM receipts")]
    report = fetch_mail(ws)
    assert (report.looked_at, report.taken, report.same) == (0, 0, 0)
    with ws.ledger() as ledger:
        after = [tuple(r) for r in ledger.execute("SELECT id, sha256, path, name, unit FROM receipts")]
    assert after == before


@needs_dovecot
def test_same_messages_in_another_folder_are_not_stored_twice(mailbox):
    """A new UIDVALIDITY (folder rebuilt, messages copied): recognised by Message-ID, no download, no duplicate."""
    server, ws, msgs = mailbox
    fetch_mail(ws)
    server.append([msgs["dongshan"], msgs["reply"]], folder="收件箱")
    with ws.ledger() as ledger:
        n_receipts = ledger.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]
        n_messages = ledger.execute("SELECT COUNT(*) FROM mail_messages").fetchone()[0]
    report = fetch_mail(set_mail(ws, folder="收件箱"))
    assert (report.taken, report.same) == (0, 2)
    assert all("$formgen" in f for f in server.flags("收件箱").values())
    with ws.ledger() as ledger:
        assert ledger.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] == n_receipts
        assert ledger.execute("SELECT COUNT(*) FROM mail_messages").fetchone()[0] == n_messages
    set_mail(ws, folder=FOLDER)


@needs_dovecot
def test_collect_mail_cli(mailbox, tmp_path):
    server, ws, msgs = mailbox
    other = make_mail_ws(tmp_path / "ws2", server.port, folder=FOLDER, subject_contains=["推荐"], senders="any",
                         mark="seen")
    result = CliRunner().invoke(cli, ["-C", str(other.root), "collect", "--mail"])
    assert result.exit_code == 0, result.output
    assert "收取 1 封" in result.output  # only 玉海街道推荐表 has 推荐 in its subject
    with other.ledger() as ledger:
        assert [r["message_id"] for r in ledger.execute("SELECT message_id FROM mail_messages")] == ["<gbk-1@foxmail.example.cn>"]
    # mark: seen sets \Seen on exactly that one message (it already carries $formgen from the other workspace)
    assert sum("\\Seen" in f for f in server.flags(FOLDER).values()) == 1


@needs_dovecot
def test_mail_test_reports_both_sides(mailbox):
    server, ws, _ = mailbox
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "test"])
    assert result.exit_code == 1  # no SMTP server configured in this workspace
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("✓ 收信：正常") and "报送材料" in lines[0] and "IMAP ID" in lines[0]
    assert lines[1].startswith("✗ 发信：") and "mail.smtp" in lines[1]


@needs_dovecot
def test_mail_test_lists_folders_when_the_folder_is_wrong(mailbox):
    server, ws, _ = mailbox
    set_mail(ws, folder="报送材料2014")
    try:
        result = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "test"])
    finally:
        set_mail(ws, folder=FOLDER)
    first = result.output.splitlines()[0]
    assert first.startswith("✗ 收信：") and "“报送材料2014”" in first and "报送材料" in first.split("：")[-1]


@needs_dovecot
def test_after_fetch_move_only_when_set(tmp_path):
    with Dovecot() as server:
        server.append([message("dongshan@example.cn", "材料", message_id="<m1@x>"),
                       message("dongshan@example.cn", "材料2", message_id="<m2@x>")])
        ws = make_mail_ws(tmp_path / "ws", server.port, after_fetch="move", move_to="已收取")
        server.append([], folder="已收取")  # the clerk made the folder
        report = fetch_mail(ws)
        assert report.taken == 2 and report.moved == 2
        assert server.count("INBOX") == 0 and server.count("已收取") == 2
        assert fetch_mail(ws).taken == 0  # moved away, still in the ledger: nothing new


@needs_dovecot
def test_delete_only_when_set(tmp_path):
    with Dovecot() as server:
        server.append([message("dongshan@example.cn", "材料", message_id="<d1@x>"),
                       message("sales@ads.example.com", "广告", message_id="<d2@x>")])
        ws = make_mail_ws(tmp_path / "ws", server.port)
        assert fetch_mail(ws).deleted == 0 and server.count() == 2  # keep: the default
        report = fetch_mail(set_mail(ws, after_fetch="delete"))
        assert report.deleted == 1 and server.count() == 1  # only what was taken; the advertisement stays


def test_password_never_from_campaign_and_missing_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("FORMGEN_MAIL_PASSWORD", raising=False)
    monkeypatch.setattr("formgen.mail.password.from_keyring", lambda user: None)
    ws = make_mail_ws(tmp_path / "ws", 1)
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "fetch"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0
    assert "FORMGEN_MAIL_PASSWORD" in result.output and "formgen mail password" in result.output


def test_campaign_rejects_password_key(tmp_path):
    ws = make_mail_ws(tmp_path / "ws", 1, password="secret")
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "test"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "密码不能写在 campaign.yaml 中" in result.output and "FORMGEN_MAIL_PASSWORD" in result.output

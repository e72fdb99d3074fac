"""formgen issue --send / remind --send against a real SMTP server (aiosmtpd), and replies coming back."""
from __future__ import annotations

import email
from email import policy

import pytest
from click.testing import CliRunner

from formgen.campaign.presets import preset_units
from formgen.cli import cli
from formgen.ledger.mail import sent_mail
from mail_servers import PASSWORD, USER, Dovecot, Smtp, dovecot_missing, message
from mail_workspace import REFUSED_UNIT, make_mail_ws, set_mail

UNITS = [*preset_units("ruian-2014")[:3], REFUSED_UNIT]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("FORMGEN_MAIL_PASSWORD", PASSWORD)


@pytest.fixture()
def smtp():
    with Smtp() as server:
        yield server


def _run(ws, *args):
    return CliRunner().invoke(cli, ["-C", str(ws.root), *args])


def _parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def test_issue_send_mails_notice_and_forms_to_each_unit(tmp_path, smtp):
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS)
    result = _run(ws, "issue", "--send")
    assert result.exit_code == 0, result.output
    got = {tuple(to): _parsed(raw) for _, to, raw in smtp.messages}
    assert set(got) == {(u.email,) for u in UNITS[:3]}  # the refused unit got nothing
    msg = got[("anyang@example.cn",)]
    assert msg["From"].addresses[0].addr_spec == USER and "安阳街道" in msg.get_body().get_content()
    assert msg["To"].addresses[0].display_name == "陈静（安阳街道）"
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names[0].endswith(".docx") and any("（安阳街道）" in n for n in names[1:])
    assert all(p.get_content() for p in msg.iter_attachments())  # real bytes, not empty parts
    with ws.ledger() as ledger:
        rows = sent_mail(ledger)
    sent = {r.unit: r for r in rows if r.status == "sent"}
    assert set(sent) == {u.name for u in UNITS[:3]}
    assert sent["安阳街道"].message_id == msg["Message-ID"] and sent["安阳街道"].attachments == names
    failed = [r for r in rows if r.status == "failed"]
    assert [r.unit for r in failed] == [REFUSED_UNIT.name] and "refuse@example.cn" in failed[0].error
    assert f"发送失败 {REFUSED_UNIT.name}" in result.output and "550" in result.output


def test_issue_without_send_sends_nothing_and_says_what_would_go(tmp_path, smtp):
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS)
    result = _run(ws, "issue")
    assert result.exit_code == 0 and "未发送任何邮件" in result.output and "4 个单位" in result.output
    assert smtp.messages == []


def test_remind_without_send_writes_outbox_and_says_what_would_go(tmp_path, smtp):
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS)
    result = _run(ws, "remind")
    assert result.exit_code == 0, result.output
    assert len(list((ws.out / "remind").glob("*.eml"))) == len(UNITS)
    assert "未发送任何邮件" in result.output and "--send" in result.output
    assert smtp.messages == []


def test_remind_send_once_a_day_unless_forced(tmp_path, smtp):
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS)
    first = _run(ws, "remind", "--send")
    assert first.exit_code == 0, first.output
    assert len(smtp.messages) == 3
    body = _parsed(smtp.messages[0][2])
    assert body["X-Unsent"] is None and "尚未收到贵单位的以下材料" in body.get_body().get_content()
    again = _run(ws, "remind", "--send")
    assert again.exit_code == 0 and len(smtp.messages) == 3
    assert "今天" in again.output and "--force" in again.output
    forced = _run(ws, "remind", "--send", "--force")
    assert forced.exit_code == 0 and len(smtp.messages) == 6
    mids = [_parsed(raw)["Message-ID"] for _, _, raw in smtp.messages]
    assert len(set(mids)) == 6  # each message its own Message-ID
    status = _run(ws, "status")
    assert "催报" in status.output and "邮件" in status.output
    log = _run(ws, "mail", "sent")
    assert log.exit_code == 0 and log.output.count("已发送") == 6 and "失败" in log.output  # + the refused unit


def test_issue15_defect15_issue_send_once_per_unit_unless_forced(tmp_path, smtp):
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS)
    assert _run(ws, "issue", "--send").exit_code == 0
    assert len(smtp.messages) == 3  # the fourth unit's server refuses its address
    again = _run(ws, "issue", "--send")
    assert again.exit_code == 0, again.output
    assert len(smtp.messages) == 3  # nobody gets the notice twice …
    assert "跳过 3 个单位" in again.output and "已发过下发通知邮件" in again.output and "--force" in again.output
    assert f"发送失败 {REFUSED_UNIT.name}" in again.output  # … but a unit never reached is tried again
    forced = _run(ws, "issue", "--send", "--force")
    assert forced.exit_code == 0 and len(smtp.messages) == 6 and "跳过 0 个单位" in forced.output


def _no_password(monkeypatch):
    monkeypatch.delenv("FORMGEN_MAIL_PASSWORD", raising=False)
    monkeypatch.setattr("formgen.mail.password.from_keyring", lambda user: None)


def test_issue15_defect14_relay_without_auth_sends_when_login_is_off(tmp_path, monkeypatch):
    _no_password(monkeypatch)  # a relay without login: no password anywhere, none asked
    with Smtp(user=None) as relay:
        ws = make_mail_ws(tmp_path / "ws", None, relay.port, units=UNITS)
        ws = set_mail(ws, smtp={"host": "127.0.0.1", "port": relay.port, "security": "none", "login": False})
        test = _run(ws, "mail", "test")
        smtp_line = next(line for line in test.output.splitlines() if "发信" in line)
        assert smtp_line.startswith("✓ 发信：正常") and "不登录" in smtp_line, test.output
        result = _run(ws, "remind", "--send")
        assert result.exit_code == 0, result.output
        assert len(relay.messages) == 3 and "已发送 3 封" in result.output


def test_issue15_defect14_relay_without_auth_but_login_on_says_what_happened(tmp_path):
    with Smtp(user=None) as relay:
        ws = make_mail_ws(tmp_path / "ws", None, relay.port, units=UNITS)
        result = _run(ws, "remind", "--send")
    assert result.exit_code != 0 and "Traceback" not in result.output
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "不提供登录（AUTH）" in line and "login: false" in line, result.output
    assert relay.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_issue15_defect14_login_off_but_server_wants_one_says_so(tmp_path, monkeypatch):
    _no_password(monkeypatch)
    with Smtp(require_login=True) as server:
        ws = make_mail_ws(tmp_path / "ws", None, server.port, units=UNITS)
        ws = set_mail(ws, smtp={"host": "127.0.0.1", "port": server.port, "security": "none", "login": False})
        result = _run(ws, "remind", "--send")
    assert "要求先登录" in result.output and "login: false" in result.output, result.output
    assert server.messages == []


def test_issue15_defect14_imap_cannot_do_without_login(tmp_path):
    ws = make_mail_ws(tmp_path / "ws", 1)
    ws = set_mail(ws, imap={"host": "127.0.0.1", "port": 1, "security": "none", "login": False})
    result = _run(ws, "mail", "test")
    assert result.exit_code != 0 and "mail.imap.login" in result.output and "Traceback" not in result.output


def test_smtp_wrong_password_is_one_line(tmp_path, smtp, monkeypatch):
    monkeypatch.setenv("FORMGEN_MAIL_PASSWORD", "wrong")
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS)
    result = _run(ws, "remind", "--send")
    assert result.exit_code != 0
    err = [line for line in result.output.splitlines() if line.startswith("错误")]
    assert len(err) == 1 and "授权码" in err[0] and "535" in err[0]
    with ws.ledger() as ledger:
        assert sent_mail(ledger) == []


def test_smtp_server_down_is_one_line(tmp_path):
    from mail_servers import free_port

    ws = make_mail_ws(tmp_path / "ws", None, free_port(), units=UNITS)
    result = _run(ws, "remind", "--send")
    assert result.exit_code != 0
    assert "无法连接发信服务器" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(dovecot_missing() is not None, reason=dovecot_missing() or "")
def test_reply_to_sent_issue_mail_is_matched_to_its_unit(tmp_path, smtp):
    """The whole loop: issue --send over SMTP, the unit answers from a personal address, collect --mail."""
    with Dovecot() as imap:
        ws = make_mail_ws(tmp_path / "ws", imap.port, smtp.port, units=UNITS)
        assert _run(ws, "issue", "--send", "--unit", "玉海街道").exit_code == 0
        sent = _parsed(smtp.messages[0][2])
        # a file that names no unit (no form anchors), from an address units.xlsx does not know
        imap.append([message("wang.lei@qq.com", "Re: " + str(sent["Subject"]), [("情况说明.pdf", PDF)],
                             in_reply_to=sent["Message-ID"], message_id="<re-yuhai@qq.com>"),
                     message("wang.lei@qq.com", "另一封", [("其他.pdf", PDF + b"%x")], message_id="<other@qq.com>")])
        result = _run(ws, "collect", "--mail")
        assert result.exit_code == 0, result.output
        with ws.ledger() as ledger:
            rows = [tuple(r) for r in ledger.execute("SELECT name, unit, unit_method, sender FROM receipts")]
            assert ledger.execute("SELECT thread_unit FROM mail_messages").fetchone()[0] == "玉海街道"
        # the reply is the unit's; the other message from that address is not a unit's and was not taken
        assert rows == [("情况说明.pdf", "玉海街道", "reply", "wang.lei@qq.com")]


def test_sending_is_paced_by_per_minute(tmp_path, smtp, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("formgen.mail.smtp.time.sleep", waits.append)
    ws = make_mail_ws(tmp_path / "ws", None, smtp.port, units=UNITS[:3], per_minute=6)
    assert _run(ws, "remind", "--send").exit_code == 0
    assert len(smtp.messages) == 3
    # 6 a minute: the 2nd and 3rd message each waited for (most of) the 10 seconds since the previous one
    assert len(waits) == 2 and all(8 < w <= 10 for w in waits)


def test_password_from_keyring_when_no_environment(monkeypatch):
    import sys
    import types

    from formgen.mail.password import KEYRING_SERVICE, mail_password

    monkeypatch.delenv("FORMGEN_MAIL_PASSWORD", raising=False)
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, user: "from-keyring" if (service, user) == (KEYRING_SERVICE, USER) else None
    errors = types.ModuleType("keyring.errors")
    errors.KeyringError = type("KeyringError", (Exception,), {})
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.setitem(sys.modules, "keyring.errors", errors)
    assert mail_password(USER) == "from-keyring"


def test_smtp_starttls_certificate_error_then_trusted(tmp_path):
    from formgen.mail.local import make_cert

    cert, key = make_cert(tmp_path)
    with Smtp(tls=(cert, key)) as server:
        ws = make_mail_ws(tmp_path / "ws", None, server.port, units=UNITS[:1])
        ws = set_mail(ws, smtp={"host": "127.0.0.1", "port": server.port, "security": "starttls"})
        result = _run(ws, "remind", "--send")
        err = [line for line in result.output.splitlines() if line.startswith("错误")]
        assert result.exit_code != 0 and len(err) == 1
        assert "证书无法验证" in err[0] and "mail.smtp.ca_file" in err[0]
        assert server.messages == []
        set_mail(ws, smtp={"host": "127.0.0.1", "port": server.port, "security": "starttls", "ca_file": str(cert)})
        assert _run(ws, "remind", "--send").exit_code == 0
        assert len(server.messages) == 1

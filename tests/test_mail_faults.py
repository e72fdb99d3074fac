"""Mailbox faults, each one Chinese line and nothing half-written: wrong password, server down,
TLS certificate, a line cut mid-fetch (then resumed), an oversized message, 2,000 messages."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.errors import FormgenError
from formgen.mail.fetch import fetch_mail
from mail_servers import PASSWORD, CutProxy, Dovecot, dovecot_missing, free_port, message, plain_message
from mail_workspace import make_mail_ws, set_mail

pytestmark = pytest.mark.skipif(dovecot_missing() is not None, reason=dovecot_missing() or "")


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("FORMGEN_MAIL_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def dovecot():
    with Dovecot(tls=True) as server:
        yield server


def _pdf(i: int, pad: int = 20000) -> bytes:
    return (b"%PDF-1.4\n%" + f"{i:08d}".encode() * (pad // 8) + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _error_line(result) -> str:
    assert result.exit_code != 0
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in result.output, result.output
    return lines[0]


def _ledger_counts(ws) -> tuple[int, int, int]:
    with ws.ledger() as ledger:
        return tuple(ledger.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("mail_messages", "receipts", "mail_uids"))


def test_wrong_password_names_the_authorisation_code(dovecot, tmp_path, monkeypatch):
    monkeypatch.setenv("FORMGEN_MAIL_PASSWORD", "not-the-code")
    ws = make_mail_ws(tmp_path / "ws", dovecot.port)
    line = _error_line(CliRunner().invoke(cli, ["-C", str(ws.root), "collect", "--mail"]))
    assert "登录收信服务器失败" in line and "授权码" in line and "AUTHENTICATIONFAILED" in line
    assert _ledger_counts(ws) == (0, 0, 0)


def test_server_down(tmp_path):
    ws = make_mail_ws(tmp_path / "ws", free_port())
    line = _error_line(CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "fetch"]))
    assert "无法连接收信服务器" in line and "mail.imap.port" in line


def test_tls_certificate_error_then_trusted_with_ca_file(dovecot, tmp_path):
    ws = make_mail_ws(tmp_path / "ws", dovecot.ssl_port)
    ws = set_mail(ws, imap={"host": "127.0.0.1", "port": dovecot.ssl_port, "security": "ssl"})
    line = _error_line(CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "fetch"]))
    assert "证书无法验证" in line and "mail.imap.ca_file" in line
    (ws.root / "证书").mkdir()
    (ws.root / "证书" / "ca.pem").write_bytes(dovecot.cert.read_bytes())
    # the office's certificate trusted: absolute, or relative to the workspace
    for security, port, ca in (("ssl", dovecot.ssl_port, str(dovecot.cert)), ("starttls", dovecot.port, "证书/ca.pem")):
        ws = set_mail(ws, imap={"host": "127.0.0.1", "port": port, "security": security, "ca_file": ca})
        assert fetch_mail(ws).found == 0  # logged in over TLS (an empty mailbox)
    ws = set_mail(ws, imap={"host": "127.0.0.1", "port": dovecot.port, "security": "starttls", "ca_file": "没有.pem"})
    assert "根证书文件“" in _error_line(CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "fetch"]))


def test_plain_port_with_ssl_setting_says_which_port(dovecot, tmp_path):
    ws = set_mail(make_mail_ws(tmp_path / "ws", dovecot.port),
                  imap={"host": "127.0.0.1", "port": dovecot.port, "security": "ssl"})
    line = _error_line(CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "fetch"]))
    assert "加密连接失败" in line and "993" in line


def test_line_cut_mid_fetch_resumes_without_duplicates(tmp_path):
    n = 60
    with Dovecot() as server:
        server.append([message("dongshan@example.cn", f"材料{i}", [(f"说明{i}.pdf", _pdf(i))], message_id=f"<cut-{i}@x>")
                       for i in range(n)])
        proxy = CutProxy(server.port, limit=900_000)  # in the middle of the second batch of bodies
        ws = make_mail_ws(tmp_path / "ws", proxy.port)
        with pytest.raises(FormgenError) as cut:
            fetch_mail(ws)
        proxy.close()
        assert "连接中断" in str(cut.value) and "从中断处继续" in str(cut.value) and "\n" not in str(cut.value)
        messages, receipts, uids = _ledger_counts(ws)
        assert 0 < messages < n
        with ws.ledger() as ledger:  # whole messages only: each recorded message has its receipt and its UID
            paths = {r[0] for r in ledger.execute("SELECT path FROM mail_messages")}
            assert {r[0] for r in ledger.execute("SELECT path FROM receipts")} == paths
            assert ledger.execute("SELECT COUNT(*) FROM mail_uids WHERE outcome = 'taken'").fetchone()[0] == messages
        ws = set_mail(ws, imap={"host": "127.0.0.1", "port": server.port, "security": "none"})
        report = fetch_mail(ws)
        assert report.taken == n - messages
        assert _ledger_counts(ws) == (n, n, n)
        assert all("$formgen" in f for f in server.flags().values())  # the first run's too, flagged on resume
        assert fetch_mail(ws).looked_at == 0


def test_oversized_message_stays_in_the_mailbox_with_one_line(tmp_path):
    with Dovecot() as server:
        server.append([message("dongshan@example.cn", "扫描件", [("扫描件.pdf", _pdf(1, pad=1_300_000))],
                               message_id="<big@x>"),
                       message("dongshan@example.cn", "小文件", [("说明.pdf", _pdf(2))], message_id="<small@x>")])
        ws = make_mail_ws(tmp_path / "ws", server.port, max_message_mb=1)
        result = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "fetch"])
        assert result.exit_code == 0, result.output
        assert "超过 1 MB 上限，未下载，仍留在邮箱中" in result.output
        assert _ledger_counts(ws)[:2] == (1, 1)
        flags = server.flags()
        assert sorted("$formgen" in f for f in flags.values()) == [False, True]
        # the limit raised: the message is taken on the next run
        assert fetch_mail(set_mail(ws, max_message_mb=5)).taken == 1


def test_two_thousand_messages_with_progress(tmp_path):
    n = 2000
    with Dovecot() as server:
        server.deliver([plain_message("yuhai@example.cn", f"第{i}封", f"<bulk-{i}@x>", f"第{i}封")
                       for i in range(n)])
        ws = make_mail_ws(tmp_path / "ws", server.port)
        seen: list[tuple[int, int]] = []
        report = fetch_mail(ws, progress=lambda done, total, name: seen.append((done, total)))
        assert report.taken == n and report.marked == n
        assert seen[-1] == (n, n) and len({d for d, _ in seen}) > 50  # progress moved along
        assert _ledger_counts(ws)[0] == n
        assert fetch_mail(ws).looked_at == 0

"""formgen desk: the start (free port, token in the URL, one desk per workspace) and users add."""
from __future__ import annotations

import urllib.request

from click.testing import CliRunner

from cli_helpers import assert_one_clean_line
from formgen.cli import cli


def test_desk_serves_on_localhost_with_a_token(workspace, desk):
    d = desk(workspace)
    assert d.url.startswith("http://127.0.0.1:") and "?token=" in d.url
    assert d.app.config["DESK_URL"].rsplit(":", 1)[1].rstrip("/") != "0"  # the port the OS gave
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())  # keeps the cookie, as a browser
    with browser.open(d.url) as r:  # the opened URL works
        assert r.status == 200 and "总览" in r.read().decode("utf-8")


def test_second_desk_on_the_same_workspace_is_one_line(workspace, desk):
    first = desk(workspace)
    res = CliRunner().invoke(cli, ["desk", str(workspace.root), "--no-browser"])
    line = assert_one_clean_line(res)
    assert "已在另一个 formgen desk 中打开" in line and first.base in line


def test_desk_outside_a_workspace_is_one_line(tmp_path):
    line = assert_one_clean_line(CliRunner().invoke(cli, ["desk", str(tmp_path), "--no-browser"]))
    assert "campaign.yaml" in line


def test_lan_without_accounts_is_one_line(workspace):
    line = assert_one_clean_line(CliRunner().invoke(cli, ["desk", str(workspace.root), "--lan", "--no-browser"]))
    assert "formgen users add" in line


def test_users_add_stores_an_argon2_hash(workspace):
    from formgen.ledger.users import get_user

    res = CliRunner().invoke(cli, ["-C", str(workspace.root), "users", "add", "王芳", "--role", "viewer",
                                   "--password", "secret-123"])
    assert res.exit_code == 0, res.output
    with workspace.ledger() as ledger:
        user = get_user(ledger, "王芳")
    assert user.role == "viewer" and user.password_hash.startswith("$argon2") and "secret-123" not in user.password_hash
    short = CliRunner().invoke(cli, ["-C", str(workspace.root), "users", "add", "李", "--password", "short"])
    assert "至少 8 位" in assert_one_clean_line(short)

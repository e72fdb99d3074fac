"""Who may drive the desk: the per-run token, the Host check, same-origin writes with a CSRF token,
paths that cannot leave the workspace, and --lan accounts with rate-limited logins. Against a real
desk server on a free port, with raw HTTP so every header is the test's own."""
from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from io import BytesIO

import pytest

from testdata import RETURNS, YUHAI_APP


def call(d, method: str, path: str, *, cookie: str | None = "token", headers: dict | None = None,
         body: bytes | str | None = None, content_type: str | None = None):
    """(status, headers, text) of one request; ``cookie`` "token" sends this run's token cookie."""
    host, port = d.base.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    h = {"Host": f"{host}:{port}"}
    if cookie == "token":
        h["Cookie"] = f"formgen_desk={d.token}"
    elif cookie:
        h["Cookie"] = cookie
    if content_type:
        h["Content-Type"] = content_type
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    out = r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")
    conn.close()
    return out


def same_origin(d) -> dict:
    return {"Origin": d.base.rstrip("/"), "X-CSRF-Token": d.app.config["DESK_CSRF"]}


def form(data: dict) -> tuple[str, str]:
    return urllib.parse.urlencode(data), "application/x-www-form-urlencoded"


@pytest.fixture
def running(collected_copy, desk):
    return desk(collected_copy)


@pytest.mark.parametrize("path", ["/", "/inbox", "/review", "/reminders", "/api/jobs", "/inbox/file/1/original",
                                  "/files/collect/收件情况.xlsx"])
def test_no_token_is_403(running, path):
    status, _, text = call(running, "GET", urllib.parse.quote(path), cookie=None)
    assert status == 403 and "没有访问令牌" in text
    status, _, _ = call(running, "GET", urllib.parse.quote(path), cookie="formgen_desk=wrong-token")
    assert status == 403


def test_the_token_in_the_url_becomes_a_cookie(running):
    status, headers, _ = call(running, "GET", f"/?token={running.token}", cookie=None)
    assert status == 302 and headers["Location"] == "/"
    assert f"formgen_desk={running.token}" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
    assert "SameSite=Strict" in headers["Set-Cookie"]


def test_a_foreign_host_header_is_403(running):
    """DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1."""
    port = running.base.rsplit(":", 1)[1].rstrip("/")
    status, _, text = call(running, "GET", "/", headers={"Host": f"evil.example:{port}"})
    assert status == 403 and "地址不对" in text


def test_a_cross_origin_post_is_refused(running):
    body, ctype = form({"key": "birth", "value": "x"})
    for origin in ("http://evil.example", "null"):
        headers = {**same_origin(running), "Origin": origin}
        status, _, text = call(running, "POST", "/inbox/collect", headers=headers, body=body, content_type=ctype)
        assert status == 403 and "拒绝来自其他网页的提交" in text
    # no Origin and no Referer: refused too
    status, _, _ = call(running, "POST", "/inbox/collect", headers={"X-CSRF-Token": running.app.config["DESK_CSRF"]},
                        body=body, content_type=ctype)
    assert status == 403
    assert not running.worker().jobs()  # nothing was started


def test_a_same_origin_post_without_the_csrf_token_is_refused(running):
    status, _, text = call(running, "POST", "/inbox/collect", headers={"Origin": running.base.rstrip("/")})
    assert status == 403 and "请刷新页面" in text
    status, _, text = call(running, "POST", "/inbox/collect", headers=same_origin(running))
    assert status == 200 and "job" in json.loads(text)


@pytest.mark.parametrize("path", ["/files/../campaign.yaml", "/files/..%2fcampaign.yaml", "/files/%2e%2e/ledger.sqlite",
                                  "/files/collect/..%2f..%2fcampaign.yaml", "/files/..%5cledger.sqlite",
                                  "/files/%2fetc%2fpasswd", "/files/C:%5cWindows%5cwin.ini",
                                  "/api/preview/..%2fcampaign.yaml", "/api/preview/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "/preview/..%2f..%2fcampaign.yaml"])
def test_dotdot_in_download_and_preview_urls_is_refused(running, path):
    status, _, text = call(running, "GET", path)
    assert status in (404, 400), (status, text[:200])
    assert "issuer" not in text and "root:" not in text and "SQLite" not in text


def test_a_file_inside_out_downloads(running):
    status, headers, _ = call(running, "GET", "/files/" + urllib.parse.quote("collect/收件情况.xlsx"))
    assert status == 200 and "filename*=UTF-8''" in headers["Content-Disposition"]


def _multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "formgen-test-boundary"
    out = BytesIO()
    for name, data in files:
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n".encode("utf-8"))
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_uploaded_names_cannot_escape_the_workspace(running):
    ws_root = running.app.config["DESK_WORKSPACE"]
    data = (RETURNS / YUHAI_APP).read_bytes()
    names = ["../../../escape.docx", "..\\..\\escape2.docx", "/etc/escape3.docx", "C:\\Windows\\escape4.docx",
             "CON.docx", "a:b*c?.docx", "..", YUHAI_APP, YUHAI_APP]
    body, ctype = _multipart([(n, data) for n in names])
    status, _, text = call(running, "POST", "/inbox/upload", headers=same_origin(running), body=body, content_type=ctype)
    assert status == 200, text
    saved = json.loads(text)["saved"]
    assert len(saved) == len(names) and len(set(saved)) == len(names)  # the same name twice: both kept
    folder = next((ws_root / "forms_in" / "网页上传").iterdir())
    on_disk = sorted(p.name for p in folder.iterdir())
    assert on_disk == sorted(saved)
    for n in saved:  # nothing Windows forbids, no path parts
        assert not set(n) & set('<>:"/\\|?*') and n.split(".")[0].upper() != "CON"
    outside = [p for p in ws_root.parent.rglob("escape*") if folder not in p.parents]
    assert outside == []
    running.worker().wait_idle(120)


def test_an_error_is_one_chinese_line_never_a_traceback(running):
    status, _, text = call(running, "GET", "/inbox/file/999")
    assert status == 400 and "错误：没有编号为 999 的文件" in text and "Traceback" not in text
    status, _, text = call(running, "POST", "/api/review/999/accept", headers=same_origin(running),
                           body="key=birth", content_type="application/x-www-form-urlencoded")
    assert json.loads(text)["error"].startswith("错误：") and "Traceback" not in text


# --lan ----------------------------------------------------------------------------------------

@pytest.fixture
def lan(collected_copy, desk):
    from formgen.desk.identity import add_user

    add_user(collected_copy, "张敏", "clerk", "right-password")
    add_user(collected_copy, "访客", "viewer", "viewer-password")
    return desk(collected_copy, lan=True)


def login(d, name: str, password: str):
    body, ctype = form({"name": name, "password": password})
    return call(d, "POST", "/login", cookie=None, headers={"Origin": d.base.rstrip("/")}, body=body, content_type=ctype)


def test_lan_pages_need_a_login(lan):
    status, headers, _ = call(lan, "GET", "/review", cookie=None)
    assert status == 302 and headers["Location"].startswith("/login")
    status, _, _ = call(lan, "GET", "/api/jobs", cookie=None)
    assert status == 401


def test_a_wrong_password_is_rate_limited(lan):
    from formgen.desk.identity import LOGIN_TRIES

    for _ in range(LOGIN_TRIES):
        status, _, text = login(lan, "张敏", "wrong")
        assert status == 401 and "用户名或密码不对" in text
    status, _, text = login(lan, "张敏", "right-password")  # even the right one waits now
    assert status == 429 and "分钟后再试" in text
    status, headers, _ = login(lan, "访客", "viewer-password")  # another account is not locked out
    assert status == 302


def test_a_session_records_who_and_a_viewer_cannot_write(lan):
    status, headers, _ = login(lan, "张敏", "right-password")
    cookie = headers["Set-Cookie"].split(";")[0]
    status, _, text = call(lan, "GET", "/", cookie=cookie)
    assert status == 200 and "张敏（办事员）" in text
    csrf = text.split('name="csrf-token" content="')[1].split('"')[0]
    status, _, text = call(lan, "POST", "/inbox/collect", cookie=cookie,
                           headers={"Origin": lan.base.rstrip("/"), "X-CSRF-Token": csrf})
    assert status == 200
    job = lan.worker().get(json.loads(text)["job"])
    assert job.started_by == "张敏"
    lan.worker().wait_idle(120)
    _, headers, _ = login(lan, "访客", "viewer-password")
    viewer = headers["Set-Cookie"].split(";")[0]
    _, _, page = call(lan, "GET", "/", cookie=viewer)
    vcsrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    assert vcsrf != csrf  # per session
    status, _, text = call(lan, "POST", "/inbox/collect", cookie=viewer,  # as desk.js sends it
                           headers={"Origin": lan.base.rstrip("/"), "X-CSRF-Token": vcsrf, "X-Requested-With": "fetch"})
    assert "只读账号，不能修改" in json.loads(text)["error"]


def test_sessions_expire():
    from formgen.desk.identity import Actor, Sessions

    sessions = Sessions(idle=0.2)
    sid = sessions.open(Actor("张敏", "clerk"))
    assert sessions.get(sid) is not None
    time.sleep(0.3)
    assert sessions.get(sid) is None

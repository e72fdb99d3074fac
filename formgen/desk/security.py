"""Who may talk to the desk at all.

* A per-run random token: given in the URL the desk opens, then kept in a cookie. Without it
  every request gets 403, so another local user or a web page in the same browser cannot drive
  the desk (``--lan`` replaces it with accounts: formgen.desk.identity).
* The Host header must name this server (DNS rebinding: a hostile name resolving to 127.0.0.1).
* Writes (POST …) need a same-origin Origin or Referer, and the CSRF token the pages carry
  (a hidden ``csrf`` field in forms, the ``X-CSRF-Token`` header on fetch calls).
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request

COOKIE = "formgen_desk"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def exempt(view):
    """Mark a view as reachable without the clerk's token (login page, static files, a judge's
    personal link, which checks its own token)."""
    view.desk_exempt = True
    return view


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _hostname(host: str) -> str:
    """``127.0.0.1:8123`` → ``127.0.0.1``; ``[::1]:8123`` → ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _host_ok(host: str, lan: bool) -> bool:
    name = _hostname(host)
    if name in ("127.0.0.1", "localhost", "::1"):
        return True
    if not lan:
        return False
    try:  # on the office network the desk is reached by its IP address or the PC's name
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    own = {socket.gethostname().lower(), socket.getfqdn().lower()}
    return name in own or name.split(".")[0] in {o.split(".")[0] for o in own}


def _origin_ok() -> bool:
    """A write comes from one of the desk's own pages: Origin (or, without it, Referer) is this host."""
    seen = request.headers.get("Origin") or request.headers.get("Referer")
    if not seen or seen == "null":
        return False
    parts = urlsplit(seen)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()


def csrf_token() -> str:
    """The token every form and fetch call of the pages carries (per run; per session with --lan)."""
    from formgen.desk.identity import session_csrf

    return session_csrf() or current_app.config["DESK_CSRF"]


def install(app: Flask) -> None:
    """Check every request before its view runs."""

    @app.before_request
    def guard():
        lan = app.config["DESK_LAN"]
        if not _host_ok(request.host, lan):
            abort(403, "地址不对：请从 formgen desk 打开的网址访问")
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        exempt_view = getattr(view, "desk_exempt", False) or request.endpoint == "static"
        if request.method not in SAFE_METHODS:
            if not _origin_ok():
                abort(403, "拒绝来自其他网页的提交")
        if not exempt_view:
            if lan:
                from formgen.desk.identity import require_login

                response = require_login()
                if response is not None:
                    return response
            else:
                given = request.args.get("token")
                if given is not None and _same(given, app.config["DESK_TOKEN"]):
                    # the opened URL: keep the token in a cookie and drop it from the address bar
                    args = request.args.to_dict(flat=False)
                    args.pop("token")
                    query = "&".join(f"{k}={v}" for k, vs in args.items() for v in vs)
                    response = redirect(request.path + (f"?{query}" if query else ""))
                    response.set_cookie(COOKIE, app.config["DESK_TOKEN"], httponly=True, samesite="Strict")
                    return response
                cookie = request.cookies.get(COOKIE, "")
                if not cookie or not _same(cookie, app.config["DESK_TOKEN"]):
                    abort(403, "没有访问令牌：请用 formgen desk 打开的网址（含 token）访问")
        if request.method not in SAFE_METHODS and not exempt_view:
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf", "")
            if not sent or not _same(sent, csrf_token()):
                abort(403, "页面已过期：请刷新页面后再提交")
        g.csrf = csrf_token()

"""登录 (``--lan`` only): accounts of ``formgen users add``; wrong passwords are rate-limited."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for

from formgen.desk.context import page, workspace
from formgen.desk.identity import SESSION_COOKIE, check_password
from formgen.desk.security import exempt

bp = Blueprint("login", __name__)


def _next() -> str:
    target = request.values.get("next") or "/"
    return target if target.startswith("/") and not target.startswith("//") else "/"


@bp.get("/login")
@exempt
def form():
    if not current_app.config["DESK_LAN"]:
        return redirect(url_for("dashboard.index"))
    return page("login/index.html", next=_next(), name="", message=None)


@bp.post("/login")
@exempt
def submit():
    if not current_app.config["DESK_LAN"]:
        abort(404)
    sessions = current_app.config["DESK_SESSIONS"]
    name = (request.form.get("name") or "").strip()
    address = request.remote_addr or ""
    wait = sessions.blocked_for(name, address)
    if wait:
        return page("login/index.html", next=_next(), name=name,
                    message=f"错误：密码错误次数过多，请 {(wait + 59) // 60} 分钟后再试"), 429
    actor = check_password(workspace(), name, request.form.get("password") or "")
    if actor is None:
        sessions.failed(name, address)
        return page("login/index.html", next=_next(), name=name, message="错误：用户名或密码不对"), 401
    sessions.succeeded(name, address)
    response = redirect(_next())
    response.set_cookie(SESSION_COOKIE, sessions.open(actor), httponly=True, samesite="Strict")
    return response


@bp.post("/logout")
@exempt
def logout():
    current_app.config["DESK_SESSIONS"].close(request.cookies.get(SESSION_COOKIE))
    response = redirect(url_for("login.form"))
    response.delete_cookie(SESSION_COOKIE)
    return response

"""The desk's Flask app: the pages of formgen.desk.pages behind formgen.desk.security.

Errors are the CLI's: a :class:`FormgenError` is the same one Chinese line (``错误：…``), shown as a
banner on the page, or ``{"error": …}`` to a fetch call; anything else is one "程序内部错误" line,
never a traceback.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, flash, jsonify, redirect, request, url_for
from werkzeug.exceptions import HTTPException

from formgen.desk import security
from formgen.desk.context import NoWorkspace, back, open_workspace, page, wants_json
from formgen.desk.identity import Sessions
from formgen.desk.worker import internal_error_line
from formgen.errors import FormgenError
from formgen.privacy import redact

MAX_UPLOAD = 512 * 1024 * 1024  # one drop of files (zip archives of scans can be large)

HTTP_LINES = {
    400: "请求有误", 401: "请先登录", 403: "没有权限", 404: "没有这个页面或文件", 405: "不支持这种操作",
    409: "内容已被他人修改", 413: "上传的文件太大（一次最多 512 MB）", 429: "尝试次数过多，请稍后再试",
}


def create_app(workspace_dir: Path | None, *, token: str, lan: bool = False, lock: bool = True) -> Flask:
    """The desk for ``workspace_dir`` (None: the chooser first). ``token``: this run's access token
    (security). ``lock``: hold the one-desk-per-workspace lock (formgen.lock.desk_lock)."""
    from formgen.desk.pages import BLUEPRINTS

    app = Flask("formgen.desk", root_path=str(Path(__file__).parent))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32), MAX_CONTENT_LENGTH=MAX_UPLOAD, DESK_TOKEN=token,
        DESK_CSRF=secrets.token_urlsafe(24), DESK_LAN=lan, DESK_WORKSPACE=None, DESK_HELD=None,
        DESK_WORKERS={}, DESK_LOCKS=lock, DESK_SESSIONS=Sessions(), DESK_URL="",
        SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_NAME="formgen_desk_flash",
        TEMPLATES_AUTO_RELOAD=False)
    app.json.ensure_ascii = False
    app.url_map.merge_slashes = False  # a path like /files//etc/passwd is refused, not redirected
    security.install(app)
    _record_who(app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    _errors(app)
    if workspace_dir is not None:
        open_workspace(app, workspace_dir)
    return app


def _record_who(app: Flask) -> None:
    """Every decision a request records is the acting clerk's (identity.current_actor)."""
    from flask import g

    from formgen.desk.identity import current_actor
    from formgen.ledger.decisions import reset_acting, set_acting

    @app.before_request
    def acting():
        g.desk_acting = set_acting(current_actor().name)

    @app.teardown_request
    def done(_exc):
        token = g.pop("desk_acting", None)
        if token is not None:
            reset_acting(token)


def error_line(e: FormgenError) -> str:
    """The line the CLI prints for ``e``."""
    return f"错误：{redact(str(e))}"


def _errors(app: Flask) -> None:
    @app.errorhandler(NoWorkspace)
    def no_workspace(e):
        if wants_json():
            return jsonify(error=error_line(e)), 409
        return redirect(url_for("chooser.index"))

    @app.errorhandler(FormgenError)
    def formgen_error(e: FormgenError):
        line = error_line(e)
        if wants_json():
            return jsonify(error=line), 400
        if request.method == "POST":
            flash(line, "error")
            return back()
        return page("error.html", message=line), 400

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        code = e.code or 500
        detail = e.description if e.description and not e.description.startswith(("The ", "You ", "Bad ")) else ""
        line = f"错误：{HTTP_LINES.get(code, '请求未能完成')}" + (f"：{detail}" if detail else "")
        if wants_json():
            return jsonify(error=line), code
        return page("error.html", message=line), code

    @app.errorhandler(Exception)
    def bug(e: Exception):
        line = internal_error_line(app.config.get("DESK_WORKSPACE"), e)
        if wants_json():
            return jsonify(error=line), 500
        return page("error.html", message=line), 500

"""设置: campaign.yaml as a form (checked by formgen check's code, each error beside its field), the
unit list as a table uploadable from the office's Excel (units import), and the raw YAML for experts."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, request, url_for

from formgen.campaign.check import check_workspace
from formgen.campaign.load import write_units
from formgen.campaign.settings_form import save_raw, save_settings, settings_fields, settings_history, version
from formgen.campaign.unit_columns import FIELD_LABEL
from formgen.campaign.unit_files import import_units
from formgen.desk.context import page, workspace
from formgen.desk.files import save_uploads
from formgen.desk.identity import require_write
from formgen.errors import FormgenError
from formgen.workspace import Workspace

bp = Blueprint("settings", __name__, url_prefix="/settings")
UPLOADS = "out/desk/uploads"


def _render(root, fields=None, errors=(), raw=None, raw_errors=(), preview=None, status=200):
    report = check_workspace(root)
    units = report.units
    return page("settings/index.html", fields=fields or settings_fields(root), errors=list(errors),
                version=version(root), raw=raw if raw is not None else (root / "campaign.yaml").read_text(encoding="utf-8-sig"),
                raw_errors=list(raw_errors), units=units, check=report, history=settings_history(root)[:5],
                preview=preview, field_label=FIELD_LABEL), status


@bp.get("/")
def index():
    return _render(workspace().root)


@bp.post("/save")
def save():
    actor = require_write()
    root = workspace().root
    values = {k: v for k, v in request.form.items() if k not in ("csrf", "version")}
    done = save_settings(root, values, request.form.get("version", ""), actor.name)
    if done.saved:
        flash("已保存设置：" + "、".join(done.changed) + "（原设置已保留）", "ok")
        return redirect(url_for("settings.index"))
    if not done.changed:
        flash("设置没有改动", "ok")
        return redirect(url_for("settings.index"))
    return _render(root, fields=done.fields, errors=done.errors, status=400)


@bp.post("/raw")
def raw():
    actor = require_write()
    root = workspace().root
    text = request.form.get("yaml", "")
    errors = save_raw(root, text, request.form.get("version", ""), actor.name)
    if errors:
        return _render(root, raw=text, raw_errors=errors, status=400)
    flash("已保存 campaign.yaml（检查通过，原文件已保留）", "ok")
    return redirect(url_for("settings.index"))


@bp.post("/units")
def units_upload():
    require_write()
    ws = workspace()
    folder = ws.root / UPLOADS / secrets.token_hex(6)
    saved = save_uploads(request.files.getlist("file")[:1], folder)
    if not saved:
        raise FormgenError("请选择单位名单（.xlsx、.xls 或 .csv）再上传")
    found, match = import_units(saved[0], [c.name for c in ws.campaign.categories] or None)
    preview = {"file": saved[0].relative_to(ws.root / UPLOADS).as_posix(), "units": found, "match": match}
    return _render(ws.root, preview=preview)


@bp.post("/units/confirm")
def units_confirm():
    require_write()
    ws = workspace()
    rel = request.form.get("file", "")
    base = (ws.root / UPLOADS).resolve()
    path = (base / rel).resolve()
    if ".." in rel or not path.is_relative_to(base) or not path.is_file():
        abort(403, "不允许访问工作目录以外的文件")
    found, _ = import_units(path, [c.name for c in ws.campaign.categories] or None)
    write_units(ws.root / ws.campaign.units_file, found)
    Workspace.open(ws.root)  # loads again: a unit list that no longer loads says so here
    flash(f"已导入 {len(found)} 个单位到 {ws.campaign.units_file}", "ok")
    return redirect(url_for("settings.index") + "#units")

"""The chooser (``formgen desk`` without DIR): recent campaigns, a new one from a preset, or a folder."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, redirect, request, url_for

from formgen.desk.context import open_workspace, page
from formgen.desk.identity import require_write
from formgen.desk.recent import recent
from formgen.errors import FormgenError

bp = Blueprint("chooser", __name__)


def _presets() -> list[tuple[str, str]]:
    from formgen.campaign.presets import preset_campaign, preset_names

    return [(name, preset_campaign(name).name) for name in preset_names()]


@bp.get("/choose")
def index():
    return page("chooser/index.html", recent=recent(), presets=_presets(),
                current=current_app.config.get("DESK_WORKSPACE"))


def _folder(text: str) -> Path:
    text = (text or "").strip().strip('"')
    if not text:
        raise FormgenError("请填写文件夹路径，如 D:\\评选\\2014效能")
    return Path(text).expanduser()


@bp.post("/choose/open")
def open_folder():
    require_write()
    open_workspace(current_app, _folder(request.form.get("path", "")))
    return redirect(url_for("dashboard.index"))


@bp.post("/choose/new")
def new_campaign():
    from formgen.issue.init import init_workspace

    require_write()
    root = _folder(request.form.get("path", ""))
    preset = request.form.get("preset", "")
    if preset not in dict(_presets()):
        raise FormgenError(f"不认识的活动预设“{preset}”")
    if (root / "campaign.yaml").exists():
        raise FormgenError(f"{root} 已经是一个活动的工作目录；请用“打开文件夹”")
    ws = init_workspace(root, preset)
    open_workspace(current_app, ws.root)
    return redirect(url_for("dashboard.index"))

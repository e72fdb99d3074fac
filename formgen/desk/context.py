"""What every page needs: the open workspace, its worker, the actor, and a render that fills the
frame (base.html) around a page."""
from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app, g, redirect, render_template, request, url_for

from formgen.desk.identity import current_actor
from formgen.desk.worker import Worker
from formgen.errors import FormgenError
from formgen.workspace import Workspace

_open_lock = threading.Lock()


class NoWorkspace(FormgenError):
    """No campaign is open yet: the pages send the clerk to the chooser."""


def has_workspace() -> bool:
    return current_app.config.get("DESK_WORKSPACE") is not None


def workspace() -> Workspace:
    root = current_app.config.get("DESK_WORKSPACE")
    if root is None:
        raise NoWorkspace("还没有打开活动：请先选择或新建一个活动")
    if "desk_ws" not in g:
        g.desk_ws = Workspace.open(root)
    return g.desk_ws


def open_workspace(app, root: Path) -> Workspace:
    """Make ``root`` the desk's campaign (the chooser, or ``formgen desk DIR``): one desk per workspace."""
    from formgen.lock import desk_lock

    ws = Workspace.open(Path(root))
    with _open_lock:
        held = app.config.get("DESK_HELD")
        if app.config.get("DESK_WORKSPACE") == ws.root:
            return ws
        lock = desk_lock(ws.root, app.config.get("DESK_URL", "")) if app.config.get("DESK_LOCKS", True) else None
        if held is not None:
            held.release()
        app.config["DESK_HELD"] = lock
        app.config["DESK_WORKSPACE"] = ws.root
        app.config["DESK_WORKERS"].setdefault(ws.root, Worker(ws.root))
    from formgen.desk.recent import remember

    remember(ws.root, ws.campaign.name)
    return ws


def worker() -> Worker:
    ws = workspace()
    return current_app.config["DESK_WORKERS"].setdefault(ws.root, Worker(ws.root))


def wants_json() -> bool:
    return (request.path.startswith("/api/") or request.headers.get("X-Requested-With") == "fetch"
            or request.accept_mimetypes.best == "application/json")


def page(template: str, **values):
    """Render a page inside the frame: nav, campaign name, actor, job indicator."""
    from formgen.desk.nav import NAV

    campaign = None
    active = 0
    if has_workspace():
        try:
            campaign = workspace().campaign.name
            active = len(worker().active())
        except FormgenError:
            campaign = None
    nav = [(endpoint, label) for endpoint, label in NAV if endpoint in current_app.view_functions]
    return render_template(template, nav=nav, campaign_name=campaign, actor=current_actor(), jobs_active=active,
                           csrf=g.get("csrf", ""), lan=current_app.config["DESK_LAN"], **values)


def back(default: str = "dashboard.index"):
    """After a form post: back to the page it came from (same origin was checked), else ``default``."""
    ref = request.headers.get("Referer", "")
    if ref.startswith(request.host_url):
        return redirect(ref)
    return redirect(url_for(default))

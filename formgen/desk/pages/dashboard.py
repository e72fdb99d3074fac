"""总览: per stage what is done and what is next, deadlines with days left, a status per unit."""
from __future__ import annotations

from flask import Blueprint, request

from formgen.collect.overview import STATES, overview
from formgen.desk.context import page, workspace

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index():
    state = request.args.get("state") or None
    if state not in STATES:
        state = None
    return page("dashboard/index.html", ov=overview(workspace(), state=state), states=STATES, state=state)

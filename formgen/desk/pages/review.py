"""核对: every flagged value worst first, with the crop of its cell; Enter accepts, typing corrects,
J/K moves; bulk accept by filter; each value's history (the one correct/review write)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request

from formgen.collect.review_queue import accept, accept_all, correct_value, review_queue, value_crop, value_history
from formgen.collect.values import show_value
from formgen.desk.context import page, worker, workspace
from formgen.desk.identity import require_write
from formgen.desk.jobs_collect import refresh_later

bp = Blueprint("review", __name__)
STATES = {"open": "待核对", "confirmed": "已确认无误", "corrected": "已更正", "": "全部"}


def _filters() -> dict:
    args = request.values
    state = args.get("state", "open")
    return {"state": state if state in STATES and state else None if state == "" else "open",
            "form_type": args.get("form_type") or None, "severity": args.get("severity") or None,
            "key": args.get("key") or None, "unit": args.get("unit") or None}


@bp.get("/review")
def index():
    ws = workspace()
    f = _filters()
    items = review_queue(ws, **f)
    everything = review_queue(ws, state=None)
    forms = sorted({(i.form_type, i.form_title) for i in everything})
    fields = sorted({(i.key, i.label) for i in everything if not f["form_type"] or i.form_type == f["form_type"]})
    return page("review/index.html", items=items, f=f, states=STATES, forms=forms, fields=fields,
                units=sorted({i.unit for i in everything}), open_count=sum(1 for i in everything if i.state == "open"))


def _done(message: str):
    refresh_later(worker(), workspace().root, require_write().name)
    return jsonify(ok=True, message=message)


@bp.post("/api/review/<int:form_id>/accept")
def accept_one(form_id: int):
    require_write()
    key = request.form.get("key", "")
    accept(workspace(), form_id, key, request.form.get("version", type=int), request.form.get("note") or None)
    return _done("已确认无误")


@bp.post("/api/review/<int:form_id>/correct")
def correct_one(form_id: int):
    require_write()
    key = request.form.get("key", "")
    value = correct_value(workspace(), form_id, key, request.form.get("value", ""), request.form.get("version", type=int),
                          request.form.get("note") or None)
    return _done(f"已更正为 {show_value(value)}")


@bp.post("/api/review/accept-all")
def accept_filtered():
    require_write()
    f = _filters()
    f["state"] = "open"
    n = accept_all(workspace(), review_queue(workspace(), **f))
    return _done(f"已批量确认无误 {n} 项")


@bp.get("/api/review/<int:form_id>/history")
def history(form_id: int):
    lines = value_history(workspace(), form_id, request.args.get("key", ""))
    return jsonify(lines=[{"at": f"{x.at:%Y-%m-%d %H:%M}" if x.at else "", "who": x.who, "action": x.action,
                           "old": x.old, "new": x.new, "note": x.note} for x in lines])


@bp.get("/review/<int:form_id>/crop.png")
def crop(form_id: int):
    png = value_crop(workspace(), form_id, request.args.get("key", ""))
    if png is None:
        abort(404, "这一项没有原件截图")
    return Response(png, mimetype="image/png", headers={"Cache-Control": "max-age=3600"})

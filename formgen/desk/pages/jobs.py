"""The worker's jobs as JSON, for the job indicator and the live progress panes (desk.js polls)."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from formgen.desk.context import worker

bp = Blueprint("jobs", __name__)


@bp.get("/api/jobs")
def list_jobs():
    return jsonify(jobs=[j.as_json(since=len(j.lines)) for j in worker().jobs()][-20:],
                   active=len(worker().active()))


@bp.get("/api/jobs/<int:job_id>")
def one(job_id: int):
    snap = worker().snapshot(job_id, since=max(0, request.args.get("since", 0, type=int)))
    if snap is None:
        abort(404, "没有这个任务")
    return jsonify(snap)

"""评委 pages: a judge's personal link (/j/<token>). No clerk token and no clerk page: the link's own
token names the judge, who sees only their subjects — the rubric, the unit's form and its files —
and enters scores checked cell by cell as the workbook checks them."""
from __future__ import annotations

import hashlib
import hmac
from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for

from formgen.desk import security
from formgen.desk.context import workspace
from formgen.desk.identity import Actor
from formgen.scoring.online import (judge_file, judge_for_token, judge_view, save_online_scores, subject_files,
                                    subject_form)

bp = Blueprint("judge", __name__, url_prefix="/j")


def _judge(token: str):
    judge = judge_for_token(workspace(), token)
    if judge is None:
        abort(403, "评委链接无效或已失效，请向办事员索取新的链接")
    return judge


def _csrf(token: str) -> str:
    """The judge's forms carry a token derived from their link (the clerk's CSRF token is not theirs)."""
    return hmac.new(current_app.config["SECRET_KEY"], token.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _render(template: str, judge, token: str, **values):
    ws = workspace()
    return render_template(template, nav=[], campaign_name=ws.campaign.name, actor=Actor(judge.name, "judge"),
                           jobs_active=0, judge_mode=True, csrf=_csrf(token), lan=False, token=token, **values)


@bp.get("/<token>")
@security.exempt
def index(token: str):
    judge = _judge(token)
    ws = workspace()
    view = judge_view(ws, judge)
    return _render("judge/index.html", judge, token, view=view, files=subject_files(ws, view),
                   forms=[subject_form(ws, s) for s in view.subjects],
                   problems=current_app.config.setdefault("DESK_JUDGE_PROBLEMS", {}).pop(token, []))


@bp.post("/<token>/score")
@security.exempt
def save(token: str):
    judge = _judge(token)
    if not hmac.compare_digest(request.form.get("csrf", ""), _csrf(token)):
        abort(403, "页面已过期：请刷新页面后再提交")
    award_id, key = request.form.get("award", ""), request.form.get("nominee", "")
    view = judge_view(workspace(), judge)
    subject = next((s for s in view.subjects if s.award.id == award_id and s.nominee.key == key), None)
    raw = {c.item.name: request.form.get(f"item:{c.item.name}", "") for c in subject.cells} if subject else {}
    problems = save_online_scores(workspace(), judge, award_id, key, raw, request.form.get("note", ""))
    if problems:
        current_app.config.setdefault("DESK_JUDGE_PROBLEMS", {})[token] = problems
    else:
        flash("已保存", "ok")
    return redirect(url_for("judge.index", token=token) + f"#s-{award_id}-{key}")


@bp.get("/<token>/file/<int:receipt_id>")
@security.exempt
def file(token: str, receipt_id: int):
    name, data = judge_file(workspace(), _judge(token), receipt_id)
    return send_file(BytesIO(data), as_attachment=True, download_name=name)

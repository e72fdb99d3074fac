"""评分: judges' and scorers' workbooks out and back, progress per judge, personal links, the ranking
per award with the quota line, explain, ties decided, the lock once published."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for

from formgen.desk.context import page, workspace
from formgen.desk.files import data_url, download, inside, save_uploads
from formgen.desk.identity import require_write
from formgen.errors import FormgenError
from formgen.scoring.board import explain_points, ranking_board
from formgen.scoring.online import issue_judge_link, judge_progress, override_recusal
from formgen.scoring.stage import RETURNED, issue_panel, read_returns, score
from formgen.scoring.ties import decide_award_tie, held_ties

bp = Blueprint("scoring", __name__, url_prefix="/scoring")

BOOK_FOLDERS = ("panel", "scorers")  # out/panel/评委_*.xlsx, out/scorers/*.xlsx


def _books(ws) -> list[str]:
    """The workbooks to hand out, as paths under out/."""
    out = []
    for folder in BOOK_FOLDERS:
        base = ws.root / "out" / folder
        if base.is_dir():
            out += [f"{folder}/{p.name}" for p in sorted(base.glob("*.xlsx")) if not p.name.startswith((".", "~$"))]
    return out


def _progress(ws):
    try:
        return judge_progress(ws), None
    except FormgenError as e:  # nothing nominated yet: say so on the page, the rest still shows
        return [], str(e)


@bp.get("/")
def index():
    ws = workspace()
    progress, waiting = _progress(ws)
    board = ranking_board(ws)
    held = held_ties(ws) if board.awards and not waiting else []
    return page("scoring/index.html", progress=progress, waiting=waiting, board=board, held=held,
                books=_books(ws), judges=ws.campaign.judges, problems=_upload_problems().get(ws.root, []))


def _upload_problems() -> dict:
    """workspace → the per-cell problems of the last upload, shown until the next one (too many for a flash)."""
    return current_app.config.setdefault("DESK_PANEL_PROBLEMS", {})


@bp.post("/panel")
def panel():
    require_write()
    issued = issue_panel(workspace())
    flash(f"已为 {len(issued.paths)} 位评委生成评分表，可在下方下载", "ok")
    return redirect(url_for("scoring.index"))


@bp.get("/book/<folder>/<name>")
def book(folder: str, name: str):
    if folder not in BOOK_FOLDERS:
        abort(404)
    return download(inside(workspace().root / "out" / folder, name))


@bp.post("/upload")
def upload():
    require_write()
    ws = workspace()
    saved = save_uploads(request.files.getlist("files"), ws.out_dir("panel") / RETURNED)
    if not saved:
        raise FormgenError("请选择评委填好的评分表（.xlsx）再上传")
    report = read_returns(ws, saved)
    _upload_problems()[ws.root] = [str(p) for p in report.problems]
    for r in report.saved:
        flash(f"已读入 {r.path.name}：评委{r.judge}，填写 {r.filled}/{r.cells} 项", "ok")
    if not report.saved:
        raise FormgenError(f"没有读入任何评分表（发现 {len(report.problems)} 个问题，见评分页“上传问题”）")
    return redirect(url_for("scoring.index"))


@bp.post("/score")
def run_score():
    actor = require_write()
    run = score(workspace(), request.form.get("reason") or None, actor.name)
    held = sum(1 for rows in run.ranked.values() for r in rows if r.held)
    flash("已计分、排名" + (f"；{held} 个对象同分待人工决定" if held else "")
          + (f"；已发布的结果已更改，原结果已保留（第 {run.replaced_version} 版）" if run.replaced_version else ""), "ok")
    return redirect(url_for("scoring.index"))


@bp.post("/decide")
def decide():
    require_write()
    f = request.form
    a, b = decide_award_tie(workspace(), f.get("award", ""), f.get("above", ""), f.get("below", ""),
                            f.get("by", ""), f.get("reason", ""))
    flash(f"已记入台账：{a.unit}{a.name}列{b.unit}{b.name}之前（{f.get('by')}决定）；请重新计分", "ok")
    return redirect(url_for("scoring.index"))


@bp.post("/link")
def link():
    actor = require_write()
    name = request.form.get("judge", "")
    token = issue_judge_link(workspace(), name, actor.name)
    flash(f"评委{name}的个人链接（只显示这一次，请复制发给评委；旧链接已失效）："
          f"{url_for('judge.index', token=token, _external=True)}", "ok")
    return redirect(url_for("scoring.index"))


@bp.post("/recusal")
def recusal():
    actor = require_write()
    f = request.form
    override_recusal(workspace(), f.get("judge", ""), f.get("nominee", ""), f.get("reason", ""), actor.name)
    flash(f"已取消评委{f.get('judge')}对该对象的回避（已记录理由）", "ok")
    return redirect(url_for("scoring.index"))


@bp.get("/explain/<award_id>/<path:key>")
def explain(award_id: str, key: str):
    done = explain_points(workspace(), award_id, key)
    return page("scoring/explain.html", done=done, crops=[(k, data_url(png)) for k, _, png in done.crops])

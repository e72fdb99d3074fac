"""测评票: print, upload the scans (read in the background worker), tallies per rater group,
flagged marks with their crop decided here, the check-in list of sheet numbers come back."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for

from formgen.ballots.board import ballot_board
from formgen.ballots.run import BALLOTS_IN, decide_row, print_ballots, read_ballots
from formgen.desk.context import page, worker, workspace
from formgen.desk.files import data_url, download, inside, save_uploads
from formgen.desk.identity import require_write
from formgen.errors import FormgenError

bp = Blueprint("ballots", __name__, url_prefix="/ballots")


def _printed(ws) -> list[str]:
    base = ws.root / "out" / "ballots"
    return [p.name for p in sorted(base.iterdir()) if p.suffix in (".pdf", ".docx")] if base.is_dir() else []


@bp.get("/")
def index():
    ws = workspace()
    boards = ballot_board(ws)  # no ratings: the one line of ballots.yaml's absence, shown on the page
    job = next((j for j in reversed(worker().jobs()) if j.kind == "ballots"), None)
    return page("ballots/index.html", boards=boards, printed=_printed(ws), job=job, crop=data_url)


@bp.post("/print")
def print_():
    require_write()
    paths = print_ballots(workspace())
    flash(f"已生成 {len(paths)} 个测评票文件，可在下方下载打印", "ok")
    return redirect(url_for("ballots.index"))


@bp.get("/printed/<name>")
def printed(name: str):
    return download(inside(workspace().root / "out" / "ballots", name))


@bp.post("/upload")
def upload():
    actor = require_write()
    ws = workspace()
    saved = save_uploads(request.files.getlist("files"), ws.root / BALLOTS_IN)
    if not saved:
        raise FormgenError("请选择收回的测评票扫描件（PDF）或照片再上传")

    def read(progress):
        progress.step(0, len(saved), "正在读取测评票")
        report, _ = read_ballots(ws, saved)
        for line in report.duplicates + report.problems:
            progress.line(line, "problem")
        progress.step(len(saved), len(saved))
        return [f"本次读取测评票 {report.pages} 页；计票 {report.counted} 项，无效 {report.invalid} 项，"
                f"待人工判定 {report.flagged} 项"]

    job = worker().submit("ballots", "读取测评票", read, actor.name)
    if request.headers.get("X-Requested-With") == "fetch":
        return {"job": job.id}
    return redirect(url_for("ballots.index"))


@bp.post("/decide")
def decide():
    actor = require_write()
    f = request.form
    try:
        row_no = int(f.get("row_no", ""))
    except ValueError:
        abort(400)
    decide_row(workspace(), f.get("source", ""), row_no, f.get("level", ""), actor.name, f.get("note", ""))
    flash(f"已判定：{f.get('source')} 第{row_no}项 → {f.get('level')}", "ok")
    return redirect(url_for("ballots.index") + "#flagged")

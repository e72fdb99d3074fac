"""发布: generate the documents (in the background worker: LibreOffice makes the PDFs), preview every
document as page images, download docx/pdf/xlsx and the certificates' print file."""
from __future__ import annotations

from flask import Blueprint, redirect, request, send_file, url_for

from formgen.desk.context import page, worker, workspace
from formgen.desk.files import download, inside
from formgen.desk.identity import require_write
from formgen.errors import FormgenError
from formgen.publish.documents import published_documents, page_images
from formgen.publish.run import SofficeMissing, to_pdf
from formgen.publish.stage import publish_campaign
from formgen.scoring.board import ranking_board

bp = Blueprint("publish", __name__, url_prefix="/publish")


@bp.get("/")
def index():
    ws = workspace()
    job = next((j for j in reversed(worker().jobs()) if j.kind == "publish"), None)
    return page("publish/index.html", docs=published_documents(ws), board=ranking_board(ws), job=job,
                publicity_start=ws.campaign.deadlines.publicity_start)


@bp.post("/run")
def run():
    actor = require_write()
    ws = workspace()
    date, commend = request.form.get("date") or None, request.form.get("commend_date") or None

    def publish(progress):
        progress.step(0, 2, "生成公示名单、表彰通报、授牌名单和荣誉证书")
        done = publish_campaign(ws, date, commend, who=actor.name)
        for p in done.documents:
            progress.line(f"已生成 {p.name}")
        for folder, n in done.certificates.items():
            progress.line(f"已生成 {folder.name}/（{n} 份证书）")
        for note in done.notes:
            progress.line(f"注意：{note}", "problem")
        progress.step(1, 2, "用 LibreOffice 生成 PDF")
        try:
            for p in to_pdf(done.printable):
                progress.line(f"已生成 {p.name}")
        except SofficeMissing as e:
            progress.line(f"注意：{e}", "problem")
        progress.step(2, 2)
        return [f"已生成 {len(done.paths)} 个文件（out/publish/）"]

    job = worker().submit("publish", "生成发布文件", publish, actor.name)
    if request.headers.get("X-Requested-With") == "fetch":
        return {"job": job.id}
    return redirect(url_for("publish.index"))


def _document(rel: str):
    ws = workspace()
    path = inside(ws.root / "out" / "publish", rel)
    if not any(d.path.resolve() == path for d in published_documents(ws)):
        raise FormgenError("只能下载或预览发布文件（out/publish/ 中的文件）")
    return ws, path


@bp.get("/download/<path:rel>")
def get(rel: str):
    return download(_document(rel)[1])


@bp.get("/preview/<path:rel>")
def preview(rel: str):
    ws, path = _document(rel)
    pages = page_images(ws, path)
    return page("publish/preview.html", doc=path.name, rel=rel, pages=len(pages))


@bp.get("/page/<int:n>/<path:rel>")
def page_image(n: int, rel: str):
    ws, path = _document(rel)
    pages = page_images(ws, path)
    if not 1 <= n <= len(pages):
        raise FormgenError(f"{path.name} 没有第 {n} 页")
    return send_file(pages[n - 1], mimetype="image/png", max_age=3600)

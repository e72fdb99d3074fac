"""收件: drop files (any format, zip, eml) or fetch the mailbox; collect runs in the worker with live
progress; the received files with unit, form and status; one file's first page beside what was read;
assign it to a unit, exclude it, or download the original."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request, send_file, url_for

from formgen.collect.inbox import STATUS_LABELS, file_detail, original, received_files, save_upload
from formgen.desk.context import page, worker, workspace
from formgen.desk.identity import require_write
from formgen.desk.jobs_collect import collect_job, mail_job
from formgen.desk.downloads import attachment
from formgen.errors import FormgenError

bp = Blueprint("inbox", __name__)


def _last_job(kind: str):
    jobs = [j for j in worker().jobs() if j.kind == kind]
    return jobs[-1] if jobs else None


@bp.get("/inbox")
def index():
    ws = workspace()
    unit = request.args.get("unit") or None
    status = request.args.get("status") or None
    if status not in STATUS_LABELS:
        status = None
    files = received_files(ws, unit=unit, status=status)
    job = _last_job("collect") or _last_job("mail")
    return page("inbox/index.html", files=files, units=[u.name for u in ws.units], unit=unit, status=status,
                statuses=STATUS_LABELS, job=job, book=(ws.out / "collect" / "收件情况.xlsx").exists(), mail_ready=ws.campaign.mail is not None and ws.campaign.mail.imap is not None)


@bp.post("/inbox/upload")
def upload():
    actor = require_write()
    ws = workspace()
    files = request.files.getlist("files")
    if not files:
        raise FormgenError("没有收到文件：请把文件拖到虚线框内，或点击虚线框选择文件")
    saved = [save_upload(ws, f.filename or "", f.read()) for f in files]
    job = worker().submit("collect", "收取文件", collect_job(ws.root, saved), actor.name)
    return jsonify(job=job.id, saved=[p.name for p in saved])


@bp.post("/inbox/collect")
def collect_all():
    actor = require_write()
    job = worker().submit("collect", "收取文件", collect_job(workspace().root, None), actor.name)
    return jsonify(job=job.id)


@bp.post("/inbox/mail")
def fetch_mail():
    actor = require_write()
    job = worker().submit("mail", "收取邮件", mail_job(workspace().root, request.form.get("password")), actor.name)
    return jsonify(job=job.id)


@bp.get("/inbox/file/<int:receipt_id>")
def file(receipt_id: int):
    ws = workspace()
    from formgen.publish.preview import can_preview

    detail = file_detail(ws, receipt_id)
    return page("inbox/file.html", d=detail, units=[u.name for u in ws.units], previewable=can_preview(detail.receipt.name))


@bp.get("/inbox/file/<int:receipt_id>/original")
def download(receipt_id: int):
    name, data = original(workspace(), receipt_id)
    return attachment(name, data)


@bp.get("/api/inbox/file/<int:receipt_id>/preview")
def preview(receipt_id: int):
    """{"url"} of the first page's image when it is ready, else {"job"} making it (LibreOffice)."""
    from formgen.publish.preview import cached_page, needs_office, page_image

    ws = workspace()
    name, data = original(ws, receipt_id)
    out = ws.out_dir("desk")
    url = url_for("inbox.preview_png", receipt_id=receipt_id)
    if cached_page(out, data).exists() or not needs_office(name):
        page_image(out, name, data)
        return jsonify(url=url)
    job = worker().submit(f"preview-{receipt_id}", f"生成预览：{name}",
                          lambda progress: [str(page_image(out, name, data).name)], "工作台")
    return jsonify(job=job.id, url=url)


@bp.get("/inbox/file/<int:receipt_id>/page.png")
def preview_png(receipt_id: int):
    from formgen.publish.preview import cached_page

    ws = workspace()
    _name, data = original(ws, receipt_id)
    path = cached_page(ws.out_dir("desk"), data)
    if not path.exists():
        abort(404, "预览尚未生成")
    return send_file(path, mimetype="image/png", max_age=3600)


@bp.post("/inbox/file/<int:receipt_id>/assign")
def assign(receipt_id: int):
    from formgen.collect.decisions import assign as assign_file

    require_write()
    exclude = request.form.get("action") == "exclude"
    unit = None if exclude else (request.form.get("unit") or "").strip() or None
    if not exclude and not unit:
        raise FormgenError("请选择这份文件的报送单位")
    assign_file(workspace(), receipt_id, unit, exclude, request.form.get("note") or None)
    return redirect(url_for("inbox.file", receipt_id=receipt_id))


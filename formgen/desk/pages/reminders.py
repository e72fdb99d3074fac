"""催报: who is missing what, a preview of each reminder, sending over SMTP where mail is set up,
and what was sent when."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from formgen.collect.remind import reminder_previews, write_reminders
from formgen.desk.context import page, worker, workspace
from formgen.desk.downloads import attachment
from formgen.desk.identity import require_write
from formgen.desk.jobs_collect import remind_job
from formgen.errors import FormgenError
from formgen.ledger.mail import sent_mail
from formgen.mail.send import can_send

bp = Blueprint("reminders", __name__)
KINDS = {"issue": "下发通知", "remind": "催报"}


@bp.get("/reminders")
def index():
    ws = workspace()
    with ws.ledger() as ledger:
        sent = sent_mail(ledger)
    jobs = [j for j in worker().jobs() if j.kind == "remind"]
    return page("reminders/index.html", previews=reminder_previews(ws), sent=sent[::-1], kinds=KINDS,
                can_send=can_send(ws.campaign), job=jobs[-1] if jobs else None,
                sender=ws.campaign.contact.email)


@bp.post("/reminders/send")
def send():
    actor = require_write()
    ws = workspace()
    if not can_send(ws.campaign):
        raise FormgenError("campaign.yaml 中没有发信服务器（mail.smtp）设置，不能直接发送；可下载 .eml 用 Outlook/Foxmail 发送")
    job = worker().submit("remind", "发送催报邮件", remind_job(ws.root, request.form.get("force") == "1",
                                                           request.form.get("password")), actor.name)
    return jsonify(job=job.id)


@bp.get("/reminders/eml")
def download_all():
    """Every reminder as .eml files in one zip, to send from Outlook/Foxmail (formgen remind's files)."""
    import io
    import zipfile

    require_write()
    reminders = write_reminders(workspace())
    if not reminders:
        raise FormgenError("各单位材料均已报齐，无需催报")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for r in reminders:
            z.write(r.path, r.path.name)
    return attachment("催报邮件.zip", buf.getvalue())

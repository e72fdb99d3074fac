"""Mailbox commands: ``formgen mail test|fetch|password|sent``; the helpers ``collect --mail``,
``issue --send`` and ``remind --send`` call."""
from __future__ import annotations

import sys

import click

from formgen.cli import cli, console, esc, open_workspace
from formgen.errors import FormgenError


def _out():
    return console(soft_wrap=True)  # one line per message, as the user reads it


def _prompt(text: str) -> str:
    return click.prompt(text, hide_input=True, default="", show_default=False)


@cli.group("mail")
def mail_group():
    """办公邮箱：检查连接、收取报送邮件、保存密码、查看已发邮件（设置见 campaign.yaml 的 mail 一节）。"""


@mail_group.command("test")
@click.pass_context
def mail_test(ctx: click.Context):
    """检查收信（IMAP）和发信（SMTP）服务器能否登录；不发信、不改动邮箱。"""
    from formgen.mail.check import check_mail, needs_password
    from formgen.mail.fetch import mail_settings
    from formgen.mail.password import mail_password

    settings = mail_settings(open_workspace(ctx), need=None)
    password = mail_password(settings.user, _prompt) if needs_password(settings) else None
    lines = check_mail(settings, password)
    for line in lines:
        mark = "[green]✓[/green]" if line.ok else "[red]✗[/red]"
        _out().print(f"{mark} {line.side}：{esc(line.text)}")
    if not all(line.ok for line in lines):
        sys.exit(1)


def fetch_and_print(ctx: click.Context) -> None:
    """Fetch the campaign's mail with a progress bar and print what came in (``collect --mail``)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from formgen.mail.fetch import fetch_mail, mail_settings
    from formgen.mail.password import mail_password

    ws = open_workspace(ctx)
    password = mail_password(mail_settings(ws).user, _prompt)  # asked before the progress bar takes the screen
    out = _out()
    with Progress(TextColumn("收取邮件"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=out, transient=True) as bar:
        task = bar.add_task("", total=None)
        report = fetch_mail(ws, password=password,
                            progress=lambda done, total, name: bar.update(task, completed=done, total=total,
                                                                          description=name[:30]))
    c = report.collect
    since = f"{report.since:%Y-%m-%d}" if report.since else "最早"
    out.print(esc(f"邮箱“{report.folder}”自 {since} 起共 {report.found} 封；本次新看 {report.looked_at} 封："
                      f"收取 {report.taken} 封（其中回复下发/催报邮件 {report.replies} 封），台账中已有 {report.same} 封，"
                      f"不符合发件人/主题条件 {report.filtered} 封，过大未下载 {report.too_large} 封。"))
    out.print(esc(f"附件：新收文件 {c.new_files} 个，重复 {c.duplicates} 个，无法读取 {c.unreadable} 个"
                      f"（用时 {report.seconds:.1f} 秒）。"))
    if report.marked:
        out.print(f"已在邮箱中标记 {report.marked} 封（{esc(ws.campaign.mail.keyword if ws.campaign.mail.mark == 'keyword' else '已读')}）。")
    if report.moved or report.deleted:
        out.print(esc(f"按 mail.after_fetch 设置：移走 {report.moved} 封，删除 {report.deleted} 封。"))
    if report.text_only:
        shown = "；".join(report.text_only[:10]) + ("……" if len(report.text_only) > 10 else "")
        out.print(esc(f"没有附件的邮件 {len(report.text_only)} 封（已存入台账，请阅读是否需要回复）：{shown}"))
    for note in report.notes:
        out.print(f"[yellow]{esc(note)}[/yellow]")
    for name, message in c.failures:
        out.print(f"[red]无法读取[/red] {esc(name)}：{esc(message)}")


@mail_group.command("fetch")
@click.pass_context
def mail_fetch(ctx: click.Context):
    """从办公邮箱收取各单位的报送邮件（自活动开始日起），附件按收件流程记入台账。同 formgen collect --mail。"""
    fetch_and_print(ctx)


@mail_group.command("password")
@click.pass_context
def mail_password_cmd(ctx: click.Context):
    """把邮箱密码（QQ/163 邮箱为授权码）保存到系统密码库，以后不再询问。"""
    from formgen.mail.fetch import mail_settings
    from formgen.mail.password import save_to_keyring

    settings = mail_settings(open_workspace(ctx))
    value = click.prompt(f"邮箱 {settings.user} 的密码（QQ/163 邮箱为授权码）", hide_input=True)
    save_to_keyring(settings.user, value)
    _out().print("已保存到系统密码库。")


@mail_group.command("sent")
@click.option("--unit", default=None, help="只看某个单位。")
@click.pass_context
def mail_sent(ctx: click.Context, unit: str | None):
    """列出已通过邮箱发出（或发送失败）的通知和催报邮件。"""
    from rich.table import Table

    from formgen.ledger.mail import sent_mail

    ws = open_workspace(ctx)
    with ws.ledger() as ledger:
        rows = sent_mail(ledger, unit)
    if not rows:
        _out().print("尚未通过邮箱发出任何邮件（formgen issue --send / formgen remind --send）。")
        return
    table = Table(title="已发邮件")
    for col in ("时间", "单位", "类型", "收件人", "附件", "结果"):
        table.add_column(col, overflow="fold")
    for m in rows:
        result = "已发送" if m.status == "sent" else f"[red]失败：{esc(m.error or '')}[/red]"
        table.add_row(f"{m.sent_at:%Y-%m-%d %H:%M}", esc(m.unit), KIND_LABELS.get(m.kind, m.kind), esc("、".join(m.to)),
                      str(len(m.attachments)), result)
    _out().print(table)


KIND_LABELS = {"issue": "下发通知", "remind": "催报"}


def send_and_print(ws, kind: str, items, force: bool = False) -> None:
    """Send ``items`` and print one line per unit (``issue --send`` / ``remind --send``)."""
    from formgen.mail.send import send_all

    out = _out()
    report = send_all(ws, kind, items, force=force, prompt=_prompt)
    for unit, to in report.sent:
        out.print(f"[green]已发送[/green] {esc(unit)} → {esc('、'.join(to))}")
    for unit, why in report.skipped:
        out.print(f"[yellow]未发送[/yellow] {esc(unit)}：{esc(why)}")
    for unit, message in report.failed:
        out.print(f"[red]发送失败[/red] {esc(unit)}：{esc(message)}")
    what = KIND_LABELS.get(kind, kind)
    out.print(f"{what}邮件：已发送 {len(report.sent)} 封，跳过 {len(report.skipped)} 个单位，失败 {len(report.failed)} 个单位。"
                  "记录见 formgen mail sent")
    if report.failed and not report.sent and not report.skipped:
        raise FormgenError(f"{what}邮件全部未能发出；请按上面的提示处理后重新运行")


def _send_or_tell(ws, kind: str, items, send: bool, force: bool = False) -> None:
    """Send ``items`` (--send); without it, when mail is set up, say what --send would send."""
    from formgen.mail.send import can_send

    if send:
        send_and_print(ws, kind, items, force)
    elif can_send(ws.campaign):
        n = sum(1 for i in items if i.to)
        _out().print(f"未发送任何邮件（加 --send 将通过 campaign.yaml 的 mail 设置向 {n} 个单位发出{KIND_LABELS.get(kind, kind)}邮件）。")


def remind_send(ws, reminders, send: bool, force: bool) -> None:
    """After ``formgen remind`` wrote the .eml files: send them (--send), or say what --send would do."""
    from formgen.mail.send import reminder_messages

    _send_or_tell(ws, "remind", reminder_messages(reminders), send, force)


def issue_send(ws, issue_report, send: bool, force: bool = False) -> None:
    """After ``formgen issue``: mail each unit its notice and forms (--send, once per unit unless ``force``),
    or say what --send would do."""
    from formgen.mail.send import can_send, issue_messages

    if send or can_send(ws.campaign):  # the messages are built only when they are sent or counted
        _send_or_tell(ws, "issue", issue_messages(ws, issue_report), send, force)

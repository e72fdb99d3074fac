"""``formgen demo``: the whole campaign end to end on the bundled sample data.

It runs the same commands a clerk would, in order, in a fresh workspace:
init → issue → (units send their returns) → collect → status → remind →
panel → (judges fill their workbooks) → panel --read → score → publish.
The two steps in brackets are simulated by ``formgen.sample``.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from formgen.cli import cli, workdir
from formgen.errors import FormgenError

DEMO_JUDGES = "陈立新,王秀英,李建国,张海燕,刘志强"


# preset -> "module:function(ctx, root, preset, pdf)" running that preset's demo in ``root``.
PRESET_DEMOS = {
    "anhui-provincial": "formgen.cli.demo_category:run",
    "kunshan-awards": "formgen.cli.demo_category:run",
    "district-quarterly": "formgen.cli.demo_periodic:demo_periodic",
    "town-internal": "formgen.cli.demo_periodic:demo_periodic",
}


def _demo_root(ctx: click.Context, directory: Path | None, default: str) -> Path:
    """The demo folder (relative to ``-C``), made fresh; every step then runs in it, as with ``-C``."""
    from formgen.sample.demo_folder import prepare_demo_folder

    root = directory if directory is not None else Path(default)
    root = (root if root.is_absolute() else workdir(ctx) / root).resolve()
    prepare_demo_folder(root)
    ctx.find_root().obj["workdir"] = root
    return root


def step(title: str) -> None:
    click.echo("")
    click.secho(f"━━ {title} ━━", bold=True)


@cli.command("demo")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="发布时用 LibreOffice 生成 PDF。")
@click.option("--preset", default="ruian-2014", show_default=True, help="演示哪个内置预设（formgen presets 查看）。")
@click.option("--mail", "with_mail", is_flag=True, help="用本机临时启动的邮件服务器演示发通知、收邮件、发催报（需 dovecot-imapd）。")
@click.pass_context
def demo_cmd(ctx: click.Context, directory: Path | None, pdf: bool, preset: str = "ruian-2014",
             with_mail: bool = False):
    """用内置样例数据把整个活动从头到尾运行一遍（默认在 ./formgen-demo）。"""
    if preset in PRESET_DEMOS:  # presets with their own course (other stages, other outputs)
        import importlib

        module, _, func = PRESET_DEMOS[preset].partition(":")
        root = _demo_root(ctx, directory, f"formgen-demo-{preset}")
        return getattr(importlib.import_module(module), func)(ctx, root, preset, pdf)
    if preset != "ruian-2014":
        from formgen.campaign.presets import preset_dir

        preset_dir(preset)  # an unknown name: the list of presets
        raise FormgenError(f"预设 {preset} 暂无演示数据")
    from formgen.cli.collect import collect_cmd, remind_cmd, status_cmd
    from formgen.cli.issue import issue as issue_cmd
    from formgen.cli.publish import publish_cmd
    from formgen.cli.scoring import panel_cmd, score_cmd
    from formgen.cli.workspace import init
    from formgen.sample.demo_folder import routes_in_words
    from formgen.sample.fill import write_returns
    from formgen.sample.judges import fill_panel
    from formgen.workspace import Workspace

    root = _demo_root(ctx, directory, "formgen-demo")

    step("1. 新建工作目录（预设 ruian-2014）")
    ctx.invoke(init, directory=root, preset="ruian-2014", force=True)
    ws = Workspace.open(root)
    mail = None
    if with_mail:  # local IMAP/SMTP servers stand in for the office mailbox (formgen.mail.demo)
        from formgen.mail.demo import MailDemo

        mail = MailDemo(ws)
        click.echo(mail.describe())

    step("2. 下发：各单位的空白表格和通知" + ("，并通过邮箱发出" if mail else ""))
    ctx.invoke(issue_cmd, units=(), send=mail is not None)

    step("3. 各单位报送（样例：填好的表格、自行重排的表格、PDF、压缩包、邮件、迟报、更正、损坏文件）")
    returned = write_returns(ws)
    click.echo(f"forms_in/ 收到 {len(returned)} 个文件：{routes_in_words(returned)}")
    if mail:
        moved = mail.mail_returns(returned)
        click.echo(f"其中 {len(moved)} 封邮件改为发到邮箱（不放在 forms_in/），另有一个单位用个人邮箱回复了下发邮件")

    step("4. 收件：识别、校验、记入台账")
    ctx.invoke(collect_cmd, paths=(), from_mail=mail is not None)
    step("5. 收件情况与催报")
    ctx.invoke(status_cmd, only_missing=True)
    # the clerk chases the missing forms the morning after the deadline
    deadline = ws.campaign.deadlines.submit
    morning_after = (deadline + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None)
    ctx.invoke(remind_cmd, out_dir=None, on=morning_after, send=mail is not None)
    if mail:
        click.echo(f"本机邮件服务器共收到 {mail.sent_count()} 封发出的邮件；formgen -C {root} mail sent 查看记录")
        mail.stop()

    step("6. 评委评分表：发出、填写（样例）、读回")
    ctx.invoke(panel_cmd, judges_opt=DEMO_JUDGES, read_mode=False, files=())
    sheets = sorted((ws.out / "panel").glob("*.xlsx"))
    filled = fill_panel(ws, sheets)
    click.echo(f"{len(filled)} 位评委已填好评分表，放入 out/panel/returned/")
    ctx.invoke(panel_cmd, judges_opt=None, read_mode=True, files=())

    step("7. 计分、排名、确定入选")
    ctx.invoke(score_cmd)

    step("8. 发布：公示名单、表彰通报、授牌名单、荣誉证书")
    ctx.invoke(publish_cmd, pdf=pdf, date_opt=None, commend_opt=None)

    step("演示完成，全部输出如下")
    for sub in ("issue", "collect", "remind", "panel", "score", "publish"):
        d = ws.out / sub
        if d.is_dir():
            files = [p for p in d.rglob("*") if p.is_file()]
            click.echo(f"  {d}/（{len(files)} 个文件）")
    click.echo(f"  台账：{ws.ledger_path}")
    click.echo(f"可继续在该目录中试用各命令，如：formgen -C {root} status")

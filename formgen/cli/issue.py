"""``formgen issue``: the blank forms and the notice for every unit."""
from __future__ import annotations

import os

import click

from formgen.cli import cli, open_workspace, rel


@cli.command()
@click.option("--unit", "units", multiple=True, metavar="单位名称",
              help="只为指定单位生成（可重复使用）；默认为单位名单中的全部单位。")
@click.option("--send", is_flag=True, help="生成后通过办公邮箱（campaign.yaml 的 mail 设置）把通知和表格发给各单位联系人。")
@click.option("--force", is_flag=True, help="与 --send 同用：已发过通知邮件的单位也再发一次。")
@click.pass_context
def issue(ctx, units: tuple[str, ...], send: bool = False, force: bool = False):
    """为各单位生成空白表格（已填好单位名称）、通知和打包的压缩文件。"""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from formgen.issue.render import issue_forms, select_units

    ws = open_workspace(ctx)
    total = len(select_units(ws, list(units) or None))
    console = Console(stderr=True)
    with Progress(TextColumn("生成表格"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=console, transient=True) as bar:
        task = bar.add_task("", total=total)
        report = issue_forms(ws, list(units) or None,
                             progress=lambda done, _n, name: bar.update(task, completed=done, description=name))
    out = click.echo
    for path in report.templates_written:
        out(f"已生成模板 {rel(ws, path)}")
    for w in report.warnings:
        click.secho(f"注意：{w}", fg="yellow", err=True)
    n_files = sum(len(u.files) for u in report.units)
    if n_files == 0:  # units send nothing (assessed campaigns): say what was issued, not "fill in the forms"
        _notice_only(ws, report, out)
        from formgen.cli.mail import issue_send
        issue_send(ws, report, send, force)
        return
    out(f"已为 {len(report.units)} 个单位生成 {n_files} 份空白表格（用时 {report.seconds:.1f} 秒）：")
    out(f"  通知        {report.notice}")
    if len(report.units) == 1:
        u = report.units[0]
        out(f"  {u.unit}的表格  {u.folder}{os.sep}")
        for f in u.files:
            out(f"    {f.name}")
        out(f"  邮件附件    {u.zip}（通知和全部表格，可直接作为邮件附件发出）")
    else:
        out(f"  各单位表格  {report.out_dir / '<单位名称>'}{os.sep}")
        out(f"  邮件附件    {report.out_dir / '<单位名称>.zip'}（通知和全部表格，可直接作为邮件附件发出）")
    out("请各单位在 Word 或 WPS 中直接填写（不要删除或合并表格中的格子），填好后原样发回。")
    from formgen.cli.mail import issue_send
    issue_send(ws, report, send, force)


def _notice_only(ws, report, out) -> None:
    """What ``issue`` made for a campaign whose units fill in no forms, and where its other documents come from."""
    out(f"本活动各单位无需填报表格，已为 {len(report.units)} 个单位生成通知（用时 {report.seconds:.1f} 秒）：")
    out(f"  通知        {report.notice}")
    out(f"  邮件附件    {report.out_dir / '<单位名称>.zip'}（内含通知，可直接作为邮件附件发出）")
    a = ws.campaign.assessment
    if a is None:
        return
    steps = ["空白台账：formgen events --template"]
    if a.ratings:
        steps += ["计票表：formgen tallies --template", "纸质测评票：formgen ballots"]
    if a.scorers:
        steps.append("考核组评分录入表：formgen panel")
    out("考核所用文书另行生成——" + "；".join(steps) + "。")

"""Ballot commands: formgen ballots (print), ballots read, ballots decide, ballots sample."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, given_path, open_workspace, rel


@cli.group("ballots", invoke_without_command=True)
@click.pass_context
def ballots_cmd(ctx: click.Context):
    """打印测评票（A4 PDF 每类评议人一份，另附可编辑 .docx）→ out/ballots/。

    子命令：read 读取收回的测评票；decide 人工判定看不准的项；sample 生成演示用的已填票。
    """
    if ctx.invoked_subcommand is not None:
        return
    from formgen.ballots.run import print_ballots

    ws = open_workspace(ctx)
    for p in print_ballots(ws):
        click.echo(f"已生成 {rel(ws, p)}")


@ballots_cmd.command("read")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def read_cmd(ctx: click.Context, paths: tuple[Path, ...]):
    """读取收回的测评票（默认 ballots_in/ 下的扫描件 PDF 和照片），计入台账 → out/tally/测评票统计.xlsx。"""
    from formgen.ballots.run import read_ballots

    ws = open_workspace(ctx)
    report, book = read_ballots(ws, [given_path(ctx, p) for p in paths] or None)
    click.echo(f"本次读取测评票 {report.pages} 页；台账中计票 {report.counted} 项，无效 {report.invalid} 项，"
               f"待人工判定 {report.flagged} 项。" + (f"（{report.unchanged} 个文件已读过，未重读）" if report.unchanged else ""))
    for line in report.lines():
        click.echo(f"  {line}")
    click.echo(f"统计表：{rel(ws, book)}")


@ballots_cmd.command("decide")
@click.argument("source")
@click.argument("row_no", type=int)
@click.argument("level")
@click.option("--by", default="", help="判定人。")
@click.option("--note", default="", help="说明。")
@click.pass_context
def decide_cmd(ctx: click.Context, source: str, row_no: int, level: str, by: str, note: str):
    """人工判定一项：SOURCE 为统计表中的“票源”，ROW_NO 为序号，LEVEL 为等次或“无效”。

    重号票（同一票号读到两份不同的票）：ROW_NO 填 0，LEVEL 填采用第几份（1、2…）或“无效”。"""
    from formgen.ballots.run import decide_row

    ws = open_workspace(ctx)
    lines, book = decide_row(ws, source, row_no, level, by, note)
    for line in lines:
        click.echo(line)
    what = "整张（重号票）" if row_no == 0 else f"第{row_no}项"
    click.echo(f"已记录：{source} {what} → {level}。统计表：{rel(ws, book)}")


@ballots_cmd.command("sample")
@click.option("--sheets", type=int, default=None, help="每项测评扫描的份数（默认全部）。")
@click.option("--photos", type=int, default=2, help="改为手机拍照的份数。")
@click.pass_context
def sample_cmd(ctx: click.Context, sheets: int | None, photos: int):
    """生成演示用的已填测评票（扫描件 PDF 和手机照片）→ ballots_in/。"""
    from formgen.ballots.run import BALLOTS_IN, sample_ballots

    truths = sample_ballots(open_workspace(ctx), sheets, photos)
    click.echo(f"已生成 {len(truths)} 页已填测评票 → {BALLOTS_IN}/")

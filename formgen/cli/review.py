"""formgen review: staff decisions on flagged values, written in 收件情况.xlsx, into the ledger."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, console, esc, given_path, open_workspace, rel


@cli.command("review")
@click.argument("book", required=False, type=click.Path(path_type=Path))
@click.pass_context
def review_cmd(ctx: click.Context, book: Path | None):
    """读取收件情况.xlsx“问题清单”中填写的核对结果（无误/更正），记入台账，并重新生成收件情况.xlsx。

    默认读取 out/collect/收件情况.xlsx，也可指定另存的副本。每项核对都留有记录（见“人工更正”表）；
    已记入的不会重复记录。下次运行 formgen collect 时也会先读取这些核对结果。
    """
    from formgen.collect.review_stage import review_workbook

    ws = open_workspace(ctx)
    outcome, path = review_workbook(ws, given_path(ctx, book) if book else None)
    out = console(soft_wrap=True)  # one line per message
    for line in outcome.recorded:
        out.print(f"已记入：{esc(line)}")
    for problem in outcome.problems:
        out.print(f"[red]未记录[/red] {esc(problem)}")
    if not outcome.recorded and not outcome.problems:
        out.print("没有新的核对结果。")
    out.print(f"收件情况：{esc(rel(ws, path))}")
    if outcome.problems:
        ctx.exit(1)

"""``formgen results-notice``: 考核结果通报 with the ranking within each unit category (seed 001)."""
from __future__ import annotations

import click

from formgen.cli import cli, echo_pdfs, open_workspace, rel


@cli.command("results-notice")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--date", "date_opt", default=None, metavar="YYYY-MM-DD", help="成文日期（默认 campaign.yaml 的 deadlines.commend 或 evaluate，都未设时为今天）。")
@click.pass_context
def results_notice_cmd(ctx: click.Context, pdf: bool, date_opt: str | None = None):
    """生成按类别排名的考核结果通报（out/publish/考核结果通报.docx）。"""
    from formgen.publish.category_stage import publish_results_notice

    ws = open_workspace(ctx)
    done = publish_results_notice(ws, date_opt)
    for p in done.documents:
        click.echo(f"已生成 {rel(ws, p)}")
    for line in done.notes:
        click.echo(f"注意：{line}")
    if pdf:
        echo_pdfs(ws, done.printable)

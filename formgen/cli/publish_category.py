"""``formgen results-notice``: 考核结果通报 with the ranking within each unit category (seed 001)."""
from __future__ import annotations

import datetime as dt

import click

from formgen.cli import cli, workdir
from formgen.errors import FormgenError


@cli.command("results-notice")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--date", "date_opt", default=None, metavar="YYYY-MM-DD", help="成文日期（默认 campaign.yaml 的 deadlines.commend 或 evaluate，都未设时为今天）。")
@click.pass_context
def results_notice_cmd(ctx: click.Context, pdf: bool, date_opt: str | None = None):
    """生成按类别排名的考核结果通报（out/publish/考核结果通报.docx）。"""
    from formgen.ledger.views import nominees
    from formgen.publish.category_results import RESULTS_NOTICE, write_results_notice
    from formgen.publish.run import SofficeMissing, to_pdf
    from formgen.scoring.run import score_campaign
    from formgen.workspace import Workspace

    ws = Workspace.open(workdir(ctx))
    try:
        d = ws.campaign.deadlines
        date = dt.date.fromisoformat(date_opt) if date_opt else (d.commend or d.evaluate or dt.date.today())
    except ValueError:
        raise FormgenError(f"--date 应为日期，如 2013-04-15，实际为“{date_opt}”") from None
    awards = [a for a in ws.campaign.awards if a.rank_within == "category"]
    if not awards:
        raise FormgenError("本活动没有按类别排名的奖项（campaign.yaml 中 rank_within: category），无需生成考核结果通报")
    with ws.ledger() as ledger:
        found = nominees(ledger, ws.campaign, ws.units)
    ranked = score_campaign(ws, found)
    for award in awards:
        name = RESULTS_NOTICE if len(awards) == 1 else f"{award.name}_{RESULTS_NOTICE}"
        path = write_results_notice(ws.campaign, award, ranked.get(award.id, []), ws.out_dir("publish") / name, date)
        click.echo(f"已生成 out/publish/{path.name}")
        if pdf:
            try:
                to_pdf([path])
                click.echo(f"已生成 out/publish/{path.stem}.pdf")
            except SofficeMissing as e:
                click.echo(f"注意：{e}")

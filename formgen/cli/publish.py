"""``formgen publish``: publicity list, commendation notice, plaque list, certificates (and PDFs)."""
from __future__ import annotations

import click

from formgen.cli import cli, echo_pdfs, open_workspace, rel


@cli.command("publish")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--date", "date_opt", default=None, metavar="YYYY-MM-DD",
              help="公示名单的日期，公示期自该日（或其后第一个工作日）起按工作日计算；"
                   "默认取 campaign.yaml 的 deadlines.publicity_start，未设置则为今天。")
@click.option("--commend-date", "commend_opt", default=None, metavar="YYYY-MM-DD",
              help="表彰通报和证书的日期；默认为公示期满后的第一个工作日。")
@click.option("--period", "period_opt", default=None, metavar="2024Q3",
              help="按期考核的活动：期间（2024Q3 季度评分表、2024 年度评分表或排位报告）；默认为全年。")
@click.pass_context
def publish_cmd(ctx: click.Context, pdf: bool, date_opt: str | None, commend_opt: str | None,
                period_opt: str | None = None):
    """生成公示名单、表彰通报、授牌名单和荣誉证书（out/publish/）。"""
    from formgen.publish.stage import publish_campaign

    ws = open_workspace(ctx)
    if ws.campaign.assessment is not None:  # score sheets, or the ranking report and first/last notices
        from formgen.cli.periods import publish_assessment

        publish_assessment(ws, period_opt, pdf)
        return
    if ws.campaign.awards and all(a.quota.total == 0 for a in ws.campaign.awards):
        # a ranking only, nobody selected (seed 001): what is published is the results notice by category
        from formgen.cli.publish_category import results_notice_cmd

        ctx.invoke(results_notice_cmd, pdf=pdf, date_opt=date_opt)
        return
    done = publish_campaign(ws, date_opt, commend_opt)
    for p in done.documents:
        click.echo(f"已生成 {rel(ws, p)}")
    for folder, n in done.certificates.items():
        click.echo(f"已生成 {rel(ws, folder)}/（{n} 份证书，每人一个文件）")
    for line in done.notes:
        click.echo(f"注意：{line}")
    if done.held:
        click.echo("公示尚未结束，暂不生成表彰通报、授牌名单和证书：")
        for line in done.held:
            click.echo(f"  {line}")
    if pdf:
        echo_pdfs(ws, done.printable)


@cli.command("export")
@click.option("--fields", "fields_opt", default="internal", show_default=True,
              type=click.Choice(["public", "internal", "all"]),
              help="导出哪些信息：public 只含公开信息（姓名、单位、职务……）；internal 另含出生年月、学历、事迹等"
                   "内部信息；all 另含身份证号、电话、住址等个人信息。")
@click.pass_context
def export_cmd(ctx: click.Context, fields_opt: str):
    """推荐人选汇总表：收到的推荐表、申报表汇成一个工作簿，报送上级（out/export/）。"""
    from formgen.publish.export import export_nominations, parse_level

    ws = open_workspace(ctx)
    done = export_nominations(ws, parse_level(fields_opt))
    click.echo(f"已生成 {rel(ws, done.path)}（{done.rows} 条推荐人选）")
    for title, labels in done.withheld:
        click.echo(f"未导出（{title}）：{'、'.join(labels)}；需要时用 --fields {'all' if fields_opt == 'internal' else 'internal'}")
    if done.personal_included:
        click.echo("注意：本表含身份证号、联系电话、住址等个人信息，只报送确需的上级机关，不得公开或转发。")

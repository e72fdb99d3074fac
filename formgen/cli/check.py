"""``formgen check``: validate campaign.yaml and units.xlsx (formgen.campaign.check)."""
from __future__ import annotations

import click

from formgen.cli import cli, workdir
from formgen.errors import ConfigError


@cli.command("check")
@click.option("--fields", "show_fields", is_flag=True,
              help="另列出每个表格字段的信息级别（公开／内部／个人）和它可以出现在哪里。")
@click.pass_context
def check_cmd(ctx: click.Context, show_fields: bool = False):
    """检查 campaign.yaml 和 units.xlsx 是否填写正确（不生成、不修改任何文件）。"""
    from formgen.campaign.check import check_workspace, field_levels

    report = check_workspace(workdir(ctx))
    if report.campaign is not None:  # the templates are the issue stage's: it says what issue will do with them
        from formgen.issue.render import template_findings

        errors, warnings = template_findings(report.campaign, workdir(ctx) / "templates")
        report.errors += errors
        report.warnings += warnings
    for w in report.warnings:
        click.echo(f"提醒：{w}")
    if not report.ok:
        for e in report.errors[:-1]:
            click.echo(f"错误：{e}", err=True)
        raise ConfigError(report.errors[-1])
    click.echo(report.summary())
    if show_fields:
        for line in field_levels(report.campaign):
            click.echo(line)

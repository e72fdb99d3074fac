"""``formgen check``: validate campaign.yaml and units.xlsx (formgen.campaign.check)."""
from __future__ import annotations

import click

from formgen.cli import cli, workdir
from formgen.errors import ConfigError


@cli.command("check")
@click.pass_context
def check_cmd(ctx: click.Context):
    """检查 campaign.yaml 和 units.xlsx 是否填写正确（不生成、不修改任何文件）。"""
    from formgen.campaign.check import check_workspace

    root = workdir(ctx)
    if not (root / "campaign.yaml").exists():
        raise ConfigError(f"{root} 中没有 campaign.yaml；请在工作目录中运行，或用 -C 指定工作目录")
    report = check_workspace(root)
    for w in report.warnings:
        click.echo(f"提醒：{w}")
    if not report.ok:
        for e in report.errors[:-1]:
            click.echo(f"错误：{e}", err=True)
        raise ConfigError(report.errors[-1])
    c = report.campaign
    rules = sum(len(i.rules) for a in c.awards for rb in (a.rubric, *a.category_rubrics.values()) for i in rb.items)
    click.echo(f"检查通过：{c.name}；{len(c.awards)} 个奖项、{rules} 条评分细则、{len(c.form_specs())} 种表格；"
               f"单位名单 {len(report.units)} 个单位（{len(c.categories)} 个类别）。")

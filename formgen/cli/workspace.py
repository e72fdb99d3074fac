"""Workspace commands: init, presets."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, given_path, workdir


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--preset", default="ruian-2014", show_default=True, help="使用的内置活动预设（formgen presets 查看）。")
@click.option("--force", is_flag=True, help="覆盖已有的 campaign.yaml、units.xlsx 和模板（已收文件和台账不受影响）。")
@click.pass_context
def init(ctx, directory: Path | None, preset: str, force: bool):
    """新建工作目录：活动配置、单位名单、表格模板。"""
    from formgen.issue.init import init_workspace

    root = given_path(ctx, directory) if directory is not None else workdir(ctx)
    ws = init_workspace(root, preset, force=force)
    c = ws.campaign
    click.echo(f"已创建工作目录 {ws.root}（预设 {preset}：{c.name}）")
    click.echo(f"  活动配置  {ws.campaign_file}")
    click.echo(f"  单位名单  {ws.root / c.units_file}（{len(ws.units)} 个单位，可用 Excel 修改）")
    click.echo(f"  表格模板  {ws.templates_dir}（可用 Word 修改样式）")
    click.echo(f"  收件目录  {ws.forms_in}")
    click.echo("下一步：formgen issue 生成各单位的空白表格和通知。")


@cli.command()
def presets():
    """列出内置的活动预设。"""
    from formgen.campaign.presets import award_size, preset_campaign, preset_names

    for name in preset_names():
        c = preset_campaign(name)
        awards = "、".join(f"{a.name}（{award_size(a, name)}）" for a in c.awards)
        click.echo(f"{name}\t{c.name}\t{c.issuer.doc_number}\t{awards}")

"""``formgen objection``: the publicity round (公示) — objections, their handling and decision."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, console, esc, open_workspace


@cli.group("objection")
def objection_cmd():
    """公示期间的异议：登记（add）、处理（handle）、决定（decide）、查看（list）。"""


@objection_cmd.command("add")
@click.argument("subject")
@click.option("--by", "raised_by", required=True, help="谁提出异议（姓名或单位；匿名的写“匿名来信”）。")
@click.option("--on", "raised_on", default=None, metavar="YYYY-MM-DD", help="提出异议的日期；默认今天。")
@click.option("--what", required=True, help="异议的内容。")
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path),
              help="证据文件（可写多次）；文件原样保存在台账中。")
@click.option("--award", "award_id", default=None, help="同名对象参评多个奖项时，写明奖项（如 person）。")
@click.pass_context
def add_cmd(ctx, subject, raised_by, raised_on, what, files, award_id):
    """登记对某公示对象（姓名、岗位或单位）的异议。"""
    from formgen.publish.stage import parse_date
    from formgen.scoring.objections_stage import raise_objection

    o = raise_objection(open_workspace(ctx), subject, raised_by, parse_date(raised_on, "--on"), what,
                        list(files), award_id)
    console().print(esc(f"已登记第{o.id}号异议：{o.name}（{o.unit}）" + (f"，证据 {len(o.files)} 份" if o.files else "")))


@objection_cmd.command("handle")
@click.argument("number", type=int)
@click.option("--step", required=True, help="这一步做了什么（如“已转效能监察室核查”）。")
@click.pass_context
def handle_cmd(ctx, number, step):
    """记录第 N 号异议的一步处理。"""
    from formgen.scoring.objections_stage import handle_objection

    o = handle_objection(open_workspace(ctx), number, step)
    console().print(esc(f"已记录：第{o.id}号异议 {step}"))


@objection_cmd.command("decide")
@click.argument("number", type=int)
@click.argument("outcome", type=click.Choice(["upheld", "dismissed"]))
@click.option("--reason", required=True, help="决定的理由。")
@click.option("--keep", is_flag=True, help="异议成立但不取消入选（如只需更正公示信息）。")
@click.pass_context
def decide_cmd(ctx, number, outcome, reason, keep):
    """决定第 N 号异议：upheld（成立，默认取消入选、由下一名递补）或 dismissed（不成立）。"""
    from formgen.scoring.objections_stage import decide

    o, rerun = decide(open_workspace(ctx), number, outcome, reason, removes=not keep)
    out = console()
    out.print(esc(f"已决定：第{o.id}号异议{'成立' if outcome == 'upheld' else '不成立'}"
                  + ("，取消入选" if o.removes else "")))
    if rerun:
        out.print("已重新计分、确定入选（名额由下一名按同一排序规则递补），见 out/score/评选结果.xlsx；"
                  "请重新运行 formgen publish")


@objection_cmd.command("list")
@click.pass_context
def list_cmd(ctx):
    """列出全部异议及其处理和决定。"""
    from formgen.scoring.objections_stage import objections

    out = console()
    found = objections(open_workspace(ctx))
    if not found:
        out.print("尚无异议。")
    for o in found:
        out.print(esc(f"{o.name}（{o.unit}）　{o.summary()}"))

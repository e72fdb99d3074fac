"""``formgen discipline``: the staff's record of 效能或党政纪处理 (the veto of seed 000)."""
from __future__ import annotations

import click

from formgen.cli import cli, console, esc, open_workspace


@cli.command("discipline")
@click.argument("unit", required=False)
@click.option("--name", default="", help="被推荐人姓名或岗位；不写则记录单位本身（对该单位推荐的全部对象有效）。")
@click.option("--what", default="", help="受到的处理，如“2014年5月受党内警告处分”。")
@click.option("--none", "none", is_flag=True, help="记录“本年度没有受到效能或党政纪处理”。")
@click.option("--basis", default=None, help="依据（如“纪委通报〔2014〕3号”“经电话向纪检组核实”）。")
@click.option("--delete", is_flag=True, help="撤销这条记录（记录历史保留）。")
@click.option("--list", "list_all", is_flag=True, help="列出全部记录。")
@click.pass_context
def discipline_cmd(ctx, unit, name, what, none, basis, delete, list_all):
    """记录某单位（或其推荐对象）本年度是否受到效能或党政纪处理：受到处理的不得入选。"""
    from formgen.errors import FormgenError
    from formgen.scoring.facts_stage import discipline_list, record_discipline

    ws = open_workspace(ctx)
    out = console()
    if list_all:
        rows = discipline_list(ws)
        if not rows:
            out.print("尚无效能或党政纪处理的记录。")
        for r in rows:
            who = f"{r.unit}" + (f"（{r.name}）" if r.name else "")
            out.print(esc(f"{who}：{('有：' + (r.what or '受到处理')) if r.disciplined else '无'}　{r.source()}"))
        return
    if not unit:
        raise FormgenError("用法：formgen discipline 单位 [--name 姓名] --what 处理 | --none [--basis 依据]；"
                           "或 formgen discipline --list")
    rec = record_discipline(ws, unit, name, what, none, basis, delete)
    who = unit + (f"（{name}）" if name else "")
    if delete:
        out.print(esc(f"已撤销：{who} 的效能或党政纪处理记录"))
    else:
        out.print(esc(f"已记录：{who} " + (f"受到处理：{rec.what}，不得入选" if rec.disciplined else "本年度没有受到处理")))

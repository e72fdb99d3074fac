"""``formgen units import``: the office's own unit list → the workspace's units.xlsx (formgen.campaign.unit_files)."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, given_path, open_workspace
from formgen.errors import ConfigError


@cli.group()
def units():
    """单位名单：从单位自己的 Excel 名单导入。"""


@units.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="不提问：看不准的列按猜测读取，并覆盖已有的单位名单。")
@click.option("--column", "answers", multiple=True, metavar="字段=列",
              help="指定某字段所在的列，如 邮箱=E 或 邮箱=电子信箱（可重复；写 邮箱=- 表示不读该字段）。")
@click.pass_context
def units_import(ctx, source: Path, yes: bool, answers: tuple[str, ...]):
    """读取 .xlsx、.xls 或 .csv（UTF-8 或 GBK）单位名单，按表头找出各列，写入工作目录的单位名单。"""
    from formgen.campaign.load import write_units
    from formgen.campaign.unit_columns import FIELD_LABEL
    from formgen.campaign.unit_files import header_cells, import_units

    ws = open_workspace(ctx)
    source = given_path(ctx, source)
    cats = [c.name for c in ws.campaign.categories] or None
    units_found, match = import_units(source, cats)
    header = header_cells(source, match) if match.header_row is not None else []
    columns = dict(_parse_answers(answers, header))
    for g in match.guesses:
        if g.field in columns:
            continue
        if yes:
            click.echo(f"第 {_letter(g.column)} 列“{g.header}”按“{FIELD_LABEL[g.field]}”读取")
            continue
        if not click.confirm(f"第 {_letter(g.column)} 列“{g.header}”是“{FIELD_LABEL[g.field]}”吗？", default=True):
            columns[g.field] = -1
    if columns:
        units_found, match = import_units(source, cats, columns)
    click.echo(f"表头在第 {match.header_row + 1} 行：" + "、".join(
        f"{FIELD_LABEL[k]}={_letter(i)}列" for k, i in sorted(match.columns.items(), key=lambda x: x[1])))
    if match.extra:
        click.echo("另外保留的列：" + "、".join(f"{_letter(i)}列“{h}”" for i, h in match.extra))
    for line, problem in match.problems:
        click.secho(f"注意：{source.name} 第 {line} 行{problem}", fg="yellow", err=True)
    target = ws.root / ws.campaign.units_file
    if target.exists() and not yes and not click.confirm(f"{target.name} 已存在，用导入的 {len(units_found)} 个单位替换吗？",
                                                         default=False):
        click.echo("未写入任何文件。")
        return
    write_units(target, units_found)
    click.echo(f"已写入 {target}（{len(units_found)} 个单位）；可运行 formgen check 再检查一遍。")


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


def _parse_answers(answers: tuple[str, ...], header: list[str]):
    """'邮箱=E' / '邮箱=电子信箱' / '邮箱=-' -> ('email', 4) / ('email', -1)."""
    from openpyxl.utils import column_index_from_string

    from formgen.campaign.unit_columns import FIELD_LABEL, exact_field

    for answer in answers:
        name, _, col = answer.partition("=")
        key = exact_field(name) or (name if name in FIELD_LABEL else None)
        if not key or not col:
            raise ConfigError(f"--column {answer}：应写成“字段=列”，字段可为 单位名称、类别、联系人、电话、邮箱，如 邮箱=E")
        col = col.strip()
        if col == "-":
            yield key, -1
        elif col in header:
            yield key, header.index(col)
        elif col.isascii() and col.isalpha():
            yield key, column_index_from_string(col.upper()) - 1
        else:
            raise ConfigError(f"--column {answer}：表头中没有“{col}”这一列；请写列字母（如 E）或表头中的原文")

"""``formgen scorers``: scorers' workbooks with each rule's own input, out and back
(formgen.scoring.subscore_stage): one per department that owns sub-scores, and one per
member of the review group for the items no department owns."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, given_path, open_workspace
from formgen.errors import FormgenError


@cli.command("scorers")
@click.option("--read", "read_mode", is_flag=True, help="读回填好的评分报送表（默认 out/scorers/returned/ 下的全部 .xlsx）。")
@click.option("--judges", "judges_opt", default=None, metavar="张三,李四",
              help="评分人（考评小组成员），逗号分隔；默认取 campaign.yaml 的 judges。")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def scorers_cmd(ctx: click.Context, read_mode: bool, judges_opt: str | None, files: tuple[Path, ...]):
    """生成各评分部门、考评小组成员的评分报送表，或用 --read 读回。"""
    from formgen.scoring.subscore_stage import issue_scorer_books, read_scorer_books

    ws = open_workspace(ctx)
    if not read_mode:
        paths = issue_scorer_books(ws, judges_opt)
        click.echo(f"已生成 {len(paths)} 份评分报送表（out/scorers/）；填好后放入 out/scorers/returned/，再运行 formgen scorers --read")
        return
    done = read_scorer_books(ws, [given_path(ctx, f) for f in files])
    for p in done.problems:
        click.echo(f"问题：{p}")
    for name, scorer, filled in done.read:
        click.echo(f"已读入 {name}：{scorer}，填写 {filled} 格")
    if not done.read:
        raise FormgenError("没有读入任何评分报送表（问题见上）")
    click.echo(f"共读入 {len(done.read)} 份" + (f"，{len(done.problems)} 个单元格有问题未读入（见上），请更正后重新读取"
                                            if done.problems else "") + "。下一步：formgen score")

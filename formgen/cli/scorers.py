"""``formgen scorers``: scorers' workbooks with each rule's own input, out and back
(formgen.scoring.subscore_book): one per department that owns sub-scores, and one per
member of the review group for the items no department owns."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, workdir
from formgen.errors import FormgenError


@cli.command("scorers")
@click.option("--read", "read_mode", is_flag=True, help="读回填好的评分报送表（默认 out/scorers/returned/ 下的全部 .xlsx）。")
@click.option("--judges", "judges_opt", default=None, metavar="张三,李四",
              help="评分人（考评小组成员），逗号分隔；默认取 campaign.yaml 的 judges。")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def scorers_cmd(ctx: click.Context, read_mode: bool, judges_opt: str | None, files: tuple[Path, ...]):
    """生成各评分部门、考评小组成员的评分报送表，或用 --read 读回。"""
    from formgen.ledger.judging import save_judge_read
    from formgen.ledger.views import nominees as ledger_nominees
    from formgen.scoring.subscore_book import owners, read_book, write_books
    from formgen.workspace import Workspace

    ws = Workspace.open(workdir(ctx))
    returned = ws.out_dir("scorers") / "returned"
    if not read_mode:
        judges = ([p.strip() for p in judges_opt.replace("，", ",").split(",") if p.strip()] if judges_opt
                  else [j.name for j in ws.campaign.judges])
        with ws.ledger() as ledger:
            found = ledger_nominees(ledger, ws.campaign, ws.units)
        if not any(found.values()):
            raise FormgenError("还没有任何参评对象（申报表尚未收到）；请先运行 formgen collect")
        scorers = owners(ws.campaign) + [j for j in judges if j not in owners(ws.campaign)]
        if not scorers:
            raise FormgenError("没有评分人：请在 campaign.yaml 的 judges 中填写考评小组成员，或用 --judges 张三,李四 指定")
        paths = write_books(ws, scorers, found)
        if not paths:
            raise FormgenError("评分人都没有需要评分的项目或对象（检查 campaign.yaml 中评分项的 source 与奖项的 categories）")
        returned.mkdir(exist_ok=True)
        click.echo(f"已生成 {len(paths)} 份评分报送表（out/scorers/）；填好后放入 out/scorers/returned/，再运行 formgen scorers --read")
        return
    paths = [Path(f) if Path(f).is_absolute() else workdir(ctx) / f for f in files] if files else \
        sorted(p for p in returned.glob("*.xlsx") if not p.name.startswith("~$")) if returned.is_dir() else []
    if not paths:
        raise FormgenError("out/scorers/returned/ 中没有评分报送表；请把填好的 .xlsx 放入该目录，或在命令后写出文件名")
    saved = problems = 0
    with ws.ledger() as ledger:
        for path in paths:
            r = read_book(path)
            for p in r.problems:
                click.echo(f"问题：{p}")
            problems += len(r.problems)
            for award_id in sorted({s.award_id for s in r.scores}):
                save_judge_read(ledger, r.scorer, award_id, [s for s in r.scores if s.award_id == award_id],
                                path.name, r.sha256)
            if r.scores:
                saved += 1
                click.echo(f"已读入 {path.name}：{r.scorer}，填写 {r.filled} 格")
    if not saved:
        raise FormgenError("没有读入任何评分报送表（问题见上）")
    click.echo(f"共读入 {saved} 份" + (f"，{problems} 个单元格有问题未读入（见上），请更正后重新读取" if problems else "") +
               "。下一步：formgen score")

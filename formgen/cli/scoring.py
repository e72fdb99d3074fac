"""Scoring commands: panel (judges' workbooks out and back), score (rank, select, 评选结果.xlsx)."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, workdir
from formgen.errors import FormgenError


def _ws(ctx: click.Context):
    from formgen.workspace import Workspace

    return Workspace.open(workdir(ctx))


def _console():
    from rich.console import Console

    return Console(highlight=False)


def escape(text: str) -> str:
    """User text (names, units, file names) shown literally, never as rich markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(text or "")


def _rel(ws, path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ws.root))
    except ValueError:
        return str(path)


def _nominees(ws) -> dict:
    try:
        from formgen.ledger.views import nominees
    except ImportError:
        raise FormgenError("此版本尚不能从台账生成参评名单（缺少 formgen.ledger.views），请更新 formgen") from None
    with ws.ledger() as ledger:
        found = nominees(ledger, ws.campaign, ws.units)
    if not any(found.values()):
        raise FormgenError("台账中还没有任何推荐表，无法评分；请先把各单位报送的文件放入 forms_in/ 并运行 formgen collect")
    return found


def _judges(ws, option: str | None) -> list:
    from formgen.campaign.model import Judge

    if option:
        names = [p.strip() for p in option.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        judges = [Judge.model_validate(n) for n in names]
    else:
        judges = list(ws.campaign.judges)
    if not judges:
        raise FormgenError("没有指定评委：请用 formgen panel --judges 张三,李四,王五，"
                           "或在 campaign.yaml 的 judges 中填写综合评定小组成员")
    seen = set()
    for j in judges:
        if not j.name:
            raise FormgenError("评委姓名不能为空（--judges 用逗号分隔姓名，组别写在冒号后，如 张三:班子成员）")
        if j.name in seen:
            raise FormgenError(f"评委“{j.name}”重复出现，请检查 --judges 或 campaign.yaml 的 judges")
        seen.add(j.name)
    return judges


@cli.command("panel")
@click.option("--judges", "judges_opt", default=None, metavar="张三,李四,王五",
              help="评委姓名，逗号分隔（组别写在冒号后，如 张三:班子成员）；默认取 campaign.yaml 的 judges。")
@click.option("--read", "read_mode", is_flag=True, help="读回评委填好的评分表（默认 out/panel/returned/ 下的全部 .xlsx）。")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def panel_cmd(ctx: click.Context, judges_opt: str | None, read_mode: bool, files: tuple[Path, ...]):
    """生成评委评分表（每位评委一份 Excel），或用 --read 读回评委填好的评分表。"""
    ws = _ws(ctx)
    if read_mode:
        _read(ws, files)
        return
    if files:
        raise FormgenError("生成评分表时不需要指定文件；读回评分表请加 --read")
    from formgen.scoring.panel import write_panel

    judges = _judges(ws, judges_opt)
    nominees = _nominees(ws)
    paths = write_panel(ws, judges, nominees)
    counts = "，".join(f"{a.name}{len(nominees.get(a.id, []))}个" for a in ws.campaign.awards if nominees.get(a.id))
    click.echo(f"已为 {len(paths)} 位评委生成评分表（参评对象：{counts}）：")
    for p in paths:
        click.echo(f"  {_rel(ws, p)}")
    returned = ws.out_dir("panel") / "returned"
    returned.mkdir(exist_ok=True)
    click.echo(f"评委填好后，把评分表放入 {_rel(ws, returned)}/，再运行 formgen panel --read")


def _read(ws, files: tuple[Path, ...]) -> None:
    from formgen.ledger.judging import save_judge_read
    from formgen.scoring.panel import read_panel_files

    if files:
        paths = []
        for f in files:
            f = f if f.is_absolute() else Path.cwd() / f
            if f.is_dir():
                paths += sorted(p for p in f.glob("*.xlsx") if not p.name.startswith("~$"))
            elif f.exists():
                paths.append(f)
            else:
                raise FormgenError(f"找不到文件 {f}")
    else:
        returned = ws.out_dir("panel") / "returned"
        paths = sorted(p for p in returned.glob("*.xlsx") if not p.name.startswith("~$")) if returned.is_dir() else []
        if not paths:
            raise FormgenError(f"{_rel(ws, returned)}/ 中没有评分表；请把评委填好的 .xlsx 放入该目录，或在命令后写出文件名")
    reads = read_panel_files(ws, paths)
    console = _console()
    saved = 0
    with ws.ledger() as ledger:
        for r in reads:
            for award_id in r.awards:
                save_judge_read(ledger, r.judge, award_id, [s for s in r.scores if s.award_id == award_id],
                                r.path.name, r.sha256)
            if r.awards:
                saved += 1
                console.print(f"已读入 {escape(r.path.name)}：评委{escape(r.judge)}，填写 {r.filled}/{r.cells} 项")
    problems = [p for r in reads for p in r.problems]
    for p in problems:
        console.print(f"[yellow]问题[/]：{escape(str(p))}")
    if not saved:
        raise FormgenError(f"没有读入任何评分表（发现 {len(problems)} 个问题，见上）；请用 formgen panel 生成的评分表填写后再读")
    click.echo(f"共读入 {saved} 份评分表" + (f"，发现 {len(problems)} 个问题（有问题的单元格未读入，请评委更正后重新放入再读）"
                                          if problems else "，未发现问题") + "。下一步：formgen score")


@cli.command("score")
@click.pass_context
def score_cmd(ctx: click.Context):
    """计分、排名（不并列）、按名额确定入选，生成 out/score/评选结果.xlsx。"""
    from rich.table import Table

    from formgen.scoring.results import write_results
    from formgen.scoring.run import score_campaign

    ws = _ws(ctx)
    ranked = score_campaign(ws, _nominees(ws))
    path = write_results(ws, ranked)
    console = _console()
    for award in ws.campaign.awards:
        rows = ranked.get(award.id)
        if not rows:
            continue
        decimals = award.rubric.aggregation.decimals
        table = Table(title=f"{award.name}（名额{award.quota.total}名）", title_justify="left")
        for head, just in (("名次", "right"), ("推荐单位", "left"), ("名称", "left"), ("总分", "right"),
                           ("评委", "right"), ("结果", "left"), ("说明", "left")):
            table.add_column(head, justify=just)
        for r in rows:
            result = ("入选" + ("·推荐上报" if r.recommended else "")) if r.selected else r.status
            notes = ("；".join(r.ineligible) if not r.eligible else "") or "；".join(r.score.flags + r.tie_notes)
            table.add_row(str(r.rank or "—"), escape(r.nominee.unit), escape(r.nominee.name),
                          f"{r.total:.{decimals}f}" if r.total is not None else "—", str(len(r.score.judges)),
                          f"[green]{result}[/]" if r.selected else escape(result), escape(notes))
        console.print(table)
        stand_in = sum(1 for r in rows if r.score.stand_in)
        if stand_in:
            console.print(f"[yellow]注意[/]：{stand_in} 个对象有项目尚无评委评分，暂以自评分代分（见评选结果表黄色单元格）")
    click.echo(f"评选结果已写入 {_rel(ws, path)}")

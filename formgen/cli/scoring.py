"""Scoring commands: panel (judges' workbooks out and back), score (rank, select, 评选结果.xlsx)."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, console, esc, given_path, open_workspace, rel
from formgen.errors import FormgenError


@cli.command("panel")
@click.option("--judges", "judges_opt", default=None, metavar="张三,李四,王五",
              help="评委姓名，逗号分隔（组别写在冒号后，如 张三:班子成员）；默认取 campaign.yaml 的 judges。")
@click.option("--read", "read_mode", is_flag=True, help="读回评委填好的评分表（默认 out/panel/returned/ 下的全部 .xlsx）。")
@click.option("--period", "period_opt", default=None, metavar="2024Q4",
              help="按期考核的活动：考核评分录入表的期间（每个单位一行、每条细则一列）。")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def panel_cmd(ctx: click.Context, judges_opt: str | None, read_mode: bool, files: tuple[Path, ...],
              period_opt: str | None = None):
    """生成评委评分表（每位评委一份 Excel），或用 --read 读回评委填好的评分表。"""
    from formgen.scoring.stage import issue_panel, read_returns

    ws = open_workspace(ctx)
    if ws.campaign.assessment is not None:  # nothing nominated: scorer workbooks of the assessed units
        from formgen.cli.periods import panel_assessment

        panel_assessment(ctx, ws, judges_opt, read_mode, files, period_opt)
        return
    if read_mode:
        report = read_returns(ws, [given_path(ctx, f) for f in files])
        out = console()
        for r in report.saved:
            out.print(f"已读入 {esc(r.path.name)}：评委{esc(r.judge)}，填写 {r.filled}/{r.cells} 项")
        problems = report.problems
        for p in problems:
            out.print(f"[yellow]问题[/]：{esc(p)}")
        if not report.saved:
            raise FormgenError(f"没有读入任何评分表（发现 {len(problems)} 个问题，见上）；请用 formgen panel 生成的评分表填写后再读")
        click.echo(f"共读入 {len(report.saved)} 份评分表" + (
            f"，发现 {len(problems)} 个问题（有问题的单元格未读入，请评委更正后重新放入再读）" if problems else "，未发现问题")
                   + "。下一步：formgen score")
        return
    if files:
        raise FormgenError("生成评分表时不需要指定文件；读回评分表请加 --read")
    issued = issue_panel(ws, judges_opt)
    counts = "，".join(f"{award}{n}个" for award, n in issued.nominees.items())
    click.echo(f"已为 {len(issued.paths)} 位评委生成评分表（参评对象：{counts}）：")
    for p in issued.paths:
        click.echo(f"  {rel(ws, p)}")
    click.echo(f"评委填好后，把评分表放入 {rel(ws, issued.returned)}/，再运行 formgen panel --read")


@cli.command("score")
@click.option("--period", "period_opt", default=None, metavar="2024Q3",
              help="按期考核的活动：计分的期间（如 2024Q3 季度、2024 年度）；默认为全年。")
@click.option("--reason", default=None, help="评选结果发布后又有更改时，更改的理由（原结果完整保留）。")
@click.pass_context
def score_cmd(ctx: click.Context, period_opt: str | None = None, reason: str | None = None):
    """计分、排名（不并列）、按名额确定入选，生成 out/score/评选结果.xlsx。"""
    from rich.table import Table

    from formgen.scoring.stage import score

    ws = open_workspace(ctx)
    if ws.campaign.assessment is not None:  # campaigns assessed by periods (seeds 002, 004)
        from formgen.cli.periods import score_assessment

        score_assessment(ws, period_opt)
        return
    run = score(ws, reason)
    out = console()
    for award in ws.campaign.awards:
        rows = run.ranked.get(award.id)
        if not rows:
            continue
        decimals = award.rubric.aggregation.decimals
        table = Table(title=f"{award.name}（名额{award.quota.total}名）", title_justify="left")
        for head, just in (("名次", "right"), ("推荐单位", "left"), ("名称", "left"), ("总分", "right"),
                           ("评委", "right"), ("结果", "left"), ("说明", "left")):
            table.add_column(head, justify=just)
        for r in rows:
            grade = f"（{r.grade}）" if getattr(r, "grade", "") else ""  # 最美 / 优秀政务大厅
            result = ("入选" + grade + ("·推荐上报" if r.recommended else "")) if r.selected else r.status
            notes = ("；".join(r.ineligible) if not r.eligible else "") or "；".join(r.score.flags + r.tie_notes)
            table.add_row(str(r.rank or "—"), esc(r.nominee.unit), esc(r.nominee.name),
                          f"{r.total:.{decimals}f}" if r.total is not None else "—", str(len(r.score.judges)),
                          f"[green]{result}[/]" if r.selected else esc(result), esc(notes))
        out.print(table)
        stand_in = sum(1 for r in rows if r.score.stand_in)
        if stand_in:
            out.print(f"[yellow]注意[/]：{stand_in} 个对象有项目尚无评委评分，暂以自评分代分（见评选结果表黄色单元格）")
    held = [r for rows in run.ranked.values() for r in rows if r.held]
    if held:
        out.print(f"[yellow]注意[/]：{len(held)} 个对象同分待人工决定（formgen decide 奖项 列前者 列后者 --by 决定人）")
    if run.replaced_version is not None:
        click.echo(f"已发布的评选结果已更改（理由：{reason}），原结果已保留（第 {run.replaced_version} 版）")
    click.echo(f"评选结果已写入 {rel(ws, run.workbook)}")

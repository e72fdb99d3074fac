"""``formgen demo --preset district-quarterly`` / ``town-internal``: a clerk's year on the preset's sample inputs.

init → notice → blank event logs and tally sheets → inspectors and counters fill
them (formgen.sample.periodic, with the usual mistakes) → scorer workbooks out
and back → events and tallies in → earlier years' first/last → score (a period
and the year) → a tie decided → explain → publish.
"""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.periods import INPUTS, decide_cmd, events_cmd, explain_cmd, history_add, tallies_cmd

DEMO_UNIT = {"district-quarterly": ("区住房和城乡建设局", "2024Q3"), "town-internal": ("村建所", None)}
# Ratings whose sample votes come back on paper ballots (scans and phone photos) instead of the tally sheet.
BALLOT_RATINGS = {"town-internal": ("internal",)}
DEMO_DECISION = {"town-internal": ("便民服务中心", "党政办公室", "镇长 朱其祥", "便民服务中心全年群众有效投诉为零")}


def demo_periodic(ctx: click.Context, root: Path, preset: str, pdf: bool) -> None:
    """The clerk's year of a campaign assessed by periods, on the preset's sample inputs."""
    from formgen.cli.demo import step
    from formgen.cli.issue import issue as issue_cmd
    from formgen.cli.publish import publish_cmd
    from formgen.cli.scoring import panel_cmd, score_cmd
    from formgen.cli.workspace import init
    from formgen.sample.periodic import fill_scorer_books, history, write_event_logs, write_tallies
    from formgen.sample.periodic import scorer_sample as yaml_scorer
    from formgen.workspace import Workspace

    step(f"1. 新建工作目录（预设 {preset}）")
    ctx.invoke(init, directory=root, preset=preset, force=True)
    ws = Workspace.open(root)
    settings = ws.campaign.assessment
    step("2. 下发考核通知（被考核单位无需报送材料）")
    ctx.invoke(issue_cmd, units=())
    step("3. 空白台账与计票表（带下拉列表和单元格限制）")
    ctx.invoke(events_cmd, template=True, files=())
    if settings.ratings:
        ctx.invoke(tallies_cmd, template=True, rating=None, period_opt="", files=())
    step("4. 检查人员记台账，计票人员计票（样例数据，含常见错误）")
    books = write_event_logs(ws, preset, ws.root / INPUTS / "台账")
    click.echo(f"inputs/台账/ 收到 {len(books)} 本台账：{'、'.join(p.name for p in books)}")
    on_paper = BALLOT_RATINGS.get(preset, ())
    if settings.ratings:
        tallies = write_tallies(ws, preset, ws.root / INPUTS / "计票", skip=on_paper)
        click.echo(f"inputs/计票/ 收到 {len(tallies)} 个文件：{'、'.join(p.name for p in tallies)}"
                   + ("（内部测评用纸质测评票，计票表中该页留空）" if on_paper else ""))
    if on_paper:
        step("4b. 现场不记名测评：印制测评票 → 收回后扫描（含手机拍照）→ 读票、计票")
        _demo_ballots(ws, preset, on_paper)
    if settings.scorers:
        step("4a. 季度考核：考核组的考核评分录入表（每条细则一列，单元格限定取值）")
        scorer = yaml_scorer(preset)
        ctx.invoke(panel_cmd, judges_opt=None, read_mode=False, files=(), period_opt=scorer["period"])
        filled = fill_scorer_books(ws, preset, sorted((ws.out / "panel").glob("*.xlsx")), ws.out / "panel" / "returned")
        click.echo(f"考核组已填好 {len(filled)} 份，放入 out/panel/returned/")
        ctx.invoke(panel_cmd, judges_opt=None, read_mode=True, files=(), period_opt=None)
    step("5. 读入台账、计票表和问卷导出（有问题的单元格逐条列出，其余照常计入）")
    ctx.invoke(events_cmd, template=False, files=())
    if settings.ratings:
        ctx.invoke(tallies_cmd, template=False, rating=None, period_opt="", files=())
    past = history(preset)
    if past:
        step("6. 补录以前年度的首位、末位（用于“连续两年末位”）")
        for h in past:
            ctx.invoke(history_add, year=h["year"], first=h.get("first"), last=h.get("last"))
    unit, period = DEMO_UNIT[preset]
    step("7. 计分、排名（名次不并列）")
    if period:
        ctx.invoke(score_cmd, period_opt=period)
    ctx.invoke(score_cmd, period_opt=None)
    if preset in DEMO_DECISION:
        above, below, by, reason = DEMO_DECISION[preset]
        step("8. 并列首位由领导小组决定，记入台账后重新计分")
        ctx.invoke(decide_cmd, period_text=str(settings.periods.year), above=above, below=below, by=by, reason=reason)
        ctx.invoke(score_cmd, period_opt=None)
    step(f"9. 逐条说明一个单位的得分：{unit}")
    ctx.invoke(explain_cmd, unit=unit, period_opt=period)
    step("10. 发布" + ("：季度和年度评分表" if settings.sheet else "：排位报告、首位和末位通报"))
    if period:
        ctx.invoke(publish_cmd, pdf=pdf, date_opt=None, commend_opt=None, period_opt=period)
    ctx.invoke(publish_cmd, pdf=pdf, date_opt=None, commend_opt=None, period_opt=None)
    step("演示完成")
    click.echo(f"  工作目录：{root}（台账：{ws.ledger_path.name}；结果：out/score/，文件：out/publish/）")
    click.echo(f"可继续试用，如：formgen -C {root} explain {unit}")


def _demo_ballots(ws, preset: str, ratings: tuple[str, ...]) -> None:
    """Paper ballots of ``ratings``: printed, filled with the sample's votes, scanned / photographed, read."""
    from formgen.ballots.run import BALLOTS_IN, demo_ballots
    from formgen.cli import rel
    from formgen.sample.periodic import sample_votes

    printed, report, book = demo_ballots(ws, votes={r: sample_votes(preset, r) for r in ratings}, photo_sheets=3)
    click.echo("已印制（out/ballots/，A4 PDF 每类评议人一份，另附可编辑 .docx）：")
    for p in printed:
        click.echo(f"  {rel(ws, p)}")
    returned = sorted(p.name for p in (ws.root / BALLOTS_IN).iterdir())
    click.echo(f"{BALLOTS_IN}/ 收回 {len(returned)} 个文件（扫描件 PDF 和手机照片）：{'、'.join(returned[:3])}"
               + ("……" if len(returned) > 3 else ""))
    click.echo(f"读取测评票 {report.pages} 页；计票 {report.counted} 项，无效 {report.invalid} 项，"
               f"待人工判定 {report.flagged} 项")
    for line in report.duplicates + report.problems:
        click.echo(f"  {line}")
    click.echo(f"统计表：{rel(ws, book)}（与计票表、问卷导出一并计入得分）")

"""Commands of campaigns assessed by periods (seeds 002, 004).

``events`` (台账 in), ``tallies`` (计票表 / 问卷导出 in), ``explain`` (one unit's
score, rule by rule), ``decide`` (a tie for first / last place), ``history``
(first and last place of earlier years). ``formgen score --period`` and
``formgen publish`` call :func:`score_assessment` / :func:`publish_assessment`
when the campaign has an ``assessment``.
"""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, echo_pdfs, given_path, open_workspace
from formgen.cli import rel as _rel
from formgen.errors import FormgenError

INPUTS = "inputs"  # formgen.scoring.assess_inputs.INPUTS (not imported here: the CLI loads lazily)


def _ws(ctx: click.Context):
    ws = open_workspace(ctx)
    if ws.campaign.assessment is None:
        raise FormgenError("本活动不是按期考核的活动（campaign.yaml 中没有 assessment），此命令不适用")
    return ws


def _files(ctx: click.Context, ws, given: tuple[Path, ...], folder: str, patterns: tuple[str, ...]) -> list[Path]:
    from formgen.scoring.assess_inputs import input_files

    return input_files(ws, [given_path(ctx, f) for f in given], folder, patterns)


def _problems(problems) -> None:
    for p in problems:
        click.echo(f"问题：{p}")


@cli.command("events")
@click.option("--template", is_flag=True, help="生成空白台账（带下拉列表和单元格限制）→ out/inputs/台账.xlsx")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def events_cmd(ctx: click.Context, template: bool, files: tuple[Path, ...]):
    """读入考核台账（巡查、暗访、会议纪律等，每行一个问题），默认读 inputs/台账/ 下的全部 .xlsx。"""
    from formgen.scoring.assess_inputs import read_event_logs
    from formgen.scoring.event_book import write_template

    ws = _ws(ctx)
    if template:
        path = write_template(ws.campaign, ws.units, ws.out_dir("inputs") / "台账.xlsx")
        click.echo(f"已生成空白台账 {_rel(ws, path)}；填好后放入 {INPUTS}/台账/，再运行 formgen events")
        if ws.campaign.assessment.sheet:
            from formgen.publish.assessment import blank_sheet

            sheet = blank_sheet(ws.campaign, ws.out_dir("inputs") / "考核评分表（空白，现场检查用）.docx")
            click.echo(f"已生成空白考核评分表 {_rel(ws, sheet)}（细则所附评分表，可打印带到现场）")
        return
    read = read_event_logs(ws, _files(ctx, ws, files, "台账", ("*.xlsx",)))
    for s in read.stored:
        click.echo(f"已读入 {s.path.name}：{s.count} 条记录" + (f"，{s.problems} 处问题" if s.problems else ""))
    _problems(read.problems)
    click.echo(f"共记入台账 {read.total} 条"
               + (f"；有问题的 {len(read.problems)} 行未计分，请更正后重新读入" if read.problems else "")
               + "。下一步：formgen score --period 期间")


@cli.command("tallies")
@click.option("--template", is_flag=True, help="生成空白计票表（每项测评一张工作表）→ out/inputs/计票表.xlsx")
@click.option("--rating", default=None, help="问卷导出对应的测评项目编号（默认从文件名判断）。")
@click.option("--period", "period_opt", default="", help="测评所属期间（默认为整个活动）。")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def tallies_cmd(ctx: click.Context, template: bool, rating: str | None, period_opt: str, files: tuple[Path, ...]):
    """读入测评计票表和网上问卷导出（.xlsx/.csv），默认读 inputs/计票/ 下的全部文件。"""
    from formgen.scoring.assess_inputs import read_tally_files
    from formgen.scoring.tally_book import write_tally_sheet

    ws = _ws(ctx)
    if template:
        path = write_tally_sheet(ws.campaign, ws.units, ws.out_dir("inputs") / "计票表.xlsx")
        click.echo(f"已生成空白计票表 {_rel(ws, path)}；填好后放入 {INPUTS}/计票/，再运行 formgen tallies")
        return
    read = read_tally_files(ws, _files(ctx, ws, files, "计票", ("*.xlsx", "*.csv")), period_opt, rating)
    for s in read.stored:
        extra = f"（{s.respondents} 份答卷）" if s.respondents is not None else ""
        click.echo(f"已读入 {s.what}：{s.count} 票{extra}")
    _problems(read.problems)
    click.echo(f"共记入 {read.total} 票" + (f"；{len(read.problems)} 处问题未计入，请更正后重新读入" if read.problems else ""))


def score_assessment(ws, period_text: str | None):
    """``formgen score`` for an assessment campaign: scores, ranking, outcomes, 考核结果.xlsx."""
    from formgen.scoring.assess_results import write_results
    from formgen.scoring.assess_run import parse_period, score_period
    from formgen.scoring.outcomes import PLACE_WORDS
    from formgen.scoring.rules import num

    period = parse_period(ws.campaign, period_text)
    result = score_period(ws, period)
    path = write_results(ws, result)
    click.echo(f"{ws.campaign.name}　{period.title}")
    for r in result.ranked:
        s = result.scores[r.nominee.key]
        note = "；".join(r.tie_notes)
        click.echo(f"  {r.rank or '—':>3}  {s.subject}  {num(s.total) if s.total is not None else '未评定'}"
                   + (f"  （{note}）" if note else ""))
    for o in result.outcomes:
        word = PLACE_WORDS[o.place]
        if o.subject is None:
            click.echo(f"{word}待定：{o.tie}")
        else:
            click.echo(f"{word}：{o.subject}（{num(o.total)}分）" + (f"，{o.history}" if o.history else "")
                       + (f"；{'；'.join(o.consequences)}" if o.consequences else "")
                       + (f"\n    并列：{o.tie}" if o.tie else ""))
    click.echo(f"考核结果已写入 {_rel(ws, path)}（含每条扣分的原因和来源）")
    return result


def publish_assessment(ws, period_text: str | None, pdf: bool) -> list[Path]:
    """``formgen publish`` for an assessment campaign: score sheets, or the report and notices."""
    from formgen.publish.assessment import publish_period
    from formgen.scoring.assess_run import parse_period, score_period

    period = parse_period(ws.campaign, period_text)
    result = score_period(ws, period)
    paths, notes = publish_period(ws, result)
    for p in paths:
        click.echo(f"已生成 {_rel(ws, p)}")
    for n in notes:
        click.echo(f"注意：{n}")
    if pdf:
        echo_pdfs(ws, paths)
    return paths


@cli.command("explain")
@click.argument("unit")
@click.option("--period", "period_opt", default=None, help="期间，如 2024Q3；默认为全年。")
@click.pass_context
def explain_cmd(ctx: click.Context, unit: str, period_opt: str | None):
    """逐条说明一个单位的得分：每条细则的记录、扣分和来源（评委评分的活动：各评委的评分和原因）。"""
    from formgen.scoring.assess_inputs import known_subject
    from formgen.scoring.assess_run import compute, load_inputs, parse_period
    from formgen.scoring.explain import explain_text

    ws = open_workspace(ctx)
    if ws.campaign.assessment is None:  # awards scored per nominee (seeds 000, 001, 003)
        from formgen.scoring.explain_awards import explain_subject

        for line in explain_subject(ws, unit):
            click.echo(line)
        return
    period = parse_period(ws.campaign, period_opt)
    with ws.ledger() as ledger:
        events, tallies, decisions, history = load_inputs(ledger, ws.campaign, period)
    result = compute(ws.campaign, ws.units, period, events, tallies, decisions, history)
    known_subject(result.scores, unit)
    for line in explain_text(result, unit):
        click.echo(line)


@cli.command("decide")
@click.argument("period_text", metavar="期间")
@click.argument("above", metavar="列前者")
@click.argument("below", metavar="列后者")
@click.option("--by", "by", required=True, help="作出决定的人（如 领导小组组长 朱其祥）。")
@click.option("--reason", default="", help="决定的理由。")
@click.pass_context
def decide_cmd(ctx: click.Context, period_text: str, above: str, below: str, by: str, reason: str):
    """决定同分的两个单位谁列前（决定首位或末位的并列），记入台账。

    评选奖项的活动：第一个参数写奖项名称，如 formgen decide 十大效能示范岗 东山街道 塘下镇 --by 张三。"""
    from formgen.scoring.assess_inputs import decide_tie

    ws = open_workspace(ctx)
    if ws.campaign.assessment is None:  # an award ranking whose tie_break leaves ties to a person
        from formgen.scoring.ties import decide_award_tie

        a, b = decide_award_tie(ws, period_text, above, below, by, reason)
        click.echo(f"已记入台账：{a.unit}{a.name}列{b.unit}{b.name}之前（{by}决定{'，' + reason if reason else ''}）。"
                   "下一步：formgen score 重新计分")
        return
    period = decide_tie(_ws(ctx), period_text, above, below, by, reason)
    click.echo(f"已记入台账：{period.title}{above}列{below}之前（{by}决定{'，' + reason if reason else ''}）。"
               "下一步：formgen score 重新计分")


@cli.group("history", invoke_without_command=True)
@click.pass_context
def history_cmd(ctx: click.Context):
    """历年首位、末位（用于“连续两年末位”）：列出，或用 history add 补录以前年度。"""
    if ctx.invoked_subcommand is not None:
        return
    from formgen.ledger.events import load_outcomes
    from formgen.scoring.assess import assessed_award
    from formgen.scoring.outcomes import PLACE_WORDS

    ws = _ws(ctx)
    with ws.ledger() as ledger:
        rows = load_outcomes(ledger, assessed_award(ws.campaign).id)
    if not rows:
        click.echo("台账中尚无历年首位、末位记录。")
    for (period, place), r in sorted(rows.items()):
        how = "（补录）" if r["how"] == "entered" else ""
        click.echo(f"{period}  {PLACE_WORDS.get(place, place)}  {r['subject']}{how}")


@history_cmd.command("add")
@click.argument("year", type=int)
@click.option("--first", "first", default=None, help="该年度首位。")
@click.option("--last", "last", default=None, help="该年度末位。")
@click.pass_context
def history_add(ctx: click.Context, year: int, first: str | None, last: str | None):
    """补录以前年度的首位、末位（如 formgen history add 2017 --last 村建所）。"""
    from formgen.scoring.assess_inputs import add_history

    for place, name in add_history(_ws(ctx), year, first, last):
        click.echo(f"已补录：{year}年度{'首位' if place == 'first' else '末位'} {name}")


def panel_assessment(ctx: click.Context, ws, scorers_opt: str | None, read_mode: bool, files: tuple[Path, ...],
                     period_text: str | None) -> None:
    """``formgen panel`` of an assessment campaign: scorer workbooks (each rule's input per unit) out and back.

    Nothing is nominated: the rows are the assessed units themselves.
    """
    from formgen.scoring.assess_inputs import issue_scorer_books, read_scorer_books
    from formgen.intake.folders import workbooks_in

    returned = ws.out_dir("panel") / "returned"
    if read_mode:
        paths = _files(ctx, ws, files, "", ("*.xlsx",)) if files else workbooks_in(returned)
        if not paths:
            raise FormgenError(f"{_rel(ws, returned)}/ 中没有考核评分表；请把填好的 .xlsx 放入该目录，或在命令后写出文件名")
        read = read_scorer_books(ws, paths)
        for s in read.stored:
            click.echo(f"已读入 {s.path.name}：{s.what}，{s.count} 项记录")
        _problems(read.problems)
        if not read.stored:
            raise FormgenError(f"没有读入任何考核评分表（发现 {len(read.problems)} 个问题，见上）")
        click.echo(f"共读入 {len(read.stored)} 份考核评分表"
                   + (f"，{len(read.problems)} 处问题未读入，请更正后重新读入" if read.problems else "")
                   + "。下一步：formgen score --period 期间")
        return
    if files:
        raise FormgenError("生成考核评分表时不需要指定文件；读回请加 --read")
    for path in issue_scorer_books(ws, scorers_opt, period_text, returned):
        click.echo(f"已生成 {_rel(ws, path)}")
    click.echo(f"填好后放入 {_rel(ws, returned)}/，再运行 formgen panel --read")

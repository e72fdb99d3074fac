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

from formgen.cli import cli, given_path, open_workspace
from formgen.cli import rel as _rel
from formgen.errors import FormgenError

INPUTS = "inputs"


def _ws(ctx: click.Context):
    ws = open_workspace(ctx)
    if ws.campaign.assessment is None:
        raise FormgenError("本活动不是按期考核的活动（campaign.yaml 中没有 assessment），此命令不适用")
    return ws


def _files(ws, given: tuple[Path, ...], folder: str, patterns: tuple[str, ...], ctx=None) -> list[Path]:
    if given:
        out = []
        for f in given:
            f = given_path(ctx, f) if ctx is not None else f
            if f.is_dir():
                out += sorted(p for pat in patterns for p in f.glob(pat) if not p.name.startswith("~$"))
            elif f.exists():
                out.append(f)
            else:
                raise FormgenError(f"找不到文件 {f}")
        return out
    d = ws.root / INPUTS / folder
    found = sorted(p for pat in patterns for p in d.glob(pat) if not p.name.startswith("~$")) if d.is_dir() else []
    if not found:
        raise FormgenError(f"{_rel(ws, d)}/ 中没有文件；请把填好的文件放入该目录，或在命令后写出文件名")
    return found


def _problems(problems) -> None:
    for p in problems:
        click.echo(f"问题：{p}")


@cli.command("events")
@click.option("--template", is_flag=True, help="生成空白台账（带下拉列表和单元格限制）→ out/inputs/台账.xlsx")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def events_cmd(ctx: click.Context, template: bool, files: tuple[Path, ...]):
    """读入考核台账（巡查、暗访、会议纪律等，每行一个问题），默认读 inputs/台账/ 下的全部 .xlsx。"""
    from formgen.ledger.events import replace_events, same_content
    from formgen.scoring.event_book import Problem, read_event_log, write_template

    ws = _ws(ctx)
    if template:
        path = write_template(ws.campaign, ws.units, ws.out_dir("inputs") / "台账.xlsx")
        click.echo(f"已生成空白台账 {_rel(ws, path)}；填好后放入 {INPUTS}/台账/，再运行 formgen events")
        if ws.campaign.assessment.sheet:
            from formgen.publish.assessment import blank_sheet

            sheet = blank_sheet(ws.campaign, ws.out_dir("inputs") / "考核评分表（空白，现场检查用）.docx")
            click.echo(f"已生成空白考核评分表 {_rel(ws, sheet)}（细则所附评分表，可打印带到现场）")
        return
    total, problems = 0, []
    with ws.ledger() as ledger:
        for path in _files(ws, files, "台账", ("*.xlsx",), ctx):
            read = read_event_log(ws.campaign, ws.units, path)
            problems += read.problems
            twin = read.sha256 and same_content(ledger, "event_log", path.name, read.sha256)
            if twin:  # the same workbook under another name: its findings count once
                problems.append(Problem(path.name, f"与已读入的 {twin} 内容完全相同，未重复计入"))
            elif read.sha256:
                n = replace_events(ledger, "event_log", path.name, read.rows, sha256=read.sha256)
                total += n
                click.echo(f"已读入 {path.name}：{n} 条记录" + (f"，{len(read.problems)} 处问题" if read.problems else ""))
    _problems(problems)
    click.echo(f"共记入台账 {total} 条" + (f"；有问题的 {len(problems)} 行未计分，请更正后重新读入" if problems else "")
               + "。下一步：formgen score --period 期间")


def store(ledger, kind: str, source: str, rows) -> None:
    """A tally sheet is stored row by row (its explanation names the row); rows it no longer has are cleared."""
    from formgen.ledger.tallies import load_tally_rows, replace_source

    if kind != "tally_sheet":
        replace_source(ledger, kind, source, rows)
        return
    by_row: dict[str, list] = {}
    for r in rows:
        by_row.setdefault(r.source, []).append(r)
    before = {t.source for t in load_tally_rows(ledger) if t.source_kind == kind
              and (t.source == source or t.source.startswith(source + " "))}
    with ledger.transaction():
        for gone in before - set(by_row):
            replace_source(ledger, kind, gone, [])
        for row_source, group in by_row.items():
            replace_source(ledger, kind, row_source, group)


@cli.command("tallies")
@click.option("--template", is_flag=True, help="生成空白计票表（每项测评一张工作表）→ out/inputs/计票表.xlsx")
@click.option("--rating", default=None, help="问卷导出对应的测评项目编号（默认从文件名判断）。")
@click.option("--period", "period_opt", default="", help="测评所属期间（默认为整个活动）。")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def tallies_cmd(ctx: click.Context, template: bool, rating: str | None, period_opt: str, files: tuple[Path, ...]):
    """读入测评计票表和网上问卷导出（.xlsx/.csv），默认读 inputs/计票/ 下的全部文件。"""
    from formgen.scoring.periods import Period
    from formgen.scoring.tally_book import read_tallies, write_tally_sheet

    ws = _ws(ctx)
    if template:
        path = write_tally_sheet(ws.campaign, ws.units, ws.out_dir("inputs") / "计票表.xlsx")
        click.echo(f"已生成空白计票表 {_rel(ws, path)}；填好后放入 {INPUTS}/计票/，再运行 formgen tallies")
        return
    period = Period.parse(period_opt).key if period_opt else ""
    total, problems = 0, []
    with ws.ledger() as ledger:
        for path in _files(ws, files, "计票", ("*.xlsx", "*.csv"), ctx):
            read = read_tallies(ws.campaign, ws.units, path, period, rating)
            problems += read.problems
            for (kind, source), rows in read.sources.items():
                store(ledger, kind, source, rows)
                votes = sum(r.count for r in rows)
                if not votes and kind == "tally_sheet":
                    continue  # a sheet left blank (e.g. that rating was counted online)
                total += votes
                extra = f"（{read.respondents} 份答卷）" if kind == "survey" else ""
                click.echo(f"已读入 {source}：{votes} 票{extra}")
    _problems(problems)
    click.echo(f"共记入 {total} 票" + (f"；{len(problems)} 处问题未计入，请更正后重新读入" if problems else ""))


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
    from formgen.publish.run import SofficeMissing, to_pdf
    from formgen.scoring.assess_run import parse_period, score_period

    period = parse_period(ws.campaign, period_text)
    result = score_period(ws, period)
    paths, notes = publish_period(ws, result)
    for p in paths:
        click.echo(f"已生成 {_rel(ws, p)}")
    for n in notes:
        click.echo(f"注意：{n}")
    if pdf and paths:
        click.echo(f"正在用 LibreOffice 生成 {len(paths)} 个 PDF……")
        try:
            for p in to_pdf(paths):
                click.echo(f"已生成 {_rel(ws, p)}")
        except SofficeMissing as e:
            click.echo(str(e))
    return paths


@cli.command("explain")
@click.argument("unit")
@click.option("--period", "period_opt", default=None, help="期间，如 2024Q3；默认为全年。")
@click.pass_context
def explain_cmd(ctx: click.Context, unit: str, period_opt: str | None):
    """逐条说明一个单位的得分：每条细则的记录、扣分和来源（评委评分的活动：各评委的评分和原因）。"""
    import difflib

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
    if unit not in result.scores:
        close = difflib.get_close_matches(unit, list(result.scores), n=1, cutoff=0.3)
        hint = f"，是否为“{close[0]}”？" if close else f"（共{len(result.scores)}个单位，见 units.xlsx）"
        raise FormgenError(f"单位“{unit}”不在考核对象中{hint}")
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
    """决定同分的两个单位谁列前（决定首位或末位的并列），记入台账。"""
    from formgen.ledger.events import record_decision
    from formgen.scoring.assess import assessed_award
    from formgen.scoring.assess_run import compute, load_inputs, parse_period

    ws = _ws(ctx)
    period = parse_period(ws.campaign, period_text)
    names = {u.name for u in ws.units}
    for name in (above, below):
        if name not in names:
            raise FormgenError(f"单位“{name}”不在单位名单中")
    if above == below:
        raise FormgenError("列前者与列后者不能是同一个单位")
    with ws.ledger() as ledger:
        events, tallies, decisions, history = load_inputs(ledger, ws.campaign, period)
        result = compute(ws.campaign, ws.units, period, events, tallies, decisions, history)
        a, b = result.scores[above].total, result.scores[below].total
        if a != b:
            raise FormgenError(f"{above}（{a}分）与{below}（{b}分）总分不同，名次由总分决定，无需决定")
        record_decision(ledger, assessed_award(ws.campaign).id, period.key, above, below, by, reason)
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
    from formgen.ledger.events import record_outcome
    from formgen.scoring.assess import assessed_award

    ws = _ws(ctx)
    if year >= ws.campaign.assessment.periods.year:
        raise FormgenError(f"只能补录 {ws.campaign.assessment.periods.year} 年以前的年度；本年度由 formgen score 记录")
    if not first and not last:
        raise FormgenError("请用 --first 或 --last 写明首位或末位单位")
    names = {u.name for u in ws.units}
    with ws.ledger() as ledger:
        for place, name in (("first", first), ("last", last)):
            if not name:
                continue
            if name not in names:
                raise FormgenError(f"单位“{name}”不在单位名单中")
            record_outcome(ledger, assessed_award(ws.campaign).id, str(year), place, name, how="entered")
            click.echo(f"已补录：{year}年度{'首位' if place == 'first' else '末位'} {name}")


def panel_assessment(ctx: click.Context, ws, scorers_opt: str | None, read_mode: bool, files: tuple[Path, ...],
                     period_text: str | None) -> None:
    """``formgen panel`` of an assessment campaign: scorer workbooks (each rule's input per unit) out and back.

    Nothing is nominated: the rows are the assessed units themselves.
    """
    from formgen.ledger.events import replace_events
    from formgen.scoring.assess_run import parse_period
    from formgen.scoring.scorer_book import read_scorer_book, write_scorer_book

    returned = ws.out_dir("panel") / "returned"
    if read_mode:
        paths = _files(ws, files, "", ("*.xlsx",), ctx) if files else sorted(
            p for p in returned.glob("*.xlsx") if not p.name.startswith("~$"))
        if not paths:
            raise FormgenError(f"{_rel(ws, returned)}/ 中没有考核评分表；请把填好的 .xlsx 放入该目录，或在命令后写出文件名")
        saved, problems = 0, []
        with ws.ledger() as ledger:
            for path in paths:
                read = read_scorer_book(ws.campaign, ws.units, path)
                problems += read.problems
                if read.scorer:
                    n = replace_events(ledger, "scorer", f"{read.scorer}:{read.period}", read.rows)
                    saved += 1
                    click.echo(f"已读入 {path.name}：{read.scorer}，{read.period}，{n} 项记录")
        _problems(problems)
        if not saved:
            raise FormgenError(f"没有读入任何考核评分表（发现 {len(problems)} 个问题，见上）")
        click.echo(f"共读入 {saved} 份考核评分表" + (f"，{len(problems)} 处问题未读入，请更正后重新读入" if problems else "")
                   + "。下一步：formgen score --period 期间")
        return
    if files:
        raise FormgenError("生成考核评分表时不需要指定文件；读回请加 --read")
    if not period_text:
        raise FormgenError("请用 --period 写明考核期间，如 --period 2024Q4")
    period = parse_period(ws.campaign, period_text)
    names = [p.strip() for p in (scorers_opt or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]
    names = names or list(ws.campaign.assessment.scorers)
    if not names:
        raise FormgenError("没有指定考核人：请用 --judges 考核组,…，或在 campaign.yaml 的 assessment.scorers 中填写")
    returned.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = write_scorer_book(ws.campaign, ws.units, name, period,
                                 ws.out_dir("panel") / f"考核评分_{name}_{period.key}.xlsx")
        click.echo(f"已生成 {_rel(ws, path)}")
    click.echo(f"填好后放入 {_rel(ws, returned)}/，再运行 formgen panel --read")

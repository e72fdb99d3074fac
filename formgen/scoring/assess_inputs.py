"""What campaigns assessed by periods (seeds 002, 004) take in, stored in the ledger.

Event logs (台账), rating tallies (计票表 / 问卷导出), scorer workbooks (考核评分表),
a staff decision on a tie, and first / last places of years before formgen. Each
function reads its files, stores what they hold and returns what the command
prints; bad cells are problems to list (one Chinese line each), never a stop.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from formgen.errors import FormgenError
from formgen.ledger.events import record_decision, record_outcome, replace_events, same_content
from formgen.ledger.tallies import load_tally_rows, replace_source
from formgen.scoring.assess import assessed_award
from formgen.scoring.assess_run import compute, load_inputs, parse_period
from formgen.scoring.event_book import read_event_log
from formgen.scoring.periods import Period
from formgen.scoring.scorer_book import read_scorer_book, write_scorer_book
from formgen.scoring.tally_book import read_tallies
from formgen.intake.folders import workbooks_in
from formgen.xlsx import BookProblem

INPUTS = "inputs"  # <workspace>/inputs/<kind>/: where the filled workbooks go


@dataclass
class Stored:
    """What one file (or one source in it) put in the ledger."""

    path: Path
    what: str  # the source (tally sheet / survey), or scorer and period; "" for an event log
    count: int  # findings or votes
    problems: int = 0  # bad cells in the file
    respondents: int | None = None  # a survey export's answer sheets


@dataclass
class InputsRead:
    """One batch of returned files: what each stored, and every problem found."""

    stored: list[Stored] = field(default_factory=list)
    problems: list = field(default_factory=list)
    total: int = 0


def input_files(ws, given: list[Path], folder: str, patterns: tuple[str, ...]) -> list[Path]:
    """``given`` (folders opened), else every matching file in inputs/<folder>/."""
    if given:
        out = []
        for f in given:
            if f.is_dir():
                out += workbooks_in(f, patterns)
            elif f.exists():
                out.append(f)
            else:
                raise FormgenError(f"找不到文件 {f}")
        return out
    d = ws.root / INPUTS / folder
    found = workbooks_in(d, patterns)
    if not found:
        raise FormgenError(f"{INPUTS}/{folder}/ 中没有文件；请把填好的文件放入该目录，或在命令后写出文件名")
    return found


def read_event_logs(ws, paths: list[Path]) -> InputsRead:
    """Each event log's findings replace what the same file gave before; a copy under another name counts once."""
    out = InputsRead()
    with ws.ledger() as ledger:
        for path in paths:
            read = read_event_log(ws.campaign, ws.units, path)
            out.problems += read.problems
            twin = read.sha256 and same_content(ledger, "event_log", path.name, read.sha256)
            if twin:
                out.problems.append(BookProblem(path.name, f"与已读入的 {twin} 内容完全相同，未重复计入"))
            elif read.sha256:
                n = replace_events(ledger, "event_log", path.name, read.rows, sha256=read.sha256)
                out.total += n
                out.stored.append(Stored(path, "", n, problems=len(read.problems)))
    return out


def store_tallies(ledger, kind: str, source: str, rows) -> None:
    """A tally sheet is stored row by row (its explanation names the row); rows it no longer has are cleared."""
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


def read_tally_files(ws, paths: list[Path], period_text: str, rating: str | None) -> InputsRead:
    """Tally sheets and survey exports; ``stored`` names each source with votes (a blank sheet is left out)."""
    period = Period.parse(period_text).key if period_text else ""
    out = InputsRead()
    with ws.ledger() as ledger:
        for path in paths:
            read = read_tallies(ws.campaign, ws.units, path, period, rating)
            out.problems += read.problems
            for (kind, source), rows in read.sources.items():
                store_tallies(ledger, kind, source, rows)
                votes = sum(r.count for r in rows)
                if not votes and kind == "tally_sheet":
                    continue  # a sheet left blank (e.g. that rating was counted online)
                out.total += votes
                out.stored.append(Stored(path, source, votes,
                                         respondents=read.respondents if kind == "survey" else None))
    return out


def scorer_names(ws, scorers: str | None) -> list[str]:
    """``--judges 考核组,…`` or campaign.yaml's assessment.scorers."""
    names = [p.strip() for p in (scorers or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]
    names = names or list(ws.campaign.assessment.scorers)
    if not names:
        raise FormgenError("没有指定考核人：请用 --judges 考核组,…，或在 campaign.yaml 的 assessment.scorers 中填写")
    return names


def issue_scorer_books(ws, scorers: str | None, period_text: str | None, returned: Path) -> list[Path]:
    """One blank scorer workbook per scorer for the period, in out/panel/ (and an empty ``returned`` folder)."""
    if not period_text:
        raise FormgenError("请用 --period 写明考核期间，如 --period 2024Q4")
    period = parse_period(ws.campaign, period_text)
    names = scorer_names(ws, scorers)
    returned.mkdir(parents=True, exist_ok=True)
    return [write_scorer_book(ws.campaign, ws.units, name, period,
                              ws.out_dir("panel") / f"考核评分_{name}_{period.key}.xlsx") for name in names]


def read_scorer_books(ws, paths: list[Path]) -> InputsRead:
    """Each workbook replaces what the same scorer gave for the same period; ``stored`` names scorer and period."""
    out = InputsRead()
    with ws.ledger() as ledger:
        for path in paths:
            read = read_scorer_book(ws.campaign, ws.units, path)
            out.problems += read.problems
            if read.scorer:
                n = replace_events(ledger, "scorer", f"{read.scorer}:{read.period}", read.rows)
                out.stored.append(Stored(path, f"{read.scorer}，{read.period}", n))
    return out


def known_subject(scores: dict, unit: str) -> None:
    """Refuse a unit that is not assessed, naming the closest one."""
    if unit not in scores:
        close = difflib.get_close_matches(unit, list(scores), n=1, cutoff=0.3)
        hint = f"，是否为“{close[0]}”？" if close else f"（共{len(scores)}个单位，见 units.xlsx）"
        raise FormgenError(f"单位“{unit}”不在考核对象中{hint}")


def _known_units(ws, *names: str) -> None:
    units = {u.name for u in ws.units}
    for name in names:
        if name not in units:
            raise FormgenError(f"单位“{name}”不在单位名单中")


def decide_tie(ws, period_text: str, above: str, below: str, by: str, reason: str) -> Period:
    """Record that ``above`` ranks before ``below`` (equal totals) in the period, decided by ``by``."""
    period = parse_period(ws.campaign, period_text)
    _known_units(ws, above, below)
    if above == below:
        raise FormgenError("列前者与列后者不能是同一个单位")
    with ws.ledger() as ledger:
        events, tallies, decisions, history = load_inputs(ledger, ws.campaign, period)
        result = compute(ws.campaign, ws.units, period, events, tallies, decisions, history)
        a, b = result.scores[above].total, result.scores[below].total
        if a != b:
            raise FormgenError(f"{above}（{a}分）与{below}（{b}分）总分不同，名次由总分决定，无需决定")
        record_decision(ledger, assessed_award(ws.campaign).id, period.key, above, below, by, reason)
    return period


def add_history(ws, year: int, first: str | None, last: str | None) -> list[tuple[str, str]]:
    """Enter first / last place of a year before this one; returns the (place, unit) recorded."""
    if year >= ws.campaign.assessment.periods.year:
        raise FormgenError(f"只能补录 {ws.campaign.assessment.periods.year} 年以前的年度；本年度由 formgen score 记录")
    if not first and not last:
        raise FormgenError("请用 --first 或 --last 写明首位或末位单位")
    entered = [(place, name) for place, name in (("first", first), ("last", last)) if name]
    _known_units(ws, *(name for _, name in entered))  # both checked before either is recorded
    with ws.ledger() as ledger:
        for place, name in entered:
            record_outcome(ledger, assessed_award(ws.campaign).id, str(year), place, name, how="entered")
    return entered

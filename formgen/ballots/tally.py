"""Read ballot files into the ledger and keep the rating tallies in step with reads and decisions.

One ballot page is one tally source (``评分id:票号0007第1页``): a page scanned twice,
in one batch or in two collects, replaces itself and counts once. A row counts
when it was read with one clear mark, or when a person decided it; empty,
double and flagged rows count for nothing until someone decides them.

Two readings of one sheet number that say different things (a photocopied
ballot filled in again) are a conflict: both are kept with the crops of the rows
where they differ, and neither counts until a person adopts one or declares the
sheet invalid (formgen.ledger.ballots).
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from formgen.ballots.files import is_ballot_candidate, iter_pages
from formgen.ballots.read import PageRead, read_page
from formgen.ballots.workbook import CONFLICT_SHEET
from formgen.ballots.settings import BallotSettings
from formgen.errors import FormgenError
from formgen.ledger import ballots as LB
from formgen.ledger.db import Ledger
from formgen.ledger.tallies import replace_source
from formgen.records import TallyRow


@dataclass
class BallotReport:
    pages: int = 0  # ballot pages read and counted
    unchanged: int = 0  # files read in an earlier run, same name and bytes: not read again
    rows: int = 0
    counted: int = 0  # rows that count (clear marks and decided rows)
    invalid: int = 0  # empty or double rows
    flagged: int = 0  # rows waiting for a person
    skipped: list[str] = field(default_factory=list)  # links and hidden files in the folder, not read
    duplicates: list[str] = field(default_factory=list)  # one line per page scanned more than once
    conflicts: list[str] = field(default_factory=list)  # one line per sheet page read with other marks
    conflicted: int = 0  # sheet pages in the ledger waiting for a person to choose a reading
    problems: list[str] = field(default_factory=list)  # one Chinese line per page not counted
    book_lines: list[str] = field(default_factory=list)  # decisions taken from the workbook, and entries refused

    def lines(self) -> list[str]:
        """Everything to tell staff, one line each."""
        waiting = ([f"重号待判定 {self.conflicted} 页（同一票号读到两份不同的票），均暂不计票；"
                    f"请在测评票统计.xlsx“{CONFLICT_SHEET}”中对照两份的图像判定"] if self.conflicted else [])
        return self.book_lines + self.skipped + self.duplicates + self.conflicts + waiting + self.problems


def read_files(files: Iterable[tuple[str, bytes | str]], settings: BallotSettings, ledger: Ledger,
               report: BallotReport | None = None, again: bool = False) -> BallotReport:
    """Read every page of every (name, bytes) into the ledger; one bad page or file never stops the batch.

    A file already read (same name, same bytes) is skipped unless ``again``. In place of the
    bytes, a line why the file could not be read (formgen.intake.folders: too large) is listed
    among the problems."""
    from formgen.ledger.files import store_blob  # noqa: PLC0415

    report = report or BallotReport()
    for name, data in files:
        if isinstance(data, str):
            report.problems.append(f"{name}：{data}")
            LB.replace_file_problems(ledger, name, [(1, "unreadable", report.problems[-1])])
            continue
        if not is_ballot_candidate(name, data):
            continue
        sha = hashlib.sha256(data).hexdigest()
        if not again and LB.file_seen(ledger, name, sha):
            report.unchanged += 1
            continue
        store_blob(ledger, data)  # the original bytes, kept forever
        problems: list[tuple[int, str, str]] = []
        n_pages = 0
        for page_no, img, problem in iter_pages(name, data):
            n_pages = page_no
            if img is None:
                problems.append((page_no, "unreadable", problem))
                report.problems.append(problem)
                continue
            try:
                pr = read_page(img, settings, name, page_no)
            except Exception as e:  # noqa: BLE001 - a page the reader chokes on is reported, the batch goes on
                pr = PageRead(name, page_no, problem=f"{name} 第{page_no}页：无法读取（{type(e).__name__}），请重新扫描该页",
                              problem_kind="error")
            if pr.problem:
                problems.append((page_no, pr.problem_kind, pr.problem))
                report.problems.append(pr.problem)
                continue
            outcome, others = record_page(ledger, pr, sha, settings)
            if outcome == "same":
                report.duplicates.append(f"{pr.where}：与 {'、'.join(others)} 是同一张票（票号{pr.code.serial:04d}"
                                         f"第{pr.code.page + 1}页），只计一次")
            elif outcome == "conflict":
                report.conflicts.append(
                    f"{pr.where}：票号{pr.code.serial:04d}第{pr.code.page + 1}页已从 {'、'.join(others)} 读过，但所填不同"
                    f"（可能是复印的票），两份都已保留，均暂不计票；请在测评票统计.xlsx“{CONFLICT_SHEET}”中对照图像"
                    f"判定采用哪份或无效")
            report.pages += 1
        LB.replace_file_problems(ledger, name, problems, sha)
        LB.mark_file_read(ledger, name, sha, n_pages)
    return summarize(ledger, report)


def record_page(ledger: Ledger, pr: PageRead, sha256: str | None = None,
                settings: BallotSettings | None = None) -> tuple[str, list[str]]:
    """Store one reading of a page; ``("new" | "same" | "conflict", the other readings meant)``.

    The same marks as another reading: it replaces that one (counted once) — unless the page
    is already a conflict, where the earlier reading stays (a person may have adopted it).
    Other marks: both kept, and the rows where they differ get their crops for the person
    choosing (the earlier reading's crop from its stored bytes, when ``settings`` are given)."""
    rows = [LB.BallotRowRead(pr.source, pr.rating.id, pr.group, pr.code.serial, pr.code.page, pr.file, pr.page,
                             r.number, r.subject, r.status, r.level, r.reason, r.inks, r.crop_png, sha256)
            for r in pr.rows]
    mine = LB.reading_of(rows[0])
    others = {k: v for k, v in LB.readings(ledger, pr.source).items() if k != mine}
    differ = {k: v for k, v in others.items() if not LB.same_marks(v, rows)}
    same = [k for k in others if k not in differ]
    if differ and same:
        return "same", same  # the page is a conflict already: the reading it repeats stays as it is
    with ledger.transaction():
        LB.replace_page_reads(ledger, pr.source, rows, keep=tuple(differ))
        if differ:
            _crop_differences(ledger, pr, rows, differ, settings)
        retally(ledger, pr.source)
    return ("conflict", list(differ)) if differ else ("same", same) if same else ("new", [])


def _crop_differences(ledger: Ledger, pr: PageRead, rows, differ: dict, settings: BallotSettings | None) -> None:
    wanted = LB.differing_rows({LB.reading_of(rows[0]): rows, **differ})
    for r in pr.rows:
        if r.number in wanted and r.crop_png is None and pr.crop_of is not None:
            LB.set_crop(ledger, pr.source, LB.reading_of(rows[0]), r.number, pr.crop_of(r.index))
    for reading, old in differ.items():
        missing = [r.row_no for r in old if r.row_no in wanted and r.crop is None]
        if not missing or settings is None or not old[0].file_sha256:
            continue
        earlier = _reread(ledger, old[0], settings)
        if earlier is None or earlier.crop_of is None:
            continue
        for r in earlier.rows:
            if r.number in missing:
                LB.set_crop(ledger, pr.source, reading, r.number, earlier.crop_of(r.index))


def _reread(ledger: Ledger, row: LB.BallotRowRead, settings: BallotSettings) -> PageRead | None:
    """The page of an earlier reading read again from its stored bytes (for its crops)."""
    from formgen.ledger.files import blob_bytes  # noqa: PLC0415

    data = blob_bytes(ledger, row.file_sha256)
    if data is None:
        return None
    for page_no, img, _ in iter_pages(row.file, data):
        if page_no == row.file_page and img is not None:
            pr = read_page(img, settings, row.file, page_no)
            return pr if pr.source == row.source else None
    return None


def retally(ledger: Ledger, source: str) -> int:
    """Rewrite the tally rows of one ballot page from the reading that counts and the latest decisions."""
    decided = LB.latest_decisions(ledger, source)
    counts: Counter = Counter()
    which = LB.counted(ledger, source)
    for r in which.rows if source not in which.void else ():
        d = decided.get((source, r.row_no))
        level = d.level if d else (r.level if r.status == "ok" else None)
        if level and level != LB.INVALID:
            counts[(r.rating, r.subject, r.group, level)] += 1
    rows = [TallyRow(rt, subj, grp, lvl, n, "ballot", source) for (rt, subj, grp, lvl), n in sorted(counts.items())]
    return replace_source(ledger, "ballot", source, rows)


def decide(ledger: Ledger, settings: BallotSettings, source: str, row_no: int, level: str, by: str = "",
           note: str = "") -> None:
    """Record a person's decision on one row (a level, or 无效) and re-tally its page.

    Row :data:`~formgen.ledger.ballots.SHEET_ROW` (0) is the whole page of a conflict: ``level``
    is ``采用：<文件> 第N页`` (or just the reading, or its number 1, 2 … as listed), or 无效."""
    if row_no == LB.SHEET_ROW:
        level = _sheet_level(ledger, source, level)
    else:
        reads = [r for r in LB.page_reads(ledger, source) if r.row_no == row_no]
        if not reads:
            raise FormgenError(f"台账中没有测评票“{source}”的第{row_no}项；请核对票号、页码和序号（见测评票统计.xlsx）")
        levels = settings.rating(reads[0].rating).levels
        if level != LB.INVALID and level not in levels:
            raise FormgenError(f"“{level}”不是该测评的等次；可选：{'、'.join(levels)} 或 {LB.INVALID}")
    with ledger.transaction():
        LB.add_decision(ledger, source, row_no, level, by, note)
        retally(ledger, source)


def _sheet_level(ledger: Ledger, source: str, said: str) -> str:
    readings = list(LB.readings(ledger, source))
    if len(readings) < 2 and said != LB.INVALID:
        raise FormgenError(f"测评票“{source}”没有重号（只读到一份），无需选择采用哪份")
    said = said.strip()
    if said == LB.INVALID:
        return said
    chosen = said.removeprefix(LB.ADOPT).lstrip("：:").strip()
    if chosen.isdigit() and 1 <= int(chosen) <= len(readings):
        chosen = readings[int(chosen) - 1]
    if chosen not in readings:
        raise FormgenError(f"测评票“{source}”没有“{chosen}”这一份；可选：{'、'.join(readings)}（或填 {LB.INVALID}）")
    return LB.adopt(chosen)


def summarize(ledger: Ledger, report: BallotReport) -> BallotReport:
    decided = LB.latest_decisions(ledger)
    which = LB.counted(ledger)
    report.rows = report.counted = report.invalid = report.flagged = 0
    report.conflicted = len(which.conflicts)
    for r in which.rows:
        report.rows += 1
        d = decided.get((r.source, r.row_no))
        if r.source in which.void:
            report.invalid += 1
        elif d:
            report.counted += d.level != LB.INVALID
            report.invalid += d.level == LB.INVALID
        elif r.status == "ok":
            report.counted += 1
        elif r.status == "flagged":
            report.flagged += 1
        else:
            report.invalid += 1
    return report

"""Read ballot files into the ledger and keep the rating tallies in step with reads and decisions.

One ballot page is one tally source (``评分id:票号0007第1页``): a page scanned twice,
in one batch or in two collects, replaces itself and counts once. A row counts
when it was read with one clear mark, or when a person decided it; empty,
double and flagged rows count for nothing until someone decides them.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from formgen.ballots.files import is_ballot_candidate, iter_pages
from formgen.ballots.read import PageRead, read_page
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
    duplicates: list[str] = field(default_factory=list)  # one line per page scanned more than once
    problems: list[str] = field(default_factory=list)  # one Chinese line per page not counted


def read_files(files: Iterable[tuple[str, bytes]], settings: BallotSettings, ledger: Ledger,
               report: BallotReport | None = None, again: bool = False) -> BallotReport:
    """Read every page of every (name, bytes) into the ledger; one bad page or file never stops the batch.

    A file already read (same name, same bytes) is skipped unless ``again``."""
    from formgen.ledger.files import store_blob  # noqa: PLC0415

    report = report or BallotReport()
    seen: dict[str, str] = {}
    for name, data in files:
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
            if pr.source in seen:
                report.duplicates.append(f"{pr.where}：与 {seen[pr.source]} 是同一张票（票号{pr.code.serial:04d}"
                                         f"第{pr.code.page + 1}页），只计一次")
            seen[pr.source] = pr.where
            record_page(ledger, pr, sha)
            report.pages += 1
        LB.replace_file_problems(ledger, name, problems, sha)
        LB.mark_file_read(ledger, name, sha, n_pages)
    return summarize(ledger, report)


def record_page(ledger: Ledger, pr: PageRead, sha256: str | None = None) -> None:
    rows = [LB.BallotRowRead(pr.source, pr.rating.id, pr.group, pr.code.serial, pr.code.page, pr.file, pr.page,
                             r.number, r.subject, r.status, r.level, r.reason, r.inks, r.crop_png, sha256)
            for r in pr.rows]
    with ledger.transaction():
        LB.replace_page_reads(ledger, pr.source, rows)
        retally(ledger, pr.source)


def retally(ledger: Ledger, source: str) -> int:
    """Rewrite the tally rows of one ballot page from its reads and the latest decisions."""
    decided = LB.latest_decisions(ledger, source)
    counts: Counter = Counter()
    rating = ""
    for r in LB.page_reads(ledger, source):
        rating = r.rating
        d = decided.get((source, r.row_no))
        level = d.level if d else (r.level if r.status == "ok" else None)
        if level and level != LB.INVALID:
            counts[(r.rating, r.subject, r.group, level)] += 1
    rows = [TallyRow(rt, subj, grp, lvl, n, "ballot", source) for (rt, subj, grp, lvl), n in sorted(counts.items())]
    return replace_source(ledger, "ballot", source, rows) if rating else 0


def decide(ledger: Ledger, settings: BallotSettings, source: str, row_no: int, level: str, by: str = "",
           note: str = "") -> None:
    """Record a person's decision on one row (a level, or 无效) and re-tally its page."""
    reads = [r for r in LB.page_reads(ledger, source) if r.row_no == row_no]
    if not reads:
        raise FormgenError(f"台账中没有测评票“{source}”的第{row_no}项；请核对票号、页码和序号（见测评票统计.xlsx）")
    levels = settings.rating(reads[0].rating).levels
    if level != LB.INVALID and level not in levels:
        raise FormgenError(f"“{level}”不是该测评的等次；可选：{'、'.join(levels)} 或 {LB.INVALID}")
    with ledger.transaction():
        LB.add_decision(ledger, source, row_no, level, by, note)
        retally(ledger, source)


def summarize(ledger: Ledger, report: BallotReport) -> BallotReport:
    decided = LB.latest_decisions(ledger)
    report.rows = report.counted = report.invalid = report.flagged = 0
    for r in LB.page_reads(ledger):
        report.rows += 1
        d = decided.get((r.source, r.row_no))
        if d:
            report.counted += d.level != LB.INVALID
            report.invalid += d.level == LB.INVALID
        elif r.status == "ok":
            report.counted += 1
        elif r.status == "flagged":
            report.flagged += 1
        else:
            report.invalid += 1
    return report


def files_in(folder: Path) -> Iterator[tuple[str, bytes]]:
    """(name relative to the folder, bytes) of every file under ``folder``, in name order, one at a time."""
    if not folder.is_dir():
        return
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.startswith((".", "~$")):
            try:
                data = p.read_bytes()
            except OSError as e:
                raise FormgenError(f"无法读取 {p.name}（{e.strerror}）；请检查文件权限") from None
            yield str(p.relative_to(folder)), data

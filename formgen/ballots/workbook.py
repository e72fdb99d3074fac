"""测评票统计.xlsx: totals per subject × level × rater group, invalid rows, flagged rows with their image,
and sheets read twice with different marks (重号待判定) with the crops of both readings.

A person decides a flagged row either with ``formgen ballots decide`` or by
writing the level (or 无效) in the 判定 column of the 待人工判定 sheet and running
``formgen ballots read`` again, which records the decision in the ledger; a
conflict likewise, by writing 采用 in a row of the reading that counts (or 无效).
Staff entries are read back by :func:`entries_in_book` (formgen.ballots.book_entries).
"""
from __future__ import annotations

from collections import defaultdict
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.drawing.image import Image as XLImage
from openpyxl.styles import Font

from formgen import xlsx as X
from formgen.ballots.settings import BallotSettings
from formgen.ledger import ballots as LB
from formgen.ledger.db import Ledger
from formgen.ledger.tallies import tally_counts
from formgen.outputs import write_file

BOOK_NAME = "测评票统计.xlsx"
FLAG_SHEET = "待人工判定"
FLAG_HEAD = ["票源", "文件", "文件页", "序号", "测评对象", "评议人类别", "情况", "建议", "本行图像", "判定（等次或无效）", "判定人"]
CONFLICT_SHEET = "重号待判定"
CONFLICT_HEAD = ["票源", "文件", "文件页", "序号", "测评对象", "评议人类别", "本份读到", "第几份", "本行图像",
                 "判定（采用或无效）", "判定人"]


def write_book(ledger: Ledger, settings: BallotSettings, path: Path, keep_old: str | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    which = LB.counted(ledger)
    reads = which.rows
    decided = LB.latest_decisions(ledger)
    read_ratings = {r.rating for r in reads} | {r.rating for c in which.conflicts.values() for r in next(iter(c.values()))}
    for rating in settings.ratings:
        if read_ratings and rating.id not in read_ratings:
            continue  # no ballot of this rating came back (it is counted another way): no sheet of zeros
        _totals(wb.create_sheet(_title(f"汇总-{totals_name(settings, rating)}")), ledger, rating, which, decided)
    _flags(wb.create_sheet(FLAG_SHEET), [r for r in reads if r.source not in which.void], decided)
    _conflicts(wb.create_sheet(CONFLICT_SHEET), {**which.conflicts, **which.decided}, decided)
    _invalid(wb.create_sheet("无效项"), reads, decided, which.void)
    _problems(wb.create_sheet("问题页"), LB.page_problems(ledger))
    _history(wb.create_sheet("判定记录"), LB.decisions(ledger))
    return write_file(path, wb.save, keep_old=keep_old)


def totals_name(settings: BallotSettings, rating) -> str:
    """The rating as its totals sheet names it: its title without the campaign's name (内部测评票)."""
    short = rating.title.removeprefix(settings.campaign_name).strip()
    return short or rating.id


def _title(s: str) -> str:
    return "".join(ch for ch in s if ch not in "[]:*?/\\")[:31]


def _totals(ws, ledger, rating, which: LB.Counted, decided) -> None:
    counts = tally_counts(ledger, rating.id)
    invalid: dict[tuple[str, str], int] = defaultdict(int)
    pending: dict[tuple[str, str], int] = defaultdict(int)
    sheets = defaultdict(set)
    for r in which.rows:
        if r.rating != rating.id:
            continue
        sheets[r.group].add(r.serial)
        d = decided.get((r.source, r.row_no))
        if r.source in which.void or d and d.level == LB.INVALID or not d and r.status in ("empty", "multiple"):
            invalid[(r.subject, r.group)] += 1
        elif not d and r.status == "flagged":
            pending[(r.subject, r.group)] += 1
    for readings in which.conflicts.values():  # every row of an undecided conflict waits for a person
        for r in next(iter(readings.values())):
            if r.rating == rating.id:
                sheets[r.group].add(r.serial)
                pending[(r.subject, r.group)] += 1
    X.set_text(ws.cell(1, 1), f"{rating.title} 统计（按评议人类别）")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    groups = [g.name for g in rating.groups]
    X.set_text(ws.cell(2, 1), "收回票数：" + "；".join(f"{g} {len(sheets[g])} 份（印制 {c.count} 份）"
                                                   for g, c in zip(groups, rating.groups)))
    head = ["序号", rating.subject_label]
    for g in groups:
        head += [f"{g}\n{lv}" for lv in rating.levels] + [f"{g}\n无效", f"{g}\n待判定"]
    widths = [6, 24]
    for g in groups:  # a long group name (内设机构负责人和干部职工) wraps onto at most three lines
        widths += [max(10.0, min(14.0, len(g) * 2 / 3 + 4))] * (len(rating.levels) + 2)
    X.header_row(ws, 4, head, widths)
    ws.row_dimensions[4].height = 52
    rows = []
    for i, subject in enumerate(rating.subjects, start=1):
        row = [i, subject]
        for g in groups:
            row += [counts.get((subject, g, lv), 0) for lv in rating.levels]
            row += [invalid[(subject, g)], pending[(subject, g)]]
        rows.append(row)
    rows.append(["", "合计"] + [sum(r[j] for r in rows) for j in range(2, len(head))])
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row, start=1):
            c = ws.cell(4 + i, j)
            X.set_value(c, v)
            c.border = X.BORDER
            if j == 1:
                c.alignment = X.CENTER
            if head[j - 1].endswith("待判定") and v:
                c.fill = X.WARN_FILL
            if i == len(rows):
                c.font = Font(bold=True)
    ws.freeze_panes = "C5"
    X.print_setup(ws, title_rows="4:4")


def _flags(ws, reads, decided) -> None:
    X.header_row(ws, 1, FLAG_HEAD, [26, 24, 7, 6, 18, 14, 30, 8, 70, 14, 10])
    n = 1
    for r in reads:
        if r.status != "flagged":
            continue
        n += 1
        d = decided.get((r.source, r.row_no))
        vals = [r.source, r.file, r.file_page, r.row_no, r.subject, r.group, r.reason, r.level or "",
                None, d.level if d else None, d.decided_by if d else None]
        _decision_row(ws, n, vals, d is not None, r.crop)
    ws.freeze_panes = "A2"
    X.print_setup(ws, title_rows="1:1")


def _conflicts(ws, conflicts: dict, decided) -> None:
    """One line per reading per row where the readings differ, with that row's crop from each."""
    X.header_row(ws, 1, CONFLICT_HEAD, [26, 24, 7, 6, 18, 14, 16, 7, 70, 16, 10])
    n = 1
    for source, readings in conflicts.items():
        d = decided.get((source, LB.SHEET_ROW))
        rows = LB.differing_rows(readings)
        for k, (reading, reads) in enumerate(readings.items(), start=1):
            if d is None:
                said = None
            elif d.level == LB.INVALID:
                said = LB.INVALID
            else:
                said = LB.ADOPT if d.level == LB.adopt(reading) else "不采用"
            for r in (r for r in reads if r.row_no in rows):
                n += 1
                shown = r.level if r.status == "ok" else {"empty": "未选", "multiple": "多选"}.get(r.status, r.reason)
                vals = [source, r.file, r.file_page, r.row_no, r.subject, r.group, shown, f"第{k}份", None,
                        said, d.decided_by if d else None]
                _decision_row(ws, n, vals, d is not None, r.crop)
    ws.freeze_panes = "A2"
    X.print_setup(ws, title_rows="1:1")


def _decision_row(ws, n: int, vals: list, decided: bool, crop: bytes | None) -> None:
    """Row ``n`` of a sheet staff decide on: the values, the 判定 cell green once decided, the crop."""
    for j, v in enumerate(vals, start=1):
        c = ws.cell(n, j)
        X.set_value(c, v)
        c.border = X.BORDER
        c.alignment = X.WRAP
    ws.cell(n, 10).fill = X.OK_FILL if decided else X.WARN_FILL
    _image(ws, n, crop)


def _image(ws, n: int, crop: bytes | None) -> None:
    if crop:
        img = XLImage(BytesIO(crop))
        scale = 480 / max(img.width, 1)
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"I{n}")
        ws.row_dimensions[n].height = img.height * 0.75 + 6


def _invalid(ws, reads, decided, void: set[str]) -> None:
    X.header_row(ws, 1, ["票源", "文件", "文件页", "序号", "测评对象", "评议人类别", "情况"], [26, 24, 7, 6, 18, 14, 30])
    n = 1
    for r in reads:
        d = decided.get((r.source, r.row_no))
        if r.source in void:
            s = decided[(r.source, LB.SHEET_ROW)]
            why = f"重号票，人工判定整张无效（{s.decided_by or '未署名'}，{s.decided_at}）"
        elif d and d.level == LB.INVALID:
            why = f"人工判定无效（{d.decided_by or '未署名'}，{d.decided_at}）"
        elif not d and r.status in ("empty", "multiple"):
            why = r.reason
        else:
            continue
        n += 1
        for j, v in enumerate([r.source, r.file, r.file_page, r.row_no, r.subject, r.group, why], start=1):
            X.set_value(ws.cell(n, j), v)
    X.print_setup(ws, title_rows="1:1")


def _problems(ws, problems) -> None:
    X.header_row(ws, 1, ["文件", "页", "情况"], [30, 6, 90])
    for n, (file, page, _kind, message) in enumerate(problems, start=2):
        for j, v in enumerate([file, page, message], start=1):
            X.set_value(ws.cell(n, j), v)
    X.print_setup(ws, title_rows="1:1")


def _history(ws, history) -> None:
    X.header_row(ws, 1, ["票源", "序号", "判定", "判定人", "说明", "时间"], [26, 6, 10, 10, 30, 20])
    for n, d in enumerate(history, start=2):
        for j, v in enumerate([d.source, d.row_no, d.level, d.decided_by, d.note, d.decided_at], start=1):
            X.set_value(ws.cell(n, j), v)

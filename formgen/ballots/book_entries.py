"""What staff wrote in the 判定 columns of 测评票统计.xlsx, read back into the ledger.

The ledger is the source of truth; the workbook is where staff write. So before the
workbook is written again, every filled 判定 cell becomes a ballot decision (the same
record as ``formgen ballots decide``), as the review workbook does it
(formgen.collect.review_book):

* sheets are found by their content — a header row with 票源 and a 判定 column —
  not by name, so a renamed 待人工判定（已核） still counts;
* a filled row that cannot be recorded (no 票源, a 序号 that is not a number, a level
  the rating does not have, a page no longer in the ledger) is one Chinese line with
  the sheet, row and what it said;
* a workbook holding entries that could not be read is never overwritten: it is
  renamed to stay beside the new one, and the line says where.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from formgen.errors import FormgenError
from formgen.ledger import ballots as LB
from formgen.xlsx import BookProblem, open_book

SOURCE, WHO, ROW, FILE, FILE_PAGE = "票源", "判定人", "序号", "文件", "文件页"
DECISION = "判定（"  # 判定（等次或无效）, 判定（采用或无效）: the columns staff write in


@dataclass
class Entry:
    sheet: str
    row: int
    cell: str  # the 判定 cell, e.g. J5
    source: str
    row_no: int  # LB.SHEET_ROW for a conflict's choice
    level: str  # as the ledger records it: a level, 无效, or 采用：<reading>
    by: str


@dataclass
class BookEntries:
    entries: list[Entry] = field(default_factory=list)
    lost: list[BookProblem] = field(default_factory=list)  # filled rows that cannot be matched
    bad: BookProblem | None = None  # the workbook could not be opened


def _header(sh) -> tuple[int, dict[str, int]] | None:
    """(header row, {title: column}) when the sheet has 票源 and a column to decide in, 判定（…或无效）
    (a title row may sit above; the 判定记录 history sheet has a plain 判定 and is not an input)."""
    for r in range(1, min(sh.max_row or 0, 5) + 1):
        cols = {}
        for c in sh[r]:
            if c.value is None:
                continue
            title = str(c.value).strip()
            if title.startswith(DECISION):
                cols[DECISION] = c.column
            else:
                cols.setdefault(title.split("（")[0].split("\n")[0].strip(), c.column)
        if SOURCE in cols and DECISION in cols:
            return r, cols
    return None


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return f"{v:g}"
    return str(v).strip()


def entries_in_book(path: Path) -> BookEntries:
    from openpyxl.utils import get_column_letter

    found = BookEntries()
    if not path.exists():
        return found
    wb, _, why = open_book(path, "测评票统计表", "无法打开（可能已损坏或不是 Excel 文件），其中填写的判定未能读取")
    if wb is None:
        found.bad = BookProblem(path.name, why)
        return found
    for sh in wb.worksheets:
        head = _header(sh)
        if head is None:
            continue
        top, cols = head
        choice = "采用" in str(sh.cell(top, cols[DECISION]).value)  # the conflicts sheet: which reading counts

        def at(r: int, name: str) -> str:
            return _text(sh.cell(r, cols[name]).value) if name in cols else ""

        for r in range(top + 1, (sh.max_row or 0) + 1):
            said = at(r, DECISION)
            if not said:
                continue
            cell = f"{get_column_letter(cols[DECISION])}{r}"
            source, no = at(r, SOURCE), at(r, ROW)
            if choice:
                if said == "不采用":
                    continue  # formgen wrote it beside an adopted reading
                level = LB.INVALID if said == LB.INVALID else LB.adopt(f"{at(r, FILE)} 第{at(r, FILE_PAGE)}页")
                row_no = LB.SHEET_ROW
            else:
                level, row_no = said, int(no) if no.isdigit() else None
            if not source or row_no is None:
                what = "、".join(f"{k}“{at(r, k)}”" for k in (SOURCE, ROW, "测评对象") if at(r, k))
                found.lost.append(BookProblem(path.name, f"第 {r} 行（{what or '内容不详'}）填写的判定“{said}”无法对应到"
                                                         f"台账中的测评票（“{SOURCE}”或“{ROW}”已改动或删除），未记录",
                                              sh.title, cell))
                continue
            found.entries.append(Entry(sh.title, r, cell, source, row_no, level, at(r, WHO)))
    wb.close()
    return found


def take_book(ledger, settings, path: Path) -> tuple[list[str], str | None]:
    """Record the new decisions staff wrote in ``path``; (one line per decision recorded or refused,
    why the workbook must not be overwritten — None when it may be)."""
    from formgen.ballots.tally import decide  # noqa: PLC0415 - needs OpenCV

    found = entries_in_book(path)
    lines: list[str] = []
    unread = [found.bad] if found.bad else list(found.lost)
    latest = LB.latest_decisions(ledger)
    done: dict[tuple[str, int], Entry] = {}
    for e in found.entries:
        d = latest.get((e.source, e.row_no))
        first = done.get((e.source, e.row_no))
        if first and first.level != e.level:  # e.g. 采用 written beside both readings of one sheet
            unread.append(BookProblem(path.name, f"第 {e.row} 行的判定“{e.level}”与第 {first.row} 行的“{first.level}”"
                                                 f"说的是同一张票（{e.source}），两者不一致，未记录", e.sheet, e.cell))
            continue
        if first or d and d.level == e.level:
            continue  # as the ledger has it already (or adopted in an earlier row of the same reading)
        try:
            decide(ledger, settings, e.source, e.row_no, e.level, e.by or "统计表", f"在 {path.name}“{e.sheet}”第 {e.row} 行判定")
        except FormgenError as err:
            unread.append(BookProblem(path.name, f"第 {e.row} 行：{err}，未记录", e.sheet, e.cell))
            continue
        done[(e.source, e.row_no)] = e
        where = "整张" if e.row_no == LB.SHEET_ROW else f"第{e.row_no}项"
        lines.append(f"已记录 {path.name} 中的判定：{e.source} {where} → {e.level}")
    keep_old = None
    if unread:
        why = "无法读取" if found.bad else "有未读入的判定"
        aside = path.with_name(f"{path.stem}（{why}，{datetime.now():%Y%m%d-%H%M%S}）{path.suffix}")
        try:
            path.replace(aside)
            kept = f"原工作簿已改名为 {aside.name} 保留在同一文件夹"
        except OSError:
            keep_old = "中有未能读入的判定"
            kept = "原工作簿未覆盖"
        for p in unread:
            p.message += f"；{kept}，请在新生成的 {path.name} 中重新填写"
        lines += [str(p) for p in unread]
    return lines, keep_old

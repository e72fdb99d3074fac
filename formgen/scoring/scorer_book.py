"""Scorer workbooks: one per inspector / rating department and period, each rule's own input per unit.

A row per unit, a column per rule (grouped under its item) holding what that
rule takes — a count of cases, 是 for a yes/no deduction, the points chosen
within a range, a rate — and a last column 扣分及原因. Every input cell is
limited (Excel data validation) to what its rule accepts, with a Chinese
message; the hidden key column and a very hidden ``_formgen`` sheet (campaign,
scorer, period, which column is which rule) let reading trust nothing a scorer
can move. Read back, each filled cell is one finding (``EventRow``) of the
period, its source the workbook, sheet and cell, its reason the row's
扣分及原因; a workbook read again replaces what the same scorer gave for the
same period.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter

from formgen.campaign.model import Campaign, Unit
from formgen.records import EventRow
from formgen.scoring.assess import assessed_award, subjects
from formgen.scoring.event_book import _value, expects
from formgen.scoring.periods import Period
from formgen.scoring.rules import num, rule_key
from formgen.xlsx import BORDER, BookProblem, header_cell, print_setup, set_text, validation, open_book
from formgen.outputs import write_file

SHEET = "考核评分"
ANCHOR = "_formgen"
FORMAT = "formgen-scorer-1"
FIRST_ROW = 4
KINDS = ("case_deduction", "case_bonus", "fixed_deduction", "range_deduction", "threshold_penalty", "judged")


@dataclass
class ScorerRead:
    path: Path
    scorer: str | None = None
    period: str | None = None
    sha256: str = ""
    rows: list[EventRow] = field(default_factory=list)
    problems: list[BookProblem] = field(default_factory=list)
    filled: int = 0


def columns(campaign: Campaign) -> list[tuple[object, object, str]]:
    """(item, rule, rule key) of every rule a scorer enters (ratings come from tallies)."""
    award = assessed_award(campaign)
    return [(item, rule, rule_key(rule, i)) for item in award.rubric.items
            for i, rule in enumerate(item.rules) if rule.type in KINDS]


def _validation(rule, item):
    t = rule.type
    if t in ("case_deduction", "case_bonus"):
        kind, low, high, error = "whole", "0", "99", "请填写发现的起数（0–99 的整数）。"
    elif t == "fixed_deduction":
        kind, low, high, error = "list", '"是,否"', None, "请从下拉列表选择“是”或“否”。"
    elif t == "range_deduction" and rule.max is None:  # the notice gives no range
        kind, low, high, error = "decimal", num(rule.min), None, "请填写扣分（通知未规定幅度，按影响和后果酌定）。"
    elif t == "range_deduction":
        kind, low, high, error = "decimal", num(rule.min), num(rule.max), f"请填写 {num(rule.min)}–{num(rule.max)} 之间的扣分。"
    elif t == "threshold_penalty":
        kind, low, high, error = "decimal", "0", "100", "请填写 0–100 之间的百分比（如 75）。"
    else:
        if item.limit is None:
            kind, low, high, error = "decimal", "0", None, "请填写不小于 0 的数字（通知未规定上限）。"
        else:
            kind, low, high, error = "decimal", "0", num(item.limit), f"请填写 0–{num(item.limit)} 之间的评分。"
    operator = "between" if high is not None else ("greaterThanOrEqual" if kind == "decimal" else None)
    return validation(kind, low, high, operator=operator, error=error,
                      title="填写不正确", prompt=expects(rule)[:250], prompt_title=item.name[:32])


def write_scorer_book(campaign: Campaign, units: list[Unit], scorer: str, period: Period, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    cols = columns(campaign)
    names = [u.name for u in subjects(campaign, units)]
    note_col = 3 + len(cols)
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=note_col)
    set_text(ws.cell(1, 2), f"{campaign.name}　{period.title}考核评分录入表　考核人：{scorer}"
                            "　（白色格填写：起数、“是”、扣分或百分比；无问题留空）")
    ws.cell(1, 2).font, ws.cell(1, 2).alignment = Font(name="黑体", size=13, bold=True), Alignment(wrap_text=True)
    ws.row_dimensions[1].height = 36
    for col, text in ((1, "编号"), (2, "单位"), (note_col, "扣分及原因")):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        _head(ws.cell(2, col), text)
    start = 3
    for n, (item, rule, key) in enumerate(cols):
        c = start + n
        _head(ws.cell(3, c), f"{key}\n{expects(rule).split('，')[0]}")
        ws.column_dimensions[get_column_letter(c)].width = 13
        if n == 0 or cols[n - 1][0] is not item:
            first = c
        if n == len(cols) - 1 or cols[n + 1][0] is not item:
            if c > first:
                ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=c)
            _head(ws.cell(2, first), item.name)
    ws.row_dimensions[3].height = 96
    last = FIRST_ROW + len(names) - 1
    for r, name in enumerate(names, start=FIRST_ROW):
        set_text(ws.cell(r, 1), name)
        set_text(ws.cell(r, 2), name)
        for c in range(1, note_col + 1):
            ws.cell(r, c).border = BORDER
            if c >= 3:
                ws.cell(r, c).protection = Protection(locked=False)
        ws.row_dimensions[r].height = 30
    for n, (item, rule, key) in enumerate(cols):
        dv = _validation(rule, item)
        letter = get_column_letter(start + n)
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.add_data_validation(dv)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions[get_column_letter(note_col)].width = 40
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    ws.print_title_rows = "2:3"
    print_setup(ws)
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False
    anchor = wb.create_sheet(ANCHOR)
    for row in (["meta", "format", FORMAT], ["meta", "campaign", campaign.id], ["meta", "scorer", scorer],
                ["meta", "period", period.key], ["meta", "note_col", get_column_letter(note_col)]):
        anchor.append(row)
    for n, (item, rule, key) in enumerate(cols):
        anchor.append(["col", get_column_letter(start + n), item.name, key])
    anchor.sheet_state = "veryHidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, wb.save)


def _head(cell, text: str) -> None:
    header_cell(cell, text, Font(name="黑体", size=9, bold=True))


def read_scorer_book(campaign: Campaign, units: list[Unit], path: Path) -> ScorerRead:
    path = Path(path)
    read = ScorerRead(path)
    name = path.name

    def problem(message, cell=None):
        read.problems.append(BookProblem(name, message, SHEET if cell else None, cell))

    wb, read.sha256, why = open_book(path, "考核评分表", "不是可以打开的 .xlsx 工作簿")
    if wb is None:
        problem(why)
        return read
    if ANCHOR not in wb.sheetnames or SHEET not in wb.sheetnames:
        problem("不是 formgen 生成的考核评分表（缺少隐藏信息或“考核评分”工作表），请用 formgen panel 生成的表填写")
        return read
    meta, cols = {}, []
    for row in wb[ANCHOR].iter_rows(values_only=True):
        if row and row[0] == "meta":
            meta[row[1]] = row[2]
        elif row and row[0] == "col":
            cols.append((row[1], row[2], row[3]))
    if meta.get("format") != FORMAT or meta.get("campaign") != campaign.id:
        problem(f"这不是本活动（{campaign.id}）的考核评分表，未读取")
        return read
    read.scorer, read.period = str(meta.get("scorer") or ""), str(meta.get("period") or "")
    period = Period.parse(read.period)
    rules = {(item.name, key): rule for item, rule, key in columns(campaign)}
    names = {u.name for u in subjects(campaign, units)}
    ws = wb[SHEET]
    note_col = meta.get("note_col")
    for r in range(FIRST_ROW, ws.max_row + 1):
        unit = str(ws[f"A{r}"].value or "").strip()
        if not unit:
            continue
        if unit not in names:
            problem(f"单位“{unit}”已不在单位名单中，该行未读入", f"A{r}")
            continue
        if str(ws[f"B{r}"].value or "").strip() != unit:
            problem(f"单位名称与编号不符（应为“{unit}”，可能只对部分列排序），该行未读入", f"B{r}")
            continue
        reason = str(ws[f"{note_col}{r}"].value or "").strip() if note_col else ""
        for letter, item, key in cols:
            rule = rules.get((item, key))
            raw = ws[f"{letter}{r}"].value
            if raw is None or str(raw).strip() in ("", "否", "无"):
                continue
            if rule is None:
                problem(f"“{item}：{key}”已不在评分细则中，未读入", f"{letter}{r}")
                continue
            if rule.type == "fixed_deduction":
                if str(raw).strip() not in ("是", "有", "1"):
                    problem(f"此项应填“是”或留空，实际为“{raw}”", f"{letter}{r}")
                    continue
                raw = 1
            value, message = _value(rule, raw)
            if message:
                problem(f"{unit}“{key}”：{message}", f"{letter}{r}")
                continue
            read.filled += 1
            read.rows.append(EventRow(period.key, unit, item, key, value, period.last_day(), reason, "",
                                      read.scorer, f"{name} 工作表“{SHEET}” {letter}{r}", "scorer"))
    return read

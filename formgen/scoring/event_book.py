"""The event log (台账) workbook: one row per finding, written blank and read back.

Columns: 日期 | 单位 | 细则 | 数量或分值 | 扣分原因 | 佐证材料 | 记录人. 单位 and 细则 are
drop-down lists (from a hidden sheet, so long lists fit), 日期 a date, 数量或分值 a
number; the sheet 填写说明 says what each rule expects in 数量或分值 (a count of
cases, a rate, the points chosen within a range, blank for "yes").

Reading checks every cell against its rule and gives each bad cell one Chinese
line naming the workbook, the sheet and the cell; the other rows are still read.
A finding belongs to the period (month / quarter) its date falls in; a year
adjustment (被评为最不满意科室) to the year.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from formgen.campaign.model import Campaign, Unit
from formgen.numeric import parse_number
from formgen.records import EventRow
from formgen.scoring.assess import assessed_award, rule_index, subjects
from formgen.scoring.periods import Period, as_date
from formgen.scoring.rules import num, rule_key
from formgen.xlsx import BORDER, BookProblem, header_cell, print_setup, set_text, validation, open_book
from formgen.outputs import write_file

SHEET = "台账"
LISTS = "_lists"
HEADERS = ["日期", "单位", "细则（考核项目：扣分细则）", "数量或分值", "扣分原因", "佐证材料", "记录人"]
WIDTHS = [12, 18, 52, 11, 36, 22, 10]
FIRST_ROW = 3
ROWS = 300
YEAR_PREFIX = "年度加减分："
# Rules a finding can feed: a count, a yes, an amount within a range, a rate, a quantity, a judge's number.
FINDING_RULES = ("case_deduction", "case_bonus", "fixed_deduction", "range_deduction", "threshold_penalty",
                 "bonus_tiers", "judged")


@dataclass
class BookRead:
    path: Path
    sha256: str = ""
    rows: list[EventRow] = field(default_factory=list)
    problems: list[BookProblem] = field(default_factory=list)


def choices(campaign: Campaign) -> list[tuple[str, str, object]]:
    """(text in the 细则 column, what 数量或分值 expects, the rule or year adjustment)."""
    award = assessed_award(campaign)
    out = []
    for item in award.rubric.items:
        for i, rule in enumerate(item.rules):
            if rule.type not in FINDING_RULES:
                continue  # ratings come from tallies, proportional items over the field, honours from forms
            out.append((f"{item.name}：{rule_key(rule, i)}", expects(rule), rule))
    for a in campaign.assessment.year_adjustments:
        out.append((f"{YEAR_PREFIX}{a.label}", f"空白即“是”（{'加' if a.points > 0 else '扣'}{num(abs(a.points))}分）", a))
    return out


def expects(rule) -> str:
    t = rule.type
    if t in ("case_deduction", "case_bonus"):
        return f"发现的起数（整数，空白按1起计），每起{'扣' if t == 'case_deduction' else '加'}{num(rule.points)}分"
    if t == "fixed_deduction":
        return f"空白即“有”，扣{num(rule.points)}分（同期多次按一次计）"
    if t == "range_deduction" and rule.max is None:
        return "本次扣分（通知未规定幅度，按影响和后果酌定）"
    if t == "range_deduction":
        return f"本次扣分，{num(rule.min)}–{num(rule.max)}分之间"
    if t == "threshold_penalty":
        return f"百分比，如 75（低于{num(rule.threshold)}的每{num(rule.step)}个百分点扣{num(rule.points)}分）"
    if t == "judged":
        return "评分（数字）"
    return "数值"


def limits(rule) -> tuple[float, float, bool]:
    """(lowest, highest, whole numbers only) that 数量或分值 may hold for ``rule``."""
    t = getattr(rule, "type", "adjustment")
    if t in ("fixed_deduction", "adjustment"):
        return 0, 1, True
    if t in ("case_deduction", "case_bonus"):
        return 0, 99, True
    if t == "range_deduction":  # no range in the notice: a typing guard only, one finding cannot take over 100
        return rule.min, 100 if rule.max is None else rule.max, False
    return 0, 100, False


def write_template(campaign: Campaign, units: list[Unit], path: Path) -> Path:
    """A blank event log with drop-down lists and cell limits."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    opts = choices(campaign)
    names = [u.name for u in subjects(campaign, units)]
    lists = wb.create_sheet(LISTS)
    for r, name in enumerate(names, start=1):
        set_text(lists.cell(r, 1), name)
    for r, (text, _, rule) in enumerate(opts, start=1):
        set_text(lists.cell(r, 2), text)
        low, high, whole = limits(rule)
        lists.cell(r, 3).value, lists.cell(r, 4).value, lists.cell(r, 5).value = low, high, int(whole)
    lists.sheet_state = "hidden"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    set_text(ws.cell(1, 1), f"{campaign.name}　考核台账（每发现一个问题填一行）")
    ws.cell(1, 1).font = Font(name="黑体", size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        header_cell(ws.cell(2, col), title, Font(name="黑体", bold=True))
        ws.column_dimensions[ws.cell(2, col).column_letter].width = width
    last = FIRST_ROW + ROWS - 1
    year = campaign.assessment.periods.year

    def dv(kind, f1, f2=None, title="", msg="", col="A", op=None):
        v = validation(kind, f1, f2, operator=op, title=title, error=msg)
        v.add(f"{col}{FIRST_ROW}:{col}{last}")
        ws.add_data_validation(v)

    dv("date", f"DATE({year},1,1)", f"DATE({year},12,31)", "日期不正确", f"请填写{year}年内的日期，如 {year}-07-12。",
       "A", "between")
    dv("list", f"={LISTS}!$A$1:$A${max(1, len(names))}", None, "单位不正确", "请从下拉列表中选择单位。", "B")
    dv("list", f"={LISTS}!$B$1:$B${max(1, len(opts))}", None, "细则不正确", "请从下拉列表中选择扣分细则。", "C")
    # 数量或分值 is limited by the rule chosen in the same row (its range in the hidden list sheet)
    table = f"{LISTS}!$B$1:$E${max(1, len(opts))}"
    look = f"VLOOKUP($C{FIRST_ROW},{table},{{}},FALSE)"
    rule_ok = (f"AND(ISNUMBER(D{FIRST_ROW}),D{FIRST_ROW}>={look.format(2)},D{FIRST_ROW}<={look.format(3)},"
               f"OR({look.format(4)}=0,D{FIRST_ROW}=INT(D{FIRST_ROW})))")
    dv("custom", f"IF(ISNA(MATCH($C{FIRST_ROW},{LISTS}!$B$1:$B${max(1, len(opts))},0)),ISNUMBER(D{FIRST_ROW}),{rule_ok})",
       None, "数量或分值不正确", "请按所选细则填写：起数为整数；酌情扣分在规定范围内；百分比在0–100之间（见“填写说明”）。", "D")
    for r in range(FIRST_ROW, last + 1):
        ws.cell(r, 1).number_format = "yyyy-mm-dd"
        for col in range(1, len(HEADERS) + 1):
            ws.cell(r, col).border = BORDER
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = "2:2"
    print_setup(ws)
    help_ = wb.create_sheet("填写说明")
    for col, (title, width) in enumerate((("细则", 56), ("数量或分值填什么", 60)), start=1):
        header_cell(help_.cell(1, col), title, alignment=None)
        help_.column_dimensions["AB"[col - 1]].width = width
    for r, (text, what, _) in enumerate(opts, start=2):
        set_text(help_.cell(r, 1), text)
        set_text(help_.cell(r, 2), what)
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, wb.save)


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


def read_event_log(campaign: Campaign, units: list[Unit], path: Path) -> BookRead:
    """Every finding in the workbook, and one problem per bad cell."""
    path = Path(path)
    read = BookRead(path)
    name = path.name

    def problem(message, cell=None, sheet=SHEET):
        read.problems.append(BookProblem(name, message, sheet if cell else None, cell))

    wb, read.sha256, why = open_book(path, "台账", "不是可以打开的 .xlsx 工作簿，请用 Excel/WPS 另存为 .xlsx 后重新读入",
                                     read_only=True)
    if wb is None:
        problem(why)
        return read
    try:
        if SHEET not in wb.sheetnames:
            problem(f"缺少“{SHEET}”工作表，请用 formgen events --template 生成的台账填写")
            return read
        rows = list(wb[SHEET].iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()
    header = [str(c or "").strip() for c in (rows[1] if len(rows) > 1 else [])]
    if header[:4] != HEADERS[:4]:
        problem(f"第2行表头应为“{'、'.join(HEADERS)}”，实际为“{'、'.join(h for h in header if h)}”，请用原台账填写", "A2")
        return read
    _read_rows(campaign, units, rows[FIRST_ROW - 1:], name, read, problem)
    return read


def _read_rows(campaign: Campaign, units: list[Unit], rows, name: str, read: BookRead, problem) -> None:
    opts = {text: rule for text, _, rule in choices(campaign)}
    index = rule_index(assessed_award(campaign))
    names = [u.name for u in subjects(campaign, units)]
    settings = campaign.assessment
    for r, row in enumerate(rows, start=FIRST_ROW):
        row = list(row) + [None] * (len(HEADERS) - len(row))
        date, unit, rule_text, value, reason, evidence, who = row[:7]
        if all(v is None or str(v).strip() == "" for v in row[:7]):
            continue
        ok = True
        day = as_date(date)
        if day is None:
            problem(f"日期“{date or ''}”无法识别，应写成 {settings.periods.year}-07-12", f"A{r}")
            ok = False
        elif day.year != settings.periods.year:
            problem(f"日期 {day} 不在考核年度 {settings.periods.year} 年内，未计入", f"A{r}")
            ok = False
        unit = str(unit or "").strip()
        if unit not in names:
            close = difflib.get_close_matches(unit, names, n=1, cutoff=0.5)
            hint = f"，是否为“{close[0]}”？" if close else "，请从下拉列表中选择"
            problem(f"单位“{unit}”不在单位名单中{hint}", f"B{r}")
            ok = False
        text = str(rule_text or "").strip()
        rule = opts.get(text)
        if rule is None:
            problem(f"细则“{text}”不在评分细则中，请从下拉列表中选择（共{len(opts)}条，见“填写说明”）", f"C{r}")
            continue
        amount, message = _value(rule, value)
        if message:
            problem(message, f"D{r}")
            continue
        if not ok or (amount == 0 and getattr(rule, "type", "adjustment") in ("fixed_deduction", "adjustment")):
            continue
        source = f"{name} 工作表“{SHEET}” 第{r}行"
        common = dict(date=day, reason=str(reason or "").strip(), evidence=str(evidence or "").strip(),
                      recorded_by=str(who or "").strip(), source=source)
        if text.startswith(YEAR_PREFIX):
            read.rows.append(EventRow(str(day.year), unit, "", rule.label, 1, **common))
        else:
            item, rule_label = text.split("：", 1)
            item_obj, _ = index[f"{item}：{rule_label}"]
            period = Period.of(day, settings.periods.unit).key
            read.rows.append(EventRow(period, unit, item_obj.name, rule_label, amount, **common))


def _value(rule, value) -> tuple[object, str | None]:
    """The 数量或分值 cell for ``rule``: (value, None) or (None, problem)."""
    t = getattr(rule, "type", "adjustment")
    blank = value is None or str(value).strip() == ""
    if blank and t in ("case_deduction", "case_bonus", "fixed_deduction", "adjustment"):
        return 1, None
    if blank:
        return None, f"数量或分值不能为空：{expects(rule)}"
    try:
        d = value if isinstance(value, Decimal) else (
            Decimal(str(value)) if isinstance(value, (int, float)) and not isinstance(value, bool)
            else parse_number(str(value), units=("%", "分", "起", "次", "件", "个")))
    except (ValueError, InvalidOperation):
        return None, f"数量或分值应为数字，实际为“{value}”（{expects(rule) if t != 'adjustment' else '空白即“是”'}）"
    if not d.is_finite() or d < 0:
        return None, f"数量或分值应为不小于0的数字，实际为“{value}”"
    if t in ("case_deduction", "case_bonus", "fixed_deduction", "adjustment"):
        if d != d.to_integral_value():
            return None, f"起数应为整数，实际为“{value}”"
        if t in ("fixed_deduction", "adjustment") and d not in (0, 1):
            return None, f"此项只记“是”（空白或1），实际为“{value}”"
        return int(d), None
    if t == "range_deduction" and rule.max is None:
        if d <= Decimal(str(rule.min)):
            return None, f"扣分应大于 {num(rule.min)}，实际为“{value}”"
        return float(d), None
    if t == "range_deduction":
        if d < Decimal(str(rule.min)) or d > Decimal(str(rule.max)):
            return None, f"扣分 {num(d)} 超出 {num(rule.min)}–{num(rule.max)} 分的范围"
        return float(d), None
    if t == "threshold_penalty" and d > 100:
        return None, f"百分比应在 0–100 之间，实际为“{value}”"
    return float(d), None

"""Sub-score workbooks (分值报送表 / 考评记录表) for awards scored per nominee, each rule's own input.

One workbook per scorer: a department that owns sub-scores (seed 001: 省委办公厅
gets only the items it owns) or a member of the review group (seed 003 考评小组:
every item no department owns). One sheet per award and rubric (a category
with its own rubric — 第四类 — gets its own sheet); one row per subject in the
award's scope; one column per input a rule takes:

===================  ==================================================
rule                 the cell holds
===================  ==================================================
judged / no rules    the item's score (扣分 for a deduction item)
case_* counts        a count of cases (blank: none)
fixed_deduction      是 / 否
rating_levels        one column per level: the votes for it
honor_levels         the honours, e.g. ``省级；市级（条线部门）``
counted_bonus        ``简报录用2，报送未录用3`` (per quarter: ``一季度：…；二季度：…``)
range_deduction      the amounts chosen, one per finding: ``2、3``
proportional …       the measured value
===================  ==================================================

Rules whose input comes from the unit's form (``field``) get no column. A row
left wholly blank is "not scored by this scorer". Reading checks every cell
against its rule: a bad cell is one Chinese line naming the workbook, the sheet
and the cell, and is left out. The scorer named in the 报送单位 cell is who the
scores are from, so a department that returns another's workbook is caught by
``formgen.scoring.ownership``. (Campaigns assessed by periods use
``formgen.scoring.scorer_book`` instead.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter

from formgen.campaign.model import Award, Campaign, Rubric, RubricItem
from formgen.campaign.scope import applies
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rules import ScoringError, as_decimal, num, rule_key
from formgen.xlsx import BORDER, HEADER_FILL, BookProblem, print_setup, set_text, validation, open_book
from formgen.outputs import write_file

META = "_formgen_subscores"
SCORER_CELL = "C2"
HEAD_ROW, FIRST_ROW = 3, 5
BODY = Font(name="宋体", size=10)
BOLD = Font(name="黑体", size=10, bold=True)
TITLE = Font(name="黑体", size=14, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


@dataclass
class Column:
    item: str
    rule: str | None  # rule key; None: the item's own score
    kind: str  # score / count / yesno / votes / honors / counted / amounts / number
    header: str
    level: str | None = None
    low: float = 0
    high: float | None = None


@dataclass
class BookRead:
    path: Path
    scorer: str = ""
    sha256: str = ""
    scores: list[JudgeScore] = field(default_factory=list)
    problems: list[BookProblem] = field(default_factory=list)
    filled: int = 0


# ---------------------------------------------------------------------------------------------
# who scores what
# ---------------------------------------------------------------------------------------------

def _rubrics(award: Award) -> list[tuple[str, Rubric, list[str] | None]]:
    """(sheet label, rubric, the categories it scores; None: the award's default rubric)."""
    out = [(award.name, award.rubric, None)]
    for cat, rb in award.category_rubrics.items():
        out.append((f"{award.name}（{cat}）", rb, [cat]))
    return out


def owners(campaign: Campaign) -> list[str]:
    """The departments that own sub-scores, in rubric order."""
    seen: list[str] = []
    for a in campaign.awards:
        for _, rb, _ in _rubrics(a):
            for i in rb.items:
                if i.source and i.source not in seen:
                    seen.append(i.source)
    return seen


def _mine(item: RubricItem, scorer: str, is_owner: bool) -> bool:
    return item.source == scorer if is_owner else item.source is None


def columns(item: RubricItem) -> list[Column]:
    rules = [(rule_key(r, i), r) for i, r in enumerate(item.rules) if not r.field]
    if not rules:
        return []
    if len(item.rules) == 1 and item.rules[0].type == "judged":
        what = "扣分" if item.kind == "deduction" else "得分"
        span = f"0–{num(item.limit)}" if item.limit is not None else "通知未规定上限"
        return [Column(item.name, None, "score", f"{item.name}\n{what}（{span}）", high=item.limit)]
    out = []
    for key, r in rules:
        t = r.type
        if t == "judged":
            span = f"0–{num(item.limit)}分" if item.limit is not None else "通知未规定上限"
            out.append(Column(item.name, key, "number", f"{key}\n（{span}）", high=item.limit))
        elif t in ("case_deduction", "case_bonus"):
            out.append(Column(item.name, key, "count", f"{key}\n（例数）"))
        elif t == "fixed_deduction":
            out.append(Column(item.name, key, "yesno", f"{key}\n（是/否）"))
        elif t == "rating_levels":
            out += [Column(item.name, key, "votes", f"{key}\n{lv}（票）", level=lv) for lv in r.levels]
        elif t == "honor_levels":
            out.append(Column(item.name, key, "honors", f"{key}\n（级别，如 省级；市级（条线部门））"))
        elif t == "counted_bonus":
            out.append(Column(item.name, key, "counted", f"{key}\n（如 {'1，'.join(r.points)}1）"))
        elif t == "range_deduction":
            span = f"{num(r.min)}–{num(r.max)}" if r.max is not None else "通知未规定幅度"
            out.append(Column(item.name, key, "amounts", f"{key}\n（每处扣分，{span}）",
                              low=r.min, high=r.max))
        else:
            out.append(Column(item.name, key, "number", f"{key}\n（数值）", low=-1e9))
    return out


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------

def book_name(scorer: str) -> str:
    return f"{scorer}_评分报送表.xlsx"


def write_books(workspace, scorers: list[str], nominees: dict[str, list[Nominee]]) -> list[Path]:
    out = workspace.out_dir("scorers")
    paths = []
    for scorer in scorers:
        wb = build_book(workspace.campaign, scorer, nominees)
        if wb is None:
            continue
        path = out / book_name(scorer)
        paths.append(write_file(path, wb.save))
    return paths


def build_book(campaign: Campaign, scorer: str, nominees: dict[str, list[Nominee]]) -> Workbook | None:
    is_owner = scorer in owners(campaign)
    wb = Workbook()
    wb.remove(wb.active)
    meta = wb.create_sheet(META)
    meta.append(["scorer", scorer])
    used: set[str] = set()
    for award in campaign.awards:
        for label, rubric, cats in _rubrics(award):
            cols = [c for i in rubric.items if _mine(i, scorer, is_owner) for c in columns(i)]
            if not cols:
                continue
            rows = [n for n in nominees.get(award.id, []) if applies(award, n.category)
                    and (n.category in cats if cats else n.category not in award.category_rubrics)]
            if not rows:
                continue
            title = re.sub(r"[\\/*?:\[\]]", "", label)[:28]
            while title in used:
                title += "_"
            used.add(title)
            _sheet(wb.create_sheet(title), campaign, scorer, label, cols, rows)
            for n, c in enumerate(cols):
                meta.append(["col", title, get_column_letter(4 + n), award.id, c.item, c.rule or "", c.kind,
                             c.level or "", c.low, c.high if c.high is not None else ""])
    if len(wb.sheetnames) == 1:
        return None
    meta.sheet_state = "veryHidden"
    wb.move_sheet(META, offset=len(wb.sheetnames))
    wb.active = 0
    return wb


def _sheet(ws, campaign: Campaign, scorer: str, label: str, cols: list[Column], rows: list[Nominee]) -> None:
    last = 3 + len(cols)
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=max(last, 4))
    set_text(ws.cell(1, 2), f"{label}评分报送表")
    ws.cell(1, 2).font, ws.cell(1, 2).alignment = TITLE, CENTER
    ws.row_dimensions[1].height = 28
    set_text(ws.cell(2, 2), "报送单位")
    set_text(ws[SCORER_CELL], scorer)
    ws[SCORER_CELL].font = BOLD
    if last >= 4:
        ws.merge_cells(start_row=2, start_column=4, end_row=2, end_column=max(last, 4))
    note = f"{campaign.name}。白色格填写：分值、例数、票数或“是/否”；本表只含本单位（本人）负责的项目。"
    set_text(ws.cell(2, 4), note)
    ws.cell(2, 4).font, ws.cell(2, 4).alignment = Font(name="宋体", size=9), LEFT
    per_line = max(8, int(sum(_widths(cols)) / 1.8))  # 9 pt characters per line of the merged cell
    ws.row_dimensions[2].height = 13 * (len(note) // per_line + 1) + 4
    for col, text in ((1, "编号"), (2, "序号"), (3, "单位（对象）")):
        set_text(ws.cell(HEAD_ROW, col), text)
        ws.merge_cells(start_row=HEAD_ROW, start_column=col, end_row=HEAD_ROW + 1, end_column=col)
    for n, c in enumerate(cols):
        col = 4 + n
        first, _, sub = c.header.partition("\n")
        set_text(ws.cell(HEAD_ROW, col), c.item)
        set_text(ws.cell(HEAD_ROW + 1, col), sub if c.rule is None else c.header)
    for row in (HEAD_ROW, HEAD_ROW + 1):
        for col in range(1, last + 1):
            cell = ws.cell(row, col)
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BORDER
    ws.row_dimensions[HEAD_ROW].height = 42
    ws.row_dimensions[HEAD_ROW + 1].height = 58
    end = FIRST_ROW + len(rows) - 1
    for k, n in enumerate(rows):
        r = FIRST_ROW + k
        set_text(ws.cell(r, 1), n.key)
        ws.cell(r, 2).value = k + 1
        set_text(ws.cell(r, 3), n.name if n.name == n.unit else f"{n.name}（{n.unit}）")
        for col in range(1, last + 1):
            cell = ws.cell(r, col)
            cell.border, cell.font = BORDER, BODY
            cell.alignment = LEFT if col == 3 else CENTER
            if col >= 4:
                cell.protection = Protection(locked=False)
        ws.row_dimensions[r].height = 20
    for n, c in enumerate(cols):
        letter = get_column_letter(4 + n)
        if c.kind in ("score", "number") and c.high is not None and c.low >= 0:
            dv = validation("decimal", num(c.low), num(c.high), operator="between",
                            error=f"“{c.item}”应为 {num(c.low)} 至 {num(c.high)} 之间的数字。")
        elif c.kind in ("count", "votes"):
            dv = validation("whole", "0", operator="greaterThanOrEqual", error="请填写不小于 0 的整数。")
        elif c.kind == "yesno":
            dv = validation("list", '"是,否"')
        else:
            continue
        dv.add(f"{letter}{FIRST_ROW}:{letter}{max(end, FIRST_ROW)}")
        ws.add_data_validation(dv)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 10  # 序号, and the 报送单位 label above it
    ws.column_dimensions["C"].width = 26
    for n, w in enumerate(_widths(cols)):
        ws.column_dimensions[get_column_letter(4 + n)].width = w
    ws.freeze_panes = ws.cell(FIRST_ROW, 4)
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW + 1}"
    print_setup(ws, centered=True)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _width(c: Column) -> float:
    """Column width: wide enough for a text input (honours, counts per quarter)."""
    return 24 if c.kind in ("honors", "counted") else 14


def _widths(cols: list[Column]) -> list[float]:
    """The input columns' widths, together at least 36 wide: the note above them reads in 2–3 lines,
    not down a narrow column (a department that owns one item)."""
    widths = [_width(c) for c in cols]
    short = 36 - sum(widths)
    return [w + short / len(widths) for w in widths] if short > 0 and widths else widths


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------

_LEVEL_RE = re.compile(r"(国家级|省（部）级|省部级|省级|市级|县（市）级|县级)")
_PERIOD_RE = re.compile(r"^\s*((?:第?[一二三四1-4]季度)|(?:\d{4}Q[1-4]))\s*[：:]")


def meta_columns(wb) -> dict[str, list[tuple]]:
    """Sheet title → (letter, award id, item, rule key, kind, level, low, high) per input column."""
    cols: dict[str, list[tuple]] = {}
    for r in wb[META].iter_rows(values_only=True):
        if r and r[0] == "col":
            row = (list(r[2:]) + [None] * 8)[:8]  # a trailing blank cell is not stored
            row[7] = None if row[7] in (None, "") else row[7]
            cols.setdefault(str(r[1]), []).append(tuple(row))
    return cols


def read_book(path: Path) -> BookRead:
    out = BookRead(path=path)
    name = path.name
    wb, out.sha256, why = open_book(path, "评分报送表", "无法打开，请确认是 formgen scorers 生成的评分报送表（.xlsx）且未加密")
    if wb is None:
        out.problems.append(BookProblem(name, why))
        return out
    if META not in wb.sheetnames:
        out.problems.append(BookProblem(name, "不是 formgen scorers 生成的评分报送表（缺少隐藏的说明页）；请用生成的表填写"))
        return out
    default = next((str(r[1]) for r in wb[META].iter_rows(values_only=True) if r and r[0] == "scorer"), "")
    by_key: dict[tuple[str, str], JudgeScore] = {}
    scorer = None
    for title, cols in meta_columns(wb).items():
        if title not in wb.sheetnames:
            out.problems.append(BookProblem(name, "工作表被删除或改名，未读取", title))
            continue
        ws = wb[title]
        named = str(ws[SCORER_CELL].value or "").strip() or default
        if scorer is None:
            scorer = named
        elif named != scorer:
            out.problems.append(BookProblem(name, f"报送单位写为“{named}”，与其他工作表的“{scorer}”不一致，按“{scorer}”读取",
                                        title, SCORER_CELL))
        for r in range(FIRST_ROW, ws.max_row + 1):
            key = ws.cell(r, 1).value
            if not key:
                continue
            values, bad = {}, set()
            for letter, award_id, item, rule, kind, level, low, high in cols:
                cell = ws[f"{letter}{r}"]
                if cell.value is None or str(cell.value).strip() == "":
                    continue
                try:
                    values[(award_id, item, rule or None, kind, level or None)] = _parse(cell.value, kind, low, high)
                except ScoringError as e:
                    bad.add(item)
                    out.problems.append(BookProblem(name, f"{ws.cell(r, 3).value or key}“{item}”：{e}，本项未读入", title,
                                                f"{letter}{r}"))
            # an item with a bad cell is not scored by this scorer at all (never taken as "nothing found")
            values = {k: v for k, v in values.items() if k[1] not in bad}
            if not values:
                continue
            for (award_id, item, rule, kind, level), v in values.items():
                js = by_key.setdefault((award_id, str(key)), JudgeScore(scorer or default, award_id, str(key), {}))
                out.filled += 1
                if rule is None:
                    js.scores[item] = v
                    continue
                obs = js.observations.setdefault(item, {})
                if kind == "votes":
                    obs.setdefault(rule, {})[level] = v
                else:
                    obs[rule] = v
            # a scored row: its count / yes-no / honour columns left blank mean "nothing found"
            for letter, award_id, item, rule, kind, level, low, high in cols:
                js = by_key.get((award_id, str(key)))
                if js is not None and rule and kind not in ("votes", "number") and item not in js.scores \
                        and item not in bad:
                    js.observations.setdefault(item, {})
    out.scorer = scorer or default
    for js in by_key.values():
        js.judge = out.scorer
    out.scores = list(by_key.values())
    return out


def _parse(value, kind: str, low, high):
    if kind in ("score", "number"):
        v = as_decimal(value, "")
        if high is not None and low is not None and not (Decimal(str(low)) <= v <= Decimal(str(high))):
            raise ScoringError(f"应在 {num(low)} 至 {num(high)} 之间，实际为 {num(v)}")
        return float(v)
    if kind in ("count", "votes"):
        v = as_decimal(value, "")
        if v < 0 or v != v.to_integral_value():
            raise ScoringError(f"应为不小于 0 的整数，实际为 “{value}”")
        return int(v)
    if kind == "yesno":
        text = str(value).strip()
        if text not in ("是", "否", "有", "无"):
            raise ScoringError(f"应填“是”或“否”，实际为 “{value}”")
        return text in ("是", "有")
    if kind == "amounts":
        parts = [p for p in re.split(r"[、，,；;\s]+", str(value).strip()) if p]
        amounts = [float(as_decimal(p, "")) for p in parts]
        bad = [a for a in amounts if not float(low) <= a <= float(high)]
        if bad:
            raise ScoringError(f"每处扣分应在 {num(low)} 至 {num(high)} 之间，实际有 {num(bad[0])}")
        return amounts
    if kind == "honors":
        return _honors(value)
    if kind == "counted":
        return _counted(value)
    return value


def _honors(value) -> list[dict]:
    """``省级；巾帼文明岗市级（条线部门）`` → [{name, level, category}] (条线部门: one level lower)."""
    out = []
    for part in (p for p in re.split(r"[；;、，,\n]+", str(value)) if p.strip()):
        m = _LEVEL_RE.search(part)
        if not m:
            raise ScoringError(f"“{part.strip()}”没有写明级别（县级、市级、省级、国家级）")
        level = {"省（部）级": "省级", "省部级": "省级", "县（市）级": "县级"}.get(m.group(1), m.group(1))
        name = re.sub(r"[（(]?条线部门[）)]?", "", part.replace(m.group(1), "")).strip(" ：:") or None
        out.append({"name": name, "level": level, "category": "条线部门" if "条线" in part else None})
    return out


def _counted(value):
    """``一季度：简报录用1，报送未录用2；二季度：报送未录用3`` → {period: {kind: n}} (or one tally)."""
    periods: dict = {}
    for seg in (s for s in re.split(r"[；;\n]+", str(value)) if s.strip()):
        m = _PERIOD_RE.match(seg)
        period = m.group(1) if m else None
        body = seg[m.end():] if m else seg
        if not re.search(r"\d", body):
            raise ScoringError(f"“{seg.strip()}”应写成“种类+数量”，如 简报录用2")
        tally = periods.setdefault(period, {})
        for kind_name, n in re.findall(r"([^\d，,、\s]+?)\s*(\d+)\s*(?:篇|次)?", body):
            tally[kind_name] = tally.get(kind_name, 0) + int(n)
    if None in periods and len(periods) > 1:
        raise ScoringError("部分写了季度、部分没写，请每段都写明季度或都不写")
    return periods.get(None) if list(periods) == [None] else periods

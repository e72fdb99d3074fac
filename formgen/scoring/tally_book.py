"""Rating tallies in: hand-counted tally sheets and online survey exports → ledger tallies.

* Tally sheet (计票表, written by ``write_tally_sheet``): one sheet per rating
  (公开评议, 内部测评 …), a row per subject × rater group, a whole-number cell per
  level (data validation ≥ 0) and a 合计 formula. Each sheet is one *source*.
* Survey export (.csv or .xlsx, one row per respondent, as online questionnaire
  tools export): a rater-group column (测评人类别 / 身份) and one column per
  subject holding the level chosen. The file is one source.

Every bad cell is one Chinese line naming the file, sheet and cell; the rest is
read. Paper ballots (formgen ballots) write into the same ledger table.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from formgen.campaign.model import Campaign, Unit
from formgen.numeric import parse_number
from formgen.records import TallyRow
from formgen.scoring.assess import assessed_award, subjects
from formgen.xlsx import BORDER, MAX_BOOK_BYTES, BookProblem, header_cell, print_setup, set_text, validation
from formgen.outputs import write_file

ANCHOR = "_formgen"
GROUP_HEADERS = ("测评人类别", "身份", "您的身份", "组别", "测评人身份")


@dataclass
class TallyRead:
    path: Path
    sources: dict[tuple[str, str], list[TallyRow]] = field(default_factory=dict)  # (kind, source) → rows
    problems: list[BookProblem] = field(default_factory=list)
    respondents: int = 0


def _ratings(campaign: Campaign):
    """(rating id, title, item, rule, groups) per configured rating."""
    award = assessed_award(campaign)
    items = {i.name: i for i in award.rubric.items}
    out = []
    for r in campaign.assessment.ratings:
        item = items[r.item]
        rule = next(x for x in item.rules if x.type == "rating_levels")
        agg = item.aggregation or award.rubric.aggregation
        groups = [g.name for g in agg.groups] if agg.method == "weighted_groups" else []
        out.append((r.rating, r.title or r.item, item, rule, groups))
    return out


def write_tally_sheet(campaign: Campaign, units: list[Unit], path: Path, groups_default=("测评人",)) -> Path:
    """A blank hand-count workbook: one sheet per rating."""
    wb = Workbook()
    wb.remove(wb.active)
    anchor = wb.create_sheet(ANCHOR)
    names = [u.name for u in subjects(campaign, units)]
    for rating, title, item, rule, groups in _ratings(campaign):
        ws = wb.create_sheet(title[:31])
        anchor.append([ws.title, rating])
        levels = list(rule.levels)
        heads = ["被测评单位", "测评人类别"] + levels + ["合计"]
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
        set_text(ws.cell(1, 1), f"{title}计票表（{item.max:g}分，" + "、".join(f"{k}{v:g}分" for k, v in rule.levels.items())
                 + "）")
        ws.cell(1, 1).font, ws.cell(1, 1).alignment = Font(name="黑体", size=14, bold=True), Alignment(horizontal="center")
        for col, h in enumerate(heads, start=1):
            header_cell(ws.cell(2, col), h, alignment=None)
            ws.column_dimensions[get_column_letter(col)].width = 20 if col <= 2 else 10
        row = 3
        for name in names:
            for g in groups or list(groups_default):
                set_text(ws.cell(row, 1), name)
                set_text(ws.cell(row, 2), g)
                first, last = get_column_letter(3), get_column_letter(2 + len(levels))
                ws.cell(row, 3 + len(levels)).value = f"=SUM({first}{row}:{last}{row})"
                for col in range(1, len(heads) + 1):
                    ws.cell(row, col).border = BORDER
                row += 1
        dv = validation("whole", "0", operator="greaterThanOrEqual", title="票数不正确", error="票数应为不小于0的整数。")
        dv.add(f"C3:{get_column_letter(2 + len(levels))}{max(3, row - 1)}")
        ws.add_data_validation(dv)
        ws.freeze_panes = "C3"
        print_setup(ws, landscape=False)
    anchor.sheet_state = "veryHidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, wb.save)


def read_tallies(campaign: Campaign, units: list[Unit], path: Path, period: str = "",
                 rating: str | None = None) -> TallyRead:
    """A tally sheet (.xlsx with our sheets) or a survey export (.csv, or .xlsx one row per respondent)."""
    path = Path(path)
    read = TallyRead(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        read.problems.append(BookProblem(path.name, f"无法读取文件（{e.strerror or e}）"))
        return read
    if size > MAX_BOOK_BYTES:
        read.problems.append(BookProblem(path.name, "文件过大，未读取"))
        return read
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path, read)
        if rows is not None:
            _survey(campaign, units, rows, path.name, None, read, period, rating)
        return read
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except Exception as e:
        read.problems.append(BookProblem(path.name, f"不是可以打开的 .xlsx 工作簿（{type(e).__name__}）"))
        return read
    if ANCHOR in wb.sheetnames:
        ids = {str(r[0]): str(r[1]) for r in wb[ANCHOR].iter_rows(values_only=True) if r and r[0]}
        for title, rid in ids.items():
            if title not in wb.sheetnames:
                read.problems.append(BookProblem(path.name, "计票表中找不到该工作表（可能被删除或改名）", title))
                continue
            _tally_sheet(campaign, units, wb[title], rid, path.name, read, period)
        return read
    ws = wb.worksheets[0]
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    _survey(campaign, units, rows, path.name, ws.title, read, period, rating)
    return read


def _raters(campaign: Campaign, rating: str) -> dict[str, int]:
    """How many raters each group of a rating has, where the campaign says (group count, or the rating's)."""
    award = assessed_award(campaign)
    items = {i.name: i for i in award.rubric.items}
    for r in campaign.assessment.ratings:
        if r.rating != rating:
            continue
        agg = items[r.item].aggregation or award.rubric.aggregation
        if agg.method == "weighted_groups":
            return {g.name: g.count for g in agg.groups if g.count}
        return {"测评人": r.count} if getattr(r, "count", None) else {}
    return {}


def _level_rule(campaign: Campaign, rating: str):
    for rid, title, item, rule, groups in _ratings(campaign):
        if rid == rating:
            return title, rule, groups
    raise KeyError(rating)


def _tally_sheet(campaign, units, ws, rating, name, read: TallyRead, period: str) -> None:
    try:
        title, rule, groups = _level_rule(campaign, rating)
    except KeyError:
        read.problems.append(BookProblem(name, f"测评项目 {rating} 已不在活动配置中，未读取", ws.title))
        return
    names = {u.name for u in subjects(campaign, units)}
    levels = list(rule.levels)
    head = [str(ws.cell(2, 3 + i).value or "").strip() for i in range(len(levels))]
    if head != levels:
        read.problems.append(BookProblem(name, f"表头应为“{'、'.join(levels)}”，实际为“{'、'.join(head)}”，本表未读取",
                                     ws.title, "C2"))
        return
    source = f"{name} 工作表“{ws.title}”"
    raters = _raters(campaign, rating)
    rows = []
    for r in range(3, ws.max_row + 1):
        subject = str(ws.cell(r, 1).value or "").strip()
        group = str(ws.cell(r, 2).value or "").strip()
        if not subject:
            continue
        if subject not in names:
            read.problems.append(BookProblem(name, f"被测评单位“{subject}”不在单位名单中，该行未读入", ws.title, f"A{r}"))
            continue
        if groups and group not in groups:
            read.problems.append(BookProblem(name, f"测评人类别“{group}”应为{'、'.join(groups)}之一，该行未读入",
                                         ws.title, f"B{r}"))
            continue
        found = []
        for i, level in enumerate(levels):
            cell = ws.cell(r, 3 + i)
            n = _count(cell.value)
            if n is None:
                read.problems.append(BookProblem(name, f"票数应为不小于0的整数，实际为“{cell.value}”，未读入",
                                             ws.title, cell.coordinate))
                continue
            if n:
                found.append(TallyRow(rating, subject, group, level, n, "tally_sheet", f"{source} 第{r}行", period))
        cap = raters.get(group or "测评人")
        total = sum(t.count for t in found)
        if cap and total > cap:  # more votes than sheets printed / raters in the group: a miscount, not a result
            read.problems.append(BookProblem(name, f"“{subject}”{group}共{total}票，多于该类测评人数{cap}人，"
                                             "该行未读入，请核对计票", ws.title, f"C{r}"))
            continue
        rows.extend(found)
    read.sources[("tally_sheet", source)] = rows  # an untouched sheet (counted online instead) says: no votes here


def _count(value) -> int | None:
    if value is None or str(value).strip() == "":
        return 0
    if isinstance(value, bool):
        return None
    try:
        d = parse_number(str(value), units=("票",))
    except ValueError:
        return None
    return int(d) if d >= 0 and d == d.to_integral_value() else None


def _csv_rows(path: Path, read: TallyRead):
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        read.problems.append(BookProblem(path.name, "文件编码无法识别（应为 UTF-8 或 GBK 的 CSV）"))
        return None
    return [row for row in csv.reader(io.StringIO(text))]


def _survey(campaign, units, rows, name, sheet, read: TallyRead, period: str, rating: str | None) -> None:
    """One row per respondent: a group column and one column per subject holding the level."""
    ratings = _ratings(campaign)
    if rating is None:
        hits = [r for r in ratings if r[1] in name or r[2].name in name or r[0] in name]
        if len(hits) != 1:
            read.problems.append(BookProblem(name, "无法从文件名判断是哪一项测评（可选："
                                         + "、".join(f"{r[0]}（{r[1]}）" for r in ratings)
                                         + "），请在文件名中写明，或用 --rating 指定"))
            return
        rating = hits[0][0]
    title, rule, groups = _level_rule(campaign, rating)
    if not rows:
        read.problems.append(BookProblem(name, "文件是空的", sheet))
        return
    header = [str(h or "").strip() for h in rows[0]]
    names = {u.name for u in subjects(campaign, units)}
    group_col = next((i for i, h in enumerate(header) if h in GROUP_HEADERS), None)
    subject_cols = {i: h for i, h in enumerate(header) if h in names}
    if not subject_cols:
        read.problems.append(BookProblem(name, "第1行没有任何被测评单位的名称，无法识别为问卷导出", sheet, "A1"))
        return
    if groups and group_col is None:
        read.problems.append(BookProblem(name, f"缺少测评人类别列（{'/'.join(GROUP_HEADERS[:2])}），无法分组计票", sheet))
        return
    counts: dict[tuple[str, str, str], int] = {}
    source = name + (f" 工作表“{sheet}”" if sheet else "")
    for r, row in enumerate(rows[1:], start=2):
        if not any(str(v or "").strip() for v in row):
            continue
        group = str(row[group_col] or "").strip() if group_col is not None and group_col < len(row) else "测评人"
        if groups and group not in groups:
            read.problems.append(BookProblem(name, f"测评人类别“{group}”应为{'、'.join(groups)}之一，该答卷未计入",
                                         sheet, f"{get_column_letter(group_col + 1)}{r}"))
            continue
        read.respondents += 1
        for i, subject in subject_cols.items():
            value = str(row[i] if i < len(row) and row[i] is not None else "").strip()
            if not value:
                continue
            if value not in rule.levels:
                read.problems.append(BookProblem(name, f"“{subject}”的评价“{value}”应为{'、'.join(rule.levels)}之一，未计入",
                                             sheet, f"{get_column_letter(i + 1)}{r}"))
                continue
            key = (subject, group, value)
            counts[key] = counts.get(key, 0) + 1
    raters = _raters(campaign, rating)
    for g in sorted({g for (_, g, _) in counts}):
        cap = raters.get(g)
        answered = max(sum(n for (s2, g2, _), n in counts.items() if g2 == g and s2 == s) for s in subject_cols.values())
        if cap and answered > cap:
            read.problems.append(BookProblem(name, f"{g}有{answered}份答卷，多于该类测评人数{cap}人，请核对问卷导出",
                                             sheet))
    read.sources[("survey", source)] = [TallyRow(rating, s, g, lvl, n, "survey", source, period)
                                        for (s, g, lvl), n in counts.items()]

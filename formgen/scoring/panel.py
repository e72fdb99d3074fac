"""The judges' workbooks: one .xlsx per judge out, and the filled ones back in.

Each workbook has one sheet per award: a row per nominee (unit, name, the
unit's self-assessed scores greyed for reference) and, per rubric item, a white
cell where the judge writes the score, with data validation 0..max and a
Chinese error message. Names and units are literal text, never formulas; the
合计 column is our own formula.

Reading back does not trust positions a judge can change: a hidden column holds
each row's nominee key (it moves with the row when the judge sorts), and a
very hidden sheet ``_formgen`` records the campaign, the judge, and per award
the sheet, the item columns and every nominee (key, unit, name). The judge is
taken from there, so a renamed file still reads as the right judge. Sheets are
protected (sorting and filtering allowed) with only the score and 备注 cells
unlocked, and the workbook structure is locked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.protection import WorkbookProtection

from formgen.campaign.model import Award, Campaign, Judge, RubricItem
from formgen.filenames import safe_filename
from formgen.numeric import parse_number
from formgen.records import JudgeScore, Nominee
from formgen.scoring.rules import num, rule_key
from formgen.xlsx import HEADER_FILL, BookProblem, fit_width, print_setup, set_text, validation, wrapped_lines, open_book
from formgen.outputs import write_file

ANCHOR_SHEET = "_formgen"
FORMAT = "formgen-panel-1"
NOTE_KEY = "_note"  # JudgeScore.observations key of the judge's 备注 for a nominee

HEADER_ROW = 3  # item names; row 4: 自评 / 评分
FIRST_ROW = 5

GREY_FILL = PatternFill("solid", fgColor="E7E6E6")
BODY = Font(name="宋体", size=11)
GREY_FONT = Font(name="宋体", size=10, color="7F7F7F")
BOLD = Font(name="黑体", size=11, bold=True)
TITLE = Font(name="黑体", size=16, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
SCORE_BORDER = Border(left=Side(style="thin"), right=Side(style="thin"),
                      top=Side(style="thin"), bottom=Side(style="thin"))

SUBJECT_TITLE = {"post": "岗位名称", "person": "姓名", "unit": "单位", "window": "窗口",
                 "hall": "大厅", "department": "内设机构"}


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def write_panel(workspace, judges: Iterable[str | Judge], nominees_by_award: dict[str, list[Nominee]]) -> list[Path]:
    """One workbook per judge in ``out/panel/`` (评委_张三.xlsx); returns their paths."""
    campaign: Campaign = workspace.campaign
    out_dir = workspace.out_dir("panel")
    paths = []
    for judge in judges:
        judge = judge if isinstance(judge, Judge) else Judge.model_validate(judge)
        wb = build_panel(campaign, judge, nominees_by_award)
        path = out_dir / f"评委_{safe_filename(judge.name)}.xlsx"
        paths.append(write_file(path, wb.save))
    return paths


def build_panel(campaign: Campaign, judge: Judge, nominees_by_award: dict[str, list[Nominee]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    anchors = wb.create_sheet(ANCHOR_SHEET)
    anchors.append(["meta", "format", FORMAT])
    anchors.append(["meta", "campaign", campaign.id])
    anchors.append(["meta", "judge", judge.name])
    anchors.append(["meta", "group", judge.group or ""])
    anchors.append(["meta", "written_at", datetime.now().isoformat(timespec="seconds")])
    used: set[str] = set()
    for award in campaign.awards:
        nominees = nominees_by_award.get(award.id)
        if not nominees:
            continue
        title = _sheet_title(award, used)
        ws = wb.create_sheet(title)
        _award_sheet(ws, campaign, award, judge, nominees, anchors)
    if len(wb.sheetnames) == 1:
        ws = wb.create_sheet("说明")
        set_text(ws["A1"], "尚无参评对象，暂无需评分。")
    for row in anchors.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                set_text(c, c.value)
    anchors.sheet_state = "veryHidden"
    wb.move_sheet(ANCHOR_SHEET, offset=len(wb.sheetnames) - 1)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _award_sheet(ws, campaign: Campaign, award: Award, judge: Judge, nominees: list[Nominee], anchors) -> None:
    items = award.rubric.items
    # columns: A key (hidden) | B 序号 | C 推荐单位 | D 名称 | per item: 自评, 评分 | 评分合计 | 自评合计 | 备注
    first_item = 5
    score_cols = [first_item + 2 * i + 1 for i in range(len(items))]
    total_col = first_item + 2 * len(items)
    self_total_col, note_col = total_col + 1, total_col + 2
    last = note_col

    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=last)
    set_text(ws.cell(1, 2), f"{award.name}评分表")
    ws.cell(1, 2).font, ws.cell(1, 2).alignment = TITLE, CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=last)
    set_text(ws.cell(2, 2), f"{campaign.name}　　评委：{judge.name}{'（' + judge.group + '）' if judge.group else ''}"
                            f"　　请在白色格内填写评分；灰色为单位自评分，仅供参考。")
    ws.cell(2, 2).font, ws.cell(2, 2).alignment = Font(name="宋体", size=10), LEFT
    ws.row_dimensions[2].height = 20

    heads = {1: "编号", 2: "序号", 3: "推荐单位", 4: SUBJECT_TITLE.get(award.subject, "名称"),
             total_col: "评分合计", self_total_col: "自评合计", note_col: "备注"}
    for col, text in heads.items():
        ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW + 1, end_column=col)
        _head(ws.cell(HEADER_ROW, col), text)
        _head(ws.cell(HEADER_ROW + 1, col), None)
    for i, item in enumerate(items):
        c0 = first_item + 2 * i
        ws.merge_cells(start_row=HEADER_ROW, start_column=c0, end_row=HEADER_ROW, end_column=c0 + 1)
        _head(ws.cell(HEADER_ROW, c0), item_header(item))
        _head(ws.cell(HEADER_ROW, c0 + 1), None)
        _head(ws.cell(HEADER_ROW + 1, c0), "自评")
        _head(ws.cell(HEADER_ROW + 1, c0 + 1),
              "等次" if rating_choice(item) else "扣分" if item.kind == "deduction" else "评分")
    ws.row_dimensions[HEADER_ROW].height = max(36, 15 * max((wrapped_lines(item_header(i), 13) for i in items), default=1) + 6)

    for n, nominee in enumerate(nominees):
        r = FIRST_ROW + n
        set_text(ws.cell(r, 1), nominee.key)
        ws.cell(r, 2).value = n + 1
        set_text(ws.cell(r, 3), nominee.unit)
        set_text(ws.cell(r, 4), nominee.name)
        for i, item in enumerate(items):
            own = nominee.self_scores.get(item.name)
            c = ws.cell(r, first_item + 2 * i)
            c.value = own if isinstance(own, (int, float)) and not isinstance(own, bool) else None
            c.fill, c.font = GREY_FILL, GREY_FONT
            s = ws.cell(r, score_cols[i])
            s.protection = Protection(locked=False)
        refs = [(get_column_letter(score_cols[i]), items[i].kind) for i in range(len(items))
                if not rating_choice(items[i])]  # a chosen level is text, not in the sum
        plus = ",".join(f"{col}{r}" for col, kind in refs if kind != "deduction")
        minus = "".join(f"-N({col}{r})" for col, kind in refs if kind == "deduction")
        every = ",".join(f"{col}{r}" for col, _ in refs)
        if refs:
            ws.cell(r, total_col).value = f'=IF(COUNT({every})=0,"",SUM({plus or 0}){minus})'
        selfs = [v for v in nominee.self_scores.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        ws.cell(r, self_total_col).value = float(sum(selfs)) if selfs else None
        ws.cell(r, self_total_col).fill, ws.cell(r, self_total_col).font = GREY_FILL, GREY_FONT
        ws.cell(r, note_col).protection = Protection(locked=False)
        for col in range(1, last + 1):
            cell = ws.cell(r, col)
            cell.border = SCORE_BORDER
            if cell.font != GREY_FONT:
                cell.font = BODY
            cell.alignment = LEFT if col in (3, 4, note_col) else CENTER

    end = FIRST_ROW + len(nominees) - 1
    for i, item in enumerate(items):
        letter = get_column_letter(score_cols[i])
        choice = rating_choice(item)
        if choice:
            levels = list(choice[1].levels)
            dv = validation("list", '"' + ",".join(levels) + '"', title="等次不正确",
                            error=f"“{item.name}”请从下拉列表中选择：{'、'.join(levels)}。",
                            prompt=f"请选择等次：{'、'.join(levels)}", prompt_title=item.name[:32])
            dv.add(f"{letter}{FIRST_ROW}:{letter}{end}")
            ws.add_data_validation(dv)
            continue
        low = item.floor if item.kind == "score" else 0
        what = "扣分" if item.kind == "deduction" else "得分"
        if item.limit is None:  # a bonus / deduction the notice sets no limit for
            dv = validation("decimal", num(low), operator="greaterThanOrEqual", title=f"{what}不正确",
                            error=f"“{item.name}”的{what}应为不小于 {num(low)} 的数字，请重新填写。",
                            prompt=f"请填写{what}（通知未规定上限）", prompt_title=item.name[:32])
        else:
            dv = validation("decimal", num(low), num(item.limit), operator="between", title=f"{what}超出范围",
                            error=f"“{item.name}”的{what}应为 {num(low)} 至 {num(item.limit)} 之间的数字，请重新填写。",
                            prompt=f"请填写 {num(low)}–{num(item.limit)} 之间的{what}", prompt_title=item.name[:32])
        dv.add(f"{letter}{FIRST_ROW}:{letter}{end}")
        ws.add_data_validation(dv)

    unit_w = fit_width([n.unit for n in nominees], 10, 22)
    name_w = fit_width([n.name for n in nominees], 8, 24)
    widths = {1: 4, 2: 5, 3: unit_w, 4: name_w, total_col: 8, self_total_col: 8, note_col: 22}
    for n, nominee in enumerate(nominees):
        lines = max(wrapped_lines(nominee.unit, unit_w), wrapped_lines(nominee.name, name_w))
        ws.row_dimensions[FIRST_ROW + n].height = max(22, 15 * lines + 4)
    for col in range(1, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 6.5)
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = ws.cell(FIRST_ROW, 5)
    ws.auto_filter.ref = f"A{HEADER_ROW + 1}:{get_column_letter(last)}{end}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    print_setup(ws, centered=True)
    sign = end + 2
    ws.merge_cells(start_row=sign, start_column=2, end_row=sign, end_column=last)
    set_text(ws.cell(sign, 2), "评委签名：＿＿＿＿＿＿＿＿　　　　　　日期：＿＿＿＿年＿＿月＿＿日")
    ws.cell(sign, 2).font, ws.cell(sign, 2).alignment = Font(name="宋体", size=12), LEFT
    ws.row_dimensions[sign].height = 30
    ws.oddFooter.center.text = f"评委：{_footer_safe(judge.name)}　　　　第 &P 页，共 &N 页"
    ws.protection.sheet = True
    ws.protection.sort = False  # False = allowed (openpyxl stores "protected" flags)
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    anchors.append(["sheet", award.id, ws.title, HEADER_ROW, FIRST_ROW, "A", get_column_letter(note_col), "D", "C"])
    for i, item in enumerate(items):
        low, high, kind, levels, rule = cell_bounds(item)
        anchors.append(["item", award.id, item.name, get_column_letter(score_cols[i]), low, high, kind,
                        "|".join(levels), rule])
    for nominee in nominees:
        anchors.append(["nominee", award.id, nominee.key, nominee.unit, nominee.name])


def cell_bounds(item: RubricItem) -> tuple[float, float | None, str, list[str], str]:
    """What a judge's cell of ``item`` accepts: (low, high, kind, levels, rating rule key) —
    written into the workbook's anchors, and used as is by the desk's judge pages."""
    choice = rating_choice(item)
    low = item.floor if item.kind == "score" else 0
    return low, item.limit, item.kind, list(choice[1].levels) if choice else [], choice[0] if choice else ""


def check_cell(raw, low: float, high: float | None, kind: str, levels: list[str]) -> tuple[float | None, str | None, str | None]:
    """A judge's cell checked: (score, level, problem); the workbook reader and the desk both use it."""
    if levels:
        level, message = parse_level(raw, levels)
        return None, level, message
    value, message = parse_score(raw, low, high, "扣分" if kind == "deduction" else "得分")
    return value, None, message


def rating_choice(item: RubricItem):
    """(rule key, rule) when the item is one rating_levels rule: the rater picks a level, not a number."""
    if len(item.rules) == 1 and item.rules[0].type == "rating_levels":
        return rule_key(item.rules[0], 0), item.rules[0]
    return None


def item_header(item: RubricItem) -> str:
    return f"{item.name}\n（{item.limit_text()}）"


def _head(cell, text) -> None:
    if text is not None:
        set_text(cell, text)
    cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, SCORE_BORDER


def _sheet_title(award: Award, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\'“”\"]", "", award.name)[:28] or award.id[:28]
    base, n = title, 2
    while title in used or title == ANCHOR_SHEET:
        title, n = f"{base[:26]}_{n}", n + 1
    used.add(title)
    return title


def _footer_safe(text: str) -> str:
    return text.replace("&", "&&")


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


@dataclass
class PanelRead:
    """What one returned workbook held."""

    path: Path
    judge: str | None = None
    group: str | None = None
    sha256: str = ""
    awards: list[str] = field(default_factory=list)  # awards whose sheet was read (its scores replace earlier ones)
    scores: list[JudgeScore] = field(default_factory=list)
    problems: list[BookProblem] = field(default_factory=list)
    filled: int = 0  # score cells filled and valid
    cells: int = 0  # score cells in all


def read_panel(workspace, paths: Iterable[Path]) -> tuple[list[JudgeScore], list[BookProblem]]:
    """Every judge's scores in ``paths`` and the problems found (Chinese, naming file/sheet/cell)."""
    reads = read_panel_files(workspace, paths)
    return [s for r in reads for s in r.scores], [p for r in reads for p in r.problems]


def read_panel_files(workspace, paths: Iterable[Path]) -> list[PanelRead]:
    """One :class:`PanelRead` per file; of two workbooks of the same judge, the newer file counts."""
    campaign: Campaign = workspace.campaign
    reads = [_read_one(campaign, Path(p)) for p in paths]
    latest: dict[str, PanelRead] = {}
    for r in sorted((r for r in reads if r.judge), key=lambda r: r.path.stat().st_mtime):
        older = latest.get(r.judge)
        if older is not None:
            older.problems.append(BookProblem(older.path.name,
                                               f"评委{r.judge}另有一份较新的评分表 {r.path.name}，本文件未采用"))
            older.scores, older.awards = [], []
        latest[r.judge] = r
    return reads


def _read_one(campaign: Campaign, path: Path) -> PanelRead:
    read = PanelRead(path)
    name = path.name

    def problem(message, sheet=None, cell=None):
        read.problems.append(BookProblem(name, message, sheet, cell))

    wb, read.sha256, why = open_book(path, "评分表", "文件已损坏或不是 Excel 工作簿，无法打开", data_only=False)
    if wb is None:
        problem(why)
        return read
    if ANCHOR_SHEET not in wb.sheetnames:
        problem("不是 formgen 生成的评分表（缺少隐藏的 _formgen 工作表），请使用 formgen panel 生成的评分表填写")
        return read
    meta, sheets, items, nominees = _anchors(wb[ANCHOR_SHEET])
    if meta.get("format") != FORMAT:
        problem("评分表的隐藏信息不完整或已被改动，无法读取，请重新下发评分表")
        return read
    if meta.get("campaign") != campaign.id:
        problem(f"这是活动“{meta.get('campaign')}”的评分表，不是本活动（{campaign.id}）的，未读取")
        return read
    read.judge, read.group = meta.get("judge") or None, meta.get("group") or None
    if not read.judge:
        problem("评分表未记录评委姓名，无法读取，请重新下发评分表")
        return read
    for award_id, (title, header_row, first_row, key_col, note_col, name_col, unit_col) in sheets.items():
        try:
            award = campaign.award(award_id)
        except KeyError:
            problem(f"奖项 {award_id} 已不在活动配置中，该工作表未读取", title)
            continue
        if title not in wb.sheetnames:
            problem("找不到该工作表（可能被删除或改名），未读取", title)
            continue
        _read_sheet(read, wb[title], award, items[award_id], nominees[award_id],
                    (header_row, first_row, key_col, note_col, name_col, unit_col), problem)
    return read


def _anchors(ws):
    meta, sheets, items, nominees = {}, {}, {}, {}
    for row in ws.iter_rows(values_only=True):
        kind = row[0] if row else None
        if kind == "meta":
            meta[row[1]] = row[2] if row[2] is not None else ""
        elif kind == "sheet":
            sheets[row[1]] = (row[2], int(row[3]), int(row[4]), row[5], row[6], row[7], row[8])
            items[row[1]], nominees[row[1]] = [], {}
        elif kind == "item" and row[1] in items:
            levels = [x for x in str(row[7] or "").split("|") if x] if len(row) > 7 else []
            items[row[1]].append((row[2], row[3], float(row[4]), float(row[5]), row[6], levels,
                                  (row[8] if len(row) > 8 else None) or ""))
        elif kind == "nominee" and row[1] in nominees:
            nominees[row[1]][row[2]] = (row[3] or "", row[4] or "")
    return meta, sheets, items, nominees


def _read_sheet(read: PanelRead, ws, award: Award, items, expected: dict, layout, problem) -> None:
    header_row, first_row, key_col, note_col, name_col, unit_col = layout
    title = ws.title
    known = {i.name for i in award.rubric.items}
    for item_name, col, *_ in items:
        head = ws.cell(header_row, column_index_from_string(col) - 1).value  # merged over 自评 + 评分
        if item_name not in known:
            problem(f"评分项“{item_name}”已不在评分细则中，该列未读取", title)
        elif not isinstance(head, str) or not head.startswith(item_name):
            problem(f"“{item_name}”一列的表头被改动（现为“{head or ''}”），本工作表未读取，请用原评分表填写", title,
                    f"{col}{header_row}")
            return
    seen: dict[str, int] = {}
    for r in range(first_row, ws.max_row + 1):
        key = ws[f"{key_col}{r}"].value
        values = {name: ws[f"{col}{r}"] for name, col, *_ in items}
        if key is None or str(key).strip() == "":
            if any(_blank(c.value) is False for c in values.values()):
                problem("该行没有编号（可能是手工添加的行），评分未读入", title, f"A{r}")
            continue
        key = str(key)
        if key not in expected:
            problem(f"未知的参评对象编号“{key}”，该行评分未读入", title, f"{key_col}{r}")
            continue
        if key in seen:
            problem(f"参评对象重复（与第{seen[key]}行相同），以第{seen[key]}行为准", title, f"{key_col}{r}")
            continue
        seen[key] = r
        unit, name = expected[key]
        if str(ws[f"{name_col}{r}"].value or "") != name or str(ws[f"{unit_col}{r}"].value or "") != unit:
            problem(f"该行的单位或名称与编号不符（可能只对部分列排序或改动了名称，应为“{unit} {name}”），"
                    f"该行评分未读入，请恢复后重新读入", title, f"{name_col}{r}")
            continue
        scores: dict[str, float | None] = {}
        obs: dict = {}
        for item_name, col, low, high, kind, levels, rule in items:
            if item_name not in known:
                continue
            read.cells += 1
            value, level, message = check_cell(ws[f"{col}{r}"].value, low, high, kind, levels)
            if level is not None:
                obs[item_name] = {rule: level}
            if message:
                problem(f"{name}“{item_name}”{message}", title, f"{col}{r}")
            elif value is not None or level is not None:
                read.filled += 1
            scores[item_name] = value
        note = ws[f"{note_col}{r}"].value
        if note is not None and str(note).strip():
            obs[NOTE_KEY] = str(note).strip()
        read.scores.append(JudgeScore(read.judge, award.id, key, scores, read.group, obs))
    for key, (unit, name) in expected.items():
        if key not in seen:
            read.cells += len([i for i in items if i[0] in known])
            problem(f"缺少“{unit} {name}”所在的行（可能被删除），该对象的评分未读入", title)
    read.awards.append(award.id)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_level(value, levels: list[str]) -> tuple[str | None, str | None]:
    """A rating cell: (level, None), (None, None) when empty, or (None, problem)."""
    if _blank(value):
        return None, None
    text = "".join(str(value).split())
    if text in levels:
        return text, None
    return None, f"等次应为{'、'.join(levels)}之一，实际为“{value}”"


def parse_score(value, low: float, high: float, what: str = "得分") -> tuple[float | None, str | None]:
    """A score cell's value: (number, None), (None, None) when empty, or (None, problem)."""
    if _blank(value):
        return None, None
    if isinstance(value, bool):
        return None, f"{what}应为数字，不能是“{value}”"
    if isinstance(value, datetime):
        return None, f"{what}被识别为日期（{value:%m月%d日}），请将单元格改为数字后重新填写"
    if isinstance(value, str):
        if value.strip().startswith("="):
            return None, f"{what}不能是公式（{value}），请直接填写数字"
        try:
            number = float(parse_number(value, units=("分",)))
        except ValueError:
            return None, f"{what}应为数字，实际为“{value}”"
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        return None, f"{what}应为数字，实际为“{value}”"
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"{what}应为数字，实际为“{value}”"
    if number < low or number > high:
        return None, f"{what} {num(number)} 超出 {num(low)}–{num(high)} 的范围，未读入"
    return number, None

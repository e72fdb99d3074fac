"""考核结果_<期间>.xlsx: the ranking, every rule applied with its input and source, first and last place.

Sheets: 排名 (one row per subject: each item, or each period of the year, the
total, the rank, how a tie was broken, 首位/末位), 得分明细 (one row per rule
applied: input, points, 扣分及原因, source file/sheet/row), and 首位末位 when
the campaign has outcomes. Printed landscape, fitted to the page width.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from formgen.scoring.assess_run import PeriodResult
from formgen.scoring.explain import rows as explain_rows
from formgen.scoring.outcomes import PLACE_WORDS
from formgen.scoring.periods import Period
from formgen.scoring.rules import num
from formgen.xlsx import BORDER, OK_FILL, WARN_FILL, header_cell, print_setup, set_text, set_value, wrapped_lines
from formgen.outputs import write_file

TITLE = Font(name="黑体", size=15, bold=True)
BOLD = Font(name="黑体", size=10, bold=True)
BODY = Font(name="宋体", size=10)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def results_file(period: Period) -> str:
    return f"考核结果_{period.key}.xlsx"


def write_results(workspace, result: PeriodResult) -> Path:
    campaign = workspace.campaign
    wb = Workbook()
    ranking = wb.active
    ranking.title = "排名"
    _ranking(ranking, campaign, result)
    _details(wb.create_sheet("得分明细"), result)
    if result.outcomes:
        _outcomes(wb.create_sheet("首位末位"), result)
    path = workspace.out_dir("score") / results_file(result.period)
    return write_file(path, wb.save)


def _head(ws, row: int, heads: list[str], widths: list[float]) -> None:
    for col, (text, width) in enumerate(zip(heads, widths), start=1):
        header_cell(ws.cell(row, col), text, BOLD, CENTER)
        ws.column_dimensions[get_column_letter(col)].width = width


def _title(ws, text: str, sub: str, last: int) -> None:
    for row, value, font in ((1, text, TITLE), (2, sub, BODY)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        set_text(ws.cell(row, 1), value)
        ws.cell(row, 1).font, ws.cell(row, 1).alignment = font, CENTER if row == 1 else LEFT
    ws.row_dimensions[1].height = 28


def _ranking(ws, campaign, result: PeriodResult) -> None:
    first = next(iter(result.scores.values()), None)
    by_period = bool(first and first.parts is not None and not first.items)
    if by_period:
        keys = list(first.parts)
        cols = [Period.parse(k).short for k in keys] + ["年度加减分"]
    else:
        items = list(first.items.values()) if first else []
        rubric = {it.name: it for it in campaign.award(campaign.assessment.award).rubric.items}
        cols = [f"{i.item}\n（{'满分' + num(i.max) if i.kind == 'score' else rubric[i.item].limit_text()}）"
                if i.item in rubric else i.item for i in items]
    heads = ["名次", "单位", "类别"] + cols + ["总分", "结果", "排名说明", "备注"]
    last = len(heads)
    _title(ws, f"{campaign.name}　{result.period.title}考核结果",
           f"名次不得并列；同分时依次比较：{'、'.join(_TIE.get(c, c) for c in _chain(campaign))}。"
           f"生成时间：{datetime.now():%Y-%m-%d %H:%M}", last)
    _head(ws, 3, heads, [5, 20, 9] + [10] * len(cols) + [8, 12, 34, 34])
    ws.row_dimensions[3].height = 42
    places = {}
    for o in result.outcomes:
        for s in ([o.subject] if o.subject else o.pending):
            places[s] = PLACE_WORDS[o.place] + ("（待定）" if o.pending else "")
    for n, r in enumerate(result.ranked):
        row = 4 + n
        s = result.scores[r.nominee.key]
        if by_period:
            values = [s.parts.get(k) for k in keys] + [sum(a.points for a in s.adjustments) or None]
        else:
            values = [s.items[i.item].score for i in items]
        line = [r.rank or "—", s.subject, s.category or ""] + values + [s.total, places.get(s.subject, ""),
                                                                        "；".join(r.tie_notes), "；".join(s.notes)]
        for col, v in enumerate(line, start=1):
            c = ws.cell(row, col)
            set_value(c, v)
            c.font, c.border = BODY, BORDER
            c.alignment = LEFT if col in (2, last - 1, last) else CENTER
            if isinstance(v, float):
                c.number_format = "0.00"
        if places.get(s.subject, "").startswith("首位"):
            ws.cell(row, last - 2).fill = OK_FILL
        elif places.get(s.subject):
            ws.cell(row, last - 2).fill = WARN_FILL
        notes = ("；".join(r.tie_notes), "；".join(s.notes))
        ws.row_dimensions[row].height = max(18, 13 * max(wrapped_lines(t, 34, 1.2) for t in notes) + 3)
    ws.freeze_panes = "C4"
    print_setup(ws, title_rows="3:3", centered=True)


_TIE = {"total": "总分", "items_in_order": "各项依次", "fewer_deductions": "扣分少者", "stroke_order": "名称笔画",
        "judge_total": "评委平均分", "self_assessment": "自评总分", "earlier_submission": "送达时间"}


def _chain(campaign) -> list[str]:
    from formgen.scoring.assess import assessed_award
    from formgen.scoring.rank import chain

    return chain(assessed_award(campaign))


def _details(ws, result: PeriodResult) -> None:
    heads = ["单位", "期间", "项目", "细则", "记录（数量或票数）", "得分", "扣分及原因", "来源（文件、工作表、行/单元格，记录人、日期、原因）"]
    _title(ws, f"{result.period.title}得分明细", "每条细则一行：输入、得分、扣分及原因和来源；无任何记录的项目按满分计（扣分项、加分项计0分）。",
           len(heads))
    widths = [18, 14, 18, 30, 16, 8, 44, 60]
    _head(ws, 3, heads, widths)
    row = 4
    for subject, s in result.scores.items():
        parts = [result.parts[k][subject] for k in s.parts if k in result.parts]
        for x in parts + [s]:
            for line in explain_rows(x):
                values = (line.subject, line.period, line.item, line.rule, line.input, line.points, line.reason,
                          line.sources)
                for col, v in enumerate(values, start=1):
                    c = ws.cell(row, col)
                    set_text(c, v)
                    c.font, c.border, c.alignment = BODY, BORDER, LEFT if col != 6 else CENTER
                ws.row_dimensions[row].height = max(16, 13 * max(wrapped_lines(v, w, 1.2) for v, w in zip(values, widths)) + 3)
                row += 1
    ws.freeze_panes = "B4"
    print_setup(ws, title_rows="3:3")


def _outcomes(ws, result: PeriodResult) -> None:
    heads = ["位次", "单位", "总分", "结果运用", "并列说明", "历年情况"]
    _title(ws, f"{result.period.title}首位、末位", "首位、末位由综合得分决定，名次不得并列。", len(heads))
    _head(ws, 3, heads, [8, 20, 9, 50, 50, 30])
    for n, o in enumerate(result.outcomes):
        values = [PLACE_WORDS[o.place], o.subject or f"待定（{'、'.join(o.pending) or o.tie}）",
                  o.total, "；".join(o.consequences), o.tie or "", o.history or ""]
        for col, v in enumerate(values, start=1):
            c = ws.cell(4 + n, col)
            set_value(c, v)
            c.font, c.border, c.alignment = BODY, BORDER, LEFT
        ws.row_dimensions[4 + n].height = 45
    print_setup(ws)

"""评选结果.xlsx: the ranking per award, and every judge's marks for the audit trail.

Per award one sheet, in rank order: each item (the judges' aggregate), the
total, the self-assessed total, the rank, 是否入选 and 推荐上报, how a tie with
a neighbour was broken, and flags (自评代分, 不符合条件 with the reason, 超出名额).
A last sheet 评分明细 lists every judge's score per item. Printed landscape on
A4, fitted to the page width, header rows repeated on every page.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from formgen.campaign.model import Award, Campaign
from formgen.scoring.panel import SUBJECT_TITLE, _sheet_title, item_header
from formgen.scoring.rank import Ranked, chain
from formgen.scoring.rules import num
from formgen.xlsx import BORDER, HEADER_FILL, OK_FILL, WARN_FILL, fit_width, print_setup, set_text, set_value, wrapped_lines
from formgen.outputs import write_file

RESULTS_FILE = "评选结果.xlsx"

BODY = Font(name="宋体", size=10)
BOLD = Font(name="黑体", size=10, bold=True)
TITLE = Font(name="黑体", size=16, bold=True)
GREY = Font(name="宋体", size=10, color="808080")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
BARRED_FILL = PatternFill("solid", fgColor="EDEDED")
RECOMMEND_FILL = PatternFill("solid", fgColor="C6E0B4")

_TIE_WORDS = {
    "total": "总分", "judge_total": "评委平均分（不含自评代分）", "items_in_order": "评分表各项依次比较",
    "fewer_deductions": "扣分少者", "self_assessment": "自评总分", "earlier_submission": "推荐表送达时间",
    "decided": "人工决定（领导小组）", "stroke_order": "名称笔画",
}


def write_results(workspace, ranked: dict[str, list[Ranked]]) -> Path:
    """Write ``out/score/评选结果.xlsx``; returns its path."""
    campaign: Campaign = workspace.campaign
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for award in campaign.awards:
        if award.id in ranked:
            _award_sheet(wb.create_sheet(_sheet_title(award, used)), campaign, award, ranked[award.id])
    _detail_sheet(wb.create_sheet("评分明细"), campaign, ranked)
    path = workspace.out_dir("score") / RESULTS_FILE
    return write_file(path, wb.save)


def _award_sheet(ws, campaign: Campaign, award: Award, rows: list[Ranked]) -> None:
    items = all_items(award)
    heads = (["名次", "推荐单位", SUBJECT_TITLE.get(award.subject, "名称"), "类别"]
             + [item_header(i) for i in items]
             + ["总分", "自评总分", "评委人数", "是否入选", "推荐上报", "排名说明", "备注"])
    last = len(heads)
    first_item, total_col = 5, 5 + len(items)
    decimals = award.rubric.aggregation.decimals
    number_format = "0." + "0" * decimals if decimals else "0"
    tie_col, note_col = last - 1, last

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    set_text(ws.cell(1, 1), f"{award.name}评选结果")
    ws.cell(1, 1).font, ws.cell(1, 1).alignment = TITLE, CENTER
    ws.row_dimensions[1].height = 32
    quota = award.quota
    per_cat = "，".join(f"{k}{v}名" for k, v in quota.per_category.items())
    ties = "→".join(_TIE_WORDS[c] for c in chain(award))
    line = (f"{campaign.name}　　名额{quota.total}名{'（' + per_cat + '）' if per_cat else ''}"
            f"{f'，择优推荐上报{quota.recommend_up}名' if quota.recommend_up else ''}；"
            f"名次不并列，比较顺序：{ties}。　生成时间：{datetime.now():%Y-%m-%d %H:%M}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    set_text(ws.cell(2, 1), line)
    ws.cell(2, 1).font, ws.cell(2, 1).alignment = Font(name="宋体", size=10), LEFT
    ws.row_dimensions[2].height = 30

    for col, text in enumerate(heads, start=1):
        c = ws.cell(3, col)
        set_text(c, text)
        c.font, c.fill, c.alignment, c.border = BOLD, HEADER_FILL, CENTER, BORDER
    ws.row_dimensions[3].height = 42

    for n, r in enumerate(rows):
        row = 4 + n
        s, nominee = r.score, r.nominee
        values = [r.rank if r.rank is not None else "—", nominee.unit, nominee.name, nominee.category or ""]
        values += [s.items[i.name].score if i.name in s.items else None for i in items]
        values += [s.total, s.self_total, len(s.judges) or None,
                   "是" if r.selected else "否", "是" if r.recommended else "", "；".join(r.tie_notes),
                   "；".join(_remarks(r))]
        for col, v in enumerate(values, start=1):
            c = ws.cell(row, col)
            set_value(c, v)
            c.border, c.font = BORDER, BODY
            c.alignment = LEFT if col in (2, 3, tie_col, note_col) else CENTER
        for k, item in enumerate(items):
            if item.name in s.items and s.items[item.name].from_self:
                ws.cell(row, first_item + k).fill = WARN_FILL
        ws.cell(row, total_col).font = Font(name="宋体", size=10, bold=True)
        for col in range(first_item, total_col + 2):
            ws.cell(row, col).number_format = number_format
        if r.selected:
            ws.cell(row, total_col + 3).fill = OK_FILL
        if r.recommended:
            ws.cell(row, total_col + 4).fill = RECOMMEND_FILL
        if not r.eligible or r.rank is None:
            for col in range(1, last + 1):
                ws.cell(row, col).fill = BARRED_FILL
                ws.cell(row, col).font = GREY

    end = 3 + len(rows)
    widths = {1: 5, 2: fit_width([r.nominee.unit for r in rows], 10, 20), 3: fit_width([r.nominee.name for r in rows], 8, 22),
              4: 8, total_col: 8, total_col + 1: 8, total_col + 2: 8.5, total_col + 3: 8.5, total_col + 4: 8.5,
              tie_col: 34, note_col: 30}
    for col in range(1, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 8)
    for n, r in enumerate(rows):
        texts = [(r.nominee.unit, widths[2]), (r.nominee.name, widths[3]),
                 ("；".join(r.tie_notes), widths[tie_col]), ("；".join(_remarks(r)), widths[note_col])]
        ws.row_dimensions[4 + n].height = max(20, 13 * max(wrapped_lines(t, w, 1.3) for t, w in texts) + 5)

    legend = end + 2
    ws.merge_cells(start_row=legend, start_column=1, end_row=legend, end_column=last)
    set_text(ws.cell(legend, 1), "说明：各项得分为评委评分的"
             f"{_method_words(award)}，保留{award.rubric.aggregation.decimals}位小数（四舍五入）；"
             "总分由各项未舍入的得分相加后四舍五入，与各项显示值之和可能相差0.01；"
             "黄色底纹为尚无评委评分、以单位自评分代分的项目；灰色行为不符合条件或尚无评分的对象，不参与排名。")
    ws.cell(legend, 1).font, ws.cell(legend, 1).alignment = Font(name="宋体", size=9), LEFT
    ws.row_dimensions[legend].height = 28

    ws.freeze_panes = ws.cell(4, 4)
    ws.auto_filter.ref = f"A3:{get_column_letter(last)}{max(end, 4)}"
    ws.print_title_rows = "3:3"
    print_setup(ws, centered=True)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def all_items(award: Award) -> list:
    """The award's items, then those only a category's own rubric has (seed 001 第四类), by name."""
    out = list(award.rubric.items)
    for rubric in award.category_rubrics.values():
        out += [i for i in rubric.items if all(i.name != o.name for o in out)]
    return out


def _method_words(award: Award) -> str:
    agg = award.rubric.aggregation
    if agg.method == "trimmed_mean":
        return f"去掉{agg.trim}个最高分和{agg.trim}个最低分后的平均值"
    if agg.method == "weighted_groups":
        return "分组平均后按" + "、".join(f"{g.name}{num(g.weight * 100)}%" for g in agg.groups) + "加权"
    return "平均值"


def _remarks(r: Ranked) -> list[str]:
    out = []
    if not r.eligible:
        out.append("不符合条件：" + "；".join(r.ineligible))
    elif r.status and r.status not in ("入选",):
        out.append(r.status)
    out += r.score.flags
    out += [f"推荐材料问题：{p}" for p in r.nominee.problems]
    return out


def _detail_sheet(ws, campaign: Campaign, ranked: dict[str, list[Ranked]]) -> None:
    """Every judge's mark per item, for checking the aggregate by hand."""
    width = max((len(all_items(a)) for a in campaign.awards if a.id in ranked), default=0)
    # 扣分及原因 only when some judge entered rule observations (not just item scores)
    why_col = any(i.reasons for rows in ranked.values() for r in rows for i in r.score.items.values())
    last = 4 + width + 1 + why_col
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    set_text(ws.cell(1, 1), "评委评分明细")
    ws.cell(1, 1).font, ws.cell(1, 1).alignment = TITLE, CENTER
    ws.row_dimensions[1].height = 30
    row = 2
    units, names = [], []
    for award in campaign.awards:
        if award.id not in ranked:
            continue
        items = all_items(award)
        heads = ["奖项", "推荐单位", "名称", "评委"] + [item_header(i) for i in items]
        heads += [""] * (width - len(items)) + ["合计"] + ["扣分及原因"] * why_col
        for col, text in enumerate(heads, start=1):
            c = ws.cell(row, col)
            set_text(c, text)
            c.font, c.fill, c.alignment, c.border = BOLD, HEADER_FILL, CENTER, BORDER
        ws.row_dimensions[row].height = 36
        row += 1
        for r in ranked[award.id]:
            s = r.score
            judges = sorted({j for i in s.items.values() for j in i.per_judge})
            for judge in judges or ["（无评委评分）"]:
                marks = [s.items[i.name].per_judge.get(judge) if i.name in s.items else None for i in items]
                filled = [m for m in marks if m is not None]
                why = [x.split("：", 1)[1] for i in items if i.name in s.items for x in s.items[i.name].reasons
                       if x.startswith(f"{judge}：")]
                values = [award.name, r.nominee.unit, r.nominee.name, judge] + marks + [None] * (width - len(items))
                values += [round(sum(filled), 4) if filled else None] + ["；".join(why)] * why_col
                for col, v in enumerate(values, start=1):
                    c = ws.cell(row, col)
                    set_value(c, v)
                    c.border, c.font = BORDER, BODY
                    c.alignment = LEFT if col in (1, 2, 3) or (why_col and col == last) else CENTER
                units.append(r.nominee.unit)
                names.append(r.nominee.name)
                ws.row_dimensions[row].height = max(18, 13 * wrapped_lines("；".join(why), 36, 1.3) + 5)
                row += 1
        row += 1
    widths = {1: 14, 2: fit_width(units, 10, 20), 3: fit_width(names, 8, 22), 4: 8, 4 + width + 1: 7, last: 36 if why_col else 7}
    for col in range(1, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 8)
    ws.freeze_panes = "E3"
    print_setup(ws, centered=True)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

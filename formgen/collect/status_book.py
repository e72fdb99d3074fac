"""收件情况.xlsx: what each unit sent, every problem, every file received.

Sheet 1 has one row per unit with one column per expected form (已收 with date
and route, or 未收); sheet 2 lists every problem with the file and field; sheet
3 lists every file received with how it was identified. All text is written
as literal text (``formgen.xlsx.set_text``): a unit name like "=1+1" stays text.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from formgen.campaign.model import Campaign
from formgen.collect.checks import UNIT_METHODS
from formgen.collect.correction_history import corrections_sheet
from formgen.collect.inbox import file_rows
from formgen.collect.review_book import HEADERS as REVIEW_HEADERS, WIDTHS as REVIEW_WIDTHS, ReviewColumns, take_review
from formgen.collect.labels import field_label, form_title
from formgen.ledger.crops import crops_by_value
from formgen.ledger.db import Ledger
from formgen.ledger.files import route_label
from formgen.ledger.forms import all_forms, list_problems
from formgen.ledger.views import unit_status
from formgen.outputs import write_file
from formgen.workspace import Workspace
from formgen.xlsx import BORDER, ERROR_FILL, OK_FILL, WARN_FILL, WRAP, header_row, print_setup, set_text, set_value

BOOK_NAME = "收件情况.xlsx"  # in out/collect/
SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}
BASIS_LABELS = {"email": "邮件发送时间", "mtime": "文件修改时间"}


def _when(dt) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""


def _row(ws, r: int, values: list, fill=None, widths: list[float] | None = None) -> None:
    lines = 1
    for c, v in enumerate(values, start=1):
        cell = ws.cell(row=r, column=c)
        set_value(cell, v)
        cell.border = BORDER
        cell.alignment = WRAP
        if fill is not None:
            cell.fill = fill
        if widths and isinstance(v, str) and c <= len(widths):
            # Excel sizes rows itself, LibreOffice and WPS do not: set the height from the wrapped text.
            room = max(2.0, widths[c - 1] - 1)
            lines = max(lines, sum(-(-max(_width(x), 1) // int(room)) for x in v.split("\n")))
    ws.row_dimensions[r].height = 15 * min(lines, 12)


def _width(text: str) -> int:
    """Columns a text takes in a cell: CJK and full-width characters count two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)




def write_status_book(ledger: Ledger, ws: Workspace, path: Path) -> Path:
    """Rewrite 收件情况.xlsx — after recording what staff wrote in its review columns, so that
    no staff entry is overwritten unread (formgen.collect.review_book)."""
    review = take_review(ledger, ws, path)
    if review.recorded:  # staff changed values since the checks ran: check again
        from formgen.collect.checks import identify_units, run_checks

        identify_units(ledger, ws)
        run_checks(ledger, ws)
    campaign = ws.campaign
    wb = Workbook()
    _units_sheet(wb.active, ledger, ws)
    _problems_sheet(wb.create_sheet("问题清单"), ledger, campaign, review.pending)
    _files_sheet(wb.create_sheet("收到的文件"), ledger, campaign)
    corrections_sheet(wb.create_sheet("人工更正"), ledger, campaign, all_forms(ledger))
    # atomic; beside the old one when Excel has it open or it holds entries that could not be read
    return write_file(path, wb.save, keep_old=review.keep_old)


def _units_sheet(sh, ledger: Ledger, ws: Workspace) -> None:
    campaign = ws.campaign
    rows = unit_status(ledger, campaign, ws.units)
    sh.title = "各单位收件情况"
    labels = [e.label for e in rows[0].expected] if rows else []
    widths = [6, 22, 10, *[22] * len(labels), 11, 10]
    header_row(sh, 1, ["序号", "单位", "类别", *labels, "问题\n（错误/提醒）", "情况"], widths)
    for i, st in enumerate(rows, start=1):
        r = i + 1
        cells: list = [i, st.unit + ("" if st.listed else "（不在名单中）"), st.category or ""]
        fills = []
        for e in st.expected:
            if e.arrivals:
                lines = [f"已收 {_when(a.arrived_at)}（{route_label(a.route)}）" for a in e.arrivals]
                if e.missing:
                    lines.append(f"还差 {e.missing} 份")
                cells.append("\n".join(lines))
                fills.append(WARN_FILL if e.missing or 0 < e.need < len(e.arrivals) else OK_FILL)
            elif e.need == 0:  # not this unit's form (its category) or voluntary
                cells.append("—")
                fills.append(None)
            else:
                cells.append("未收")
                fills.append(ERROR_FILL)
        cells.append(f"{st.errors}/{st.warnings}" if st.errors or st.warnings else "0")
        owed = len(st.owed)
        cells.append("齐全" if not owed else f"缺 {owed} 项")
        _row(sh, r, cells, widths=widths)
        for j, fill in enumerate(fills):
            if fill is not None:
                sh.cell(row=r, column=4 + j).fill = fill
        if st.errors:
            sh.cell(row=r, column=4 + len(fills)).fill = ERROR_FILL
    sh.freeze_panes = "C2"
    sh.auto_filter.ref = sh.dimensions
    note = sh.cell(row=len(rows) + 3, column=2)
    set_text(note, f"报送截止时间：{campaign.deadlines.submit:%Y-%m-%d %H:%M}。"
                   "时间为邮件发送时间（电子邮件报送）或文件修改时间（其他途径）。")
    note.font = Font(italic=True, color="666666")
    sh.row_dimensions[1].height = 30
    print_setup(sh, title_rows="1:1")


def _problems_sheet(sh, ledger: Ledger, campaign: Campaign, pending: dict | None = None) -> None:
    widths = [18, 9, 40, 24, 16, 9, 60, 12, 60, *REVIEW_WIDTHS]
    header_row(sh, 1, ["单位", "文件编号", "文件", "表格", "字段", "严重程度", "说明", "处理情况", "原件截图",
                       *REVIEW_HEADERS], widths)
    review = ReviewColumns(ledger, sh, 10, pending)  # staff confirm or correct flagged values here
    crops = crops_by_value(ledger)
    r = 2
    for p in list_problems(ledger):
        fill = None if p.resolved else (ERROR_FILL if p.severity == "error" else None)
        _row(sh, r, [p.unit or "未识别单位", p.receipt_id, p.file, form_title(campaign, p.form_type),
                     field_label(campaign, p.form_type, p.field), SEVERITY_LABELS.get(p.severity, p.severity),
                     p.message, "已确认无误" if p.confirmed else "已人工更正" if p.resolved else ""], fill, widths[:8])
        decided = review.write(r, p)
        if decided and decided.startswith("未记录"):
            set_text(sh.cell(row=r, column=8), decided)
        png = crops.get((p.form_id, p.field)) if p.form_id is not None and p.field else None
        if png:  # the cell the OCR value was read from: staff confirm or correct it in this row
            _picture(sh, r, 9, png)
        r += 1
    sh.freeze_panes = "A2"
    sh.auto_filter.ref = sh.dimensions
    review.finish(r + 1)
    sh.row_dimensions[1].height = 30
    print_setup(sh, title_rows="1:1")


def _picture(sh, row: int, col: int, png: bytes, max_w: int = 420, max_h: int = 200) -> None:
    """A crop image anchored in (row, col), scaled to fit; the row grows to show it."""
    from io import BytesIO

    from openpyxl.drawing.image import Image as XLImage
    from openpyxl.utils import get_column_letter

    try:
        img = XLImage(BytesIO(png))
    except Exception:  # a crop PIL cannot open: the problem line is still there
        return
    f = min(1.0, max_w / max(img.width, 1), max_h / max(img.height, 1))
    img.width, img.height = int(img.width * f), int(img.height * f)
    sh.add_image(img, f"{get_column_letter(col)}{row}")
    points = img.height * 0.75 + 4  # pixels → points
    sh.row_dimensions[row].height = max(sh.row_dimensions[row].height or 15, points)


def _files_sheet(sh, ledger: Ledger, campaign: Campaign) -> None:
    widths = [7, 44, 11, 24, 17, 13, 17, 18, 13, 36, 10]
    header_row(sh, 1, ["编号", "文件", "来源/途径", "发件人", "时间", "时间依据", "收取时间", "单位", "单位依据",
                       "识别结果", "方法"], widths)
    r = 2
    for row in file_rows(ledger, campaign):
        rc = row.receipt
        fill = ERROR_FILL if rc.status == "error" else None
        results, methods = row.results, row.methods
        _row(sh, r, [rc.id, rc.label, route_label(rc.route), rc.sender or "", _when(rc.arrived_at),
                     BASIS_LABELS.get(rc.arrived_basis or "", ""), _when(rc.received_at), rc.unit or "未识别",
                     UNIT_METHODS.get(rc.unit_method or "", ""), "\n".join(results) or "（无内容）",
                     "、".join(methods)], fill, widths)
        r += 1
    sh.freeze_panes = "B2"
    sh.auto_filter.ref = sh.dimensions
    sh.row_dimensions[1].height = 30
    print_setup(sh, title_rows="1:1")

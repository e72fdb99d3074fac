"""公示名单: the list of those to be commended, published for a period of working days.

One .docx to print and post (title, the campaign's intro, one ruled list per
award, the period, how to object, who publishes it and when) and one .xlsx
with the same lists for the website or further editing, plus an internal
sheet with ranks and scores.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from formgen import docxkit as dk
from formgen.campaign.model import Award
from formgen.publish import layout
from formgen.publish.model import (PublishInput, Winner, award_title, cn_date, counter, fill, ordered,
                                   person_affiliation, post_display, text_vars)
from formgen.publish.workdays import Period, working_period
from formgen.xlsx import BORDER, CENTER, WRAP, header_row, print_setup, set_text, set_value, sheet_title
from formgen.outputs import write_file

_ORDINALS = "一二三四五六七八九十"


@dataclass
class Column:
    header: str
    width_mm: float  # in the .docx
    width_chars: float  # in the .xlsx
    value: Callable[[int, Winner], str]  # (position in the list, winner) -> cell text
    align: object = dk.CENTER


def columns(award: Award, winners: list[Winner] | None = None,
            extra: list[tuple[str, str]] | tuple = ()) -> list[Column]:
    """The columns a list of ``award``'s winners prints (a hall or window that is its own
    推荐单位 gets no second column repeating its name), then one per ``extra`` (label, field
    key) of publication.list_fields, whose width the widest column gives up."""
    cols = _base_columns(award, winners)
    if not extra:
        return cols
    widest = max(cols[1:], key=lambda c: c.width_mm)
    for label, key in extra:
        take = min(24.0, widest.width_mm - 24)
        if take <= 0:
            break
        widest.width_mm -= take
        widest.width_chars = max(10.0, widest.width_chars - 10)
        cols.append(Column(label, take, 12, lambda i, w, k=key: w.listed_fields.get(k, "")))
    return cols


def listed_columns(data: PublishInput) -> list[tuple[str, str]]:
    """(label, key) of the form fields publication.list_fields adds to the list."""
    labels = {f.key: f.label for spec in data.campaign.form_specs() for f in spec.fields}
    return [(labels.get(k, k), k) for k in data.campaign.publication.list_fields]


def _base_columns(award: Award, winners: list[Winner] | None) -> list[Column]:
    seq = Column("序号", 16, 6, lambda i, w: str(i))
    if award.subject == "person":
        return [seq, Column("姓名", 34, 12, lambda i, w: w.name),
                Column("单位及职务", 106, 50, lambda i, w: person_affiliation(w), dk.LEFT)]
    if award.subject == "post":
        # 岗位名称 (often 15–19 characters) gets the width so that each row is one line: 20 names fit 2 pages
        return [seq, Column("推荐单位", 40, 28, lambda i, w: w.unit, dk.LEFT),
                Column("岗位名称", 100, 36, lambda i, w: w.name, dk.LEFT)]
    if winners and all(w.name == w.unit for w in winners):
        return [seq, Column("名称", 140, 64, lambda i, w: w.name, dk.LEFT)]
    return [seq, Column("名称", 78, 36, lambda i, w: w.name, dk.LEFT),
            Column("推荐单位", 62, 28, lambda i, w: w.unit, dk.LEFT)]


def sort_rule(data: PublishInput, award: Award) -> str:
    pub = data.campaign.publication
    return pub.sort_people if award.subject == "person" else pub.sort_posts


def listed(data: PublishInput, award: Award) -> list[Winner]:
    return ordered(data.winners(award.id), sort_rule(data, award), data.unit_order)


def period(data: PublishInput) -> Period:
    """The publicity period: from the list's date (or the next working day), N working days."""
    return working_period(data.decided_on, data.campaign.deadlines.publicity_working_days)


def period_text(p: Period) -> str:
    end = cn_date(p.end) if p.end.year != p.start.year else cn_date(p.end).split("年", 1)[1]
    return f"公示时间：{cn_date(p.start)}至{end}（{p.working_days}个工作日）。"


def issuer_names(data: PublishInput) -> list[str]:
    pub, issuer = data.campaign.publication, data.campaign.issuer
    if pub.publicity_issuer:
        return [n for n in pub.publicity_issuer.replace("\u3000", " ").split(" ") if n]
    return list(issuer.offices)


def section_heading(index: int, award: Award, n: int) -> str:
    return f"{_ORDINALS[index] if index < 10 else index + 1}、“{award_title(award)}”（{n}{counter(award)}）"


# ---------------------------------------------------------------------------- .docx


def write_docx(data: PublishInput, path: Path) -> Path:
    pub = data.campaign.publication
    doc = layout.new_document()
    layout.title(doc, pub.publicity_title, after_lines=1)
    layout.body_par(doc, fill(pub.publicity_intro, text_vars(data)))
    for i, award in enumerate(data.campaign.awards):
        winners = listed(data, award)
        h = layout.heading(doc, section_heading(i, award, len(winners)))
        if sort_rule(data, award) == "stroke_order":
            dk.add_run(h, "（按姓氏笔画排序）" if award.subject == "person" else "（按笔画排序）", dk.FANGSONG,
                       dk.BODY_PT)
        h.paragraph_format.keep_with_next = True
        cols = columns(award, winners, listed_columns(data))
        rows = [[c.value(n, w) for c in cols] for n, w in enumerate(winners, start=1)]
        layout.list_table(doc, [c.header for c in cols], rows, [c.width_mm for c in cols],
                          align_cols=[c.align for c in cols])
        layout.blank_lines(doc, 1)
    layout.body_par(doc, period_text(period(data)))
    if pub.publicity_contact:
        layout.body_par(doc, fill(pub.publicity_contact, text_vars(data)))
    layout.signature(doc, issuer_names(data), cn_date(data.decided_on), blank_before=1)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


# ---------------------------------------------------------------------------- .xlsx


def write_xlsx(data: PublishInput, path: Path) -> Path:
    pub = data.campaign.publication
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    p = period(data)
    for award in data.campaign.awards:
        ws = wb.create_sheet(sheet_title(award.name, taken, "名单"))
        cols = columns(award, listed(data, award), listed_columns(data))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
        set_text(ws.cell(1, 1), f"{pub.publicity_title}——“{award_title(award)}”")
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[1].height = 40
        header_row(ws, 2, [c.header for c in cols], [c.width_chars for c in cols])
        for n, w in enumerate(listed(data, award), start=1):
            for col, c in enumerate(cols, start=1):
                cell = ws.cell(2 + n, col)
                if col == 1:
                    set_value(cell, n)
                else:
                    set_text(cell, c.value(n, w))
                cell.border = BORDER
                cell.alignment = CENTER if c.align == dk.CENTER else WRAP
        last = ws.max_row + 2
        set_text(ws.cell(last, 1), period_text(p))
        ws.freeze_panes = "A3"
        print_setup(ws, landscape=False, title_rows="2:2", centered=True)
    _internal_sheet(wb, data, taken)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_file(path, wb.save)


def _internal_sheet(wb, data: PublishInput, taken: set[str]) -> None:
    """Ranks, scores and upward recommendations: for the office, not for posting."""
    ws = wb.create_sheet(sheet_title("评定结果（内部，勿公开）", taken, "名单"))
    header_row(ws, 1, ["奖项", "名次", "名称/姓名", "推荐单位", "单位及职务", "总分", "推荐参加上级评选"],
               [16, 6, 30, 28, 40, 8, 14])
    row = 2
    for award in data.campaign.awards:
        for w in sorted(data.winners(award.id), key=lambda w: w.rank):
            values = [award.name, w.rank, w.name if award.subject == "person" else post_display(w), w.unit,
                      w.unit_title, w.total, "是" if w.recommended_up else ""]
            for col, v in enumerate(values, start=1):
                set_value(ws.cell(row, col), v)
                ws.cell(row, col).border = BORDER
            row += 1
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1", centered=True)


def write(data: PublishInput, out_dir: Path) -> list[Path]:
    """公示名单.docx and 公示名单.xlsx in ``out_dir``."""
    return [write_docx(data, out_dir / "公示名单.docx"), write_xlsx(data, out_dir / "公示名单.xlsx")]


def period_is_exact(data: PublishInput) -> bool:
    """False when the period's year is beyond chinese_calendar's holiday data (Mon–Fri was assumed)."""
    return period(data).exact


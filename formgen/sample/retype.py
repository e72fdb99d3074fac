"""Forms a unit retyped in its own Word file instead of filling the issued blank.

Such files carry no anchors (no bookmarks, no custom properties): only the
labels tell what a cell holds, spelt the unit's way (姓  名, 出生日期, 学历,
工作单位及职务), printed one character per line, with merged cells, a photo
box, and printed placeholders left in — as the returns in shared/corpus do.
A layout is a small dict so that each retyping unit looks different.
"""
from __future__ import annotations

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from formgen import docxkit as dk
from formgen.campaign.model import RubricItem

SONG = dk.SONGTI
FANG = "仿宋"  # what a unit's own Word typically offers, not the _GB2312 font
SIZE = dk.SIZE["小四"]
SMALL = dk.SIZE["五号"]


def _new(landscape: bool = False):
    doc = docx.Document()
    dk.set_document_defaults(doc, SONG, SIZE)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Mm(25 if not landscape else 20))
    sec.top_margin, sec.bottom_margin = Mm(25), Mm(20)
    return doc


def _title(doc, kind: str, attach_no: int, title: str, year_title: str):
    if kind == "attach":
        dk.add_par(doc, f"附件{attach_no}", dk.HEITI, dk.SIZE["三号"])
    text = year_title if kind == "year" else title
    dk.add_par(doc, text, dk.HEITI if kind != "year" else SONG, dk.SIZE["二号" if kind != "year" else "小二"],
              bold=kind == "year", align=dk.CENTER, after_pt=10)


def _label_text(label: str, style: str) -> str:
    """A label as printed: flat, two characters per line, or one character per line."""
    bare = label.replace(" ", "").replace("\u3000", "")
    if style == "chars":
        return "\n".join(bare)
    if style == "pairs":
        return "\n".join(bare[i:i + 2] for i in range(0, len(bare), 2))
    return label


def _label(cell, text: str, bold: bool = False):
    dk.cell_text(cell, text, SONG, SIZE, bold=bold)


def _value(cell, lines, align=dk.LEFT, indent: bool = False, valign: str = "center", font: str = FANG):
    """Typed text; ``lines`` a string or list of paragraphs."""
    lines = [lines] if isinstance(lines, str) else list(lines or [])
    dk.cell_text(cell, "\n".join(lines) if lines else "", font, SIZE, align=align, valign=valign)
    if indent:
        for p in cell.paragraphs:
            dk.first_line_indent(p, 2, SIZE)


def _stamp(cell, opinion: str | None, indent: str = "　　"):
    """Opinion text, then the printed 盖章 / date lines left as they were."""
    dk.cell_text(cell, (indent + opinion) if opinion else "", FANG, SIZE, align=dk.LEFT, valign="top")
    dk.add_par(cell, "", size=SIZE)
    dk.add_par(cell, "（盖章）", SONG, SIZE, align=dk.RIGHT).paragraph_format.right_indent = Mm(25)
    dk.add_par(cell, "年   月   日", SONG, SIZE, align=dk.RIGHT).paragraph_format.right_indent = Mm(8)


def _table(doc, rows: int, widths_mm: list[float]):
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.style = doc.styles["Table Grid"]
    dk.set_col_widths(t, widths_mm)
    return t


def retype_application(c: dict, typed: dict, lay: dict):
    """附件4 in a unit's own layout. ``typed`` holds the short values as the clerk typed them."""
    doc = _new()
    _title(doc, lay.get("title", "attach"), 4, "“勤廉标兵”候选人申报表", "2014年度瑞安市“勤廉标兵”候选人申报表")
    photo = lay.get("photo", False)
    widths = [22, 26, 16, 20, 22, 30] + ([26] if photo else [])
    below = lay.get("deeds_mode") == "below"
    t = _table(doc, 8 if below else 7, widths)
    last = len(widths) - 1
    vcol = last - 1 if photo else last  # last value column left of the photo
    long = lay.get("long_label", "chars")
    r0 = t.rows[0].cells
    for cell, text in zip(r0, [lay.get("name_label", "姓  名"), None, lay.get("gender_label", "性别"), None,
                               lay.get("birth_label", "出生年月"), None]):
        if text:
            _label(cell, text)
    _value(r0[1], typed["name"], align=dk.CENTER)
    _value(r0[3], typed["gender"], align=dk.CENTER)
    _value(r0[5], typed["birth"], align=dk.CENTER)
    if photo:
        dk.merge(t, 0, last, 2, last)
        _label(t.cell(0, last), "照\n片")
    _label(t.cell(1, 0), lay.get("unit_label", "单位及职务"))
    dk.merge(t, 1, 1, 1, vcol)
    _value(t.cell(1, 1), typed["unit_title"], align=dk.CENTER)
    _label(t.cell(2, 0), lay.get("pol_label", "政治面貌"))
    _value(t.cell(2, 1), typed["political"], align=dk.CENTER)
    _label(t.cell(2, 2), lay.get("edu_label", "文化程度"))
    dk.merge(t, 2, 3, 2, vcol)
    _value(t.cell(2, 3), typed["education"], align=dk.CENTER)
    rows = [("主要工作简历", c["resume"], False), ("曾获荣誉", c["honors"], False)]
    for r, (label, lines, _) in enumerate(rows, start=3):
        _label(t.cell(r, 0), _label_text(label, long))
        dk.merge(t, r, 1, r, last)
        _value(t.cell(r, 1), lines)
    deeds = list(c["deeds"])
    if lay.get("keep_ph", True):
        deeds = ["（500字左右事迹简述，可附页）", *deeds]
    if below:
        dk.merge(t, 5, 0, 5, last)
        _label(t.cell(5, 0), "主要事迹")
        dk.merge(t, 6, 0, 6, last)
        _value(t.cell(6, 0), deeds, indent=True, valign="top")
        op_row = 7
    else:
        _label(t.cell(5, 0), _label_text("主要事迹", long))
        dk.merge(t, 5, 1, 5, last)
        _value(t.cell(5, 1), deeds, indent=True, valign="top")
        op_row = 6
    _label(t.cell(op_row, 0), _label_text("推荐单位意见", long))
    dk.merge(t, op_row, 1, op_row, last)
    _stamp(t.cell(op_row, 1), typed.get("recommender_opinion"))
    heights = [11, 11, 11, 40, 22] + ([9, 95] if below else [95]) + [36]
    for row, mm in zip(t.rows, heights):
        dk.set_row_height(row, mm)
    if lay.get("note", True):
        dk.add_par(doc, "注：报送同时请附3000字左右的详细事迹材料。", SONG, SMALL, before_pt=4)
    return doc


def retype_nomination(post: dict, typed: dict, lay: dict):
    """附件3 in a unit's own layout."""
    doc = _new()
    _title(doc, lay.get("title", "attach"), 3, "“十大效能示范岗”推荐表", "2014年度“十大效能示范岗”推荐表")
    colon = "：" if lay.get("unit_line", "fw") == "fw" else ":"
    dk.add_par(doc, f"推荐单位{colon}{typed['recommending_unit']}", SONG, SIZE, after_pt=4)
    t = _table(doc, 5, [36, 30, 40, 50])
    long = lay.get("long_label", "chars")
    _label(t.cell(0, 0), lay.get("post_label", "被推荐岗位"))
    dk.merge(t, 0, 1, 0, 3)
    _value(t.cell(0, 1), typed["post"], align=dk.CENTER)
    _label(t.cell(1, 0), lay.get("headcount_label", "被推荐岗位人数"))
    _value(t.cell(1, 1), typed["headcount"], align=dk.CENTER)
    _label(t.cell(1, 2), lay.get("leader_label", "被推荐岗位\n主要负责人"))
    _value(t.cell(1, 3), typed["post_leader"], align=dk.CENTER)
    _label(t.cell(2, 0), lay.get("duties_label", "被推荐岗位\n主要职责"))
    dk.merge(t, 2, 1, 2, 3)
    _value(t.cell(2, 1), post["duties"])
    _label(t.cell(3, 0), _label_text(lay.get("practices_label", "主要做法和成效"), long))
    dk.merge(t, 3, 1, 3, 3)
    practices = list(post["practices"])
    if lay.get("keep_ph", True):
        practices = ["（可另附页）", *practices]
    _value(t.cell(3, 1), practices, indent=True, valign="top")
    _label(t.cell(4, 0), lay.get("opinion_label", "镇街党（工）委\n或市级部门党委（组）\n意　　见"))
    dk.merge(t, 4, 1, 4, 3)
    _stamp(t.cell(4, 1), typed.get("party_opinion"))
    for row, mm in zip(t.rows, [12, 14, 30, 120, 40]):
        dk.set_row_height(row, mm)
    return doc


def retype_score_sheet(title: str, attach_no: int, items: list[RubricItem], scores: list[str], lay: dict,
                       unit: str, subject_label: str | None = None, subject: str | None = None):
    """附件1/附件2 in a unit's own layout: 项目 | 分值 | 评选标准 | 考核方式 | 自评得分 (| 备注)."""
    doc = _new(landscape=lay.get("landscape", False))
    _title(doc, lay.get("title", "attach"), attach_no, title, title)
    dk.add_par(doc, f"单位（盖章）：{unit}", SONG, SIZE, after_pt=2)
    if subject_label and subject:
        dk.add_par(doc, f"{subject_label}：{subject}", SONG, SIZE, after_pt=4)
    heads = ["项目", "分值", "评选标准", "考核方式", lay.get("header", "自评得分")]
    widths = [20, 16, 90, 24, 20]
    remark = lay.get("remark_col", False)
    if remark:
        heads.append("备注")
        widths = [20, 16, 78, 22, 18, 16]
    total = lay.get("total_row", False)
    t = _table(doc, len(items) + 1 + (1 if total else 0), widths)
    for cell, h in zip(t.rows[0].cells, heads):
        _label(cell, h, bold=True)
    for n, (item, score) in enumerate(zip(items, scores), start=1):
        cells = t.rows[n].cells
        _label(cells[0], item.name)
        _label(cells[1], f"{item.max:g}分")
        dk.cell_text(cells[2], item.content or "", SONG, SMALL, align=dk.JUSTIFY)
        dk.cell_text(cells[3], "\n".join((item.method or "").split("、")), SONG, SMALL)
        _value(cells[4], score, align=dk.CENTER)
    if total:
        cells = t.rows[len(items) + 1].cells
        _label(cells[0], "合计")
        _label(cells[1], f"{sum(i.max for i in items):g}分")
        _value(cells[4], lay["total_text"], align=dk.CENTER)
    return doc

"""Builds the office forms of tests/data/office_forms/: Word forms formgen did not generate.

Each is typed the way an office types its own form in Word or WPS (python-docx only, no formgen
code): labels padded with spaces, label and blank in one cell, □是 □否, a 照片 cell over several
rows, vertical labels (one character per line, and real ``tbRlV`` text), labels above their
blanks, merged cells and sub-labels, a form without grid lines, a form in two tables, a title
inside the table, and two 评分表 (one with sub-items under a merged 项目 cell, one with a 合计
row). WPS-like files carry ``KSOProductBuildVer`` in docProps/custom.xml and WPS's app name, as
files last saved by WPS do (../shared/spec/office-forms.md).

Also the bad inputs of ``bad/`` and the office's own notice ``通知.docx``.

Run: ``.venv/bin/python tests/data/office_forms/make_office_forms.py`` (writes next to itself;
``bad/推荐表.doc`` needs LibreOffice and is kept when it cannot be made).
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).parent


# ------------------------------------------------------------------ typing helpers (an office's habits)

def _font(run, name: str, size: float, bold: bool = False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def par(doc, text: str, font: str = "仿宋_GB2312", size: float = 16, bold=False, center=False):
    p = doc.add_paragraph()
    if text:
        _font(p.add_run(text), font, size, bold)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def title(doc, text: str, font: str = "方正小标宋简体", size: float = 22):
    return par(doc, text, font, size, center=True)


def put(cell, text: str, font: str = "宋体", size: float = 12, center=True):
    """Cell text; \\n starts a new paragraph (as Enter does)."""
    lines = text.split("\n")
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if line:
            _font(p.add_run(line), font, size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return cell


def vertical(cell, text: str):
    """Real vertical text (w:textDirection tbRlV), as Word's 文字方向 writes it."""
    put(cell, text)
    tcpr = cell._tc.get_or_add_tcPr()
    td = OxmlElement("w:textDirection")
    td.set(qn("w:val"), "tbRlV")
    tcpr.append(td)


def grid(doc, rows: int, widths_mm: list[float], style: str | None = "Table Grid"):
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    if style:
        t.style = style
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in t.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
    return t


def height(table, row: int, mm: float):
    table.rows[row].height = Mm(mm)


def page(doc, landscape: bool = False):
    s = doc.sections[0]
    if landscape:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
    else:
        s.page_width, s.page_height = Mm(210), Mm(297)
    s.left_margin = s.right_margin = Mm(25)
    s.top_margin, s.bottom_margin = Mm(30), Mm(25)


def bottom_border_only(cell):
    """A layout table's answer cell: only a line to write on."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if edge == "bottom" else "nil")
        if edge == "bottom":
            el.set(qn("w:sz"), "6")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tcpr.append(borders)


def save(doc, name: str, wps: bool = False, folder: Path = HERE) -> Path:
    buf = io.BytesIO()
    doc.core_properties.author = "办公室"
    doc.save(buf)
    data = buf.getvalue()
    if wps:
        data = _as_wps(data)
    path = folder / name
    path.write_bytes(data)
    return path


_WPS_CUSTOM = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
               'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
               '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
               '<vt:lpwstr>2052-11.1.0.12598</vt:lpwstr></property>'
               '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV">'
               '<vt:lpwstr>6A1F0C2E8D8B4C0F9F1A2B3C4D5E6F70</vt:lpwstr></property></Properties>')


def _as_wps(data: bytes) -> bytes:
    """The package as WPS saves it: KSOProductBuildVer in custom.xml, WPS as the application."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            elif info.filename == "_rels/.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdKso" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            dst.writestr(info, body)
        dst.writestr("docProps/custom.xml", _WPS_CUSTOM)
    return out.getvalue()


STAMP = "（盖章）\n年    月    日"


# ------------------------------------------------------------------ the forms

def f01_candidate_word():
    """Word: label left / answer right, 2–3 pairs a row, a 照片 cell over 3 rows, 主要事迹 with a limit."""
    doc = Document()
    page(doc)
    par(doc, "附件2", "黑体", 16)
    title(doc, "2023年度“勤廉标兵”候选人推荐表")
    t = grid(doc, 6, [20, 22, 18, 20, 20, 22, 30])
    r = t.rows
    for i, text in ((0, "姓  名"), (2, "性  别"), (4, "出生年月")):
        put(r[0].cells[i], text)
    for i, text in ((0, "政治面貌"), (2, "文化程度"), (4, "民    族")):
        put(r[1].cells[i], text)
    photo = t.cell(0, 6).merge(t.cell(2, 6))
    put(photo, "照\n片")
    put(r[2].cells[0], "工作单位及职务")
    r[2].cells[1].merge(r[2].cells[5])
    put(r[3].cells[0], "主要事迹\n（不超过800字）")
    r[3].cells[1].merge(r[3].cells[6])
    height(t, 3, 90)
    put(r[4].cells[0], "曾获荣誉")
    r[4].cells[1].merge(r[4].cells[6])
    height(t, 4, 25)
    put(r[5].cells[0], "推荐单位\n意见")
    put(r[5].cells[1].merge(r[5].cells[6]), STAMP, center=False)
    height(t, 5, 35)
    return save(doc, "01_勤廉标兵推荐表_Word.docx")


def f02_window_wps():
    """WPS: the county's 最佳办事窗口 推荐表; a line above the table, unit words (人, 件) in answer cells."""
    doc = Document()
    page(doc)
    par(doc, "附件1", "黑体", 16)
    title(doc, "2025年度“最佳办事窗口”推荐表")
    par(doc, "推荐单位（盖章）：                      填报日期：    年  月  日", size=14)
    t = grid(doc, 6, [28, 50, 28, 50])
    labels = [("窗口名称", "所属单位"), ("窗口负责人", "联系电话"), ("工作人员数", "日均办件量")]
    for row, (a, b) in enumerate(labels):
        put(t.cell(row, 0), a)
        put(t.cell(row, 2), b)
    put(t.cell(2, 1), "人", center=False)
    t.cell(2, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    put(t.cell(2, 3), "件", center=False)
    t.cell(2, 3).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    put(t.cell(3, 0), "群众满意率")
    t.cell(3, 1).merge(t.cell(3, 3))
    put(t.cell(4, 0), "主要事迹\n（3000字左右，可另附页）")
    t.cell(4, 1).merge(t.cell(4, 3))
    height(t, 4, 110)
    put(t.cell(5, 0), "单位意见")
    put(t.cell(5, 1).merge(t.cell(5, 3)), "负责人签字：\n（盖章）\n年    月    日", center=False)
    height(t, 5, 35)
    return save(doc, "02_最佳办事窗口推荐表_WPS.docx", wps=True)


def f03_inline_wps():
    """WPS: ``姓名：______`` — label and blank in the same cell."""
    doc = Document()
    page(doc)
    title(doc, "优秀政务服务工作者登记表")
    t = grid(doc, 4, [80, 80])
    put(t.cell(0, 0), "姓    名：__________", center=False)
    put(t.cell(0, 1), "性    别：______", center=False)
    put(t.cell(1, 0), "出生年月：__________", center=False)
    put(t.cell(1, 1), "政治面貌：__________", center=False)
    cell = t.cell(2, 0).merge(t.cell(2, 1))
    put(cell, "工作单位及职务：______________________________", center=False)
    cell = t.cell(3, 0).merge(t.cell(3, 1))
    put(cell, "主要事迹（500字左右）：\n\n\n\n", center=False)
    height(t, 3, 100)
    return save(doc, "03_优秀工作者登记表_WPS_同格.docx", wps=True)


def f04_options_word():
    """Word: □是 □否, a 4-way choice and □男 □女."""
    doc = Document()
    page(doc)
    title(doc, "“服务之星”推荐表")
    t = grid(doc, 5, [28, 52, 28, 52])
    put(t.cell(0, 0), "姓名")
    put(t.cell(0, 2), "性别")
    put(t.cell(0, 3), "□男  □女")
    put(t.cell(1, 0), "是否党员")
    put(t.cell(1, 1), "□是  □否")
    put(t.cell(1, 2), "联系电话")
    put(t.cell(2, 0), "年度考核")
    put(t.cell(2, 1).merge(t.cell(2, 3)), "□优秀  □称职  □基本称职  □不称职")
    put(t.cell(3, 0), "所在窗口")
    t.cell(3, 1).merge(t.cell(3, 3))
    put(t.cell(4, 0), "主要事迹")
    t.cell(4, 1).merge(t.cell(4, 3))
    height(t, 4, 90)
    return save(doc, "04_服务之星推荐表_Word_选项.docx")


def f05_vertical_word():
    """Word: vertical labels — one character per line (简⏎历) and real tbRlV text."""
    doc = Document()
    page(doc)
    title(doc, "“巾帼建功标兵”申报表")
    t = grid(doc, 5, [14, 40, 24, 40, 40])
    put(t.cell(0, 0).merge(t.cell(0, 1)), "姓    名")
    put(t.cell(0, 3), "工作单位")
    put(t.cell(1, 0).merge(t.cell(1, 1)), "参加工作时间")
    put(t.cell(1, 3), "职    务")
    put(t.cell(2, 0), "简\n\n历")
    t.cell(2, 1).merge(t.cell(2, 4))
    height(t, 2, 50)
    vertical(t.cell(3, 0), "主要事迹")
    t.cell(3, 1).merge(t.cell(3, 4))
    height(t, 3, 100)
    put(t.cell(4, 0), "获\n奖\n情\n况")
    t.cell(4, 1).merge(t.cell(4, 4))
    height(t, 4, 40)
    return save(doc, "05_巾帼标兵申报表_Word_竖排.docx")


def f06_labels_above_wps():
    """WPS: a header row of labels with the blanks right below them, then a full-width label row."""
    doc = Document()
    page(doc)
    title(doc, "青年文明号集体推荐表")
    t = grid(doc, 6, [40, 40, 40, 40])
    for i, text in enumerate(("集体名称", "负责人", "集体人数", "联系电话")):
        put(t.cell(0, i), text)
    height(t, 1, 12)
    put(t.cell(2, 0).merge(t.cell(2, 3)), "主要工作业绩（不超过1500字）")
    t.cell(3, 0).merge(t.cell(3, 3))
    height(t, 3, 100)
    put(t.cell(4, 0).merge(t.cell(4, 3)), "推荐单位意见")
    put(t.cell(5, 0).merge(t.cell(5, 3)), STAMP, center=False)
    height(t, 5, 30)
    return save(doc, "06_青年文明号推荐表_WPS_上下.docx", wps=True)


def f07_merged_sublabels_word():
    """Word: a label merged over two rows with sub-labels (学历: 全日制教育 / 在职教育)."""
    doc = Document()
    page(doc)
    title(doc, "优秀共产党员推荐审批表")
    t = grid(doc, 6, [24, 26, 40, 24, 46])
    put(t.cell(0, 0), "姓名")
    put(t.cell(0, 1).merge(t.cell(0, 2)), "")
    put(t.cell(0, 3), "性别")
    put(t.cell(1, 0), "出生年月")
    t.cell(1, 1).merge(t.cell(1, 2))
    put(t.cell(1, 3), "入党时间")
    put(t.cell(2, 0).merge(t.cell(3, 0)), "学历")
    put(t.cell(2, 1), "全日制\n教育")
    put(t.cell(3, 1), "在职\n教育")
    put(t.cell(2, 3).merge(t.cell(3, 3)), "毕业院校")
    t.cell(2, 4).merge(t.cell(3, 4))
    put(t.cell(4, 0), "主要事迹")
    t.cell(4, 1).merge(t.cell(4, 4))
    height(t, 4, 90)
    put(t.cell(5, 0), "党组织意见")
    put(t.cell(5, 1).merge(t.cell(5, 4)), STAMP, center=False)
    return save(doc, "07_优秀党员审批表_Word_合并.docx")


def f08_no_grid_wps():
    """WPS: a layout table without grid lines; the answers are lines to write on."""
    doc = Document()
    page(doc)
    title(doc, "文明科室申报表")
    t = grid(doc, 4, [30, 50, 30, 50], style=None)
    for row, (a, b) in enumerate((("科室名称", "所属部门"), ("科室负责人", "科室人数"), ("联系人", "联系电话"))):
        put(t.cell(row, 0), a + "：")
        put(t.cell(row, 2), b + "：")
        bottom_border_only(t.cell(row, 1))
        bottom_border_only(t.cell(row, 3))
    put(t.cell(3, 0), "创建情况：")
    cell = t.cell(3, 1).merge(t.cell(3, 3))
    bottom_border_only(cell)
    height(t, 3, 80)
    return save(doc, "08_文明科室申报表_WPS_无框线.docx", wps=True)


def f09_two_tables_word():
    """Word: one form in two tables (基本情况, then 推荐意见 on the next page)."""
    doc = Document()
    page(doc)
    title(doc, "“最美基层干部”推荐表")
    par(doc, "一、基本情况", "黑体", 14)
    t = grid(doc, 3, [30, 50, 30, 50])
    put(t.cell(0, 0), "姓名")
    put(t.cell(0, 2), "性别")
    put(t.cell(1, 0), "出生日期")
    put(t.cell(1, 2), "学历")
    put(t.cell(2, 0), "单位职务")
    t.cell(2, 1).merge(t.cell(2, 3))
    doc.add_page_break()
    par(doc, "二、事迹与意见", "黑体", 14)
    t2 = grid(doc, 2, [30, 130])
    put(t2.cell(0, 0), "主要事迹")
    height(t2, 0, 100)
    put(t2.cell(1, 0), "推荐意见")
    put(t2.cell(1, 1), STAMP, center=False)
    return save(doc, "09_最美基层干部推荐表_Word_两表.docx")


def f10_title_in_table_wps():
    """WPS: the title inside the table, with blanks in it (____年度), and sample data left in a cell."""
    doc = Document()
    page(doc)
    t = grid(doc, 5, [30, 50, 30, 50])
    put(t.cell(0, 0).merge(t.cell(0, 3)), "____年度优秀网格员推荐表", "方正小标宋简体", 18)
    put(t.cell(1, 0), "姓名")
    put(t.cell(1, 2), "出生年月")
    put(t.cell(1, 3), "（例：1985.06）")
    put(t.cell(2, 0), "所在网格")
    put(t.cell(2, 2), "服务户数")
    put(t.cell(3, 0), "身份证号")
    t.cell(3, 1).merge(t.cell(3, 3))
    put(t.cell(4, 0), "主要事迹")
    put(t.cell(4, 1).merge(t.cell(4, 3)), "（请填写，可另附页）", center=False)
    height(t, 4, 90)
    return save(doc, "10_优秀网格员推荐表_WPS_表内标题.docx", wps=True)


def f11_score_subitems_word():
    """Word, landscape: 项目 merged down over its sub-items; group and sub-item maxima; phrase rules."""
    doc = Document()
    page(doc, landscape=True)
    par(doc, "附件2", "黑体", 16)
    title(doc, "“最佳办事窗口”评分表", size=20)
    par(doc, "参评窗口：                        所属单位：", size=14)
    rows = [
        ("服务规范（40分）", "首问负责", 10, "落实首问负责制", "未落实首问负责的，每例扣0.5分，扣完为止"),
        (None, "一次告知", 10, "一次性告知办事要求", "未一次性告知的，每次扣2分"),
        (None, "亮证上岗", 20, "工作人员亮证上岗、着装规范", "查阅考勤和巡查记录，酌情评分"),
        ("办事效率（40分）", "按时办结", 25, "按时办结率达到100%", "按时办结率低于90%的，每低10个百分点扣2分"),
        (None, "群众少跑", 15, "推行网上办、一次办", "酌情评分"),
        ("加分项目（20分）", "创新举措", 20, "有可复制推广的便民举措", "每项加2分，最高加5分"),
    ]
    t = grid(doc, len(rows) + 1, [36, 30, 16, 70, 90, 20])
    for i, text in enumerate(("项目", "子项", "分值", "考核内容", "评分标准", "自评分")):
        put(t.cell(0, i), text, "黑体", 12)
    start = None
    for n, (group, name, mx, content, standard) in enumerate(rows, start=1):
        if group:
            start = n
            put(t.cell(n, 0), group)
        else:
            put(t.cell(start, 0).merge(t.cell(n, 0)), rows[start - 1][0])
        put(t.cell(n, 1), name)
        put(t.cell(n, 2), str(mx))
        put(t.cell(n, 3), content, size=10.5, center=False)
        put(t.cell(n, 4), standard, size=10.5, center=False)
    return save(doc, "11_窗口评分表_Word_子项.docx")


def f12_score_total_wps():
    """WPS, landscape: 项目/分值/考核内容/评分标准/得分 with a 合计 row (the county's own 评分表)."""
    doc = Document()
    page(doc, landscape=True)
    par(doc, "附件2", "黑体", 16)
    title(doc, "“最佳办事窗口”评分表", size=20)
    par(doc, "参评窗口：", size=14)
    rows = [
        ("服务规范", 30, "一次告知、首问负责、限时办结等制度落实到位",
         "未落实首问负责的，每例扣0.5分，扣完为止；未一次性告知的，每次扣2分"),
        ("办事效率", 30, "办件量大、按时办结率高、群众少跑腿", "按时办结率低于90%的，每低10个百分点扣2分"),
        ("群众评价", 25, "群众满意率高，无有效投诉", "有效投诉每件扣5分，扣完为止"),
        ("创新举措", 15, "有可复制推广的便民举措", "由评审组酌情评分"),
    ]
    t = grid(doc, len(rows) + 2, [30, 16, 80, 100, 20])
    for i, text in enumerate(("项  目", "分值", "考核内容", "评分标准", "得分")):
        put(t.cell(0, i), text, "黑体", 12)
    for n, (name, mx, content, standard) in enumerate(rows, start=1):
        put(t.cell(n, 0), name)
        put(t.cell(n, 1), str(mx))
        put(t.cell(n, 2), content, size=10.5, center=False)
        put(t.cell(n, 3), standard, size=10.5, center=False)
    last = len(rows) + 1
    put(t.cell(last, 0), "合  计")
    put(t.cell(last, 1), "100")
    return save(doc, "12_窗口评分表_WPS_合计.docx", wps=True)


def f13_score_bad_total():
    """A 评分表 whose printed maxima (10+20+60=90) do not add up to its printed 合计 (100)."""
    doc = Document()
    page(doc)
    title(doc, "文明科室评分表")
    rows = [("组织领导", 10, "每次扣2分"), ("制度建设", 20, "酌情评分"), ("服务质量", 60, "最高加5分")]
    t = grid(doc, len(rows) + 2, [40, 20, 80, 20])
    for i, text in enumerate(("项目", "分值", "评分标准", "得分")):
        put(t.cell(0, i), text)
    for n, (name, mx, standard) in enumerate(rows, start=1):
        put(t.cell(n, 0), name)
        put(t.cell(n, 1), str(mx))
        put(t.cell(n, 2), standard, center=False)
    put(t.cell(len(rows) + 1, 0), "合计")
    put(t.cell(len(rows) + 1, 1), "100")
    return save(doc, "13_文明科室评分表_合计不符.docx")


def notice():
    """The office's own notice: 主送 line with a blank for the unit, a deadline in the text."""
    doc = Document()
    page(doc)
    title(doc, "关于开展2025年度“最佳办事窗口”评选活动的通知")
    par(doc, "")
    par(doc, "____________：")
    for text in (
        "为进一步优化政务服务，经县效能建设领导小组研究，决定在全县开展2025年度“最佳办事窗口”评选活动。现将有关事项通知如下：",
        "一、评选范围",
        "县级各部门服务窗口和各乡镇便民服务中心窗口。",
        "二、评选名额",
        "评选“最佳办事窗口”8个。",
        "三、推荐要求",
        "各单位推荐1个窗口，填写推荐表（附件1）和自评后的评分表（附件2），于2025年3月31日前报送县效能办督查股。",
        "联系人：何晓梅，电话：0839-7201234。",
        "",
        "附件：1．“最佳办事窗口”推荐表",
        "      2．“最佳办事窗口”评分表",
        "",
    ):
        p = par(doc, text)
        if text and not text.startswith(("一、", "二、", "三、", "附件", " ")):
            p.paragraph_format.first_line_indent = Pt(32)
    par(doc, "青川县机关效能建设领导小组办公室").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    par(doc, "2025年3月10日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return save(doc, "通知.docx")


# ------------------------------------------------------------------ bad inputs

def bad_inputs():
    bad = HERE / "bad"
    bad.mkdir(exist_ok=True)
    doc = Document()
    title(doc, "“最佳办事窗口”推荐表")
    par(doc, "窗口名称：")
    par(doc, "主要事迹：")
    save(doc, "无表格.docx", folder=bad)

    doc = Document()
    title(doc, "“最佳办事窗口”推荐表")
    t = grid(doc, 2, [30, 100])
    put(t.cell(0, 0), "窗口名称")
    put(t.cell(1, 0), "主要事迹")
    doc.add_page_break()
    title(doc, "“最佳办事窗口”评分表")
    t = grid(doc, 3, [40, 20, 80, 20])
    for i, text in enumerate(("项目", "分值", "评分标准", "得分")):
        put(t.cell(0, i), text)
    put(t.cell(1, 0), "服务规范")
    put(t.cell(1, 1), "50")
    put(t.cell(2, 0), "办事效率")
    put(t.cell(2, 1), "50")
    save(doc, "两张表.docx", folder=bad)

    doc = Document()
    title(doc, "“最佳办事窗口”推荐表")
    png = _table_picture()
    doc.add_picture(io.BytesIO(png), width=Mm(150))
    save(doc, "表格是图片.docx", folder=bad)

    good = (HERE / "02_最佳办事窗口推荐表_WPS.docx").read_bytes()
    (bad / "损坏.docx").write_bytes(good[: len(good) // 2])
    _encrypted(good, bad / "加密.docx")
    _doc_copy(HERE / "02_最佳办事窗口推荐表_WPS.docx", bad / "推荐表.doc")


def _table_picture() -> bytes:
    """A scanned-looking table: a grid drawn as a PNG (no text layer, no Word table)."""
    import zlib
    import struct

    w, h = 300, 120
    rows = []
    for y in range(h):
        line = bytearray([0])
        for x in range(w):
            on_line = x in (0, 100, 299) or y in (0, 40, 80, 119)
            line.append(0 if on_line else 255)
        rows.append(bytes(line))
    raw = zlib.compress(b"".join(rows))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def _encrypted(data: bytes, dest: Path) -> None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("1234", out)
    dest.write_bytes(out.getvalue())


def _doc_copy(src: Path, dest: Path) -> None:
    """The form saved as Word 97–2003 (.doc) by LibreOffice (through .odt: written straight from the .docx,
    LibreOffice's .doc loses the table even for LibreOffice itself)."""
    soffice = shutil.which("soffice")
    if not soffice:
        return
    with tempfile.TemporaryDirectory() as tmp:
        run = [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--outdir", tmp]
        subprocess.run(run[:3] + ["--convert-to", "odt"] + run[3:] + [str(src)], check=True, capture_output=True,
                       timeout=180)
        subprocess.run(run[:3] + ["--convert-to", "doc:MS Word 97"] + run[3:] + [str(Path(tmp) / (src.stem + ".odt"))],
                       check=True, capture_output=True, timeout=180)
        shutil.copyfile(Path(tmp) / (src.stem + ".doc"), dest)


FORMS = [f01_candidate_word, f02_window_wps, f03_inline_wps, f04_options_word, f05_vertical_word,
         f06_labels_above_wps, f07_merged_sublabels_word, f08_no_grid_wps, f09_two_tables_word,
         f10_title_in_table_wps, f11_score_subitems_word, f12_score_total_wps, f13_score_bad_total]

if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--doc"]:  # only bad/推荐表.doc
        _doc_copy(HERE / "02_最佳办事窗口推荐表_WPS.docx", HERE / "bad" / "推荐表.doc")
        raise SystemExit
    for make in FORMS:
        print(make())
    print(notice())
    bad_inputs()

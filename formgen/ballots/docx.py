"""The editable .docx of a rating's ballot: one page per rater group, for offices that adjust wording.

It has no registration marks or code bar (Word cannot hold their geometry
exactly), so the sheets that are read back are always printed from the PDF;
the document says so.
"""
from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from formgen import docxkit as dk
from formgen.ballots import layout as L
from formgen.ballots.layout import INSTRUCTIONS
from formgen.ballots.settings import BallotRating


def write_docx(rating: BallotRating, path: Path) -> Path:
    doc = dk.new_document()
    dk.set_document_defaults(doc, dk.SONGTI, 10.5)
    dk.setup_page(doc.sections[0], margins_mm={"top": 20, "bottom": 18, "left": 20, "right": 20}, line_pitch=None)
    k = len(rating.levels)
    level_w = min(26.0, (170 - L.NO_W - 60.0) / k)
    widths = [L.NO_W, 170 - L.NO_W - k * level_w] + [level_w] * k
    for gi, group in enumerate(rating.groups):
        if gi:
            dk.add_page_break(doc)
        dk.add_par(doc, rating.title, dk.XIAOBIAOSONG, dk.SIZE["小二"], align=WD_ALIGN_PARAGRAPH.CENTER, after_pt=6)
        dk.add_par(doc, f"评议人类别：{group.name}　　（不记名）　　票号：＿＿＿＿", dk.SONGTI, 11, after_pt=4)
        for line in INSTRUCTIONS:
            dk.add_par(doc, line, dk.SONGTI, 9, after_pt=0)
        table = doc.add_table(rows=1 + len(rating.subjects), cols=2 + k)
        dk.set_table_borders(table)
        dk.set_col_widths(table, widths)
        for j, text in enumerate(["序号", rating.subject_label, *rating.levels]):
            dk.cell_text(table.cell(0, j), text, dk.HEITI, 11, align=WD_ALIGN_PARAGRAPH.CENTER)
        dk.repeat_header(table.rows[0])
        for i, subject in enumerate(rating.subjects, start=1):
            dk.set_row_height(table.rows[i], L.ROW_H)
            dk.cell_text(table.cell(i, 0), str(i), dk.SONGTI, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
            dk.cell_text(table.cell(i, 1), subject, dk.SONGTI, 10.5, align=WD_ALIGN_PARAGRAPH.LEFT)
            for j in range(k):
                dk.cell_text(table.cell(i, 2 + j), "□", dk.SONGTI, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
        dk.add_par(doc, "注：本文件供调整文字用。需要机读统计的测评票，请打印同目录下的 PDF 版本"
                       "（带四角定位标记和底部条码，每份票号不同）。", dk.SONGTI, 9, before_pt=6)
    return dk.save_document(doc, path)

"""The blank of a free-text report a campaign asks for (seed 001: 自查报告 / 专项报告).

Not a grid of labels: the title, the reporting unit on a line, what the notice
says about length, and one tall ruled box for the text (it grows as the unit
types, over as many pages as it needs). The box carries the field's anchor, so
a report typed into the issued blank is read back exactly; a report the unit
writes in its own document is recognised by its title (formgen.intake.free_text).
"""
from __future__ import annotations


from formgen import docxkit as dk
from formgen.anchors import field_anchor, form_anchor
from formgen.campaign.model import Campaign
from formgen.forms import FormSpec

UNIT_TAG = "{{ unit_name }}"  # filled per unit at issue time (as in formgen.issue.templates)
LABEL_PT = dk.SIZE["小四"]
BOX_MM = 165  # the rest of the first page under the heading


def build_report(campaign: Campaign, spec: FormSpec):
    doc = dk.new_document()
    dk.set_document_defaults(doc, dk.FANGSONG, dk.BODY_PT)
    dk.setup_page(doc.sections[0], landscape=False, line_pitch=None)
    if spec.attachment_no:
        dk.add_par(doc, f"附件{spec.attachment_no}", dk.HEITI, dk.BODY_PT)
    title = dk.add_par(doc, spec.title, dk.XIAOBIAOSONG, dk.TITLE_PT, align=dk.CENTER, before_pt=6, after_pt=12)
    dk.add_bookmark(title, form_anchor(spec.type))

    line = doc.add_table(rows=1, cols=2)  # 报送单位：<unit>, the unit underlined
    dk.set_table_borders(line, val="nil")
    dk.set_col_widths(line, [26, 90])
    dk.cell_margins(line, 0.5, 0.5, 0, 0)
    dk.cell_text(line.cell(0, 0), "报送单位：", dk.FANGSONG, LABEL_PT, align=dk.RIGHT, valign="bottom")
    dk.cell_text(line.cell(0, 1), UNIT_TAG, dk.FANGSONG, LABEL_PT, align=dk.LEFT, valign="bottom")
    dk.set_cell_border(line.cell(0, 1), bottom="single")
    dk.set_row_height(line.rows[0], 9)

    field = spec.fields[0]
    limit = f"正文一般不超过{field.max_chars}字，" if field.max_chars else ""
    dk.add_par(doc, f"（{limit}可直接在下框中填写，也可另附页；有关加减分项目的证明材料请一并报送。）",
               dk.FANGSONG, LABEL_PT, before_pt=6, after_pt=4)
    box = doc.add_table(rows=1, cols=1)
    dk.set_table_borders(box, 0.75)
    dk.set_col_widths(box, [dk.text_width_mm(doc.sections[0])])
    dk.cell_margins(box, 1.5, 1.5, 1, 1)
    first = dk.cell_text(box.cell(0, 0), "", dk.FANGSONG, dk.BODY_PT, align=dk.LEFT, valign="top")
    dk.set_mark_font(first, dk.FANGSONG, dk.BODY_PT)
    dk.add_bookmark(first, field_anchor(field.key))
    dk.set_row_height(box.rows[0], BOX_MM)
    return doc

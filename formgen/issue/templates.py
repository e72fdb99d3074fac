"""The docxtpl templates of a campaign: the four attachments and the notice.

Built with python-docx + :mod:`formgen.docxkit` to look as the seed prints them
(附件N in 黑体, centred 小标宋 title, ruled tables with vertical labels and the
printed placeholders). Users may restyle them in Word; what must stay is listed
in ``README-模板说明.md``, written next to them:

* Jinja tags: ``{{ unit_name }}`` in the forms, the loops and fields of the notice;
* the point bookmarks of :mod:`formgen.anchors` in each value cell (``fg_<key>``),
  each 得分 cell (``fg_score_NN``), the subject cell (``fg_subject``) and the
  title (``fgform_<type>``) — they let intake read a returned form exactly.

The built-in form types have the seed's layouts; a campaign-defined type gets a
plain label | value grid (and a score table when it has items), so a new type
needs no code.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from formgen import docxkit as dk
from formgen.anchors import (PROP_CAMPAIGN, PROP_FORM_TYPE, PROP_TEMPLATE_VERSION, SUBJECT_ANCHOR, field_anchor,
                             form_anchor, score_anchor)
from formgen.campaign.model import Campaign, RubricItem
from formgen.forms import FormSpec
from formgen.titles import text_em, title_lines
from formgen.outputs import write_bytes
from formgen.issue.template_state import (TemplateRefresh, is_edited, retire_old_forms, source_hash, stale,
                                          stamped)

NOTICE_TEMPLATE = "通知.docx"
README_NAME = "README-模板说明.md"
UNIT_TAG = "{{ unit_name }}"
LABEL_PT = dk.SIZE["小四"]  # labels and typed values in the application forms
SMALL_PT = dk.SIZE["五号"]  # rubric text in score sheets
SMALL_LINE_PT = 13.5
STAMP = ("（盖章）", "年   月   日")  # spelt as forms.STAMP_PLACEHOLDERS lists them


def template_name(spec: FormSpec) -> str:
    """File name of a form type's template (FormSpec.template, or one made from its title)."""
    if spec.template:
        return spec.template
    clean = "".join(ch for ch in spec.title if ch not in "“”\"")
    return f"附件{spec.attachment_no}_{clean}.docx" if spec.attachment_no else f"{clean}.docx"


# ---------------------------------------------------------------------------- common parts


def _new_document(landscape: bool = False, body_pt: float = dk.BODY_PT):
    doc = dk.new_document()
    dk.set_document_defaults(doc, dk.FANGSONG, body_pt)
    dk.setup_page(doc.sections[0], landscape=landscape, line_pitch=None)
    return doc


def _form_heading(doc, spec: FormSpec, title_pt: float = dk.TITLE_PT):
    """“附件N” top-left in 黑体, then the centred title carrying the fgform_ bookmark."""
    if spec.attachment_no:
        dk.add_par(doc, f"附件{spec.attachment_no}", dk.HEITI, dk.BODY_PT)
    title = dk.add_par(doc, spec.title, dk.XIAOBIAOSONG, title_pt, align=dk.CENTER, before_pt=6, after_pt=12)
    dk.add_bookmark(title, form_anchor(spec.type))


def _table(doc, rows: int, widths: list[float]):
    t = doc.add_table(rows=rows, cols=len(widths))
    dk.set_table_borders(t, 0.75)
    dk.set_col_widths(t, widths)
    dk.cell_margins(t, 1.5, 1.5, 1, 1)
    return t


def _label(cell, text: str, style: str = "h", size: float = LABEL_PT):
    """A label cell: "h" as given (\\n breaks lines), "v" one character per line."""
    if style == "v":
        return dk.vertical_label(cell, text, dk.FANGSONG, size)
    return dk.cell_text(cell, text, dk.FANGSONG, size)


def _value(cell, key: str, placeholder: str | None = None, stamp: bool = False, text: str = "",
           size: float = LABEL_PT, align=dk.LEFT, sign: str | None = None):
    """A value cell: bookmark fg_<key> in its first paragraph, optional printed placeholder or stamp block
    (``sign``: a signature line printed above the stamp, e.g. 负责人签字：)."""
    first = dk.cell_text(cell, text or placeholder or "", dk.FANGSONG, size, align=align,
                        valign="top" if (placeholder or stamp) else "center")
    dk.set_mark_font(first, dk.FANGSONG, size)
    dk.add_bookmark(first, field_anchor(key))
    if stamp:
        if sign:
            p = dk.add_par(cell, sign, dk.FANGSONG, size, align=dk.LEFT, before_pt=size * 3)
            p.paragraph_format.left_indent = Pt(size * 12)
        p = dk.add_par(cell, STAMP[0], dk.FANGSONG, size, align=dk.RIGHT, before_pt=size * (1 if sign else 4))
        p.paragraph_format.right_indent = Pt(size * 6)
        p = dk.add_par(cell, STAMP[1], dk.FANGSONG, size, align=dk.RIGHT, before_pt=size / 2)
        p.paragraph_format.right_indent = Pt(size * 2)
    return first


def _stamp_part(text: str) -> bool:
    """``text`` is the stamp or the date line of a stamp block (printed by _value itself)."""
    compact = "".join(text.split())
    return "盖章" in compact or compact == "年月日"


def _line_table(doc, parts: list[tuple[str, str | None, float]], after_pt: float = 4):
    """A borderless row above a table: (label, value anchor or None, width mm) pairs, values underlined.

    The value sits in a cell of its own so that the bookmark's cell holds the value only.
    """
    widths = [w for _, _, w in parts]
    t = doc.add_table(rows=1, cols=len(parts))
    dk.set_table_borders(t, val="nil")
    dk.set_col_widths(t, widths)
    dk.cell_margins(t, 0.5, 0.5, 0, 0)
    for cell, (text, anchor, _) in zip(t.rows[0].cells, parts):
        if anchor is None:
            dk.cell_text(cell, text, dk.FANGSONG, LABEL_PT, align=dk.RIGHT if text.endswith("：") else dk.LEFT,
                        valign="bottom")
            if text == UNIT_TAG:
                dk.set_cell_border(cell, bottom="single")
            continue
        p = dk.cell_text(cell, text, dk.FANGSONG, LABEL_PT, align=dk.LEFT, valign="bottom")
        dk.set_mark_font(p, dk.FANGSONG, LABEL_PT)
        dk.add_bookmark(p, anchor)
        dk.set_cell_border(cell, bottom="single")
    dk.set_row_height(t.rows[0], 9)
    dk.add_par(doc, "", size=4, after_pt=after_pt)
    return t


def template_props(campaign: Campaign, form_type: str | None) -> dict[str, str]:
    """Document properties of a template (the notice is no form: it has no form type)."""
    props = {PROP_FORM_TYPE: form_type} if form_type else {}
    return {**props, PROP_TEMPLATE_VERSION: campaign.template_version, PROP_CAMPAIGN: campaign.id}


# ---------------------------------------------------------------------------- score sheets


def _rubric_items(campaign: Campaign, spec: FormSpec) -> list[RubricItem]:
    """Items of the award scored on this sheet (with content), else the spec's bare items."""
    for award in campaign.awards:
        if award.score_form == spec.type:
            return [i for i in award.rubric.items]
    return [RubricItem(name=i.name, max=i.max) for i in spec.items]


def _numbered_lines(text: str) -> str:
    """“1．…。2．…” printed one numbered clause per line."""
    return re.sub(r"(?<=[。；])\s*(?=\d+[．.])", "\n", text)


def _points(x: float) -> str:
    return f"{x:g}分"


def _has_standard(campaign: Campaign, spec: FormSpec) -> bool:
    return any(i.standard for i in _rubric_items(campaign, spec))


def build_score_sheet(campaign: Campaign, spec: FormSpec):
    """附件1/附件2: a unit | subject line, then the score table; landscape when 评分标准 is printed."""
    doc = _new_document(landscape=_has_standard(campaign, spec))
    _form_heading(doc, spec)
    subject = {"post": "参评岗位：", "candidate": "候选人："}.get(spec.subject or "", "参评对象：")
    width = dk.text_width_mm(doc.sections[0])
    _line_table(doc, [("单位：", None, 14), (UNIT_TAG, None, width * 0.45 - 14),
                      (subject, None, 26), ("", SUBJECT_ANCHOR, width * 0.55 - 26)])
    _score_table(doc, _rubric_items(campaign, spec), width)
    return doc


def _score_table(doc, items: list[RubricItem], width: float):
    """项目 | 分值 | 考核内容 (| 评分标准) | 考核方式 | 得分, with fg_score_NN in each 得分 cell."""
    with_standard = any(i.standard for i in items)
    with_content = any(i.content for i in items)
    with_method = any(i.method for i in items)
    heads, widths = ["项目", "分值"], [14 if with_standard else 24 if with_content else 0, 15]
    if with_content:
        heads.append("考核内容" if with_standard else "评选标准")
        widths.append(0)
    if with_standard:
        heads.append("评分标准")
        widths.append(0)
    if with_method:  # wide enough for the longest method on one line (they are printed one per line)
        longest = max(len(m) for i in items for m in (i.method or "").split("、"))
        heads.append("考核方式")
        widths.append(max(22, round(longest * SMALL_PT * 0.3528 + 4)))
    heads.append("得分")
    widths.append(17 if with_content else 30)
    free = [i for i, w in enumerate(widths) if w == 0]  # the text columns share what is left
    shares = [0.47, 0.53] if len(free) == 2 else [1.0]  # content a little narrower than its standard
    rest = width - sum(widths)
    for i, share in zip(free, shares):
        widths[i] = round(rest * share, 1)
    widths[-1] += round(width - sum(widths), 1)
    t = _table(doc, len(items) + 1, widths)
    for cell, head in zip(t.rows[0].cells, heads):
        dk.cell_text(cell, head, dk.HEITI, LABEL_PT)
    dk.repeat_header(t.rows[0])
    dk.set_row_height(t.rows[0], 10)
    for n, item in enumerate(items):
        cells = t.rows[n + 1].cells
        _label(cells[0], item.name, "v" if with_standard else "h")
        dk.cell_text(cells[1], _points(item.max), dk.FANGSONG, LABEL_PT)
        col = 2
        for text in ([item.content or ""] if with_content else []) + ([item.standard or ""] if with_standard else []):
            dk.cell_text(cells[col], _numbered_lines(text), dk.FANGSONG, SMALL_PT, align=dk.JUSTIFY, line_pt=SMALL_LINE_PT)
            col += 1
        if with_method:
            dk.cell_text(cells[col], "\n".join(s for s in (item.method or "").split("、") if s), dk.FANGSONG, SMALL_PT)
        score = cells[-1].paragraphs[0]
        dk.valign_cell(cells[-1], "center")
        dk.format_par(score, dk.CENTER)
        dk.set_mark_font(score, dk.FANGSONG, LABEL_PT)
        dk.add_bookmark(score, score_anchor(n))
        dk.set_row_height(t.rows[n + 1], 20 if with_standard else 30 if with_content else 12)
    return t


# ---------------------------------------------------------------------------- application forms


@dataclass
class _C:
    """One cell of a form layout: a label ("L") or the value cell ("V") of a field, spanning columns."""

    kind: str
    key: str
    span: int = 1
    text: str | None = None  # label text as printed (defaults to the field's label)
    style: str = "h"


def _layout(spec: FormSpec, widths: list[float], rows: list[tuple[float, list[_C]]], doc):
    t = _table(doc, len(rows), widths)
    unit = spec.unit_field()
    for r, (height, cells) in enumerate(rows):
        col = 0
        for c in cells:
            if c.span > 1:
                dk.merge(t, r, col, r, col + c.span - 1)
            cell = t.cell(r, col)
            f = spec.field(c.key)
            if c.kind == "L":
                _label(cell, c.text or f.label, c.style)
            else:
                stamp = any(p in ("（盖章）", "(盖章)") for p in f.placeholders)
                placeholder = None if stamp else (f.placeholders[0] if f.placeholders else None)
                prefill = UNIT_TAG if unit is not None and f.key == unit.key else ""  # the unit it is issued to
                # a stamp field's own printed lines (负责人签字：) besides the stamp and the date
                sign = next((p for p in f.placeholders if stamp and not _stamp_part(p)), None)
                _value(cell, f.key, placeholder=placeholder, stamp=stamp, text=prefill, sign=sign)
            col += c.span
        dk.set_row_height(t.rows[r], height)
    return t


def build_post_nomination(campaign: Campaign, spec: FormSpec):
    """附件3 “十大效能示范岗”推荐表, as the seed prints it."""
    doc = _new_document()
    _form_heading(doc, spec)
    _line_table(doc, [("推荐单位：", None, 27), (UNIT_TAG, field_anchor("recommending_unit"), 95), ("", None, 34)])
    L, V = (lambda key, span=1, text=None, style="h": _C("L", key, span, text, style)), \
        (lambda key, span=1: _C("V", key, span))
    rows = [
        (12, [L("post"), V("post", 3)]),
        (14, [L("headcount"), V("headcount"), L("post_leader", text="被推荐岗位\n主要负责人"), V("post_leader")]),
        (32, [L("duties", text="被推荐岗位\n主要职责"), V("duties", 3)]),
        (74, [L("practices", style="v"), V("practices", 3)]),
        (38, [L("party_opinion", text="镇街党（工）委或\n市级部门党委（组）\n意　　见"), V("party_opinion", 3)]),
    ]
    _layout(spec, [42, 30, 34, 50], rows, doc)
    return doc


def build_candidate_application(campaign: Campaign, spec: FormSpec):
    """附件4 “勤廉标兵”候选人申报表, as the seed prints it, with the 3000-character note below."""
    doc = _new_document()
    _form_heading(doc, spec)
    L, V = (lambda key, span=1, text=None, style="h": _C("L", key, span, text, style)), \
        (lambda key, span=1: _C("V", key, span))
    rows = [
        (11, [L("name", text="姓　　名"), V("name"), L("gender"), V("gender"), L("birth"), V("birth")]),
        (11, [L("unit_title"), V("unit_title", 5)]),
        (11, [L("political"), V("political", 3), L("education"), V("education")]),
        (40, [L("resume", text="主要\n工作\n简历"), V("resume", 5)]),
        (22, [L("honors", text="曾获\n荣誉"), V("honors", 5)]),
        (56, [L("deeds", text="主要\n事迹"), V("deeds", 5)]),
        (36, [L("recommender_opinion", text="推荐\n单位\n意见"), V("recommender_opinion", 5)]),
    ]
    _layout(spec, [26, 30, 18, 26, 24, 32], rows, doc)
    if campaign.deeds_document_chars:
        dk.add_par(doc, f"注：报送同时请附{campaign.deeds_document_chars}字左右的详细事迹材料。", dk.FANGSONG, LABEL_PT,
                  before_pt=6)
    return doc


def build_grid_form(campaign: Campaign, spec: FormSpec):
    """A campaign-defined form with a ``layout``: short fields two or three to a row, long texts alone."""
    doc = _new_document()
    _form_heading(doc, spec)
    rows, widths = [], [26, 30, 18, 26, 24, 32]
    for keys in spec.layout:
        fields = [spec.field(k) for k in keys]
        if len(fields) == 1:
            f = fields[0]
            tall = f.kind == "multiline"
            text = "\n".join(f.label[i:i + 2] for i in range(0, len(f.label), 2)) if tall else None
            height = (90 if not any(h > 20 for h, _ in rows) else 40) if tall else 12  # the main text gets room
            rows.append((height, [_C("L", f.key, text=text), _C("V", f.key, 5)]))
        elif len(fields) == 2:
            rows.append((12, [_C("L", fields[0].key), _C("V", fields[0].key, 2),
                              _C("L", fields[1].key), _C("V", fields[1].key, 2)]))
        else:
            rows.append((12, [c for f in fields[:3] for c in (_C("L", f.key), _C("V", f.key))]))
    _layout(spec, widths, rows, doc)
    return doc


def build_generic_form(campaign: Campaign, spec: FormSpec):
    """A campaign-defined form type: header line fields, then label | value rows, then the score table."""
    if spec.items and not spec.fields:
        return build_score_sheet(campaign, spec)
    doc = _new_document(landscape=_has_standard(campaign, spec))
    _form_heading(doc, spec)
    for f in (f for f in spec.fields if f.position == "line"):
        unit = spec.unit_field()
        prefill = UNIT_TAG if unit is not None and f.key == unit.key else ""  # the unit a blank is issued to
        _line_table(doc, [(f"{f.label}：", None, 40), (prefill, field_anchor(f.key), 116)])
    rows = []
    for f in (f for f in spec.fields if f.position != "line"):
        tall = f.kind == "multiline"
        label = _C("L", f.key, style="v" if tall and len(f.label) <= 8 else "h")
        rows.append((40 if tall else 12, [label, _C("V", f.key)]))
    width = dk.text_width_mm(doc.sections[0])
    if rows:
        _layout(spec, [36, width - 36], rows, doc)
    if spec.items:
        dk.add_par(doc, "", size=LABEL_PT)
        _score_table(doc, _rubric_items(campaign, spec), width)
    return doc


_BUILDERS = {
    "post_score_sheet": build_score_sheet,
    "candidate_score_sheet": build_score_sheet,
    "post_nomination": build_post_nomination,
    "candidate_application": build_candidate_application,
}


def build_form(campaign: Campaign, spec: FormSpec):
    """The python-docx Document of a form type's template.

    The seed's own layouts are for the built-in specs only: a campaign that defines a type of
    the same name with other fields (an office's own 申报表 asking for more) gets a form made
    from its fields, never the seed's layout without them.
    """
    from formgen.forms import BUILTIN_FORMS

    seed_layout = spec.type in _BUILDERS and spec.keys == BUILTIN_FORMS[spec.type].keys
    if spec.layout and not seed_layout:
        return build_grid_form(campaign, spec)
    if spec.free_text:  # a report, not a grid of labels
        from formgen.issue.report_template import build_report

        return build_report(campaign, spec)
    return (_BUILDERS[spec.type] if seed_layout else build_generic_form)(campaign, spec)


# ---------------------------------------------------------------------------- the notice


def build_notice(campaign: Campaign):
    """通知.docx: GB/T 9704 版头 (red 标志, 文号, red line), title, 主送, Jinja body loops, 附件, 署名, 附注."""
    doc = _new_document()
    dk.setup_page(doc.sections[0])  # 22 lines per page
    dk.page_numbers(doc)
    body = dict(font=dk.FANGSONG, size=dk.BODY_PT)
    for _ in range(2):  # the mark starts about 35 mm below the top of the type area
        dk.add_par(doc, "", **body)
    _issuer_mark(doc, campaign.issuer.offices)
    dk.add_par(doc, "", **body)
    dk.add_par(doc, "", **body)
    num = dk.add_par(doc, "{{ issuer.doc_number }}", align=dk.CENTER, **body)
    dk.red_line(num, 1.5)
    dk.add_par(doc, "", **body)
    dk.add_par(doc, "", **body)
    dk.no_grid(dk.add_par(doc, "{{ notice.title }}", dk.XIAOBIAOSONG, dk.TITLE_PT, align=dk.CENTER, line_pt=35))
    dk.add_par(doc, "", **body)
    dk.add_par(doc, "{{ notice.recipients }}：", **body)
    dk.add_par(doc, "{{ notice.opening }}", first_line_chars=2, **body)
    tag = dict(font=dk.FANGSONG, size=dk.BODY_PT)
    dk.add_par(doc, "{%p for s in notice.sections %}", **tag)
    # headings keep with their first paragraph: never alone at the foot of a page
    dk.keep_with_next(dk.add_par(doc, "{{ s.heading }}", dk.HEITI, dk.BODY_PT, first_line_chars=2))
    dk.add_par(doc, "{%p for para in s.paragraphs %}", **tag)
    dk.add_par(doc, "{{ para }}", first_line_chars=2, **body)
    dk.add_par(doc, "{%p endfor %}", **tag)
    dk.add_par(doc, "{%p for sub in s.subsections %}", **tag)
    dk.keep_with_next(dk.add_par(doc, "{{ sub.heading }}", dk.KAITI, dk.BODY_PT, first_line_chars=2))
    dk.add_par(doc, "{%p for para in sub.paragraphs %}", **tag)
    dk.add_par(doc, "{{ para }}", first_line_chars=2, **body)
    dk.add_par(doc, "{%p endfor %}", **tag)
    dk.add_par(doc, "{%p endfor %}", **tag)
    dk.add_par(doc, "{%p endfor %}", **tag)
    dk.add_par(doc, "{%p if notice.closing %}", **tag)
    dk.add_par(doc, "{{ notice.closing }}", first_line_chars=2, **body)
    dk.add_par(doc, "{%p endif %}", **tag)
    dk.add_par(doc, "", **body)
    dk.add_par(doc, "{%p for a in attachments %}", **tag)
    att = dk.add_par(doc, "{% if loop.first %}附件：{% else %}　　　{% endif %}{% if not (loop.first and loop.last) %}{{ loop.index }}．{% endif %}{{ a }}", **body)
    # hanging “附件：1．” so that a wrapped name aligns with its first character; one attachment has no number
    # (GB/T 9704 7.3.4)
    dk.indent(att, left_chars=6.5, hanging_chars=4.5, size=dk.BODY_PT)
    # the attachment list, the blank lines and the signature block stay on one page: a 署名
    # never stands at a page foot with its 成文日期 on the next page
    dk.keep_with_next(att)
    dk.add_par(doc, "{%p endfor %}", **tag)
    for _ in range(3):
        dk.keep_with_next(dk.add_par(doc, "", **body))
    _signature(doc, campaign)
    dk.add_par(doc, "{%p if notice.note %}", **tag)
    dk.add_par(doc, "（{{ notice.note }}）", first_line_chars=2, **body)
    dk.add_par(doc, "{%p endif %}", **tag)
    _imprint(doc)
    return doc


def _imprint(doc):
    """版记 (GB/T 9704 7.4): 印发机关 left, 印发日期 right, between two rules at the foot of the last page."""
    section = doc.sections[-1]
    size = dk.SIZE["四号"]
    width = section.page_width - section.left_margin - section.right_margin
    p = dk.add_par(doc, "{{ issuer.offices[0] }}", dk.FANGSONG, size, align=dk.LEFT)
    dk.add_run(p, "\t{{ date_text }}印发", dk.FANGSONG, size)
    pf = p.paragraph_format
    pf.left_indent = pf.right_indent = Pt(size)  # 左右各空一字
    pf.tab_stops.add_tab_stop(width - Pt(size), WD_TAB_ALIGNMENT.RIGHT)
    dk.no_grid(p)
    dk.format_par(p, line_pt=size * 1.9)
    dk.frame_at(p, width, section.page_height - section.bottom_margin - Mm(12))
    dk.paragraph_rules(p, ("top", "bottom"), size_pt=1)


def _issuer_mark(doc, offices: list[str]):
    """发文机关标志 in red 小标宋 (GB/T 9704 7.2.2), as wide as its text, never spread over the line.

    One organ: “省直效能办文件” centred. Several (联合行文): the names stacked and
    distributed over the widest name's width, “文件” centred beside them. The size
    shrinks (from 36 pt) so the mark fits the 156 mm type area.
    """
    mm_per_pt = 25.4 / 72
    widest = max(text_em(o) for o in offices)
    if len(offices) == 1:
        size = min(36, 152 / (widest + 2) / mm_per_pt)
        dk.no_grid(dk.add_par(doc, offices[0] + "文件", dk.XIAOBIAOSONG, size, color=dk.RED, align=dk.CENTER))
        return
    size = min(36, 152 / (widest + 2.5) / mm_per_pt)
    em = size * mm_per_pt
    mark = doc.add_table(rows=1, cols=2)
    dk.set_table_borders(mark, val="nil")
    dk.set_col_widths(mark, [widest * em + 1, 2.5 * em])
    dk.cell_margins(mark, 0, 0, 0, 0)
    left, right = mark.rows[0].cells
    dk.cell_text(left, "\n".join(offices), dk.XIAOBIAOSONG, size, align=dk.DISTRIBUTE, line_pt=size * 1.3)
    dk.cell_text(right, "文件", dk.XIAOBIAOSONG, size, align=dk.RIGHT)
    for p in (*left.paragraphs, *right.paragraphs):
        for r in p.runs:
            dk.set_run_font(r, color=dk.RED)


def _text_width_chars(text: str) -> float:
    """Width of ``text`` in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def _signature(doc, campaign: Campaign):
    """署名 centred over the 成文日期, the date 4 characters from the right (GB/T 9704 7.3.5.1)."""
    char_mm = dk.BODY_PT * 25.4 / 72
    date_w = _text_width_chars(_date_text(campaign)) * char_mm
    # room for the date even where a fallback CJK font sets its digits full width (it must never wrap)
    block = max([_text_width_chars(o) * char_mm for o in campaign.issuer.offices]
                + [len(_date_text(campaign)) * char_mm]) + char_mm
    gap = max(0.0, 4 * char_mm + date_w / 2 - block / 2)
    width = 156
    t = doc.add_table(rows=1, cols=3)
    dk.set_table_borders(t, val="nil")
    dk.set_col_widths(t, [width - block - gap, block, gap])
    dk.cell_margins(t, 0, 0, 0, 0)
    cell = t.cell(0, 1)
    body = dict(font=dk.FANGSONG, size=dk.BODY_PT, align=dk.CENTER)
    dk.cell_text(cell, "{%p for o in issuer.offices %}", dk.FANGSONG, dk.BODY_PT)
    dk.add_par(cell, "{{ o }}", **body)
    dk.add_par(cell, "{%p endfor %}", **body)
    dk.add_par(cell, "{{ date_text }}", **body)
    dk.set_row_height(t.rows[0], 0)  # cantSplit: 署名 and 成文日期 never on two pages
    for p in cell.paragraphs[:-1]:
        dk.keep_with_next(p)


def _date_text(campaign: Campaign) -> str:
    d = campaign.issuer.date
    return f"{d.year}年{d.month}月{d.day}日"  # GB/T 9704-2012: Arabic numerals


def notice_context(campaign: Campaign) -> dict:
    """What the notice template's Jinja tags read."""
    specs = sorted((s for s in campaign.form_specs() if s.attachment_no), key=lambda s: s.attachment_no)
    return {
        "issuer": campaign.issuer.model_dump(),
        # the title broken at sensible places (GB/T 9704 7.3.1): 22 pt on the 156 mm type area, 19 characters
        "notice": {**campaign.notice.model_dump(), "title": "\n".join(title_lines(campaign.notice.title, 19))},
        "contact": campaign.contact.model_dump(),
        "attachments": [s.title for s in specs],
        "date_text": _date_text(campaign),
        "campaign_name": campaign.name,
        "year": campaign.year,
    }


# ---------------------------------------------------------------------------- writing


README = """# 模板说明

本目录中的 Word 模板由 formgen 生成，`formgen issue` 用它们为每个单位生成空白表格和通知。
可以用 Word 或 WPS 修改：字体、字号、列宽、行高、边框、文字措辞、页边距都可以改。

修改时请务必保留：

1. 花括号标记，例如 `{{ unit_name }}`（生成时替换为单位名称）和通知中的
   `{%p for … %}`、`{{ notice.title }}` 等。请整体保留，不要拆开或只删一半。
2. 每个填写格（姓名、得分等需要填写内容的格子）：不要删除这些格子，也不要把两个填写格合并。
   格子里有隐藏的书签（Word：插入 → 书签，可看到 fg_name、fg_score_01 等），回收表格时据此
   准确读取填写内容。标题上的书签 fgform_… 也请保留。
3. 文件名不要改。

通知正文的内容（标题、主送机关、各部分文字、附注）来自 campaign.yaml，请在那里修改。
评分表中的考核内容、评分标准来自生成模板时的 campaign.yaml；修改评分细则后，
请删除相应模板文件（或运行 `formgen init --force`）重新生成。
"""


def template_documents(campaign: Campaign) -> dict[str, object]:
    """File name → python-docx Document for every template of the campaign."""
    docs = {template_name(s): build_form(campaign, s) for s in campaign.form_specs()}
    docs[NOTICE_TEMPLATE] = build_notice(campaign)
    return docs


def template_source(campaign: Campaign, spec: FormSpec | None) -> str:
    """The digest of what a template is made from (``spec`` None: the notice)."""
    return source_hash(campaign, spec, _rubric_items(campaign, spec) if spec else ())


def wanted_templates(campaign: Campaign) -> dict[str, FormSpec | None]:
    """File name → spec (None for the notice) of every template the campaign issues from."""
    return {**{template_name(s): s for s in campaign.form_specs()}, NOTICE_TEMPLATE: None}


def write_templates(campaign: Campaign, templates_dir: Path, overwrite: bool = False) -> list[Path]:
    """Write the missing, stale (or, with ``overwrite``, all) templates and the README; returns the files written."""
    return refresh_templates(campaign, templates_dir, overwrite).written


def refresh_templates(campaign: Campaign, templates_dir: Path, overwrite: bool = False):
    """Bring templates/ in line with campaign.yaml (formgen.issue.template_state): write the missing ones,
    remake the ones made from an older campaign.yaml, keep hand-edited ones, retire the preset's old forms."""
    templates_dir = Path(templates_dir)
    templates_dir.mkdir(parents=True, exist_ok=True)
    report = TemplateRefresh()
    specs = {template_name(s): s for s in campaign.form_specs()}
    todo = []
    for name, spec in [*specs.items(), (NOTICE_TEMPLATE, None)]:
        path = templates_dir / name
        if not path.exists() or overwrite:
            todo.append((name, spec, False))
        elif stale(path, template_source(campaign, spec)):
            todo.append((name, spec, True))
        elif is_edited(path):
            report.edited.append(path)
    for name, spec, remade in todo:
        doc = build_notice(campaign) if spec is None else build_form(campaign, spec)
        core = doc.core_properties  # what Word shows under 文件 → 信息 (python-docx's defaults otherwise)
        core.title, core.author = Path(name).stem, campaign.issuer.offices[0]
        core.last_modified_by, core.comments = campaign.issuer.offices[0], ""
        buf = io.BytesIO()
        doc.save(buf)
        props = template_props(campaign, spec.type if spec else None)
        path = write_bytes(templates_dir / name, stamped(buf.getvalue(), props, template_source(campaign, spec)))
        report.written.append(path)
        if remade:
            report.remade.append(path)
    retire_old_forms(templates_dir, {*specs, NOTICE_TEMPLATE}, report)
    readme = templates_dir / README_NAME
    if overwrite or not readme.exists():
        readme.write_text(README, encoding="utf-8")
        report.written.append(readme)
    return report

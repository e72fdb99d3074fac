"""表彰通报: the commendation notice, laid out as a 红头 document (GB/T 9704-2012).

版头 (red issuer mark, 发文字号, red separator), title, 主送机关, the
campaign's opening with every winner named, its closing, 附件说明, signature
and date, then one attachment page per award with the full list, and the
版记 (印发机关和印发日期) at the foot of the last page. Page numbers “— 1 —”.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from formgen import docxkit as dk
from formgen.publish import layout
from formgen.publish.model import PublishInput, cn_date, fill, honor_title, post_display, text_vars
from formgen.publish.publicity import columns, listed, period
from formgen.publish.workdays import next_working_day


def commendation_date(data: PublishInput) -> dt.date:
    """The date of the notice (and certificates): as given, else the first working day after the publicity."""
    return data.commended_on or next_working_day(period(data).end)


def doc_number(data: PublishInput) -> tuple[str, bool]:
    """发文字号 and whether it was configured; unset: the notice's prefix and year, number left blank."""
    pub, issuer = data.campaign.publication, data.campaign.issuer
    if pub.commendation_doc_number:
        return pub.commendation_doc_number, True
    prefix = re.split(r"[〔\[（(]", issuer.doc_number, maxsplit=1)[0].strip()
    return f"{prefix}〔{commendation_date(data).year}〕　　号", False


def mark_names(data: PublishInput) -> list[str]:
    """The issuing bodies for the red mark: issuer.short_name split at spaces, else issuer.offices."""
    short = data.campaign.issuer.short_name
    names = [n for n in re.split(r"[\s\u3000]+", short or "") if n]
    return names or list(data.campaign.issuer.offices)


def list_intro(data: PublishInput, award_id: str) -> str:
    """Every winner of the award in running text, in the order the attachment lists them."""
    award = data.campaign.award(award_id)
    winners = listed(data, award)
    return "、".join(w.name if award.subject == "person" else post_display(w) for w in winners)


def opening_vars(data: PublishInput) -> dict:
    values = text_vars(data)
    for award in data.campaign.awards:
        values[f"{award.id}_list_intro"] = list_intro(data, award.id)
        if award.subject == "person":
            values.setdefault("people_list_intro", values[f"{award.id}_list_intro"])
        elif award.subject == "post":
            values.setdefault("post_list_intro", values[f"{award.id}_list_intro"])
    return values


def attachment_titles(data: PublishInput) -> list[str]:
    return [f"{honor_title(data.campaign, a)}名单" for a in data.campaign.awards if data.winners(a.id)]


def write(data: PublishInput, path: Path) -> Path:
    c, pub = data.campaign, data.campaign.publication
    date = commendation_date(data)
    doc = layout.new_document()
    layout.issuer_mark(doc, mark_names(data))
    layout.doc_number_and_rule(doc, doc_number(data)[0])
    layout.blank_lines(doc, 1)
    layout.title(doc, pub.commendation_title, after_lines=1)
    layout.recipients(doc, c.notice.recipients)
    values = opening_vars(data)
    layout.body_par(doc, fill(pub.commendation_opening, values))
    layout.body_par(doc, fill(pub.commendation_closing, values))
    titles = attachment_titles(data)
    layout.attachment_note(doc, titles)
    layout.signature(doc, list(c.issuer.offices), cn_date(date), blank_before=2)
    number = 0
    for award in c.awards:
        winners = listed(data, award)
        if not winners:
            continue
        number += 1
        layout.attachment_page(doc, number if len(titles) > 1 else None, titles[number - 1])
        cols = columns(award, winners)
        rows = [[col.value(i, w) for col in cols] for i, w in enumerate(winners, start=1)]
        layout.list_table(doc, [col.header for col in cols], rows, [col.width_mm for col in cols],
                          align_cols=[col.align for col in cols])
    imprint(doc, c.issuer.offices[0], date)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


def imprint(doc, office: str, date: dt.date):
    """版记: 印发机关 left and 印发日期 right between two rules, framed at the foot of the last page.

    A framed paragraph (w:framePr) rather than a floating table: Word and
    LibreOffice both place it at the given distance from the top of the page.
    """
    section = doc.sections[-1]
    size = dk.SIZE["四号"]
    width = section.page_width - section.left_margin - section.right_margin
    p = dk.add_par(doc, office, dk.FANGSONG, size, align=dk.LEFT)
    dk.add_run(p, "\t" + f"{cn_date(date)}印发", dk.FANGSONG, size)
    pf = p.paragraph_format
    pf.left_indent = pf.right_indent = Pt(size)  # 左右各空一字
    pf.tab_stops.add_tab_stop(width - Pt(size), WD_TAB_ALIGNMENT.RIGHT)  # the date ends one character in
    layout.no_grid(p)
    dk.format_par(p, line_pt=size * 1.9)
    dk.frame_at(p, width, section.page_height - section.bottom_margin - Mm(12))
    dk.paragraph_rules(p, ("top", "bottom"), size_pt=1)  # 0.35 mm rules, as GB/T 9704 asks for the first and last
    return p

"""考核结果通报 with the ranking of each unit category (seed 001), as a GB/T 9704 红头 document.

版头 (red issuer mark, 发文字号, red separator), title, 主送机关, the opening,
one paragraph per category naming its first three, the closing, 附件说明,
signature and date; then one attachment per category with the full ranking
(名次 | 单位 | 总分 | 备注). A unit held back for missing data is listed after
the ranked ones with the reason, never silently left out. 版记 on the last page.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from formgen import docxkit as dk
from formgen.campaign.model import Award, Campaign
from formgen.publish import layout
from formgen.publish.commendation import imprint
from formgen.publish.model import cn_date

RESULTS_NOTICE = "考核结果通报.docx"
CN_NUM = "一二三四五六七八九十"


def categories_of(campaign: Campaign, award: Award, ranked: list) -> list[tuple[str, list]]:
    order = [c.name for c in campaign.categories]
    cats = sorted({r.nominee.category for r in ranked if r.nominee.category},
                  key=lambda c: order.index(c) if c in order else len(order))
    out = []
    for cat in cats:
        rows = [r for r in ranked if r.nominee.category == cat and r.status != "不在评选范围"]
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
        out.append((cat, rows))
    return out


def _doc_number(campaign: Campaign, date: dt.date) -> str:
    prefix = campaign.issuer.doc_number.split("〔", 1)[0]
    return campaign.publication.commendation_doc_number or f"{prefix}〔{date.year}〕　　号"


def write_results_notice(campaign: Campaign, award: Award, ranked: list, path: Path, date: dt.date) -> Path:
    pub = campaign.publication
    by_cat = categories_of(campaign, award, ranked)
    doc = layout.new_document()
    layout.issuer_mark(doc, list(campaign.issuer.offices))
    layout.doc_number_and_rule(doc, _doc_number(campaign, date))
    layout.blank_lines(doc, 1)
    layout.title(doc, pub.commendation_title, after_lines=1)
    layout.recipients(doc, campaign.notice.recipients)
    layout.body_par(doc, pub.commendation_opening)
    titles = []
    for n, (cat, rows) in enumerate(by_cat):
        desc = next((c.description for c in campaign.categories if c.name == cat), None)
        ranked_rows = [r for r in rows if r.rank is not None]
        top = "、".join(r.nominee.unit for r in ranked_rows[:3])
        held = len(rows) - len(ranked_rows)
        text = (f"{CN_NUM[n] if n < 10 else n + 1}、{cat}（{desc or f'{len(rows)}个'}）。"
                f"{'参加排名' + str(len(ranked_rows)) + '个单位，' if ranked_rows else ''}"
                f"{'位列前三名的是：' + top + '。' if top else ''}"
                f"{f'另有{held}个单位因考核数据不全暂不排名，待补齐后另行通报。' if held else ''}")
        layout.body_par(doc, text)
        titles.append(f"{campaign.name}结果（{cat}）")
    layout.body_par(doc, pub.commendation_closing)
    layout.attachment_note(doc, titles)
    layout.signature(doc, list(campaign.issuer.offices), cn_date(date), blank_before=2)
    for n, (cat, rows) in enumerate(by_cat, start=1):
        layout.attachment_page(doc, n if len(by_cat) > 1 else None, titles[n - 1])
        body = [[str(r.rank) if r.rank is not None else "—", r.nominee.unit,
                 f"{r.total:.2f}" if r.total is not None and r.rank is not None else "—", _remark(r)]
                for r in rows]
        layout.list_table(doc, ["名次", "单位", "总分", "备注"], body, [16, 82, 24, 34],  # 备注 holds “数据不全，暂不排名” in two lines
                          align_cols=[None, dk.LEFT, None, dk.LEFT])
    imprint(doc, campaign.issuer.offices[0], date)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


def _remark(r) -> str:
    if r.rank is not None:
        return ""
    return "数据不全，暂不排名" if r.status.startswith("待补充") else (r.status or "")

"""Outputs of campaigns assessed by periods.

* Per-unit score sheets (seed 002): the quarterly sheet as the seed prints it —
  项目 | 序号 | 考核内容 | 扣分及原因 | 扣（加）分 | 得分, 4 sections × 20 lines plus the
  lines counted into the quarter (暗访, 民意调查, 会议纪律) — and the annual sheet
  (each quarter's score and main reasons, the year adjustments, 年终总分).
* The ranking report to the higher office and the first / last notices (seed 004),
  laid out as official documents (GB/T 9704-2012) with ``publish.layout``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from formgen import docxkit as dk
from formgen.publish import layout
from formgen.publish.commendation import imprint
from formgen.filenames import safe_filename
from formgen.publish.model import cn_date
from formgen.scoring.assess import SubjectScore, assessed_award
from formgen.scoring.explain import reasons, signed
from formgen.scoring.rules import num

SMALL = dk.SIZE["小四"] if "小四" in dk.SIZE else 12
TABLE_PT = 10.5
SIGN_LINE = "考核人：＿＿＿＿　被考核单位负责人：＿＿＿＿　日期：＿＿＿＿＿"


def publish_period(workspace, result) -> tuple[list[Path], list[str]]:
    """Write the period's documents into out/publish/; returns (paths, notes)."""
    campaign = workspace.campaign
    settings = campaign.assessment
    out = workspace.out_dir("publish")
    paths, notes = [], []
    if settings.sheet:
        folder = out / f"评分表_{result.period.key}"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.docx"):
            old.unlink()
        for subject, s in result.scores.items():
            path = folder / f"{safe_filename(subject)}_{result.period.title}考核评分表.docx"
            if result.period.kind == "year" and settings.periods.unit != "year":
                annual_sheet(campaign, result, s, path)
            else:
                quarter_sheet(campaign, s, path)
            paths.append(path)
    if settings.outcomes and result.period.kind == "year":
        notes += [f"{'首位' if o.place == 'first' else '末位'}待定：{o.tie}" for o in result.outcomes if o.subject is None]
        name = safe_filename((settings.report_title or "评测结果报告").replace("\n", ""))
        paths.append(report(campaign, result, out / f"{name}.docx"))
        for o in result.outcomes:
            if o.subject:
                title = settings.first_notice_title if o.place == "first" else settings.last_notice_title
                name = "首位通报" if o.place == "first" else "末位通报"
                paths.append(place_notice(campaign, result, o, title or name, out / f"{name}.docx"))
    return paths, notes


# ---------------------------------------------------------------------------
# score sheets (seed 002)
# ---------------------------------------------------------------------------


def _sheet_doc(title: str, landscape: bool = False):
    doc = layout.new_document(landscape=landscape, line_grid=False)
    p = dk.add_par(doc, title, dk.XIAOBIAOSONG, dk.SIZE["小二"], align=dk.CENTER, after_pt=6)
    layout.no_grid(p)
    return doc


def _info(doc, text: str):
    p = dk.add_par(doc, text, dk.FANGSONG, SMALL, align=dk.LEFT, after_pt=4)
    layout.no_grid(p)


def _cell(cell, text: str, font=dk.FANGSONG, align=dk.LEFT, size: float = TABLE_PT, bold=None):
    p = dk.cell_text(cell, text, font, size, bold=bold, align=align)
    for par in cell.paragraphs:
        layout.no_grid(par)
        dk.format_par(par, line_pt=size * 1.35)
    return p


def _rule_clauses(award) -> dict[tuple[str, str], str | None]:
    return {(item.name, r.label): r.clause for item in award.rubric.items for r in item.rules}


def quarter_sheet(campaign, s: SubjectScore, path: Path) -> Path:
    settings = campaign.assessment
    award = assessed_award(campaign)
    clauses = _rule_clauses(award)
    items = {i.name: i for i in award.rubric.items}
    doc = _sheet_doc(settings.sheet_title or f"{campaign.name}评分表")
    when = s.period.title if s.period else "＿＿＿＿年第＿＿季度"
    _info(doc, f"被考核单位：{s.subject or '＿＿＿＿＿＿＿＿＿＿'}　　　考核期间：{when}")
    heads = ["项目", "序号", "考核内容", "扣分及原因", "加减分", "得分"]
    widths = [21, 11, 56, 44, 13, 11]
    lines = settings.sheet
    table = doc.add_table(rows=1 + len(lines) + 1, cols=len(heads))
    dk.set_table_borders(table)
    dk.set_col_widths(table, widths)
    dk.cell_margins(table, 1.2, 1.2, 0.4, 0.4)
    for c, h in enumerate(heads):
        _cell(table.cell(0, c), h, dk.HEITI, dk.CENTER)
    dk.repeat_header(table.rows[0])
    # lines grouped by printed section (consecutive lines of one section share 项目 and 得分)
    groups: list[tuple[str, list[int]]] = []
    for n, line in enumerate(lines, start=1):
        section = line.section or line.item
        if groups and groups[-1][0] == section:
            groups[-1][1].append(n)
        else:
            groups.append((section, [n]))
    seen_notes: set[str] = set()
    for n, line in enumerate(lines, start=1):
        item = s.items.get(line.item)
        mine = []
        if item is not None:
            has_clauses = any(clauses.get((line.item, li.rule)) for li in item.lines) or any(
                r.clause for r in items[line.item].rules)
            mine = [li for li in item.lines if not has_clauses or clauses.get((line.item, li.rule)) == line.line]
        why = [li.reason for li in mine if li.reason]
        if item is not None and line.item not in seen_notes:
            why += item.notes
            seen_notes.add(line.item)
        pts = sum(li.points for li in mine)
        _cell(table.cell(n, 1), line.line, align=dk.CENTER)
        _cell(table.cell(n, 2), line.text, size=9)
        _cell(table.cell(n, 3), "；".join(why), size=9)
        _cell(table.cell(n, 4), signed(pts) if mine and pts else "", align=dk.CENTER)
    for section, rows in groups:
        item = s.items.get(section)
        spec = items.get(section)
        label = section + (f"\n（{num(spec.max)}分）" if spec and spec.kind == "score" else "")
        score = item.score if item else None
        extra = [s.items[lines[r - 1].item] for r in rows if lines[r - 1].item != section and lines[r - 1].item in s.items]
        total = None if score is None else score + sum(x.score or 0 for x in extra)
        shown = "" if total is None else (num(total) if spec and spec.kind == "score" else signed(total))
        if extra and any(x.score for x in extra):
            shown += f"\n（含加分{num(sum(x.score or 0 for x in extra))}）"
        top, bottom = rows[0], rows[-1]
        head = dk.merge(table, top, 0, bottom, 0) if bottom > top else table.cell(top, 0)
        _cell(head, label, dk.HEITI, dk.CENTER, size=9.5)
        cell = dk.merge(table, top, 5, bottom, 5) if bottom > top else table.cell(top, 5)
        _cell(cell, shown, align=dk.CENTER)
    last = len(lines) + 1
    merged = dk.merge(table, last, 0, last, 4)
    _cell(merged, "合计（四部分满分100分，加分、暗访、民调、会议纪律计入当季）", dk.HEITI, dk.CENTER)
    _cell(table.cell(last, 5), num(s.total) if s.total is not None else "", dk.HEITI, dk.CENTER)
    for row in table.rows:
        dk.set_row_height(row, 7)  # rows never split across pages
    if s.notes:
        _info(doc, "说明：" + "；".join(s.notes))
    _info(doc, SIGN_LINE)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


def blank_sheet(campaign, path: Path) -> Path:
    """The score sheet as the seed prints it (附：考核评分表), unfilled: for inspections on paper."""
    return quarter_sheet(campaign, SubjectScore("", None, None, {}, None), path)


def annual_sheet(campaign, result, s: SubjectScore, path: Path) -> Path:
    settings = campaign.assessment
    doc = _sheet_doc(f"{settings.sheet_title or campaign.name}（{s.period.title}汇总）")
    _info(doc, f"被考核单位：{s.subject}　　　考核年度：{s.period.year}年")
    heads = ["考核期间", "得分", "主要扣（加）分及原因"]
    widths = [30, 20, 106]
    parts = list(s.parts.items())
    rows = len(parts) + 1 + max(1, len(s.adjustments)) + 1
    table = doc.add_table(rows=1 + rows, cols=3)
    dk.set_table_borders(table)
    dk.set_col_widths(table, widths)
    dk.cell_margins(table, 1.2, 1.2, 0.6, 0.6)
    for c, h in enumerate(heads):
        _cell(table.cell(0, c), h, dk.HEITI, dk.CENTER)
    r = 1
    for key, total in parts:
        part = result.parts.get(key, {}).get(s.subject)
        why = "；".join(x for x in (reasons(i) for i in part.items.values()) if x) if part else ""
        _cell(table.cell(r, 0), part.period.short if part else key, align=dk.CENTER)
        _cell(table.cell(r, 1), num(total) if total is not None else "", align=dk.CENTER)
        _cell(table.cell(r, 2), why or "无扣分", size=9)
        r += 1
    how = settings.periods.year_from_periods
    base = [t for t in s.parts.values() if t is not None]
    avg = sum(base) / len(base) if base and how == "mean" else sum(base)
    _cell(table.cell(r, 0), "各季度平均" if how == "mean" else "各季度合计", dk.HEITI, dk.CENTER)
    _cell(table.cell(r, 1), num(round(avg, 2)) if base else "", align=dk.CENTER)
    _cell(table.cell(r, 2), "；".join(n for n in s.notes if "尚无考核记录" in n) or f"已考核{len(base)}个季度", size=9)
    r += 1
    if s.adjustments:
        for a in s.adjustments:
            _cell(table.cell(r, 0), "年度加减分", align=dk.CENTER)
            _cell(table.cell(r, 1), signed(a.points), align=dk.CENTER)
            _cell(table.cell(r, 2), a.reason + ("（" + "；".join(a.sources) + "）" if a.sources else ""), size=9)
            r += 1
    else:
        _cell(table.cell(r, 0), "年度加减分", align=dk.CENTER)
        _cell(table.cell(r, 1), "0", align=dk.CENTER)
        _cell(table.cell(r, 2), "无（最不满意科室−5分、优质服务标兵+2分）", size=9)
        r += 1
    _cell(table.cell(r, 0), "年终总分", dk.HEITI, dk.CENTER)
    _cell(table.cell(r, 1), num(s.total) if s.total is not None else "", dk.HEITI, dk.CENTER)
    rank = next((x.rank for x in result.ranked if x.nominee.key == s.subject), None)
    _cell(table.cell(r, 2), f"全区第{rank}名（共{sum(1 for x in result.ranked if x.rank)}个单位）" if rank else "", size=9)
    for row in table.rows:
        dk.set_row_height(row, 9)
    _info(doc, SIGN_LINE)
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


# ---------------------------------------------------------------------------
# report and notices (seed 004), GB/T 9704
# ---------------------------------------------------------------------------


def _red_head(campaign, number: str):
    doc = layout.new_document()
    layout.issuer_mark(doc, [campaign.issuer.short_name or campaign.issuer.offices[0]])
    layout.doc_number_and_rule(doc, number)
    layout.blank_lines(doc, 1)
    return doc


def _number(campaign) -> str:
    prefix = campaign.issuer.doc_number.split("〔")[0]
    return f"{prefix}〔{campaign.assessment.periods.year}〕　　号"


def _date(campaign) -> dt.date:
    return campaign.deadlines.evaluate or campaign.deadlines.submit.date()


def _finish(doc, campaign, path: Path) -> Path:
    layout.signature(doc, list(campaign.issuer.offices), cn_date(_date(campaign)), blank_before=2)
    imprint(doc, campaign.issuer.offices[0], _date(campaign))
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


def _outcome_words(result) -> list[str]:
    out = []
    for o in result.outcomes:
        word = "首位" if o.place == "first" else "末位"
        if o.subject is None:
            held = f"{'、'.join(o.pending)}总分相同，待评测领导小组决定" if o.pending else o.tie
            out.append(f"{word}待定（{held}）。")
            continue
        line = f"本年度{word}为{o.subject}（{num(o.total)}分）"
        if o.tie:
            line += f"（{o.tie}）"
        if o.history:
            line += f"，{o.history}"
        out.append(line + "。")
    return out


def report(campaign, result, path: Path) -> Path:
    settings = campaign.assessment
    doc = _red_head(campaign, _number(campaign))
    layout.title(doc, settings.report_title or f"关于{campaign.name}结果的报告", after_lines=1)
    layout.recipients(doc, settings.report_to or "区效能办")
    layout.body_par(doc, settings.report_opening or f"现将{campaign.name}结果报告如下：")
    layout.heading(doc, "一、评测结果")
    field_ = [r for r in result.ranked if r.rank]
    layout.body_par(doc, f"参加评测的镇属部门共{len(field_)}个，综合得分及排位见附件。" + "".join(_outcome_words(result)))
    layout.heading(doc, "二、结果运用")
    for o in result.outcomes:
        if o.subject and o.consequences:
            word = "首位" if o.place == "first" else "末位"
            layout.body_par(doc, f"对{word}{o.subject}：{'；'.join(o.consequences)}。")
    layout.body_par(doc, "测评结果已在镇干部职工大会上通报，并作为内设机构工作考评和干部考核的重要依据。")
    layout.body_par(doc, "特此报告。")
    table_title = f"{campaign.name}综合得分排位表"
    layout.attachment_note(doc, [table_title])
    layout.signature(doc, list(campaign.issuer.offices), cn_date(_date(campaign)), blank_before=2)
    layout.attachment_page(doc, None, f"{campaign.name}\n综合得分排位表")
    items = list(assessed_award(campaign).rubric.items)
    heads = ["排位", "部门"] + [i.name for i in items] + ["综合得分"]
    rows = []
    for r in field_:
        s = result.scores[r.nominee.key]
        cells = []
        for i in items:
            v = s.items[i.name].score
            cells.append("" if v is None else num(v) if i.kind == "score" else signed(v))
        rows.append([str(r.rank), s.subject] + cells + [num(s.total)])
    widths = [12, 32] + [round(92 / len(items), 1)] * len(items) + [20]
    layout.list_table(doc, heads, rows, widths, size=dk.SIZE["五号"], align_cols=[None, dk.LEFT] + [None] * (len(heads) - 2))
    imprint(doc, campaign.issuer.offices[0], _date(campaign))
    dk.page_numbers(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    return dk.save_document(doc, path)


def place_notice(campaign, result, o, title: str, path: Path) -> Path:
    settings = campaign.assessment
    doc = _red_head(campaign, _number(campaign))
    layout.title(doc, title, after_lines=1)
    layout.recipients(doc, settings.recipients or campaign.notice.recipients)
    n = sum(1 for r in result.ranked if r.rank)
    opening = (f"根据《{campaign.notice.title.replace(chr(10), '')}》安排，镇评测领导小组对{n}个"
               f"镇属部门开展了{result.period.year}年度作风效能评测，综合得分=公开评议得分+外部测评得分+内部测评得分+加分-扣分，"
               "名次不得并列。")
    layout.body_par(doc, opening)
    if o.place == "first":
        layout.body_par(doc, f"{o.subject}以{num(o.total)}分位列首位。经研究，决定对{o.subject}"
                             f"{'、'.join(o.consequences) or '给予表扬'}。" + (f"（{o.tie}）" if o.tie else ""))
        layout.body_par(doc, "希望受到表扬的部门珍惜荣誉、再接再厉；各部门要以先进为榜样，持续改进作风，提升服务效能。")
    else:
        layout.body_par(doc, f"{o.subject}以{num(o.total)}分位列末位。" + (f"（{o.tie}）" if o.tie else "")
                        + (f"该部门{o.history}。" if o.history else ""))
        layout.body_par(doc, "根据通知“结果运用”的规定，决定：" + "；".join(f"{k + 1}．{c}" for k, c in enumerate(o.consequences))
                        + "。")
        layout.body_par(doc, f"请{o.subject}对照评测中发现的问题，认真分析原因，制定整改措施，限期整改到位，并将整改情况书面报镇评测领导小组办公室。")
    return _finish(doc, campaign, path)

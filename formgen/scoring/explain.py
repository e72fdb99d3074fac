"""Every score explains itself: per item the rules applied, their inputs, points and sources.

``explain_lines`` is what ``formgen explain UNIT`` prints and what the results
workbook's 得分明细 sheet lists, one row per rule applied.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.scoring.assess import ItemLine, SubjectScore
from formgen.scoring.assess_run import PeriodResult
from formgen.scoring.rules import num


@dataclass
class Row:
    subject: str
    period: str  # period title
    item: str
    rule: str
    input: str
    points: str  # signed, as printed: −4 / +2 / 33.6
    reason: str
    sources: str


def signed(x: float | None) -> str:
    if x is None:
        return "—"
    return ("+" if x > 0 else "") + num(x)


def item_text(item: ItemLine) -> str:
    if item.score is None:
        return "未评定"
    if item.kind == "score":
        return f"{num(item.score)}（满分{num(item.max)}）"
    return signed(item.score) + (f"（{item.limit}）" if item.limit else "")


def rows(s: SubjectScore) -> list[Row]:
    out = []
    for item in s.items.values():
        for line in item.lines:
            out.append(Row(s.subject, s.period.title, item.item, line.rule, line.input,
                           signed(line.points) if line.points or line.reason else "0", line.reason,
                           "；".join(line.sources)))
        for note in item.notes:
            out.append(Row(s.subject, s.period.title, item.item, "", "", "", note, ""))
    for key, total in s.parts.items():
        out.append(Row(s.subject, s.period.title, "各期得分", key, "", num(total) if total is not None else "—", "", ""))
    for a in s.adjustments:
        out.append(Row(s.subject, s.period.title, "年度加减分", a.rule, a.input, signed(a.points), a.reason,
                       "；".join(a.sources)))
    return out


def reasons(item: ItemLine) -> str:
    """The 扣分及原因 cell of a score sheet: every rule's reason, then the item's notes."""
    return "；".join([li.reason for li in item.lines if li.reason] + item.notes)


def explain_text(result: PeriodResult, subject: str) -> list[str]:
    """Terminal lines explaining one subject's score for the period."""
    s = result.scores[subject]
    rank = next((r for r in result.ranked if r.nominee.key == subject), None)
    head = f"{subject}　{result.period.title}　总分 {num(s.total) if s.total is not None else '—'}"
    if rank and rank.rank:
        head += f"　第{rank.rank}名（共{sum(1 for r in result.ranked if r.rank)}名）"
    out = [head]
    for key, total in s.parts.items():
        part = result.parts.get(key, {}).get(subject)
        out.append(f"  {part.period.title if part else key}：{num(total) if total is not None else '—'}")
        if part:
            out += _item_block(part, indent="    ", only_touched=True)
    if s.items:
        out += _item_block(s, indent="  ")
    for a in s.adjustments:
        out.append(f"  年度加减分：{a.reason}（{signed(a.points)}）")
        out += [f"      来源：{src}" for src in a.sources]
    out += [f"  说明：{n}" for n in s.notes]
    if rank:
        out += [f"  名次：{n}" for n in rank.tie_notes]
    for o in result.outcomes:
        if o.subject == subject or subject in o.pending:
            word = "首位" if o.place == "first" else "末位"
            out.append(f"  {word}：{o.tie or ''}{'；' if o.tie and o.consequences else ''}{'；'.join(o.consequences)}"
                       + (f"（{o.history}）" if o.history else ""))
    return out


def _item_block(s: SubjectScore, indent: str, only_touched: bool = False) -> list[str]:
    out = []
    for item in s.items.values():
        touched = any(li.points for li in item.lines) or item.notes
        if only_touched and not touched:
            continue
        none = "（无加分）" if item.kind == "bonus" else "（无扣分）"
        out.append(f"{indent}{item.item}：{item_text(item)}" + ("" if touched else none))
        for line in item.lines:
            what = line.reason or f"{line.rule}：{line.input}，未扣分"
            out.append(f"{indent}  · {what}（{line.input}）{signed(line.points)}" if line.reason else f"{indent}  · {what}")
            out += [f"{indent}      来源：{src}" for src in line.sources]
        out += [f"{indent}  · {n}" for n in item.notes]
    return out


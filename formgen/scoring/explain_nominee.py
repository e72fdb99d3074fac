"""``formgen explain`` for awards scored per nominee (seeds 000, 001, 003): every item of one
subject with its points, each scorer's value and reason (扣分及原因), and where it came from
(the scorer's workbook, or the field of the unit's own form). Pure: the ranking and the
workbook names are passed in.
"""
from __future__ import annotations

from formgen.campaign.model import Campaign
from formgen.campaign.scope import rubric_for
from formgen.scoring.rank import Ranked
from formgen.scoring.rules import num


def find(ranked: dict[str, list[Ranked]], query: str) -> list[tuple[str, Ranked]]:
    """(award id, row) of every subject named ``query`` (the unit, or the person/window/hall)."""
    q = "".join(query.split())
    return [(aid, r) for aid, rows in ranked.items() for r in rows
            if q in ("".join(r.nominee.unit.split()), "".join(r.nominee.name.split()))]


def discipline_line(facts: dict) -> str:
    """The veto “本年度单位及个人没有受到效能或党政纪处理” as explain shows it, with its source."""
    d, source = facts.get("discipline"), facts.get("discipline_source")
    if d is None:
        return "效能或党政纪处理：尚无记录（申报表未声明，也没有人工记录；可用 formgen discipline 记录）"
    said = "无" if d is False else ("有" if d is True else f"有（{d}）")
    return f"效能或党政纪处理：{said}　来源：{source or '—'}"


def explain_lines(campaign: Campaign, award_id: str, r: Ranked, workbooks: dict[str, str]) -> list[str]:
    award = campaign.award(award_id)
    n, s = r.nominee, r.score
    who = n.unit if n.name == n.unit else f"{n.name}（{n.unit}）"
    out = [f"{who}｜{award.name}" + (f"（{n.category}）" if n.category else "")]
    place = f"第{r.rank}名" if r.rank is not None else "未排名"
    grade = f"，{r.grade}" if getattr(r, "grade", "") else ""
    out.append(f"  总分 {num(s.total) if s.total is not None else '—'}　{place}{grade}　结果：{r.status or '—'}")
    fields = {rule.field: rule.label or item.name for item in rubric_for(award, n.category).items
              for rule in item.rules if rule.field}
    for item in rubric_for(award, n.category).items:
        it = s.items.get(item.name)
        if it is None:
            continue
        what = "扣" if item.kind == "deduction" else ""
        shown = "—（尚无）" if it.score is None else f"{what}{num(abs(it.score) if what else it.score)}分"
        head = f"  {item.name}（{num(item.max)}分）：{shown}"
        if it.per_judge:
            many = len(it.per_judge) > 1
            head += f"　{it.method}" if many else ""
            srcs = "、".join(f"{j} {num(v)}" + (f"（{workbooks[j]}）" if j in workbooks and not many else "")
                             for j, v in it.per_judge.items())
            head += f"　来源：{srcs}"
        out.append(head)
        reasons: dict[str, list[str]] = {}
        for line in it.reasons:
            judge, _, text = line.partition("：") if "：" in line and line.split("：", 1)[0] in it.per_judge \
                else ("", "", line)
            reasons.setdefault(text, []).append(judge)
        for text, judges in reasons.items():
            by = "" if not judges[0] else (f"（{judges[0]}）" if len(judges) == 1 else f"（{len(judges)}人相同）")
            out.append(f"      {text}{by}")
        for note in it.notes:
            out.append(f"      说明：{note}")
    for key, label in fields.items():
        value = n.fields.get(key)
        out.append(f"  申报表填写：{label} = {value if value not in (None, '') else '（未填写）'}")
    if award.eligibility.no_discipline:
        out.append(f"  {discipline_line(n.facts)}")
    if not r.eligible:
        out += [f"  不符合条件：{x}" for x in r.ineligible]
    out += [f"  问题：{f}" for f in s.flags]
    out += [f"  排名说明：{t}" for t in r.tie_notes]
    return out

"""Ties a person decides in an award ranking (an award whose ``tie_break`` has ``decided``).

The decision is the same ledger record as ``formgen decide`` writes for a period's first / last
place (``ledger.events.tie_decisions``, period ``award``): who decided, why, when; every decision
is kept and the latest for a pair counts. The next ``formgen score`` ranks by it.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.campaign.model import Award
from formgen.errors import FormgenError
from formgen.ledger.events import AWARD_TIES, load_decisions, record_decision
from formgen.records import Nominee
from formgen.scoring.rank import Ranked
from formgen.scoring.run import score_campaign
from formgen.workspace import Workspace


@dataclass
class HeldTie:
    award_id: str
    upper: Nominee  # listed first for now (by the criteria after ``decided``)
    lower: Nominee
    total: float
    at_line: bool  # one of the two is within the quota, the other not


def held_ties(ws: Workspace, ranked: dict[str, list[Ranked]] | None = None) -> list[HeldTie]:
    """Every pair of neighbours with equal totals that waits for a person's decision."""
    from formgen.scoring.stage import ledger_nominees

    ranked = ranked if ranked is not None else score_campaign(ws, ledger_nominees(ws))
    out = []
    for award_id, rows in ranked.items():
        for up, down in zip(rows, rows[1:]):
            if up.held and down.held and up.total == down.total:
                out.append(HeldTie(award_id, up.nominee, down.nominee, up.total, up.selected != down.selected))
    return out


def find_award(ws: Workspace, text: str) -> Award:
    for a in ws.campaign.awards:
        if text.strip() in (a.id, a.name):
            return a
    raise FormgenError(f"没有奖项“{text}”；可选：{'、'.join(a.name for a in ws.campaign.awards)}")


def _nominee(rows: list[Ranked], text: str, award: Award) -> Ranked:
    q = "".join(text.split())
    hits = [r for r in rows if q in (r.nominee.key, "".join(r.nominee.name.split()), "".join(r.nominee.unit.split()))]
    if len(hits) != 1:
        what = "有多个" if hits else "没有"
        raise FormgenError(f"{award.name}中{what}名为“{text}”的参评对象；请写明单位或名称（见评选结果表）")
    return hits[0]


def decide_award_tie(ws: Workspace, award_text: str, above: str, below: str, by: str, reason: str = "") -> tuple[Nominee, Nominee]:
    """Record that ``above`` ranks before ``below`` (equal totals) in the award, decided by ``by``."""
    from formgen.scoring.stage import ledger_nominees

    award = find_award(ws, award_text)
    if not by.strip():
        raise FormgenError("请写明作出决定的人（如 评选领导小组组长 张三）")
    if "decided" not in award.tie_break:
        raise FormgenError(f"{award.name}的同分按 tie_break 规则自动排序，不由人工决定；"
                           "如需人工决定，请在 campaign.yaml 该奖项的 tie_break 中加入 decided")
    rows = score_campaign(ws, ledger_nominees(ws)).get(award.id, [])
    a, b = _nominee(rows, above, award), _nominee(rows, below, award)
    if a.nominee.key == b.nominee.key:
        raise FormgenError("列前者与列后者不能是同一个对象")
    if a.total is None or a.total != b.total:
        raise FormgenError(f"{a.nominee.name}（{a.total}分）与{b.nominee.name}（{b.total}分）总分不同，"
                           "名次由总分决定，无需决定")
    with ws.ledger() as ledger:
        record_decision(ledger, award.id, AWARD_TIES, a.nominee.key, b.nominee.key, by.strip(), reason.strip())
    return a.nominee, b.nominee


def tie_history(ws: Workspace, award_id: str) -> list[dict]:
    """Every tie decision of the award, oldest first (who, why, when)."""
    with ws.ledger() as ledger:
        return load_decisions(ledger, award_id, AWARD_TIES)

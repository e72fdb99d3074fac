"""A quota shared by several awards (seed 003: 三牛奖, 90 a quarter across 孺子牛/拓荒牛/老黄牛).

Each award is ranked on its own (its own tie-break chain). The shared places
then go down the combined list by total (higher first; equal totals by the
better rank within its own award, then the award's order in the quota), each
award never beyond its own ``quota.total``, until the shared total is reached.
A person put forward for two of the awards takes at most one place (the
better one); the other row says why. Rows that lost their place say so.
"""
from __future__ import annotations

from formgen.campaign.model import Campaign, SharedQuota
from formgen.scoring.rank import Ranked


def apply_shared_quotas(campaign: Campaign, ranked: dict[str, list[Ranked]]) -> None:
    for quota in campaign.shared_quotas:
        apply_shared_quota(campaign, quota, ranked)


def apply_shared_quota(campaign: Campaign, quota: SharedQuota, ranked: dict[str, list[Ranked]]) -> None:
    pool: list[tuple[float, int, int, str, Ranked]] = []
    for order, award_id in enumerate(quota.awards):
        for r in ranked.get(award_id, []):
            if r.rank is not None:
                pool.append((-(r.total or 0.0), r.rank, order, award_id, r))
    pool.sort(key=lambda t: t[:3])
    limits = {a: campaign.award(a).quota.total for a in quota.awards}
    taken = {a: 0 for a in quota.awards}
    people: dict[tuple[str, str], str] = {}
    chosen = 0
    for _, _, _, award_id, r in pool:
        r.selected, r.recommended = False, False
        who = (r.nominee.unit, r.nominee.name)
        if who in people:
            r.status = f"已在“{people[who]}”入选，{quota.name}同一人只计一项"
        elif chosen >= quota.total:
            r.status = f"超出{quota.name}共用名额（共{quota.total}名）"
        elif taken[award_id] >= limits[award_id]:
            r.status = f"超出名额（共{limits[award_id]}名）"
        else:
            r.selected, r.status = True, "入选"
            chosen += 1
            taken[award_id] += 1
            people[who] = campaign.award(award_id).name

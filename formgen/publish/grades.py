"""Graded honours in print (seed 003: 最美政务大厅 and 优秀政务大厅 from one ranking).

For publishing, an award with ``grades`` becomes one award per grade — its own
list in the publicity and the commendation, its own certificate wording and
folder — holding the winners ``formgen score`` gave that grade.
"""
from __future__ import annotations

from formgen.campaign.model import Campaign


def split_grades(campaign: Campaign, winners: dict[str, list], stored: dict[str, list]) -> tuple[Campaign, dict]:
    """(campaign, winners) with each graded award replaced by one award per grade."""
    awards, out = [], dict(winners)
    for a in campaign.awards:
        if not a.grades:
            awards.append(a)
            continue
        grade_of = {(r.nominee.unit, r.nominee.name): r.grade for r in stored.get(a.id, []) if r.selected}
        chosen = out.pop(a.id, [])
        for n, g in enumerate(a.grades, start=1):
            gid = f"{a.id}_{n}"
            awards.append(a.model_copy(update={"id": gid, "name": g.name, "title_for_winner": g.name, "grades": [],
                                               "quota": a.quota.model_copy(update={"total": g.count})}))
            out[gid] = [w for w in chosen if grade_of.get((w.unit, w.name)) == g.name]
    return campaign.model_copy(update={"awards": awards}), out

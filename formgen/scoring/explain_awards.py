"""``formgen explain NAME`` where awards are scored per nominee (no ``assessment``): the
workspace side of ``formgen.scoring.explain_nominee`` (nominees and judges' workbooks from
the ledger, the ranking with every rule's details)."""
from __future__ import annotations

import difflib

from formgen.errors import FormgenError
from formgen.ledger.judging import judge_reads
from formgen.ledger.views import nominees
from formgen.scoring.explain_nominee import explain_lines, find
from formgen.scoring.run import score_campaign
from formgen.workspace import Workspace


def explain_subject(ws: Workspace, query: str) -> list[str]:
    """The lines explaining every award's score of the unit or person named ``query`` (blank line after each)."""
    with ws.ledger() as ledger:
        found = nominees(ledger, ws.campaign, ws.units)
        workbooks = {r["judge"]: r["workbook"] for r in judge_reads(ledger) if r.get("workbook")}
    ranked = score_campaign(ws, found)  # the stored result has no per-rule details: score again
    hits = find(ranked, query)
    if not hits:
        names = sorted({x for rows in ranked.values() for r in rows for x in (r.nominee.unit, r.nominee.name)})
        close = difflib.get_close_matches(query, names, n=1, cutoff=0.3)
        raise FormgenError(f"没有名为“{query}”的参评单位或对象" + (f"，是否为“{close[0]}”？" if close else ""))
    lines: list[str] = []
    for award_id, r in hits:
        lines += explain_lines(ws.campaign, award_id, r, workbooks) + [""]
    return lines

"""``formgen explain NAME`` where the awards are scored per nominee (no ``assessment``): the
subject's items, scorers, reasons and sources (formgen.scoring.explain_nominee)."""
from __future__ import annotations

import difflib

import click

from formgen.errors import FormgenError


def explain_awards(ws, query: str) -> None:
    from formgen.ledger.judging import judge_reads
    from formgen.ledger.views import nominees
    from formgen.scoring.explain_nominee import explain_lines, find
    from formgen.scoring.run import score_campaign

    with ws.ledger() as ledger:
        found = nominees(ledger, ws.campaign, ws.units)
        workbooks = {r["judge"]: r["workbook"] for r in judge_reads(ledger) if r.get("workbook")}
    ranked = score_campaign(ws, found)
    hits = find(ranked, query)
    if not hits:
        names = sorted({x for rows in ranked.values() for r in rows for x in (r.nominee.unit, r.nominee.name)})
        close = difflib.get_close_matches(query, names, n=1, cutoff=0.3)
        raise FormgenError(f"没有名为“{query}”的参评单位或对象" + (f"，是否为“{close[0]}”？" if close else ""))
    for award_id, r in hits:
        for line in explain_lines(ws.campaign, award_id, r, workbooks):
            click.echo(line)
        click.echo("")

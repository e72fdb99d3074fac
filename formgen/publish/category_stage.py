"""The publish stage of a ranking-only campaign (seed 001): 考核结果通报 by unit category.

Like ``formgen.publish.stage``, it prints the ranking the last ``formgen score``
stored in the ledger, never one computed afresh.
"""
from __future__ import annotations

import datetime as dt

from formgen.errors import FormgenError
from formgen.ledger.results import load_score_results, stale_since
from formgen.publish.category_results import RESULTS_NOTICE, write_results_notice
from formgen.publish.stage import Published, parse_date
from formgen.workspace import Workspace


def publish_results_notice(ws: Workspace, date: str | None = None) -> Published:
    """考核结果通报.docx (one per award ranked within categories) in out/publish/.

    ``date``: the 成文日期, YYYY-MM-DD (default campaign.yaml's deadlines.commend, else
    deadlines.evaluate, else today).
    """
    d = ws.campaign.deadlines
    when = parse_date(date, "--date") or d.commend or d.evaluate or dt.date.today()
    awards = [a for a in ws.campaign.awards if a.rank_within == "category"]
    if not awards:
        raise FormgenError("本活动没有按类别排名的奖项（campaign.yaml 中 rank_within: category），无需生成考核结果通报")
    with ws.ledger() as ledger:
        stored = load_score_results(ledger)
        since = stale_since(ledger)
    if not stored:
        raise FormgenError("还没有计分结果；请先运行 formgen score（评分报送表读回后计分、排名），再发布")
    done = Published(paths=[])
    for award in awards:
        name = RESULTS_NOTICE if len(awards) == 1 else f"{award.name}_{RESULTS_NOTICE}"
        path = write_results_notice(ws.campaign, award, stored.get(award.id, []), ws.out_dir("publish") / name, when)
        done.paths.append(path)
        done.documents.append(path)
    if since is not None:
        done.notes.append(f"{since:%Y-%m-%d %H:%M} 又读入了评分，发布的仍是上次计分的结果；如需更新请先运行 formgen score")
    return done

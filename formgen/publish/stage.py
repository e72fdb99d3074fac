"""The publish stage against a workspace: the stored score result in, every document out.

Publish prints what ``formgen score`` stored in the ledger (and showed the clerk), never
a ranking computed afresh. ``publish_campaign`` writes the documents; ``Published.printable``
are the ones to convert (``formgen.publish.run.to_pdf``, one LibreOffice call).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from formgen.errors import FormgenError
from formgen.ledger.decisions import staff_name
from formgen.ledger.results import load_score_results, lock_results, locked_since, stale_since
from formgen.scoring.rank import HELD_AT_LINE
from formgen.publish.model import PublishInput, Winner
from formgen.publish.run import notes, printable, publish, winners_from_ranked
from formgen.workspace import Workspace


def stored_winners(ws: Workspace) -> dict[str, list[Winner]]:
    """The selected of every award as the last ``formgen score`` stored them (with the form
    fields the publicity list prints, and no others)."""
    with ws.ledger() as ledger:
        stored = load_score_results(ledger)
    if not stored:
        raise FormgenError("还没有计分结果；请先运行 formgen score（评委评分读回后计分、排名、确定入选），再发布")
    held = [r for rows in stored.values() for r in rows if r.status == HELD_AT_LINE]
    if held:
        names = "、".join(f"{r.nominee.unit}{r.nominee.name}" for r in held[:4])
        raise FormgenError(f"名额线上有同分待定（{names}），须先由人工决定谁列前（formgen decide 或工作台“评分”页），"
                           "再运行 formgen score，然后发布")
    winners = winners_from_ranked(stored, ws.campaign.publication.list_fields)
    if not any(winners.values()):
        raise FormgenError("还没有入选对象（评委评分尚未读回？）；请先运行 formgen panel --read，再用 formgen score 查看结果")
    return winners


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line as YYYY-MM-DD (None when not given)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FormgenError(f"{option} 的日期“{value}”无法识别，请写成 YYYY-MM-DD，如 2014-11-17") from None


@dataclass
class Published:
    paths: list[Path]  # everything written
    documents: list[Path] = field(default_factory=list)  # the documents in out/publish/ itself
    certificates: dict[Path, int] = field(default_factory=dict)  # folder of single certificates → how many
    notes: list[str] = field(default_factory=list)  # what the clerk should check (Chinese)

    @property
    def printable(self) -> list[Path]:
        """The documents worth a PDF (not the single certificates)."""
        return printable(self.paths)


def publish_campaign(ws: Workspace, date: str | None = None, commend_date: str | None = None,
                     who: str | None = None) -> Published:
    """Publicity list, commendation notice, plaque list and certificates from the stored score result.

    ``date``: the publicity list's date (default campaign.yaml's deadlines.publicity_start, else today);
    ``commend_date``: the commendation's (default the first working day after the publicity).
    """
    campaign = ws.campaign
    decided = parse_date(date, "--date") or campaign.deadlines.publicity_start or dt.date.today()
    winners = stored_winners(ws)
    if any(a.grades for a in campaign.awards):  # 最美 / 优秀: a list, a paragraph and certificates each
        from formgen.publish.grades import split_grades

        with ws.ledger() as ledger:
            campaign, winners = split_grades(campaign, winners, load_score_results(ledger))
    data = PublishInput(campaign, winners, decided, parse_date(commend_date, "--commend-date"),
                        unit_order=[u.name for u in ws.units])
    paths = publish(ws, data)
    done = Published(paths, notes=notes(data))
    top = paths[0].parent if paths else None
    for p in paths:
        if p.parent == top:
            done.documents.append(p)
        else:
            done.certificates[p.parent] = done.certificates.get(p.parent, 0) + 1
    with ws.ledger() as ledger:
        since = stale_since(ledger)
        if locked_since(ledger) is None:  # published: from now on a changed result needs a reason
            lock_results(ledger, who or staff_name())
    if since is not None:
        done.notes.append(f"{since:%Y-%m-%d %H:%M} 又读入了评委评分，发布的仍是上次计分的结果；如需更新请先运行 formgen score")
    return done


"""What the scoring page shows, as stage functions the CLI can call too.

``ranking_board``: the stored result (what ``formgen publish`` prints) per award, with the quota
line, whether it is published (locked) and whether judges' scores came in after it.
``explain_points``: one subject's every point and its source (``explain_lines``), with the crop of
each cell read from a scan or photo (``ledger.crops``) of the unit's forms for that award.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from formgen.campaign.model import Award
from formgen.errors import FormgenError
from formgen.ledger.crops import crops_by_value
from formgen.ledger.forms import effective_forms
from formgen.ledger.judging import judge_reads
from formgen.ledger.results import ScoredNominee, load_score_results, locked_since, result_versions, stale_since
from formgen.scoring.explain_nominee import explain_lines
from formgen.scoring.rank import HELD_AT_LINE
from formgen.workspace import Workspace


@dataclass
class AwardBoard:
    award: Award
    rows: list[ScoredNominee]
    line_after: int | None  # index of the last row within the quota (the line is drawn under it)

    @property
    def held(self) -> list[ScoredNominee]:
        return [r for r in self.rows if r.status == HELD_AT_LINE]


@dataclass
class Board:
    awards: list[AwardBoard] = field(default_factory=list)
    published: tuple[datetime, str] | None = None  # (when, who): a change now needs a reason
    stale_since: datetime | None = None  # judges' scores read after the last scoring
    versions: int = 0  # published results replaced later (kept whole)


def quota_line(award: Award, rows: list[ScoredNominee]) -> int | None:
    """Under which row the quota line runs: the last one selected (else the quota's count of ranked rows)."""
    chosen = [i for i, r in enumerate(rows) if r.selected or r.status == HELD_AT_LINE]
    if chosen:
        return chosen[-1]
    ranked = [i for i, r in enumerate(rows) if r.rank is not None]
    return ranked[min(award.quota.total, len(ranked)) - 1] if ranked and award.quota.total else None


def ranking_board(ws: Workspace) -> Board:
    with ws.ledger() as ledger:
        stored = load_score_results(ledger)
        board = Board(published=locked_since(ledger), stale_since=stale_since(ledger),
                      versions=len(result_versions(ledger)))
    for award in ws.campaign.awards:
        rows = stored.get(award.id)
        if rows:
            board.awards.append(AwardBoard(award, rows, quota_line(award, rows)))
    return board


@dataclass
class Explained:
    award: Award
    lines: list[str]
    crops: list[tuple[str, int, bytes]]  # (the value's key, form id, PNG) of cells read from images


def explain_points(ws: Workspace, award_id: str, nominee_key: str) -> Explained:
    """Every point of one subject in one award and its source, with the crops of scanned cells."""
    from formgen.scoring.run import score_campaign
    from formgen.scoring.stage import ledger_nominees

    award = next((a for a in ws.campaign.awards if a.id == award_id), None)
    if award is None:
        raise FormgenError(f"没有奖项 {award_id}")
    ranked = score_campaign(ws, ledger_nominees(ws)).get(award_id, [])
    row = next((r for r in ranked if r.nominee.key == nominee_key), None)
    if row is None:
        raise FormgenError(f"{award.name}中没有编号为“{nominee_key}”的参评对象")
    with ws.ledger() as ledger:
        workbooks = {r["judge"]: r["workbook"] for r in judge_reads(ledger) if r.get("workbook")}
        crops = crops_by_value(ledger)
        forms = [f for t in (award.nomination_form, award.score_form) if t
                 for f in effective_forms(ledger, row.nominee.unit, t)]
    shown = [(key, f.id, png) for f in forms for (fid, key), png in sorted(crops.items()) if fid == f.id]
    return Explained(award, explain_lines(ws.campaign, award_id, row, workbooks), shown)

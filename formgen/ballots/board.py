"""What the ballots page shows, as stage functions the CLI can call too: per rating the tallies per
rater group, the rows waiting for a person (with the crop of the row), and the check-in list of
sheet numbers printed and come back."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from formgen.ballots.pdf import sheet_serials
from formgen.ballots.run import ballot_settings
from formgen.ledger import ballots as LB
from formgen.ledger.tallies import tally_counts
from formgen.workspace import Workspace


@dataclass
class FlaggedRow:
    source: str
    row_no: int
    subject: str
    group: str
    reason: str
    suggested: str | None
    crop: bytes | None
    file: str
    file_page: int
    decided: LB.BallotDecision | None = None


@dataclass
class CheckIn:
    group: str
    printed: list[int]  # sheet numbers printed for the group
    returned: set[int] = field(default_factory=set)

    @property
    def missing(self) -> list[int]:
        return [s for s in self.printed if s not in self.returned]


@dataclass
class RatingBoard:
    id: str
    title: str
    levels: list[str]
    groups: list[str]
    # subject → group → level → count; plus 无效 and 待判定 per (subject, group)
    counts: dict[str, dict[str, dict[str, int]]]
    invalid: dict[tuple[str, str], int]
    pending: dict[tuple[str, str], int]
    flagged: list[FlaggedRow]
    checkin: list[CheckIn]


def ballot_board(ws: Workspace) -> list[RatingBoard]:
    settings = ballot_settings(ws)
    with ws.ledger() as ledger:
        reads = LB.page_reads(ledger)
        decided = LB.latest_decisions(ledger)
        counted = {r.id: tally_counts(ledger, r.id) for r in settings.ratings}
    out = []
    for rating in settings.ratings:
        groups = [g.name for g in rating.groups]
        counts = {s: {g: {lv: counted[rating.id].get((s, g, lv), 0) for lv in rating.levels} for g in groups}
                  for s in rating.subjects}
        invalid: dict[tuple[str, str], int] = defaultdict(int)
        pending: dict[tuple[str, str], int] = defaultdict(int)
        checkin = {g: CheckIn(g, []) for g in groups}
        for gi, serial in sheet_serials(rating):
            checkin[groups[gi]].printed.append(serial)
        flagged = []
        for r in reads:
            if r.rating != rating.id:
                continue
            if r.group in checkin:
                checkin[r.group].returned.add(r.serial)
            d = decided.get((r.source, r.row_no))
            if d and d.level == LB.INVALID or not d and r.status in ("empty", "multiple"):
                invalid[(r.subject, r.group)] += 1
            elif not d and r.status == "flagged":
                pending[(r.subject, r.group)] += 1
            if r.status == "flagged":
                flagged.append(FlaggedRow(r.source, r.row_no, r.subject, r.group, r.reason, r.level, r.crop,
                                          r.file, r.file_page, d))
        flagged.sort(key=lambda f: (f.decided is not None, f.source, f.row_no))  # undecided first
        out.append(RatingBoard(rating.id, rating.title, list(rating.levels), groups, counts, dict(invalid),
                               dict(pending), flagged, list(checkin.values())))
    return out

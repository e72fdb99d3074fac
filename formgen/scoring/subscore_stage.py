"""The scorers' workbooks stage (``formgen scorers``) against a workspace.

``issue_scorer_books`` writes one workbook per department that owns sub-scores and
per member of the review group (``formgen.scoring.subscore_book``);
``read_scorer_books`` reads the filled ones back into the ledger, one judge read per
scorer and award. Bad cells are problems to list, never a stop.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from formgen.errors import FormgenError
from formgen.ledger.judging import save_judge_read
from formgen.ledger.views import nominees as ledger_nominees
from formgen.scoring.subscore_book import owners, read_book, write_books
from formgen.workspace import Workspace
from formgen.intake.folders import workbooks_in

RETURNED = "returned"  # out/scorers/returned/: where the filled workbooks go


def scorer_names(campaign, judges: str | None = None) -> list[str]:
    """Departments owning sub-scores first, then the review group (``--judges 张三,李四`` or campaign.yaml)."""
    group = ([p.strip() for p in judges.replace("，", ",").replace("、", ",").split(",") if p.strip()] if judges
             else [j.name for j in campaign.judges])
    own = owners(campaign)
    return own + [j for j in group if j not in own]


def issue_scorer_books(ws: Workspace, judges: str | None = None) -> list[Path]:
    """The blank workbooks in out/scorers/ (and an empty out/scorers/returned/ for the filled ones)."""
    with ws.ledger() as ledger:
        found = ledger_nominees(ledger, ws.campaign, ws.units)
    if not any(found.values()):
        raise FormgenError("还没有任何参评对象（申报表尚未收到）；请先运行 formgen collect")
    scorers = scorer_names(ws.campaign, judges)
    if not scorers:
        raise FormgenError("没有评分人：请在 campaign.yaml 的 judges 中填写考评小组成员，或用 --judges 张三,李四 指定")
    paths = write_books(ws, scorers, found)
    if not paths:
        raise FormgenError("评分人都没有需要评分的项目或对象（检查 campaign.yaml 中评分项的 source 与奖项的 categories）")
    (ws.out_dir("scorers") / RETURNED).mkdir(exist_ok=True)
    return paths


@dataclass
class ScorerReturns:
    read: list[tuple[str, str, int]] = field(default_factory=list)  # (file name, scorer, cells filled)
    problems: list[str] = field(default_factory=list)  # one Chinese line per bad cell or file


def read_scorer_books(ws: Workspace, files: list[Path] | None = None) -> ScorerReturns:
    """Read ``files`` (default every .xlsx in out/scorers/returned/) into the ledger.

    A workbook read again replaces that scorer's earlier read of the same award. Nothing
    read (``read`` empty) is for the caller to report, after the problems.
    """
    returned = ws.out_dir("scorers") / RETURNED
    paths = list(files) if files else workbooks_in(returned)
    if not paths:
        raise FormgenError("out/scorers/returned/ 中没有评分报送表；请把填好的 .xlsx 放入该目录，或在命令后写出文件名")
    done = ScorerReturns()
    with ws.ledger() as ledger:
        for path in paths:
            r = read_book(path)
            done.problems += [str(p) for p in r.problems]
            for award_id in sorted({s.award_id for s in r.scores}):
                save_judge_read(ledger, r.scorer, award_id, [s for s in r.scores if s.award_id == award_id],
                                path.name, r.sha256)
            if r.scores:
                done.read.append((path.name, r.scorer, r.filled))
    return done

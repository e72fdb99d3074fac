"""The scoring stage against a workspace: judges' workbooks out and back, and the scoring run.

``issue_panel`` writes one workbook per judge; ``read_returns`` reads the filled ones into the
ledger; ``score`` ranks every award, writes 评选结果.xlsx and stores the result in the ledger
for ``formgen publish``. The rules themselves are pure (``scoring.run``); this module only
moves data between them, the ledger and the workspace.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from formgen.campaign.model import Campaign, Judge
from formgen.errors import FormgenError
from formgen.ledger import views
from formgen.ledger.judging import save_judge_read
from formgen.ledger.decisions import staff_name
from formgen.ledger.results import (archive_result, load_score_results, locked_since, result_signature,
                                    save_score_results)
from formgen.records import Nominee
from formgen.scoring.panel import PanelRead, read_panel_files, write_panel
from formgen.scoring.rank import Ranked
from formgen.scoring.results import write_results
from formgen.scoring.run import score_campaign
from formgen.intake.folders import workbooks_in
from formgen.xlsx import BookProblem
from formgen.workspace import Workspace

RETURNED = "returned"  # out/panel/returned/: where the filled workbooks go


def ledger_nominees(ws: Workspace) -> dict[str, list[Nominee]]:
    """The nominees of every award from the forms in the ledger; an error when there are none."""
    with ws.ledger() as ledger:
        found = views.nominees(ledger, ws.campaign, ws.units)
    if not any(found.values()):
        raise FormgenError("台账中还没有任何推荐表，无法评分；请先把各单位报送的文件放入 forms_in/ 并运行 formgen collect")
    return found


def panel_judges(campaign: Campaign, names: str | None) -> list[Judge]:
    """The judges named on the command line (``张三,李四:班子成员``), else campaign.yaml's ``judges``."""
    if names:
        parts = [p.strip() for p in names.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        judges = [Judge.model_validate(n) for n in parts]
    else:
        judges = list(campaign.judges)
    if not judges:
        raise FormgenError("没有指定评委：请用 formgen panel --judges 张三,李四,王五，"
                           "或在 campaign.yaml 的 judges 中填写综合评定小组成员")
    seen = set()
    for j in judges:
        if not j.name:
            raise FormgenError("评委姓名不能为空（--judges 用逗号分隔姓名，组别写在冒号后，如 张三:班子成员）")
        if j.name in seen:
            raise FormgenError(f"评委“{j.name}”重复出现，请检查 --judges 或 campaign.yaml 的 judges")
        seen.add(j.name)
    return judges


@dataclass
class PanelIssued:
    paths: list[Path]  # one workbook per judge
    nominees: dict[str, int]  # award name → nominees in the workbooks
    returned: Path  # where the filled workbooks go


def issue_panel(ws: Workspace, judge_names: str | None = None) -> PanelIssued:
    """One scoring workbook per judge in out/panel/, and an empty out/panel/returned/."""
    judges = panel_judges(ws.campaign, judge_names)
    nominees = ledger_nominees(ws)
    paths = write_panel(ws, judges, nominees)
    returned = ws.out_dir("panel") / RETURNED
    returned.mkdir(exist_ok=True)
    counts = {a.name: len(nominees[a.id]) for a in ws.campaign.awards if nominees.get(a.id)}
    return PanelIssued(paths, counts, returned)


@dataclass
class PanelReturns:
    reads: list[PanelRead]
    saved: list[PanelRead] = field(default_factory=list)  # workbooks whose scores are now in the ledger

    @property
    def problems(self) -> list[BookProblem]:
        return [p for r in self.reads for p in r.problems]


def read_returns(ws: Workspace, files: list[Path] | None = None) -> PanelReturns:
    """Read filled workbooks (``files``, folders allowed; default out/panel/returned/) into the ledger.

    A workbook replaces what its judge had before for the same award.
    """
    if files:
        paths: list[Path] = []
        for f in files:
            if f.is_dir():
                paths += workbooks_in(f)
            elif f.exists():
                paths.append(f)
            else:
                raise FormgenError(f"找不到文件 {f}")
    else:
        returned = ws.out_dir("panel") / RETURNED
        paths = workbooks_in(returned)
        if not paths:
            raise FormgenError(f"out/panel/{RETURNED}/ 中没有评分表；请把评委填好的 .xlsx 放入该目录，或在命令后写出文件名")
    report = PanelReturns(read_panel_files(ws, paths))
    with ws.ledger() as ledger:
        for r in report.reads:
            for award_id in r.awards:
                save_judge_read(ledger, r.judge, award_id, [s for s in r.scores if s.award_id == award_id],
                                r.path.name, r.sha256)
            if r.awards:
                report.saved.append(r)
    return report


@dataclass
class ScoreRun:
    ranked: dict[str, list[Ranked]]  # award id → ranking
    workbook: Path  # out/score/评选结果.xlsx
    replaced_version: int | None = None  # a published result replaced (with a reason): its kept version


def score(ws: Workspace, reason: str | None = None, who: str | None = None) -> ScoreRun:
    """Rank every award, write 评选结果.xlsx and keep the result in the ledger for publish.

    Once the result was published it is locked: a ranking that differs replaces it only with a
    ``reason``, and the published version is kept whole (``ledger.results.result_versions``)."""
    ranked = score_campaign(ws, ledger_nominees(ws))
    with ws.ledger() as ledger:
        lock = locked_since(ledger)
        changed = lock is not None and result_signature(ranked) != result_signature(load_score_results(ledger))
        if changed and not (reason or "").strip():
            raise FormgenError(f"评选结果已于 {lock[0]:%Y-%m-%d %H:%M} 发布（{lock[1]}），本次计分结果与已发布的不同；"
                               "如确需更改，请写明理由（formgen score --reason 理由），原结果将完整保留")
    path = write_results(ws, ranked)
    version = None
    with ws.ledger() as ledger:
        if changed:
            version = archive_result(ledger, who or staff_name(), reason.strip())
        save_score_results(ledger, ranked)
    return ScoreRun(ranked, path, version)

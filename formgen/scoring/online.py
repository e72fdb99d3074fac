"""Judges scoring on the desk, beside the Excel round trip.

Each judge gets a personal link (``ledger.judge_links``); with it they see only the subjects
they score. 回避: a judge whose ``unit`` is set is not shown that unit's candidates unless a
clerk overrides it — the override is a staff decision (scope ``recusal``) with who and why.
Every cell is checked by ``scoring.panel.check_cell`` with the bounds the workbook carries
(``cell_bounds``), and the scores land in the same ``judge_scores`` table the workbooks fill.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from formgen.campaign.model import Award, Judge, RubricItem
from formgen.errors import FormgenError
from formgen.ledger.decisions import current, record_decision, staff_name
from formgen.ledger.judge_links import issue_link, issued_links, judge_of_token
from formgen.ledger.judging import BROWSER, _NOTE, judge_reads, load_judge_scores, save_judge_row
from formgen.records import JudgeScore, Nominee
from formgen.scoring.panel import cell_bounds, check_cell
from formgen.scoring.rules import num
from formgen.workspace import Workspace

RECUSAL = "recusal"  # staff_decisions scope: a clerk let a judge score a candidate of the judge's own unit


def campaign_judge(ws: Workspace, name: str) -> Judge:
    for j in ws.campaign.judges:
        if j.name == name:
            return j
    names = "、".join(j.name for j in ws.campaign.judges) or "（campaign.yaml 的 judges 为空）"
    raise FormgenError(f"评委“{name}”不在 campaign.yaml 的 judges 中；现有评委：{names}")


def issue_judge_link(ws: Workspace, name: str, who: str | None = None) -> str:
    """A new personal token for the judge (the old link stops working)."""
    judge = campaign_judge(ws, name)
    with ws.ledger() as ledger:
        return issue_link(ledger, judge.name, who or staff_name())


def judge_for_token(ws: Workspace, token: str) -> Judge | None:
    with ws.ledger() as ledger:
        name = judge_of_token(ledger, token)
    return next((j for j in ws.campaign.judges if j.name == name), None) if name else None


def override_recusal(ws: Workspace, judge: str, nominee_key: str, reason: str, who: str | None = None) -> None:
    """Let ``judge`` score a candidate of their own unit; logged with who and why."""
    campaign_judge(ws, judge)
    if not reason.strip():
        raise FormgenError("取消回避须写明理由")
    with ws.ledger() as ledger:
        record_decision(ledger, RECUSAL, judge, nominee_key, True, note=reason.strip(), who=who or staff_name())


@dataclass
class Cell:
    item: RubricItem
    low: float
    high: float
    kind: str
    levels: list[str]
    value: float | str | None = None  # the judge's score or chosen level now

    @property
    def shown(self) -> str:
        """The value as the judge typed it (18, not 18.0)."""
        return "" if self.value is None else self.value if isinstance(self.value, str) else num(self.value)

    @property
    def bounds(self) -> str:
        if self.levels:
            return "选择等次"
        return f"最多扣 {num(self.high)} 分" if self.kind == "deduction" else f"{num(self.low)}–{num(self.high)} 分"


@dataclass
class JudgeSubject:
    award: Award
    nominee: Nominee
    cells: list[Cell]
    note: str = ""
    recusal_overridden: bool = False

    @property
    def filled(self) -> int:
        return sum(1 for c in self.cells if c.value is not None)


@dataclass
class JudgeView:
    judge: Judge
    subjects: list[JudgeSubject] = field(default_factory=list)
    recused: int = 0  # candidates of the judge's own unit, not shown


def _recused(judge: Judge, nominee: Nominee, overridden: set[str]) -> bool:
    return bool(judge.unit) and nominee.unit == judge.unit and nominee.key not in overridden


def judge_view(ws: Workspace, judge: Judge, nominees: dict[str, list[Nominee]] | None = None) -> JudgeView:
    """The subjects ``judge`` scores, each with the rubric's cells and the judge's values so far."""
    from formgen.scoring.stage import ledger_nominees

    nominees = nominees if nominees is not None else ledger_nominees(ws)
    with ws.ledger() as ledger:
        mine = {(s.award_id, s.nominee_key): s for s in load_judge_scores(ledger) if s.judge == judge.name}
        overridden = {k for (subj, k), d in current(ledger, RECUSAL).items() if subj == judge.name}
    view = JudgeView(judge)
    for award in ws.campaign.awards:
        for n in nominees.get(award.id, []):
            if _recused(judge, n, overridden):
                view.recused += 1
                continue
            js = mine.get((award.id, n.key))
            cells = []
            for item in award.rubric.items:
                low, high, kind, levels, rule = cell_bounds(item)
                value = None
                if js is not None:
                    value = (js.observations.get(item.name) or {}).get(rule) if levels else js.scores.get(item.name)
                cells.append(Cell(item, low, high, kind, levels, value))
            note = str((js.observations.get(_NOTE) if js else "") or "")
            view.subjects.append(JudgeSubject(award, n, cells, note, n.key in overridden))
    return view


def save_online_scores(ws: Workspace, judge: Judge, award_id: str, nominee_key: str, raw: dict[str, str],
                       note: str = "") -> list[str]:
    """Check and store one subject's cells as the judge typed them; returns the problems (those cells are not stored)."""
    view = judge_view(ws, judge)
    subject = next((s for s in view.subjects if s.award.id == award_id and s.nominee.key == nominee_key), None)
    if subject is None:
        raise FormgenError("该参评对象不在您的评分范围内")
    scores: dict[str, float | None] = {}
    obs: dict = {}
    problems = []
    for cell in subject.cells:
        value, level, message = check_cell(raw.get(cell.item.name), cell.low, cell.high, cell.kind, cell.levels)
        if message:
            problems.append(f"{subject.nominee.name}“{cell.item.name}”{message}")
        if level is not None:
            obs[cell.item.name] = {cell_bounds(cell.item)[4]: level}
        scores[cell.item.name] = value
    if note.strip():
        obs[_NOTE] = note.strip()
    with ws.ledger() as ledger:
        save_judge_row(ledger, JudgeScore(judge.name, award_id, nominee_key, scores, judge.group, obs))
    return problems


@dataclass
class JudgeProgress:
    judge: str
    subjects: int  # subjects the judge scores (回避 excluded)
    cells: int
    filled: int
    sources: list[str]  # workbook file names and/or 网页录入
    last_at: str | None
    link_issued: str | None
    recused: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.cells) if self.cells else 0


def judge_progress(ws: Workspace) -> list[JudgeProgress]:
    """Per judge of campaign.yaml: how many cells are filled of those they score, from where, and when."""
    from formgen.scoring.stage import ledger_nominees

    nominees = ledger_nominees(ws)
    with ws.ledger() as ledger:
        links = issued_links(ledger)
        reads = judge_reads(ledger)
    out = []
    for judge in ws.campaign.judges:
        view = judge_view(ws, judge, nominees)
        cells = sum(len(s.cells) for s in view.subjects)
        filled = sum(s.filled for s in view.subjects)
        mine = [r for r in reads if r["judge"] == judge.name]
        sources = sorted({r["workbook"] or BROWSER for r in mine})
        last = max((r["read_at"] for r in mine), default=None)
        out.append(JudgeProgress(judge.name, len(view.subjects), cells, filled, sources, last,
                                 links.get(judge.name), view.recused))
    return out


def subject_files(ws: Workspace, view: JudgeView) -> dict[str, list]:
    """unit → the files that unit sent (its forms and attachments), for the units the judge scores."""
    from formgen.ledger.files import all_receipts

    units = {s.nominee.unit for s in view.subjects}
    out: dict[str, list] = {u: [] for u in units}
    with ws.ledger() as ledger:
        for r in all_receipts(ledger):
            if r.unit in units and r.status == "ok":
                out[r.unit].append(r)
    return out


def judge_file(ws: Workspace, judge: Judge, receipt_id: int) -> tuple[str, bytes]:
    """(name, content) of a file sent by a unit the judge scores; anything else is refused."""
    from formgen.ledger.files import blob_bytes

    view = judge_view(ws, judge)
    for receipts in subject_files(ws, view).values():
        for r in receipts:
            if r.id == receipt_id:
                with ws.ledger() as ledger:
                    data = blob_bytes(ledger, r.sha256)
                if data is None:
                    break
                return r.name, data
    raise FormgenError("没有这个文件，或该文件不属于您评分的单位")


def subject_form(ws: Workspace, subject: JudgeSubject) -> list[tuple[str, str]]:
    """(label, value) of the unit's nomination form as a judge may see it: internal values whole,
    personal ones (ID number, phone, address) masked (formgen.privacy)."""
    from formgen.privacy import mask

    spec = next((s for s in ws.campaign.form_specs() if s.type == subject.award.nomination_form), None)
    if spec is None:
        return []
    out = []
    for f in spec.fields:
        value = subject.nominee.fields.get(f.key)
        if value in (None, ""):
            continue
        out.append((f.label, str(mask(value, f.level) if f.level == "personal" else value)))
    return out

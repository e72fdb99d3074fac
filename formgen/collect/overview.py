"""The campaign at a glance (the desk's 总览): per stage what is done and what is next, the
deadlines with the days left, and one status word per unit (收齐 / 缺 X / 有问题 / 迟交).

A stage function like ``status_table``: the desk shows it, and a script can call it the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from formgen.collect.status import column_title
from formgen.ledger.files import all_receipts, local_time
from formgen.ledger.results import load_score_results
from formgen.ledger.views import UnitStatus, unit_status
from formgen.workspace import Workspace

STATES = ("收齐", "缺", "有问题", "迟交")  # the unit filters, in the order the dashboard offers them


@dataclass
class UnitLine:
    unit: str
    category: str | None
    listed: bool
    states: list[str]  # a subset of STATES: a late unit that owes nothing is 收齐 and 迟交
    missing: list[str]  # column titles of what is still owed (附件1 …)
    errors: int
    warnings: int
    received: int  # files placed for this unit

    @property
    def label(self) -> str:
        words = [("缺 " + "、".join(self.missing)) if s == "缺" else s for s in self.states]
        return "，".join(words)


@dataclass
class Deadline:
    label: str
    day: date
    days_left: int  # negative: passed


@dataclass
class Stage:
    name: str  # 收件, 核对 …
    done: str  # what is done, one line
    next: str  # what to do next, one line ("" when nothing)
    page: str  # the desk page of this stage (dashboard links it)


@dataclass
class Overview:
    campaign: str
    today: date
    deadlines: list[Deadline]
    stages: list[Stage]
    units: list[UnitLine] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # state → units in it


def _late(st: UnitStatus, deadline: datetime) -> bool:
    return any(a.arrived_at and local_time(a.arrived_at) > deadline for e in st.expected for a in e.arrivals)


def _unit_line(ws: Workspace, st: UnitStatus, deadline: datetime) -> UnitLine:
    c = ws.campaign
    missing = [column_title(c, e.key, e.label) + (f"×{e.missing}" if e.missing > 1 else "") for e in st.owed]
    states = ["缺" if missing else "收齐"]
    if st.errors:
        states.append("有问题")
    if _late(st, deadline):
        states.append("迟交")
    received = sum(len(e.arrivals) for e in st.expected) + len(st.other)
    return UnitLine(st.unit, st.category, st.listed, states, missing, st.errors, st.warnings, received)


def _deadlines(ws: Workspace, today: date) -> list[Deadline]:
    d = ws.campaign.deadlines
    out = [("报送截止", local_time(d.submit).date()), ("评审", d.evaluate), ("公示开始", d.publicity_start),
           ("表彰", d.commend)]
    return [Deadline(label, day, (day - today).days) for label, day in out if day is not None]


def overview(ws: Workspace, today: date | None = None, state: str | None = None) -> Overview:
    """The dashboard; ``state`` (one of STATES) keeps only the units in that state."""
    today = today or datetime.now().date()
    c = ws.campaign
    deadline = local_time(c.deadlines.submit)
    with ws.ledger() as ledger:
        rows = unit_status(ledger, c, ws.units)
        files = len(all_receipts(ledger))
        scored = load_score_results(ledger)
    lines = [_unit_line(ws, st, deadline) for st in rows]
    listed = [u for u in lines if u.listed]
    complete = sum(1 for u in listed if "收齐" in u.states)
    problems = sum(u.errors for u in lines)
    flagged = sum(u.warnings for u in lines)
    stages = [
        Stage("收件", f"已收文件 {files} 个；{len(listed)} 个单位中 {complete} 个已报齐",
              "" if complete == len(listed) else f"还有 {len(listed) - complete} 个单位未报齐：催报或等待报送",
              "inbox"),
        Stage("核对", f"待处理错误 {problems} 项，提醒 {flagged} 项",
              "逐项核对有问题的内容" if problems or flagged else "", "review"),
        Stage("评分", f"已计算 {sum(len(v) for v in scored.values())} 个对象的得分" if scored else "尚未评分",
              "" if scored else "材料核对后下发评分表、收回并计算得分", "scoring"),
        Stage("发布", "", "评分确定后生成公示、表彰文件和证书", "publish"),
    ]
    counts = {s: sum(1 for u in lines if s in u.states) for s in STATES}
    if state:
        lines = [u for u in lines if state in u.states]
    return Overview(c.name, today, _deadlines(ws, today), stages, lines, counts)

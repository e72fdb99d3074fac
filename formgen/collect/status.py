"""``formgen status``: per unit, each expected form with its arrivals, and what is still owed.

The rows come from the ledger (``ledger.views.unit_status``); this module adds what the
status table shows around them: column titles (附件N), the legend and the totals.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.campaign.model import Campaign
from formgen.ledger.mail import last_sent_by_unit
from formgen.ledger.views import DEEDS, UnitStatus, unit_status
from formgen.workspace import Workspace

SHORT_ROUTES = {"email": "邮件", "folder": "目录"}  # anything else came in an archive
SENT_KINDS = {"issue": "通知", "remind": "催报"}  # messages formgen mailed (formgen.mail.send)


@dataclass
class StatusTable:
    title: str
    columns: list[str]  # one per expected form, in the rows' ``expected`` order
    legend: str
    rows: list[UnitStatus]  # the rows to show
    listed: int  # units in units.xlsx
    complete: int  # of which have sent everything
    mailed: dict[str, str] = None  # unit → what formgen mailed it and when ("通知 09-01 10:00"), if anything


def short_route(route: str) -> str:
    return SHORT_ROUTES.get(route, "压缩包")


def column_title(campaign: Campaign, key: str, label: str) -> str:
    """A narrow column title: 附件N as the notice numbers the forms, 事迹材料 for deeds."""
    if key == DEEDS:
        return "事迹材料"
    n = campaign.form_spec(key).attachment_no
    return f"附件{n}" if n else label


def status_table(ws: Workspace, only_missing: bool = False) -> StatusTable:
    """The status of every unit (``only_missing``: only those still owing something)."""
    c = ws.campaign
    with ws.ledger() as ledger:
        rows = unit_status(ledger, c, ws.units)
        mailed = {unit: "\n".join(f"{SENT_KINDS.get(m.kind, m.kind)} {m.sent_at:%m-%d %H:%M}" for m in sent)
                  for unit, sent in last_sent_by_unit(ledger).items()}
    expected = rows[0].expected if rows else []
    listed = [r for r in rows if r.listed]
    return StatusTable(
        title=f"收件情况（报送截止 {c.deadlines.submit:%Y-%m-%d %H:%M}）",
        columns=[column_title(c, e.key, e.label) for e in expected],
        legend="；".join(f"{column_title(c, e.key, e.label)}＝{e.label}" for e in expected),
        rows=[r for r in rows if r.owed or not only_missing],
        listed=len(listed), complete=sum(1 for r in listed if r.complete), mailed=mailed)

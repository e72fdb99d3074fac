"""The 表彰通报, plaques and certificates wait for the publicity round (公示) to end.

They are generated only when the publicity period (working days, formgen.publish.workdays)
has passed and every objection raised in it is decided. ``still_open`` says, one Chinese
line each, what is still open; ``publish`` prints the lines and writes the 公示名单 only.
Kept apart from the other publish gates (a selected subject with open errors) to merge freely.
"""
from __future__ import annotations

import datetime as dt

from formgen.ledger.objections import Objection
from formgen.publish.workdays import Period


def still_open(period: Period, objections: list[Objection], today: dt.date) -> list[str]:
    out = []
    if today <= period.end:
        out.append(f"公示期为 {period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}（{period.working_days}个工作日），"
                   f"尚未期满；{period.end:%Y-%m-%d} 之后再运行 formgen publish 生成表彰通报和证书")
    for o in objections:
        if o.open:
            out.append(f"{o.name}（{o.unit}）的第{o.id}号异议尚未决定：{o.what}；"
                       f"决定后运行 formgen objection decide {o.id} upheld|dismissed --reason 理由")
    return out

"""The review queue (the desk's 核对): every flagged value, worst first, decided one by one or
in bulk — written as the same decisions ``formgen correct`` and ``formgen review`` write
(a correction, or a confirmation "无误"), so the history is one history.

A decision names the version of the value it was made against (``ReviewItem.version``: the id of
the latest decision on that field). When someone else decided the field in between, the decision
is refused with who and when (``StaleDecision``) instead of overwriting theirs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from formgen.collect.inbox import METHOD_LABELS
from formgen.collect.labels import field_label, form_title
from formgen.collect.review_book import confirm_value
from formgen.collect.values import form_value, parse_value, show_value
from formgen.errors import FormgenError
from formgen.ledger.confirmations import CONFIRM
from formgen.ledger.crops import crop_of, forms_with_crops
from formgen.ledger.db import Ledger
from formgen.ledger.decisions import Decision, history
from formgen.ledger.forms import CORRECTION, FormRecord, all_forms, correction_subject, list_problems, set_correction
from formgen.ledger.forms import values_of
from formgen.lock import locked
from formgen.workspace import Workspace

SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}
ACTION_LABELS = {"set": "更正", "delete": "撤销更正", "confirm": "确认无误"}


class StaleDecision(FormgenError):
    exit_code = 75


@dataclass
class ReviewItem:
    problem_id: int
    form_id: int
    receipt_id: int | None
    unit: str
    form_type: str
    form_title: str
    key: str
    label: str
    read: str  # the value read from the file
    value: str  # the value that counts now (a correction included)
    severity: str
    message: str
    confidence: float | None
    location: str | None
    state: str  # open, confirmed, corrected
    version: int  # id of the latest decision on this field (0: none)
    has_crop: bool

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


@dataclass
class HistoryLine:
    at: datetime | None
    who: str
    action: str  # 读取 / 更正 / 撤销更正 / 确认无误
    old: str
    new: str
    note: str


def _decisions(ledger: Ledger, subject: str | None = None, key: str | None = None) -> list[Decision]:
    return sorted(history(ledger, CORRECTION, subject, key) + history(ledger, CONFIRM, subject, key), key=lambda d: d.id)


def _latest(ledger: Ledger) -> dict[tuple[str, str], Decision]:
    latest: dict[tuple[str, str], Decision] = {}
    for d in _decisions(ledger):
        latest[(d.subject, d.key)] = d
    return latest


def review_queue(ws: Workspace, *, state: str | None = "open", form_type: str | None = None,
                 severity: str | None = None, key: str | None = None, unit: str | None = None) -> list[ReviewItem]:
    """Flagged values, worst first: errors before warnings, the least sure reading first, then by unit.
    Filters: ``state`` (open, confirmed, corrected; None: all), ``form_type``, ``severity``, ``key``, ``unit``."""
    c = ws.campaign
    with ws.ledger() as ledger:
        forms = {f.id: f for f in all_forms(ledger)}
        latest = _latest(ledger)
        crops = forms_with_crops(ledger)
        items: dict[tuple[int, str], ReviewItem] = {}
        provenance: dict[int, dict] = {}
        for p in list_problems(ledger):
            f = forms.get(p.form_id) if p.form_id is not None else None
            if f is None or not p.field or not f.unit or not f.form_type:
                continue
            if (f.id, p.field) in items:  # one line per value: the worst of its problems
                continue
            if f.id not in provenance:
                provenance[f.id] = values_of(ledger, f.id)
            where = provenance[f.id].get(p.field, {})
            d = latest.get((correction_subject(f.unit, f.form_type), p.field))
            st = "confirmed" if p.confirmed else "corrected" if p.resolved else "open"
            items[(f.id, p.field)] = ReviewItem(
                p.id, f.id, f.receipt_id, f.unit, f.form_type, form_title(c, f.form_type), p.field,
                field_label(c, f.form_type, p.field), show_value(form_value(f.extracted, p.field), "（空）"),
                show_value(form_value({"fields": f.fields, "items": f.items}, p.field), "（空）"), p.severity, p.message, where.get("confidence"),
                where.get("location"), st, d.id if d else 0, (f.id, p.field) in crops)
    order = {u.name: i for i, u in enumerate(ws.units)}
    out = [i for i in items.values()
           if (state is None or i.state == state) and (form_type is None or i.form_type == form_type)
           and (severity is None or i.severity == severity) and (key is None or i.key == key)
           and (unit is None or i.unit == unit)]
    out.sort(key=lambda i: (i.severity != "error", i.confidence if i.confidence is not None else 2.0,
                            order.get(i.unit, len(order)), i.unit, i.form_id, i.key))
    return out


def _form(ledger: Ledger, form_id: int, key: str) -> FormRecord:
    f = next((f for f in all_forms(ledger) if f.id == form_id), None)
    if f is None or not f.unit or not f.form_type:
        raise FormgenError(f"表格 {form_id} 已不在台账中（或尚未确定报送单位）；请刷新核对页面")
    return f


def _check_version(ws: Workspace, ledger: Ledger, f: FormRecord, key: str, version: int | None) -> None:
    if version is None:
        return
    d = _latest(ledger).get((correction_subject(f.unit, f.form_type), key))
    what = f"{f.unit}{form_title(ws.campaign, f.form_type)}“{field_label(ws.campaign, f.form_type, key)}”"
    if (d.id if d else 0) != version:
        raise StaleDecision(f"{what}已由 {d.who} 于 {d.at:%m-%d %H:%M} {ACTION_LABELS.get(d.action, d.action)}"
                            "，你看到的是旧内容；请刷新后再核对" if d else
                            f"{what}的核对已被撤销，你看到的是旧内容；请刷新后再核对")


@locked("核对")
def accept(ws: Workspace, form_id: int, key: str, version: int | None = None, note: str | None = None) -> None:
    """The value read is right (无误)."""
    with ws.ledger() as ledger:
        f = _form(ledger, form_id, key)
        _check_version(ws, ledger, f, key, version)
        confirm_value(ledger, f.unit, f.form_type, key, f.id, form_value(f.extracted, key),
                      note=note or "在工作台核对")


@locked("核对")
def correct_value(ws: Workspace, form_id: int, key: str, text: str, version: int | None = None,
                  note: str | None = None) -> Any:
    """The value is ``text`` (as a clerk types it; 空 clears it); returns the value as stored."""
    with ws.ledger() as ledger:
        f = _form(ledger, form_id, key)
        spec = ws.campaign.form_spec(f.form_type)
        if not (text or "").strip():
            raise FormgenError(f"请填写“{field_label(ws.campaign, f.form_type, key)}”的正确值（要清空请填“空”）")
        value = parse_value(spec, key, text.strip())
        _check_version(ws, ledger, f, key, version)
        set_correction(ledger, f.unit, f.form_type, key, value, note=note or "在工作台核对")
    return value


@locked("核对")
def accept_all(ws: Workspace, items: list[ReviewItem], note: str | None = None) -> int:
    """Confirm every open item of ``items`` (a filtered queue) as read; returns how many."""
    done = 0
    with ws.ledger() as ledger:
        forms = {f.id: f for f in all_forms(ledger)}
        latest = _latest(ledger)
        with ledger.transaction():
            for i in items:
                f = forms.get(i.form_id)
                if i.state != "open" or f is None:
                    continue
                d = latest.get((correction_subject(f.unit, f.form_type), i.key))
                if (d.id if d else 0) != i.version:
                    continue  # someone decided it since the list was made: theirs stands
                confirm_value(ledger, f.unit, f.form_type, i.key, f.id, form_value(f.extracted, i.key),
                              note=note or "在工作台批量确认无误")
                done += 1
    return done


def value_history(ws: Workspace, form_id: int, key: str) -> list[HistoryLine]:
    """The value's story: as read from the file, then every correction, withdrawal and confirmation."""
    with ws.ledger() as ledger:
        f = _form(ledger, form_id, key)
        where = values_of(ledger, f.id).get(key, {})
        how = METHOD_LABELS.get(where.get("method") or "", where.get("method") or "读取") + (f"，置信度 {where['confidence']:.2f}" if where.get("confidence") else "")
        lines = [HistoryLine(f.received_at, "（表格）", "读取", "",
                             show_value(form_value(f.extracted, key), "（空）"), f"{f.file}；{how}")]
        for d in _decisions(ledger, correction_subject(f.unit, f.form_type), key):
            lines.append(HistoryLine(d.at, d.who, ACTION_LABELS.get(d.action, d.action), show_value(d.old_value, "（空）"),
                                     "" if d.action == "delete" else show_value(d.new_value, "（空）"), d.note or ""))
    return lines


def value_crop(ws: Workspace, form_id: int, key: str) -> bytes | None:
    with ws.ledger() as ledger:
        return crop_of(ledger, form_id, key)

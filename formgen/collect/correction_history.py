"""Staff corrections as staff must see them: the full history, and newer forms that disagree.

A correction is made against the form a unit had sent by then. When the unit
later sends a revised form (修改稿) whose value for the corrected field differs
from the correction, the correction still wins (staff decided), but the
collect checks say so, naming both values, so that staff confirm or withdraw it.
"""
from __future__ import annotations

from typing import Any

from formgen.campaign.model import Campaign
from formgen.collect.labels import field_label, form_title
from formgen.ledger.db import Ledger
from formgen.collect.values import form_value, same_value, show_value
from formgen.ledger.decisions import Decision, current, history
from formgen.ledger.forms import CORRECTION, FormRecord, add_problem, split_correction_subject, subject_key

ACTION_LABELS = {"set": "更正", "delete": "撤销更正", "confirm": "确认"}


def _show(value: Any) -> str:
    return show_value(value, "（空）")


def conflicts(ledger: Ledger, forms: list[FormRecord]) -> list[tuple[Decision, FormRecord, Any]]:
    """(correction, newer form, its value) where a form arrived after the correction was made
    and reads differently from the corrected value."""
    latest: dict[tuple[str, str, str], FormRecord] = {}
    for f in forms:  # oldest first: the last one counts
        if f.unit and f.form_type:
            latest[(f.unit, f.form_type, "")] = f
            latest[(f.unit, f.form_type, subject_key(f.subject))] = f
    out = []
    for (subject, key), d in current(ledger, CORRECTION).items():
        form = latest.get(split_correction_subject(subject))
        made_against = d.basis.get("form_id")
        if form is None or made_against is None or form.id == made_against:
            continue
        if form.id < made_against:
            continue
        value = form_value(form.extracted, key)
        if not same_value(value, d.new_value):
            out.append((d, form, value))
    return out


def check_correction_conflicts(ledger: Ledger, campaign: Campaign, forms: list[FormRecord]) -> None:
    """Warnings (check problems, recomputed every collect) for corrections a newer form disagrees with."""
    for d, form, value in conflicts(ledger, forms):
        label = field_label(campaign, form.form_type, d.key)
        add_problem(ledger, form.receipt_id, form.id, None, "warning",
                    f"{form.unit}在人工更正（{d.at:%Y-%m-%d %H:%M}，{d.who}）之后又报送了{form_title(campaign, form.form_type)}，"
                    f"其中“{label}”为“{_show(value)}”，与人工更正的“{_show(d.new_value)}”不同；目前按人工更正计。"
                    f"如应以新表为准，请运行 formgen correct {form.unit} {form.form_type} {d.key} --delete"
                    + (f" --subject {split_correction_subject(d.subject)[2]}" if split_correction_subject(d.subject)[2] else ""))


HEADERS = ["时间", "操作人", "单位", "表格", "栏目", "操作", "原值", "新值", "说明", "现状"]
WIDTHS = [17, 10, 20, 28, 18, 10, 22, 22, 28, 34]


def history_rows(ledger: Ledger, campaign: Campaign, forms: list[FormRecord]) -> list[list[str]]:
    """One row per correction ever made or withdrawn, oldest first, with what holds now."""
    now = current(ledger, CORRECTION)
    disagree = {(d.subject, d.key): (form, value) for d, form, value in conflicts(ledger, forms)}
    from formgen.ledger.confirmations import CONFIRM, live_confirmations

    confirmed = live_confirmations(ledger)  # "无误" decided in 收件情况.xlsx (formgen.collect.review_book)
    rows = []
    for d in sorted(history(ledger, CORRECTION) + history(ledger, CONFIRM), key=lambda d: d.id):
        unit, form_type, nominee = split_correction_subject(d.subject)
        live = now.get((d.subject, d.key))
        if d.scope == CONFIRM:
            held = confirmed.get((d.subject, d.key))
            state = "有效" if held is not None and held.id == d.id else "已被后来的决定取代"
        elif live is None or live.id != d.id:
            state = "已撤销" if d.withdrawn else "已被后来的更正取代"
        elif (d.subject, d.key) in disagree:
            form, value = disagree[(d.subject, d.key)]
            state = f"有效；但之后报送的新表为“{_show(value)}”，请核对"
        else:
            state = "有效"
        title = form_title(campaign, form_type) + (f"（{nominee}）" if nominee else "")
        rows.append([f"{d.at:%Y-%m-%d %H:%M}", d.who, unit, title,
                     field_label(campaign, form_type, d.key), ACTION_LABELS.get(d.action, d.action),
                     _show(d.old_value), "" if d.withdrawn else _show(d.new_value), d.note or "", state])
    return rows


def corrections_sheet(sh, ledger: Ledger, campaign: Campaign, forms: list[FormRecord]) -> None:
    """The 人工更正 sheet of 收件情况.xlsx."""
    from formgen.xlsx import BORDER, WARN_FILL, WRAP, header_row, print_setup, set_text

    header_row(sh, 1, HEADERS, WIDTHS)
    rows = history_rows(ledger, campaign, forms)
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            cell = sh.cell(row=r, column=c)
            set_text(cell, v)
            cell.border = BORDER
            cell.alignment = WRAP
            if values[-1].endswith("请核对"):
                cell.fill = WARN_FILL
    if not rows:
        set_text(sh.cell(row=2, column=1), "尚无人工更正")
    sh.freeze_panes = "A2"
    print_setup(sh, title_rows="1:1")

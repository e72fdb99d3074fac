"""Staff decisions during collection: corrections of a value, which unit sent a file.

A correction names the form and the field the way a clerk would (``勤廉标兵候选人申报表``,
``附件4``, ``出生年月``) and is resolved by the matcher's own label rules; its value is read
by the same parsers a returned form goes through. Both kinds of decision are kept in the
ledger, survive every re-collect, and take effect at once: units are re-placed, the checks
re-run and 收件情况.xlsx rewritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formgen.collect.checks import identify_units, run_checks
from formgen.collect.review_book import take_review
from formgen.collect.status_book import BOOK_NAME, write_status_book
from formgen.collect.values import EMPTY, parse_value  # noqa: F401 - EMPTY: what a clerk types to clear a value
from formgen.errors import FormgenError
from formgen.forms import FormSpec
from formgen.intake.matcher import resolve_form, resolve_key
from formgen.lock import locked
from formgen.ledger.files import Receipt, assign_unit, get_receipt
from formgen.ledger.forms import (all_forms, delete_correction, effective_forms, list_corrections, set_correction,
                                  subject_key)
from formgen.workspace import Workspace



@dataclass
class Correction:
    unit: str
    form: FormSpec
    subject: str  # the nominee it is about ('' : the unit's only form of that type)
    key: str  # field key or items.<name>
    said: str  # the field as the clerk wrote it
    value: Any = None  # the parsed value (None: cleared, or the correction was withdrawn)
    deleted: bool = False


def refresh(ws: Workspace) -> Path:
    """Re-place units and re-run the checks after a staff decision; rewrite 收件情况.xlsx."""
    with ws.ledger() as ledger:
        identify_units(ledger, ws)
        run_checks(ledger, ws)
        return write_status_book(ledger, ws, ws.out_dir("collect") / BOOK_NAME)


def correction_history(ws: Workspace) -> list[list[str]]:
    """Every correction and withdrawal, oldest first, as the 人工更正 sheet of 收件情况.xlsx shows them."""
    from formgen.collect.correction_history import HEADERS, history_rows

    with ws.ledger() as ledger:
        return [HEADERS] + history_rows(ledger, ws.campaign, all_forms(ledger))


def corrections(ws: Workspace) -> list[dict]:
    """Every staff correction (unit, form_type, key, value, note, created_at)."""
    with ws.ledger() as ledger:
        return list_corrections(ledger)


@locked("correct")
def correct(ws: Workspace, unit: str, form: str, field: str, value: str | None, note: str | None = None,
            delete: bool = False, subject: str | None = None) -> Correction:
    """Set (or with ``delete`` withdraw) the staff's value of ``field`` on ``unit``'s ``form``.

    Where a unit may send several forms of that type (one per nominee), the correction is
    about one of them: ``subject`` names it, and may be left out only when the unit sent one."""
    specs = ws.campaign.form_specs()
    spec = resolve_form(specs, form)
    if spec is None:
        choices = "、".join(f"{s.type}（{s.title}）" for s in specs)
        raise FormgenError(f"不认识的表格类型“{form}”；可用：{choices}")
    key = resolve_key(spec, field)
    if key is None:
        keys = [f"{f.key}（{f.label}）" for f in spec.fields] + [it.name for it in spec.items]
        raise FormgenError(f"{spec.title}中没有“{field}”这一项；可用：{'、'.join(keys)}")
    with ws.ledger() as ledger:
        take_review(ledger, ws, ws.out_dir("collect") / BOOK_NAME)  # staff entries in the book come first
        known = {u.name for u in ws.units} | {f.unit for f in all_forms(ledger) if f.unit}
        if unit not in known:
            raise FormgenError(f"单位“{unit}”不在单位名单中，也没有收到过它的表格；请核对单位名称")
        nominee = _which_form(ws, ledger, unit, spec, subject)
        done = Correction(unit, spec, nominee, key, field, deleted=delete)
        if delete:
            withdrawn = delete_correction(ledger, unit, spec.type, key, note, subject=nominee)
            if not withdrawn and nominee:  # made before corrections named a nominee: it is the unit's
                withdrawn = delete_correction(ledger, unit, spec.type, key, note)
            if not withdrawn:
                raise FormgenError(f"{unit} 的{spec.title}“{field}”没有人工更正，无需撤销")
        else:
            done.value = parse_value(spec, key, value or "")
            set_correction(ledger, unit, spec.type, key, done.value, note, subject=nominee)
    refresh(ws)
    return done


def _which_form(ws: Workspace, ledger, unit: str, spec: FormSpec, subject: str | None) -> str:
    """The nominee a correction is about ('' for a form a unit sends once), or a Chinese line
    listing the unit's forms of that type when it is not clear which one is meant."""
    if spec.type not in ws.campaign.several_per_unit():
        return ""
    sent = {subject_key(f.subject): f.subject for f in effective_forms(ledger, unit, spec.type) if f.subject}
    listed = "、".join(sent.values())
    if subject:
        if subject_key(subject) not in sent:
            raise FormgenError(f"{unit} 没有报送“{subject}”的{spec.title}" + (f"；已报送的有：{listed}" if sent else "")
                               + "；请核对姓名（或岗位）")
        return subject_key(subject)
    if len(sent) == 1:
        return next(iter(sent))
    if not sent:
        raise FormgenError(f"{unit} 尚未报送{spec.title}；一个单位可报送多份，请用 --subject 写明是哪一位")
    raise FormgenError(f"{unit} 报送了 {len(sent)} 份{spec.title}（{listed}）；请用 --subject 写明更正哪一份，"
                       f"如 formgen correct {unit} {spec.type} … --subject {next(iter(sent.values()))}")


@locked("assign")
def assign(ws: Workspace, file_no: int, unit: str | None, exclude: bool = False, note: str | None = None) -> Receipt:
    """Staff say which unit sent file ``file_no`` (numbers as in 收件情况.xlsx), or that it does not count."""
    if bool(unit) == exclude:
        raise FormgenError("用法：formgen assign 文件编号 单位名称；或 formgen assign 文件编号 --exclude")
    if unit and ws.unit(unit) is None:
        raise FormgenError(f"单位“{unit}”不在单位名单中；请核对名称（见 units.xlsx）")
    with ws.ledger() as ledger:
        take_review(ledger, ws, ws.out_dir("collect") / BOOK_NAME)  # staff entries in the book come first
        receipt = get_receipt(ledger, file_no)
        if receipt is None:
            raise FormgenError(f"没有编号为 {file_no} 的文件；编号见 out/collect/收件情况.xlsx 的“收到的文件”")
        assign_unit(ledger, file_no, "" if exclude else unit, note)
    refresh(ws)
    return receipt

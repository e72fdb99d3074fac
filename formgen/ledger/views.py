"""What the other stages read from the ledger: nominees to score, and who sent what.

``nominees`` turns the effective nomination forms (with staff corrections) and
the matching self-assessed score sheets into ``Nominee`` values for scoring.
``unit_status`` lists, per unit, each expected form with its arrivals, for
``formgen status``, 收件情况.xlsx and the reminders.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from formgen.campaign.model import Award, Campaign, Unit
from formgen.intake.normalize import squash
from formgen.ledger.db import Ledger
from formgen.ledger.files import all_receipts, assignments
from formgen.ledger.forms import FormRecord, all_deeds, effective_forms, list_problems
from formgen.records import Nominee

UNKNOWN_UNIT = "未识别单位"
DEEDS = "deeds_document"


def subject_name(form: FormRecord, award: Award) -> str | None:
    value = form.fields.get(award.name_field)
    return str(value).strip() if value not in (None, "") else None


def deeds_label(campaign: Campaign) -> str:
    n = campaign.deeds_document_chars
    return f"详细事迹材料（{n}字左右）" if n else "详细事迹材料"


def expected_forms(campaign: Campaign) -> list[tuple[str, str, int]]:
    """(form_type or "deeds_document", label, how many per unit) every unit owes.

    In the order of the notice's attachments (附件1, 2 …), the deeds document last.
    A campaign form no award uses is a report every unit files (seed 001: 自查报告).
    Which of them a unit of a given category owes: ``owed_by``.
    """
    out: dict[str, tuple[str, str, int]] = {}
    deeds: tuple[str, str, int] | None = None
    used = {t for a in campaign.awards for t in (a.nomination_form, a.score_form) if t}
    for f in campaign.forms:
        if f.type not in used:
            out[f.type] = (f.type, f.title, 1)
    for award in campaign.awards:
        for t in (award.nomination_form, award.score_form):
            if t and t not in out:
                out[t] = (t, campaign.form_spec(t).title, award.per_unit)
        if award.subject == "person" and campaign.deeds_document_chars and deeds is None:
            deeds = (DEEDS, deeds_label(campaign), award.per_unit)
    ordered = sorted(out.values(), key=lambda e: campaign.form_spec(e[0]).attachment_no or 99)
    return ordered + ([deeds] if deeds else [])


def owed_by(campaign: Campaign, category: str | None, key: str, need: int) -> int:
    """How many of ``key`` a unit of ``category`` owes: 0 when no award using it applies to the
    category (never issued, never chased — formgen.campaign.scope) or when applying is voluntary."""
    from formgen.campaign.scope import applies, forms_for

    if key == DEEDS:
        return need
    if key not in forms_for(campaign, category):
        return 0
    users = [a for a in campaign.awards if key in (a.nomination_form, a.score_form) and applies(a, category)]
    if users and all(getattr(a, "voluntary", False) for a in users):
        return 0
    return need


def _score_sheet_for(form: FormRecord, award: Award, sheets: list[FormRecord]) -> FormRecord | None:
    """The unit's score sheet for this nominee: the only one, or the one naming it."""
    mine = [s for s in sheets if s.unit == form.unit]
    if not mine:
        return None
    name = squash(subject_name(form, award))
    named = [s for s in mine if name and squash(s.subject) and (squash(s.subject) in name or name in squash(s.subject))]
    if len(named) >= 1:
        return named[-1]
    return mine[-1] if len(mine) == 1 else None


def nominees(ledger: Ledger, campaign: Campaign, units: list[Unit]) -> dict[str, list[Nominee]]:
    """Per award id, the nominees from the effective forms, in units.xlsx order."""
    category = {u.name: u.category for u in units}
    order = {u.name: i for i, u in enumerate(units)}
    problems_by_form: dict[int, list[str]] = {}
    for p in list_problems(ledger):
        if p.form_id is not None and p.severity == "error" and not p.resolved:
            problems_by_form.setdefault(p.form_id, []).append(p.message)
    from formgen.ledger.facts import discipline_records

    records = discipline_records(ledger)
    out: dict[str, list[Nominee]] = {}
    for award in campaign.awards:
        if not award.nomination_form or getattr(award, "subjects", "nominated") == "units":
            assessed = award.subject == "unit" or getattr(award, "subjects", "nominated") == "units"
            out[award.id] = _assessed_units(award, units) if assessed else []
            continue
        forms = effective_forms(ledger, form_type=award.nomination_form)
        # one application form for several awards (seed 003): the form names the award applied for
        forms = [f for f in forms if not f.fields.get("award") or squash(award.name) in squash(f.fields["award"])
                 or squash(f.fields["award"]) in squash(award.name)]
        sheets = effective_forms(ledger, form_type=award.score_form) if award.score_form else []
        forms.sort(key=lambda f: (order.get(f.unit or "", len(order)), f.submitted_at or datetime.max, f.id))
        per_unit: dict[str, int] = {}
        for f in forms:
            per_unit[f.unit or ""] = per_unit.get(f.unit or "", 0) + 1
        result: list[Nominee] = []
        for f in forms:
            unit = f.unit or UNKNOWN_UNIT
            name = subject_name(f, award) or ""
            if f.unit is None:
                key = f"{UNKNOWN_UNIT}:{award.id}:{f.id}"
            elif per_unit[f.unit] > 1:
                key = f"{f.unit}:{award.id}:{name or f.id}"
            else:
                key = f"{f.unit}:{award.id}"
            sheet = _score_sheet_for(f, award, sheets) if award.score_form else None
            problems = list(problems_by_form.get(f.id, []))
            if sheet is not None:
                problems += [m for m in problems_by_form.get(sheet.id, []) if m not in problems]
            result.append(Nominee(
                award_id=award.id, key=key, unit=unit, name=name, category=category.get(f.unit or ""),
                self_scores=sheet.self_scores if sheet else {}, submitted_at=f.submitted_at,
                fields=dict(f.fields), problems=problems, facts=_recorded_facts(records, unit, name)))
        out[award.id] = result
    return out


def _recorded_facts(records: dict, unit: str, name: str) -> dict:
    """Eligibility facts staff recorded (formgen.ledger.facts): the nominee's own record wins over
    the unit's; ``discipline`` is what the rank stage reads, ``discipline_source`` who said so."""
    rec = records.get((unit, "".join(name.split()))) or records.get((unit, ""))
    if rec is None:
        return {}
    return {"discipline": (rec.what or True) if rec.disciplined else False,
            "discipline_source": ("" if rec.name else "单位记录，") + rec.source()}


def _assessed_units(award: Award, units: list[Unit]) -> list[Nominee]:
    """A campaign that assesses the units themselves (seed 001): every unit in scope, nothing to nominate."""
    from formgen.campaign.scope import applies

    return [Nominee(award_id=award.id, key=f"{u.name}:{award.id}", unit=u.name, name=u.name, category=u.category)
            for u in units if applies(award, u.category)]


# ---------------------------------------------------------------------------------------------
# per-unit status
# ---------------------------------------------------------------------------------------------

@dataclass
class Arrival:
    receipt_id: int
    form_id: int | None
    file: str
    route: str
    arrived_at: datetime | None
    arrived_basis: str | None
    subject: str | None = None


@dataclass
class Expected:
    key: str  # form type or "deeds_document"
    label: str
    need: int
    arrivals: list[Arrival] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(0, self.need - len(self.arrivals))


@dataclass
class UnitStatus:
    unit: str
    category: str | None
    email: str | None
    listed: bool  # in units.xlsx
    expected: list[Expected]
    other: list[Arrival] = field(default_factory=list)  # files that are none of the expected forms
    errors: int = 0
    warnings: int = 0

    @property
    def owed(self) -> list[Expected]:
        return [e for e in self.expected if e.missing]

    @property
    def complete(self) -> bool:
        return not self.owed


def unit_status(ledger: Ledger, campaign: Campaign, units: list[Unit]) -> list[UnitStatus]:
    """One row per unit of units.xlsx, then units not in it that sent forms, then unidentified files."""
    receipts = {r.id: r for r in all_receipts(ledger)}
    excluded = {rid for rid, unit in assignments(ledger).items() if unit == ""}
    rows: dict[str, UnitStatus] = {}

    def row(unit: str | None) -> UnitStatus:
        name = unit or UNKNOWN_UNIT
        if name not in rows:
            u = next((x for x in units if x.name == name), None)
            rows[name] = UnitStatus(
                unit=name, category=u.category if u else None, email=u.email if u else None, listed=u is not None,
                expected=[Expected(k, label, n if u is None else owed_by(campaign, u.category, k, n))
                          for k, label, n in expected_forms(campaign)])
        return rows[name]

    for u in units:
        row(u.name)
    for f in effective_forms(ledger):
        r = receipts[f.receipt_id]
        arrival = Arrival(r.id, f.id, r.label, r.route, f.arrived_at, f.arrived_basis, f.subject)
        st = row(f.unit)
        slot = next((e for e in st.expected if e.key == f.form_type), None)
        (slot.arrivals if slot else st.other).append(arrival)
    for d in all_deeds(ledger):
        if d.receipt_id in excluded:
            continue
        r = receipts[d.receipt_id]
        st = row(d.unit)
        arrival = Arrival(r.id, None, r.label, r.route, r.arrived_at, r.arrived_basis, d.candidate)
        slot = next((e for e in st.expected if e.key == DEEDS), None)
        (slot.arrivals if slot else st.other).append(arrival)
    for p in list_problems(ledger):
        if p.resolved:
            continue
        st = row(p.unit)
        if p.severity == "error":
            st.errors += 1
        else:
            st.warnings += 1
    # an unidentified row exists only when something could not be placed
    unknown = rows.get(UNKNOWN_UNIT)
    if unknown is not None and not any(e.arrivals for e in unknown.expected) and not unknown.other \
            and not unknown.errors and not unknown.warnings:
        del rows[UNKNOWN_UNIT]
    if unknown is not None and UNKNOWN_UNIT in rows:
        unknown.expected = [e for e in unknown.expected if e.arrivals]
    return list(rows.values())

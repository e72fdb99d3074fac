"""Staff confirmations that a flagged value was read right ("无误").

A confirmation is a staff decision (formgen.ledger.decisions) of scope ``ocr_confirm``,
addressed like a correction (subject ``单位|form_type``, the field key) and made
against one form (``basis["form_id"]``): a later form of the unit is a new reading
and its flags are open again. It holds while it is the latest decision on that
field in either scope: a correction made after it replaces it, and confirming a
corrected value first withdraws the correction (both steps stay in the history).
"""
from __future__ import annotations

from formgen.ledger.db import Ledger
from formgen.ledger.decisions import Decision, history

CONFIRM = "ocr_confirm"
# formgen.ledger.forms.CORRECTION and its subjects; not imported: forms reads confirmations
CORRECTION = "correction"


def _subject(unit: str, form_type: str, subject: str | None = None) -> str:
    """As formgen.ledger.forms.correction_subject (not imported: forms reads confirmations)."""
    nominee = "".join((subject or "").split())
    return f"{unit}|{form_type}" + (f"|{nominee}" if nominee else "")


def live_confirmations(ledger: Ledger) -> dict[tuple[str, str], Decision]:
    """(subject, key) → the confirmation in effect: the latest decision on that field, in
    either scope, when it is a confirmation."""
    latest: dict[tuple[str, str], Decision] = {}
    for d in sorted(history(ledger, CORRECTION) + history(ledger, CONFIRM), key=lambda d: d.id):
        latest[(d.subject, d.key)] = d
    return {k: d for k, d in latest.items() if d.scope == CONFIRM and d.action == "confirm"}


def is_confirmed(live: dict[tuple[str, str], Decision], unit: str | None, form_type: str | None,
                 key: str | None, form_id: int | None, subject: str | None = None) -> bool:
    """Whether ``key`` of that form is confirmed (``live`` from :func:`live_confirmations`);
    a confirmation is made against one form, so both its unit-wide and its nominee's address count."""
    if not (unit and form_type and key) or form_id is None:
        return False
    for address in {_subject(unit, form_type, subject), _subject(unit, form_type)}:
        d = live.get((address, key))
        if d is not None and d.basis.get("form_id") == form_id:
            return True
    return False

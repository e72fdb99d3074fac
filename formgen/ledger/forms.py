"""Forms read from received files, their values and problems, and staff corrections.

One ``forms`` row per form an extract found in a receipt (``form_type`` NULL for
a readable file that is no known form). A later form from the same unit of the
same type (and the same subject where a unit may send several) supersedes the
earlier one: the earlier row stays, with ``superseded_by`` set, so nothing a
unit sent is ever lost.

Staff corrections are keyed by (unit, form_type, subject, key), not by form: they
survive every re-run of collect and every superseding file. ``subject`` is ``''``
for a form a unit sends once, and names the nominee (spaces dropped) where a unit
may send several: a correction of one nominee never touches another. The effective
value of a field is the correction when there is one, else the extracted value.

Problems come from two places: ``extract`` (what the reader found in one file;
kept) and ``check`` (what collect found across forms: late, duplicate person,
unknown unit …; recomputed by every collect, so a fixed cause clears them).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from formgen.intake.result import ExtractResult
from formgen.ledger.crops import store_crops
from formgen.ledger.db import Ledger, register_migration, register_schema
from formgen.ledger.files import iso, now, parse_iso

_SCHEMA_FORMS = """
CREATE TABLE IF NOT EXISTS forms (
    id INTEGER PRIMARY KEY,
    receipt_id INTEGER NOT NULL REFERENCES receipts(id),
    seq INTEGER NOT NULL DEFAULT 0,       -- order of the form within its file
    form_type TEXT,                       -- NULL: readable, but no known form
    unit TEXT,
    unit_method TEXT,                     -- how the unit was identified
    counted INTEGER NOT NULL DEFAULT 1,   -- 0: staff said the file does not count
    subject TEXT,                         -- the post / candidate the form is about
    method TEXT,
    template_version TEXT,
    campaign TEXT,
    extracted TEXT NOT NULL,              -- JSON: the extract result (fields, items, anchors …)
    superseded_by INTEGER REFERENCES forms(id),
    created_at TEXT NOT NULL,
    UNIQUE (receipt_id, seq)
);
CREATE INDEX IF NOT EXISTS forms_unit ON forms(unit, form_type);
CREATE TABLE IF NOT EXISTS field_values (
    form_id INTEGER NOT NULL REFERENCES forms(id),
    key TEXT NOT NULL,                    -- canonical key or "items.<name>"
    value TEXT,                           -- JSON
    location TEXT,                        -- e.g. "第1页 表1 第3行第2列"
    method TEXT,
    confidence REAL,
    PRIMARY KEY (form_id, key)
);
CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY,
    receipt_id INTEGER REFERENCES receipts(id),
    form_id INTEGER REFERENCES forms(id),
    field TEXT,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    message TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'extract' -- extract / check
);
CREATE INDEX IF NOT EXISTS problems_form ON problems(form_id);
"""
_SCHEMA_CORRECTIONS = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL,
    form_type TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',     -- empty: every form of the unit of that type, else one nominee
    key TEXT NOT NULL,
    value TEXT,                           -- JSON
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (unit, form_type, subject, key)
)
"""
_SCHEMA_DEEDS = """
CREATE TABLE IF NOT EXISTS deeds_documents (
    id INTEGER PRIMARY KEY,
    receipt_id INTEGER NOT NULL UNIQUE REFERENCES receipts(id),
    unit TEXT,
    unit_method TEXT,
    candidate TEXT,                       -- the candidate's name it was linked to
    chars INTEGER NOT NULL,
    text TEXT
);
"""
register_schema("forms", _SCHEMA_FORMS + _SCHEMA_CORRECTIONS + ";" + _SCHEMA_DEEDS)


def _corrections_per_subject(conn) -> None:
    """A ledger of an older formgen keyed corrections by unit only: rebuild the table with
    the subject column (every old correction stays, for the whole unit, as it was)."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(corrections)")}
    if "subject" in columns:
        return
    conn.execute("ALTER TABLE corrections RENAME TO corrections_unit_only")
    create = next(stmt for stmt in _SCHEMA_CORRECTIONS.split(";") if "corrections" in stmt)
    conn.execute(create)
    conn.execute("INSERT INTO corrections(id, unit, form_type, subject, key, value, note, created_at) "
                 "SELECT id, unit, form_type, '', key, value, note, created_at FROM corrections_unit_only")
    conn.execute("DROP TABLE corrections_unit_only")


register_migration("corrections_subject", _corrections_per_subject)


@dataclass
class FormRecord:
    """One form as the ledger holds it, with corrections applied."""

    id: int
    receipt_id: int
    seq: int
    form_type: str | None
    unit: str | None
    unit_method: str | None
    counted: bool
    subject: str | None
    method: str | None
    template_version: str | None
    campaign: str | None
    extracted: dict
    superseded_by: int | None
    created_at: datetime
    # from the receipt
    file: str = ""
    arrived_at: datetime | None = None
    arrived_basis: str | None = None
    received_at: datetime | None = None
    route: str | None = None
    sender: str | None = None
    # effective values: extracted, overridden by corrections
    fields: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    corrected: dict[str, Any] = field(default_factory=dict)  # key -> corrected value

    @property
    def submitted_at(self) -> datetime | None:
        return self.arrived_at or self.received_at

    @property
    def anchors(self) -> dict:
        return self.extracted.get("anchors") or {}

    @property
    def self_scores(self) -> dict[str, float | None]:
        return {it["name"]: it.get("score") for it in self.items}


@dataclass
class DeedsDocument:
    id: int
    receipt_id: int
    unit: str | None
    unit_method: str | None
    candidate: str | None
    chars: int
    text: str | None


@dataclass
class ProblemRow:
    id: int
    receipt_id: int | None
    form_id: int | None
    unit: str | None
    form_type: str | None
    file: str
    field: str | None
    severity: str
    message: str
    origin: str
    resolved: bool  # a staff correction covers the field, or staff confirmed the value (confirmed)
    confirmed: bool = False  # staff confirmed the value read ("无误"; formgen.ledger.confirmations)


# ---------------------------------------------------------------------------------------------
# recording
# ---------------------------------------------------------------------------------------------

def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def record_form(ledger: Ledger, receipt_id: int, seq: int, result: ExtractResult,
                subject: str | None = None) -> int:
    """Store one extract result of a receipt (idempotent on (receipt_id, seq)); returns the form id."""
    old = ledger.execute("SELECT id FROM forms WHERE receipt_id = ? AND seq = ?", (receipt_id, seq)).fetchone()
    if old:
        return int(old["id"])
    extracted = result.to_json(with_source=True)
    extracted["anchors"] = dict(result.anchors)
    extracted["subject"] = result.subject
    with ledger.transaction():
        cur = ledger.execute(
            """INSERT INTO forms(receipt_id, seq, form_type, subject, method, template_version, campaign,
                   extracted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (receipt_id, seq, result.form_type, subject if subject is not None else result.subject,
             result.method, result.anchors.get("template_version"), result.anchors.get("campaign"),
             _dumps(extracted), iso(now())))
        form_id = int(cur.lastrowid)
        values = [(k, v) for k, v in result.fields.items()]
        values += [(f"items.{it['name']}", it.get("score")) for it in result.items]
        for key, value in values:
            src = result.provenance.get(key)
            ledger.execute(
                "INSERT OR REPLACE INTO field_values(form_id, key, value, location, method, confidence) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (form_id, key, _dumps(value), src.where if src else None, src.method if src else None,
                 src.confidence if src else None))
        for p in result.problems:
            add_problem(ledger, receipt_id, form_id, p.field, p.severity, p.message, origin="extract")
        store_crops(ledger, form_id, result.crops)  # cells of OCR values flagged for review
    return form_id


def record_deeds(ledger: Ledger, receipt_id: int, result: ExtractResult, chars: int) -> int:
    """Store a free-text deeds document (idempotent on the receipt); returns its id."""
    ledger.execute("INSERT OR IGNORE INTO deeds_documents(receipt_id, chars, text) VALUES (?, ?, ?)",
                   (receipt_id, chars, result.text))
    return int(ledger.execute("SELECT id FROM deeds_documents WHERE receipt_id = ?", (receipt_id,))
               .fetchone()["id"])


def move_to_receipt(ledger: Ledger, old_id: int, new_id: int) -> None:
    """Forms, problems and deeds documents of one receipt now hang on another (same bytes)."""
    for table in ("forms", "problems", "deeds_documents"):
        ledger.execute(f"UPDATE {table} SET receipt_id = ? WHERE receipt_id = ?", (new_id, old_id))


def add_problem(ledger: Ledger, receipt_id: int | None, form_id: int | None, field_key: str | None,
                severity: str, message: str, origin: str = "check") -> None:
    ledger.execute("INSERT INTO problems(receipt_id, form_id, field, severity, message, origin) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (receipt_id, form_id, field_key, severity, message, origin))


def clear_check_problems(ledger: Ledger) -> None:
    ledger.execute("DELETE FROM problems WHERE origin = 'check'")


def set_form_unit(ledger: Ledger, form_id: int, unit: str | None, method: str | None,
                  counted: bool = True) -> None:
    ledger.execute("UPDATE forms SET unit = ?, unit_method = ?, counted = ? WHERE id = ?",
                   (unit, method, int(counted), form_id))


def set_deeds_link(ledger: Ledger, deeds_id: int, unit: str | None, unit_method: str | None,
                   candidate: str | None) -> None:
    ledger.execute("UPDATE deeds_documents SET unit = ?, unit_method = ?, candidate = ? WHERE id = ?",
                   (unit, unit_method, candidate, deeds_id))


# ---------------------------------------------------------------------------------------------
# corrections
# ---------------------------------------------------------------------------------------------

CORRECTION = "correction"  # the scope of form-field corrections in formgen.ledger.decisions


def subject_key(subject: str | None) -> str:
    """A form's subject as corrections address it: spaces dropped (张 三 is 张三)."""
    return "".join((subject or "").split())


def correction_subject(unit: str, form_type: str, subject: str = "") -> str:
    """The decision subject of a correction: ``unit|form_type``, plus ``|nominee`` when scoped to one."""
    return f"{unit}|{form_type}" + (f"|{subject}" if subject else "")


def split_correction_subject(text: str) -> tuple[str, str, str]:
    """(unit, form_type, subject) of a decision subject written by :func:`correction_subject`."""
    unit, _, rest = text.partition("|")
    form_type, _, subject = rest.partition("|")
    return unit, form_type, subject


def _value_now(ledger: Ledger, unit: str, form_type: str, key: str,
               subject: str = "") -> tuple[int | None, Any, Any]:
    """(form id, extracted value, effective value) of ``key`` on the unit's latest counted form
    (of that subject, when one is named)."""
    forms = [f for f in effective_forms(ledger, unit, form_type) if not subject or subject_key(f.subject) == subject]
    if not forms:
        return None, None, None
    f = forms[-1]
    if key.startswith("items."):
        name = key[len("items."):]
        extracted = next((it.get("score") for it in f.extracted.get("items") or [] if it["name"] == name), None)
        effective = next((it.get("score") for it in f.items if it["name"] == name), None)
    else:
        extracted, effective = (f.extracted.get("fields") or {}).get(key), f.fields.get(key)
    return f.id, extracted, effective


def set_correction(ledger: Ledger, unit: str, form_type: str, key: str, value: Any,
                   note: str | None = None, who: str | None = None, subject: str = "") -> None:
    """Record (or replace) the staff's value for ``key`` of ``unit``'s ``form_type`` form
    (only the form about ``subject`` when given: see the module docstring).

    The history (who, when, old value, new value, note, the form it was made against)
    is appended to ``staff_decisions`` (formgen.ledger.decisions); nothing is overwritten there."""
    from formgen.ledger.decisions import record_decision

    subject = subject_key(subject)
    form_id, extracted, old = _value_now(ledger, unit, form_type, key, subject)
    with ledger.transaction():
        ledger.execute(
            """INSERT INTO corrections(unit, form_type, subject, key, value, note, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(unit, form_type, subject, key) DO UPDATE SET value = excluded.value,
                   note = excluded.note, created_at = excluded.created_at""",
            (unit, form_type, subject, key, _dumps(value), note, iso(now())))
        record_decision(ledger, CORRECTION, correction_subject(unit, form_type, subject), key, value, old=old,
                        note=note, who=who, basis={"form_id": form_id, "extracted": extracted})


def delete_correction(ledger: Ledger, unit: str, form_type: str, key: str, note: str | None = None,
                      who: str | None = None, subject: str = "") -> bool:
    """Withdraw a correction: the extracted value counts again; the withdrawal stays in the history."""
    from formgen.ledger.decisions import record_decision

    subject = subject_key(subject)
    form_id, extracted, old = _value_now(ledger, unit, form_type, key, subject)
    with ledger.transaction():
        cur = ledger.execute("DELETE FROM corrections WHERE unit = ? AND form_type = ? AND subject = ? AND key = ?",
                             (unit, form_type, subject, key))
        if cur.rowcount:
            record_decision(ledger, CORRECTION, correction_subject(unit, form_type, subject), key, action="delete",
                            old=old, note=note, who=who, basis={"form_id": form_id, "extracted": extracted})
    return cur.rowcount > 0


def list_corrections(ledger: Ledger) -> list[dict]:
    rows = ledger.execute("SELECT * FROM corrections ORDER BY unit, form_type, subject, key").fetchall()
    return [{"unit": r["unit"], "form_type": r["form_type"], "subject": r["subject"], "key": r["key"],
             "value": json.loads(r["value"]), "note": r["note"], "created_at": parse_iso(r["created_at"])}
            for r in rows]


def _corrections_map(ledger: Ledger) -> dict[tuple[str, str, str], dict[str, Any]]:
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for c in list_corrections(ledger):
        out.setdefault((c["unit"], c["form_type"], c["subject"]), {})[c["key"]] = c["value"]
    return out


def corrections_of(corrections: dict[tuple[str, str, str], dict[str, Any]], unit: str | None,
                   form_type: str | None, subject: str | None) -> dict[str, Any]:
    """The corrections that hold for one form: the unit-wide ones, then its nominee's own."""
    if not (unit and form_type):
        return {}
    return {**corrections.get((unit, form_type, ""), {}),
            **corrections.get((unit, form_type, subject_key(subject)), {})}


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------

_FORM_SQL = """
SELECT f.*, r.path, r.name, r.via, r.arrived_at, r.arrived_basis, r.received_at, r.route, r.sender
FROM forms f JOIN receipts r ON r.id = f.receipt_id
"""


def _file_label(row) -> str:
    via = json.loads(row["via"])
    return " → ".join([row["path"], *via[1:], row["name"]]) if via else row["path"]


def _form_from_row(row, corrections: dict[tuple[str, str, str], dict[str, Any]]) -> FormRecord:
    extracted = json.loads(row["extracted"])
    rec = FormRecord(
        id=row["id"], receipt_id=row["receipt_id"], seq=row["seq"], form_type=row["form_type"],
        unit=row["unit"], unit_method=row["unit_method"], counted=bool(row["counted"]), subject=row["subject"],
        method=row["method"], template_version=row["template_version"], campaign=row["campaign"],
        extracted=extracted, superseded_by=row["superseded_by"], created_at=parse_iso(row["created_at"]),
        file=_file_label(row), arrived_at=parse_iso(row["arrived_at"]), arrived_basis=row["arrived_basis"],
        received_at=parse_iso(row["received_at"]), route=row["route"], sender=row["sender"],
        fields=dict(extracted.get("fields") or {}), items=[dict(it) for it in extracted.get("items") or []])
    for key, value in corrections_of(corrections, rec.unit, rec.form_type, rec.subject).items():
        rec.corrected[key] = value
        if key.startswith("items."):
            name = key[len("items."):]
            for it in rec.items:
                if it["name"] == name:
                    it["score"] = value
        else:
            rec.fields[key] = value
    return rec


def all_forms(ledger: Ledger) -> list[FormRecord]:
    """Every form ever recorded, superseded or not, oldest first."""
    corrections = _corrections_map(ledger)
    return [_form_from_row(r, corrections) for r in ledger.execute(_FORM_SQL + " ORDER BY f.id")]


def effective_forms(ledger: Ledger, unit: str | None = None, form_type: str | None = None) -> list[FormRecord]:
    """The forms that count now: known type, not superseded, not set aside by staff."""
    sql = _FORM_SQL + " WHERE f.form_type IS NOT NULL AND f.superseded_by IS NULL AND f.counted = 1"
    params: list[Any] = []
    if unit is not None:
        sql += " AND f.unit = ?"
        params.append(unit)
    if form_type is not None:
        sql += " AND f.form_type = ?"
        params.append(form_type)
    corrections = _corrections_map(ledger)
    return [_form_from_row(r, corrections) for r in ledger.execute(sql + " ORDER BY f.id", params)]


def all_deeds(ledger: Ledger) -> list[DeedsDocument]:
    rows = ledger.execute("SELECT d.* FROM deeds_documents d ORDER BY d.id").fetchall()
    return [DeedsDocument(id=r["id"], receipt_id=r["receipt_id"], unit=r["unit"], unit_method=r["unit_method"],
                          candidate=r["candidate"], chars=r["chars"], text=r["text"]) for r in rows]


def values_of(ledger: Ledger, form_id: int) -> dict[str, dict]:
    """Provenance of each extracted value: {key: {value, location, method, confidence}}."""
    rows = ledger.execute("SELECT * FROM field_values WHERE form_id = ?", (form_id,)).fetchall()
    return {r["key"]: {"value": json.loads(r["value"]) if r["value"] is not None else None,
                       "location": r["location"], "method": r["method"], "confidence": r["confidence"]}
            for r in rows}


def low_confidence_values(ledger: Ledger, threshold: float) -> list[dict]:
    """Values of effective forms read with confidence below ``threshold`` (OCR)."""
    rows = ledger.execute(
        """SELECT v.*, f.receipt_id FROM field_values v JOIN forms f ON f.id = v.form_id
           WHERE v.confidence IS NOT NULL AND v.confidence < ? AND f.superseded_by IS NULL
           ORDER BY v.form_id, v.key""", (threshold,)).fetchall()
    return [{"form_id": r["form_id"], "receipt_id": r["receipt_id"], "key": r["key"], "location": r["location"],
             "confidence": r["confidence"]} for r in rows]


# ---------------------------------------------------------------------------------------------
# superseding
# ---------------------------------------------------------------------------------------------

def refresh_superseding(ledger: Ledger, multi_per_unit: set[str]) -> None:
    """Recompute ``superseded_by`` for every form from scratch.

    Forms group by (unit, form_type), and by subject too for the types in
    ``multi_per_unit`` (a unit may send several). In each group the forms that
    arrived last (same arrival time: one email, one batch) stay; every earlier
    one points at the first of them. Forms of no identified unit stand alone.
    """
    groups: dict[tuple, list] = {}
    # one application form for several awards (seed 003): the same person for two awards is two forms
    applied_for = {r["form_id"]: r["value"] for r in ledger.execute(
        "SELECT form_id, value FROM field_values WHERE key = 'award'")}
    rows = ledger.execute(
        """SELECT f.id, f.unit, f.form_type, f.subject, f.counted, r.arrived_at, r.received_at
           FROM forms f JOIN receipts r ON r.id = f.receipt_id
           WHERE f.form_type IS NOT NULL AND f.unit IS NOT NULL AND f.counted = 1""").fetchall()
    for r in rows:
        key: tuple = (r["unit"], r["form_type"])
        if r["form_type"] in multi_per_unit:
            key += ("".join((r["subject"] or "").split()), applied_for.get(r["id"]))
        groups.setdefault(key, []).append(r)
    superseded: dict[int, int | None] = {}
    for members in groups.values():
        def when(r) -> str:
            return r["arrived_at"] or r["received_at"]

        latest = max(when(r) for r in members)
        keep = sorted((r for r in members if when(r) == latest), key=lambda r: r["id"])
        for r in members:
            superseded[r["id"]] = None if when(r) == latest else keep[0]["id"]
    with ledger.transaction():
        ledger.execute("UPDATE forms SET superseded_by = NULL")
        for form_id, by in superseded.items():
            if by is not None:
                ledger.execute("UPDATE forms SET superseded_by = ? WHERE id = ?", (by, form_id))


# ---------------------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------------------

def list_problems(ledger: Ledger, include_superseded: bool = False) -> list[ProblemRow]:
    """Every problem of the forms and files that count, errors first within each file."""
    from formgen.ledger.confirmations import is_confirmed, live_confirmations

    corrections = _corrections_map(ledger)
    confirmations = live_confirmations(ledger)
    rows = ledger.execute(
        """SELECT p.*, f.unit AS f_unit, f.form_type, f.subject, f.superseded_by, f.counted,
                  r.unit AS r_unit, r.path, r.name, r.via
           FROM problems p
           LEFT JOIN forms f ON f.id = p.form_id
           LEFT JOIN receipts r ON r.id = COALESCE(p.receipt_id, f.receipt_id)
           ORDER BY COALESCE(f.unit, r.unit) IS NULL, COALESCE(f.unit, r.unit), p.receipt_id,
                    p.severity = 'warning', p.id""").fetchall()
    out: list[ProblemRow] = []
    for r in rows:
        if r["form_id"] is not None and not include_superseded and (r["superseded_by"] is not None
                                                                     or not r["counted"]):
            continue
        unit = r["f_unit"] if r["form_id"] is not None else r["r_unit"]
        fixes = corrections_of(corrections, unit, r["form_type"], r["subject"])
        confirmed = is_confirmed(confirmations, unit, r["form_type"], r["field"], r["form_id"], r["subject"])
        out.append(ProblemRow(
            id=r["id"], receipt_id=r["receipt_id"], form_id=r["form_id"], unit=unit, form_type=r["form_type"],
            file=_file_label(r) if r["path"] else "", field=r["field"], severity=r["severity"],
            message=r["message"], origin=r["origin"], resolved=bool(r["field"] and r["field"] in fixes) or confirmed, confirmed=confirmed))
    return out

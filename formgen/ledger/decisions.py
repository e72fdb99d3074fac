"""Staff decisions with their full history: who decided what, when, from which value, and why.

Every decision a person makes about what a unit sent is one row appended to
``staff_decisions``, never updated or deleted: a correction of a form field, its
withdrawal, a confirmation of a value OCR flagged, a ballot mark read by eye.
The current state of a decision is its latest row; withdrawing one appends a
``delete`` row, so the trace stays.

A decision is addressed by ``scope`` (what kind: ``correction``, ``ocr_confirm``,
``ballot_mark`` …), ``subject`` (what it is about, e.g. ``东山街道|candidate_application``
or ``receipt:12``) and ``key`` (the field, item or mark). ``basis`` records what the
decision was made against (e.g. ``{"form_id": 7, "extracted": "1982-07"}``), so that a
later submission that disagrees can be shown to staff (:func:`current`).

API (for every stage that records staff decisions)::

    record_decision(ledger, scope, subject, key, value, action="set", old=…, note=…, who=…, basis=…) -> id
    history(ledger, scope=None, subject=None, key=None) -> list[Decision]   # oldest first
    current(ledger, scope) -> dict[(subject, key), Decision]                # latest non-withdrawn
    staff_name() -> str                                                     # who: $FORMGEN_USER or the login
"""
from __future__ import annotations

import contextvars
import getpass
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from formgen.ledger.db import Ledger, register_schema
from formgen.ledger.files import iso, now, parse_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS staff_decisions (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,       -- correction / ocr_confirm / ballot_mark / …
    subject TEXT NOT NULL,     -- what it is about, e.g. 东山街道|candidate_application
    key TEXT NOT NULL,         -- field key, items.<name>, mark id …
    action TEXT NOT NULL,      -- set / delete / confirm
    old_value TEXT,            -- JSON: the value in effect before
    new_value TEXT,            -- JSON: the value decided (NULL for delete)
    note TEXT,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    basis TEXT                 -- JSON: what it was decided against
);
CREATE INDEX IF NOT EXISTS staff_decisions_key ON staff_decisions(scope, subject, key)
"""
register_schema("decisions", SCHEMA)

ACTIONS = ("set", "delete", "confirm")


@dataclass
class Decision:
    id: int
    scope: str
    subject: str
    key: str
    action: str
    old_value: Any
    new_value: Any
    note: str | None
    who: str
    at: datetime
    basis: dict

    @property
    def withdrawn(self) -> bool:
        return self.action == "delete"


# Who acts in this thread of work, when a face knows better than the login name (the desk: the
# signed-in clerk). A context variable, so two clerks' requests served at once never mix.
_acting: contextvars.ContextVar[str | None] = contextvars.ContextVar("formgen_acting", default=None)


def set_acting(name: str) -> contextvars.Token:
    """From here on in this context decisions are ``name``'s (a web request); undo with reset_acting."""
    return _acting.set(name)


def reset_acting(token: contextvars.Token) -> None:
    _acting.reset(token)


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Every decision recorded inside is recorded as ``name``'s."""
    token = _acting.set(name)
    try:
        yield
    finally:
        _acting.reset(token)


def staff_name() -> str:
    """Who is deciding: the desk's signed-in user (acting_as), else $FORMGEN_USER when set (a shared
    office login), else the login name."""
    acting = _acting.get()
    if acting:
        return acting
    name = os.environ.get("FORMGEN_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without passwd entry)
        return "未知"


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def record_decision(ledger: Ledger, scope: str, subject: str, key: str, value: Any = None, *,
                    action: str = "set", old: Any = None, note: str | None = None, who: str | None = None,
                    basis: dict | None = None, at: datetime | None = None) -> int:
    """Append one decision; returns its id. Nothing earlier is changed."""
    if action not in ACTIONS:
        raise ValueError(f"unknown decision action {action!r}")
    cur = ledger.execute(
        "INSERT INTO staff_decisions(scope, subject, key, action, old_value, new_value, note, who, at, basis)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (scope, subject, key, action, _dumps(old), None if action == "delete" else _dumps(value), note,
         who or staff_name(), iso(at or now()), _dumps(basis or {})))
    return int(cur.lastrowid)


def _row(r) -> Decision:
    return Decision(id=r["id"], scope=r["scope"], subject=r["subject"], key=r["key"], action=r["action"],
                    old_value=_loads(r["old_value"]), new_value=_loads(r["new_value"]), note=r["note"],
                    who=r["who"], at=parse_iso(r["at"]), basis=_loads(r["basis"]) or {})


def history(ledger: Ledger, scope: str | None = None, subject: str | None = None,
            key: str | None = None) -> list[Decision]:
    """Every decision matching the filters, oldest first."""
    sql, params = "SELECT * FROM staff_decisions WHERE 1 = 1", []
    for column, value in (("scope", scope), ("subject", subject), ("key", key)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    return [_row(r) for r in ledger.execute(sql + " ORDER BY id", params)]


def current(ledger: Ledger, scope: str) -> dict[tuple[str, str], Decision]:
    """The decision in effect for each (subject, key) of ``scope``: its latest row, unless withdrawn."""
    latest: dict[tuple[str, str], Decision] = {}
    for d in history(ledger, scope):
        latest[(d.subject, d.key)] = d
    return {k: d for k, d in latest.items() if not d.withdrawn}

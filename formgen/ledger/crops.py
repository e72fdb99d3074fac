"""Crops of the cells OCR values were read from, for the values a person must check.

``collect`` stores the PNG of each flagged value's cell (``ExtractResult.crops``)
with its form; the status workbook (收件情况.xlsx) shows it beside the problem, so
staff can confirm or correct the value (``formgen correct``) without opening the
photo. Crops belong to their form: re-reading a file makes a new form and new crops.
"""
from __future__ import annotations

from formgen.ledger.db import Ledger, register_schema

register_schema("crops", """
CREATE TABLE IF NOT EXISTS value_crops (
    form_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    png BLOB NOT NULL,
    PRIMARY KEY (form_id, key)
);
""")


def store_crops(ledger: Ledger, form_id: int, crops: dict[str, bytes]) -> None:
    for key, png in crops.items():
        ledger.execute("INSERT OR REPLACE INTO value_crops(form_id, key, png) VALUES (?, ?, ?)", (form_id, key, png))


def crops_by_value(ledger: Ledger) -> dict[tuple[int, str], bytes]:
    """(form id, key) → PNG of every stored crop."""
    return {(int(r["form_id"]), r["key"]): bytes(r["png"])
            for r in ledger.execute("SELECT form_id, key, png FROM value_crops").fetchall()}


def crop_of(ledger: Ledger, form_id: int, key: str) -> bytes | None:
    row = ledger.execute("SELECT png FROM value_crops WHERE form_id = ? AND key = ?", (form_id, key)).fetchone()
    return bytes(row["png"]) if row else None


def forms_with_crops(ledger: Ledger) -> set[tuple[int, str]]:
    """(form id, key) of every stored crop, without loading the images."""
    return {(int(r["form_id"]), r["key"]) for r in ledger.execute("SELECT form_id, key FROM value_crops").fetchall()}

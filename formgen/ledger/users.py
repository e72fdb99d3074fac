"""Desk accounts for ``formgen desk --lan`` (``formgen users add``): name, role, password hash.

The hash is made and checked by the face's password library (argon2); the ledger only keeps it.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.ledger.db import Ledger, register_schema
from formgen.ledger.files import iso, now

ROLES = {"clerk": "办事员", "judge": "评委", "viewer": "只读"}

register_schema("desk_users", """
CREATE TABLE IF NOT EXISTS desk_users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
""")


@dataclass
class DeskUser:
    name: str
    role: str
    password_hash: str


def save_user(ledger: Ledger, name: str, role: str, password_hash: str) -> bool:
    """Add the account or replace its role and password; True when it is new."""
    stamp = iso(now())
    with ledger.transaction() as db:
        existed = db.execute("SELECT 1 FROM desk_users WHERE name = ?", (name,)).fetchone() is not None
        db.execute("INSERT INTO desk_users(name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                   " ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,"
                   " updated_at = excluded.updated_at", (name, role, password_hash, stamp, stamp))
    return not existed


def get_user(ledger: Ledger, name: str) -> DeskUser | None:
    row = ledger.execute("SELECT name, role, password_hash FROM desk_users WHERE name = ?", (name,)).fetchone()
    return DeskUser(row["name"], row["role"], row["password_hash"]) if row else None


def list_users(ledger: Ledger) -> list[DeskUser]:
    return [DeskUser(r["name"], r["role"], r["password_hash"])
            for r in ledger.execute("SELECT name, role, password_hash FROM desk_users ORDER BY name")]

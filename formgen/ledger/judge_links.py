"""Judges' personal links (the desk's 评委 pages): a random token per judge, kept as its sha256.

The clerk hands each judge a link carrying the token; whoever opens it acts as that judge and
sees only that judge's subjects. Issuing a new link for a judge revokes the old one.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from formgen.ledger.db import Ledger, register_schema

register_schema("judge_links", """
CREATE TABLE IF NOT EXISTS judge_links (
    id INTEGER PRIMARY KEY,
    judge TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT
)
""")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_link(ledger: Ledger, judge: str, issued_by: str) -> str:
    """A new token for ``judge`` (earlier ones revoked); only its digest is stored."""
    token = secrets.token_urlsafe(24)
    stamp = datetime.now().isoformat(timespec="seconds")
    with ledger.transaction() as conn:
        conn.execute("UPDATE judge_links SET revoked_at = ? WHERE judge = ? AND revoked_at IS NULL", (stamp, judge))
        conn.execute("INSERT INTO judge_links(judge, token_sha256, issued_by, issued_at) VALUES (?, ?, ?, ?)",
                     (judge, _digest(token), issued_by, stamp))
    return token


def judge_of_token(ledger: Ledger, token: str) -> str | None:
    """The judge whose live link carries ``token`` (None: unknown or revoked)."""
    if not token:
        return None
    row = ledger.execute("SELECT judge FROM judge_links WHERE token_sha256 = ? AND revoked_at IS NULL",
                         (_digest(token),)).fetchone()
    return row["judge"] if row else None


def issued_links(ledger: Ledger) -> dict[str, str]:
    """judge → when their live link was issued."""
    return {r["judge"]: r["issued_at"] for r in
            ledger.execute("SELECT judge, issued_at FROM judge_links WHERE revoked_at IS NULL ORDER BY id")}

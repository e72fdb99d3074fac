"""The receipt policy: what one arrival of a leaf file becomes, decided in one transaction.

An arrival (a file on disk, an email attachment, an archive member) is

* **known** — recorded already (same bytes, path, containers and name): nothing changes;
* **new** — first seen: an ``ok`` receipt, its forms are recorded next;
* **retried** — it failed before for a reason of this machine (LibreOffice or OCR missing)
  and reads now: the old ``error`` receipt turns ``ok``;
* **duplicate** — the same bytes were received before by another path or route. It becomes
  the *primary* receipt when it is the better record of the arrival (by email, with sender
  and date; else earlier), and the forms move to it;
* **error** — it cannot be read: an ``error`` receipt with its one-line message (a known
  failure only has its message refreshed).

A whole-file failure of an earlier run that reads now leaves no stale ``error`` receipt.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from formgen.ledger.db import Ledger
from formgen.ledger.files import (Receipt, delete_error_receipt, find_receipt, first_receipt_of, get_receipt,
                                  make_primary, receipts_of_file, record_receipt, update_receipt_error)
from formgen.ledger.forms import move_to_receipt

# Errors that depend on this machine (LibreOffice / OCR missing), not on the file: tried again next run.
RETRY_KINDS = frozenset({"needs_soffice", "needs_ocr", "unsupported"})


@dataclass(frozen=True)
class Incoming:
    sha256: str  # the leaf's bytes
    path: str  # the file on disk as recorded (workspace-relative when inside it)
    outer_sha256: str  # the bytes of that file on disk
    name: str  # the leaf's name
    via: list[str] = field(default_factory=list)  # containers, outermost first
    sender: str | None = None
    sent_at: datetime | None = None
    email_subject: str | None = None
    file_mtime: datetime | None = None


@dataclass(frozen=True)
class Received:
    receipt_id: int
    outcome: str  # known / new / retried / duplicate / error

    @property
    def takes_forms(self) -> bool:
        """Should the forms read from this arrival be recorded on ``receipt_id``?"""
        return self.outcome in ("new", "retried")


def receive(ledger: Ledger, arrival: Incoming, error: tuple[str, str | None] | None = None) -> Received:
    """Record ``arrival`` by the policy in the module docstring; ``error`` = (message, kind) when unreadable."""
    a = arrival
    with ledger.transaction():
        old = find_receipt(ledger, a.sha256, a.path, a.via, a.name)
        if error is not None:
            received = _receive_error(ledger, a, old, *error)
        elif old is not None and old.status != "error":
            received = Received(old.id, "known")
        elif old is not None:  # a failure of an earlier run that reads now
            update_receipt_error(ledger, old.id, "ok", None, None)
            received = Received(old.id, "retried")
        else:
            first = first_receipt_of(ledger, a.sha256)
            if first is None:
                received = Received(_record(ledger, a), "new")
            else:
                new_id = _record(ledger, a, status="duplicate", duplicate_of=first.id)
                if _better(get_receipt(ledger, new_id), first):
                    make_primary(ledger, first.id, new_id)
                    move_to_receipt(ledger, first.id, new_id)
                received = Received(new_id, "duplicate")
        for stale in receipts_of_file(ledger, a.path, a.outer_sha256):
            if (stale.id != received.receipt_id and stale.status == "error" and not stale.via
                    and stale.error_kind in RETRY_KINDS):
                delete_error_receipt(ledger, stale.id)
        return received


def _receive_error(ledger: Ledger, a: Incoming, old: Receipt | None, message: str, kind: str | None) -> Received:
    if old is None:
        return Received(_record(ledger, a, status="error", error=message, error_kind=kind), "error")
    if old.status == "error" and (old.error, old.error_kind) != (message, kind):
        update_receipt_error(ledger, old.id, "error", message, kind)
    return Received(old.id, "known")


def _record(ledger: Ledger, a: Incoming, **status) -> int:
    return record_receipt(ledger, sha256=a.sha256, path=a.path, outer_sha256=a.outer_sha256, name=a.name,
                          via=a.via, sender=a.sender, sent_at=a.sent_at, email_subject=a.email_subject,
                          file_mtime=a.file_mtime, **status)


def _better(new: Receipt, first: Receipt) -> bool:
    """Is ``new`` a better arrival of record than ``first``: by email (sender, date), else earlier."""
    def rank(r: Receipt) -> tuple:
        return (0 if r.sender else 1, r.arrived_at or datetime.max, r.id)

    return rank(new) < rank(first)

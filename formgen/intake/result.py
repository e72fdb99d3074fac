"""What intake produces: the files to read and the forms read from them.

``SourceFile`` is one file to read, with where it came from (a path on disk, an
archive member, an email attachment …). Containers (zip, eml, msg, mbox) turn
one SourceFile into several; readers turn a SourceFile into a GridDocument; the
matcher turns a GridDocument into an ``ExtractResult``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass
class Problem:
    field: str | None  # canonical key, "items.<name>", or None for the whole form
    severity: Severity
    message: str  # Chinese, one line

    def to_json(self) -> dict:
        return {"field": self.field, "severity": self.severity, "message": self.message}


@dataclass
class SourceFile:
    """One file's bytes and how it reached us."""

    name: str  # decoded file name (no directories)
    data: bytes
    path: str | None = None  # the file on disk this came from (outermost)
    # Chain of containers, outermost first, e.g. ["东山街道.eml", "材料.zip"].
    via: list[str] = field(default_factory=list)
    sender: str | None = None  # email address, when it came by email
    sent_at: datetime | None = None  # the email's Date, when it came by email
    subject: str | None = None  # the email's subject

    @property
    def source_label(self) -> str:
        """The attachment / member name as the extract contract's ``source``."""
        return "/".join([*self.via[1:], self.name]) if self.via else self.name

    @property
    def suffix(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot >= 0 else ""


@dataclass
class ValueSource:
    """Provenance of one extracted value."""

    where: str  # e.g. "表1 第3行第2列", "第1页"
    method: str  # tagged / labels / pdf-text / ocr
    confidence: float | None = None


@dataclass
class ExtractResult:
    file: str  # the path as given (outermost file)
    form_type: str | None
    method: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)  # {"name", "max", "score"}
    problems: list[Problem] = field(default_factory=list)
    source: str | None = None  # attachment / member name inside a container
    # Document-level anchors when present: unit, campaign, template_version.
    anchors: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, ValueSource] = field(default_factory=dict)  # key or "items.<name>"
    # The subject a score sheet names (candidate or post), when printed on it.
    subject: str | None = None
    # Free-text files (e.g. the ~3000-character detailed deeds) are not forms:
    # form_type stays None and kind says what they are.
    kind: str | None = None  # None, "deeds_document"
    text: str | None = None  # full text for kind == "deeds_document"
    # Why a container member could not be read (InputFileError.kind): collect retries some kinds.
    error_kind: str | None = None
    origin: SourceFile | None = None
    # PNG of the cell each value flagged for review was read from (OCR), by key ("items.<name>").
    crops: dict[str, bytes] = field(default_factory=dict, repr=False)

    def warn(self, field_key: str | None, message: str) -> None:
        self.problems.append(Problem(field_key, "warning", message))

    def error(self, field_key: str | None, message: str) -> None:
        self.problems.append(Problem(field_key, "error", message))

    def to_json(self, with_source: bool = False) -> dict:
        """The ``formgen extract --json`` object of shared/spec/forms.md."""
        out: dict[str, Any] = {
            "file": self.file,
            "form_type": self.form_type,
            "method": self.method,
            "fields": self.fields,
            "items": self.items,
            "problems": [p.to_json() for p in self.problems],
        }
        if with_source:
            out["source"] = self.source
        if self.subject:
            out["subject"] = self.subject  # the candidate / post a score sheet names
        if self.kind:
            out["kind"] = self.kind
        return out

"""``formgen collect``: file everything in forms_in/ into the ledger.

Reads every file (recursively; containers expanded by the extractor), stores
its bytes and one receipt per leaf file, records the forms read from it, then
places each form with its unit, checks the forms against each other and writes
out/collect/收件情况.xlsx.

* forms_in/ is only ever read: nothing there is moved, changed or deleted.
* Idempotent: a file already collected from the same path with the same bytes
  is skipped before it is read; a second run adds nothing.
* One bad file never stops the batch: it becomes a receipt with status
  ``error`` and its one-line message. Each file is recorded in one
  transaction, so an interrupted run leaves no half-recorded file.
* Old formats (.doc/.wps/.rtf/.odt …), given directly or inside zips and emails, are converted to .docx
  in one LibreOffice call for the whole run.
"""
from __future__ import annotations

import hashlib
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from formgen.errors import FormgenError, InputFileError
from formgen.intake.checks import identify_units, run_checks
from formgen.intake.extract import MAX_BYTES, Converted, convert_ahead, extract_source
from formgen.intake.normalize import count_chars
from formgen.intake.result import ExtractResult, SourceFile
from formgen.intake.status_book import write_status_book
from formgen.ledger.db import Ledger
from formgen.ledger.files import (CHINA_TZ, Receipt, delete_error_receipt, find_receipt, first_receipt_of,
                                  get_receipt, make_primary, receipts_of_file, record_receipt, sha256_of,
                                  store_blob, update_receipt_error)
from formgen.ledger.forms import list_problems, move_to_receipt, record_deeds, record_form
from formgen.ledger.views import squash
from formgen.workspace import Workspace

BOOK_NAME = "收件情况.xlsx"
# Errors that depend on this machine (LibreOffice / OCR missing), not on the file: tried again next run.
RETRY_KINDS = {"needs_soffice", "needs_ocr", "unsupported"}
# Files no unit sends: Office lock files, OS metadata.
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

Progress = Callable[[int, int, str], None]


@dataclass
class CollectReport:
    scanned: int = 0  # files on disk looked at
    unchanged: int = 0  # already collected (same path, same bytes)
    new_files: int = 0  # new readable files (attachments and archive members count one each)
    duplicates: int = 0  # same bytes already received by another path or route
    unreadable: int = 0  # new files that could not be read
    ignored: list[str] = field(default_factory=list)  # lock files etc.
    forms: Counter = field(default_factory=Counter)  # new forms by form type (None = not a known form)
    deeds: int = 0  # new detailed deeds documents
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, message) unreadable this run
    problems: int = 0  # unresolved problems in the whole ledger after the run
    errors: int = 0  # of which errors
    book: Path | None = None
    seconds: float = 0.0

    @property
    def new_total(self) -> int:
        return self.new_files + self.duplicates + self.unreadable


@dataclass
class _DiskFile:
    path: Path
    key: str  # the path as recorded (workspace-relative when inside it)
    mtime: datetime
    sha256: str = ""
    size: int = 0
    data: bytes | None = None  # kept only until the file is recorded


def _ignored(p: Path) -> bool:
    name = p.name
    return name.startswith(("~$", ".~lock", "~WRL")) or name.lower() in IGNORED_NAMES or name.startswith(".")


def _walk(ws: Workspace, paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Every file under ``paths`` in a stable order, minus lock files and formgen's own output."""
    own = [ws.out.resolve(), *(ws.ledger_path.with_name(ws.ledger_path.name + s) for s in ("", "-wal", "-shm"))]
    files: dict[Path, None] = {}  # ordered set
    ignored: list[str] = []
    for given in paths:
        p = Path(given)
        if not p.exists():
            raise FormgenError(f"找不到 {given}；请检查路径（默认收取工作目录下的 forms_in/）")
        if p.is_dir():
            found = [(x, x.relative_to(p).parts) for x in sorted(p.rglob("*")) if x.is_file()]
        else:
            found = [(p, (p.name,))]
        for f, parts in found:
            r = f.resolve()
            if any(r == o or o in r.parents for o in own):
                continue
            if any(_ignored(Path(part)) for part in parts):  # lock files, hidden files and folders
                ignored.append(str(f))
                continue
            files[r] = None
    return list(files), ignored


def _key(ws: Workspace, path: Path) -> str:
    try:
        return path.relative_to(ws.root).as_posix()
    except ValueError:
        return path.as_posix()


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def collect(ws: Workspace, paths: list[Path] | None = None, progress: Progress | None = None) -> CollectReport:
    """Collect ``paths`` (default: forms_in/) into the workspace's ledger; see the module docstring."""
    started = time.monotonic()
    report = CollectReport()
    files, report.ignored = _walk(ws, list(paths) if paths else [ws.forms_in])
    report.scanned = len(files)
    with ws.ledger() as ledger:
        run = _Run(ledger, ws, report)
        pending = run.pending(files)
        converted = _convert_batch(pending)
        for i, df in enumerate(pending):
            if progress:
                progress(i, len(pending), df.path.name)
            before = (report.new_files, report.duplicates, report.unreadable)
            run.collect_file(df, converted)
            if (report.new_files, report.duplicates, report.unreadable) == before:
                report.unchanged += 1  # a retried failure that fails the same way
            df.data = None
        if progress:
            progress(len(pending), len(pending), "")
        identify_units(ledger, ws)
        run_checks(ledger, ws)
        problems = [p for p in list_problems(ledger) if not p.resolved]
        report.problems = len(problems)
        report.errors = sum(1 for p in problems if p.severity == "error")
        report.book = write_status_book(ledger, ws, ws.out_dir("collect") / BOOK_NAME)
    report.seconds = time.monotonic() - started
    return report


def _convert_batch(pending: list[_DiskFile]) -> Converted:
    """Old-format files, given directly or inside zips and emails, converted in one LibreOffice call."""

    def sources():
        for df in pending:
            if df.size > MAX_BYTES:
                continue
            try:
                data = df.path.read_bytes()
            except OSError:
                continue  # said when the file's turn comes
            yield SourceFile(name=df.path.name, data=data, path=str(df.path))

    return convert_ahead(sources())  # one file's bytes in memory at a time, plus the old-format ones


class _Run:
    """One collect run: the ledger, the campaign's forms and the running report."""

    def __init__(self, ledger: Ledger, ws: Workspace, report: CollectReport):
        self.ledger, self.ws, self.report = ledger, ws, report
        self.forms = ws.campaign.form_specs()
        self.name_fields = {a.nomination_form: a.name_field for a in ws.campaign.awards if a.nomination_form}
        self.log = ws.out_dir("collect") / "collect-errors.log"

    def pending(self, files: list[Path]) -> list[_DiskFile]:
        """The files not yet collected with their current bytes, or whose failure may pass now."""
        out: list[_DiskFile] = []
        for path in files:
            try:
                st = path.stat()
                sha, size = _hash_file(path)
            except OSError as e:
                self.report.unreadable += 1
                self.report.failures.append((str(path), f"无法读取文件（{e.strerror or e}）"))
                continue
            mtime = datetime.fromtimestamp(st.st_mtime, CHINA_TZ).replace(tzinfo=None)
            df = _DiskFile(path, _key(self.ws, path), mtime, sha, size)
            seen = receipts_of_file(self.ledger, df.key, sha)
            if seen and not any(r.status == "error" and r.error_kind in RETRY_KINDS for r in seen):
                self.report.unchanged += 1
                continue
            out.append(df)
        return out

    # reading --------------------------------------------------------------------------------
    def _extract(self, df: _DiskFile, converted: Converted) -> list[ExtractResult]:
        source = SourceFile(name=df.path.name, data=df.data or b"", path=str(df.path))
        results = extract_source(source, self.forms, converted=converted)
        for r in results:
            r.file = df.key
        return results

    def collect_file(self, df: _DiskFile, converted: Converted) -> None:
        error: InputFileError | None = None
        results: list[ExtractResult] = []
        if df.size > MAX_BYTES:
            error = InputFileError(df.path, f"文件过大（{df.size // (1024 * 1024)} MB，上限 "
                                            f"{MAX_BYTES // (1024 * 1024)} MB），请让报送单位压缩图片后重新发送", "too_large")
        else:
            try:
                if df.data is None:
                    df.data = df.path.read_bytes()
                df.sha256, df.size = sha256_of(df.data), len(df.data)  # what is there now
                results = self._extract(df, converted)
            except InputFileError as e:
                error = e
            except OSError as e:
                error = InputFileError(df.path, f"无法读取文件（{e.strerror or e}）", "unreadable")
            except Exception as e:  # a reader bug must not stop the batch; details for the maintainers
                with self.log.open("a", encoding="utf-8") as fh:
                    fh.write(f"== {df.key}\n{traceback.format_exc()}\n")
                error = InputFileError(df.path, f"读取时发生内部错误（{type(e).__name__}），详情见 {self.log}",
                                       "internal")
        with self.ledger.transaction():
            store_blob(self.ledger, df.data, df.sha256, df.size)
            if error is not None:
                self._record_error(df, df.sha256, df.path.name, [], error.message, error.kind)
                return
            for leaf, group in _by_leaf(df, results):
                self._record_leaf(df, leaf, group)
            # A whole-file failure of an earlier run that reads now (e.g. LibreOffice installed since).
            for old in receipts_of_file(self.ledger, df.key, df.sha256):
                if old.status == "error" and not old.via and old.error_kind in RETRY_KINDS:
                    delete_error_receipt(self.ledger, old.id)

    # recording ------------------------------------------------------------------------------
    def _record_error(self, df: _DiskFile, sha: str, name: str, via: list[str], message: str,
                      kind: str | None, leaf: SourceFile | None = None) -> None:
        # InputFileError messages start with the file's name; the receipt names the file already.
        for prefix in (f"{df.path.name}：", f"{name}："):
            message = message.removeprefix(prefix)
        old = find_receipt(self.ledger, sha, df.key, via, name)
        if old is not None:
            if old.status == "error" and (old.error, old.error_kind) != (message, kind):
                update_receipt_error(self.ledger, old.id, "error", message, kind)
            return
        record_receipt(self.ledger, sha256=sha, path=df.key, outer_sha256=df.sha256, name=name, via=via,
                       sender=leaf.sender if leaf else None, sent_at=leaf.sent_at if leaf else None,
                       email_subject=leaf.subject if leaf else None, file_mtime=df.mtime, status="error",
                       error=message, error_kind=kind)
        self.report.unreadable += 1
        self.report.failures.append((" → ".join([df.key, *via[1:], name]) if via else df.key, message))

    def _record_leaf(self, df: _DiskFile, leaf: SourceFile, group: list[ExtractResult]) -> None:
        ledger, report = self.ledger, self.report
        sha = store_blob(ledger, leaf.data) if leaf.data else df.sha256
        via = list(leaf.via)
        message = _unreadable_member(group)
        if message is not None:
            self._record_error(df, sha, leaf.name, via, message, group[0].error_kind or "member", leaf)
            return
        old = find_receipt(ledger, sha, df.key, via, leaf.name)
        if old is not None and old.status != "error":
            return  # this arrival is recorded already
        first = first_receipt_of(ledger, sha)
        common = dict(sha256=sha, path=df.key, outer_sha256=df.sha256, name=leaf.name, via=via, sender=leaf.sender,
                      sent_at=leaf.sent_at, email_subject=leaf.subject, file_mtime=df.mtime)
        if old is None and first is not None:
            new_id = record_receipt(ledger, **common, status="duplicate", duplicate_of=first.id)
            report.duplicates += 1
            if _better(get_receipt(ledger, new_id), first):
                make_primary(ledger, first.id, new_id)
                move_to_receipt(ledger, first.id, new_id)
            return
        if old is not None:  # a retried failure that reads now
            update_receipt_error(ledger, old.id, "ok", None, None)
            receipt_id = old.id
        else:
            receipt_id = record_receipt(ledger, **common)
        report.new_files += 1
        for seq, r in enumerate(group):
            if r.kind == "deeds_document":
                record_deeds(ledger, receipt_id, r, count_chars(r.text))
                report.deeds += 1
            else:
                record_form(ledger, receipt_id, seq, r, subject=_subject(r, self.name_fields))
                report.forms[r.form_type] += 1


def _better(new: Receipt, first: Receipt) -> bool:
    """Is ``new`` a better arrival of record than ``first``: by email (sender, date), else earlier."""
    def rank(r: Receipt) -> tuple:
        return (0 if r.sender else 1, r.arrived_at or datetime.max, r.id)

    return rank(new) < rank(first)


def _by_leaf(df: _DiskFile, results: list[ExtractResult]) -> list[tuple[SourceFile, list[ExtractResult]]]:
    """Results grouped by the file they came from (an email gives one group per attachment)."""
    groups: dict[object, tuple[SourceFile, list[ExtractResult]]] = {}
    for r in results:
        if r.origin is not None:
            key: object = id(r.origin)
            leaf = r.origin
        else:  # a member the container could not hand over: only its name is known
            key = ("missing", r.source)
            leaf = SourceFile(name=r.source or df.path.name, data=b"", path=str(df.path), via=[df.path.name])
        groups.setdefault(key, (leaf, []))[1].append(r)
    return list(groups.values())


def _unreadable_member(group: list[ExtractResult]) -> str | None:
    """The message of a member the extractor could not read (no method, no form, an error)."""
    if len(group) == 1 and group[0].method is None and group[0].form_type is None and not group[0].kind:
        errs = [p.message for p in group[0].problems if p.severity == "error"]
        return errs[0] if errs else "无法读取"
    return None


def _subject(r: ExtractResult, name_fields: dict[str, str]) -> str | None:
    """The post / person a form is about: the nomination form's name field, else the score sheet's subject."""
    value = r.fields.get(name_fields.get(r.form_type or "", ""))
    if isinstance(value, str) and squash(value):
        return value.strip()
    return r.subject

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
* What each arrival becomes (new, duplicate, primary receipt, retried, error) is
  decided by one function, ``formgen.ledger.receipts.receive``.
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

from formgen.errors import InputFileError
from formgen.collect.checks import identify_units, run_checks
from formgen.intake.folders import list_files, shown_name
from formgen.collect.pool import SlowReaders
from formgen.intake.extract import Converted, convert_ahead, extract_source
from formgen.intake.issued import IssuedTable, reading_issued, tables_in_folder
from formgen.intake.limits import MAX_BYTES, too_large
from formgen.intake.normalize import count_chars, squash
from formgen.intake.result import ExtractResult, SourceFile
from formgen.collect.status_book import BOOK_NAME, write_status_book
from formgen.lock import locked
from formgen.ledger.db import Ledger
from formgen.ledger.files import CHINA_TZ, receipts_of_file, sha256_of, store_blob
from formgen.ledger.forms import list_problems, record_deeds, record_form
from formgen.ledger.receipts import RETRY_KINDS, Incoming, Received, receive
from formgen.workspace import Workspace


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
    # (file, why) not read at all: symbolic links, hidden files (formgen.intake.folders)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # files another stage reads instead (paper ballots: the CLI passes formgen.ballots' test as hand_over)
    handed_over: list[Path] = field(default_factory=list)
    problems: int = 0  # unresolved problems in the whole ledger after the run
    errors: int = 0  # of which errors
    book: Path | None = None
    seconds: float = 0.0
    # staff decisions read from 收件情况.xlsx before anything else (formgen.collect.review_book)
    review_lines: list[str] = field(default_factory=list)

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

    @property
    def name(self) -> str:
        """The file's name as recorded and shown (decoded, no control characters)."""
        return shown_name(self.path.name)


def _key(ws: Workspace, path: Path) -> str:
    try:
        return shown_name(path.relative_to(ws.root).as_posix())
    except ValueError:
        return shown_name(path.as_posix())


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


@locked("collect")
def collect(ws: Workspace, paths: list[Path] | None = None, progress: Progress | None = None,
            jobs: int = 1, hand_over: Callable[[Path], bool] | None = None,
            report: CollectReport | None = None) -> CollectReport:
    """Collect ``paths`` (default: forms_in/) into the workspace's ledger; see the module docstring.

    ``jobs``: processes for the slow readers (scans, photos, PDFs; formgen.collect.pool; the CLI
    defaults to the core count). The ledger is written by this process alone, in file order.
    ``hand_over``: a test for files that are not forms and are read by another stage (a scanned
    paper ballot); they are listed in ``report.handed_over`` and not read as forms.
    ``report``: the report to fill (the desk watches its failures grow while ``progress`` is called)."""
    started = time.monotonic()
    report = report if report is not None else CollectReport()
    own = [ws.out.resolve(), *(ws.ledger_path.with_name(ws.ledger_path.name + s) for s in ("", "-wal", "-shm"))]
    listing = list_files(list(paths) if paths else [ws.forms_in], own)
    files, report.ignored, report.skipped = listing.files, listing.ignored, listing.skipped
    report.scanned = len(files)
    with ws.ledger() as ledger:
        from formgen.collect.review_book import take_review

        report.review_lines = take_review(ledger, ws, ws.out_dir("collect") / BOOK_NAME).lines()
        run = _Run(ledger, ws, report)
        pending = run.pending(files)
        if hand_over is not None:
            report.handed_over = [df.path for df in pending if hand_over(df.path)]
            pending = [df for df in pending if df.path not in report.handed_over]
        issued = _issued_tables(ws)
        with SlowReaders(jobs) as slow, reading_issued(issued):  # scans of our own forms: only answers are read
            slow.submit([(df.path, df.name, df.sha256) for df in pending if df.size <= MAX_BYTES], run.forms, issued)
            converted = _convert_batch(pending)
            for i, df in enumerate(pending):
                if progress:
                    progress(i, len(pending), df.name)
                before = (report.new_files, report.duplicates, report.unreadable)
                run.collect_file(df, converted, slow.outcome(df.path))
                if (report.new_files, report.duplicates, report.unreadable) == before:
                    report.unchanged += 1  # a retried failure that fails the same way
                df.data = None
        if progress:
            progress(len(pending), len(pending), "")
        finish_collect(ledger, ws, report)
    report.seconds = time.monotonic() - started
    return report


def _issued_tables(ws: Workspace) -> Callable[[], list[IssuedTable]]:
    """The workspace's templates' tables, made on first need (a run without scans never does)."""
    made: list[list[IssuedTable]] = []

    def tables() -> list[IssuedTable]:
        if not made:
            made.append(tables_in_folder(ws.templates_dir))
        return made[0]

    return tables


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
            yield SourceFile(name=df.name, data=data, path=str(df.path))

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
                self.report.failures.append((shown_name(str(path)), f"无法读取文件（{e.strerror or e}），本次未收取；"
                                             "下次运行 formgen collect 时会重新读取"))
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
        source = SourceFile(name=df.name, data=df.data or b"", path=str(df.path))
        results = extract_source(source, self.forms, converted=converted)
        for r in results:
            r.file = df.key
        return results

    def collect_file(self, df: _DiskFile, converted: Converted, ahead: tuple | None = None) -> None:
        """Read (unless a pool worker did: ``ahead``, see formgen.collect.pool) and record one file."""
        error: InputFileError | None = None
        results: list[ExtractResult] = []
        if ahead is not None and ahead[0] != "retry":
            if ahead[0] == "transient":
                self._transient(df, ahead[1])
                return
            if ahead[0] == "timeout":  # a reader stuck on this file: the others go on, this one is tried next run
                self._transient(df, f"读取超过 {ahead[1]:g} 秒仍未完成，已跳过（其余文件照常收取；"
                                    "可用 formgen extract 单独检查该文件）")
                return
            df.data = ahead[1]
            df.sha256, df.size = sha256_of(df.data), len(df.data)
            if ahead[0] == "ok":
                results = ahead[2]
                for r in results:
                    r.file = df.key
            elif ahead[0] == "error":
                error = InputFileError(df.path, ahead[2], ahead[3])
            else:
                with self.log.open("a", encoding="utf-8") as fh:
                    fh.write(f"== {df.key}\n{ahead[2]}\n")
                error = InputFileError(df.path, f"读取时发生内部错误（{ahead[2].split(':')[0]}），详情见 {self.log}",
                                       "internal")
        elif df.size > MAX_BYTES:
            error = too_large(df.path, df.size)
        else:
            try:
                if df.data is None:
                    data = df.path.read_bytes()
                    if df.sha256 and sha256_of(data) != df.sha256:
                        # changed since it was listed (still being copied, truncated, replaced): not final
                        self._transient(df, "在收件过程中被改动（可能仍在复制中）")
                        return
                    df.data = data
                df.sha256, df.size = sha256_of(df.data), len(df.data)  # what is there now
                results = self._extract(df, converted)
            except InputFileError as e:
                error = e
            except OSError as e:  # vanished, locked, unplugged share: the disk's state, not the unit's file
                self._transient(df, f"无法读取（{e.strerror or e}）")
                return
            except Exception as e:  # a reader bug must not stop the batch; details for the maintainers
                with self.log.open("a", encoding="utf-8") as fh:
                    fh.write(f"== {df.key}\n{traceback.format_exc()}\n")
                error = InputFileError(df.path, f"读取时发生内部错误（{type(e).__name__}），详情见 {self.log}",
                                       "internal")
        with self.ledger.transaction():
            store_blob(self.ledger, df.data, df.sha256, df.size)
            if error is not None:
                self._receive(df, self._arrival(df, df.sha256, df.name, []), error.message, error.kind)
                return
            for leaf, group in _by_leaf(df, results):
                self._record_leaf(df, leaf, group)

    def _transient(self, df: _DiskFile, why: str) -> None:
        """A read that failed for a passing reason: reported, nothing recorded, read again next run."""
        self.report.unreadable += 1
        self.report.failures.append((df.key, f"{why}，本次未收取；下次运行 formgen collect 时会重新读取"))

    # recording ------------------------------------------------------------------------------
    def _arrival(self, df: _DiskFile, sha: str, name: str, via: list[str],
                 leaf: SourceFile | None = None) -> Incoming:
        return Incoming(sha256=sha, path=df.key, outer_sha256=df.sha256, name=name, via=via,
                       sender=leaf.sender if leaf else None, sent_at=leaf.sent_at if leaf else None,
                       email_subject=leaf.subject if leaf else None, file_mtime=df.mtime)

    def _receive(self, df: _DiskFile, arrival: Incoming, message: str | None = None,
                 kind: str | None = None) -> Received:
        """One arrival through the receipt policy (formgen.ledger.receipts), counted in the report."""
        if message is not None:
            # InputFileError messages start with the file's name; the receipt names the file already.
            for prefix in (f"{df.path.name}：", f"{df.name}：", f"{arrival.name}："):
                message = message.removeprefix(prefix)
        received = receive(self.ledger, arrival, None if message is None else (message, kind))
        if received.outcome == "error":
            self.report.unreadable += 1
            label = " → ".join([df.key, *arrival.via[1:], arrival.name]) if arrival.via else df.key
            self.report.failures.append((label, message))
        elif received.outcome == "duplicate":
            self.report.duplicates += 1
        elif received.takes_forms:
            self.report.new_files += 1
        return received

    def _record_leaf(self, df: _DiskFile, leaf: SourceFile, group: list[ExtractResult]) -> None:
        sha = store_blob(self.ledger, leaf.data) if leaf.data else df.sha256
        arrival = self._arrival(df, sha, leaf.name, list(leaf.via), leaf)
        message = _unreadable_member(group)
        if message is not None:
            self._receive(df, arrival, message, group[0].error_kind or "member")
            return
        received = self._receive(df, arrival)
        if not received.takes_forms:
            return
        for seq, r in enumerate(group):
            if r.kind == "deeds_document":
                record_deeds(self.ledger, received.receipt_id, r, count_chars(r.text))
                self.report.deeds += 1
            else:
                record_form(self.ledger, received.receipt_id, seq, r, subject=_subject(r, self.name_fields))
                self.report.forms[r.form_type] += 1


def _by_leaf(df: _DiskFile, results: list[ExtractResult]) -> list[tuple[SourceFile, list[ExtractResult]]]:
    """Results grouped by the file they came from (an email gives one group per attachment)."""
    groups: dict[object, tuple[SourceFile, list[ExtractResult]]] = {}
    for r in results:
        if r.origin is not None:
            key: object = id(r.origin)
            leaf = r.origin
        else:  # a member the container could not hand over: only its name is known
            key = ("missing", r.source)
            leaf = SourceFile(name=r.source or df.name, data=b"", path=str(df.path), via=[df.name])
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


# ---- files that are not on disk: messages from the office mailbox (formgen.mail) --------------

def collect_data(ledger: Ledger, ws: Workspace, report: CollectReport, key: str, name: str, data: bytes,
                 when: datetime, converted: Converted | None = None) -> None:
    """Collect one file held in memory as if it were ``key`` on disk, modified at ``when`` (China time).

    Joins the caller's transaction (the mail fetch records a message and its UID in the same one).
    """
    df = _DiskFile(Path(name), key, when, sha256_of(data), len(data), data)
    _Run(ledger, ws, report).collect_file(df, converted or {})


def convert_data(items: list[tuple[str, bytes]]) -> Converted:
    """Old-format files among ``(name, bytes)`` items (inside emails too), converted in one LibreOffice call."""
    return convert_ahead(SourceFile(name=n, data=d, path=n) for n, d in items)


def finish_collect(ledger: Ledger, ws: Workspace, report: CollectReport) -> None:
    """After new files: place them with units, run the checks, count problems, rewrite 收件情况.xlsx."""
    identify_units(ledger, ws)
    run_checks(ledger, ws)
    problems = [p for p in list_problems(ledger) if not p.resolved]
    report.problems = len(problems)
    report.errors = sum(1 for p in problems if p.severity == "error")
    report.book = write_status_book(ledger, ws, ws.out_dir("collect") / BOOK_NAME)

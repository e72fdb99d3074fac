"""Flagged values decided in 收件情况.xlsx: staff write 无误 or 更正 beside the crop.

Each flagged value (formgen.intake.review, and any problem of a value read by OCR)
gets, in the 问题清单 sheet, the value read and three input cells: 核对结果
(无误 / 更正), 更正为 and 核对人. A hidden 核对编号 column names the form and field,
so rows may be sorted or filtered freely.

The ledger is the source of truth; the workbook is where staff write. So every
writer of 收件情况.xlsx first reads what staff wrote there (:func:`take_review`):
each filled row becomes a staff decision through the ledger's history API (a
correction, scope ``correction``; or a confirmation, scope ``ocr_confirm``), parsed
by the same rules as ``formgen correct``. A row is recorded only when it differs
from the decision in effect, so re-reading is harmless. A row that cannot be
recorded (an invalid value) is one Chinese line naming workbook, sheet and cell,
and is written back as typed, so the staff's entry is never lost. A workbook that
cannot be opened is moved aside, never overwritten.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from formgen.campaign.model import Campaign
from formgen.collect.labels import field_label, form_title
from formgen.collect.values import form_value, parse_value, same_value, show_value
from formgen.errors import FormgenError
from formgen.intake.review import REVIEW
from formgen.ledger.confirmations import CONFIRM, is_confirmed, live_confirmations
from formgen.ledger.db import Ledger
from formgen.ledger.files import CHINA_TZ
from formgen.ledger.decisions import history, record_decision
from formgen.ledger.forms import CORRECTION, FormRecord, ProblemRow, all_forms, correction_subject, list_corrections
from formgen.ledger.forms import corrections_of, delete_correction, set_correction, subject_key


def form_scope(campaign: Campaign, form: FormRecord) -> str:
    """The nominee a decision on ``form`` is about: '' unless a unit may send several of its type."""
    return subject_key(form.subject) if form.form_type in campaign.several_per_unit() else ""


def _corrections(ledger: Ledger) -> dict:
    """(unit, form_type, subject) → {key: value}, as :func:`corrections_of` reads it."""
    out: dict = {}
    for c in list_corrections(ledger):
        out.setdefault((c["unit"], c["form_type"], c["subject"]), {})[c["key"]] = c["value"]
    return out
from formgen.xlsx import BookProblem, open_book

SHEET = "问题清单"
READ, RESULT, VALUE, WHO, KEY = "识别值", "核对结果", "更正为", "核对人", "核对编号"
CONFIRMED, CORRECTED = "无误", "更正"
HEADERS = [READ, f"{RESULT}\n（无误/更正）", f"{VALUE}\n（选“更正”时填）", f"{WHO}\n（可不填）", KEY]
WIDTHS = [18, 12, 20, 10, 4]
INSTRUCTION = (f"核对方法：对照“原件截图”看“{READ}”，在黄色的“{RESULT}”格中选择“{CONFIRMED}”或“{CORRECTED}”；"
               f"选“{CORRECTED}”时在“{VALUE}”填写正确的值（要清空该栏填“空”），“{WHO}”可填姓名。保存后运行 "
               "formgen review（或下次运行 formgen collect）即记入台账；每次核对都记在“人工更正”表中。")


@dataclass
class Entry:
    """One filled review row as staff left it."""

    row: int
    form_id: int
    key: str
    result: str
    text: str  # 更正为, as text
    who: str
    result_cell: str
    value_cell: str
    shown: list | None = None  # what formgen wrote in the row: unchanged means no staff edit
    saved: datetime | None = None  # when the workbook was last saved (China time, naive)
    sheet: str = SHEET  # as staff named it


@dataclass
class ReviewOutcome:
    recorded: list[str] = field(default_factory=list)  # one Chinese line per decision recorded
    problems: list[BookProblem] = field(default_factory=list)
    # (form id, key) → (核对结果, 更正为, 核对人, why not recorded): written back as typed
    pending: dict[tuple[int, str], tuple[str, str, str, str]] = field(default_factory=dict)
    keep_old: str | None = None  # why the workbook must not be overwritten (it could not be moved aside)

    def lines(self) -> list[str]:
        return self.recorded + [str(p) for p in self.problems]


def cell_text(value: Any) -> str:
    """A cell as the text staff meant: Excel turns ``1982-07`` into a date, ``15`` into 15.0.

    >>> cell_text(datetime(1982, 7, 1)), cell_text(15.0), cell_text(None)
    ('1982-07', '15', '')
    """
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return f"{value:%Y-%m}" if value.day == 1 else f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value).strip()


@dataclass
class BookEntries:
    """What :func:`read_entries` found in a workbook."""

    entries: list[Entry] = field(default_factory=list)
    bad: BookProblem | None = None  # the workbook could not be opened at all
    lost: list[BookProblem] = field(default_factory=list)  # filled rows that match no form (one line each)


def review_sheet(wb):
    """The review sheet and its header: 问题清单, or whichever sheet has the 核对结果 column
    (staff rename sheets: 问题清单（已核）). ``(sheet, header row, {title: column})``, or Nones."""
    ordered = sorted(wb.worksheets, key=lambda sh: sh.title != SHEET)
    for sh in ordered:
        for r in range(1, min(sh.max_row, 5) + 1):  # a title row may have been inserted above
            cols = {str(c.value).split("\n")[0].strip(): c.column for c in sh[r] if c.value}
            if RESULT in cols:
                return sh, r, cols
    return None, None, {}


def read_entries(path: Path) -> BookEntries:
    """The filled review rows of ``path`` (none when it does not exist or has no review
    columns); a problem when it cannot be opened; a line for each filled row whose hidden
    核对编号 was damaged or deleted, naming the row and what it said."""
    from openpyxl.utils import get_column_letter

    found = BookEntries()
    if not path.exists():
        return found
    wb, _, why = open_book(path, "收件情况表", "无法打开（可能已损坏或不是 Excel 文件），其中填写的核对结果未能读取")
    if wb is None:
        found.bad = BookProblem(path.name, why)
        return found
    sh, head, cols = review_sheet(wb)
    if sh is None:
        return found
    saved = datetime.fromtimestamp(path.stat().st_mtime, CHINA_TZ).replace(tzinfo=None, microsecond=0)

    def at(r: int, name: str) -> str:
        return cell_text(sh.cell(r, cols[name]).value) if name in cols else ""

    for r in range(head + 1, sh.max_row + 1):
        result, text, who = at(r, RESULT), at(r, VALUE), at(r, WHO)
        if not result and text:
            result = CORRECTED  # a corrected value typed without choosing 更正
        try:
            ref = json.loads(at(r, KEY)) if KEY in cols else None
            form_id, key, shown = int(ref["form_id"]), str(ref["key"]), ref.get("shown")
        except (ValueError, TypeError, KeyError):
            if result:  # staff wrote here, but formgen cannot tell which value the row is about
                found.lost.append(_lost(path, sh, r, cols, result, text))
            continue
        if result:
            found.entries.append(Entry(r, form_id, key, result, text, who,
                                       f"{get_column_letter(cols[RESULT])}{r}",
                                       f"{get_column_letter(cols.get(VALUE, cols[RESULT]))}{r}", shown, saved, sh.title))
    return found


def _lost(path: Path, sh, r: int, cols: dict, result: str, text: str) -> BookProblem:
    from openpyxl.utils import get_column_letter

    about = "".join(f"{cell_text(sh.cell(r, cols[name]).value)} " for name in ("单位", "表格", "字段") if name in cols)
    said = f"“{result}”" + (f"，{VALUE}“{text}”" if text else "")
    damage = "已损坏" if KEY in cols else "所在的隐藏列已被删除"
    return BookProblem(path.name, f"第 {r} 行（{about.strip() or '内容不详'}）填写的{said}无法对应到台账中的表格"
                                  f"（隐藏的“{KEY}”{damage}），未记录", sh.title,
                       f"{get_column_letter(cols[RESULT])}{r}")


def take_review(ledger: Ledger, ws, path: Path) -> ReviewOutcome:
    """Record what staff wrote in the review columns of ``path`` (see the module docstring).

    A workbook holding entries that could not be read (it cannot be opened, or rows match no
    form) is renamed to stay beside the new one; when even that fails, ``keep_old`` tells the
    writer not to overwrite it."""
    found = read_entries(path)
    outcome = ReviewOutcome()
    if found.bad is None and found.entries:
        apply_entries(ledger, ws.campaign, found.entries, path.name, outcome)
    unread = [found.bad] if found.bad is not None else found.lost
    if unread:
        why = "无法读取" if found.bad is not None else "有未读入的核对"
        aside = path.with_name(f"{path.stem}（{why}，{datetime.now():%Y%m%d-%H%M%S}）{path.suffix}")
        try:
            path.replace(aside)
            kept = f"原工作簿已改名为 {aside.name} 保留在同一文件夹"
        except OSError:
            outcome.keep_old = "中有未能读入的核对结果"
            kept = "原工作簿未覆盖"
        for p in unread:
            p.message += f"；{kept}，请在新生成的 {path.name} 中重新填写"
        outcome.problems.extend(unread)
    return outcome


def apply_entries(ledger: Ledger, campaign: Campaign, entries: list[Entry], book: str,
                  outcome: ReviewOutcome) -> None:
    specs = {s.type: s for s in campaign.form_specs()}
    forms = {f.id: f for f in all_forms(ledger)}
    fixes = _corrections(ledger)
    live = live_confirmations(ledger)
    decisions: dict[tuple[str, str], list] = {}
    for d in history(ledger, CORRECTION) + history(ledger, CONFIRM):
        decisions.setdefault((d.subject, d.key), []).append(d)

    def taken(form: FormRecord, e: Entry, action: str, value: Any = None) -> bool:
        """This entry was recorded already since the book was saved (a later formgen correct may
        have changed the field again: the entry must not undo it)."""
        return any(d.action == action and (action == "confirm" or same_value(d.new_value, value))
                   and (e.saved is None or d.at >= e.saved)
                   for d in decisions.get((correction_subject(form.unit, form.form_type, form_scope(campaign, form)),
                                           e.key), []))

    for e in entries:
        if e.shown == [e.result, e.text]:
            continue  # as formgen wrote it: a decision already in the ledger (or changed since by formgen correct)

        def refuse(message: str, cell: str) -> None:
            outcome.problems.append(BookProblem(book, message, e.sheet, cell))
            outcome.pending[(e.form_id, e.key)] = (e.result, e.text, e.who, message)

        form = forms.get(e.form_id)
        spec = specs.get(form.form_type) if form and form.form_type else None
        if form is None or spec is None or not form.unit:
            refuse("这一行对应的表格已不在台账中（或尚未确定报送单位），未记录", e.result_cell)
            continue
        what = f"{form.unit} {form_title(campaign, form.form_type)}“{field_label(campaign, form.form_type, e.key)}”"
        note = f"在 {book}“{e.sheet}”第 {e.row} 行核对"
        if e.result == CONFIRMED:
            if is_confirmed(live, form.unit, form.form_type, e.key, form.id, form.subject) or taken(form, e, "confirm"):
                continue
            value = form_value(form.extracted, e.key)
            confirm_value(ledger, form.unit, form.form_type, e.key, form.id, value, note=note, who=e.who or None,
                          subject=form_scope(campaign, form))
            outcome.recorded.append(f"{what}：确认无误（{show_value(value)}）")
        elif e.result == CORRECTED:
            if not e.text:
                refuse(f"选了“{CORRECTED}”但“{VALUE}”是空的；请填写正确的值（要清空该栏填“空”）", e.value_cell)
                continue
            try:
                value = parse_value(spec, e.key, e.text)
            except (FormgenError, StopIteration) as err:
                refuse(str(err) if isinstance(err, FormgenError) else "该栏目已不在表格中，未记录", e.value_cell)
                continue
            held = corrections_of(fixes, form.unit, form.form_type, form.subject)
            if (e.key in held and same_value(held[e.key], value)) or taken(form, e, "set", value):
                continue
            set_correction(ledger, form.unit, form.form_type, e.key, value, note=note, who=e.who or None,
                           subject=form_scope(campaign, form))
            outcome.recorded.append(f"{what}：更正为 {show_value(value)}")
        else:
            refuse(f"“{e.result}”不是有效的核对结果；请选择“{CONFIRMED}”或“{CORRECTED}”", e.result_cell)


def confirm_value(ledger: Ledger, unit: str, form_type: str, key: str, form_id: int, value: Any,
                  note: str | None = None, who: str | None = None, subject: str = "") -> int:
    """Record that ``key`` of form ``form_id`` reads ``value`` rightly; a correction of that
    field (of that nominee, ``subject``) is withdrawn first (the value read counts again).
    Both steps stay in the history."""
    if any((c["unit"], c["form_type"], c["subject"], c["key"]) == (unit, form_type, subject, key)
           for c in list_corrections(ledger)):
        delete_correction(ledger, unit, form_type, key, note=note, who=who, subject=subject)
    return record_decision(ledger, CONFIRM, correction_subject(unit, form_type, subject), key, value, action="confirm",
                           old=value, note=note, who=who, basis={"form_id": form_id, "extracted": value})


# ---- writing ----------------------------------------------------------------------------------

class ReviewColumns:
    """Writes the review columns of the 问题清单 sheet, showing the decision in effect."""

    def __init__(self, ledger: Ledger, sh, first_col: int, pending: dict | None = None):
        from formgen.xlsx import validation

        self.sh, self.col, self.pending = sh, first_col, pending or {}
        self.forms = {f.id: f for f in all_forms(ledger)}
        self.fixes = _corrections(ledger)
        self.who = {(d.subject, d.key): d.who for d in history(ledger, CORRECTION)}  # latest wins
        self.live = live_confirmations(ledger)
        self.seen: set[tuple[int, str]] = set()
        self.rows = 0
        self.dv = validation("list", f'"{CONFIRMED},{CORRECTED}"', title="核对结果",
                             error=f"请选择“{CONFIRMED}”或“{CORRECTED}”。", prompt_title="核对结果",
                             prompt=f"对照原件截图：读对了选“{CONFIRMED}”；读错了选“{CORRECTED}”，并在右边填写正确的值。")
        sh.add_data_validation(self.dv)

    def reviewable(self, p: ProblemRow) -> FormRecord | None:
        """The form of a problem staff decide here: a field of a value read by OCR, once per field."""
        f = self.forms.get(p.form_id) if p.form_id is not None else None
        if f is None or not p.field or not f.unit or not f.form_type or (f.id, p.field) in self.seen:
            return None
        if not (p.message.startswith(REVIEW) or f.method == "ocr"):
            return None
        self.seen.add((f.id, p.field))
        return f

    def write(self, row: int, p: ProblemRow) -> str | None:
        """Fill the review cells of ``row``; returns the 处理情况 text when a decision is shown."""
        from openpyxl.styles import Protection

        from formgen.xlsx import BORDER, ERROR_FILL, WARN_FILL, WRAP, set_text, set_value

        f = self.reviewable(p)
        if f is None:
            return None
        self.rows += 1
        held = corrections_of(self.fixes, f.unit, f.form_type, f.subject)
        addresses = [correction_subject(f.unit, f.form_type, subject_key(f.subject)), correction_subject(f.unit, f.form_type)]
        result, text, who, status = "", "", "", None
        if (f.id, p.field) in self.pending:
            result, text, who, why = self.pending[(f.id, p.field)]
            status = f"未记录：{why}"
        elif is_confirmed(self.live, f.unit, f.form_type, p.field, f.id, f.subject):
            d = next(self.live[(a, p.field)] for a in addresses if (a, p.field) in self.live)
            result, who, status = CONFIRMED, d.who, "已确认无误"
        elif p.field in held:
            result, text = CORRECTED, show_value(held[p.field])
            who = next((self.who[(a, p.field)] for a in addresses if (a, p.field) in self.who), "")
        c = self.col
        set_value(self.sh.cell(row, c), form_value(f.extracted, p.field))
        for i, v in enumerate((result, text, who), start=1):
            cell = self.sh.cell(row, c + i)
            set_text(cell, v)
            cell.number_format = "@"  # 1982-07 stays text, not a date
            cell.protection = Protection(locked=False)
            cell.fill = ERROR_FILL if status and status.startswith("未记录") else WARN_FILL
        self.dv.add(self.sh.cell(row, c + 1))
        ref = {"form_id": f.id, "key": p.field, "shown": None if status and status.startswith("未记录") else [result, text]}
        set_text(self.sh.cell(row, c + 4), json.dumps(ref, ensure_ascii=False))
        for i in range(5):
            self.sh.cell(row, c + i).border = BORDER
            self.sh.cell(row, c + i).alignment = WRAP
        return status

    def finish(self, note_row: int) -> None:
        """Hide the reference column; the instruction line; protect all but the input cells."""
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        from formgen.xlsx import set_text

        self.sh.column_dimensions[get_column_letter(self.col + 4)].hidden = True
        if not self.rows:
            return
        note = self.sh.cell(row=note_row, column=1)
        set_text(note, INSTRUCTION)
        note.font = Font(bold=True, color="9C5700")
        prot = self.sh.protection  # no password: it guards against typing into the wrong cell only
        prot.sheet = True
        prot.autoFilter = prot.sort = prot.formatColumns = prot.formatRows = prot.formatCells = False


"""What the desk's 收件 page shows and does, as stage functions (a script can call them too):

* ``received_files``: every received file with its unit, what was read from it, and its status —
  the same reading as the 收到的文件 sheet of 收件情况.xlsx (``file_rows`` feeds both);
* ``file_detail``: one file's forms with each field read (value, where, how, how sure) and its problems;
* ``save_upload``: a file dropped on the page, put into forms_in/ under a safe, new name — never
  over a file already there, never outside forms_in/;
* ``original``: the bytes a unit sent (the ledger keeps them), for download and preview.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from formgen.campaign.model import Campaign
from formgen.collect.labels import field_label, form_title
from formgen.collect.values import form_value, show_value
from formgen.errors import FormgenError
from formgen.filenames import MAX_NAME_BYTES, fit_name, safe_filename
from formgen.ledger.db import Ledger
from formgen.ledger.files import Receipt, all_receipts, assignments, blob_bytes, get_receipt, now, route_label
from formgen.ledger.forms import all_deeds, all_forms, list_problems, values_of
from formgen.ledger.views import deeds_label
from formgen.workspace import Workspace

METHOD_LABELS = {"tagged": "表格标记", "labels": "标签匹配", "pdf-text": "PDF 文字", "ocr": "OCR 识别"}
STATUS_LABELS = {"ok": "已读取", "duplicate": "重复", "error": "无法读取", "excluded": "已排除"}
UPLOAD_DIR = "网页上传"  # forms_in/网页上传/<date>/: where the desk puts dropped files


@dataclass
class FileRow:
    id: int
    label: str  # path, then the containers' inner names
    name: str
    route: str  # 邮件 / 目录 / 压缩包 …
    sender: str | None
    arrived_at: datetime | None
    unit: str | None
    status: str  # ok, duplicate, error, excluded
    results: list[str]  # what was read: form titles with subjects, 不是已知表格, 无法读取：…
    methods: list[str]
    form_types: list[str] = field(default_factory=list)
    problems: int = 0  # unresolved problems of this file
    receipt: Receipt | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def file_rows(ledger: Ledger, campaign: Campaign) -> list[FileRow]:
    """Every receipt with what was read from it, in receipt order."""
    forms_of: dict[int, list] = {}
    for f in all_forms(ledger):
        forms_of.setdefault(f.receipt_id, []).append(f)
    deeds = {d.receipt_id: d for d in all_deeds(ledger)}
    excluded = {rid for rid, unit in assignments(ledger).items() if unit == ""}
    open_problems: dict[int, int] = {}
    for p in list_problems(ledger):
        if p.receipt_id is not None and not p.resolved:
            open_problems[p.receipt_id] = open_problems.get(p.receipt_id, 0) + 1
    out = []
    for rc in all_receipts(ledger):
        results, methods, types = [], [], []
        if rc.status == "error":
            results.append(f"无法读取：{rc.error}")
        elif rc.status == "duplicate":
            results.append(f"重复文件（与编号 {rc.duplicate_of} 内容相同），不重复计入")
        for f in forms_of.get(rc.id, []):
            if f.form_type is None:
                results.append("不是已知表格")
            else:
                types.append(f.form_type)
                what = form_title(campaign, f.form_type) + (f"：{f.subject}" if f.subject else "")
                if f.superseded_by:
                    what += "（已被后来报送的取代）"
                elif not f.counted:
                    what += "（已排除，不计入）"
                results.append(what)
            if f.method:
                methods.append(METHOD_LABELS.get(f.method, f.method))
        if rc.id in deeds:
            d = deeds[rc.id]
            results.append(f"{deeds_label(campaign)}：{d.candidate or '未对应到候选人'}（{d.chars} 字）")
        status = "excluded" if rc.id in excluded else rc.status if rc.status in STATUS_LABELS else "ok"
        out.append(FileRow(rc.id, rc.label, rc.name, route_label(rc.route), rc.sender, rc.arrived_at, rc.unit, status,
                           results, list(dict.fromkeys(methods)), types, open_problems.get(rc.id, 0), rc))
    return out


def received_files(ws: Workspace, *, unit: str | None = None, status: str | None = None) -> list[FileRow]:
    """The 收件 list, newest first; ``unit`` / ``status`` (ok, duplicate, error, excluded) filter it."""
    with ws.ledger() as ledger:
        rows = file_rows(ledger, ws.campaign)
    rows = [r for r in rows if (unit is None or (r.unit or "") == unit) and (status is None or r.status == status)]
    return rows[::-1]


@dataclass
class FieldRead:
    key: str
    label: str
    value: str  # as it counts now (a staff correction included)
    read: str  # as read from the file
    location: str | None
    method: str | None
    confidence: float | None
    problems: list[str]


@dataclass
class FormRead:
    form_id: int
    title: str
    subject: str | None
    unit: str | None
    state: str  # 有效 / 已被取代 / 不计入
    fields: list[FieldRead]


@dataclass
class FileDetail:
    row: FileRow
    receipt: Receipt
    forms: list[FormRead]
    problems: list[tuple[str, str]]  # (severity label, message) of the file itself


def file_detail(ws: Workspace, receipt_id: int) -> FileDetail:
    c = ws.campaign
    with ws.ledger() as ledger:
        receipt = get_receipt(ledger, receipt_id)
        if receipt is None:
            raise FormgenError(f"没有编号为 {receipt_id} 的文件；请回到收件列表重新选择")
        row = next(r for r in file_rows(ledger, c) if r.id == receipt_id)
        problems = [p for p in list_problems(ledger) if p.receipt_id == receipt_id and not p.resolved]
        forms = []
        for f in (f for f in all_forms(ledger) if f.receipt_id == receipt_id):
            provenance = values_of(ledger, f.id)
            spec = c.form_spec(f.form_type) if f.form_type else None
            keys = [fs.key for fs in spec.fields] + [f"items.{it.name}" for it in spec.items] if spec else []
            keys += [k for k in provenance if k not in keys]
            fields = []
            for key in keys:
                where = provenance.get(key, {})
                now, read = form_value({"fields": f.fields, "items": f.items}, key), form_value(f.extracted, key)
                if now is None and read is None and not where:
                    continue
                fields.append(FieldRead(key, field_label(c, f.form_type, key), show_value(now, ""), show_value(read, ""),
                                        where.get("location"), METHOD_LABELS.get(where.get("method") or "", where.get("method")),
                                        where.get("confidence"),
                                        [p.message for p in problems if p.form_id == f.id and p.field == key]))
            state = "已被取代" if f.superseded_by else "有效" if f.counted else "不计入"
            forms.append(FormRead(f.id, form_title(c, f.form_type) if f.form_type else "不是已知表格", f.subject, f.unit,
                                  state, fields))
    own = [("错误" if p.severity == "error" else "提醒", p.message) for p in problems if not p.field]
    return FileDetail(row, receipt, forms, own)


def original(ws: Workspace, receipt_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of what the unit sent; from the ledger, which keeps every received file."""
    with ws.ledger() as ledger:
        receipt = get_receipt(ledger, receipt_id)
        if receipt is None:
            raise FormgenError(f"没有编号为 {receipt_id} 的文件")
        data = blob_bytes(ledger, receipt.sha256)
    if data is None:
        raise FormgenError(f"文件 {receipt_id}（{receipt.name}）过大，台账中没有保存内容；请到 forms_in/ 中找原件 {receipt.path}")
    return receipt.name, data


def _upload_name(name: str) -> str:
    """Only the last part of whatever path the browser sent, made safe for Windows."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name  # a/b/c.docx and C:\\x\\c.docx → c.docx
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    safe = safe_filename(stem, 120) if stem not in ("", ".", "..") else "上传文件"
    return fit_name("", safe, f".{safe_filename(suffix, 12)}" if suffix else "", MAX_NAME_BYTES)


def save_upload(ws: Workspace, name: str, data: bytes, when: datetime | None = None) -> Path:
    """Put one dropped file into forms_in/网页上传/<date>/ and return its path; an existing file of
    the same name is kept and the new one gets (2), (3) … — nothing a unit sent is overwritten."""
    folder = ws.forms_in / UPLOAD_DIR / f"{when or now():%Y-%m-%d}"  # the office's (China) date
    folder.mkdir(parents=True, exist_ok=True)
    clean = _upload_name(name)
    stem, dot, suffix = clean.rpartition(".")
    if not dot:
        stem, suffix = clean, ""
    for n in range(1, 10000):
        candidate = folder / (clean if n == 1 else fit_name("", stem, f"({n})" + (f".{suffix}" if suffix else "")))
        try:
            with candidate.open("xb") as fh:  # exclusive: never over a file already there
                fh.write(data)
        except FileExistsError:
            continue
        if candidate.resolve().parent != folder.resolve():
            candidate.unlink()
            raise FormgenError(f"上传的文件名“{name[:60]}”不能使用，请改名后再上传")
        return candidate
    raise FormgenError(f"{folder} 中同名文件过多；请先整理该文件夹")


"""After every collect: place each file with its unit, then check the forms against each other.

Both steps are recomputed from the ledger alone on every run (they are cheap),
so a unit's email added to units.xlsx, a file assigned by hand or a corrected
value takes effect at the next ``formgen collect`` without re-reading files.

Unit, in order of trust: staff assignment; the form's own ``formgen_unit``
anchor; the sender's address (units.xlsx 邮箱); a unit name in the form
(推荐单位, 单位及职务, the score sheet's subject line); the file names and the
email subject; for a score sheet, the unit of the nominee it names.
"""
from __future__ import annotations

from datetime import datetime

from formgen.campaign.model import Campaign
from formgen.collect.correction_history import check_correction_conflicts
from formgen.collect.unit_match import UnitMatcher
from formgen.ledger.db import Ledger
from formgen.ledger.mail import thread_units
from formgen.ledger.files import Receipt, all_receipts, assignments, local_time, set_receipt_unit
from formgen.ledger.forms import (FormRecord, add_problem, all_deeds, all_forms, clear_check_problems,
                                  effective_forms, low_confidence_values, refresh_superseding, set_deeds_link,
                                  set_form_unit)
from formgen.intake.normalize import squash
from formgen.ledger.views import deeds_label, subject_name
from formgen.workspace import Workspace

OCR_CONFIDENCE_THRESHOLD = 0.85
# Below this share of the asked length a deeds document is flagged (3000 → under 2000).
DEEDS_MIN_SHARE = 2 / 3

UNIT_METHODS = {"assigned": "人工指定", "anchor": "表格标记", "email": "发件邮箱", "text": "表内单位名称",
                "filename": "文件名", "subject": "对应的岗位或候选人", "candidate": "对应的候选人",
                "reply": "回复下发或催报邮件"}
# Fields of a form that name the unit, best first.
UNIT_FIELDS = ("recommending_unit", "unit_title")


def _fmt(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "（未知）"


class _Identifier:
    def __init__(self, ws: Workspace, ledger: Ledger):
        self.ws = ws
        self.matcher = UnitMatcher(ws.units)
        self.assigned = assignments(ledger)
        self.replies = thread_units(ledger)  # mail path → unit of the message formgen sent that it answers

    def by_receipt(self, r: Receipt, texts: list[str | None] = ()) -> tuple[str | None, str | None]:
        """Unit from what the file itself says, then where it came from (no form anchors)."""
        if r.id in self.assigned:
            return (self.assigned[r.id] or None), "assigned"
        u = self.ws.unit_by_email(r.sender)
        if u is not None:
            return u.name, "email"
        if r.path in self.replies:  # a reply to the issue / reminder mail, even from a personal address
            return self.replies[r.path], "reply"
        for t in texts:
            m = self.matcher.match(t)
            if m:
                return m[0], "text"
        for name in [r.name, *reversed(r.via), r.email_subject]:
            m = self.matcher.match(name)
            if m:
                return m[0], "filename"
        return None, None

    def by_form(self, f: FormRecord, r: Receipt) -> tuple[str | None, str | None]:
        if r.id in self.assigned:
            return (self.assigned[r.id] or None), "assigned"
        anchor = (f.anchors.get("unit") or "").strip()
        if anchor:
            return self.matcher.match_name(anchor) or anchor, "anchor"
        texts = [f.extracted.get("fields", {}).get(k) for k in UNIT_FIELDS] + [f.extracted.get("subject")]
        return self.by_receipt(r, [t for t in texts if isinstance(t, str)])


def identify_units(ledger: Ledger, ws: Workspace) -> None:
    """Set the unit of every form, deeds document and receipt."""
    ident = _Identifier(ws, ledger)
    receipts = {r.id: r for r in all_receipts(ledger)}
    forms = all_forms(ledger)
    placed: dict[int, tuple[str | None, str | None]] = {}
    for f in forms:
        placed[f.id] = ident.by_form(f, receipts[f.receipt_id])
    # A score sheet that names no unit belongs to the unit of the post / candidate it names.
    nominee_units: dict[str, set[str]] = {}
    for award in ws.campaign.awards:
        for f in forms:
            unit = placed[f.id][0]
            if f.form_type == award.nomination_form and unit:
                name = squash(f.fields.get(award.name_field))
                if name:
                    nominee_units.setdefault(name, set()).add(unit)
    for f in forms:
        if placed[f.id][0] is None and f.subject and squash(f.subject) in nominee_units:
            units = nominee_units[squash(f.subject)]
            if len(units) == 1:
                placed[f.id] = (next(iter(units)), "subject")
    with ledger.transaction():
        for f in forms:
            unit, method = placed[f.id]
            f.counted = not (method == "assigned" and unit is None)  # staff set the file aside
            set_form_unit(ledger, f.id, unit, method, counted=f.counted)
        _link_deeds(ledger, ws, ident, receipts, forms, placed)
        found: dict[int, tuple[str | None, str | None]] = {}
        for f in forms:
            found.setdefault(f.receipt_id, placed[f.id])
        for d in all_deeds(ledger):
            found.setdefault(d.receipt_id, (d.unit, d.unit_method))
        for r in sorted(receipts.values(), key=lambda r: r.status == "duplicate"):
            unit, method = found.get(r.id) or ident.by_receipt(r)
            if unit is None and r.status == "duplicate" and r.duplicate_of in found:
                unit, method = found[r.duplicate_of]  # the same bytes came from that unit
            found[r.id] = (unit, method)
            set_receipt_unit(ledger, r.id, unit, method)


def _link_deeds(ledger: Ledger, ws: Workspace, ident: _Identifier, receipts: dict[int, Receipt],
                forms: list[FormRecord], placed: dict) -> None:
    """Each deeds document to the candidate it is about: by name (in the file name or text), else by unit."""
    person_types = {a.nomination_form for a in ws.campaign.awards if a.subject == "person" and a.nomination_form}
    name_field = {a.nomination_form: a.name_field for a in ws.campaign.awards}
    candidates: list[tuple[str | None, str]] = []  # (unit, name)
    for f in forms:
        if f.form_type in person_types and f.counted:
            name = str(f.fields.get(name_field[f.form_type]) or "").strip()
            if len(squash(name)) >= 2:
                candidates.append((placed[f.id][0], squash(name)))
    for d in all_deeds(ledger):
        r = receipts[d.receipt_id]
        head = (d.text or "")[:300]
        unit, method = ident.by_receipt(r, [head])
        haystack = squash(" ".join([r.name, *r.via, head]))
        pool = [c for c in candidates if c[0] == unit] if unit else candidates
        named = {c for c in pool if c[1] in haystack} or {c for c in pool if c[1] in squash(d.text)}
        candidate = None
        if len({n for _, n in named}) == 1:
            cu, candidate = next(iter(named))
            if unit is None and cu:
                unit, method = cu, "candidate"
        elif not named and unit:
            of_unit = {n for u, n in candidates if u == unit}
            if len(of_unit) == 1:
                candidate = of_unit.pop()
        set_deeds_link(ledger, d.id, unit, method, candidate)


# ---------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------

def run_checks(ledger: Ledger, ws: Workspace) -> None:
    """Recompute every cross-form problem ("check" problems) from the ledger."""
    campaign = ws.campaign
    refresh_superseding(ledger, campaign.several_per_unit())
    listed = {u.name for u in ws.units}
    with ledger.transaction():
        clear_check_problems(ledger)
        receipts = {r.id: r for r in all_receipts(ledger)}
        forms = effective_forms(ledger)
        excluded = {rid for rid, unit in assignments(ledger).items() if unit == ""}
        for r in receipts.values():
            if r.status == "error" and r.id not in excluded:
                add_problem(ledger, r.id, None, None, "error", f"无法读取：{r.error}")
        for f in forms:
            _check_form(ledger, campaign, f, receipts[f.receipt_id], listed)
        _check_conflicting_unit(ledger, ws, forms, receipts)
        _check_per_unit(ledger, campaign, forms)
        _check_replaced_subject(ledger, campaign)
        _check_same_person(ledger, campaign, forms)
        _check_deeds(ledger, campaign, forms, receipts)
        check_correction_conflicts(ledger, campaign, forms)
        by_id = {f.id: f for f in forms}
        for v in low_confidence_values(ledger, OCR_CONFIDENCE_THRESHOLD):
            f = by_id.get(v["form_id"])
            if f is None or v["key"] in f.corrected:
                continue
            if ledger.execute("SELECT 1 FROM problems WHERE form_id = ? AND field = ? AND origin = 'extract'",
                              (f.id, v["key"])).fetchone():
                continue  # flagged by the reader already (formgen.intake.review), with its cell's crop
            add_problem(ledger, v["receipt_id"], f.id, v["key"], "warning",
                        f"需人工核对：{v['location'] or '（位置未知）'} 识别置信度 {v['confidence']:.2f}")


def _late(campaign: Campaign, arrived: datetime | None, basis: str | None) -> str | None:
    deadline = local_time(campaign.deadlines.submit)
    if arrived is None or arrived <= deadline:
        return None
    what = "邮件发送时间" if basis == "email" else "文件修改时间（非邮件报送，以文件修改时间计）"
    return f"逾期报送：{what}为 {_fmt(arrived)}，晚于报送截止时间 {_fmt(deadline)}"


def _check_form(ledger: Ledger, campaign: Campaign, f: FormRecord, r: Receipt, listed: set[str]) -> None:
    def problem(severity: str, message: str, field_key: str | None = None) -> None:
        add_problem(ledger, r.id, f.id, field_key, severity, message)

    if f.unit is None:
        problem("error", f"未能识别报送单位（表格标记、发件邮箱、表内单位名称和文件名均未对上单位名单）；"
                         f"请用 formgen assign {r.id} 单位名称 指定")
    elif f.unit not in listed:
        problem("error", f"单位“{f.unit}”不在单位名单（{campaign.units_file}）中；请核对名称或将其加入名单")
    late = _late(campaign, f.arrived_at, f.arrived_basis)
    if late:
        problem("warning", late)
    if f.campaign and f.campaign != campaign.id:
        problem("warning", f"表格来自另一活动的模板（{f.campaign}），请核对是否报错了表")
    elif f.template_version and f.template_version != campaign.template_version:
        problem("warning", f"使用的是旧版模板（版本 {f.template_version}，当前 {campaign.template_version}），请核对内容是否齐全")


def _check_conflicting_unit(ledger: Ledger, ws: Workspace, forms: list[FormRecord],
                            receipts: dict[int, Receipt]) -> None:
    """The sender / anchor says one unit, the form's text another: worth a look."""
    matcher = UnitMatcher(ws.units)
    for f in forms:
        if f.unit_method not in ("anchor", "email"):
            continue
        for k in UNIT_FIELDS:
            m = matcher.match(f.extracted.get("fields", {}).get(k))
            if m and m[0] != f.unit:
                how = "表格标记" if f.unit_method == "anchor" else "发件邮箱"
                add_problem(ledger, f.receipt_id, f.id, k, "warning",
                            f"按{how}归为“{f.unit}”，但表内填写的单位为“{m[0]}”；如归属有误请用 "
                            f"formgen assign {f.receipt_id} 单位名称 指定")
                break


def _check_per_unit(ledger: Ledger, campaign: Campaign, forms: list[FormRecord]) -> None:
    for award in campaign.awards:
        for ftype, severity in ((award.nomination_form, "error"), (award.score_form, "warning")):
            if not ftype:
                continue
            by_unit: dict[str, list[FormRecord]] = {}
            for f in forms:
                if f.form_type == ftype and f.unit:
                    by_unit.setdefault(f.unit, []).append(f)
            title = campaign.form_spec(ftype).title
            for unit, fs in by_unit.items():
                if len(fs) <= award.per_unit:
                    continue
                names = "、".join(dict.fromkeys(
                    (subject_name(f, award) if ftype == award.nomination_form else f.subject) or f"文件{f.receipt_id}"
                    for f in fs))
                for f in fs:
                    add_problem(ledger, f.receipt_id, f.id, None, severity,
                                f"“{unit}”报送了 {len(fs)} 份{title}（每单位限 {award.per_unit} 份）：{names}；"
                                f"请确认以哪份为准，多余的用 formgen assign 编号 --exclude 排除")


def _check_replaced_subject(ledger: Ledger, campaign: Campaign) -> None:
    """A later form that names a different post / person than the one it supersedes."""
    every = {f.id: f for f in all_forms(ledger)}
    for award in campaign.awards:
        if not award.nomination_form:
            continue
        for old in every.values():
            new = every.get(old.superseded_by) if old.superseded_by else None
            if new is None or old.form_type != award.nomination_form:
                continue
            a, b = subject_name(old, award), subject_name(new, award)
            if a and b and squash(a) != squash(b):
                add_problem(ledger, new.receipt_id, new.id, award.name_field, "warning",
                            f"“{new.unit}”先报送“{a}”，后又报送“{b}”，按最后报送的“{b}”计；"
                            f"如两者都要推荐，已超出每单位 {award.per_unit} 名的限额")


def _check_same_person(ledger: Ledger, campaign: Campaign, forms: list[FormRecord]) -> None:
    for award in campaign.awards:
        if award.subject != "person" or not award.nomination_form:
            continue
        people: dict[tuple[str, str], list[FormRecord]] = {}
        for f in forms:
            if f.form_type == award.nomination_form and f.unit:
                name = squash(subject_name(f, award))
                if name:
                    people.setdefault((name, str(f.fields.get("birth") or "")), []).append(f)
        for (name, birth), fs in people.items():
            units = list(dict.fromkeys(f.unit for f in fs))
            if len(units) < 2:
                continue
            born = f"，出生年月 {birth}" if birth else ""
            for f in fs:
                add_problem(ledger, f.receipt_id, f.id, award.name_field, "error",
                            f"同一人（{name}{born}）由 {'、'.join(units)} {len(units)} 个单位重复推荐；请核实后保留一处")


def _check_deeds(ledger: Ledger, campaign: Campaign, forms: list[FormRecord], receipts: dict[int, Receipt]) -> None:
    target = campaign.deeds_document_chars
    label = deeds_label(campaign)
    have: set[tuple[str | None, str]] = set()
    excluded = {rid for rid, unit in assignments(ledger).items() if unit == ""}
    for d in all_deeds(ledger):
        if d.receipt_id in excluded:
            continue
        r = receipts[d.receipt_id]
        if d.candidate:
            have.add((d.unit, d.candidate))
        else:
            add_problem(ledger, r.id, None, None, "warning",
                        f"这份文字材料（{d.chars} 字）未能对应到任何候选人；如是{label}，请在文件名中写明候选人姓名")
        if d.unit is None:
            add_problem(ledger, r.id, None, None, "warning",
                        f"未能识别这份文字材料的报送单位；请用 formgen assign {r.id} 单位名称 指定")
        if target and d.chars < target * DEEDS_MIN_SHARE:
            add_problem(ledger, r.id, None, None, "warning",
                        f"{label}仅 {d.chars} 字，通知要求 {target} 字左右")
        late = _late(campaign, r.arrived_at, r.arrived_basis)
        if late:
            add_problem(ledger, r.id, None, None, "warning", late)
    if not target:
        return
    for award in campaign.awards:
        if award.subject != "person" or not award.nomination_form:
            continue
        for f in forms:
            name = squash(subject_name(f, award))
            if f.form_type == award.nomination_form and name and (f.unit, name) not in have:
                add_problem(ledger, f.receipt_id, f.id, None, "warning",
                            f"尚未收到{name}的{label}")

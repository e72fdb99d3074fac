"""``formgen rubric import 评分表.docx``: the office's 评分表 becomes an award's rubric.

A 项目 / 分值 / 考核内容 / 评分标准 / 得分 table (the 项目 cell merged down over its sub-items, or
not) gives one rubric item per scored row with its maximum; the 考核内容 and 评分标准 text stays
beside each item for the judges' workbooks. Phrases in the common forms become rules, each shown to
the clerk before it is used; anything else stays an item the judges score directly, and the clerk is
told which and why. The maxima must add up to the sheet's 合计 (when it prints one) — or nothing is
written and the clerk is told both numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from formgen import docxkit as dk
from formgen.anchors import SUBJECT_ANCHOR, form_anchor, score_anchor
from formgen.campaign.yaml_edit import edit_campaign, plain
from formgen.errors import ConfigError
from formgen.forms import FormSpec, ItemSpec
from formgen.intake.grid import Cell, Table
from formgen.intake.normalize import label_key, strip_parens
from formgen.issue.form_import import _attachment_no, _pick_award, clean_title, title_keywords
from formgen.issue.office_file import open_office_file
from formgen.outputs import write_bytes
from formgen.workspace import Workspace

HEAD_NAME = {"项目", "考核项目", "评分项目", "评选项目", "考评项目", "指标", "一级指标", "类别"}
HEAD_SUB = {"子项", "考核要点", "细则", "具体内容", "二级指标", "考核细则", "分项"}
HEAD_MAX = {"分值", "满分", "标准分", "分数", "基本分", "权重分"}
HEAD_CONTENT = {"考核内容", "评选标准", "考核要求", "评价内容", "内容", "考核标准"}
HEAD_STANDARD = {"评分标准", "评分细则", "扣分标准", "评分办法", "计分方法", "评分方法", "考核办法"}
HEAD_SCORE = {"得分", "自评分", "自评得分", "评分", "实得分", "考核得分"}
TOTAL_WORDS = {"合计", "总分", "总计", "合计得分", "总得分"}
_NUM = r"(\d+(?:\.\d+)?)"
_CASE = re.compile(rf"每(?:一)?(例|次|件|项|人次|起|处|个)扣{_NUM}分")
_CASE_CAP = re.compile(rf"(?:[（(]\s*共\s*{_NUM}\s*分\s*[）)]|最多扣{_NUM}分|扣满{_NUM}分为止)")
_BONUS = re.compile(rf"每(?:一)?(例|次|件|项|个|篇)加{_NUM}分")
_BONUS_CAP = re.compile(rf"(?:最高|最多|累计不超过)加?{_NUM}分")
_THRESHOLD = re.compile(rf"(?:低于|不足|未达到){_NUM}\s*[%％]的?[，,]?\s*每(?:低|少){_NUM}个?百分点扣{_NUM}分")
_DISCRETION = re.compile(r"酌情|综合评定|视情")


@dataclass
class ProposedRule:
    phrase: str  # the words of the sheet it was read from
    rule: dict  # as campaign.yaml writes it


@dataclass
class SheetItem:
    name: str
    max: float
    group: str | None
    content: str | None
    standard: str | None
    row: int
    proposed: list[ProposedRule] = field(default_factory=list)
    judged_reason: str | None = None  # why the judges score it directly


@dataclass
class RubricSheet:
    path: Path
    title: str
    award: str
    items: list[SheetItem]
    printed_total: float | None
    notes: list[str]
    data: bytes
    table: int
    score_col: int | None
    subject_line: int | None
    attachment_no: int | None

    @property
    def sum(self) -> float:
        return sum(i.max for i in self.items)


def _num(text: str) -> float | None:
    m = re.search(_NUM, text or "")
    return float(m.group(1)) if m else None


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[；;。\n]|(?<=为止)[，,]", text or "") if c.strip()]


def _label_before(clause: str, at: int) -> str:
    head = re.sub(r"^\d+\s*[．.、]\s*", "", clause[:at]).strip("，, 的")
    return head.removesuffix("的").strip("，, ") or ""


def propose_rules(standard: str | None) -> tuple[list[ProposedRule], str | None]:
    """(rules, None) for the phrases of a 评分标准 text; ([], why the judges score it) otherwise."""
    rules: list[ProposedRule] = []
    discretion = False
    for clause in _clauses(standard or ""):
        flat = clause.replace(" ", "")
        m = _THRESHOLD.search(flat)
        if m:
            rules.append(ProposedRule(m.group(0), {"type": "threshold_penalty", "label": _label_before(flat, m.start())
                                                   or "低于标准", "threshold": float(m.group(1)),
                                                   "step": float(m.group(2)), "points": float(m.group(3))}))
            continue
        m = _CASE.search(flat)
        if m:
            cap = _CASE_CAP.search(flat)
            rule = {"type": "case_deduction", "label": f"{_label_before(flat, m.start()) or '问题'}（每{m.group(1)}）",
                    "points": float(m.group(2))}
            if cap:
                rule["cap"] = float(next(g for g in cap.groups() if g))
            phrase = flat[m.start():]
            rules.append(ProposedRule(phrase, rule))
            continue
        m = _BONUS.search(flat)
        if m:
            cap = _BONUS_CAP.search(flat)
            rule = {"type": "case_bonus", "label": f"{_label_before(flat, m.start()) or '加分事项'}（每{m.group(1)}）",
                    "points": float(m.group(2))}
            if cap:
                rule["cap"] = float(cap.group(1))
            rules.append(ProposedRule(flat[m.start():], rule))
            continue
        if _BONUS_CAP.search(flat) and "加" in flat:
            return [], f"只写了“{flat}”，没有写每项加几分，不能自动计算，由评委在上限内打分"
        if _DISCRETION.search(flat):
            discretion = True
    if rules:
        return [_number(r) for r in rules], None
    if discretion:
        return [], "评分标准写的是“酌情评分”，由评委直接打分"
    return [], "评分标准中没有“每例扣…分”“最高加…分”“低于…%每低…扣…分”这类可自动计算的说法，由评委直接打分"


def _number(r: ProposedRule) -> ProposedRule:
    for k in ("points", "cap", "threshold", "step"):
        if k in r.rule and float(r.rule[k]).is_integer():
            r.rule[k] = int(r.rule[k])
    return r


def describe_rule(rule: dict) -> str:
    t = rule["type"]
    cap = f"，最多扣{rule['cap']:g}分" if rule.get("cap") is not None else "，扣完本项为止"
    if t == "case_deduction":
        return f"按次扣分：{rule['label']} 每次扣{rule['points']:g}分{cap}"
    if t == "case_bonus":
        up = f"，最多加{rule['cap']:g}分" if rule.get("cap") is not None else ""
        return f"按次加分：{rule['label']} 每次加{rule['points']:g}分{up}"
    if t == "threshold_penalty":
        return f"达标扣分：低于{rule['threshold']:g}%时每低{rule['step']:g}个百分点扣{rule['points']:g}分"
    return t


def _headers(table: Table) -> tuple[int, dict[str, int]] | None:
    for row in table.rows():
        cols: dict[str, int] = {}
        for c in row:
            key = strip_parens(label_key(c.text))
            for name, words in (("name", HEAD_NAME), ("sub", HEAD_SUB), ("max", HEAD_MAX), ("content", HEAD_CONTENT),
                                ("standard", HEAD_STANDARD), ("score", HEAD_SCORE)):
                if key in words and name not in cols:
                    cols[name] = c.col
                    break
        if "max" in cols and ("name" in cols or "sub" in cols):
            return row[0].row, cols
    return None


def _text_at(pos: dict, r: int, col: int | None) -> str:
    if col is None:
        return ""
    c = pos.get((r, col))
    return c.text.strip() if c is not None else ""


def read_rubric(workspace: Workspace, path: Path, award_id: str | None = None) -> RubricSheet:
    campaign = workspace.campaign
    award = _pick_award(campaign, award_id)
    if award is None:
        raise ConfigError(f"campaign.yaml 中有几个奖项，请用 --award 指明这张评分表属于哪一个（可选："
                          f"{'、'.join(a.id for a in campaign.awards)}）")
    of = open_office_file(path)
    found = next(((t, h) for t in of.grid.tables if (h := _headers(t))), None)
    if found is None:
        raise ConfigError(f"{Path(path).name}：没有找到评分表的表头（“项目”和“分值”两栏）；"
                          "推荐表、申报表请用 formgen forms import")
    table, (head_row, cols) = found
    pos: dict[tuple[int, int], Cell] = {}
    for c in table.cells:
        for r in range(c.row, c.last_row + 1):
            for k in range(c.col, c.last_col + 1):
                pos.setdefault((r, k), c)
    items: list[SheetItem] = []
    notes: list[str] = []
    printed_total = None
    groups: dict[str, float | None] = {}
    for r in range(head_row + 1, table.n_rows):
        name_cell = pos.get((r, cols["name"])) if "name" in cols else None
        group_text = name_cell.text.strip() if name_cell is not None else ""
        sub = _text_at(pos, r, cols.get("sub"))
        name = sub or group_text
        key = strip_parens(label_key(name))
        max_text = _text_at(pos, r, cols["max"])
        if key in TOTAL_WORDS or strip_parens(label_key(group_text)) in TOTAL_WORDS:
            printed_total = _num(max_text)
            continue
        if not key:
            continue
        mx = _num(max_text)
        if mx is None:
            notes.append(f"“{name}”（第{r + 1}行）没有分值，未作为评分项")
            continue
        group = None
        if sub and group_text and name_cell is not None:
            group = clean_title(re.sub(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)]", "", group_text)).strip()
            groups.setdefault(group, _num(group_text))
        standard = _text_at(pos, r, cols.get("standard")) or None
        content = _text_at(pos, r, cols.get("content")) or None
        rules, why = propose_rules(standard)
        items.append(SheetItem(name=strip_parens(label_key(name)) or name, max=mx, group=group, content=content,
                               standard=standard, row=r, proposed=rules, judged_reason=why))
    if not items:
        raise ConfigError(f"{Path(path).name}：评分表中没有读到带分值的评分项")
    for g, gmax in groups.items():
        got = sum(i.max for i in items if i.group == g)
        if gmax is not None and abs(got - gmax) > 1e-6:
            notes.append(f"“{g}”印的是 {gmax:g} 分，其下各小项之和为 {got:g} 分，请核对评分表")
    total = sum(i.max for i in items)
    if printed_total is None:
        notes.append(f"表中没有印出合计，按各项分值之和 {total:g} 分作为满分")
    elif abs(printed_total - total) > 1e-6:
        notes.append(f"各项分值之和为 {total:g} 分，与表中合计 {printed_total:g} 分不一致")
    names = [i.name for i in items]
    for n in {x for x in names if names.count(x) > 1}:
        notes.append(f"有几项都叫“{n}”：请在评分表中改为不同的名称后再导入")
    subject_line = next((i for i, ln in enumerate(of.grid.lines) if re.match(r"\s*参评(窗口|单位|岗位|人员|对象)\s*[:：]",
                                                                            ln.text)), None)
    title = next((ln.text.strip() for ln in of.grid.lines if label_key(ln.text).endswith("表")), Path(path).stem)
    return RubricSheet(path=Path(path), title=clean_title(title), award=award.id, items=items,
                       printed_total=printed_total, notes=notes, data=of.data, table=table.index,
                       score_col=cols.get("score"), subject_line=subject_line, attachment_no=_attachment_no(of))


@dataclass
class RubricImport:
    award: str
    items: list[dict]
    template: Path | None = None


def rubric_items(sheet: RubricSheet, rejected: set[tuple[int, int]]) -> list[dict]:
    out = []
    for i, item in enumerate(sheet.items):
        entry: dict = {"name": item.name, "max": int(item.max) if float(item.max).is_integer() else item.max}
        if item.content:
            entry["content"] = item.content
        if item.standard:
            entry["standard"] = item.standard
        rules = [r.rule for j, r in enumerate(item.proposed) if (i, j) not in rejected]
        if rules:
            entry["rules"] = rules
        out.append(entry)
    return out


def import_rubric(workspace: Workspace, sheet: RubricSheet, rejected: set[tuple[int, int]] = frozenset(),
                  self_assessment: bool = False) -> RubricImport:
    """Write the award's rubric (and, with ``self_assessment``, the sheet as a form units fill in)."""
    if sheet.printed_total is not None and abs(sheet.printed_total - sheet.sum) > 1e-6:
        raise ConfigError(f"{sheet.path.name}：各项分值之和 {sheet.sum:g} 分与表中合计 {sheet.printed_total:g} 分不一致，"
                          "未写入；请改正评分表（分值或合计）后重新导入")
    names = [i.name for i in sheet.items]
    if len(set(names)) != len(names):
        raise ConfigError(f"{sheet.path.name}：评分项名称有重复，未写入；请在评分表中改为不同的名称后重新导入")
    items = rubric_items(sheet, rejected)
    total = sheet.printed_total if sheet.printed_total is not None else sheet.sum
    report = RubricImport(award=sheet.award, items=items)
    spec = _score_form(sheet) if self_assessment else None

    def change(data):
        for a in data["awards"]:
            if a["id"] != sheet.award:
                continue
            rubric = a.get("rubric") or {}
            rubric["total"] = int(total) if float(total).is_integer() else total
            rubric["items"] = plain(items)
            a["rubric"] = rubric
            if spec is not None:
                a["score_form"] = spec.type
        if spec is not None:
            forms = data.get("forms")
            if forms is None:
                data["forms"] = forms = plain([])
            entry = plain(spec.model_dump(exclude_defaults=True))
            for i, f in enumerate(forms):
                if f.get("type") == spec.type:
                    forms[i] = entry
                    break
            else:
                forms.append(entry)

    edit_campaign(workspace.campaign_file, change)
    if spec is not None:
        report.template = workspace.templates_dir / spec.template
        write_bytes(report.template, _anchored_sheet(sheet, spec))
    return report


def _score_form(sheet: RubricSheet) -> FormSpec:
    name = f"附件{sheet.attachment_no}_{sheet.title}.docx" if sheet.attachment_no else f"{sheet.title}.docx"
    return FormSpec(type=f"{sheet.award}_score_sheet", title=sheet.title, title_keywords=title_keywords(sheet.title),
                    subject="unit", attachment_no=sheet.attachment_no, template=re.sub(r'[\\/:*?"<>|“”]', "", name),
                    items=[ItemSpec(name=i.name, max=i.max) for i in sheet.items])


def _anchored_sheet(sheet: RubricSheet, spec: FormSpec) -> bytes:
    doc = dk.OfficeDocument(sheet.data)
    cells = doc.tables()[sheet.table]
    if sheet.score_col is not None:
        for n, item in enumerate(sheet.items):
            tc = cells.get((item.row, sheet.score_col))
            if tc is not None:
                doc.bookmark(tc, score_anchor(n))
    paragraphs = doc.paragraphs()
    if sheet.subject_line is not None:
        doc.bookmark(paragraphs[sheet.subject_line], SUBJECT_ANCHOR)
    for p in paragraphs:
        text = dk.element_text(p)
        if label_key(text).endswith("表"):
            doc.bookmark(p, form_anchor(spec.type))
            break
    return doc.save()

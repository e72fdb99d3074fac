"""An office's own Word form, read with the grid that reads returns: which cells are labels, which are
the blanks they ask for, and what each blank holds (``formgen forms import``).

The layouts ../shared/spec/office-forms.md describes: label left and blank right, or the label
above; ``姓名：____`` in one cell; □是 □否 options; a 照片 cell; a multi-row 主要事迹; merged
cells and sub-labels; labels one character per line or in real vertical text. Each blank gets a key
(the canonical key of ../shared/spec/forms.md when the label is one of theirs, a new one otherwise),
a kind and the limits the form itself prints ("不超过800字", "3000字左右"). What cannot be decided is
said, never guessed silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from formgen.forms import BUILTIN_FORMS, STAMP_PLACEHOLDERS, FieldSpec
from formgen.intake.grid import Cell, GridDocument, Table
from formgen.intake.normalize import label_key, strip_parens

# Canonical labels of other types a campaign form may hold, and common labels with their keys.
# (Label keys: no spaces, ASCII brackets; forms.md's keys first, then these.)
COMMON_KEYS = {
    "窗口名称": "window", "窗口": "window", "所在窗口": "window", "所属单位": "owner_unit", "工作单位": "work_unit",
    "所在单位": "work_unit", "窗口负责人": "head", "负责人": "head", "科室负责人": "head", "联系电话": "phone",
    "电话": "phone", "手机": "mobile", "手机号码": "mobile", "联系人": "contact", "电子邮箱": "email", "邮箱": "email",
    "工作人员数": "staff", "窗口人数": "staff", "集体人数": "staff", "科室人数": "staff", "人数": "staff",
    "日均办件量": "daily_cases", "年办件量": "case_volume", "办件量": "case_volume", "服务户数": "households",
    "群众满意率": "satisfaction", "满意率": "satisfaction", "民族": "ethnicity", "籍贯": "native_place",
    "身份证号": "id_number", "身份证号码": "id_number", "参加工作时间": "work_start", "入党时间": "party_join",
    "职务": "post_title", "职称": "professional_title", "是否党员": "party_member", "年度考核": "annual_rating",
    "考核等次": "annual_rating", "毕业院校": "school", "全日制教育": "education_full_time",
    "在职教育": "education_part_time", "集体名称": "group_name", "科室名称": "office_name", "所属部门": "department",
    "所在网格": "grid_area", "获奖情况": "honors", "主要工作业绩": "deeds", "创建情况": "practices",
    "党组织意见": "party_opinion", "单位意见": "unit_opinion", "推荐意见": "recommender_opinion",
}
PHOTO_WORDS = {"照片", "相片", "贴照片处", "照片粘贴处", "一寸照片", "二寸照片", "近期免冠照片", "一寸免冠照片"}
UNIT_LINE_LABELS = {"推荐单位", "申报单位", "填报单位", "报送单位", "推荐单位(盖章)", "申报单位(盖章)", "填报单位(盖章)"}
SUBJECT_LINE_LABELS = {"参评窗口", "参评单位", "参评岗位", "候选人", "参评人", "被推荐窗口"}
LONG_WORDS = ("事迹", "简历", "情况", "意见", "业绩", "成效", "做法", "荣誉", "职责", "评价", "说明", "经历")
OPTION_MARKS = "□☐○◯"
CHECKED_MARKS = "☑☒■√✓✔●◉▣"
_BLANK = re.compile(r"^[\s_＿\u3000\u00a0…]*$")
_INLINE_CELL = re.compile(r"^\s*([^:：\n]{1,24}?)\s*[:：]\s*([_＿\s\u3000\u00a0]*)(\n[\s\S]*)?$")
_MAX = re.compile(r"(?:不超过|不多于|不得超过|限|以内[:：]?)\s*(\d+)\s*字|(\d+)\s*字(?:以内|以下)")
_TARGET = re.compile(r"(?:约)?\s*(\d+)\s*字(?:左右|上下)|约\s*(\d+)\s*字")
_SAMPLE = re.compile(r"^[（(]?\s*(?:例|如|示例)\s*[:：]")
_UNIT_WORDS = {"人", "件", "户", "个", "万元", "元", "%", "％", "次", "岁", "平方米"}


@dataclass
class Place:
    """Where a blank is: table index and the (row, col) of its cell, or the line (paragraph) index."""

    table: int | None = None
    row: int = 0
    col: int = 0
    line: int | None = None


@dataclass
class ProposedField:
    spec: FieldSpec
    place: Place  # the cell that gets the anchor (for inline cells: the label's own cell)
    where: str  # "表1 第2行第3列"
    canonical: bool  # the key is one of ../shared/spec/forms.md
    inline: bool = False
    unit_line: bool = False  # "推荐单位：____" above the table: filled with the unit's name when issued


@dataclass
class FormProposal:
    title: str
    title_place: Place | None
    fields: list[ProposedField] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # what could not be decided, one line each
    notes: list[str] = field(default_factory=list)  # decided, but the clerk should know
    photo: str | None = None


def _canonical_labels() -> dict[str, tuple[str, FieldSpec]]:
    out: dict[str, tuple[str, FieldSpec]] = {}
    for spec in BUILTIN_FORMS.values():
        for f in spec.fields:
            for label in f.all_labels:
                out.setdefault(strip_parens(label_key(label)), (f.key, f))
    return out


CANONICAL = _canonical_labels()


def clean_label(text: str) -> str:
    """The label as printed, without padding, line breaks (vertical labels), colon and hint in brackets."""
    key = label_key(text)
    plain = strip_parens(key).rstrip(":：")
    return plain or key


def _hints(text: str) -> tuple[int | None, int | None]:
    """(max_chars, target_chars) a label or printed hint states."""
    flat = label_key(text)
    m = _MAX.search(flat)
    t = _TARGET.search(flat)
    mx = int(next(g for g in m.groups() if g)) if m else None
    target = int(next(g for g in t.groups() if g)) if t else None
    return mx, target


def option_choices(text: str) -> list[str]:
    """``□是  □否`` → [是, 否]; ``教师（ ）研究生（ ）`` → [教师, 研究生]; [] when no options."""
    if any(m in text for m in OPTION_MARKS):
        parts = re.split(f"[{OPTION_MARKS}]", text)
        return [p.strip(" \u3000\t\n") for p in parts[1:] if p.strip(" \u3000\t\n")]
    found = re.findall(r"([^\s（(）)]+)\s*[（(]\s*[）)]", text)
    return found if len(found) >= 2 else []


def _printed_value(text: str) -> list[str] | None:
    """The placeholder lines of a blank that already holds printed text; None when it is no blank."""
    lines = [ln.strip(" \u3000\t") for ln in text.split("\n") if ln.strip(" \u3000\t")]
    if not lines:
        return []
    stamp = {label_key(p) for p in STAMP_PLACEHOLDERS}
    out = []
    for ln in lines:
        key = label_key(ln)
        if (key in stamp or re.fullmatch(r"(?:\d{4})?年_*月_*日", key) or key.rstrip(":").endswith(("签字", "签名", "签章"))
                or key in _UNIT_WORDS or _SAMPLE.match(key) or key.startswith(("(请", "请填写", "(可另附页"))
                or re.fullmatch(r"\(.*(?:附页|填写|字).*\)", key) or _BLANK.match(ln)):
            out.append(ln)
        else:
            return None
    return out


@dataclass
class _Kind:
    """What a cell is: label, blank (maybe with printed text), option blank, inline label+blank, photo, title."""

    what: str
    label: str = ""
    bare: bool = False  # "科室名称：" with nothing after the colon: the blank may be the next cell
    printed: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)


def classify(cell: Cell, n_cols: int) -> _Kind:
    text = cell.text
    if _BLANK.match(text):
        return _Kind("blank")
    choices = option_choices(text)
    if choices:
        return _Kind("options", choices=choices)
    printed = _printed_value(text)
    if printed is not None:
        return _Kind("blank", printed=printed)
    key = label_key(text)
    if strip_parens(key) in PHOTO_WORDS:
        return _Kind("photo")
    m = _INLINE_CELL.match(text)
    if m and m.group(1).strip():
        rest = (m.group(2) or "") + (m.group(3) or "")
        if _BLANK.match(rest):
            bare = not re.search("[_＿]", rest) and rest.count("\n") < 2
            return _Kind("inline", label=text[: m.end(1)].strip(), bare=bare)
    if cell.row == 0 and cell.colspan == n_cols and n_cols > 1 and key.endswith("表"):
        return _Kind("title", label=text)
    if len(strip_parens(key)) <= 16 and not re.fullmatch(r"[\d.%]+", key):
        return _Kind("label", label=text)
    return _Kind("text")


class _Keys:
    """New keys, unique within the form."""

    def __init__(self):
        self.used: set[str] = set()
        self.n = 0

    def take(self, key: str) -> str:
        base, k, i = key, key, 2
        while k in self.used:
            k, i = f"{base}_{i}", i + 1
        self.used.add(k)
        return k

    def new(self) -> str:
        self.n += 1
        return self.take(f"field_{self.n}")


def propose_field(label_text: str, keys: _Keys, printed: list[str], choices: list[str], multi_row: bool,
                  position: str = "right") -> tuple[FieldSpec, bool]:
    """The FieldSpec for a blank under ``label_text``, and whether its key is canonical."""
    label = clean_label(label_text)
    canon = CANONICAL.get(label)
    common = COMMON_KEYS.get(label)
    if canon:
        key, base = canon[0], canon[1]
    elif common:
        key, base = common, None
    else:
        key, base = None, None
    key = keys.take(key) if key else keys.new()
    mx, target = _hints(label_text + "\n" + "\n".join(printed))
    kind = "text"
    if choices:
        kind = "gender" if set(choices) <= {"男", "女"} else "choice"
    elif base is not None and base.kind != "text":
        kind = base.kind
    elif "出生" in label:
        kind = "birth"
    elif label in ("性别",):
        kind = "gender"
    elif re.search(r"(时间|日期)$", label):
        kind = "date"
    elif re.search(r"(人数|户数|数量|件数|办件量)$", label) or any(label_key(p) in ("人", "件", "户") for p in printed):
        kind = "integer"
    elif multi_row or mx or target or any(w in label for w in LONG_WORDS):
        kind = "multiline"
    placeholders = list(dict.fromkeys(printed))
    if any(label_key(p) in {label_key(s) for s in STAMP_PLACEHOLDERS} or "签字" in p for p in printed):
        placeholders += [p for p in STAMP_PLACEHOLDERS if p not in placeholders]
    variants = [v for v in (base.all_labels if base else []) if clean_label(v) != label]
    spec = FieldSpec(key=key, label=label, variants=variants, kind=kind, required=kind != "multiline" or
                     not any(w in label for w in ("意见", "荣誉", "获奖")), placeholders=placeholders,
                     position=position, max_chars=mx, target_chars=None if mx else target,
                     choices=choices if kind == "choice" else [])
    return spec, canon is not None


def _grid_map(table: Table) -> dict[tuple[int, int], Cell]:
    pos: dict[tuple[int, int], Cell] = {}
    for c in table.cells:
        for r in range(c.row, c.last_row + 1):
            for k in range(c.col, c.last_col + 1):
                pos.setdefault((r, k), c)
    return pos


def read_table(table: Table, keys: _Keys, proposal: FormProposal) -> None:
    """Label → blank pairs of one table, added to ``proposal``."""
    pos = _grid_map(table)
    n_cols = table.n_cols
    kinds = {id(c): classify(c, n_cols) for c in table.cells}
    claimed: set[int] = set()

    def add(label_cell: Cell, label_text: str, blank: Cell, kind: _Kind, position: str, inline: bool = False):
        multi = blank.rowspan >= 3 or (blank.rowspan >= 2 and any(w in label_text for w in LONG_WORDS)) or (blank.colspan * 2 >= n_cols and blank.colspan > 1 and not kind.choices
                                       and any(w in label_text for w in LONG_WORDS))
        spec, canon = propose_field(label_text, keys, kind.printed, kind.choices, multi, position)
        place = Place(table=table.index, row=blank.row, col=blank.col)
        proposal.fields.append(ProposedField(spec, place, blank.where, canon, inline=inline))
        claimed.add(id(blank))
        claimed.add(id(label_cell))

    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        kind = kinds[id(cell)]
        if kind.what == "title":
            proposal.title = proposal.title or clean_label(cell.text)
            proposal.title_place = proposal.title_place or Place(table=table.index, row=cell.row, col=cell.col)
            claimed.add(id(cell))
        elif kind.what == "inline":
            right = pos.get((cell.row, cell.last_col + 1))
            if kind.bare and right is not None and kinds[id(right)].what in ("blank", "options"):
                kinds[id(cell)] = _Kind("label", label=cell.text)  # a label with a colon; its blank is right
            else:
                add(cell, kind.label, cell, _Kind("blank"), "right", inline=True)
        elif kind.what == "photo":
            proposal.photo = cell.where
            claimed.add(id(cell))
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        kind = kinds[id(cell)]
        if kind.what != "label" or id(cell) in claimed:
            continue
        right = pos.get((cell.row, cell.last_col + 1))
        below = pos.get((cell.last_row + 1, cell.col))
        rk = kinds.get(id(right)) if right is not None else None
        bk = kinds.get(id(below)) if below is not None else None
        if right is not None and rk.what in ("blank", "options") and id(right) not in claimed:
            add(cell, cell.text, right, rk, "right")
        elif (below is not None and bk.what in ("blank", "options") and id(below) not in claimed
              and below.col == cell.col and below.colspan == cell.colspan):
            add(cell, cell.text, below, bk, "below")
        elif right is not None and rk.what == "label" and cell.rowspan > 1:
            proposal.notes.append(f"“{clean_label(cell.text)}”下分若干小项（{cell.where}），各小项分别作为字段")
            claimed.add(id(cell))
        elif id(cell) not in claimed and label_key(cell.text) not in ("序号", "备注"):
            proposal.undecided.append(f"“{clean_label(cell.text)}”（{cell.where}）旁边和下方都没有空白格，"
                                      "不能确定填在哪里，未作为字段")
    for cell in table.cells:
        kind = kinds[id(cell)]
        if id(cell) in claimed or kind.what not in ("blank", "options"):
            continue
        if kind.what == "blank" and not kind.printed and cell.rowspan >= 3 and cell.last_col == n_cols - 1:
            proposal.photo = proposal.photo or cell.where
            continue
        proposal.undecided.append(f"{cell.where} 的空白格没有标签，不知道要填什么，未作为字段")


_LINE_PAIR = re.compile(r"([^\s:：]{2,14})\s*[:：]")


def read_lines(doc: GridDocument, keys: _Keys, proposal: FormProposal, before_first_table: bool = True) -> None:
    """The title (first lines outside tables) and a ``推荐单位：____`` line, which the issue fills."""
    index = 0
    for block in doc.blocks:
        if isinstance(block, Table):
            if before_first_table:
                break
            continue
        text = block.text.strip()
        i, index = index, index + 1
        if not text:
            continue
        key = label_key(text)
        if not proposal.title and re.search(r"(表|登记|审批)$", strip_parens(key)) and len(key) <= 40:
            proposal.title = clean_label(text)
            proposal.title_place = Place(line=i)
            continue
        for m in _LINE_PAIR.finditer(text):
            lbl = strip_parens(label_key(m.group(1)))
            if label_key(m.group(1)) in UNIT_LINE_LABELS or lbl in UNIT_LINE_LABELS:
                spec = FieldSpec(key=keys.take("recommending_unit"), label=lbl, position="line",
                                 placeholders=["（盖章）", "(盖章)"])
                proposal.fields.append(ProposedField(spec, Place(line=i), f"表格上方第{i + 1}段", True,
                                                     unit_line=True))
            elif lbl in SUBJECT_LINE_LABELS:
                proposal.notes.append(f"“{lbl}”一行（表格上方）：评分表的参评对象")
            elif "日期" in lbl or "时间" in lbl:
                proposal.notes.append(f"表格上方的“{lbl}”不作为字段（单位填写的日期不参与评选）")


def propose(doc: GridDocument) -> FormProposal:
    """The fields of an office's form (its first form: split_forms gives one GridDocument per form)."""
    proposal = FormProposal(title="", title_place=None)
    keys = _Keys()
    read_lines(doc, keys, proposal)
    for table in doc.tables:
        read_table(table, keys, proposal)
    if proposal.photo:
        proposal.notes.append(f"照片栏（{proposal.photo}）：照片不作为文字读取，请单位另附照片文件")
    for pf in proposal.fields:
        f = pf.spec
        if not pf.canonical and f.key.startswith("field_"):
            proposal.undecided.append(f"“{f.label}”没有现成的英文键名，暂用 {f.key}（可在 campaign.yaml 中改名）")
        if f.kind == "choice":
            proposal.notes.append(f"“{f.label}”为选项：{'／'.join(f.choices)}，读取勾选的一项")
        for p in f.placeholders:
            if _SAMPLE.match(label_key(p)):
                proposal.notes.append(f"“{f.label}”格内印有示例“{p}”，读取时去掉")
    return proposal

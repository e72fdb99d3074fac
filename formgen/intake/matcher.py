"""The one matcher: GridDocument → ExtractResult, whatever the file format was.

Two ways to read a form, tried in order:

1. **tagged** — a blank issued by formgen carries anchors (``formgen.anchors``):
   the form type in the custom properties or a ``fgform_<type>`` bookmark, and a
   bookmark in every value cell. The value is the text of the cell holding it.
2. **labels** — anything else (a unit's own retyped table, a PDF, a scan): the
   form type is recognised by which labels / item names its table holds (and
   its title, when there is one); each value is the cell right of (or below)
   its label; scores sit in the 得分 column of each item's row.

Fields a tagged form lost its anchor for (a unit deleted a cell and retyped it)
are still looked up by label. Validation (required fields, ranges, lengths) is
``formgen.intake.validate``; the matcher only reports what it could not read.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from formgen import anchors as A
from formgen.forms import STAMP_PLACEHOLDERS, FieldSpec, FormSpec
from formgen.intake.grid import Cell, GridDocument, Line, Table
from formgen.intake.normalize import (
    clean_multiline, clean_short, count_chars, is_cjk, label_key, nfkc, normalize_birth, normalize_gender,
    number_json, parse_integer, parse_percent, parse_score, strip_parens, strip_placeholders,
)
from formgen.intake.result import ExtractResult, ValueSource

# Cells that are labels of no field but must never be taken as a value.
GENERIC_LABELS = {"照片", "相片", "备注", "项目", "分值", "满分", "考核内容", "评分标准", "评选标准", "考核方式",
                  "考核办法", "得分", "自评得分", "自评分", "合计", "总分", "序号", "附件", "注"}
TOTAL_ROWS = {"合计", "总分", "总计", "小计", "合计得分", "总得分"}

# Line labels naming the subject of a score sheet, best first per subject kind.
SUBJECT_LABELS = {
    "candidate": ["候选人", "候选人姓名", "姓名", "参评人", "参评人员", "被考核人", "被推荐人"],
    "post": ["参评岗位", "被推荐岗位", "推荐岗位", "岗位名称", "岗位"],
    "unit": ["参评单位", "推荐单位", "申报单位", "所在单位", "单位", "单位名称"],
}

DEEDS_MIN_CHARS = 300  # a free-text file this long is taken as a deeds document


# --------------------------------------------------------------------------------------------
# label keys
# --------------------------------------------------------------------------------------------

_INLINE = re.compile(r"^\s*(.{1,30}?)\s*[:：]")


@dataclass(frozen=True)
class _Spelling:
    """How a piece of text compares with labels: its key, its key without notes, and — for
    ``标签：值`` text — the key of the part before the colon and where the value starts."""

    key: str
    loose: str
    inline_key: str | None = None
    inline_loose: str | None = None
    inline_value: str | None = None

    @classmethod
    def of(cls, text: str) -> "_Spelling":
        key = label_key(text) if len(text) <= 80 else ""
        inline = (None, None, None)
        if len(text) <= 4000 and ("：" in text[:40] or ":" in text[:40]):
            flat = nfkc(text)
            m = _INLINE.match(flat)
            if m:
                ikey = label_key(m.group(1))
                # NFKC keeps the length of CJK labels and colons, so the original text can be cut.
                value = text[m.end():] if len(flat) == len(text) else flat[m.end():]
                inline = (ikey, strip_parens(ikey), value)
        return cls(key, strip_parens(key), *inline)


@dataclass
class _Keys:
    """The comparable spellings of one label (exact and without parenthesised notes)."""

    exact: set[str]
    loose: set[str]
    prefixes: set[str]  # proper beginnings of the exact keys (a label cut by a page break)

    @classmethod
    def of(cls, labels: list[str]) -> "_Keys":
        exact = {label_key(x) for x in labels if label_key(x)}
        prefixes = {k[:i] for k in exact for i in range(1, len(k))}
        return cls(exact, {strip_parens(k) for k in exact if strip_parens(k)}, prefixes)

    def match(self, key: str, fuzzy: bool = False) -> bool:
        if not key:
            return False
        if key in self.exact or strip_parens(key) in self.loose:
            return True
        if fuzzy and 3 <= len(key) <= 24:
            return any(abs(len(k) - len(key)) <= 1 and len(k) >= 3
                       and difflib.SequenceMatcher(None, k, key).ratio() >= 0.75 for k in self.exact)
        return False

    def match_spelling(self, sp: _Spelling) -> bool:
        return bool(sp.key) and (sp.key in self.exact or sp.loose in self.loose)

    def inline_of(self, sp: _Spelling) -> str | None:
        """The value of a ``标签：值`` text whose label is this one; None otherwise."""
        if sp.inline_key and (sp.inline_key in self.exact or sp.inline_loose in self.loose):
            return sp.inline_value
        return None

    def inline(self, text: str) -> str | None:
        return self.inline_of(_Spelling.of(text))


def _field_keys(f: FieldSpec) -> _Keys:
    return _Keys.of(f.all_labels)


# --------------------------------------------------------------------------------------------
# grids
# --------------------------------------------------------------------------------------------

@dataclass
class _Grid:
    table: Table
    pos: dict[tuple[int, int], Cell] = field(default_factory=dict)
    spell: dict[int, _Spelling] = field(default_factory=dict)  # id(cell) → spelling
    n_rows: int = 0
    n_cols: int = 0

    @classmethod
    def of(cls, table: Table) -> "_Grid":
        g = cls(table, n_rows=table.n_rows, n_cols=table.n_cols)
        for c in table.cells:
            g.spell[id(c)] = _Spelling.of(c.text)
            for r in range(c.row, c.last_row + 1):
                for k in range(c.col, c.last_col + 1):
                    g.pos.setdefault((r, k), c)
        return g

    def key_of(self, cell: Cell) -> str:
        """The cell's text as a comparable label key (cached)."""
        sp = self.spell.get(id(cell))
        return sp.key if sp else label_key(cell.text)

    def spelling_of(self, cell: Cell) -> _Spelling:
        """The cell's text as compared with labels, incl. ``标签：值`` (cached)."""
        return self.spell.get(id(cell)) or _Spelling.of(cell.text)


def _unique(cells) -> list[Cell]:
    seen, out = set(), []
    for c in cells:
        if c is not None and id(c) not in seen:
            seen.add(id(c))
            out.append(c)
    return out


# --------------------------------------------------------------------------------------------
# the matcher's view of one document and one form
# --------------------------------------------------------------------------------------------

@dataclass
class _Found:
    text: str
    where: str
    confidence: float | None = None
    line: bool = False  # the anchor sits on a line of text (``推荐单位：XX  填报日期：…``), not in a cell


class _Lines:
    """The lines outside tables with their ``标签：值`` pairs, split once per document."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.pairs = [(ln, line_pairs(ln.text)) for ln in lines if "：" in ln.text or ":" in ln.text]


class _FormView:
    """Label lookups for one form over one document."""

    def __init__(self, form: FormSpec, grids: list[_Grid], lines: _Lines, fuzzy: bool):
        self.form = form
        self.grids = grids
        self.lines = lines
        self.fuzzy = fuzzy
        self.field_keys = {f.key: _field_keys(f) for f in form.fields}
        self.item_keys = [_Keys.of([it.name, *it.variants]) for it in form.items]
        self.header_keys = _Keys.of(form.score_headers)
        labels = [x for f in form.fields for x in f.all_labels] + [it.name for it in form.items]
        self.any_label = _Keys.of(labels + sorted(GENERIC_LABELS) + form.score_headers)

    # --- labels in tables ------------------------------------------------------------------

    def is_label(self, grid: _Grid, cell: Cell) -> bool:
        return self.any_label.match(grid.key_of(cell), self.fuzzy)

    def label_cells(self, keys: _Keys):
        """(grid, label cell, inline value or None) for every cell labelled ``keys``: exact
        spellings first; for OCR then near misses, never a cell that is exactly another label."""
        for g in self.grids:
            for c in g.table.cells:
                sp = g.spelling_of(c)
                if keys.match_spelling(sp):
                    yield g, c, None
                    continue
                inline = keys.inline_of(sp)
                if inline is not None:
                    yield g, c, inline
                elif sp.key in keys.prefixes:
                    joined = self._split_label(g, c, keys)
                    if joined is not None:
                        yield g, joined, None
        if self.fuzzy:
            for g in self.grids:
                for c in g.table.cells:
                    key = g.key_of(c)
                    if not keys.match(key) and not self.any_label.match(key) and keys.match(key, fuzzy=True):
                        yield g, c, None

    def _split_label(self, g: _Grid, top: Cell, keys: _Keys) -> Cell | None:
        """A label broken over two rows of one column (a page break inside a vertical label):
        the two cells as one label cell spanning both rows."""
        below = g.pos.get((top.last_row + 1, top.col))
        if below is None or below.col != top.col or below.colspan != top.colspan:
            return None
        if not keys.match(g.key_of(top) + g.key_of(below), self.fuzzy):
            return None
        return Cell(text=top.text + below.text, row=top.row, col=top.col, rowspan=top.rowspan + below.rowspan,
                    colspan=top.colspan, where=top.where, confidence=top.confidence, page=top.page)

    def _right(self, g: _Grid, label: Cell) -> list[Cell]:
        col = label.last_col + 1
        if col >= g.n_cols:
            return []
        cells = _unique(g.pos.get((r, col)) for r in range(label.row, label.last_row + 1))
        out = []
        for c in cells:
            if self.is_label(g, c):
                break
            out.append(c)
        return out

    def _below(self, g: _Grid, label: Cell) -> list[Cell]:
        row = label.last_row + 1
        if row >= g.n_rows:
            return []
        cells = _unique(g.pos.get((row, k)) for k in range(label.col, label.last_col + 1))
        return [c for c in cells if not self.is_label(g, c)]

    def value_cells(self, g: _Grid, label: Cell, position: str) -> list[Cell]:
        if position == "below":
            return self._below(g, label) or self._right(g, label)
        right = self._right(g, label)
        if any(c.text.strip() for c in right):
            return right
        # A label spanning (most of) the table's width — 主要事迹（500字左右） — has its value
        # in the next row.
        if label.last_col + 1 >= g.n_cols or label.colspan * 2 > g.n_cols:
            return self._below(g, label) or right
        if not right:
            # The next cell is another label: a header-row layout (labels above, values below)
            # puts the value right under its label, in exactly the same columns.
            below = self._below(g, label)
            if len(below) == 1 and below[0].col == label.col and below[0].last_col == label.last_col:
                return below
        return right

    def find_in_tables(self, keys: _Keys, position: str) -> tuple[_Found | None, bool]:
        """(value, label seen). The first label with a non-empty value wins."""
        seen = False
        for g, label, inline in self.label_cells(keys):
            seen = True
            if inline is not None:
                if inline.strip():
                    return _Found(inline, label.where, label.confidence), True
                cells = self._right(g, label)
            else:
                cells = self.value_cells(g, label, position)
            text = "\n".join(c.text for c in cells)
            if text.strip():
                conf = [c.confidence for c in cells if c.confidence is not None]
                where = cells[0].where if len(cells) == 1 else f"{cells[0].where} 等{len(cells)}格"
                return _Found(text, where, min(conf) if conf else None), True
        return None, seen

    # --- labels on lines -------------------------------------------------------------------

    def find_in_lines(self, keys: _Keys) -> _Found | None:
        for line, pairs in self.lines.pairs:
            for label, value in pairs:
                if keys.match(label, self.fuzzy) and value.strip():
                    return _Found(value, line.where or "表格外文字", line.confidence)
        return None

    def find_field(self, f: FieldSpec) -> tuple[_Found | None, bool]:
        keys = self.field_keys.get(f.key) or _field_keys(f)
        if f.position == "line":
            found = self.find_in_lines(keys)
            if found:
                return found, True
            return self.find_in_tables(keys, "right")
        found, seen = self.find_in_tables(keys, f.position)
        if found is None:
            line_found = self.find_in_lines(keys)
            if line_found:
                return line_found, True
        return found, seen

    # --- evidence ---------------------------------------------------------------------------

    def evidence(self) -> tuple[int, int, bool]:
        """(labels and items found, how many the form has, title seen)."""
        found = 0
        for f in self.form.fields:
            keys = self.field_keys[f.key]
            if f.position == "line":
                hit = any(keys.match(lbl, self.fuzzy) for _, pairs in self.lines.pairs for lbl, _ in pairs)
            else:
                hit = next(self.label_cells(keys), None) is not None
            found += hit
        for keys in self.item_keys:
            found += next(self.label_cells(keys), None) is not None
        total = len(self.form.fields) + len(self.form.items)
        return found, total, self.title_seen()

    def title_seen(self) -> bool:
        texts = [ln.text for ln in self.lines.lines[:12]]
        for g in self.grids[:1]:
            texts.extend(c.text for c in g.table.cells if c.row == 0)
        flat = [label_key(t) for t in texts if len(t) <= 200]
        return any(all(label_key(w) in t for w in group) for group in self.form.title_keywords for t in flat)


# --------------------------------------------------------------------------------------------
# lines "标签：值  标签：值"
# --------------------------------------------------------------------------------------------

_GAP = re.compile(r"\s{2,}|\u3000+|\t+")


def _last_gap(body: str) -> re.Match | None:
    """The separator before the last word: a wide gap if there is one, else a single space."""
    gaps = [g for g in _GAP.finditer(body) if g.start() > 0]
    if not gaps:
        gaps = [g for g in re.finditer(r"\s+", body) if g.start() > 0]
    return gaps[-1] if gaps else None


def line_pairs(text: str) -> list[tuple[str, str]]:
    """``"候选人：张三　　所在单位：东山街道"`` → ``[("候选人", "张三"), ("所在单位", "东山街道")]``.

    Labels come back as label keys; values as typed (stripped).
    """
    if not text or len(text) > 400 or not re.search("[:：]", text):
        return []
    parts = re.split(r"[:：]", text)
    head = parts[0].strip()
    gap = _last_gap(head)
    label = head[gap.end():] if gap else head
    pairs: list[tuple[str, str]] = []
    for i, seg in enumerate(parts[1:], start=1):
        body = seg.strip()
        if i == len(parts) - 1:
            value, nxt = body, ""
        else:
            gap = _last_gap(body)
            value, nxt = (body[:gap.start()], body[gap.end():]) if gap else (body, "")
        pairs.append((label_key(label), value.strip()))
        label = nxt
    return pairs


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------

def _drop_label_prefix(text: str, keys: _Keys) -> str:
    inline = keys.inline(text)
    return inline if inline is not None else text


def field_value(f: FieldSpec, raw: str | None):
    """The value of field ``f`` from the text of its cell: cleaned, parsed where parseable.

    Unparseable birth / gender / integer values are kept as typed (validate reports them).
    """
    if raw is None:
        return None
    is_opinion = any(label_key(p) in ("(盖章)", "盖章") for p in f.placeholders)
    text = strip_placeholders(raw, f.placeholders, stamp=is_opinion)
    if f.kind == "multiline":
        return clean_multiline(text)
    if f.kind == "choice" or (f.kind == "gender" and re.search(f"[{_BOXES}]", text)):
        return ticked_choice(text, f.choices or ["男", "女"])
    value = clean_short(text)
    if value is None:
        return None
    try:
        return typed_value(f, value)
    except ValueError:
        return value


_BOXES = "□☐○◯"
_TICKS = "☑☒■√✓✔●◉▣⊙"


def ticked_choice(text: str, choices: list[str]) -> str | None:
    """The option ticked in ``□是 ☑否`` (a tick mark before or after it, or the only option left standing
    when the others were deleted); the text as typed when it is ambiguous, None when nothing is ticked."""
    flat = re.sub(r"\s+", "", nfkc(text))
    hits = [c for c in choices if re.search(f"[{_TICKS}]{re.escape(nfkc(c))}|{re.escape(nfkc(c))}[{_TICKS}](?=[{_BOXES}]|$)", flat)]
    if len(hits) == 1:
        return hits[0]
    if not hits and not re.search(f"[{_BOXES}{_TICKS}]", flat):
        left = [c for c in choices if nfkc(c) in flat]
        if len(left) == 1:
            return left[0]
        return flat or None
    if not hits:
        return None
    return clean_short(text)


_TYPED = {"birth": normalize_birth, "gender": normalize_gender, "integer": parse_integer, "percent": parse_percent}


def typed_value(f: FieldSpec, text: str):
    """A short field's cleaned text as its kind: ``1982年7月`` → ``1982-07`` for a birth field,
    ``十五人`` → 15 for an integer; text fields unchanged. ValueError when it is not of that kind."""
    parse = _TYPED.get(f.kind)
    return parse(text) if parse else text


# --------------------------------------------------------------------------------------------
# score sheets
# --------------------------------------------------------------------------------------------

def _score_columns(view: _FormView) -> dict[int, tuple[int, int]]:
    """Per table (by position in view.grids): the 得分 column range, carried over to a
    continuation table without its own header row."""
    cols: dict[int, tuple[int, int]] = {}
    last: tuple[int, int] | None = None
    for i, g in enumerate(view.grids):
        found = None
        for c in g.table.cells:
            key = g.key_of(c)
            if view.header_keys.match(key, view.fuzzy) or (key.endswith("得分") and len(key) <= 6):
                found = (c.col, c.last_col)
                break
        if found is None and last is not None:
            found = last
        if found is not None:
            cols[i] = found
            last = found
    return cols


def _score_fallback_col(g: _Grid, row: int, item_cell: Cell) -> int | None:
    """Without a 得分 header: the rightmost cell of the row that reads as a number (not 分值)."""
    for col in range(g.n_cols - 1, item_cell.last_col, -1):
        c = g.pos.get((row, col))
        if c is None or c.col != col:
            continue
        try:
            if parse_score(c.text) is not None and col > item_cell.last_col + 1:
                return col
        except ValueError:
            continue
    return None


def read_items(view: _FormView, result: ExtractResult, method: str, tagged: dict[int, _Found]) -> None:
    cols = _score_columns(view)
    for idx, (item, keys) in enumerate(zip(view.form.items, view.item_keys)):
        score_cell: _Found | None = tagged.get(idx)
        how = "tagged" if score_cell else method
        seen = False
        if score_cell is None:
            for gi, g in enumerate(view.grids):
                for c in g.table.cells:
                    if not (keys.match_spelling(g.spelling_of(c)) or (view.fuzzy and keys.match(g.key_of(c), True))):
                        continue
                    seen = True
                    col = cols.get(gi, (None, None))[0]
                    if col is None:
                        col = _score_fallback_col(g, c.row, c)
                    if col is None:
                        continue
                    cell = g.pos.get((c.row, col))
                    if cell is not None and cell is not c:
                        score_cell = _Found(cell.text, cell.where, cell.confidence)
                        break
                if score_cell:
                    break
        score = None
        key = f"items.{item.name}"
        if score_cell is not None:
            try:
                score = parse_score(score_cell.text)
            except ValueError:
                result.error(key, f"“{item.name}”的得分“{score_cell.text.strip()[:20]}”不是数字")
            result.provenance[key] = ValueSource(score_cell.where, how, score_cell.confidence)
        elif not seen and not tagged:
            result.warn(key, f"表中没有找到评分项目“{item.name}”")
        result.items.append({"name": item.name, "max": number_json(item.max), "score": number_json(score)})


# --------------------------------------------------------------------------------------------
# form identification
# --------------------------------------------------------------------------------------------

def _tagged_type(doc: GridDocument, forms: dict[str, FormSpec]) -> str | None:
    ftype = (doc.properties.get(A.PROP_FORM_TYPE) or "").strip()
    if ftype in forms:
        return ftype
    for name in doc.all_anchors():
        parsed = A.parse_anchor(name)
        if parsed and parsed[0] == "form" and parsed[1] in forms:
            return str(parsed[1])
    return None


def _identify(doc: GridDocument, forms: list[FormSpec], grids: list[_Grid], lines: _Lines, fuzzy: bool
              ) -> tuple[FormSpec | None, str]:
    """The best-fitting form by labels and title, or (None, why not)."""
    best = None
    for form in forms:
        view = _FormView(form, grids, lines, fuzzy)
        found, total, title = view.evidence()
        if not total:
            continue
        frac = found / total
        ok = found >= 2 and (frac >= 0.4 or (title and frac >= 0.2))
        rank = (ok, frac + (0.25 if title else 0.0), found)
        if best is None or rank > best[0]:
            best = (rank, form)
    if best and best[0][0]:
        return best[1], ""
    if not grids:
        return None, "文档中没有表格，不是已知的表格类型"
    return None, "文档中没有找到已知表格的栏目（如“姓名”“得分”），无法识别表格类型"


# --------------------------------------------------------------------------------------------
# the matcher
# --------------------------------------------------------------------------------------------

def _anchor_holders(doc: GridDocument) -> dict[str, _Found]:
    holders: dict[str, _Found] = {}
    for b in doc.blocks:
        if isinstance(b, Table):
            for c in b.cells:
                for name in c.anchors:
                    holders.setdefault(name, _Found(c.text, c.where, c.confidence))
        elif b.anchors:
            for name in b.anchors:
                holders.setdefault(name, _Found(b.text, b.where or "表格外文字", b.confidence, line=True))
    return holders


def _subject(view: _FormView) -> str | None:
    kinds = [view.form.subject] if view.form.subject else []
    kinds += [k for k in ("candidate", "post", "unit") if k not in kinds]
    for kind in kinds:
        for label in SUBJECT_LABELS[kind]:
            keys = _Keys.of([label])
            found = view.find_in_lines(keys)
            if found is None:
                found, _ = view.find_in_tables(keys, "right")
            if found is not None:
                value = clean_short(strip_placeholders(found.text, STAMP_PLACEHOLDERS, stamp=True))
                if value:
                    return value
    return None


def _unknown(doc: GridDocument, why: str) -> ExtractResult:
    result = ExtractResult(file=doc.source, form_type=None, method=doc.method)
    text = doc.plain_text()
    n = count_chars(text)
    if n == 0:
        result.error(None, "文档中没有可读取的文字（空白文档或图片），无法识别表格")
        return result
    if not doc.tables and sum(map(is_cjk, text)) >= DEEDS_MIN_CHARS:
        result.kind = "deeds_document"
        result.text = clean_multiline(text)
        result.warn(None, f"这是一份文字材料（约 {n} 字），不是表格；如是详细事迹材料，请与申报表一并归档")
        return result
    result.error(None, why)
    return result


def _table_form(table: Table, forms: list[FormSpec], fuzzy: bool) -> str | None:
    """The form type a table alone looks like (at least two of its labels / items), or None."""
    grid = [_Grid.of(table)]
    best = None
    for form in forms:
        found, total, _ = _FormView(form, grid, _Lines([]), fuzzy).evidence()
        if found >= 2 and (best is None or (found / total, found) > best[0]):
            best = ((found / total, found), form.type)
    return best[1] if best else None


def split_forms(doc: GridDocument, forms: list[FormSpec]) -> list[GridDocument]:
    """``doc`` cut into one document per form when it holds tables of different forms (a unit
    put its 申报表 and 评分表 in one file). Lines go with the table that follows them; lines
    after the last table stay with it."""
    if len(doc.tables) < 2:
        return [doc]
    fuzzy = doc.method == "ocr"
    parts: list[tuple[str | None, list]] = []  # (form type, blocks)
    pending: list = []
    for block in doc.blocks:
        if isinstance(block, Line):
            pending.append(block)
            continue
        ftype = _table_form(block, forms, fuzzy)
        if parts and (ftype is None or parts[-1][0] in (None, ftype)):
            if parts[-1][0] is None:
                parts[-1] = (ftype, parts[-1][1])
            parts[-1][1].extend(pending + [block])
        else:
            parts.append((ftype, pending + [block]))
        pending = []
    if len(parts) < 2:
        return [doc]
    parts[-1][1].extend(pending)
    return [GridDocument(source=doc.source, blocks=blocks, properties=dict(doc.properties), method=doc.method,
                         pages=doc.pages) for _, blocks in parts]


def match_all(doc: GridDocument, forms: list[FormSpec]) -> list[ExtractResult]:
    """Every form in ``doc``: usually one; several when untagged tables of different forms
    share one file."""
    if _tagged_type(doc, {f.type: f for f in forms}):
        return [match(doc, forms)]
    return [match(part, forms) for part in split_forms(doc, forms)]


def match(doc: GridDocument, forms: list[FormSpec]) -> ExtractResult:
    """Read ``doc`` as one of ``forms``; ``file``/``source`` are for the caller to fill."""
    by_type = {f.type: f for f in forms}
    grids = [_Grid.of(t) for t in doc.tables]
    lines = _Lines(doc.lines)
    fuzzy = doc.method == "ocr"
    holders = _anchor_holders(doc)

    ftype = _tagged_type(doc, by_type)
    form = by_type.get(ftype) if ftype else None
    tagged = form is not None
    if form is None:
        from formgen.intake.free_text import read_free_text

        report = read_free_text(doc, forms)  # a report asked for as such, not deeds material
        if report is not None:
            return report
        form, why = _identify(doc, forms, grids, lines, fuzzy)
        if form is None:
            return _unknown(doc, why)

    method = "tagged" if tagged else doc.method
    result = ExtractResult(file=doc.source, form_type=form.type, method=method)
    props = doc.properties
    for prop, name in ((A.PROP_UNIT, "unit"), (A.PROP_CAMPAIGN, "campaign"),
                       (A.PROP_TEMPLATE_VERSION, "template_version")):
        if props.get(prop):
            result.anchors[name] = props[prop]

    view = _FormView(form, grids, lines, fuzzy)
    for f in form.fields:
        keys = view.field_keys[f.key]
        found = holders.get(A.field_anchor(f.key)) if tagged else None
        how = "tagged"
        if found is not None:
            text = _drop_label_prefix(found.text, keys)
            if found.line:  # only this label's part of a line with several "标签：值"
                text = next((v for lbl, v in line_pairs(found.text) if keys.match(lbl)), text)
            found = _Found(text, found.where, found.confidence)
        else:
            found, seen = view.find_field(f)
            how = doc.method
            if not seen and f.required:
                result.error(f.key, f"表中没有找到“{f.label}”一栏")
        value = field_value(f, found.text if found else None)
        result.fields[f.key] = value
        if value is not None and found is not None:
            result.provenance[f.key] = ValueSource(found.where, how, found.confidence)

    tagged_scores: dict[int, _Found] = {}
    if tagged:
        for name, holder in holders.items():
            parsed = A.parse_anchor(name)
            if parsed and parsed[0] == "score" and isinstance(parsed[1], int) and parsed[1] < len(form.items):
                tagged_scores[parsed[1]] = holder
    read_items(view, result, doc.method, tagged_scores)

    if form.items:  # a score sheet names its candidate / post on a line above the table
        holder = holders.get(A.SUBJECT_ANCHOR) if tagged else None
        if holder is not None:
            text = holder.text
            if re.search("[:：]", text):
                text = re.split("[:：]", text, maxsplit=1)[1]
            result.subject = clean_short(strip_placeholders(text, STAMP_PLACEHOLDERS, stamp=True))
        else:  # an anchored subject cell left empty stays empty: the unit is not the candidate
            result.subject = _subject(view)
    return result


# --------------------------------------------------------------------------------------------
# forms, fields and items named by staff (formgen correct): spelled as in a form
# --------------------------------------------------------------------------------------------

def resolve_form(forms: list[FormSpec], text: str) -> FormSpec | None:
    """The form ``text`` names: its type key, its title however spaced or quoted, or ``附件N``."""
    def unquoted(t: str) -> str:
        return label_key(t).translate(_NO_QUOTES)

    key = unquoted(text)
    for s in forms:
        if text.strip() == s.type or key == unquoted(s.title) or (s.attachment_no and key == f"附件{s.attachment_no}"):
            return s
    return None


_NO_QUOTES = str.maketrans("", "", "“”\"'‘’「」")


def resolve_key(form: FormSpec, text: str) -> str | None:
    """The field key, or ``items.<name>``, that ``text`` names: a key, or a label or item name
    the way the matcher recognises it in a returned form (spacing, notes in brackets, variants)."""
    plain = text.strip()
    sp = _Spelling.of(plain)
    for f in form.fields:
        if plain == f.key or _field_keys(f).match_spelling(sp):
            return f.key
    for it in form.items:
        if plain in (it.name, f"items.{it.name}") or _Keys.of([it.name, *it.variants]).match_spelling(sp):
            return f"items.{it.name}"
    return None


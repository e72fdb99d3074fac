"""The one header matcher for unit lists: units.xlsx (``load_units``) and ``formgen units import``.

Offices keep their unit list in whatever layout they like: a title and merged
cells above the header, 电子邮箱 instead of 邮箱, a 序号 column, extra columns.
:func:`match_columns` is pure: rows of cell values in, the header row, a
column mapping, the columns it was unsure of, the extra columns and the
problems of every row out. It never drops a column or a row silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# field -> headers that name it exactly (after normalising); the first is the name units.xlsx uses
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "单位", "名称", "单位全称", "推荐单位", "申报单位"),
    "category": ("类别", "分类", "单位类别", "类型", "单位类型"),
    "contact": ("联系人", "联系人姓名", "经办人"),
    "phone": ("电话", "联系电话", "手机", "手机号码", "联系方式", "办公电话"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "e-mail", "email", "邮件", "邮箱地址", "电子信箱"),
}
FIELD_LABEL = {"name": "单位名称", "category": "类别", "contact": "联系人", "phone": "电话", "email": "邮箱"}
# a header containing one of these words probably names that field (unsure: ask, or say so)
_HINTS: tuple[tuple[str, str], ...] = (("邮", "email"), ("mail", "email"), ("电话", "phone"), ("手机", "phone"),
                                       ("联系人", "contact"), ("类", "category"), ("单位", "name"), ("名称", "name"))
IGNORED = ("序号", "编号", "no", "no.")  # row numbers: not kept
_HEADER_SEARCH = 20  # rows searched for the header below titles
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_EMAIL_SPLIT = re.compile(r"[;；,，、\s]+")


def norm_header(value) -> str:
    """'电子 邮箱：' -> '电子邮箱'; 'E-Mail*' -> 'e-mail'."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\s:：*＊()（）]", "", text.replace("\u3000", "")).lower()
    return text.replace("－", "-").replace("—", "-")


def exact_field(header) -> str | None:
    h = norm_header(header)
    for key, names in FIELDS.items():
        if h in names:
            return key
    return None


def guessed_field(header) -> str | None:
    """The field a header probably names (contains a hint word) when it names none exactly."""
    h = norm_header(header)
    if not h or h in IGNORED:
        return None
    for hint, key in _HINTS:
        if hint in h:
            return key
    return None


def split_emails(cell) -> tuple[list[str], list[str]]:
    """(valid addresses, invalid parts) of a cell; a cell with any invalid part is used for none."""
    parts = [p.strip() for p in _EMAIL_SPLIT.split("" if cell is None else str(cell)) if p.strip()]
    good = [p.lower() for p in parts if _EMAIL.match(p)]
    bad = [p for p in parts if not _EMAIL.match(p)]
    return good, bad


def valid_email_cell(cell) -> bool:
    good, bad = split_emails(cell)
    return bool(good) and not bad


@dataclass
class Guess:
    """A column whose header only resembles a known one: the caller asks, or says it was guessed."""
    column: int
    header: str
    field: str


@dataclass
class ColumnMatch:
    header_row: int | None  # 0-based index into rows; None: no header found
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column, sure matches
    guesses: list[Guess] = field(default_factory=list)  # unsure: resemble a field not matched exactly
    extra: list[tuple[int, str]] = field(default_factory=list)  # kept columns of no known field
    problems: list[tuple[int, str]] = field(default_factory=list)  # (1-based row, Chinese text)


def _cell(row, i):
    return row[i] if i < len(row) else None


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # xlrd reads every number as float: a phone 6812345 is not '6812345.0'
    return str(value).strip()


def find_header_row(rows: list[list]) -> int | None:
    """The first row (within the first 20) with at least two known headers, one of them the unit's name."""
    for r, row in enumerate(rows[:_HEADER_SEARCH]):
        fields = [exact_field(v) or guessed_field(v) for v in row]
        if sum(1 for f in fields if f) >= 2 and "name" in fields:
            return r
    for r, row in enumerate(rows[:_HEADER_SEARCH]):  # a one-column list: just 单位名称
        if any(exact_field(v) == "name" for v in row):
            return r
    return None


def map_header(header: list) -> ColumnMatch:
    """Sure matches, guesses and extra columns of one header row."""
    m = ColumnMatch(header_row=None)
    pending: list[Guess] = []
    for i, value in enumerate(header):
        h = text(value)
        key = exact_field(h)
        if key and key not in m.columns:
            m.columns[key] = i
            continue
        guess = None if key else guessed_field(h)
        if guess:
            pending.append(Guess(i, h, guess))
        elif h and norm_header(h) not in IGNORED:
            m.extra.append((i, h))
    for g in pending:
        if g.field in m.columns or any(x.field == g.field for x in m.guesses):
            m.extra.append((g.column, g.header))  # the field has its column already: keep this one as extra
        else:
            m.guesses.append(g)
    return m


def match_columns(rows: list[list], categories: list[str] | None = None,
                  columns: dict[str, int] | None = None) -> ColumnMatch:
    """Header row, mapping and per-row problems of a unit list.

    ``columns`` overrides the mapping (the clerk's answers; -1 drops a field);
    without it, guesses are used as they are and stay listed in ``guesses``.
    """
    r = find_header_row(rows)
    if r is None:
        return ColumnMatch(header_row=None, problems=[(0, "找不到表头行（应有“单位名称”或“单位”列）")])
    m = map_header(list(rows[r]))
    m.header_row = r
    mapping = {**m.columns, **{g.field: g.column for g in m.guesses}}
    for key, col in (columns or {}).items():
        mapping.pop(key, None)
        if col >= 0:
            mapping[key] = col
    used = set(mapping.values())
    m.extra = [(i, h) for i, h in m.extra if i not in used]
    m.extra += [(g.column, g.header) for g in m.guesses if g.column not in used]
    m.columns = mapping
    m.problems = row_problems(rows, r, mapping, categories)
    return m


def row_problems(rows: list[list], header_row: int, mapping: dict[str, int],
                 categories: list[str] | None) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for r in range(header_row + 1, len(rows)):
        row, line = rows[r], r + 1
        if not any(text(v) for v in row):
            continue
        name = text(_cell(row, mapping["name"])) if "name" in mapping else ""
        if not name:
            out.append((line, "单位名称为空（本行其他内容未读入）"))
            continue
        if name in seen:
            out.append((line, f"单位“{name}”与第 {seen[name]} 行重复"))
        else:
            seen[name] = line
        if "email" in mapping:
            cell = text(_cell(row, mapping["email"]))
            _, bad = split_emails(cell)
            if bad:
                out.append((line, f"（{name}）邮箱“{cell}”不是有效的邮箱地址（{'、'.join(bad)}），本行邮箱不会使用"))
        if categories and "category" in mapping:
            cat = text(_cell(row, mapping["category"]))
            if cat not in categories:
                out.append((line, f"（{name}）类别“{cat or '空白'}”不在 campaign.yaml 的 categories 中"
                                  f"（可选：{'、'.join(categories)}）"))
    return out


def unit_rows(rows: list[list], m: ColumnMatch) -> list[dict]:
    """One dict per unit row (first of duplicates, named rows only): known fields plus ``extra`` {header: value}."""
    out, seen = [], set()
    for line, row in enumerate(rows[(m.header_row or 0) + 1:], start=(m.header_row or 0) + 2):
        name = text(_cell(row, m.columns["name"])) if "name" in m.columns else ""
        if not name or name in seen:
            continue
        seen.add(name)
        unit = {key: (text(_cell(row, col)) or None) for key, col in m.columns.items()}
        unit["row"] = line
        if unit.get("email") and not valid_email_cell(unit["email"]):
            unit["email_invalid"] = unit.pop("email")  # never half-used; kept so nothing the office typed is lost
        unit["extra"] = {h: text(_cell(row, i)) for i, h in m.extra if text(_cell(row, i))}
        out.append(unit)
    return out

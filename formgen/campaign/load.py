"""Reading campaign.yaml and units.xlsx, with errors a clerk can act on.

A validation error names the file, the key path and what is expected, in
Chinese: ``campaign.yaml：awards[0].quota.total：应为整数，实际为 "十"``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from formgen.campaign.model import Campaign, Unit
from formgen.errors import ConfigError

# pydantic error type -> what is expected, in Chinese
_EXPECTED = {
    "missing": "缺少此项，必须填写",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为普通数字（不能是 .nan、.inf 这类非数或无穷大）",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每行以“- ”开头）",
    "dict_type": "应为键值表",
    "model_type": "应为键值表",
    "date_type": "应为日期，如 2014-10-10",
    "date_parsing": "应为日期，如 2014-10-10",
    "date_from_datetime_parsing": "应为日期，如 2014-10-10",
    "datetime_type": "应为日期时间，如 2014-10-10 17:00",
    "datetime_parsing": "应为日期时间，如 2014-10-10 17:00",
    "datetime_from_date_parsing": "应为日期时间，如 2014-10-10 17:00",
    "literal_error": "取值不在允许范围内",
    "union_tag_invalid": "type 取值不在允许范围内",
    "union_tag_not_found": "缺少 type（规则类型）",
    "extra_forbidden": "不认识的设置项（请检查拼写）",
    "value_error": "取值不正确",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
}


def _path_parts(path: str) -> list:
    """'awards[0].quota.total' -> ['awards', 0, 'quota', 'total']."""
    import re

    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（顶层）"


def describe_validation_error(file_name: str, err: ValidationError) -> str:
    """The first problem of ``err`` as one Chinese line (plus a count of the rest)."""
    errors = err.errors(include_url=False)
    first = errors[0]
    # Discriminated unions put the tag name in the location; drop it for readability.
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p in _RULE_TAGS))
    expected = _EXPECTED.get(first["type"], "取值不正确")
    if first["type"] == "value_error":
        msg = str(first.get("ctx", {}).get("error", first["msg"]))
        expected = msg.removeprefix("Value error, ")
        if expected.startswith("@") and "：" in expected:  # a cross-reference check names its own key path
            where, expected = expected[1:].split("：", 1)
            loc = tuple(loc) + tuple(_path_parts(where))
    elif first["type"] == "union_tag_invalid":
        tags = str(first.get("ctx", {}).get("expected_tags", "")).replace("'", "")
        expected += f"：“{first.get('ctx', {}).get('tag', '')}”（可选：{tags}）"
    elif first["type"] in ("greater_than_equal", "less_than_equal"):
        bound = first.get("ctx", {}).get("ge" if first["type"] == "greater_than_equal" else "le")
        if bound is not None:
            expected = f"应不{'小' if first['type'] == 'greater_than_equal' else '大'}于 {bound}"
    elif first["type"] == "literal_error":
        expected += f"（可选：{first.get('ctx', {}).get('expected', '')}）"
    got = first.get("input")
    got_text = ""
    if first["type"] not in ("missing",) and not isinstance(got, (dict, list)) and got is not None:
        got_text = f"，实际为 “{got}”"
    more = f"（另有 {len(errors) - 1} 处问题）" if len(errors) > 1 else ""
    return f"{file_name}：{_loc(loc)}：{expected}{got_text}{more}"


_RULE_TAGS = {"judged", "case_deduction", "fixed_deduction", "case_bonus", "threshold_penalty", "bonus_tiers",
              "honor_levels", "counted_bonus", "rating_levels", "proportional",
              "range_deduction"}


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key, line: int, first: int):
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line, self.first = key, line, first


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load that refuses a key written twice in one mapping (YAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise _DuplicateKey(key, key_node.start_mark.line + 1, seen[key])
            except TypeError:  # an unhashable key: the constructor below says so
                continue
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def load_campaign(path: Path, references: bool = True) -> Campaign:
    """campaign.yaml as a Campaign; a mistake is one ConfigError line. ``references``: also stop at the first
    name it uses and does not define (formgen.campaign.references; ``check`` lists them all instead)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"找不到活动配置文件 {path}；请先运行 formgen init 创建工作目录") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} 是一个文件夹，不是活动配置文件；请把这个文件夹改名或移走，"
                          "再放入 campaign.yaml（或运行 formgen init 重新创建工作目录）") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}：不是 UTF-8 编码的文本文件，请用记事本“另存为 UTF-8”后重试") from None
    except OSError as e:
        raise ConfigError(f"无法读取活动配置文件 {path}（{e.strerror or e}）；请检查文件权限") from None
    return load_campaign_text(text, path.name, references)


def load_campaign_text(text: str, name: str = "campaign.yaml", references: bool = True) -> Campaign:
    """The Campaign of campaign.yaml's text; ConfigError naming the line or key path and what is expected."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except _DuplicateKey as e:
        raise ConfigError(f"{name}：第 {e.line} 行“{e.key}”与第 {e.first} 行重复（同一层级的设置项只能写一次），"
                          "请删除或合并其中一处") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise ConfigError(f"{name}：{where}格式有误（YAML 语法错误，常见原因是缩进不齐或冒号后缺空格）") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}：内容应为键值表（如“id: ruian-2014”），请检查文件是否完整")
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as e:
        raise ConfigError(describe_validation_error(name, e)) from None
    if references:
        from formgen.campaign.references import reference_problems

        problems = reference_problems(campaign, name)
        if problems:
            raise ConfigError(problems[0] + ("" if len(problems) == 1 else f"（另有 {len(problems) - 1} 处，运行 formgen check 可全部列出）"))
    return campaign


def load_units(path: Path) -> list[Unit]:
    """units.xlsx: a header row (单位名称, 类别, 联系人, 邮箱, …; below a title is fine) then one unit per row."""
    return read_units(path)[0]


def read_units(path: Path):
    """(units, the header match) of units.xlsx; the match tells ``check`` what was guessed or is wrong."""
    from formgen.campaign.unit_columns import match_columns, unit_rows
    from formgen.campaign.unit_files import read_rows

    if not path.exists():
        raise ConfigError(f"找不到单位名单 {path.name}；请按“单位名称、类别、联系人、邮箱”四列填写后放在工作目录中，"
                          "或用 formgen units import 从单位自己的名单导入")
    if path.is_dir():
        raise ConfigError(f"{path} 是一个文件夹，不是单位名单；请把这个文件夹改名或移走，再放入单位名单 Excel 文件")
    try:
        rows = read_rows(path)
    except ConfigError:
        raise ConfigError(f"{path.name}：无法打开，请确认是 Excel 2007 及以上版本的 .xlsx 文件") from None
    _refuse_uncached_formulas(path, rows)
    if not rows:
        raise ConfigError(f"{path.name}：表格是空的，第一行应为“单位名称、类别、联系人、邮箱”")
    m = match_columns(rows)
    if m.header_row is None or "name" not in m.columns:
        raise ConfigError(f"{path.name}：缺少“单位名称”列（表头应为：单位名称、类别、联系人、邮箱）")
    for line, problem in m.problems:
        if "重复" in problem:
            raise ConfigError(f"{path.name}：第 {line} 行{problem}，请删除其中一行")
    units = []
    for row in unit_rows(rows, m):
        email = row.get("email") or row.get("email_invalid")  # kept as typed; Unit.emails() refuses a bad one
        units.append(Unit(name=row["name"], category=row.get("category"), contact=row.get("contact"),
                          email=email, phone=row.get("phone"), extra=row["extra"], row=row["row"]))
    if not units:
        raise ConfigError(f"{path.name}：没有任何单位，请在表头下一行起逐行填写单位名称")
    return units, m


def _refuse_uncached_formulas(path: Path, values: list[tuple]) -> None:
    """A cell holding a formula whose result was never saved (written by a program, not Excel)
    reads as empty: its row would vanish from the list without a word."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    if not any(v is None for row in values for v in row) or not path.read_bytes()[:2] == b"PK":
        return
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        for r, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            for c, formula in enumerate(row, start=1):
                cached = values[r - 1][c - 1] if r <= len(values) and c <= len(values[r - 1]) else None
                if cached is None and isinstance(formula, str) and formula.startswith("="):
                    raise ConfigError(f"{path.name}：单元格 {get_column_letter(c)}{r} 是公式（{formula[:40]}），"
                                      "但文件中没有保存它的计算结果；请用 Excel 或 WPS 打开后保存一次，或直接填写文字")
    finally:
        wb.close()


def write_units(path: Path, units: list[Unit]) -> None:
    """Write units.xlsx the way a clerk would keep it (header, widths, text cells).

    电话 and the office's extra columns are written only when some unit has them.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from formgen.outputs import write_file
    from formgen.xlsx import set_text

    cols = [("单位名称", 30, lambda u: u.name), ("类别", 12, lambda u: u.category),
            ("联系人", 10, lambda u: u.contact), ("邮箱", 28, lambda u: u.email)]
    if any(u.phone for u in units):
        cols.insert(3, ("电话", 16, lambda u: u.phone))
    for header in dict.fromkeys(h for u in units for h in u.extra):
        cols.append((header, 14, lambda u, h=header: u.extra.get(h)))
    wb = Workbook()
    ws = wb.active
    ws.title = "单位名单"
    for col, (title, width, _) in enumerate(cols, start=1):
        set_text(ws.cell(row=1, column=col), title)
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, u in enumerate(units, start=2):
        for col, (_, _, get) in enumerate(cols, start=1):
            set_text(ws.cell(row=r, column=col), get(u))
    ws.freeze_panes = "A2"
    write_file(path, wb.save)

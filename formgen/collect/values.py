"""A value staff type for a form field (command line or 收件情况.xlsx), read as a returned form's would be."""
from __future__ import annotations

from typing import Any

from formgen.errors import FormgenError
from formgen.forms import FormSpec
from formgen.intake.matcher import typed_value
from formgen.intake.normalize import parse_score

EMPTY = ("", "空", "null")  # what a clerk types to clear a value
_KIND_WORDS = {"integer": "整数", "birth": "出生年月（如 1982-07）", "gender": "“男”或“女”"}


def parse_value(spec: FormSpec, key: str, text: str) -> Any:
    """A corrected value as a returned form would give it (``空`` → None); a clear error when it
    is not of the field's kind, e.g. ``1982年7月`` → ``1982-07`` for a birth field."""
    text = text.strip()
    if text in EMPTY:
        return None
    if key.startswith("items."):
        item = next(i for i in spec.items if f"items.{i.name}" == key)
        try:
            score = parse_score(text)
        except ValueError:
            score = None
        if score is None or not 0 <= score <= item.max:
            raise FormgenError(f"“{text}”不是有效的得分；{item.name} 应为 0 到 {item.max:g} 之间的数字")
        return score
    f = spec.field(key)
    if f.kind not in _KIND_WORDS:
        return text.replace("\\n", "\n")  # a multi-line value typed on the command line
    try:
        value = typed_value(f, text)
    except ValueError:
        value = None
    if value is None:
        raise FormgenError(f"“{text}”不是有效的{f.label}；应为{_KIND_WORDS[f.kind]}")
    return value


def form_value(extracted: dict, key: str) -> Any:
    """The value a form gave for ``key`` ("items.组织宣传" is an item's score)."""
    if key.startswith("items."):
        name = key[len("items."):]
        return next((it.get("score") for it in extracted.get("items") or [] if it["name"] == name), None)
    return (extracted.get("fields") or {}).get(key)


def show_value(value: Any, empty: str = "空") -> str:
    """A value as staff read it: 15.0 → "15", None → ``empty``."""
    if value is None:
        return empty
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def same_value(a: Any, b: Any) -> bool:
    """Equal as numbers, or as text up to white space."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return show_value(a).split() == show_value(b).split()

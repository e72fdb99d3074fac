"""Per-form checks of an extracted form: what the office must chase before scoring.

Errors: a required field is empty, a value has the wrong shape (gender,
birth, headcount), a score is not a number or outside 0..max.
Warnings: a long text far from the length the notice asks for; a number outside its field's range
(campaign.yaml ``range``, else its kind's), naming the range used — read by OCR, said as an OCR doubt.
"""
from __future__ import annotations

import re

from formgen.forms import FormSpec
from formgen.intake.normalize import count_chars
from formgen.intake.result import ExtractResult
from formgen.intake.review import REVIEW

_BIRTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
# A text within this share of its target length is fine ("500字左右").
TOO_SHORT = 0.6
TOO_LONG = 2.0


def _out_of_range(f, value) -> bool:
    bounds = f.value_range()
    if bounds is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    lo, hi, _ = bounds
    return (lo is not None and value < lo) or (hi is not None and value > hi)


def _label(spec: FormSpec, key: str) -> str:
    try:
        return spec.field(key).label
    except KeyError:
        return key


def validate(result: ExtractResult, spec: FormSpec) -> None:
    """Append the problems of ``result`` (read as ``spec``) to ``result.problems``."""
    already = {(p.field, p.severity) for p in result.problems}
    for f in spec.fields:
        value = result.fields.get(f.key)
        if value is None:
            if f.required and (f.key, "error") not in already:
                result.error(f.key, f"“{f.label}”未填写")
            continue
        if f.kind == "gender" and value not in ("男", "女"):
            result.error(f.key, f"“{f.label}”应为“男”或“女”，表中填的是“{value}”")
        elif f.kind == "birth" and not (isinstance(value, str) and _BIRTH.match(value)):
            result.error(f.key, f"“{f.label}”无法识别为年月（表中填的是“{value}”），请核对")
        elif f.kind == "choice" and f.choices and value not in f.choices:
            result.error(f.key, f"“{f.label}”应勾选{'、'.join(f.choices)}中的一项，表中是“{value}”，请核对")
        elif f.kind == "integer" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            result.error(f.key, f"“{f.label}”应为整数，表中填的是“{value}”")
        elif f.kind == "percent" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            result.error(f.key, f"“{f.label}”应为百分比（如 96.5%），表中填的是“{value}”")
        elif _out_of_range(f, value):
            where = f.value_range()[2]
            ocr = result.provenance.get(f.key)
            doubt = REVIEW if ocr is not None and ocr.method == "ocr" else ""
            shown = value if isinstance(value, int) else f"{value:g}"
            result.warn(f.key, f"{doubt}“{f.label}”为 {shown}，不在{where}内，请对照原件核对")
        elif f.max_chars and isinstance(value, str) and count_chars(value) > f.max_chars:
            result.error(f.key, f"{f.label}有 {count_chars(value)} 字，超过通知规定的 {f.max_chars} 字上限，请单位压缩后重报")
        elif f.target_chars and isinstance(value, str):
            n = count_chars(value)
            if n < f.target_chars * TOO_SHORT:
                result.warn(f.key, f"{f.label}仅 {n} 字，通知要求 {f.target_chars} 字左右")
            elif n > f.target_chars * TOO_LONG:
                result.warn(f.key, f"{f.label}有 {n} 字，通知要求 {f.target_chars} 字左右")
    for item in result.items:
        key = f"items.{item['name']}"
        score = item.get("score")
        if score is None:
            if (key, "error") not in already:
                result.error(key, f"“{item['name']}”的得分未填写")
            continue
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            result.error(key, f"“{item['name']}”的得分“{score}”不是数字")
        elif not 0 <= score <= item["max"]:
            result.error(key, f"“{item['name']}”的得分 {score:g} 超出范围（0–{item['max']:g} 分）")

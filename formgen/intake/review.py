"""Values read by OCR that need a human look: never a silently wrong value.

Every OCR value carries the recogniser's confidence (``ExtractResult.provenance``).
After matching and validation, ``flag_for_review`` names (as a ``problems`` entry
on the field) every OCR value that

* was read with a confidence below ``CONFIDENCE_BAR``;
* fails its field's own check: a name that is not a name, a 政治面貌 / 文化程度 not
  among the usual ones, another field's label inside the value, a score that is no whole or half point (a score above the item's maximum
  and an impossible date are errors of ``validate`` already);
* is an item score of a sheet whose items do not add up to its own 合计.

The staff confirm or correct flagged values in 收件情况.xlsx; the crop of the
cell each one was read from travels with the result (``ExtractResult.crops``,
PNG bytes, ``cell_crop``) so the workbook can show it next to the value.
"""
from __future__ import annotations

import re

from formgen.forms import FormSpec
from formgen.intake.grid import GridDocument
from formgen.intake.matcher import TOTAL_ROWS
from formgen.intake.normalize import label_key, parse_score
from formgen.intake.result import ExtractResult

CONFIDENCE_BAR = 0.90  # below: the recogniser itself was unsure of some character
REVIEW = "需人工核对（OCR 识别存疑）："

_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}$")
POLITICAL = {"中共党员", "中共预备党员", "共青团员", "群众", "民革党员", "民盟盟员", "民建会员", "民进会员",
             "农工党党员", "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "无党派", "党员", "团员"}
EDUCATION = {"博士研究生", "硕士研究生", "研究生", "博士", "硕士", "大学本科", "本科", "大学专科", "大专", "专科",
             "中专", "中等专科", "高中", "职高", "初中", "大学", "在职研究生", "在职本科", "在职大专",
             "研究生学历", "本科学历", "大专学历", "中央党校研究生", "中央党校本科", "中央党校大专", "省委党校研究生",
             "省委党校本科", "省委党校大专"}


def flag_for_review(result: ExtractResult, spec: FormSpec, doc: GridDocument) -> None:
    """Append a warning naming every OCR value of ``result`` that a person must check."""
    if doc.method != "ocr":
        return
    flagged: set[str] = {p.field for p in result.problems if p.field}
    labels = {label_key(lab) for f in spec.fields for lab in f.all_labels if len(label_key(lab)) >= 2}

    def flag(key: str, why: str) -> None:
        if key not in flagged:
            flagged.add(key)
            result.warn(key, REVIEW + why)

    for f in spec.fields:
        value = result.fields.get(f.key)
        src = result.provenance.get(f.key)
        if value is None or src is None or src.method == "tagged":
            continue
        if src.confidence is not None and src.confidence < CONFIDENCE_BAR:
            flag(f.key, f"“{f.label}”识别可信度低（{src.confidence:.2f}），请对照原件确认“{_short(value)}”")
            continue
        why = field_check(f.key, f.kind, value, labels - {label_key(lab) for lab in f.all_labels})
        if why:
            flag(f.key, f"“{f.label}”{why}，请对照原件确认")
    for item in result.items:
        key = f"items.{item['name']}"
        src = result.provenance.get(key)
        score = item.get("score")
        if score is None or src is None or src.method == "tagged":
            continue
        if src.confidence is not None and src.confidence < CONFIDENCE_BAR:
            flag(key, f"“{item['name']}”得分识别可信度低（{src.confidence:.2f}），请对照原件确认 {score:g} 分")
        elif isinstance(score, (int, float)) and (score * 2) % 1:
            flag(key, f"“{item['name']}”得分 {score:g} 不是整分或半分，请对照原件确认")
    total = sheet_total(doc)
    scores = [it.get("score") for it in result.items]
    if total is not None and scores and all(isinstance(s, (int, float)) for s in scores):
        if abs(sum(scores) - total) > 1e-6:
            msg = f"各项得分之和 {sum(scores):g} 与表中合计 {total:g} 不符，请对照原件核对各项得分"
            result.warn(None, msg)
            for item in result.items:
                flag(f"items.{item['name']}", msg)
    for key in flagged:
        src = result.provenance.get(key)
        png = cell_crop(doc, src.where) if src is not None else None
        if png is not None:
            result.crops[key] = png


CROP_MARGIN_PT = 3.0
CROP_MAX_PX = 600


def cell_crop(doc: GridDocument, where: str) -> bytes | None:
    """PNG of the table cell a value was read from (``where`` as in its provenance), from
    the page image the OCR reader kept; None when there is no such cell or image."""
    cell = next((c for t in doc.tables for c in t.cells if c.where == where and c.box), None)
    if cell is None or cell.page not in doc.page_images:
        return None
    try:
        import cv2
    except ImportError:
        return None
    image, px_per_pt = doc.page_images[cell.page]
    x0, y0, x1, y1 = cell.box
    h, w = image.shape[:2]
    a, b = max(0, int((x0 - CROP_MARGIN_PT) * px_per_pt)), max(0, int((y0 - CROP_MARGIN_PT) * px_per_pt))
    c, d = min(w, int((x1 + CROP_MARGIN_PT) * px_per_pt) + 1), min(h, int((y1 + CROP_MARGIN_PT) * px_per_pt) + 1)
    if c - a < 4 or d - b < 4:
        return None
    crop = image[b:d, a:c]
    f = min(1.0, CROP_MAX_PX / max(crop.shape))  # a long text's cell: enough to read, no more
    if f < 1:
        crop = cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".png", crop)
    return buf.tobytes() if ok else None


def _short(value) -> str:
    s = str(value).replace("\n", " ")
    return s if len(s) <= 20 else s[:19] + "…"


def field_check(key: str, kind: str, value, other_labels: set[str]) -> str | None:
    """Why a value read by OCR looks wrong for its field (Chinese), or None.

    >>> field_check("name", "text", "-林昇", set())
    '不像是人名（“-林昇”）'
    >>> field_check("political", "text", "中共党员", set()) is None
    True
    """
    if kind in ("integer", "percent"):  # its range is the field's, checked by validate for every reader
        return None
    if not isinstance(value, str):
        return None
    compact = re.sub(r"\s+", "", value)
    if key == "name" and not _NAME.match(compact):
        return f"不像是人名（“{_short(value)}”）"
    if key == "political" and compact not in POLITICAL:
        return f"“{_short(value)}”不是常见的政治面貌"
    if key == "education" and compact not in EDUCATION:
        return f"“{_short(value)}”不是常见的文化程度"
    if kind != "multiline":
        for lab in other_labels:
            if lab in compact:
                return f"中混入了其他栏目的文字“{lab}”"
    return None


def sheet_total(doc: GridDocument) -> float | None:
    """The number in the last cell of a score sheet's 合计 / 总分 row (the score column), or
    None when there is no such row or that cell is empty (the 分值 column's 100 is no total
    of the unit's scores)."""
    for t in doc.tables:
        for row in t.rows():
            if len(row) < 2 or not any(label_key(c.text) in TOTAL_ROWS for c in row[:-1]):
                continue
            try:
                return parse_score(row[-1].text)
            except ValueError:
                return None
    return None

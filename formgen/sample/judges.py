"""``fill_panel``: judges score the nominees in the workbooks ``formgen panel`` wrote.

Each judge opens their 评委_<姓名>.xlsx, reads the unit's grey self-assessment
next to each white score cell and writes a score near it: most judges a little
lower (the self-assessment is generous), some items the same, never above the
item's maximum nor below its floor. One judge abstains for the nominee of the
unit they come from (回避) and says so in 备注; a few rows get a remark. The
filled copies are saved in out/panel/returned/ under the names judges give them.

The cells are found only through the very hidden ``_formgen`` sheet that
formgen.scoring.panel writes (its layout: "meta" rows, then per award a
"sheet" row with the sheet name, header and first row, key/备注 columns, and
"item" rows with each item's score column, floor, maximum and kind), plus the
hidden key column of each row — exactly what read_panel trusts.
"""
from __future__ import annotations

import random
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from formgen.scoring.panel import ANCHOR_SHEET

REMARKS = ["台账齐全，资料规范", "实地查看，服务规范", "群众评价较好", "创新举措有特色", "事迹材料较扎实",
           "部分台账不够完整", "窗口标识不够醒目"]


def _anchor_rows(ws):
    meta, sheets, items = {}, {}, {}
    for row in ws.iter_rows(values_only=True):
        kind = row[0] if row else None
        if kind == "meta":
            meta[row[1]] = row[2]
        elif kind == "sheet":
            sheets[row[1]] = {"title": row[2], "header_row": int(row[3]), "first_row": int(row[4]), "key_col": row[5],
                              "note_col": row[6]}
            items[row[1]] = []
        elif kind == "item" and row[1] in items:
            items[row[1]].append({"name": row[2], "col": row[3], "low": float(row[4]), "high": float(row[5]),
                                  "kind": row[6]})
    return meta, sheets, items


def _half(x: float) -> float:
    return round(x * 2) / 2


def judge_score(rng: random.Random, own, low: float, high: float, kind: str, strictness: float) -> float:
    """A judge's score for one item given the unit's self-assessment ``own`` (None when empty)."""
    if kind == "deduction":
        return rng.choice([0, 0, 0, 0.5, 1.0])
    base = float(own) if isinstance(own, (int, float)) and not isinstance(own, bool) else high * 0.9
    score = base * strictness - rng.choice([0, 0, 0.5, 0.5, 1.0]) * (high / 20)
    if rng.random() < 0.2:
        score = base  # agrees with the unit
    return min(high, max(low, _half(score)))


def _number(x: float):
    return int(x) if float(x).is_integer() else x


def fill_panel(workspace, paths: list[Path], rng_seed: int = 2014) -> list[Path]:
    """Fill every judge's workbook in ``paths``; returns the copies saved in out/panel/returned/."""
    returned = workspace.out_dir("panel") / "returned"
    returned.mkdir(parents=True, exist_ok=True)
    out = []
    for n, path in enumerate(sorted(Path(p) for p in paths)):
        wb = load_workbook(path)
        if ANCHOR_SHEET not in wb.sheetnames:
            continue  # not a formgen panel workbook
        meta, sheets, items = _anchor_rows(wb[ANCHOR_SHEET])
        judge = str(meta.get("judge") or path.stem)
        rng = random.Random(f"{rng_seed}:{judge}")
        strictness = rng.uniform(0.9, 0.99)
        abstain_row = None
        for award_id, sheet in sheets.items():
            ws = wb[sheet["title"]]
            key_col = column_index_from_string(sheet["key_col"])
            note_col = column_index_from_string(sheet["note_col"])
            rows = [r for r in range(sheet["first_row"], ws.max_row + 1) if ws.cell(r, key_col).value]
            if n == 0 and rows and abstain_row is None:
                abstain_row = (award_id, rng.choice(rows))  # the first judge's own unit
            for r in rows:
                if abstain_row == (award_id, r):
                    ws.cell(r, note_col).value = "回避（本单位推荐）"
                    continue
                for item in items[award_id]:
                    col = column_index_from_string(item["col"])
                    # the grey 自评 cell left of the score cell, when the sub-header says so
                    shows_own = ws.cell(sheet["header_row"] + 1, col - 1).value == "自评"
                    own = ws.cell(r, col - 1).value if shows_own else None
                    score = judge_score(rng, own, item["low"], item["high"], item["kind"], strictness)
                    ws.cell(r, col).value = _number(score)
                if rng.random() < 0.15:
                    ws.cell(r, note_col).value = rng.choice(REMARKS)
        target = returned / f"{path.stem}（已评）{path.suffix}"
        wb.save(target)
        out.append(target)
    return out

"""The test inputs the repository owns (tests/data/) and their golden outputs.

``returns/`` holds what three ruian-2014 units send back (made by
``tests/data/make_inputs.py`` from formgen's own sample); ``expected/`` holds
the golden output of each, compared by :func:`verify_golden` and rewritten with
``pytest --regen-golden`` (or ``FORMGEN_REGEN=1``), as Docling's verify_export does.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).parent / "data"
RETURNS = DATA / "returns"
EXPECTED = DATA / "expected"

# What the units are and what each of their files is (see tests/data/make_inputs.py).
DONGSHAN_APP = "东山街道勤廉标兵申报表.docx"  # anchored: typed into the issued blank
DONGSHAN_NOM = "东山街道十大效能示范岗推荐表.docx"
DONGSHAN_POST_SCORE = "东山街道示范岗评分表.docx"
DONGSHAN_CAND_SCORE = "东山街道勤廉标兵评分表.docx"
DONGSHAN_DEEDS = "东山街道-郑丽娜同志详细事迹材料.docx"
YUHAI_APP = "玉海街道勤廉标兵申报表.docx"  # retyped in the unit's own layout: no anchors
YUHAI_NOM = "玉海街道十大效能示范岗推荐表.docx"
YUHAI_POST_SCORE = "玉海街道示范岗评分表.docx"
YUHAI_CAND_SCORE = "玉海街道勤廉标兵自评表.docx"
TAX_PDF = "市地方税务局示范岗评分表.pdf"  # Word → PDF with a text layer, two pages
SCAN = "东山街道勤廉标兵评分表（扫描件）.jpg"  # image only: needs OCR
# Revised forms printed to PDF, a table row cut by the page break (make_inputs.page_break_pdfs):
REVISED_APP = "东山街道勤廉标兵申报表（修改稿）.pdf"  # 主要事迹 goes on over the page, no header row
REVISED_SCORE = "玉海街道示范岗评分表（修改稿）.pdf"  # 依法行政 goes on below the repeated header
# The paragraph of 主要事迹 that the revised application adds to the one 东山街道 typed (DONGSHAN_APP).
MORE_DEEDS = ("\u3000\u3000她还牵头建立“网格连心”工作机制，把辖区划分为12个网格，每个网格明确一名联络员，"
              "做到小事不出网格、大事不出街道。群众反映的问题，她坚持当天登记、三天回复、一周办结，"
              "一年来办结率达到百分之百，群众满意率连续三个季度位居全市前列。")

# When the files arrive in the shared workspaces: before the 2014-10-10 deadline (China time).
ARRIVED = datetime(2014, 9, 20, 9, 0)


def returned(name: str) -> bytes:
    """The bytes of one returned file in tests/data/returns/."""
    return (RETURNS / name).read_bytes()


def regen_requested(config=None) -> bool:
    return bool(config is not None and config.getoption("--regen-golden", default=False)) or \
        os.environ.get("FORMGEN_REGEN") == "1"


def verify_golden(name: str, actual, regen: bool) -> None:
    """``actual`` (JSON-able) equals tests/data/expected/``name``; with ``regen`` the golden is rewritten instead."""
    path = EXPECTED / name
    text = json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if regen:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden {path.relative_to(DATA.parent)}: run pytest --regen-golden once and review it"
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), \
        f"{name} differs from its golden; if the change is intended, run pytest --regen-golden and review the diff"


def golden(name: str) -> dict:
    """A golden extract result (tests/data/expected/<stem>.json) of a returned file."""
    return json.loads((EXPECTED / (Path(name).stem + ".json")).read_text(encoding="utf-8"))


LONG_FIELDS = {"resume", "honors", "deeds", "duties", "practices", "recommender_opinion", "party_opinion"}


def form_misses(expected: dict, got: dict, long_ratio: float = 0.97) -> list[str]:
    """Where extract JSON ``got`` differs from ``expected``, by the shared corpus scorer's rules: form type
    equal, short fields equal without whitespace, long texts by difflib ratio ≥ ``long_ratio``, scores equal."""
    import difflib
    import re

    def flat(v):
        return None if v is None else re.sub(r"\s+", "", str(v))

    misses = [] if got.get("form_type") == expected["form_type"] else [f"form_type {got.get('form_type')}"]
    for key, want in expected["fields"].items():
        have = (got.get("fields") or {}).get(key)
        if key in LONG_FIELDS and want and have:
            if difflib.SequenceMatcher(None, flat(want), flat(have)).ratio() < long_ratio:
                misses.append(key)
        elif flat(want) != flat(have):
            misses.append(f"{key}: {have!r} ≠ {want!r}")
    want_scores = [i["score"] for i in expected.get("items", [])]
    have_scores = [i["score"] for i in got.get("items", [])]
    if want_scores != have_scores:
        misses.append(f"scores {have_scores} ≠ {want_scores}")
    return misses

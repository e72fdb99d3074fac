"""``formgen extract --json`` over the returned files the repository owns, against golden outputs.

The goldens (tests/data/expected/) catch any change in what intake reads; refresh them with
``pytest --regen-golden`` and review the diff. Separately, a few values are checked against
what the units typed (formgen/sample/people.yaml, read by hand), so a golden can never make a
wrong reading look right.
"""
from __future__ import annotations

import copy
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from testdata import (DONGSHAN_APP, DONGSHAN_CAND_SCORE, DONGSHAN_DEEDS, DONGSHAN_NOM, DONGSHAN_POST_SCORE, RETURNS,
                      REVISED_APP, REVISED_SCORE, SCAN, TAX_PDF, YUHAI_APP, YUHAI_CAND_SCORE, YUHAI_NOM, YUHAI_POST_SCORE,
                      verify_golden)

HAS_OCR = importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("cv2") is not None
needs_ocr = [pytest.mark.ocr, pytest.mark.skipif(not HAS_OCR, reason="the [ocr] extra is not installed")]

FILES = [DONGSHAN_APP, DONGSHAN_NOM, DONGSHAN_POST_SCORE, DONGSHAN_CAND_SCORE, DONGSHAN_DEEDS,
         YUHAI_APP, YUHAI_NOM, YUHAI_POST_SCORE, YUHAI_CAND_SCORE, TAX_PDF, REVISED_APP, REVISED_SCORE,
         pytest.param(SCAN, marks=needs_ocr)]


def extract_json(name: str) -> dict:
    return copy.deepcopy(_extract_json(name))


@lru_cache(maxsize=None)  # each file is read once per run (the scan takes OCR seconds)
def _extract_json(name: str) -> dict:
    res = CliRunner().invoke(cli, ["extract", str(RETURNS / name), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    data["file"] = name  # the path the test ran from is no part of the result
    return data


@pytest.mark.parametrize("name", FILES)
def test_extract_matches_golden(name, regen_golden):
    verify_golden(Path(name).stem + ".json", extract_json(name), regen_golden)


def test_a_changed_reading_fails_against_its_golden():
    changed = extract_json(DONGSHAN_APP)
    changed["fields"]["birth"] = "1985-03"
    with pytest.raises(AssertionError, match="--regen-golden"):
        verify_golden(Path(DONGSHAN_APP).stem + ".json", changed, regen=False)


def test_the_returns_cover_every_route_intake_reads():
    """Every file in tests/data/returns/ has a golden case above (a new input needs its golden)."""
    named = {p.values[0] if hasattr(p, "values") else p for p in FILES}
    assert named == {p.name for p in RETURNS.iterdir()}


# --------------------------------------------------------------------------- what the units typed

def test_anchored_application_reads_what_was_typed():
    d = extract_json(DONGSHAN_APP)
    assert (d["form_type"], d["method"]) == ("candidate_application", "tagged")
    f = d["fields"]
    assert (f["name"], f["gender"], f["birth"], f["education"]) == ("郑丽娜", "女", "1985-02", "硕士研究生")
    assert f["unit_title"] == "东山街道办事处综治办副主任"
    assert f["honors"] == "2013年度瑞安市“三八红旗手”"


def test_retyped_application_is_read_by_its_labels():
    d = extract_json(YUHAI_APP)
    assert (d["form_type"], d["method"]) == ("candidate_application", "labels")
    assert (d["fields"]["name"], d["fields"]["birth"], d["fields"]["education"]) == ("陈素芬", "1972-11", "大专")


@pytest.mark.parametrize("name, scores", [
    (DONGSHAN_POST_SCORE, [9, 14, 15, 15, 25, 18.5]),
    (DONGSHAN_CAND_SCORE, [20, 19.5, 19, 19.5, 17]),
    (YUHAI_POST_SCORE, [10, 14.5, 15, 15, 24.5, 19]),
    (YUHAI_CAND_SCORE, [20, 20, 19, 19.5, 9.5]),
    (REVISED_SCORE, [10, 14.5, 15, 15, 24.5, 19]),  # YUHAI_POST_SCORE printed, 依法行政 cut by the page break
])
def test_self_assessed_scores_as_typed(name, scores):
    assert [i["score"] for i in extract_json(name)["items"]] == scores


def test_two_page_pdf_score_sheet_reads_every_item():
    """管理制度 ends page 1 and 工作作风 starts page 2, below the repeated header."""
    d = extract_json(TAX_PDF)
    assert [i["score"] for i in d["items"]] == [9, 13.5, 15, 15, 25, 20]


@pytest.mark.ocr
@pytest.mark.skipif(not HAS_OCR, reason="the [ocr] extra is not installed")
def test_scanned_score_sheet_reads_every_item():
    d = extract_json(SCAN)
    assert d["form_type"] == "candidate_score_sheet"
    assert [i["score"] for i in d["items"]] == [20, 19.5, 19, 19.5, 17]

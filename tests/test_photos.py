"""Phone photos of returned forms (formgen.intake.readers.page_finder + the OCR reader).

The photos in tests/data/photo/ were made by bench/photo_maker.py from the corpus scan of a
one-page 申报表 (its expected values in expected.json); ``pytest --regen-golden`` (or
FORMGEN_REGEN=1) makes them again when the shared corpus is there. Page finding, flattening and
the bad-photo checks are tested on synthetic pages (fast); three photos are read by OCR
(sideways .jpg, upside-down .heic, one public corpus photo).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.errors import InputFileError
from formgen.intake.extract import extract_path
from corpus_helpers import CORPUS, load_scorer, needs_corpus, truth

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(importlib.util.find_spec("rapidocr") is None or importlib.util.find_spec("cv2") is None,
                       reason="the [ocr] extra (rapidocr, opencv) is not installed"),
]

DATA = Path(__file__).parent / "data" / "photo"
BENCH = Path(__file__).parents[1] / "bench"
SOURCE = "scan/市民政局勤廉标兵申报表.pdf"  # the page the stored photos show
BAD = {  # file → (kind of InputFileError, words its message must hold)
    "太暗.jpg": ("photo_too_dark", "太暗"),
    "模糊.jpg": ("photo_too_blurred", "模糊"),
    "屏幕.jpg": ("photo_screen", "屏幕"),
    "半页.jpg": ("photo_half_page", "整页在画面内"),
    "杂物.jpg": ("photo_not_a_form", "没有找到表格"),
}


def _maker():
    sys.path.insert(0, str(BENCH))
    import photo_maker

    return photo_maker


def _regenerate() -> None:
    """tests/data/photo/ from the corpus scan (deterministic seeds)."""
    import numpy as np
    import pillow_heif
    import pypdfium2 as pdfium
    from PIL import Image

    pm = _maker()
    pdf = pdfium.PdfDocument(str(CORPUS / SOURCE))
    page = np.asarray(pdf[0].render(scale=200 / 72).to_pil().convert("RGB"))
    pdf.close()
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "侧放.jpg").write_bytes(pm.make_photo(page, 11, long_side=2400, quality=80, rotate90=1))
    pillow_heif.register_heif_opener()
    upside = pm.decode(pm.make_photo(page, 12, long_side=2400, quality=90, rotate90=2))
    Image.fromarray(upside).save(DATA / "倒置.heic", quality=70)
    base = pm.make_photo(page, 13, long_side=1400, quality=80)
    for name, how in (("太暗.jpg", "dark"), ("模糊.jpg", "blurred"), ("屏幕.jpg", "screen"), ("半页.jpg", "half")):
        (DATA / name).write_bytes(pm.spoil(base, how, 13))
    (DATA / "杂物.jpg").write_bytes(pm.not_a_form(14, (1050, 1400)))
    entry = next(e for e in truth({"scan"}) if e["file"] == SOURCE)
    (DATA / "expected.json").write_text(json.dumps(entry, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def photo_data(regen_golden):
    if regen_golden:
        if not (CORPUS / SOURCE).exists():
            pytest.skip("regenerating the photos needs the shared corpus")
        _regenerate()
    return DATA


def _expected() -> dict:
    return json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def _score(entry: dict, got: dict):
    """(correct, total, misses, silent_wrong) by the corpus scorer (photo threshold)."""
    if not (CORPUS.parent / "tools" / "score_corpus.py").exists():
        pytest.skip("the corpus scorer (shared/tools) is absent")
    scorer = load_scorer()
    c, t, m = scorer.compare_form(entry, got, scorer.THRESHOLD["photo"])
    return c, t, m, scorer.silent_wrong(got, m, entry)


# ---------------------------------------------------------------------------------------------
# page finding on a synthetic page (no OCR)
# ---------------------------------------------------------------------------------------------

def _ruled_page():
    """An A4 page at 100 dpi (827×1170) with a ruled table: rulings at known places."""
    import cv2
    import numpy as np

    page = np.full((1170, 827, 3), 255, np.uint8)
    ys, xs = list(range(200, 1000, 100)), [100, 300, 500, 727]
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), (0, 0, 0), 2)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), (0, 0, 0), 2)
    for y in ys[:-1]:
        cv2.putText(page, "Ab 12", (xs[1] + 20, y + 60), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.putText(page, "FORM TITLE", (250, 130), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
    return page, xs, ys


def _rulings(gray):
    """Centres of the long dark rows and columns of a flattened page."""
    import numpy as np

    dark = gray < 128
    rows = np.flatnonzero(dark.sum(axis=1) > 0.5 * gray.shape[1] * 0.7)
    cols = np.flatnonzero(dark.sum(axis=0) > 0.5 * gray.shape[0] * 0.55)

    def centres(idx):
        groups, cur = [], [idx[0]] if len(idx) else []
        for i in idx[1:]:
            if i - cur[-1] <= 3:
                cur.append(i)
            else:
                groups.append(sum(cur) / len(cur))
                cur = [i]
        if cur:
            groups.append(sum(cur) / len(cur))
        return groups

    return centres(rows), centres(cols)


@pytest.mark.parametrize("seed", [1, 2])
def test_find_page_and_rectify_put_the_rulings_back_where_the_page_has_them(seed):
    import cv2

    from formgen.intake.readers import page_finder as pf

    page, xs, ys = _ruled_page()
    pm = _maker()
    photo = pm.decode(pm.make_photo(page, seed, long_side=1500))
    assert pf.looks_like_photo(photo)
    fit = pf.find_page(photo)
    assert fit.how == "paper" and not fit.landscape
    flat = pf.even_light(pf.rectify(photo, fit, (827, 1170)))
    assert flat.shape == (1170, 827, 3)
    gray = cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY)
    rows, cols = _rulings(gray)
    assert len(rows) == len(ys) and len(cols) == len(xs), (rows, cols)
    assert max(abs(a - b) for a, b in zip(rows, ys)) < 6  # 6 px at 100 dpi = 1.5 mm
    assert max(abs(a - b) for a, b in zip(cols, xs)) < 6
    # The light is even again and the warm tint gone: the paper is white and neutral.
    paper = flat[40:160, 40:780].reshape(-1, 3).astype(int)
    assert paper.mean() > 235 and abs(paper[:, 0].mean() - paper[:, 2].mean()) < 6


def test_a_scan_is_not_taken_for_a_photo_and_keeps_its_path():
    import numpy as np

    from formgen.intake.readers import page_finder as pf
    from formgen.intake.readers.ocr_reader import flatten_photo
    from formgen.intake.result import SourceFile

    page, _, _ = _ruled_page()
    rng = np.random.default_rng(0)
    scan = np.clip(page.astype(int) - rng.integers(0, 12, page.shape), 0, 255).astype(np.uint8)
    assert not pf.looks_like_photo(scan)
    out, dpi = flatten_photo(SourceFile("扫描.png", b""), scan, 100.0)
    assert out is scan and dpi == 100.0


def test_the_form_frame_is_the_page_when_the_paper_fills_the_picture():
    """A close-up: no desk, no paper edge; the table's outer ruling is found instead."""
    import cv2
    import numpy as np

    from formgen.intake.readers import page_finder as pf

    page, xs, ys = _ruled_page()
    h, w = page.shape[:2]
    src = np.float32([[60, 150], [w - 60, 150], [w - 60, h - 120], [60, h - 120]])
    dst = np.float32([[0, 0], [w - 10, 25], [w - 30, h - 10], [10, h - 30]])
    shot = cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(255, 255, 255))
    fit = pf.find_page(shot)
    assert fit.how == "ruling"
    flat = pf.rectify(shot, fit, fit.size_px(100))
    rows, cols = _rulings(cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY))
    assert len(cols) == len(xs) and len(rows) == len(ys)
    # Rulings evenly spaced again (the perspective is gone).
    gaps = np.diff(rows)
    assert gaps.max() - gaps.min() < 6


# ---------------------------------------------------------------------------------------------
# bad photos: one Chinese line naming the file, what is wrong and what to do
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_photo_is_refused_with_one_chinese_line(photo_data, name):
    kind, words = BAD[name]
    with pytest.raises(InputFileError) as e:
        extract_path(photo_data / name)
    msg = str(e.value)
    assert e.value.kind == kind, msg
    assert "\n" not in msg and msg.startswith(name + "：") and words in msg and "请" in msg


def test_cli_refuses_a_bad_photo_in_one_line_without_traceback(photo_data):
    res = CliRunner().invoke(cli, ["extract", str(photo_data / "屏幕.jpg"), "--json"])
    assert res.exit_code > 0 and "Traceback" not in res.output
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "屏幕.jpg" in lines[0] and "摩尔纹" in lines[0]


def test_a_bad_photo_in_a_zip_does_not_stop_the_others(photo_data, tmp_path):
    import zipfile

    z = tmp_path / "照片.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(photo_data / "太暗.jpg", "太暗.jpg")
        zf.write(photo_data / "杂物.jpg", "杂物.jpg")
    results = extract_path(z)
    assert len(results) == 2 and all(r.form_type is None and r.problems for r in results)
    assert {r.error_kind for r in results} == {"photo_too_dark", "photo_not_a_form"}


# ---------------------------------------------------------------------------------------------
# photos read by OCR
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["侧放.jpg", "倒置.heic"])
def test_a_sideways_or_upside_down_photo_reads_like_the_scan(photo_data, name):
    [r] = extract_path(photo_data / name)
    got = r.to_json()
    assert got["method"] == "ocr" and got["form_type"] == "candidate_application"
    correct, total, misses, silent = _score(_expected(), got)
    assert correct >= 0.97 * total, misses
    assert silent == 0, misses


@needs_corpus
def test_a_public_corpus_photo_pdf_scores_97_percent_and_nothing_wrong_unflagged():
    entry = next(e for e in truth({"photo"}) if e["file"] == "photo/市民政局“十大效能示范岗”推荐表.pdf")
    [r] = extract_path(CORPUS / entry["file"])
    got = r.to_json()
    correct, total, misses, silent = _score(entry, got)
    assert correct >= 0.97 * total and silent == 0, misses


# ---------------------------------------------------------------------------------------------
# values that need a human look
# ---------------------------------------------------------------------------------------------

def _ocr_result(fields=None, items=None, conf=0.99):
    from formgen.intake.result import ExtractResult, ValueSource

    r = ExtractResult(file="x.jpg", form_type="t", method="ocr", fields=dict(fields or {}), items=list(items or []))
    for k in r.fields:
        r.provenance[k] = ValueSource("第1页 表1 第1行第2列", "labels", conf)
    for it in r.items:
        r.provenance[f"items.{it['name']}"] = ValueSource("第1页 表1 第2行第3列", "labels", conf)
    return r


def _doc(rows, method="ocr"):
    from formgen.intake.grid import Cell, GridDocument, Table

    cells = [Cell(text, r, c) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return GridDocument("x.jpg", [Table(cells)], method=method)


def _spec(name):
    from formgen.forms import builtin_forms

    return next(f for f in builtin_forms() if f.type == name)


def test_wrong_looking_ocr_values_are_flagged_and_right_ones_are_not():
    from formgen.intake.review import flag_for_review

    r = _ocr_result({"name": "-林昇", "gender": "男", "political": "中共党员学历", "education": "大学本科",
                     "unit_title": "市民政局社会救助科副科长"})
    flag_for_review(r, _spec("candidate_application"), _doc([["姓名", "-林昇"]]))
    named = {p.field for p in r.problems}
    assert named == {"name", "political"}
    assert all(p.severity == "warning" and p.message.startswith("需人工核对") for p in r.problems)


def test_low_confidence_values_are_flagged_with_the_confidence():
    from formgen.intake.review import flag_for_review

    r = _ocr_result({"name": "林昇", "gender": "男"}, conf=0.62)
    flag_for_review(r, _spec("candidate_application"), _doc([["姓名", "林昇"]]))
    assert {p.field for p in r.problems} == {"name", "gender"} and "0.62" in r.problems[0].message


def test_items_that_do_not_add_up_to_the_sheets_total_are_all_flagged():
    from formgen.intake.review import flag_for_review, sheet_total

    items = [{"name": "政治坚定", "max": 20, "score": 19.5}, {"name": "作风优良", "max": 20, "score": 18},
             {"name": "爱岗敬业", "max": 20, "score": 18}, {"name": "廉洁自律", "max": 20, "score": 19},
             {"name": "加分项目", "max": 20, "score": 15}]
    rows = [["项目", "分值", "得分"], *[[i["name"], "20", str(i["score"])] for i in items], ["合计", "100", "85"]]
    assert sheet_total(_doc(rows)) == 85  # the score column's total, not the 分值 column's 100
    r = _ocr_result(items=items)
    flag_for_review(r, _spec("candidate_score_sheet"), _doc(rows))
    assert {p.field for p in r.problems} == {None} | {f"items.{i['name']}" for i in items}
    assert any("89.5" in p.message and "85" in p.message for p in r.problems)
    # The same sheet adding up: nothing to look at.
    rows[-1][-1] = "89.5"
    ok = _ocr_result(items=items)
    flag_for_review(ok, _spec("candidate_score_sheet"), _doc(rows))
    assert ok.problems == []


def test_values_read_from_a_word_file_are_never_flagged():
    from formgen.intake.review import flag_for_review

    r = _ocr_result({"name": "-林昇"}, conf=None)
    r.method = "labels"
    flag_for_review(r, _spec("candidate_application"), _doc([["姓名", "-林昇"]], method="labels"))
    assert r.problems == []


def test_a_flagged_value_carries_the_crop_of_its_cell():
    import cv2
    import numpy as np

    from formgen.intake.grid import Cell, GridDocument, Table
    from formgen.intake.review import flag_for_review

    page = np.full((400, 300), 255, np.uint8)
    page[100:140, 150:250] = 0  # the value's cell, as the reader kept the page (2 px per point)
    cell = Cell("-林昇", 0, 1, where="第1页 表1 第1行第2列", page=1, box=(75.0, 50.0, 125.0, 70.0))
    doc = GridDocument("x.jpg", [Table([Cell("姓名", 0, 0), cell])], method="ocr", page_images={1: (page, 2.0)})
    r = _ocr_result({"name": "-林昇"})
    flag_for_review(r, _spec("candidate_application"), doc)
    crop = cv2.imdecode(np.frombuffer(r.crops["name"], np.uint8), cv2.IMREAD_GRAYSCALE)
    assert crop.shape == (53, 113) and crop[6:46, 6:106].max() == 0 and crop[:4].min() == 255


def test_collect_keeps_the_crop_and_the_status_book_shows_it_beside_the_problem(workspace, tmp_path):
    import cv2
    import numpy as np
    from openpyxl import load_workbook

    from formgen.collect.status_book import write_status_book
    from formgen.ledger import Ledger
    from formgen.ledger.crops import crops_by_value
    from formgen.ledger.files import record_receipt, store_blob
    from formgen.ledger.forms import record_form

    ok, png = cv2.imencode(".png", np.full((40, 120), 128, np.uint8))
    r = _ocr_result({"name": "-林昇"})
    r.form_type = "candidate_application"
    r.warn("name", "需人工核对：“姓名”不像是人名（“-林昇”），请对照原件确认")
    r.crops["name"] = png.tobytes()
    with Ledger(workspace.ledger_path) as ledger:
        sha = store_blob(ledger, b"photo bytes")
        rid = record_receipt(ledger, sha256=sha, path="forms_in/申报表.jpg", outer_sha256=sha, name="申报表.jpg")
        fid = record_form(ledger, rid, 0, r)
        assert crops_by_value(ledger) == {(fid, "name"): png.tobytes()}
        book = write_status_book(ledger, workspace, tmp_path / "收件情况.xlsx")
    sheet = load_workbook(book)["问题清单"]
    assert sheet["I1"].value == "原件截图"
    row = next(c.row for c in sheet["G"] if c.value and str(c.value).startswith("需人工核对"))
    [image] = sheet._images
    assert image.anchor._from.row == row - 1 and image.anchor._from.col == 8  # 0-based: I<row>


@needs_corpus
def test_two_photos_of_one_form_sent_in_one_zip_are_read_as_one_form(tmp_path):
    """The two pages of a corpus photo PDF as two JPEGs in a zip, page 2 first in the zip's
    listing order would be wrong: they are zipped in page order, as a phone names them."""
    import zipfile

    import pypdfium2 as pdfium

    entry = next(e for e in truth({"photo"}) if e["file"] == "photo/东山街道勤廉标兵申报表.pdf")
    pdf = pdfium.PdfDocument(str(CORPUS / entry["file"]))
    z = tmp_path / "申报表照片.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for k in range(len(pdf)):
            im = pdf[k].render(scale=250 / 72).to_pil().convert("RGB")
            path = tmp_path / f"IMG_{k + 1:04d}.jpg"
            im.save(path, "JPEG", quality=88)
            zf.write(path, path.name)
    pdf.close()
    results = extract_path(z)
    assert len(results) == 1
    got = results[0].to_json(with_source=True)
    assert got["source"] == "IMG_0001.jpg + IMG_0002.jpg"
    correct, total, misses, silent = _score(entry, got)
    assert correct >= 0.97 * total and silent == 0, misses

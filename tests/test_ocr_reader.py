"""Scans and photos (formgen.intake.readers.ocr_reader): a sample of the corpus scans against
truth.json, the image clean-up steps on synthetic pages (red seal, skew, table rulings), a
photo of a form as .png / .jpg, and the message when the [ocr] extra is not installed.

Every test needs the [ocr] extra (RapidOCR + onnxruntime + OpenCV); one OCR'd page takes a
few seconds on two cores, so the corpus sample is one scan per form type.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.errors import InputFileError
from formgen.intake.extract import extract_path
from formgen.intake.readers import layout
from corpus_helpers import CORPUS, needs_corpus, load_scorer, truth

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(importlib.util.find_spec("rapidocr") is None or importlib.util.find_spec("cv2") is None,
                       reason="the [ocr] extra (rapidocr, opencv) is not installed"),
]

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler (pdftoppm) absent")
SCAN_THRESHOLD = 0.90  # score_corpus.THRESHOLD["scan"]: long texts by difflib ratio
ONE_PAGE = "scan/市民政局勤廉标兵申报表.pdf"




def _sample():
    """One scan per form type: the smallest file of each (deterministic; 4 of the 10)."""
    by_type: dict[str, dict] = {}
    for e in truth({"scan"}):
        path = CORPUS / e["file"]
        if not path.exists():
            continue
        best = by_type.get(e["form_type"])
        if best is None or (path.stat().st_size, e["file"]) < ((CORPUS / best["file"]).stat().st_size, best["file"]):
            by_type[e["form_type"]] = e
    return [by_type[k] for k in sorted(by_type)]


def _score(entry, got):
    scorer = load_scorer()
    return scorer.compare_form(entry, got, scorer.THRESHOLD.get("scan", SCAN_THRESHOLD))


@pytest.fixture(scope="module")
def scan_results():
    """{file: (correct, total, misses, got)}, filled as the sample tests run."""
    return {}


# ---------------------------------------------------------------------------------------------
# the corpus sample
# ---------------------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("entry", _sample(), ids=lambda e: e["file"])
def test_corpus_scan_sample_scores_97_percent(entry, scan_results):
    [result] = extract_path(CORPUS / entry["file"])
    got = result.to_json()
    assert got["method"] == "ocr" and got["form_type"] == entry["form_type"]
    correct, total, misses = _score(entry, got)
    scan_results[entry["file"]] = (correct, total, misses, got)
    assert correct >= 0.97 * total, misses


@needs_corpus
def test_corpus_scan_sample_covers_every_form_type_and_scores_97_percent_overall(scan_results):
    sample = _sample()
    assert {e["form_type"] for e in sample} == {e["form_type"] for e in truth({"scan"})}
    assert any(len(e["items"]) for e in sample) and any(not e["items"] for e in sample)
    for entry in sample:  # when run alone (-k), read them here
        if entry["file"] not in scan_results:
            [r] = extract_path(CORPUS / entry["file"])
            scan_results[entry["file"]] = (*_score(entry, r.to_json()), r.to_json())
    correct = sum(v[0] for v in scan_results.values())
    total = sum(v[1] for v in scan_results.values())
    assert correct >= 0.97 * total, {k: v[2] for k, v in scan_results.items() if v[2]}


# ---------------------------------------------------------------------------------------------
# red seal removal
# ---------------------------------------------------------------------------------------------

def _seal_over_text():
    """A 400×400 page: black text and a bar, a red seal (ring + star-ish cross) printed over
    them (multiply blend: where both are, the pixel is as dark as the text).
    Returns (rgb, text layer without the seal, text_mask, seal_mask)."""
    import cv2
    import numpy as np

    text = np.full((400, 400, 3), 255, np.uint8)
    cv2.putText(text, "2014", (70, 230), cv2.FONT_HERSHEY_SIMPLEX, 3.0, (0, 0, 0), 8, cv2.LINE_AA)
    cv2.rectangle(text, (40, 300), (360, 306), (0, 0, 0), -1)
    seal = np.full((400, 400, 3), 255, np.uint8)
    cv2.circle(seal, (200, 200), 130, (215, 35, 40), 10, cv2.LINE_AA)
    cv2.line(seal, (110, 200), (290, 200), (215, 35, 40), 6)
    cv2.line(seal, (200, 110), (200, 290), (215, 35, 40), 6)
    rgb = np.minimum(text, seal)
    text_mask = text[:, :, 0] < 100
    seal_mask = (seal[:, :, 0] > 150) & (seal[:, :, 1] < 100)
    return rgb, text, text_mask, seal_mask


def test_drop_red_whitens_the_seal_and_keeps_black_text():
    import cv2
    import numpy as np

    from formgen.intake.readers.ocr_reader import drop_red

    rgb, text, text_mask, seal_mask = _seal_over_text()
    gray = drop_red(rgb)
    assert gray.shape == rgb.shape[:2] and gray.dtype == np.uint8
    only_seal = seal_mask & ~cv2.dilate(text_mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    assert only_seal.sum() > 3000
    assert (gray[only_seal] >= 230).mean() > 0.99  # the seal is gone
    assert (gray[text_mask] <= 80).mean() > 0.97  # the text, under the seal too, is still black
    core = (rgb.min(axis=2) < 30) & text_mask  # the text's own pixels, not its anti-aliased edge
    under = core & seal_mask
    assert under.sum() > 50 and (gray[under] <= 80).all()
    # Without the seal the page was pure black-on-white: what is left of it is within noise.
    plain = cv2.cvtColor(text, cv2.COLOR_RGB2GRAY)
    assert np.abs(gray.astype(int) - plain).mean() < 1


def test_drop_red_after_jpeg_leaves_no_dark_seal_rim():
    import cv2
    import numpy as np

    from formgen.intake.readers.ocr_reader import drop_red

    rgb, _text, text_mask, seal_mask = _seal_over_text()
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 75])
    assert ok
    jpeg = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    gray = drop_red(jpeg)
    near_text = cv2.dilate(text_mask.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    dark_left = (gray < 128) & ~near_text
    assert dark_left.sum() < 0.01 * seal_mask.sum()
    assert (gray[text_mask] <= 110).mean() > 0.95


def test_drop_red_leaves_a_page_without_red_as_plain_grayscale():
    import cv2
    import numpy as np

    from formgen.intake.readers.ocr_reader import drop_red

    rgb = np.full((120, 160, 3), 250, np.uint8)
    cv2.putText(rgb, "AB", (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (20, 20, 20), 5)
    rgb[100:110, 10:150] = (60, 90, 160)  # blue ink is no seal
    assert (drop_red(rgb) == cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)).all()


# ---------------------------------------------------------------------------------------------
# deskew
# ---------------------------------------------------------------------------------------------

def _ruled_page():
    """An A4 page at 100 dpi: a ruled table and some text-like marks."""
    import cv2
    import numpy as np

    page = np.full((1170, 827), 255, np.uint8)
    for y in range(150, 1000, 85):
        cv2.line(page, (80, y), (750, y), 0, 2)
    for x in (80, 230, 500, 750):
        cv2.line(page, (x, 150), (x, 915), 0, 2)
    for y in range(180, 900, 85):
        cv2.putText(page, "abc 123", (260, y + 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    return page


def _rotate(gray, degrees):
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _row_profile_peak(gray) -> float:
    """Share of a ruling's length found in its single darkest pixel row (1.0 = perfectly level)."""
    dark = (gray < 128).sum(axis=1)
    return float(dark.max()) / 670.0  # the rulings are 670 px long


@pytest.mark.parametrize("degrees", [2.0, -2.0, 0.7])
def test_skew_angle_is_measured_and_deskew_levels_the_rulings(degrees):
    from formgen.intake.readers.ocr_reader import deskew, skew_angle

    page = _ruled_page()
    assert abs(skew_angle(page)) < 0.1
    skewed = _rotate(page, degrees)
    # getRotationMatrix2D turns counter-clockwise as seen: the rulings then rise to the
    # right, i.e. a negative angle in image coordinates (y downwards).
    assert skew_angle(skewed) == pytest.approx(-degrees, abs=0.15)
    assert _row_profile_peak(skewed) < 0.5
    straight = deskew(skewed)
    assert abs(skew_angle(straight)) < 0.15
    assert _row_profile_peak(straight) > 0.9


def test_deskew_leaves_a_page_without_rulings_alone():
    import numpy as np

    from formgen.intake.readers.ocr_reader import deskew, skew_angle

    blank = np.full((600, 400), 255, np.uint8)
    assert skew_angle(blank) == 0.0
    assert deskew(blank) is blank


# ---------------------------------------------------------------------------------------------
# table lattice from the rulings
# ---------------------------------------------------------------------------------------------

def test_lattice_cells_from_a_synthetic_grid_with_a_merged_cell():
    import cv2
    import numpy as np

    from formgen.intake.readers.ocr_reader import TOL_PT, mask_segments, ruling_masks

    dpi = 200
    xs_px, ys_px = [100, 350, 600, 850, 1100], [100, 300, 500, 700]
    img = np.full((800, 1200), 255, np.uint8)
    for y in ys_px:
        cv2.line(img, (xs_px[0], y), (xs_px[-1], y), 0, 3)
    for x in xs_px:
        top = ys_px[1] if x in (600, 850) else ys_px[0]  # row 0: columns 1–3 merged
        cv2.line(img, (x, top), (x, ys_px[-1]), 0, 3)
    # Text inside cells, and a gap in one ruling (scan noise) that must not split a cell.
    for (x, y) in ((120, 200), (380, 400), (880, 620)):
        cv2.putText(img, "Ab 12", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    img[495:506, 700:706] = 255

    h_mask, v_mask = ruling_masks(img, dpi)
    pt = 72.0 / dpi
    tables = layout.find_tables(mask_segments(h_mask, "h", pt), mask_segments(v_mask, "v", pt), TOL_PT)
    assert len(tables) == 1
    t = tables[0]
    assert t.xs == pytest.approx([x * pt for x in xs_px], abs=1.5)
    assert t.ys == pytest.approx([y * pt for y in ys_px], abs=1.5)
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in t.cells)
    assert spans == [(0, 0, 1, 1), (0, 1, 1, 3)] + [(r, c, 1, 1) for r in (1, 2) for c in range(4)]
    # Positions in points land in the right cell.
    merged = t.cell_at(725 * pt, 200 * pt)
    assert (merged.row, merged.col, merged.colspan) == (0, 1, 3)
    assert (t.cell_at(725 * pt, 600 * pt).row, t.cell_at(725 * pt, 600 * pt).col) == (2, 2)


def test_no_table_on_a_page_of_text():
    import cv2
    import numpy as np

    from formgen.intake.readers.ocr_reader import TOL_PT, mask_segments, ruling_masks

    img = np.full((800, 1200), 255, np.uint8)
    for y in range(80, 760, 40):
        cv2.putText(img, "The quick brown fox 0123456789", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    h_mask, v_mask = ruling_masks(img, 200)
    pt = 72.0 / 200
    assert layout.find_tables(mask_segments(h_mask, "h", pt), mask_segments(v_mask, "v", pt), TOL_PT) == []


# ---------------------------------------------------------------------------------------------
# a photo of a form (.png / .jpg)
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """The one-page corpus scan rendered by pdftoppm to a 200 dpi PNG (with its dpi) and a
    150 dpi JPEG saved without any (as a phone would: the reader assumes an A4 page).
    pdftoppm writes JPEG (its PNG encoder takes seconds a page); PIL makes the PNG."""
    if shutil.which("pdftoppm") is None or not (CORPUS / ONE_PAGE).exists():
        pytest.skip("needs pdftoppm and the shared corpus")
    from PIL import Image

    tmp = tmp_path_factory.mktemp("photos")
    for dpi, stem in ((200, "page"), (150, "small")):
        subprocess.run(["pdftoppm", "-r", str(dpi), "-jpeg", "-jpegopt", "quality=90", "-singlefile",
                        str(CORPUS / ONE_PAGE), str(tmp / stem)], check=True, timeout=60)
    png = tmp / "申报表照片.png"
    with Image.open(tmp / "page.jpg") as im:
        assert im.size == (1654, 2339)
        im.save(png, "PNG", dpi=(200, 200), compress_level=1)
    jpg = tmp / "申报表照片.jpg"
    with Image.open(tmp / "small.jpg") as im:
        im.save(jpg, "JPEG", quality=85)  # no dpi written
    with Image.open(jpg) as im:
        assert "dpi" not in im.info
    return {"png": png, "jpg": jpg}


def _one_page_entry():
    return next(e for e in truth({"scan"}) if e["file"] == ONE_PAGE)


@needs_corpus
@needs_pdftoppm
@pytest.mark.parametrize("kind", ["png", "jpg"])
def test_photo_of_a_form_is_read(photos, kind):
    [r] = extract_path(photos[kind])
    got = r.to_json()
    assert got["method"] == "ocr" and got["form_type"] == "candidate_application"
    correct, total, misses = _score(_one_page_entry(), got)
    assert correct >= 0.97 * total, misses


# ---------------------------------------------------------------------------------------------
# without the [ocr] extra
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def no_ocr(monkeypatch):
    """As if formgen[ocr] were not installed: importing rapidocr fails."""
    monkeypatch.setitem(sys.modules, "rapidocr", None)


def _needs_ocr_message(exc: InputFileError, filename: str) -> str:
    assert exc.kind == "needs_ocr"
    msg = str(exc)
    assert "\n" not in msg and msg.startswith(filename + "：")
    assert "pip install formgen[ocr]" in msg and "安装" in msg
    return msg


@needs_corpus
def test_scanned_pdf_without_ocr_extra_says_to_install_it(no_ocr):
    with pytest.raises(InputFileError) as e:
        extract_path(CORPUS / ONE_PAGE)
    assert "扫描件" in _needs_ocr_message(e.value, Path(ONE_PAGE).name)


def test_image_without_ocr_extra_says_to_install_it(no_ocr, tmp_path):
    from PIL import Image

    path = tmp_path / "照片.png"
    Image.new("RGB", (200, 280), "white").save(path)
    with pytest.raises(InputFileError) as e:
        extract_path(path)
    _needs_ocr_message(e.value, path.name)


@needs_corpus
def test_cli_without_ocr_extra_prints_one_line_and_fails(no_ocr):
    res = CliRunner().invoke(cli, ["extract", str(CORPUS / ONE_PAGE), "--json"])
    assert res.exit_code > 0 and "Traceback" not in res.output
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "pip install formgen[ocr]" in lines[0]

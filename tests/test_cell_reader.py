"""Scans of forms formgen issued, read cell by cell (formgen.intake.readers.cell_reader).

The scan is tests/data/returns/东山街道勤廉标兵评分表（扫描件）.jpg: 东山街道's filled score sheet
(附件2, issued by formgen) printed and rendered at 200 dpi grey; the same form as typed is
东山街道勤廉标兵评分表.docx next to it, whose exact reading is the expected value.
The layouts are the built-in forms as issued (formgen.issue.blanks), as ``formgen extract`` uses them.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime
import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import cli
from formgen.collect.pool import is_slow
from formgen.intake.extract import extract_path
from formgen.intake.issued import reading_issued, tables_of_blanks
from formgen.intake.readers.layout import GeoCell, GeoTable
from formgen.sample import packaging as pk

RETURNS = Path(__file__).parent / "data" / "returns"
SCAN = RETURNS / "东山街道勤廉标兵评分表（扫描件）.jpg"
TYPED = RETURNS / "东山街道勤廉标兵评分表.docx"

needs_ocr = pytest.mark.skipif(importlib.util.find_spec("rapidocr") is None or importlib.util.find_spec("cv2") is None,
                               reason="the [ocr] extra (rapidocr, opencv) is not installed")


@pytest.fixture(scope="module")
def issued():
    from formgen.issue.blanks import builtin_blanks

    return tables_of_blanks(builtin_blanks())


@pytest.fixture
def detections(monkeypatch):
    """The (height, width) of every image the text detector was run on."""
    from formgen.intake.readers import ocr_reader

    seen: list[tuple[int, int]] = []
    real = ocr_reader.ocr_pieces

    def spy(gray, pt, spread=False):
        seen.append(gray.shape[:2])
        return real(gray, pt, spread=spread)

    monkeypatch.setattr(ocr_reader, "ocr_pieces", spy)
    return seen


def _page(path: Path):
    """The scan as ocr_page sees it: cleaned, deskewed, with its ruled tables."""
    import numpy as np
    from PIL import Image

    from formgen.intake.readers import layout
    from formgen.intake.readers import ocr_reader as o

    gray = o.deskew(o.drop_red(np.asarray(Image.open(path).convert("RGB"))))
    h, v = o.ruling_masks(gray)
    pt = 72 / o.DPI
    tables = layout.find_tables(o.mask_segments(h, "h", pt), o.mask_segments(v, "v", pt), o.TOL_PT)
    return gray, tables, pt


# ---------------------------------------------------------------------------------------------
# the match, on lattices alone
# ---------------------------------------------------------------------------------------------

def _geo(grid: list[list[int]]) -> GeoTable:
    rows, cols = len(grid), len(grid[0])
    cells = []
    for k in sorted({k for row in grid for k in row}):
        at = [(i, j) for i in range(rows) for j in range(cols) if grid[i][j] == k]
        (r0, c0), (r1, c1) = at[0], at[-1]
        cells.append(GeoCell(c0 * 50, r0 * 20, (c1 + 1) * 50, (r1 + 1) * 20, r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return GeoTable(0, 0, cols * 50, rows * 20, [j * 50 for j in range(cols + 1)], [i * 20 for i in range(rows + 1)],
                    cells, grid=grid)


def test_a_page_of_rows_matches_its_run_of_the_issued_table_and_a_repeated_header(issued):
    from formgen.intake.readers.cell_reader import candidate_rows

    sheet = next(t for t in issued if t.form_type == "candidate_score_sheet" and t.n_rows > 1)
    assert (sheet.n_rows, sheet.n_cols) == (6, 5)  # 项目 header + the five items of 附件2
    # page 2 of a sheet printed over two pages: the header again, then two item rows
    page2 = _geo([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]])
    maps = candidate_rows(page2, sheet)
    assert [0, 4, 5] in maps and [3, 4, 5] in maps  # which one it is, the labels tell
    assert candidate_rows(_geo([[0, 1, 2, 3]]), sheet) == []  # four columns: another table
    app = next(t for t in issued if t.form_type == "candidate_application")
    # 姓名 row of 附件4, then a row whose value is split in two: no row of the form is like that
    assert candidate_rows(_geo([[0, 1, 2, 3, 4, 5], [6, 7, 7, 8, 8, 8]]), app) == []


def test_the_issued_layouts_know_labels_from_answer_cells(issued):
    app = next(t for t in issued if t.form_type == "candidate_application")
    name_row = [c for c in app.cells if c.row == 0]
    assert [c.label for c in name_row if not c.answer] == ["姓名", "性别", "出生年月"]  # as 附件4 prints them
    assert sum(c.answer for c in name_row) == 3


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------

@needs_ocr
def test_scan_of_an_issued_form_is_read_cell_by_cell_with_the_typed_values(issued, detections, tmp_path):
    typed = extract_path(TYPED)[0]
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "extract", "--json", str(SCAN)])
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got["form_type"] == "candidate_score_sheet"
    assert [(i["name"], i["score"]) for i in got["items"]] == [(i["name"], i["score"]) for i in typed.items]
    from PIL import Image

    with Image.open(SCAN) as im:
        page = im.width * im.height
    assert detections, "the answer cells were read"
    # detection ran on the bands around the table and in cells, never over the whole page
    assert max(h * w for h, w in detections) < 0.5 * page


@needs_ocr
def test_labels_that_are_not_the_printed_ones_refuse_the_match(issued):
    from formgen.intake.readers import ocr_reader as o
    from formgen.intake.readers.cell_reader import read_known_page

    gray, tables, pt = _page(SCAN)
    assert read_known_page(gray, tables, pt, 1, issued, o.ocr_pieces, o.recognise_line) is not None
    # the same layout with other labels: a retyped form that happens to have the same grid
    other = [dataclasses.replace(t, cells=tuple(dataclasses.replace(c, text="" if c.answer else "甲乙丙丁戊")
                                                  for c in t.cells)) for t in issued]
    _, tables, _ = _page(SCAN)
    assert read_known_page(gray, tables, pt, 1, other, o.ocr_pieces, o.recognise_line) is None


@needs_ocr
def test_a_form_with_an_added_row_is_read_the_full_page_way(issued, detections, tmp_path):
    """A unit that splits an item row in two has no issued layout: the page is read whole, not lost."""
    import cv2
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(SCAN).convert("RGB")).copy()
    gray, tables, pt = _page(SCAN)
    table = max(tables, key=lambda t: (t.x1 - t.x0) * (t.y1 - t.y0))
    row = next(c for c in table.cells if c.row == 2 and c.col == 0)
    y = int((row.y0 + row.y1) / 2 / pt)
    cv2.line(rgb, (int(table.x0 / pt), y), (int(table.x1 / pt), y), (0, 0, 0), 3)
    path = tmp_path / "added-row.png"
    Image.fromarray(rgb).save(path)
    with reading_issued(issued):
        got = extract_path(path)
    assert got[0].form_type == "candidate_score_sheet"
    assert max(h * w for h, w in detections) == gray.shape[0] * gray.shape[1]  # the whole page


# ---------------------------------------------------------------------------------------------
# scans inside zips and emails go to the --jobs pool
# ---------------------------------------------------------------------------------------------

def test_zips_and_emails_holding_scans_are_slow_files(tmp_path):
    scan, typed = SCAN.read_bytes(), TYPED.read_bytes()
    with_scan = pk.write_zip(tmp_path / "scan.zip", [("评分表.jpg", scan), ("申报表.docx", typed)])
    without = pk.write_zip(tmp_path / "typed.zip", [("申报表.docx", typed)])
    mail = pk.write_eml(tmp_path / "mail.eml", sender_name="东山街道", sender="ds@example.cn", to="x@example.cn",
                        subject="材料", date=datetime(2014, 10, 8), body="请查收。",
                        attachments=[("评分表.jpg", scan, "rfc2231")])
    assert is_slow(with_scan) and is_slow(mail)
    assert not is_slow(without)

"""Issue 15.5: a second sheet with the same number; and the tally workbook's 判定 columns as staff data.

Two readings of one sheet number that differ are a conflict: both kept, neither counts until a
person decides, shown with the crops of both. The same sheet read again with the same marks
counts once and is listed. Within a run and across runs.
"""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from formgen.ballots.book_entries import take_book
from formgen.ballots.tally import decide, read_files
from formgen.ballots.workbook import CONFLICT_SHEET, FLAG_SHEET, write_book
from formgen.ledger import ballots as LB
from formgen.ledger.db import Ledger
from formgen.ledger.tallies import tally_counts
from test_ballots import _filled, make_settings, png

SRC = "internal:票号0001第1页"  # sheet 1 (班子成员), page 1: rows 部门01–部门14
ORIGINAL = [0] * 14  # 满意 everywhere
COPY = [0, 0, 2, 0, 1] + [0] * 9  # the photocopy: 部门03 不满意, 部门05 基本满意


@pytest.fixture(scope="module")
def settings():
    return make_settings()


@pytest.fixture(scope="module")
def scans(settings):
    return {"original": png(_filled(settings, 1, 0, ORIGINAL, seed=1)),
            "rescan": png(_filled(settings, 1, 0, ORIGINAL, seed=2)),  # the same sheet fed again
            "copy": png(_filled(settings, 1, 0, COPY, seed=3))}


def counts_of(ledger):
    return {k: v for k, v in tally_counts(ledger, "internal").items() if k[1] == "班子成员"}


def test_a_photocopy_in_the_same_run_is_a_conflict_that_counts_nothing_until_decided(settings, scans, tmp_path):
    files = [("原票.png", scans["original"]), ("复印.png", scans["copy"]), ("重扫.png", scans["rescan"])]
    with Ledger(tmp_path / "l.sqlite") as ledger:
        report = read_files(files, settings, ledger)
        assert len(report.conflicts) == 1 and report.conflicts[0].startswith("复印.png 第1页：")
        assert "原票.png 第1页" in report.conflicts[0] and "复印" in report.conflicts[0]
        assert len(report.duplicates) == 1 and report.duplicates[0].startswith("重扫.png 第1页：与 原票.png 第1页")
        assert report.conflicted == 1 and report.counted == 0
        assert counts_of(ledger) == {}  # neither reading counts
        assert set(LB.readings(ledger, SRC)) == {"原票.png 第1页", "复印.png 第1页"}  # both kept
        book = write_book(ledger, settings, tmp_path / "测评票统计.xlsx")
        wb = load_workbook(book)
        sheet = wb[CONFLICT_SHEET]
        rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
        # rows 3 and 5 differ; one line per reading for each, with that reading's crop
        assert [(r[1], r[3], r[6]) for r in rows] == [("原票.png", 3, "满意"), ("原票.png", 5, "满意"),
                                                      ("复印.png", 3, "不满意"), ("复印.png", 5, "基本满意")]
        assert len(sheet._images) == 4
        total = next(wb[n] for n in wb.sheetnames if n.startswith("汇总-"))
        head = [c.value for c in total[4]]
        assert total.cell(5, head.index("班子成员\n待判定") + 1).value == 1  # 部门01 waits: its sheet is a conflict
        # the person adopts the copy: 采用 in one of its rows
        sheet.cell(4, 10).value = "采用"
        sheet.cell(4, 11).value = "王五"
        wb.save(book)
        lines, keep_old = take_book(ledger, settings, book)
        assert keep_old is None and len(lines) == 1 and "采用：复印.png 第1页" in lines[0]
        expected = {("部门%02d" % (i + 1), "班子成员", ("满意", "基本满意", "不满意")[lv]): 1 for i, lv in enumerate(COPY)}
        assert counts_of(ledger) == expected
        assert [(d.row_no, d.level, d.decided_by) for d in LB.decisions(ledger, SRC)] == [(0, "采用：复印.png 第1页", "王五")]
        # read everything again: the decision stands, nothing counted twice
        read_files(files, settings, ledger, again=True)
        assert counts_of(ledger) == expected
        decide(ledger, settings, SRC, 0, "无效", "李四", "复印票，整张作废")
        assert counts_of(ledger) == {}
        book = write_book(ledger, settings, tmp_path / "测评票统计.xlsx")
        invalid = [[c.value for c in r] for r in load_workbook(book)["无效项"].iter_rows(min_row=2)]
        assert len(invalid) == 14 and all("整张无效" in r[6] for r in invalid)


def test_across_runs_a_rescan_counts_once_and_a_copy_waits_for_a_person(new_workspace, tmp_path):
    from click.testing import CliRunner

    from formgen.cli import cli
    from test_folders import COUNTS, ballot_png

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text(COUNTS, encoding="utf-8")
    inbox = ws.root / "ballots_in"
    inbox.mkdir()
    (inbox / "第一批.png").write_bytes(ballot_png(ws, serial=1, level=0))
    runner = CliRunner()
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "read"])
    assert r.exit_code == 0, r.output
    with ws.ledger() as ledger:
        first = dict(tally_counts(ledger, "internal"))
    assert sum(first.values()) == 10 and all(k[2] == "满意" for k in first)  # 10 units on the town's sheet, 满意 each
    (inbox / "第二批_重扫.png").write_bytes(ballot_png(ws, serial=1, level=0, seed=9))  # the same sheet, scanned again
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "read"])
    out = "".join(r.output.split())
    assert r.exit_code == 0 and "只计一次" in out, r.output
    with ws.ledger() as ledger:
        assert tally_counts(ledger, "internal") == first
    (inbox / "第三批_复印.png").write_bytes(ballot_png(ws, serial=1, level=2))
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "read"])
    out = "".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "第三批_复印.png第1页：票号0001第1页已从" in out and "所填不同" in out and "重号待判定1页" in out
    with ws.ledger() as ledger:
        assert tally_counts(ledger, "internal") == {}
        source = next(iter(LB.counted(ledger).conflicts))
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "decide", source, "0", "2", "--by", "张三"])
    assert r.exit_code == 0, r.output
    with ws.ledger() as ledger:
        adopted = tally_counts(ledger, "internal")
    assert sum(adopted.values()) == 10 and all(k[2] == "不满意" for k in adopted)
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "decide", source, "0", "9"])
    assert r.exit_code != 0 and "没有“9”这一份" in r.output and "Traceback" not in r.output


def flagged_scan(settings, serial: int) -> bytes:
    """Sheet ``serial`` page 1: 满意 ticked in every row but row 2, which holds only a faint dot (flagged)."""
    import numpy as np

    from formgen.ballots import layout as L
    from formgen.ballots.code import SheetCode
    from formgen.ballots.pdf import sheet_serials
    from formgen.ballots.sample import blank_page, degrade_scan, draw_mark

    rating = settings.ratings[0]
    gi = next(g for g, s in sheet_serials(rating) if s == serial)
    img = blank_page(settings, rating, SheetCode(settings.key(rating.id), gi, serial, 0), 150)
    pl = L.page_layout(rating, 0)
    rng = np.random.default_rng(serial)
    for i in range(14):
        draw_mark(img, pl.box(i, 0), 150 / 25.4, "dot" if i == 1 else "tick", "black", rng)
    return png(degrade_scan(img, 150, rng))


@pytest.fixture
def flagged_book(settings, tmp_path):
    """A ledger with two sheets each holding one flagged row (序号 2), and the workbook written from it."""
    ledger = Ledger(tmp_path / "l.sqlite")
    report = read_files([("一.png", flagged_scan(settings, 1)), ("二.png", flagged_scan(settings, 2))], settings, ledger)
    assert report.flagged == 2
    book = write_book(ledger, settings, tmp_path / "测评票统计.xlsx")
    yield ledger, book
    ledger.close()


def test_decisions_in_a_renamed_sheet_are_taken(settings, flagged_book):
    ledger, book = flagged_book
    wb = load_workbook(book)
    sh = wb[FLAG_SHEET]
    sh.title = "待人工判定（已核）"
    sh.insert_rows(1)  # and a title row above the header
    sh.cell(1, 1).value = "核对人：张三"
    sh.cell(3, 10).value = "基本满意"
    wb.save(book)
    lines, keep_old = take_book(ledger, settings, book)
    assert keep_old is None and lines == ["已记录 测评票统计.xlsx 中的判定：internal:票号0001第1页 第2项 → 基本满意"]
    assert tally_counts(ledger, "internal")[("部门02", "班子成员", "基本满意")] == 1


def test_unmatched_and_refused_entries_are_reported_and_the_book_kept_beside(settings, flagged_book):
    ledger, book = flagged_book
    wb = load_workbook(book)
    sh = wb[FLAG_SHEET]
    sh.cell(2, 1).value = None  # 票源 deleted
    sh.cell(2, 10).value = "满意"
    sh.cell(3, 10).value = "很满意"  # not a level of this rating
    wb.save(book)
    lines, keep_old = take_book(ledger, settings, book)
    assert keep_old is None and len(lines) == 2
    assert lines[0].startswith(f"测评票统计.xlsx 工作表“{FLAG_SHEET}” J2 单元格：第 2 行（序号“2”、测评对象“部门02”）"
                               "填写的判定“满意”无法对应")
    assert lines[1].startswith(f"测评票统计.xlsx 工作表“{FLAG_SHEET}” J3 单元格：第 3 行：“很满意”不是该测评的等次")
    kept = [p for p in book.parent.glob("测评票统计（有未读入的判定，*）.xlsx")]
    assert len(kept) == 1 and all(f"原工作簿已改名为 {kept[0].name}" in line for line in lines)
    assert not book.exists()  # moved aside, not written over: the next write makes a fresh one
    assert load_workbook(kept[0])[FLAG_SHEET].cell(3, 10).value == "很满意"
    assert LB.decisions(ledger) == []


def test_a_book_that_cannot_be_moved_aside_is_not_overwritten(settings, flagged_book, monkeypatch):
    from pathlib import Path

    from formgen.outputs import take_notices

    ledger, book = flagged_book
    wb = load_workbook(book)
    wb[FLAG_SHEET].cell(2, 1).value = None
    wb[FLAG_SHEET].cell(2, 10).value = "满意"
    wb.save(book)
    before = book.read_bytes()

    def refuse(self, target):
        raise PermissionError(13, "locked")

    monkeypatch.setattr(Path, "replace", refuse)  # Windows: Excel holds the file open
    lines, keep_old = take_book(ledger, settings, book)
    monkeypatch.undo()
    assert keep_old and "原工作簿未覆盖" in lines[0]
    take_notices()
    written = write_book(ledger, settings, book, keep_old)
    assert written != book and book.read_bytes() == before
    assert any(str(written) in line for line in take_notices())


def test_adopting_both_readings_of_one_sheet_is_refused_and_kept(settings, scans, tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        read_files([("原票.png", scans["original"]), ("复印.png", scans["copy"])], settings, ledger)
        book = write_book(ledger, settings, tmp_path / "测评票统计.xlsx")
        wb = load_workbook(book)
        wb[CONFLICT_SHEET].cell(2, 10).value = "采用"  # a row of the original
        wb[CONFLICT_SHEET].cell(4, 10).value = "采用"  # and a row of the copy
        wb.save(book)
        lines, _ = take_book(ledger, settings, book)
        assert "采用：原票.png 第1页" in lines[0]
        assert lines[1].startswith(f"测评票统计.xlsx 工作表“{CONFLICT_SHEET}” J4 单元格：第 4 行的判定“采用：复印.png 第1页”"
                                   "与第 2 行的“采用：原票.png 第1页”说的是同一张票")
        assert "原工作簿已改名为" in lines[1]

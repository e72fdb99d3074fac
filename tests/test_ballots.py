"""Ballots: printing, the sheet code, bad pages, the ledger tallies, decisions, the workbook, the CLI."""
from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from formgen.ballots import layout as L
from formgen.ballots.code import NBITS, SheetCode, decode, encode
from formgen.ballots.pdf import render_rating, sheet_serials, write_ballots
from formgen.ballots.read import classify, read_page
from formgen.ballots.sample import blank_page, degrade_scan, draw_mark
from formgen.ballots.settings import BallotSettings
from formgen.ballots.tally import decide, read_files
from formgen.ballots.book_entries import entries_in_book
from formgen.ballots.workbook import FLAG_SHEET, write_book
from formgen.ledger import ballots as LB
from formgen.ledger.db import Ledger
from formgen.ledger.tallies import tally_counts

DEPTS = [f"部门{i:02d}" for i in range(1, 41)]


def make_settings(year: int = 2024, subjects=DEPTS, levels=("满意", "基本满意", "不满意")) -> BallotSettings:
    return BallotSettings.model_validate({
        "campaign_id": "town-test", "campaign_name": "镇内设机构测评", "year": year,
        "ratings": [{"id": "internal", "title": f"{year}年度内部测评票", "subject_label": "被测评部门",
                     "subjects": list(subjects), "levels": list(levels),
                     "groups": [{"name": "班子成员", "count": 2}, {"name": "干部职工", "count": 3}]}]})


@pytest.fixture(scope="module")
def settings():
    return make_settings()


def png(img) -> bytes:
    return cv2.imencode(".png", img)[1].tobytes()


def test_code_round_trip_and_crc_rejects_a_flipped_cell():
    code = SheetCode(key=0xABCDE, group=3, serial=1234, page=2)
    bits = encode(code)
    assert len(bits) == NBITS and decode(bits) == code
    for i in (0, 20, 30, 57):
        flipped = bits.copy()
        flipped[i] ^= 1
        assert decode(flipped) is None


def test_subjects_flow_onto_pages_in_order(settings):
    rating = settings.ratings[0]
    n = L.page_count(rating)
    assert n == 3  # 40 subjects at 19 rows a page
    pages = [L.page_layout(rating, p) for p in range(n)]
    assert [s for pl in pages for s in pl.subjects] == DEPTS
    assert [pl.first_no for pl in pages] == [1, 15, 29]
    assert all(pl.table_bottom <= L.ROWS_BOTTOM for pl in pages)


def test_a_year_or_campaign_changes_the_key(settings):
    assert settings.key("internal") != make_settings(2023).key("internal")
    assert settings.key("internal") != settings.key("external")


def test_printed_pdf_has_every_sheet_and_page_and_no_rater_field(settings, tmp_path):
    import pdfplumber

    files = write_ballots(settings, tmp_path)
    pdfs = sorted(p for p in files if p.suffix == ".pdf")
    assert len(pdfs) == 2 and any(p.suffix == ".docx" for p in files)
    with pdfplumber.open(next(p for p in pdfs if "干部职工" in p.name)) as pdf:
        assert len(pdf.pages) == 3 * 3  # 3 sheets × 3 pages
        text = pdf.pages[0].extract_text()
        last = pdf.pages[-1].extract_text()
    for words in ("2024年度内部测评票", "评议人类别：干部职工", "不记名", "票号：0003", "第1页", "满意", "基本满意",
                  "不满意", "部门01", "打“√”"):
        assert words in text, words
    assert "票号：0005" in last and "第3页" in last and "部门40" in last
    assert "姓名" not in text and "签名" not in text
    assert sheet_serials(settings.ratings[0]) == [(0, 1), (0, 2), (1, 3), (1, 4), (1, 5)]


def test_docx_lists_every_subject_with_a_box_per_level(settings, tmp_path):
    from docx import Document

    path = next(p for p in write_ballots(settings, tmp_path) if p.suffix == ".docx")
    doc = Document(str(path))
    assert len(doc.tables) == 2  # one per group
    t = doc.tables[0]
    assert [c.text for c in t.rows[0].cells] == ["序号", "被测评部门", "满意", "基本满意", "不满意"]
    assert [r.cells[1].text for r in t.rows[1:]] == DEPTS
    assert t.rows[1].cells[2].text == "□"


def test_the_printed_pdf_itself_reads_back_blank(settings):
    """The real PDF page, rasterised as a scanner would, not the synthetic template."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(render_rating(settings, settings.ratings[0], 1, [4]))
    img = pdf[1].render(scale=150 / 72, grayscale=True).to_numpy()
    pr = read_page(img, settings, "票.pdf", 2)
    assert pr.problem is None
    assert (pr.code.serial, pr.code.page, pr.group) == (4, 1, "干部职工")
    assert [r.subject for r in pr.rows] == DEPTS[14:28]
    assert {r.status for r in pr.rows} == {"empty"}


def test_classify_rows():
    lv = ("满意", "基本满意", "不满意")
    assert classify([0.3, 0, 0], lv) == ("ok", "满意", "")
    assert classify([0, 0, 0], lv)[0] == "empty"
    assert classify([0.3, 0.25, 0], lv)[0] == "multiple"
    assert classify([0.95, 0.3, 0], lv)[:2] == ("flagged", "基本满意")  # crossed out, replaced
    assert classify([0.3, 0.04, 0], lv)[0] == "flagged"  # a faint second touch: unsure


def _filled(settings, serial, page, levels, dpi=150, seed=0):
    """A scanned sheet with a tick at ``levels[i]`` in row i (None: empty)."""
    rng = np.random.default_rng(seed)
    rating = settings.ratings[0]
    gi = next(g for g, s in sheet_serials(rating) if s == serial)
    img = blank_page(settings, rating, SheetCode(settings.key(rating.id), gi, serial, page), dpi)
    pl = L.page_layout(rating, page)
    for i, lvl in enumerate(levels):
        if lvl is not None:
            draw_mark(img, pl.box(i, lvl), dpi / 25.4, "tick", "blue", rng)
    return degrade_scan(img, dpi, rng)


def _bad_pages(settings):
    rng = np.random.default_rng(3)
    blank = np.full((1754, 1240), 250, np.uint8)
    other = np.full((900, 1200, 3), 200, np.uint8)  # a photo of something else
    for _ in range(40):
        cv2.rectangle(other, tuple(int(v) for v in rng.integers(0, 1100, 2)), tuple(int(v) for v in rng.integers(0, 1100, 2)),
                      tuple(int(v) for v in rng.integers(0, 255, 3)), -1)
    full = _filled(settings, 1, 0, [0] * 14)
    half = full[: full.shape[0] // 2]
    last_year = make_settings(2023)
    old = blank_page(last_year, last_year.ratings[0], SheetCode(last_year.key("internal"), 0, 1, 0), 150)
    # a photo taken from too far: the sheet is ~2.4 px/mm, too coarse to tell a pencil tick from a smudge
    sheet = blank_page(settings, settings.ratings[0], SheetCode(settings.key("internal"), 0, 2, 0), 150)
    h, w = sheet.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = (src - [w / 2, h / 2]) * 0.4 + [w * 0.8, h * 0.7]
    far = cv2.warpPerspective(sheet, cv2.getPerspectiveTransform(src, dst.astype(np.float32)), (int(w * 1.6), int(h * 1.4)),
                              borderValue=(90, 110, 120))
    return [("空白.png", png(blank)), ("风景.jpg", png(other)), ("半张.png", png(half)), ("去年的票.png", png(old)),
            ("坏文件.pdf", b"%PDF-1.4 garbage"), ("远拍.jpg", png(far)), ("好票.png", png(full))]


def test_bad_pages_get_one_chinese_line_each_and_the_batch_goes_on(settings, tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        report = read_files(_bad_pages(settings), settings, ledger)
        kinds = {f: k for f, _p, k, _m in LB.page_problems(ledger)}
    assert report.pages == 1  # the good sheet after six bad ones
    assert kinds == {"空白.png": "blank", "风景.jpg": "not_ballot", "半张.png": "partial", "去年的票.png": "foreign",
                     "坏文件.pdf": "unreadable", "远拍.jpg": "low_res"}
    assert len(report.problems) == 6
    for line, name in zip(report.problems, ["空白.png", "风景.jpg", "半张.png", "去年的票.png", "坏文件.pdf", "远拍.jpg"]):
        assert line.startswith(name) and "\n" not in line
    assert "第1页" in report.problems[0] and "往年" in report.problems[3]


def test_a_sheet_scanned_twice_counts_once_and_decisions_survive_rereads(settings, tmp_path):
    rating = settings.ratings[0]
    page0 = _filled(settings, 1, 0, [0, 1, 2, 0] + [0] * 10, seed=1)
    again = _filled(settings, 1, 0, [0, 1, 2, 0] + [0] * 10, seed=2)  # the same sheet, scanned again
    # a sheet with a crossed-out choice in row 1 and an empty row 2
    rng = np.random.default_rng(5)
    img = blank_page(settings, rating, SheetCode(settings.key("internal"), 1, 3, 0), 200)
    pl = L.page_layout(rating, 0)
    f = 200 / 25.4
    for i in range(14):
        if i == 1:
            draw_mark(img, pl.box(i, 0), f, "tick", "black", rng)
            draw_mark(img, pl.box(i, 0), f, "scribble", "black", rng)
            draw_mark(img, pl.box(i, 2), f, "tick", "black", rng)
        elif i != 2:
            draw_mark(img, pl.box(i, 1), f, "cross", "black", rng)
    three = degrade_scan(img, 200, rng)
    files = [("a.pdf.png", png(page0)), ("b.png", png(again)), ("c.png", png(three))]
    with Ledger(tmp_path / "l.sqlite") as ledger:
        report = read_files(files, settings, ledger)
        assert report.pages == 3 and len(report.duplicates) == 1 and "只计一次" in report.duplicates[0]
        counts = tally_counts(ledger, "internal")
        assert counts[("部门01", "班子成员", "满意")] == 1  # not 2
        assert counts[("部门02", "班子成员", "基本满意")] == 1
        assert counts[("部门03", "班子成员", "不满意")] == 1
        assert counts[("部门01", "干部职工", "基本满意")] == 1
        assert ("部门02", "干部职工", "不满意") not in counts  # flagged: waits for a person
        assert ("部门03", "干部职工", "基本满意") not in counts  # empty row: invalid
        assert report.flagged == 1 and report.invalid == 1
        src = "internal:票号0003第1页"
        decide(ledger, settings, src, 2, "满意", "张三", "先判满意")
        decide(ledger, settings, src, 2, "不满意", "李四", "看原票，改为不满意")
        # collect again: unchanged files are not read again; read anyway, the decision stands
        assert read_files(files, settings, ledger).unchanged == 3
        read_files(files, settings, ledger, again=True)
        counts = tally_counts(ledger, "internal")
        assert counts[("部门02", "干部职工", "不满意")] == 1 and ("部门02", "干部职工", "满意") not in counts
        assert [d.level for d in LB.decisions(ledger, src)] == ["满意", "不满意"]
        with pytest.raises(Exception, match="不是该测评的等次"):
            decide(ledger, settings, src, 2, "很满意")
        book = write_book(ledger, settings, tmp_path / "测评票统计.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    flags = wb[FLAG_SHEET]
    assert len(flags._images) == 1  # the row's crop, for the person deciding
    assert flags.cell(2, 1).value == src and flags.cell(2, 10).value == "不满意"
    total = next(wb[n] for n in wb.sheetnames if n.startswith("汇总-"))
    assert [n for n in wb.sheetnames if n.startswith("汇总-")] == ["汇总-2024年度内部测评票"]
    head = [c.value for c in total[4]]
    row = [c.value for c in total[5]]
    assert row[head.index("班子成员\n满意")] == 1
    last = [c.value for c in total[total.max_row]]
    assert last[1] == "合计" and last[head.index("班子成员\n满意")] == sum(
        total.cell(r, head.index("班子成员\n满意") + 1).value for r in range(5, total.max_row))
    assert [c.value for c in wb["判定记录"]["C"]][1:] == ["满意", "不满意"]
    assert [(e.source, e.row_no, e.level, e.by) for e in entries_in_book(book).entries] == [(src, 2, "不满意", "李四")]


def test_sample_ballots_filled_from_votes_read_back_as_those_votes(tmp_path):
    """The demo's path: known counts → filled ballots (scans, a photo, one page scanned twice) → the same counts."""
    from formgen.ballots.sample import write_sample_returns
    from formgen.intake.folders import list_files, read_listed

    def files_in(folder):
        return [(p.name, read_listed(p)) for p in list_files([folder]).files]

    s = make_settings(subjects=["办公室", "财政所", "林业站"])
    votes = {"internal": {"办公室": {"班子成员": [2, 0, 0], "干部职工": [1, 1, 1]},
                          "财政所": {"班子成员": [1, 1, 0], "干部职工": [0, 2, 0]},
                          "林业站": {"班子成员": [0, 0, 2], "干部职工": [3, 0, 0]}}}
    write_sample_returns(s, tmp_path / "in", seed=3, photo_sheets=1, votes=votes)
    names = [n for n, _ in files_in(tmp_path / "in")]
    assert any(n.endswith(".jpg") for n in names) and any(n.endswith("扫描件.pdf") for n in names)
    with Ledger(tmp_path / "l.sqlite") as ledger:
        report = read_files(files_in(tmp_path / "in"), s, ledger)
        counts = tally_counts(ledger, "internal")
    assert report.problems == [] and len(report.duplicates) == 1
    expected = {(subj, g, lv): n for subj, by in votes["internal"].items() for g, ns in by.items()
                for lv, n in zip(("满意", "基本满意", "不满意"), ns) if n}
    assert counts == expected


def test_cli_prints_ballots_for_the_town_preset_and_reads_samples(new_workspace):
    from formgen.cli import cli

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text("counts:\n  internal: {班子成员: 2, 内设机构负责人和干部职工: 2}\n"
                                          "  external: {评议人: 1}\n  public: {评议人: 1}\n", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots"])
    assert r.exit_code == 0, r.output
    assert "内部测评票_班子成员_2份.pdf" in r.output
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "sample", "--photos", "1"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["-C", str(ws.root), "ballots", "read"])
    assert r.exit_code == 0, r.output
    assert "读取测评票" in r.output and (ws.root / "out" / "tally" / "测评票统计.xlsx").exists()
    with ws.ledger() as ledger:
        counted = tally_counts(ledger, "internal")
    assert sum(counted.values()) > 0
    # formgen collect reads ballots_in/ too: nothing new, nothing counted twice
    r = runner.invoke(cli, ["-C", str(ws.root), "collect"])
    assert r.exit_code == 0, r.output
    assert "测评票：本次读取 0 页" in r.output
    with ws.ledger() as ledger:
        assert tally_counts(ledger, "internal") == counted


def test_collect_routes_ballot_scans_found_among_the_forms(new_workspace):
    """Ballots dropped into forms_in/ (a scanned PDF and a phone photo) are recognised by their code bar
    and read as ballots, not as forms; the votes are exactly those filled in, once, also on a second collect."""
    from formgen.ballots.sample import write_sample_returns
    from formgen.ballots.settings import load_ballot_settings
    from formgen.cli import cli

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text("counts:\n  internal: {班子成员: 2, 内设机构负责人和干部职工: 3}\n",
                                          encoding="utf-8")
    s = load_ballot_settings(ws.root, ws.campaign, [u.name for u in ws.units])
    internal = s.model_copy(update={"ratings": [s.rating("internal")]})
    votes = {"党政办公室": {"班子成员": [1, 1, 0], "内设机构负责人和干部职工": [0, 1, 2]},
             "村建所": {"班子成员": [0, 0, 2], "内设机构负责人和干部职工": [3, 0, 0]}}
    write_sample_returns(internal, ws.root / "forms_in", seed=5, photo_sheets=1, votes={"internal": votes})
    (ws.root / "forms_in" / "说明.txt").write_text("不是测评票", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["-C", str(ws.root), "collect"])
    assert r.exit_code == 0, r.output
    out = "".join(r.output.split())  # rich wraps lines
    assert "收件中有2个文件是测评票" in out and "台账中计票" in out
    expected = {("党政办公室", "班子成员", "满意"): 1, ("党政办公室", "班子成员", "基本满意"): 1,
                ("党政办公室", "内设机构负责人和干部职工", "基本满意"): 1,
                ("党政办公室", "内设机构负责人和干部职工", "不满意"): 2,
                ("村建所", "班子成员", "不满意"): 2, ("村建所", "内设机构负责人和干部职工", "满意"): 3}
    with ws.ledger() as ledger:
        assert tally_counts(ledger, "internal") == expected
        files = {row[0] for row in ledger.conn.execute("SELECT path FROM receipts")}
    assert not any("测评票" in f for f in files)  # not filed as forms
    r = runner.invoke(cli, ["-C", str(ws.root), "collect"])
    assert r.exit_code == 0, r.output
    with ws.ledger() as ledger:
        assert tally_counts(ledger, "internal") == expected


def test_only_ballot_pages_are_recognised_as_ballots(tmp_path, settings):
    from formgen.ballots.files import first_page_code

    page = _filled(settings, 1, 0, [0, 1, 2] * 4, dpi=150, seed=2)
    assert first_page_code("票.png", png(page)) is not None
    photo = Path(__file__).parent / "data" / "photo" / "杂物.jpg"
    assert first_page_code(photo.name, photo.read_bytes()) is None
    blank = next(p for p in write_ballots(settings, tmp_path) if p.suffix == ".pdf")
    assert first_page_code(blank.name, blank.read_bytes()) is None  # the printed PDF, not a scan
    assert first_page_code("表.docx", b"PK\x03\x04") is None and first_page_code("坏.pdf", b"%PDF-1.4 x") is None


def test_cli_without_ratings_says_so_in_one_line(new_workspace):
    from formgen.cli import cli

    ws = new_workspace("ruian-2014")
    r = CliRunner().invoke(cli, ["-C", str(ws.root), "ballots"])
    assert r.exit_code != 0
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "ballots.yaml" in lines[0] and "Traceback" not in r.output


def test_five_level_ballot_reads_back(tmp_path):
    """Seed 003's 满意度测评 style: 很满意 … 很不满意, people and windows as subjects."""
    levels = ("很满意", "满意", "基本满意", "不满意", "很不满意")
    s = make_settings(subjects=[f"窗口{i}" for i in range(1, 11)], levels=levels)
    want = [0, 1, 2, 3, 4, 4, 3, 2, 1, 0]
    pr = read_page(_filled(s, 2, 0, want, dpi=200, seed=9), s, "窗口.png", 1)
    assert pr.problem is None
    assert [(r.status, r.level) for r in pr.rows] == [("ok", levels[k]) for k in want]


@pytest.mark.parametrize("counts, key", [
    ("internal: {班子成员: 1e400}", "counts.internal.班子成员"),
    ("internal: {班子成员: [1, 2]}", "counts.internal.班子成员"),
    ("internal: {班子成员: -3}", "counts.internal.班子成员"),
    ("internal: {班子成员: 2.5}", "counts.internal.班子成员"),
    ("internal: {班子成员: 十二}", "counts.internal.班子成员"),
    ("internal: {门卫: 3}", "counts.internal.门卫"),
    ("inner: {班子成员: 3}", "counts.inner"),
])
def test_odd_counts_in_ballots_yaml_get_one_line_naming_the_key(new_workspace, counts, key):
    from formgen.cli import cli

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text(f"counts:\n  {counts}\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["-C", str(ws.root), "ballots"])
    assert r.exit_code not in (0, 70), r.output
    assert key in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1, r.output


@pytest.mark.parametrize("count", ["1e400", "[1, 2]", "-3", "2.5", "true", "十二"])
def test_odd_counts_in_whole_ratings_get_one_chinese_line(new_workspace, count):
    from formgen.cli import cli

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text(
        "ratings:\n  - id: internal\n    title: 内部测评票\n    subjects: [甲, 乙]\n    levels: [满意, 不满意]\n"
        f"    groups:\n      - {{name: 班子成员, count: {count}}}\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["-C", str(ws.root), "ballots"])
    assert r.exit_code not in (0, 70), r.output
    assert "ratings.0.groups.0.count" in r.output and "整数份数" in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1, r.output

"""PDFs with a text layer (formgen.intake.readers.pdf_reader): the corpus against truth.json,
PDFs made here from the forms of tests/data with LibreOffice (look-alike radicals, letter-spaced text, a
continuation page, a document that is no form), and the files a unit may send by mistake
(encrypted, cut short, damaged, fonts without a Unicode map). Tables over a page break: the revised forms
of tests/data/returns/ (a row cut by the break, below a repeated header or none) and 市地方税务局's score sheet."""
from __future__ import annotations

import copy
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import formgen
from formgen.cli import cli
from formgen.errors import InputFileError
from formgen.intake.extract import extract_path
from formgen.intake.grid import Table
from formgen.intake.readers import layout, pdf_reader
from formgen.intake.readers.layout import Piece
from formgen.intake.readers.pdf_reader import read_pdf
from formgen.intake.result import SourceFile
from corpus_helpers import CORPUS, needs_corpus, needs_soffice, load_scorer, truth
from testdata import (MORE_DEEDS, RETURNS, REVISED_APP, REVISED_SCORE, SCAN, TAX_PDF, YUHAI_APP,
                      form_misses, golden)

HAS_OCR = importlib.util.find_spec("rapidocr") is not None

LONG_FIELDS = {"resume", "honors", "deeds", "duties", "practices", "recommender_opinion", "party_opinion"}
# The one-page candidate form the generated PDFs are made from (tests/data: docx in, its golden reading out).
BASE = "玉海街道勤廉标兵申报表"
BASE_DOCX = RETURNS / YUHAI_APP
TEXT_PDF = RETURNS / TAX_PDF  # a two-page score sheet exported by LibreOffice




def _assert_matches(entry, got):
    scorer = load_scorer()
    correct, total, misses = scorer.compare_form(entry, got, scorer.DEFAULT_THRESHOLD)
    assert correct == total, misses


def _lines(text):
    """Paragraph structure of a long field: its lines, without spaces inside them
    (the docx pads with U+3000 where the PDF has a gap; both are whitespace to the scorer)."""
    return [re.sub(r"[ \t\u3000]+", "", ln) for ln in (text or "").split("\n")]


def _one_line_error(exc: InputFileError, filename: str):
    msg = str(exc)
    assert msg and "\n" not in msg and "Traceback" not in msg
    assert msg.startswith(filename + "：")
    return msg


# ---------------------------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("entry", truth({"pdf"}), ids=lambda e: e["file"])
def test_corpus_pdf_matchestruth(entry):
    [result] = extract_path(CORPUS / entry["file"])
    got = result.to_json()
    assert got["method"] == "pdf-text"
    _assert_matches(entry, got)
    # Stricter than the scorer's 0.97 ratio: every paragraph break where the form has one.
    for key in LONG_FIELDS & set(entry["fields"]):
        if entry["fields"][key] is not None:
            assert _lines(got["fields"][key]) == _lines(entry["fields"][key]), key


def _pages(path):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _read(name):
    path = RETURNS / name
    return read_pdf(SourceFile(name=path.name, data=path.read_bytes(), path=str(path)))


def _column(table, col):
    return [c.text for c in sorted(table.cells, key=lambda c: c.row) if c.col == col]


@pytest.mark.parametrize("name", [TAX_PDF, REVISED_APP, REVISED_SCORE])
def test_form_split_over_two_pages_is_one_table(name):
    """LibreOffice breaks the table (mid-row for long texts or a vertical label): the reader
    joins both parts into the one table the matcher needs."""
    import pdfplumber

    with pdfplumber.open(RETURNS / name) as pdf:
        assert len(pdf.pages) == 2 and pdf.pages[1].edges  # page 2 really carries part of the table
    doc = _read(name)
    assert doc.pages == 2 and doc.method == "pdf-text"
    assert len([b for b in doc.blocks if isinstance(b, Table)]) == 1


def test_rows_either_side_of_the_page_break_stay_two_rows():
    """市地方税务局's score sheet: 管理制度 ends page 1, the header is repeated, 工作作风 starts page 2.
    The last 考核方式 entry on page 1 (查阅台账, centred in its narrow column) is not a wrapped line."""
    [table] = _read(TAX_PDF).tables
    assert _column(table, 0) == ["项目", "组织宣传", "硬件设施", "管理制度", "工作作风", "依法行政", "服务质量"]
    assert _column(table, 5) == ["得分", "9分", "13.5分", "15分", "15分", "25分", "20分"]
    assert [c.page for c in table.cells if c.col == 0] == [1, 1, 1, 1, 2, 2, 2]


def test_row_split_below_a_repeated_header_is_one_row():
    """玉海街道's revised score sheet: 依法行政's standards run over the page, below the repeated header."""
    [table] = _read(REVISED_SCORE).tables
    assert _column(table, 0) == ["项目", "组织宣传", "硬件设施", "管理制度", "工作作风", "依法行政", "服务质量", "合计"]
    standards = next(c for c in table.cells if c.row == 5 and c.col == 2)
    assert standards.page == 1 and standards.text.count("令行禁止") == 4  # the fourth copy is on page 2
    assert _column(table, 4)[1:7] == ["10", "１４．５", "１５", "１５", "24.5", "19"]


def test_row_split_at_page_break_keeps_the_deeds_in_one_cell():
    """东山街道's revised application: 主要事迹 breaks mid-paragraph (…每个网 | 格明确…), no header row;
    推荐单位意见 follows on page 2."""
    [table] = _read(REVISED_APP).tables
    deeds = [c for c in table.cells if "郑丽娜同志是" in c.text]
    assert len(deeds) == 1 and deeds[0].page == 1
    assert deeds[0].text.endswith("群众满意率连续三个季度位居全市前列。")  # the end is on page 2
    text = deeds[0].text.split("\n", 1)[1]  # after the printed placeholder (the matcher drops it)
    typed = yaml.safe_load((Path(formgen.__file__).parent / "sample" / "people.yaml").read_text(encoding="utf-8"))
    assert _lines(text) == _lines("\n".join(typed["东山街道"]["candidate"]["deeds"] + [MORE_DEEDS]))
    opinion = next(c for c in table.cells if "同意推荐郑丽娜同志" in c.text)
    assert opinion.page == 2 and opinion.row == deeds[0].row + 1


@pytest.mark.soffice
@needs_soffice
def test_retyped_form_over_two_pages_is_one_table(made):
    """玉海街道's retyped application prints on two pages: one table, read as the docx reads."""
    path = made["plain"]
    doc = read_pdf(SourceFile(name=path.name, data=path.read_bytes(), path=str(path)))
    assert doc.pages == 2 and doc.method == "pdf-text"
    assert len([b for b in doc.blocks if isinstance(b, Table)]) == 1
    [r] = extract_path(path)
    assert form_misses(golden(YUHAI_APP), r.to_json()) == []


# ---------------------------------------------------------------------------------------------
# text-level normalisation (no files)
# ---------------------------------------------------------------------------------------------

def test_fold_radicals_maps_kangxi_look_alikes_and_keeps_fullwidth_punctuation():
    assert layout.fold_radicals("⽅⾯（⼀）：⼯作，⼈⺠") == "方面（一）：工作，人" + "\u2ea0"  # ⺠ has no NFKC fold
    assert layout.fold_radicals("方面（一），“引号”") == "方面（一），“引号”"
    assert layout.fold_radicals("ＡＢ１２") == "ＡＢ１２"  # full-width Latin is left to the matcher


def _row(text, step, size=10.0):
    """One piece per character, each ``size`` wide, starting every ``step`` points."""
    return [Piece(i * step, 0, i * step + size, size, ch, size) for i, ch in enumerate(text)]


@pytest.mark.parametrize("step, want", [
    (10.0, "司徒静怡同志"),  # set solid
    (14.0, "司徒静怡同志"),  # letter-spaced by 0.4 em (justified / expanded text)
    (25.0, "司徒静怡同志"),  # 1.5 em, but every gap alike: spacing, not typed spaces
])
def test_evenly_spread_cjk_characters_get_no_spaces(step, want):
    [line] = layout.group_lines(_row("司徒静怡同志", step))
    assert line.text == want


@pytest.mark.parametrize("extra, want", [
    (8.5, "2001.09～2005.07浙江工商大学"),   # 0.85 em more than the others: no space
    (11.0, "2001.09～2005.07 浙江工商大学"),  # a whole character more: a typed space
])
@pytest.mark.parametrize("step", [10.0, 13.0])  # set solid, and letter-spaced by 0.3 em
def test_a_typed_gap_is_a_space_whatever_the_letter_spacing(step, extra, want):
    left, right = _row("2001.09～2005.07", step), _row("浙江工商大学", step)
    shift = left[-1].x1 + (step - 10.0) + extra
    right = [Piece(p.x0 + shift, p.y0, p.x1 + shift, p.y1, p.text, p.size) for p in right]
    [line] = layout.group_lines(left + right)
    assert line.text == want


def test_few_glyphs_far_apart_are_words():
    [line] = layout.group_lines(_row("姓名", 30.0))  # 姓　　名: no spacing can be told from two glyphs
    assert line.text == "姓 名"


def test_gap_between_latin_words_is_a_space_but_not_inside_a_word():
    # Glyphs 5.5 pt wide, 10 pt high: "ab" set solid, a 3 pt (0.3 em) gap, "cd" set solid.
    pieces = [Piece(x, 0, x + 5.5, 10, ch, 10) for x, ch in ((0, "a"), (5.5, "b"), (14, "c"), (19.5, "d"))]
    [line] = layout.group_lines(pieces)
    assert line.text == "ab cd"


def test_pieces_of_two_rows_do_not_merge():
    lower = [Piece(p.x0, p.y0 + 14, p.x1, p.y1 + 14, p.text, p.size) for p in _row("性别", 10.0)]
    assert [ln.text for ln in layout.group_lines(lower + _row("姓名", 10.0))] == ["姓名", "性别"]


# ---------------------------------------------------------------------------------------------
# PDFs made here with LibreOffice from a corpus form
# ---------------------------------------------------------------------------------------------

def _kangxi_map():
    out = {}
    for cp in range(0x2F00, 0x2FD6):
        out.setdefault(unicodedata.normalize("NFKC", chr(cp)), chr(cp))
    return out


def _make_docx(tmp: Path) -> list[Path]:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    src = BASE_DOCX
    made = []

    # 1. Every character that has a Kangxi-radical look-alike typed as that radical
    #    (what some PDF producers' fonts put in the text layer).
    d = docx.Document(str(src))
    radical = _kangxi_map()
    for t in d.element.body.iter(qn("w:t")):
        t.text = "".join(radical.get(c, c) for c in t.text)
    d.save(tmp / "kangxi.docx")
    made.append(tmp / "kangxi.docx")

    # 2. Expanded character spacing (3 pt at 10.5 pt) on every run: glyphs spread apart.
    d = docx.Document(str(src))
    for r in d.element.body.iter(qn("w:r")):
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), "60")
        r.get_or_add_rPr().append(spacing)
    d.save(tmp / "spaced.docx")
    made.append(tmp / "spaced.docx")

    # 3. The last paragraph of 主要事迹 moved to an attached page headed 主要事迹（续）.
    d = docx.Document(str(src))
    deeds = next(c for c in d.tables[0].rows[5].cells if "可附页" in c.text)
    moved = deeds.paragraphs[-1]._p
    sect = d.element.body[-1]
    brk_p, brk_r, brk = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:br")
    brk.set(qn("w:type"), "page")
    brk_r.append(brk)
    brk_p.append(brk_r)
    head = copy.deepcopy(moved)
    texts = list(head.iter(qn("w:t")))
    for t in texts:
        t.text = ""
    texts[0].text = "主要事迹（续）"
    sect.addprevious(brk_p)
    sect.addprevious(head)
    sect.addprevious(moved)
    d.save(tmp / "continued.docx")
    made.append(tmp / "continued.docx")

    # 4. A notice, no table at all.
    d = docx.Document()
    d.add_paragraph("关于召开2014年度效能建设工作会议的通知")
    for _ in range(3):
        d.add_paragraph("各镇街、市直各单位：经研究，定于3月5日上午9时在市行政中心三楼会议室召开全市效能建设"
                        "工作会议，请各单位分管领导准时参加。")
    d.save(tmp / "notice.docx")
    made.append(tmp / "notice.docx")
    return made


def _soffice(tmp: Path, filter_: str, outdir: Path, files: list[Path]):
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", filter_, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """{name: pdf path}: kangxi, spaced, continued, notice, plain (the form as it is), locked (open password),
    restricted (permissions password only). Three soffice calls, ~5 s."""
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice")
    tmp = tmp_path_factory.mktemp("pdfs")
    docs = _make_docx(tmp)
    shutil.copyfile(BASE_DOCX, tmp / "plain.docx")
    _soffice(tmp, "pdf", tmp, [*docs, tmp / "plain.docx"])
    _soffice(tmp, 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                  '"DocumentOpenPassword":{"type":"string","value":"ruian2014"}}', tmp / "locked", [docs[3]])
    _soffice(tmp, 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                  '"RestrictPermissions":{"type":"boolean","value":"true"},'
                  '"PermissionPassword":{"type":"string","value":"owner"},"Changes":{"type":"long","value":"0"}}',
             tmp / "restricted", [BASE_DOCX])
    out = {p.stem: p.with_suffix(".pdf") for p in [*docs, tmp / "plain.docx"]}
    out["locked"] = tmp / "locked" / "notice.pdf"
    out["restricted"] = tmp / "restricted" / f"{BASE}.pdf"
    assert all(p.exists() for p in out.values()), out
    return out


def _text_layer(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars)


@pytest.mark.soffice
@needs_soffice
def test_kangxi_radicals_in_the_text_layer_read_as_ideographs(made):
    layer = _text_layer(made["kangxi"])
    assert sum(0x2F00 <= ord(c) <= 0x2FDF for c in layer) >= 20  # the PDF really carries them (出⽣年⽉…)
    [r] = extract_path(made["kangxi"])
    got = r.to_json()
    assert got["form_type"] == "candidate_application" and got["method"] == "pdf-text"
    assert form_misses(golden(YUHAI_APP), got) == []
    values = "".join(v for v in got["fields"].values() if isinstance(v, str))
    assert not any(0x2F00 <= ord(c) <= 0x2FDF for c in values)
    assert got["fields"]["birth"] == "1972-11"  # the label was 出⽣⽇期
    assert "，" in got["fields"]["deeds"] and "“" in got["fields"]["deeds"]  # punctuation not folded to ASCII


@pytest.mark.soffice
@needs_soffice
def test_letter_spaced_text_gets_no_spaces_between_cjk_characters(made):
    import pdfplumber

    with pdfplumber.open(made["spaced"]) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])
            if abs(a["top"] - b["top"]) < 1 and layout.is_wide(a["text"]) and layout.is_wide(b["text"])]
    assert sorted(gaps)[len(gaps) // 2] > 2.0  # the glyphs really are spread apart
    [spaced] = extract_path(made["spaced"])
    [plain] = extract_path(made["plain"])
    assert form_misses(golden(YUHAI_APP), spaced.to_json()) == []
    # Letter spacing adds no space: every value reads as from the same form set solid (the
    # typed gap in 2011.09～至今　　市民政局 kept, none in 2 0 0 1 . 0 9 or between ideographs).
    # Line breaks are left out of this comparison: a resume line that spacing widens to
    # within one date of the cell edge looks wrapped (the geometry cannot tell).
    def flat(fields):
        return {k: v.replace("\n", "") if isinstance(v, str) else v for k, v in fields.items()}

    assert flat(spaced.fields) == flat(plain.fields)
    assert spaced.fields["deeds"] == plain.fields["deeds"]


@pytest.mark.soffice
@needs_soffice
def test_continuation_page_is_appended_to_its_field(made):
    assert _pages(made["continued"]) == _pages(made["plain"]) + 1  # the form, then the attached page
    [r] = extract_path(made["continued"])
    got = r.to_json()
    entry = golden(YUHAI_APP)
    assert form_misses(entry, got) == []
    # The attached paragraph is its own paragraph, and the cell's wrapped lines stay joined.
    assert _lines(got["fields"]["deeds"]) == _lines(entry["fields"]["deeds"])
    assert got["fields"]["deeds"].endswith("让她赢得了群众“贴心人”的称号。")
    assert "（续）" not in got["fields"]["deeds"]  # the attached page's heading is no part of the value


def test_attached_page_lines_do_not_change_how_the_cell_wraps():
    """layout.paragraphs: lines of an attached page (wider, page text area) must not move the
    cell's right edge, or every wrapped line of the cell would become a paragraph."""
    em = 10.0

    def line(x0, x1, y, text, new=False):
        return layout.TextLine(x0, y, x1, y + em, text, em, new_paragraph=new)

    cell = [line(100, 300, 0, "甲" * 20), line(100, 300, 12, "乙" * 20), line(100, 150, 24, "丙" * 5)]
    attached = [line(50, 500, 100, "丁" * 45, new=True), line(50, 500, 112, "戊" * 45), line(50, 200, 124, "己" * 15)]
    text = layout.paragraphs(cell + attached, 100, 305)
    assert text == "甲" * 20 + "乙" * 20 + "丙" * 5 + "\n" + "丁" * 45 + "戊" * 45 + "己" * 15


def _one_row(page: int, label: str, lines: list) -> layout.GeoTable:
    """A table part of one row: a label cell (x 0–40) and a 74 pt wide cell holding ``lines``."""
    em = 10.5
    head = [layout.TextLine(5, 5, 5 + em * len(label), 5 + em, label, em)]
    cells = [layout.GeoCell(0, 0, 40, 60, 0, 0, page=page, lines=head),
             layout.GeoCell(40, 0, 114, 60, 0, 1, page=page, lines=lines)]
    return layout.GeoTable(0, 0, 114, 60, [0, 40, 114], [0, 60], cells, page)


def _set(text: str, x0: float, y: float) -> layout.TextLine:
    return layout.TextLine(x0, y, x0 + 10.5 * len(text), y + 10.5, text, 10.5)


@pytest.mark.parametrize("x0, first, rows", [
    (56.0, "查阅台账", 2),  # entries centred in the column, 16 pt free either side: each ended by itself
    (42.0, "工作职责分工", 1),  # running text up to the cell edge, not a sentence's end: cut by the page
])
def test_last_line_at_a_page_foot_continues_below_only_when_wrapped(x0, first, rows):
    """Labels that name no built-in item, so only the lines can tell a row cut in two from the next row."""
    above = _one_row(1, "考评甲", [_set(first, x0, 5), _set(first, x0, 20)])
    below = _one_row(2, "考评乙", [_set(first, x0, 5)])
    assert layout.join_tables(above, below, pdf_reader.TOL).n_rows == rows


@pytest.mark.soffice
@needs_soffice
def test_a_pdf_that_is_no_form_gives_form_type_none(made):
    [r] = extract_path(made["notice"])
    got = r.to_json()
    assert got["form_type"] is None and got["method"] == "pdf-text"
    assert got["problems"] and all("\n" not in p["message"] for p in got["problems"])


@pytest.mark.soffice
@needs_soffice
def test_pdf_with_an_open_password_is_refused_as_encrypted(made):
    with pytest.raises(InputFileError) as e:
        extract_path(made["locked"])
    assert e.value.kind == "encrypted"
    msg = _one_line_error(e.value, "notice.pdf")
    assert "密码" in msg and "重新发送" in msg
    res = CliRunner().invoke(cli, ["extract", str(made["locked"]), "--json"])
    assert res.exit_code > 0 and "Traceback" not in res.output
    assert len([x for x in res.stderr.splitlines() if x.strip()]) == 1


@pytest.mark.soffice
@needs_soffice
def test_pdf_with_only_a_permissions_password_reads_normally(made):
    [r] = extract_path(made["restricted"])
    assert r.method == "pdf-text"
    assert form_misses(golden(YUHAI_APP), r.to_json()) == []


# ---------------------------------------------------------------------------------------------
# broken files (no LibreOffice needed)
# ---------------------------------------------------------------------------------------------

def _minimal_pdf(trailer_extra: str = "", objects_extra: list[str] | None = None) -> bytes:
    """A one-page PDF with correct xref offsets; ``objects_extra`` are appended as 4 0 obj …"""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", *(objects_extra or [])]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_encrypted_pdf_without_libreoffice(tmp_path):
    """Standard security handler, RC4 40-bit, a user password that is not empty: the
    empty password does not authenticate."""
    enc = f"<< /Filter /Standard /V 1 /R 2 /O <{'ab' * 32}> /U <{'cd' * 32}> /P -44 >>"
    path = tmp_path / "加密的申报表.pdf"
    path.write_bytes(_minimal_pdf(f"/Encrypt 4 0 R /ID [<{'01' * 16}><{'01' * 16}>] ", [enc]))
    with pytest.raises(InputFileError) as e:
        extract_path(path)
    assert e.value.kind == "encrypted"
    assert "密码" in _one_line_error(e.value, path.name)


def _image_only_pdf() -> bytes:
    """The scan of tests/data as a PDF with no text layer (what a scanner writes)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.open(RETURNS / SCAN).save(buf, "PDF", resolution=200)
    return buf.getvalue()


@pytest.mark.parametrize("variant", ["pdf", "scan"])
@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_truncated_pdf_has_its_own_kind_and_message(tmp_path, variant, keep):
    data = TEXT_PDF.read_bytes() if variant == "pdf" else _image_only_pdf()
    path = tmp_path / f"{BASE}.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputFileError) as e:
        extract_path(path)
    assert e.value.kind == "truncated"
    msg = _one_line_error(e.value, path.name)
    assert "不完整" in msg and "完整的文件" in msg and "密码" not in msg
    res = CliRunner().invoke(cli, ["extract", str(path), "--json"])
    assert res.exit_code > 0 and len([x for x in res.stderr.splitlines() if x.strip()]) == 1


def test_damaged_but_complete_pdf_is_corrupt_not_truncated(tmp_path):
    path = tmp_path / "坏.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage\xff" * 2000 + b"\n%%EOF\n")
    with pytest.raises(InputFileError) as e:
        extract_path(path)
    assert e.value.kind == "corrupt"
    msg = _one_line_error(e.value, path.name)
    assert "损坏" in msg and "密码" not in msg


def test_encrypted_truncated_and_corrupt_messages_differ():
    assert len({pdf_reader.ENCRYPTED, pdf_reader.TRUNCATED, pdf_reader.CORRUPT}) == 3


def test_blank_pdf_page_is_no_form(tmp_path):
    path = tmp_path / "空白.pdf"
    path.write_bytes(_minimal_pdf())
    [r] = extract_path(path)
    assert r.form_type is None and r.method == "pdf-text"


# ---------------------------------------------------------------------------------------------
# fonts without a Unicode map: the text layer reads (cid:N)
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def cid_pdf(tmp_path):
    """A LibreOffice PDF whose fonts lose their ToUnicode map (same byte length: offsets stay valid)."""
    data = TEXT_PDF.read_bytes()
    assert data.count(b"/ToUnicode") >= 1
    path = tmp_path / f"{BASE}.pdf"
    path.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))
    return path


def test_cid_garbage_page_is_sent_to_ocr(cid_pdf):
    import pdfplumber

    with pdfplumber.open(cid_pdf) as pdf:
        page = pdf.pages[0]
        assert "(cid:" in "".join(c["text"] for c in page.chars)
        assert pdf_reader._read_page(page, 1) == pdf_reader.GARBLED


def test_cid_garbage_without_ocr_says_how_to_install_it(cid_pdf, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr → ImportError
    with pytest.raises(InputFileError) as e:
        extract_path(cid_pdf)
    assert e.value.kind == "needs_ocr"
    msg = _one_line_error(e.value, cid_pdf.name)
    assert "pip install formgen[ocr]" in msg and "乱码" in msg


@pytest.mark.ocr
@pytest.mark.skipif(not HAS_OCR, reason="the [ocr] extra is not installed")
def test_cid_garbage_with_ocr_is_read_by_ocr(cid_pdf):
    [r] = extract_path(cid_pdf)
    got = r.to_json()
    assert got["method"] == "ocr" and got["form_type"] == "post_score_sheet"
    # 组织宣传 and 硬件设施, as the unit scored itself (formgen/sample/people.yaml, 市地方税务局)
    assert [i["score"] for i in got["items"]][:2] == [9, 13.5]

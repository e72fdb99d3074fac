"""Issue 22, defect 5: printed placeholders (负责人签字, （盖章）, 年 月 日) leave a value by the one matcher,
whatever reader read the return: the county's own 推荐表 filled in Word, saved as .doc, printed to a text PDF,
and scanned."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from formgen import docxkit as dk
from formgen.anchors import field_anchor
from formgen.campaign.load import load_campaign
from formgen.cli import cli
from formgen.intake.extract import extract_path

OPINION = "经单位党组研究，同意推荐该窗口参评。"
VALUES = {"window": "政务服务中心综合窗口", "head": "刘敏", "phone": "0839-7200001", "staff": "6",
          "case_volume": "12884", "satisfaction": "96.5%", "practices": "推行一次告知和限时办结，全年办件无超期。",
          "unit_opinion": OPINION}
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                                   reason="LibreOffice or poppler absent")


def fill(blank: Path, target: Path) -> Path:
    """The unit types its values into the issued blank, leaving the printed 负责人签字：/（盖章）/年 月 日."""
    d = docx.Document(str(blank))
    marks = dk.bookmark_starts(d)
    for key, value in VALUES.items():
        dk.type_text_into(dk.paragraph_of(marks[field_anchor(key)]), value)
    d.save(str(target))
    return target


def soffice(src: Path, fmt: str, out: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{fmt}"


def scan(pdf: Path, out: Path) -> Path:
    """The printed form scanned back at 200 dpi, as an image-only PDF."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-jpeg", "-singlefile", str(pdf), str(out / "page")],
                   check=True, timeout=120)
    target = out / "扫描件.pdf"
    Image.open(out / "page.jpg").save(target, resolution=200)
    return target


@pytest.fixture(scope="module")
def returns(tmp_path_factory):
    from county import make_county

    root = make_county(tmp_path_factory.mktemp("readers") / "county")
    assert CliRunner().invoke(cli, ["-C", str(root), "issue", "--unit", "县政务服务中心"]).exit_code == 0
    (blank,) = (root / "out" / "issue" / "县政务服务中心").glob("*.docx")
    work = root / "returns"
    work.mkdir()
    filled = fill(blank, work / "推荐表.docx")
    files = {"docx": filled}
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        files["doc"] = soffice(filled, "doc", work)
        files["pdf"] = soffice(filled, "pdf", work)
        files["scan"] = scan(files["pdf"], work)
    return load_campaign(root / "campaign.yaml").form_specs(), files


@pytest.mark.parametrize("reader", ["docx", pytest.param("doc", marks=needs_soffice),
                                    pytest.param("pdf", marks=needs_soffice), pytest.param("scan", marks=needs_soffice)])
def test_printed_placeholders_leave_the_value_whatever_the_reader(returns, reader):
    forms, files = returns
    (result,) = extract_path(files[reader], forms)
    expected_method = {"docx": None, "doc": None, "pdf": "pdf-text", "scan": "ocr"}[reader]
    if expected_method:
        assert result.method == expected_method
    opinion = result.fields["unit_opinion"]
    for printed in ("签字", "盖章", "年月日", "年  月  日"):
        assert printed not in opinion, (reader, opinion)
    assert "\n" not in opinion.strip()
    if reader != "scan":  # OCR may misread a character of the text itself; the placeholders must still go
        assert opinion == OPINION
    assert result.fields["owner_unit"] == "县政务服务中心"  # pre-filled at issue (defect 2), read back


@pytest.mark.parametrize("cell_text", [
    OPINION + "\n负责人签字：\n（盖章）\n年   月   日",  # as Word holds it
    OPINION + "\n负责人签字:",  # the county's scan (issue 22.5): OCR gave an ASCII colon
    OPINION + "\n负 责 人 签 字 ：\n(盖章)\n2025年  月  日",  # a PDF's text layer spaces the characters out
    OPINION + "\n负责人签字\n（盖 章）",  # OCR dropped the colon
])
def test_one_matcher_removes_the_printed_lines_as_each_reader_gives_them(cell_text):
    from formgen.intake.matcher import field_value

    (spec,) = load_campaign(Path(__file__).parent / "data" / "county" / "campaign.yaml").forms
    assert field_value(spec.field("unit_opinion"), cell_text) == OPINION


def test_a_number_is_checked_against_its_own_range_whatever_the_reader(returns):
    """Issue 22.6: 年办件量 12884 from the scan got "超出常见范围" (a headcount's range); the county sets none."""
    forms, files = returns
    for reader, path in files.items():
        (result,) = extract_path(path, forms)
        assert result.fields["case_volume"] == 12884, reader
        assert not [p for p in result.problems if p.field == "case_volume"], (reader, result.problems)
        assert result.fields["satisfaction"] == 96.5, reader  # kind percent (issue 22.9): 96.5% is a number


def _read_as(method: str, value: int, field_range=None):
    from formgen.intake.result import ExtractResult, ValueSource
    from formgen.intake.validate import validate

    (spec,) = load_campaign(Path(__file__).parent / "data" / "county" / "campaign.yaml").forms
    spec = spec.model_copy(deep=True)
    f = spec.field("case_volume")
    f.range = field_range
    r = ExtractResult(file="x.pdf", form_type=spec.type, method=method,
                      fields={k: v for k, v in VALUES.items() if k not in ("staff", "case_volume", "satisfaction")})
    r.fields.update(staff=6, satisfaction=96.5, case_volume=value)
    r.provenance["case_volume"] = ValueSource(where="表1 第3行第4列", method=method)
    validate(r, spec)
    return [p.message for p in r.problems if p.field == "case_volume"]


def test_range_from_the_campaign_is_named_and_an_ocr_value_says_it_is_an_ocr_doubt():
    assert _read_as("labels", 12884) == []
    assert _read_as("labels", 12884, (0, 10000)) == ["“年办件量”为 12884，不在本字段设定的范围 0–10000内，请对照原件核对"]
    assert _read_as("ocr", 12884, (0, 10000)) == [
        "需人工核对（OCR 识别存疑）：“年办件量”为 12884，不在本字段设定的范围 0–10000内，请对照原件核对"]

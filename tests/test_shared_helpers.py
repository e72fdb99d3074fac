"""The one-of-each helpers every stage shares: number parser, file names, LibreOffice lookup, size limit."""
from __future__ import annotations

import stat
from decimal import Decimal

import pytest

from formgen.filenames import safe_filename
from formgen.intake.limits import MAX_BYTES, too_large
from formgen.intake.normalize import parse_score
from formgen.numeric import parse_number
from formgen.scoring.panel import parse_score as parse_cell
from formgen.scoring.rules import ScoringError, as_decimal


@pytest.mark.parametrize("typed, expected", [
    ("18", Decimal("18")), ("１９．５", Decimal("19.5")), (" 2 0 ", Decimal("20")), ("－3", Decimal("-3")),
    (".5", Decimal("0.5")), ("7。5", Decimal("7.5")),
])
def test_parse_number_folds_full_width_and_spaces(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "1e3", "nan", "Infinity", "=A1+1", "十", "1.2.3", "分"])
def test_parse_number_refuses_what_is_not_a_plain_number(typed):
    with pytest.raises(ValueError):
        parse_number(typed, units=("分",))


def test_forms_workbooks_and_settings_read_numbers_alike():
    # a returned form's 得分 cell, a judge's workbook cell, a rule input in a workbook
    assert parse_score("１８．５分") == 18.5
    assert parse_cell("１８．５分", 0, 20) == (18.5, None)
    assert as_decimal("１８．５", "得分") == Decimal("18.5")
    assert as_decimal("1,200", "人数") == Decimal("1200") and as_decimal("95%", "比例") == Decimal("95")
    assert parse_cell("1e1", 0, 20)[0] is None  # one parser: an exponent is not a score anywhere
    with pytest.raises(ScoringError):
        as_decimal("1e1", "得分")


def test_safe_filename_one_rule_for_every_stage():
    assert safe_filename('东山街道/便民中心:窗口. ') == "东山街道_便民中心_窗口"
    assert safe_filename("LPT1.docx") == "_LPT1.docx"
    assert safe_filename(" . ") == "未命名"
    assert len(safe_filename("长" * 200)) == 80


def test_soffice_lookup_honours_formgen_soffice(tmp_path, monkeypatch):
    from formgen.soffice import soffice_path

    fake = tmp_path / "my-soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("FORMGEN_SOFFICE", str(fake))
    assert soffice_path() == str(fake)
    monkeypatch.setenv("FORMGEN_SOFFICE", str(tmp_path / "missing"))
    assert soffice_path() != str(tmp_path / "missing")


def test_one_size_limit_and_message():
    err = too_large("forms_in/扫描件.pdf", MAX_BYTES + 11 * 1024 * 1024)
    assert err.kind == "too_large"
    assert "文件过大（61 MB，上限 50 MB）" in str(err) and "扫描件.pdf" in str(err)


def test_publish_pdfs_use_the_configured_libreoffice(tmp_path, monkeypatch):
    """FORMGEN_SOFFICE is honoured by publish too (it once looked only at PATH)."""
    from formgen.publish.run import to_pdf

    log = tmp_path / "called"
    fake = tmp_path / "office" / "soffice"
    fake.parent.mkdir()
    # A stand-in that writes <outdir>/<stem>.pdf for each input, as soffice --convert-to pdf does.
    fake.write_text('#!/bin/sh\necho "$@" > "%s"\nout=""\nwhile [ $# -gt 0 ]; do\n'
                    '  case "$1" in --outdir) out="$2"; shift 2;; *.docx) b=$(basename "$1" .docx);'
                    ' echo "%%PDF-1.4" > "$out/$b.pdf"; shift;; *) shift;; esac\ndone\n' % log)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("FORMGEN_SOFFICE", str(fake))
    doc = tmp_path / "公示名单.docx"
    doc.write_bytes(b"PK")
    assert to_pdf([doc]) == [tmp_path / "公示名单.pdf"]
    assert "--convert-to pdf" in log.read_text()

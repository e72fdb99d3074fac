"""issue 22 defect 4 and issue 17 point 2: the one header matcher of unit lists, and ``formgen units import``."""
from __future__ import annotations

import csv
import io

from click.testing import CliRunner
from county import office_rows, write_office_xlsx

from formgen.campaign.check import check_workspace
from formgen.campaign.unit_columns import match_columns
from formgen.cli import cli
from formgen.workspace import Workspace


def test_header_below_a_title_and_known_spellings_are_mapped():
    rows = [["名单标题", None, None], [None, None, None], ["单位", "分类", "E-mail", "联系电话", "备注"],
            ["甲局", "乡镇", "a@example.cn", "123", "x"]]
    m = match_columns(rows)
    assert m.header_row == 2
    assert m.columns == {"name": 0, "category": 1, "email": 2, "phone": 3}
    assert m.extra == [(4, "备注")]


def test_duplicates_blank_names_bad_addresses_and_categories_are_reported():
    rows = [["单位名称", "类别", "电子邮箱"], ["甲局", "乡镇", "qcjtj@163,com"], ["甲局", "乡镇", "a@example.cn"],
            [None, "乡镇", "b@example.cn"], ["乙局", "街道", "c@example.cn"]]
    problems = dict(match_columns(rows, categories=["乡镇"]).problems)
    assert "qcjtj@163,com" in problems[2] and "不会使用" in problems[2]
    assert "与第 2 行重复" in problems[3]
    assert "单位名称为空" in problems[4]
    assert "“街道”不在" in problems[5]


def test_defect4_county_list_reads_emails_and_a_bad_address_is_never_half_used(county):
    units = Workspace.open(county).units
    assert len(units) == 25
    by_name = {u.name: u for u in units}
    assert by_name["县政务服务中心"].emails() == ["qc01@example.cn"]  # header 电子邮箱, not 邮箱
    assert by_name["县交通运输局"].emails() == []  # "qcjtj@163,com": not "qcjtj@163"
    report = check_workspace(county)
    assert any("第 11 行" in e and "qcjtj@163,com" in e for e in report.errors), report.errors
    assert any("“备注”" in w and "不使用" in w for w in report.warnings)


def test_units_import_csv_in_gbk_writes_units_xlsx_keeping_extra_columns(county, tmp_path):
    src = tmp_path / "名单.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows(office_rows())
    src.write_bytes(buf.getvalue().encode("gbk"))  # as Excel saves CSV on Chinese Windows
    result = CliRunner().invoke(cli, ["-C", str(county), "units", "import", str(src), "--yes"])
    assert result.exit_code == 0, result.output
    assert "第 9 行" in result.output and "qcjtj@163,com" in result.output
    units = Workspace.open(county).units
    assert len(units) == 25 and units[0].phone == "0839-7200001"
    assert units[0].extra == {"备注": "窗口在政务服务中心"}


def test_units_import_asks_about_a_guessed_column(county, tmp_path):
    rows = office_rows()
    rows[0][5] = "单位邮件地址"  # only resembles 邮箱: asked
    src = write_office_xlsx(tmp_path / "名单.xlsx", rows)
    result = CliRunner().invoke(cli, ["-C", str(county), "units", "import", str(src)], input="n\ny\n")
    assert result.exit_code == 0, result.output
    assert "是“邮箱”吗" in result.output
    assert Workspace.open(county).units[0].emails() == []


def test_units_import_bad_file_is_one_chinese_line(county, tmp_path):
    bad = tmp_path / "名单.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    result = CliRunner().invoke(cli, ["-C", str(county), "units", "import", str(bad), "--yes"])
    assert result.exit_code != 0
    assert "无法打开" in result.output and "Traceback" not in result.output

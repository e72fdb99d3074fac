"""Issue 22, defect 2: the field that holds the unit (by key, or by label 所属单位/推荐单位/申报单位/单位名称)
is pre-filled with the unit's name in every issued form, in every layout."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from county import office_rows
from formgen import docxkit as dk
from formgen.anchors import field_anchor
from formgen.cli import cli


def cell_value(path: Path, key: str) -> str:
    marks = dk.bookmark_starts(docx.Document(str(path)))
    return dk.p_text(dk.paragraph_of(marks[field_anchor(key)]))


def issued_forms(root: Path) -> dict[str, Path]:
    """unit name → its one issued 推荐表 (the county issues one form)."""
    out = {}
    for folder in (root / "out" / "issue").iterdir():
        if folder.is_dir():
            (form,) = folder.glob("*.docx")
            out[folder.name] = form
    return out


def issue(root: Path):
    res = CliRunner().invoke(cli, ["-C", str(root), "issue"])
    assert res.exit_code == 0, res.output
    return issued_forms(root)


def units() -> list[str]:
    rows = office_rows()
    col = rows[0].index("单位")  # the office names the column 单位
    return [r[col] for r in rows[1:]]


def test_grid_layout_prefills_owner_unit(county):
    # county campaign.yaml: {key: owner_unit, label: 所属单位}, layout [[window, owner_unit], …]
    forms = issue(county)
    assert sorted(forms) == sorted(units())
    for unit, form in forms.items():
        assert cell_value(form, "owner_unit") == unit


@pytest.mark.parametrize("field_line, key", [
    ("      - {key: owner_unit, label: 所属单位}", "owner_unit"),  # by label, no layout
    ("      - {key: sender, label: 申报单位}", "sender"),  # by label
    ("      - {key: unit, label: 报送单位}", "unit"),  # by key
    ("      - {key: sender, label: 推荐单位, position: line}", "sender"),  # on the line above the table
])
def test_generic_layout_prefills_the_unit_field(county, field_line, key):
    yaml = county / "campaign.yaml"
    text = yaml.read_text(encoding="utf-8")
    text = text.replace("      - {key: owner_unit, label: 所属单位}", field_line)
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("layout:"))
    yaml.write_text(text, encoding="utf-8")
    forms = issue(county)
    assert cell_value(forms["县政务服务中心"], key) == "县政务服务中心"
    assert cell_value(forms["县政务服务中心"], "window") == ""  # only the unit's field is pre-filled

"""``formgen check``: campaign.yaml and units.xlsx validated without running anything; clean errors."""
from __future__ import annotations

import yaml
from click.testing import CliRunner

from formgen.cli import cli


def _check(ws):
    return CliRunner().invoke(cli, ["-C", str(ws.root), "check"])


def _edit(ws, change):
    path = ws.root / "campaign.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_check_passes_on_the_presets(new_workspace):
    for preset in ("anhui-provincial", "kunshan-awards"):
        result = _check(new_workspace(preset, name=preset))
        assert result.exit_code == 0, result.output
        assert "检查通过" in result.output


def test_misspelt_rule_type_lists_the_valid_ones(new_workspace):
    ws = new_workspace("kunshan-awards")
    _edit(ws, lambda d: d["awards"][4]["rubric"]["items"][0]["rules"][0].update(type="case_deducton"))
    result = _check(ws)
    assert result.exit_code != 0 and "Traceback" not in result.output
    line = result.stderr.strip().splitlines()[-1]
    assert "awards[4].rubric.items[0].rules[0]" in line and "case_deducton" in line
    assert "case_deduction" in line and "honor_levels" in line  # the valid choices


def test_undefined_category_is_reported_at_its_full_path(new_workspace):
    ws = new_workspace("kunshan-awards")
    _edit(ws, lambda d: d["awards"][4].update(categories=["进驻窗囗"]))  # a look-alike character
    result = _check(ws)
    assert result.exit_code != 0
    line = result.stderr.strip().splitlines()[-1]
    assert "awards[4].categories.进驻窗囗" in line and "（顶层）" not in line
    assert "进驻窗口、局机关科室、下属事业单位、区镇政务服务中心" in line

    ws = new_workspace("anhui-provincial", name="a")
    _edit(ws, lambda d: d["awards"][0]["quota"].update(per_category={"第五类": 3}))
    line = _check(ws).stderr.strip().splitlines()[-1]
    assert "awards[0].quota.per_category.第五类" in line and "综合部门" in line


def test_unit_with_unknown_category(new_workspace):
    from formgen.campaign.load import write_units
    from formgen.campaign.model import Unit

    ws = new_workspace("anhui-provincial")
    units = list(ws.units)
    units[2] = Unit(name=units[2].name, category="综合部门类", email=units[2].email)
    write_units(ws.root / "units.xlsx", units)
    result = _check(ws)
    assert result.exit_code != 0
    assert f"units.xlsx：第 4 行（{units[2].name}）：类别为“综合部门类”" in result.stderr
    assert "可选：综合部门、行政管理部门、中央驻皖单位、金融服务机构" in result.stderr


def test_check_outside_a_workspace(tmp_path):
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "check"])
    assert result.exit_code != 0 and "campaign.yaml" in result.stderr and "Traceback" not in result.output


def test_scorers_clean_errors(new_workspace):
    ws = new_workspace("kunshan-awards")
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "scorers"])
    assert result.exit_code != 0 and "还没有任何参评对象" in result.stderr and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "scorers", "--read"])
    assert result.exit_code != 0 and "out/scorers/returned/" in result.stderr


def test_results_notice_needs_a_stored_score(new_workspace):
    ws = new_workspace("anhui-provincial")
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "results-notice", "--no-pdf"])
    assert result.exit_code != 0 and "请先运行 formgen score" in result.stderr and "Traceback" not in result.output


def test_award_period_must_be_a_quarter_or_a_year(new_workspace):
    ws = new_workspace("kunshan-awards")
    _edit(ws, lambda d: d["awards"][0].update(period="2024年四季度"))
    result = _check(ws)
    assert result.exit_code != 0
    assert "awards[0].period" in result.stderr and "应写成 2024Q4（季度）或 2024（年度）" in result.stderr

"""Issue 8 defects 3 and 9: bad settings give one Chinese line naming the file and the key or cell."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from formgen.campaign.check import check_workspace
from formgen.campaign.load import load_campaign, load_units
from formgen.errors import ConfigError


@pytest.fixture(scope="module")
def preset_ws(tmp_path_factory):
    from formgen.issue.init import init_workspace

    return init_workspace(tmp_path_factory.mktemp("settings") / "ws", "ruian-2014").root


@pytest.fixture
def ws(preset_ws, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(preset_ws, root)
    return root


def test_defect3_directory_in_place_of_campaign_yaml(ws):
    from formgen.cli import cli

    (ws / "campaign.yaml").unlink()
    (ws / "campaign.yaml").mkdir()
    result = CliRunner().invoke(cli, ["-C", str(ws), "status"])
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "是一个文件夹" in lines[0] and "campaign.yaml" in lines[0]


def test_defect9_negative_quota_names_the_key(ws):
    path = ws / "campaign.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("quota: {total: 10,", "quota: {total: -5,", 1),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_campaign(path)
    assert "awards[0].quota.total" in str(e.value) and "应不小于 0" in str(e.value) and "-5" in str(e.value)


def test_defect9_duplicate_key_names_both_lines(ws):
    path = ws / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    year = next(i for i, ln in enumerate(lines) if ln.startswith("year:"))
    lines.insert(year + 1, "year: 2015")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_campaign(path)
    assert f"第 {year + 2} 行“year”与第 {year + 1} 行重复" in str(e.value)


def test_defect9_formula_without_cached_value_is_refused_with_its_cell(tmp_path):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["单位名称", "类别", "联系人", "邮箱"])
    sheet.append(["东山街道", "街道", "张三", "ds@example.cn"])
    sheet.append(['="市"&"财政局"', "部门", "李四", "cz@example.cn"])  # openpyxl saves no cached result
    path = tmp_path / "units.xlsx"
    wb.save(path)
    with pytest.raises(ConfigError) as e:
        load_units(path)
    assert "units.xlsx：单元格 A3 是公式" in str(e.value)


def test_defect9_unknown_category_and_shared_email_are_reported(ws):
    from formgen.campaign.load import write_units
    from formgen.campaign.model import Unit

    c = load_campaign(ws / "campaign.yaml")
    cats = [x.name for x in c.categories]
    write_units(ws / c.units_file, [Unit(name="东山街道", category=cats[0], email="same@example.cn"),
                                    Unit(name="市财政局", category="不存在的类别", email="Same@example.cn")])
    report = check_workspace(ws)
    assert any("第 3 行（市财政局）" in e and "不存在的类别" in e for e in report.errors)
    assert any("same@example.cn" in w and "东山街道、市财政局" in w for w in report.warnings)


def test_defect4_a_300_character_unit_name_issues_and_reminds(ws):
    from formgen.campaign.load import write_units
    from formgen.campaign.model import Unit
    from formgen.collect.remind import write_reminders
    from formgen.issue.render import issue_forms
    from formgen.workspace import Workspace

    long_name = "瑞安市" + "很长的单位名称" * 42 + "办公室"
    c = load_campaign(ws / "campaign.yaml")
    write_units(ws / c.units_file, [Unit(name=long_name, email="long@example.cn"),
                                    Unit(name="东山街道", email="ds@example.cn")])
    w = Workspace.open(ws)
    report = issue_forms(w)
    assert [len(u.files) for u in report.units] == [4, 4]
    assert all(len(f.name.encode()) <= 255 and f.exists() for u in report.units for f in u.files)
    reminders = write_reminders(w)
    assert [r.unit for r in reminders] == [long_name, "东山街道"]
    assert all(r.path.exists() and len(r.path.name.encode()) <= 255 for r in reminders)


@pytest.fixture(scope="module")
def town_ws(tmp_path_factory):
    from formgen.issue.init import init_workspace

    return init_workspace(tmp_path_factory.mktemp("town") / "ws", "town-internal").root


@pytest.mark.parametrize("preset, old, new, key", [
    # seed 004's 内部测评: two rater groups weighted 0.5 each; .nan passed the sum-to-1 test (NaN compares false)
    ("town", "{name: 班子成员, weight: 0.5,", "{name: 班子成员, weight: .nan,", "aggregation.groups[0].weight"),
    ("ruian", "max: 10\n", "max: .nan\n", "rubric.items[0].max"),
    ("ruian", "max: 10\n", "max: -.inf\n", "rubric.items[0].max"),
    ("town", "levels: {满意: 90,", "levels: {满意: .inf,", "levels.满意"),
])
def test_issue15_defect9_nan_and_infinity_are_refused_by_check(preset, old, new, key, preset_ws, town_ws, tmp_path):
    from formgen.cli import cli

    root = tmp_path / "ws"
    shutil.copytree(town_ws if preset == "town" else preset_ws, root)
    path = root / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "campaign.yaml：" in lines[0] and key in lines[0] and "不能是 .nan、.inf" in lines[0]


def test_issue15_defect9_every_settings_model_refuses_non_finite_numbers():
    """One base for all settings: a model added later inherits the rule instead of having to remember it."""
    import formgen.ballots.settings  # noqa: F401  (register the models)
    import formgen.campaign.model  # noqa: F401
    from formgen.settings_model import SettingsModel

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    models = list(subclasses(SettingsModel))
    assert len(models) > 20
    for model in models:
        assert model.model_config.get("allow_inf_nan") is False, model.__name__
    from pydantic import BaseModel

    stray = [m.__name__ for m in subclasses(BaseModel)
             if m.__module__.startswith("formgen.") and not issubclass(m, SettingsModel)]
    assert stray == []


def test_issue15_defect9_workbook_numbers_refuse_nan_and_infinity():
    from decimal import Decimal

    from formgen.errors import FormgenError
    from formgen.numeric import parse_number
    from formgen.scoring.rules import as_decimal

    for text in ("nan", "NaN", "inf", "-Infinity", "1e400"):
        with pytest.raises(ValueError):
            parse_number(text)
    # openpyxl hands back float('inf') for a cell stored as 1E999, and Decimal cells come from the ledger
    for value in (float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(FormgenError):
            as_decimal(value, "得分")

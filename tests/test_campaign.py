"""The campaign model: the preset loads, and bad config gets a Chinese message naming file and key."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from formgen.campaign.load import load_campaign, load_units, write_units
from formgen.campaign.model import Unit
from formgen.campaign.presets import preset_campaign, preset_dir, preset_names, preset_units
from formgen.errors import ConfigError


def test_ruian_preset_states_the_notice():
    c = preset_campaign("ruian-2014")
    assert c.issuer.doc_number == "瑞委办传〔2014〕75号"
    post, person = c.award("post"), c.award("person")
    assert [i.name for i in post.rubric.items] == ["组织宣传", "硬件设施", "管理制度", "工作作风", "依法行政", "服务质量"]
    assert sum(i.max for i in post.rubric.items) == 100
    assert [i.max for i in person.rubric.items] == [20] * 5
    assert post.quota.total == person.quota.total == 10
    assert post.quota.recommend_up == person.quota.recommend_up == 2
    # every deduction rule's caps fit inside its item (扣完为止 per item)
    for item in post.rubric.items:
        worst = sum((r.cap if getattr(r, "cap", None) else r.points) for r in item.rules if r.type != "judged")
        assert worst == item.max, item.name
    assert c.form_spec("candidate_application").field("deeds").target_chars == 500
    assert len(preset_units("ruian-2014")) == 30
    assert "ruian-2014" in preset_names()


def _write(tmp_path, data) -> Path:
    p = tmp_path / "campaign.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def _preset_data():
    return yaml.safe_load((preset_dir("ruian-2014") / "campaign.yaml").read_text(encoding="utf-8"))


def test_wrong_type_names_file_key_and_expectation(tmp_path):
    data = _preset_data()
    data["awards"][0]["quota"]["total"] = "十个"
    with pytest.raises(ConfigError) as e:
        load_campaign(_write(tmp_path, data))
    msg = str(e.value)
    assert msg.startswith("campaign.yaml：awards[0].quota.total：应为整数")
    assert "十个" in msg and "\n" not in msg


def test_unknown_key_and_unknown_rule_type(tmp_path):
    data = _preset_data()
    data["awards"][0]["quotaa"] = 3
    with pytest.raises(ConfigError, match="不认识的设置项"):
        load_campaign(_write(tmp_path, data))
    data = _preset_data()
    data["awards"][0]["rubric"]["items"][0]["rules"][0]["type"] = "deduct_some"
    with pytest.raises(ConfigError, match="type 取值不在允许范围内"):
        load_campaign(_write(tmp_path, data))


def test_rubric_sum_and_references_checked(tmp_path):
    data = _preset_data()
    data["awards"][1]["rubric"]["items"][0]["max"] = 25
    with pytest.raises(ConfigError, match="各评分项分值之和为 105"):
        load_campaign(_write(tmp_path, data))
    data = _preset_data()
    data["awards"][1]["nomination_form"] = "no_such_form"
    with pytest.raises(ConfigError, match="未定义的表格类型 no_such_form"):
        load_campaign(_write(tmp_path, data))


def test_yaml_syntax_error_gives_line(tmp_path):
    p = tmp_path / "campaign.yaml"
    p.write_text("id: x\nawards: [\n  - a: b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="格式有误"):
        load_campaign(p)


def test_every_rule_type_of_the_five_campaigns_is_expressible():
    """A rubric using each rule type the seeds need validates."""
    rules = [
        {"type": "case_deduction", "points": 0.5, "cap": 2},
        {"type": "range_deduction", "min": 2, "max": 5},
        {"type": "fixed_deduction", "points": 2},
        {"type": "case_bonus", "points": 2, "cap": 10},
        {"type": "threshold_penalty", "threshold": 90, "step": 10, "points": 2},
        {"type": "bonus_tiers", "tiers": [{"min": 1500, "max": 4999, "points": 0.3},
                                          {"min": 5000, "max": 9999, "points": 0.5}, {"min": 10000, "points": 1}]},
        {"type": "honor_levels", "levels": {"县级": 1, "市级": 3, "省级": 5}, "order": ["县级", "市级", "省级"],
         "cap": 5, "lower_for_categories": ["条线部门"]},
        {"type": "counted_bonus", "points": {"采用": 0.5, "报送": 0.1}, "period_cap": 0.5, "cap": 2.5},
        {"type": "rating_levels", "levels": {"满意": 90, "基本满意": 70, "不满意": 50}, "scale": 100},
        {"type": "proportional"},
    ]
    from formgen.campaign.model import Rubric

    r = Rubric.model_validate({"total": 100, "items": [{"name": "x", "max": 90, "rules": rules},
                                                       {"name": "y", "max": 10, "rules": [{"type": "judged"}]}],
                               "aggregation": {"method": "weighted_groups",
                                               "groups": [{"name": "班子成员", "weight": 0.5},
                                                          {"name": "干部职工", "weight": 0.5}]}})
    assert [type(x).__name__ for x in r.items[0].rules][:3] == ["CaseDeduction", "RangeDeduction", "FixedDeduction"]
    # a judge's number inside a deduction item would silently become its starting score: refused
    with pytest.raises(Exception, match="judged"):
        Rubric.model_validate({"total": 100, "items": [{"name": "x", "max": 100, "rules": [
            {"type": "judged"}, {"type": "case_deduction", "points": 1}]}]})
    with pytest.raises(Exception):
        Rubric.model_validate({"total": 100, "items": [{"name": "x", "max": 100}],
                               "aggregation": {"method": "weighted_groups",
                                               "groups": [{"name": "a", "weight": 0.7}]}})


def test_units_roundtrip_keeps_hostile_text_literal(tmp_path):
    units = [Unit(name="=HYPERLINK(\"x\")", category="镇街", contact="A&B", email="a@example.cn"),
             Unit(name="市<民政>局“窗口”", category="市级部门", contact=None, email="b@example.cn; c@example.cn")]
    p = tmp_path / "units.xlsx"
    write_units(p, units)
    back = load_units(p)
    assert [u.name for u in back] == [u.name for u in units]
    assert back[1].emails() == ["b@example.cn", "c@example.cn"]
    import zipfile

    sheet = zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_units_duplicate_and_missing_header(tmp_path):
    p = tmp_path / "units.xlsx"
    write_units(p, [Unit(name="东山街道"), Unit(name="东山街道")])
    with pytest.raises(ConfigError, match="重复"):
        load_units(p)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["编号", "邮箱"])  # 名称 alone now names the unit column (issue 22 defect 4)
    wb.save(p)
    with pytest.raises(ConfigError, match="缺少“单位名称”列"):
        load_units(p)

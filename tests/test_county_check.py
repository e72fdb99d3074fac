"""Issue 22, defect 3: ``check`` names every broken reference of campaign.yaml in one Chinese line, and no
configuration mistake reaches the clerk as an internal error in ``issue``."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formgen.cli import cli

WINDOW_ITEM = "        - {name: 办事效率, max: 30, content: 办件量大、按时办结率高、群众少跑腿}"

# (what the clerk typed wrong: old → new text of the county campaign.yaml, what check must name)
MUTATIONS = {
    "layout key": ("[staff, case_volume, satisfaction]", "[staff, case_volum, satisfaction]",
                   "campaign.yaml：forms[0].layout[2][1]：表格“青川县“最佳办事窗口”推荐表”的布局引用了未定义的字段“case_volum”"),
    "field left out of layout": ("[staff, case_volume, satisfaction]", "[staff, case_volume]",
                                 "forms[0].layout：表格“青川县“最佳办事窗口”推荐表”的字段“群众满意率”（satisfaction）没有排进布局"),
    "name field": ("name_field: window", "name_field: windows",
                   "campaign.yaml：awards[0].name_field：奖项“最佳办事窗口”的对象名称字段“windows”不在推荐表"),
    "rule field": (WINDOW_ITEM, "        - {name: 办事效率, max: 30, rules: [{type: bonus_tiers, field: case_volum, "
                   "tiers: [{min: 0, points: 30}]}]}",
                   "awards[0].rubric.items[1].rules[0].field：评分项“办事效率”读取的字段“case_volum”不在奖项“最佳办事窗口”的表格中"),
    "fact field": ("    certificate: true", "    certificate: true\n    facts_from_fields: {monthly_average: score}",
                   "awards[0].facts_from_fields.monthly_average：奖项“最佳办事窗口”读取的字段“score”不在它的表格中"),
    "quota category": ("quota: {total: 8}", "quota: {total: 8, per_category: {街道: 2}}",
                       "awards[0].quota.per_category.街道：奖项“最佳办事窗口”引用的类别“街道”未在 categories 中定义"),
    "award category": ("    certificate: true", "    certificate: true\n    categories: [街道]",
                       "awards[0].categories.街道：奖项“最佳办事窗口”引用的类别“街道”未在 categories 中定义"),
    "category quota missing": ("quota: {total: 8}", "quota: {total: 8, per_category: {县级部门: 5}}\n    rank_within: category",
                               "类别“乡镇”没有名额"),
    "judge twice": ("judges: [赵明, 钱芳, 孙立, 李静, 周强]", "judges: [赵明, 钱芳, 孙立, 李静, 赵明]",
                    "campaign.yaml：judges：评委“赵明”列了两次"),
    "nomination form": ("nomination_form: window_recommendation", "nomination_form: window_recommend",
                        "awards[0].nomination_form：奖项“最佳办事窗口”引用了未定义的表格类型 window_recommend"),
    "required form": ("{field_min: {satisfaction: 95}}", "{field_min: {satisfaction: 95}, required_forms: [self_check]}",
                      "awards[0].eligibility.required_forms[0]：奖项“最佳办事窗口”要求的表格类型“self_check”未定义"),
    "eligibility field": ("field_min: {satisfaction: 95}", "field_min: {satisfacton: 95}",
                          "awards[0].eligibility.field_min.satisfacton：奖项“最佳办事窗口”的参评条件读取的字段“satisfacton”不在它的表格中"),
    "builtin form": ("units_file: units.xlsx", "units_file: units.xlsx\nbuiltin_forms: [post_nomnation]",
                     "campaign.yaml：builtin_forms[0]：没有名为“post_nomnation”的内置表格"),
    "template": ("    attachment_no: 1", "    attachment_no: 1\n    template: 推荐表.doc",
                 "campaign.yaml：forms[0].template：“推荐表.doc”应为 templates 文件夹中的 .docx 文件名"),
}


def mutate(root, old: str, new: str) -> None:
    path = root / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(res) -> list[str]:
    return [line for line in res.stderr.splitlines() if line.startswith("错误：")]


def test_county_campaign_passes_its_reference_checks(county):
    res = CliRunner().invoke(cli, ["-C", str(county), "check"])
    assert not [e for e in errors(res) if "campaign.yaml" in e], res.stderr


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_check_names_each_broken_reference(county, kind):
    old, new, expected = MUTATIONS[kind]
    mutate(county, old, new)
    runner = CliRunner()
    res = runner.invoke(cli, ["-C", str(county), "check"])
    assert res.exit_code != 0
    named = [e for e in errors(res) if expected in e]
    assert len(named) == 1, res.stderr
    assert "\n" not in named[0] and "Traceback" not in res.output
    res = runner.invoke(cli, ["-C", str(county), "issue"])  # the command that used to crash on it
    assert res.exit_code not in (0, 70), res.output
    assert "程序内部错误" not in res.stderr and "Traceback" not in res.output
    assert expected in res.stderr

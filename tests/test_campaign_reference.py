"""docs/campaign-reference.md documents every rule type with an example that loads."""
from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml

from formgen.campaign.model import Award, Campaign, RubricItem, Rule

DOC = Path(__file__).resolve().parents[1] / "docs" / "campaign-reference.md"


def _rule_types() -> set[str]:
    union = typing.get_args(Rule)[0]
    return {typing.get_args(m.model_fields["type"].annotation)[0] for m in typing.get_args(union)}


def _examples() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"^### 规则 `(\w+)`\n.*?```yaml\n(.*?)```", text, flags=re.S | re.M))


def test_every_rule_type_has_an_example():
    missing = _rule_types() - set(_examples())
    assert not missing, f"docs/campaign-reference.md 缺少规则类型示例：{sorted(missing)}"


@pytest.mark.parametrize("rule_type", sorted(_rule_types()))
def test_rule_example_loads(rule_type):
    example = _examples().get(rule_type)
    assert example, rule_type
    [item] = yaml.safe_load(example)
    parsed = RubricItem.model_validate(item)
    assert any(r.type == rule_type for r in parsed.rules)


def test_setting_examples_load():
    text = DOC.read_text(encoding="utf-8")
    top = re.search(r"```yaml\n(shared_quotas:.*?)```", text, re.S).group(1)
    forms = re.search(r"```yaml\n(forms:.*?)```", text, re.S).group(1)
    awards = re.search(r"```yaml\n(awards:.*?)```", text, re.S).group(1)
    assert yaml.safe_load(top)["shared_quotas"][0]["total"] == 90
    from formgen.forms import FormSpec

    assert FormSpec.model_validate(yaml.safe_load(forms)["forms"][0]).fields[0].max_chars == 2000
    award = Award.model_validate(yaml.safe_load(awards)["awards"][0] | {"categories": []})
    assert award.grades[1].count == 16


def test_every_setting_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for model in (Campaign, Award):
        undocumented = [k for k in model.model_fields if f"`{k}`" not in text]
        assert not undocumented, f"{model.__name__}: {undocumented}"

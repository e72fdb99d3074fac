"""Issue 22, defect 9: a ``percent`` field is a number rules can use, and eligibility reads a form field
(county notice: “参评窗口群众满意率达95%以上” → ``eligibility: {field_min: {satisfaction: 95}}``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from formgen.campaign.load import load_campaign
from formgen.intake.matcher import field_value
from formgen.records import Nominee
from formgen.scoring.rank import eligibility

COUNTY = Path(__file__).parent / "data" / "county" / "campaign.yaml"


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(COUNTY)


@pytest.mark.parametrize("typed, number", [("96.5%", 96.5), ("96.5％", 96.5), ("９５％", 95), ("百分之98", 98),
                                           ("97.2", 97.2)])
def test_percent_field_reads_as_a_number(campaign, typed, number):
    assert field_value(campaign.form_spec("window_recommendation").field("satisfaction"), typed) == number


def nominee(**fields) -> Nominee:
    return Nominee("best_window", "县政务服务中心:best_window", "县政务服务中心", "综合窗口", category="县级部门",
                   fields={"window": "综合窗口", **fields})


def test_satisfaction_of_95_or_more_is_eligible(campaign):
    award = campaign.award("best_window")
    assert eligibility(nominee(satisfaction=96.5), award) == []
    assert eligibility(nominee(satisfaction=95), award) == []  # 达95%以上: 95 itself reaches it


def test_satisfaction_below_95_is_not_eligible_and_says_why(campaign):
    award = campaign.award("best_window")
    assert eligibility(nominee(satisfaction=93.1), award) == ["“群众满意率”为93.1，未达到95"]


def test_satisfaction_not_filled_in_is_missing_not_failed(campaign):
    award = campaign.award("best_window")
    assert eligibility(nominee(), award) == ["未提供“群众满意率”，无法核实是否达到95"]

"""Issue 18 point 3: where the seed sets no cap or range, the preset sets none; a limit the
office wants anyway is its own setting (office_max), shown as 本活动设定 apart from 通知规定.

Expected values are worked out by hand from the seed lines quoted in each test."""
from __future__ import annotations

from pathlib import Path

import pytest

from formgen.campaign.load import load_campaign
from formgen.campaign.model import RubricItem
from formgen.scoring.rules import score_item

PRESETS = Path(__file__).parents[1] / "formgen/campaign/presets"


def _item(preset: str, name: str) -> RubricItem:
    campaign = load_campaign(PRESETS / preset / "campaign.yaml")
    return next(i for a in campaign.awards for i in a.rubric.items if i.name == name)


def test_district_community_bonus_has_no_cap():
    # seed 002, 第5条: "帮助社区解决实际问题……每为社区解决一个问题加2分。" — no cap anywhere.
    item = _item("district-quarterly", "机关进社区活动")
    assert item.limit is None and item.limit_text() == "通知未规定上限"
    result = score_item(item, {"为社区解决问题（每个）": 6})
    assert result.score == 12  # 6 problems × 2 = +12 (the old preset capped it at +10)
    assert not result.notes


def test_town_deduction_has_no_range_and_no_cap():
    # seed 004: "内设机构工作人员违反机关行政效能相关规定的,实行倒扣分,分值按照造成影响和后果的严重性确定。"
    item = _item("town-internal", "扣分")
    rule = "工作人员违反机关行政效能相关规定"
    assert score_item(item, {rule: [8]}).score == -8  # one 8-point case is valid (no 1–5 range)
    assert score_item(item, {rule: [5, 5, 5, 5, 5]}).score == -25  # 5 × 5 = 25 taken, not 20
    with pytest.raises(Exception, match="应大于0"):
        score_item(item, {rule: [-2]})


def test_office_limit_is_applied_and_shown_apart_from_the_notice():
    # The office caps the district bonus at 10 anyway: that is its setting, not the seed's.
    item = _item("district-quarterly", "机关进社区活动").model_copy(update={"office_max": 10})
    assert item.limit_basis == "本活动设定" and item.limit_text() == "最高加10分，本活动设定"
    result = score_item(item, {"为社区解决问题（每个）": 6})
    assert result.score == 10 and "本活动设定" in result.notes[0]  # 12 > 10: held at the office's limit
    # seed 000 (ruian) "每例扣0.5分,扣完为止(共2分)" is the notice's own limit: 通知规定
    notice = RubricItem(name="扣分项", kind="deduction", max=2)
    assert notice.limit_text() == "最多扣2分，通知规定"


def test_a_score_item_still_needs_its_points():
    with pytest.raises(ValueError, match="没有写分值"):
        RubricItem(name="组织领导")
    with pytest.raises(ValueError, match="不能再用 office_max"):
        RubricItem(name="加分", kind="bonus", max=5, office_max=3)


def test_explain_shows_the_limit_of_the_town_deduction(tmp_path):
    """explain names the item's limit: 通知未规定上限 for the town's 扣分."""
    from formgen.scoring.assess import _item_line

    line = _item_line(_item("town-internal", "扣分"), {"工作人员违反机关行政效能相关规定": [8, 5]}, [], [], None)
    from formgen.scoring.explain import item_text

    assert line.score == -13 and item_text(line) == "-13（通知未规定上限）"

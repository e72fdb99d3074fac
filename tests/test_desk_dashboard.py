"""总览 through a real browser: the ruian-2014 campaign after three units sent their forms."""
from __future__ import annotations

from datetime import date

from formgen.collect.overview import overview


def test_dashboard_shows_units_deadlines_and_filters(collected_copy, desk, desk_page, shoot):
    d = desk(collected_copy)
    page = desk_page
    page.goto(d.url)  # the URL formgen desk opens: token in the address, then a cookie
    assert "token=" not in page.url
    assert page.locator("h1").inner_text().startswith("总览")
    # seed 《通知》: 报送截止 2014-10-10
    assert "2014-10-10" in page.locator(".deadlines").inner_text()
    rows = page.locator("table.units tbody tr")
    assert rows.count() == 30  # units.xlsx of ruian-2014 lists 30 units
    dongshan = page.locator("table.units tbody tr", has_text="东山街道")
    assert "收齐" in dongshan.inner_text()  # 东山街道 sent 附件1-4 and its 详细事迹材料 (tests/data/returns)
    shoot(page, "dashboard")
    page.get_by_role("link", name="缺（").click()
    assert page.url.endswith("state=%E7%BC%BA")
    shown = page.locator("table.units tbody tr").count()
    expected = overview(collected_copy, state="缺")
    assert shown == len(expected.units) and shown < 30


def test_overview_counts_a_late_unit(collected_copy):
    """A file arriving after 报送截止 (2014-10-10) makes its unit 迟交; today's date drives the days left."""
    ov = overview(collected_copy, today=date(2014, 10, 7))
    submit = next(x for x in ov.deadlines if x.label == "报送截止")
    assert submit.days_left == 3  # 10-07 → 10-10
    assert ov.counts["迟交"] == 0  # tests/data/returns arrive 2014-09-20 and 09-21

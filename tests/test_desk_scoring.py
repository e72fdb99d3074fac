"""评分 · 评委 · 发布 through a real browser: the ruian-2014 campaign after three units sent their forms.

A judges' workbook goes out and comes back through the page (a bad cell is listed, not read), a
second judge scores through a personal link (回避 hides their own unit's candidate), the tie the
two judges leave (勤廉标兵 ranks ties by a person's decision here) is decided on the page, and the
result is published, previewed and downloaded.
"""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from formgen.ledger.judging import BROWSER, load_judge_scores
from test_online_scoring import PERSON_SCORES, PERSON_TOTAL, with_judges

PERSON_SHEET = "勤廉标兵"
POST_SHEET = "十大效能示范岗"


def _fill_book(path, values):
    """values[sheet][nominee name][item] into the judge's cells, found by the header text (as a judge types)."""
    from formgen.scoring.panel import FIRST_ROW

    wb = load_workbook(path)
    for sheet, rows in values.items():
        ws = wb[sheet]
        cols = {ws.cell(3, c).value.split("\n")[0]: c + 1 for c in range(5, ws.max_column + 1, 2) if ws.cell(3, c).value}
        for r in range(FIRST_ROW, ws.max_row + 1):
            mine = rows.get(ws.cell(r, 4).value) or (rows.get(1, {}) if r == FIRST_ROW else {})  # 1: the first row
            for item, v in mine.items():
                ws.cell(r, cols[item]).value = v
    wb.save(path)


@pytest.fixture
def judged(collected_copy):
    # 张三 works at 东山街道 (回避); 勤廉标兵's ties are left to a person (tie_break decided)
    ws = with_judges(collected_copy, "[{name: 张三, unit: 东山街道}, 李四]")
    path = ws.root / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    chain = "tie_break: [total, judge_total, items_in_order, earlier_submission, stroke_order]"
    head, tail = text.rsplit(chain, 1)  # the second award (勤廉标兵) only
    path.write_text(head + "tie_break: [total, decided, stroke_order]" + tail, encoding="utf-8")
    from formgen.workspace import Workspace

    return Workspace.open(ws.root)


def test_scoring_round_trip_judge_link_tie_and_publish(judged, desk, desk_page, browser, shoot, tmp_path):
    d = desk(judged)
    page = desk_page
    page.goto(d.url)
    page.goto(d.base + "/scoring/")
    page.get_by_role("button", name="生成评委评分表").click()
    assert "已为 2 位评委生成评分表" in page.locator(".banner.ok").inner_text()

    # 李四's workbook: downloaded, filled as the judge would, uploaded back
    with page.expect_download() as got:
        page.get_by_role("link", name="评委_李四.xlsx").click()
    book = tmp_path / "评委_李四（已填）.xlsx"
    got.value.save_as(book)
    person = {k: float(v) for k, v in PERSON_SCORES.items()}
    _fill_book(book, {PERSON_SHEET: {"郑丽娜": person, "陈素芬": person},
                      POST_SHEET: {1: {"组织宣传": 12}}})  # 组织宣传 is worth 10 (seed 附件1)
    page.locator("form.upload input[type=file]").set_input_files(str(book))
    page.get_by_role("button", name="上传并读入").click()
    assert "已读入 评委_李四（已填）.xlsx：评委李四" in page.locator(".banner.ok").first.inner_text()
    problem = page.locator("#upload-problems li").first.inner_text()
    assert re.search(r"工作表“十大效能示范岗” F\d+ 单元格：.*“组织宣传”得分 12 超出 0–10 的范围", problem), problem

    # 张三's personal link, opened in a browser without the clerk's cookie
    page.get_by_role("row", name=re.compile("张三")).get_by_role("button").click()
    link = re.search(r"http://\S+/j/\S+", page.locator(".banner.ok").inner_text()).group(0)
    judge_ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    jp = judge_ctx.new_page()
    try:
        jp.goto(link)
        assert jp.locator("h1").inner_text().startswith("评委评分：张三")
        assert "按回避规定不显示" in jp.locator("h1").inner_text()
        assert "东山街道" not in jp.locator("main").inner_text()  # 郑丽娜 and 东山街道's post: his own unit
        chen = jp.locator('section[id="s-person-玉海街道:person"]')
        assert "陈素芬" in chen.inner_text() and "附件" in chen.inner_text()
        for item, v in dict(PERSON_SCORES, 作风优良="21").items():
            chen.get_by_label(item).fill(v)
        chen.get_by_role("button", name="保存").click()
        assert "陈素芬“作风优良”得分 21 超出 0–20 的范围，未读入" in jp.locator("#score-problems").inner_text()
        chen = jp.locator('section[id="s-person-玉海街道:person"]')
        chen.get_by_label("作风优良").fill(PERSON_SCORES["作风优良"])
        chen.get_by_role("button", name="保存").click()
        assert jp.locator(".banner.ok").inner_text() == "已保存"
        jp.evaluate("window.scrollTo(0, 0)")
        shoot(jp, "judge")
        # the judge's link opens no clerk page, and no other judge's subjects
        for path in ("/", "/scoring/", "/publish/", "/settings/", "/api/jobs"):
            assert jp.goto(d.base + path).status == 403, path
        assert jp.goto(d.base + "/j/not-a-judges-token").status == 403
    finally:
        judge_ctx.close()
    with judged.ledger() as ledger:
        zhang = [s for s in load_judge_scores(ledger) if s.judge == "张三"]
        sources = {r[0] for r in ledger.execute("SELECT DISTINCT workbook FROM judge_scores WHERE judge = '张三'")}
    assert [(s.nominee_key, s.scores["作风优良"]) for s in zhang] == [("玉海街道:person", 17.5)] and sources == {BROWSER}

    # progress, ranking, the tie
    page.goto(d.base + "/scoring/")
    progress = page.locator("#judge-progress").inner_text()
    assert "网页录入" in progress and "评委_李四（已填）.xlsx" in progress
    page.get_by_role("button", name="计分、排名").click()
    assert "同分待人工决定" in page.locator(".banner.ok").inner_text()
    ranking = page.locator('table.ranking[data-award="person"]')
    # each of the two: 李四's scores (and 张三's, the same, for 陈素芬) → 18+17.5+19+16+0
    assert ranking.locator("tbody tr").first.locator("td").nth(4).inner_text() == f"{PERSON_TOTAL:.2f}"
    assert page.locator("tr.line-row").count() >= 1  # the quota line is drawn
    tie = page.locator("#held-ties form").first
    tie.locator("select[name=above]").select_option("玉海街道:person")
    tie.locator("select[name=below]").select_option("东山街道:person")
    tie.locator("input[name=by]").fill("领导小组组长 朱其祥")
    tie.locator("input[name=reason]").fill("事迹更突出")
    shoot(page, "scoring", full_page=True)
    tie.get_by_role("button", name="记录决定").click()
    assert "领导小组组长 朱其祥决定" in page.locator(".banner.ok").inner_text()
    page.get_by_role("button", name="计分、排名").click()
    assert page.locator("#held-ties").count() == 0
    first = page.locator('table.ranking[data-award="person"] tbody tr').first
    assert "陈素芬" in first.inner_text()
    first.get_by_role("link", name="陈素芬").click()
    explain = page.locator(".explain").inner_text()
    assert "由领导小组组长 朱其祥决定（事迹更突出）" in explain and "政治坚定（20分）：18分" in explain
    shoot(page, "scoring_explain")

    # publish: generated in the background, previewed as page images, downloaded
    page.goto(d.base + "/publish/")
    with page.expect_navigation(timeout=240000):  # the page reloads when the job is done
        page.get_by_role("button", name="生成发布文件").click()
    assert "已完成" in page.locator("[data-job-status]").inner_text()
    docs = page.locator("table.docs").inner_text()
    assert "证书打印文件" in docs and ".pdf" in docs and ".docx" in docs
    shoot(page, "publish")
    page.locator("table.docs tr", has_text="公示").filter(has_text="Word").get_by_role("link", name="预览").first.click()
    page.wait_for_function("() => [...document.querySelectorAll('img.page')].every(i => i.complete && i.naturalWidth > 0)",
                           timeout=120000)
    assert page.locator("img.page").count() >= 1
    shoot(page, "publish_preview")
    page.goto(d.base + "/publish/")
    with page.expect_download() as got:
        page.locator("tr.print-file").first.get_by_role("link", name="下载").click()
    assert got.value.suggested_filename.startswith("证书_合并打印")
    page.goto(d.base + "/scoring/")
    assert "结果已于" in page.locator("h1").inner_text()  # locked: a change now needs a reason

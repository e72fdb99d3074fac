"""The ruian-2014 campaign through the browser, on desk1's pages: upload returned files and watch the
progress, open a file, correct a flagged value and see its history, see who is missing what.

The flagged value is real: tests/data/desk/锦湖街道勤廉标兵申报表.docx says 出生日期 1975年13月
(tests/data/desk/README.md), a month that does not exist, so collect flags 出生年月 as an error.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testdata import DATA, RETURNS, YUHAI_APP, YUHAI_NOM

JINHU = DATA / "desk" / "锦湖街道勤廉标兵申报表.docx"


def _wait_job_done(page, pane: str = "#job-pane", timeout: float = 90000) -> None:
    page.wait_for_function(f"document.querySelector('{pane}').dataset.state === 'done'"
                           f" || document.querySelector('{pane}').dataset.state === 'failed'", timeout=timeout)
    assert page.locator(pane).get_attribute("data-state") == "done", page.locator(pane).inner_text()


@pytest.fixture
def flow(workspace, desk, desk_page):
    d = desk(workspace)
    desk_page.goto(d.url)
    return workspace, d, desk_page


def test_upload_watch_progress_open_a_file(flow, shoot):
    ws, d, page = flow
    page.locator("header nav").get_by_role("link", name="收件").click()
    page.locator("#file-input").set_input_files([str(RETURNS / YUHAI_APP), str(RETURNS / YUHAI_NOM), str(JINHU)])
    _wait_job_done(page)
    log = page.locator("#job-pane .log").inner_text()
    for name in (YUHAI_APP, YUHAI_NOM, JINHU.name):  # file by file
        assert f"已读取 {name}" in log
    assert "新收文件 3 个" in log
    shoot(page, "inbox_progress")
    page.wait_for_load_state()
    page.reload()
    rows = page.locator("table.files tbody tr")
    assert rows.count() == 3
    jinhu = page.locator("table.files tbody tr", has_text="锦湖街道勤廉标兵申报表")
    assert "锦湖街道" in jinhu.inner_text() and "“勤廉标兵”候选人申报表：周晓丽" in jinhu.inner_text()
    # the uploads are in forms_in, under the upload folder, byte for byte
    saved = list((ws.forms_in / "网页上传").rglob(JINHU.name))
    assert len(saved) == 1 and saved[0].read_bytes() == JINHU.read_bytes()
    shoot(page, "inbox")
    jinhu.get_by_role("link").click()
    fields = page.locator("table.fields")
    assert "1975年13月" in fields.inner_text() and "无法识别为年月" in fields.inner_text()
    if shutil.which("soffice"):  # the first page, made by LibreOffice in the worker
        page.locator("#preview img.page").wait_for(state="visible", timeout=90000)
        assert page.locator("#preview img.page").evaluate("img => img.naturalWidth") >= 800
    shoot(page, "inbox_file")
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载原件").click()
    assert Path(dl.value.path()).read_bytes() == JINHU.read_bytes()


def test_correct_a_flagged_value_from_the_keyboard_and_see_its_history(flow, shoot):
    from formgen.collect.collect import collect
    from formgen.collect.decisions import correction_history

    ws, d, page = flow
    shutil.copyfile(JINHU, ws.forms_in / JINHU.name)
    shutil.copyfile(RETURNS / YUHAI_APP, ws.forms_in / YUHAI_APP)
    collect(ws)
    page.locator("header nav").get_by_role("link", name="核对").click()
    first = page.locator("#queue tbody tr.current")
    assert "锦湖街道" in first.inner_text() and "出生年月" in first.inner_text()  # the error comes first
    history = page.locator("#history tbody")
    assert "1975年13月" in history.inner_text()  # the value as read, before any decision
    shoot(page, "review")
    page.keyboard.type("1975年12月")  # typing corrects
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#history tbody').innerText.includes('更正')")
    line = history.locator("tr").last.inner_text()
    assert "更正" in line and "1975-12" in line and "1975年13月" in line
    assert d.app.config["DESK_WORKERS"]  # the 收件情况.xlsx refresh runs in the worker
    # the same history formgen correct --list prints
    header, *rows = correction_history(ws)
    assert [(r[2], r[4], r[5], r[7]) for r in rows] == [("锦湖街道", "出生年月", "更正", "1975-12")]
    page.reload()
    assert "没有需要核对的内容" in page.locator("#queue").inner_text()
    page.select_option("select[name=state]", "")
    page.get_by_role("button", name="筛选").click()
    assert "已更正" in page.locator("#queue").inner_text()


def test_reminders_show_who_misses_what_with_a_preview(flow, shoot):
    ws, d, page = flow
    page.locator("header nav").get_by_role("link", name="催报").click()
    rows = page.locator("#missing tbody tr")
    assert rows.count() == 30  # nothing received yet: every unit of units.xlsx owes everything
    rows.nth(1).click()
    preview = page.locator(".preview-mail:not([hidden])")
    assert "玉海街道" in preview.inner_text() and "【催报】" in preview.inner_text()
    shoot(page, "reminders")

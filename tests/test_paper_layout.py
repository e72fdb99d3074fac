"""Paper: headings keep with the next paragraph, lists never leave a row alone, 20 names fit 2 pages."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from docx import Document

from formgen.campaign.presets import preset_campaign
from formgen.publish import plaques, publicity
from formgen.publish.model import PublishInput, Winner

# Ten posts and ten people with names of the usual length (post names 15–19 characters).
POSTS = [(f"第{i}街道", f"第{i}街道便民服务中心社会事务窗口") for i in range(1, 11)]
PEOPLE = [(f"张{'一二三四五六七八九十'[i]}", f"第{i}街道", "办事处民政办副主任") for i in range(10)]


def ten_and_ten() -> PublishInput:
    c = preset_campaign("ruian-2014")
    posts = [Winner("post", i + 1, p, u, 95 - i, False, leader="王五") for i, (u, p) in enumerate(POSTS)]
    people = [Winner("person", i + 1, n, u, 96 - i, False, unit_title=u + t) for i, (n, u, t) in enumerate(PEOPLE)]
    return PublishInput(c, {"post": posts, "person": people}, dt.date(2014, 11, 17))


def _keep_next(p) -> bool:
    return bool(p.paragraph_format.keep_with_next)


def test_notice_headings_keep_with_next(tmp_path):
    from formgen.issue.templates import build_notice

    doc = build_notice(preset_campaign("ruian-2014"))
    headings = [p for p in doc.paragraphs if p.text in ("{{ s.heading }}", "{{ sub.heading }}")]
    assert len(headings) == 2 and all(_keep_next(p) for p in headings)


def test_lists_keep_every_row_but_the_last_with_the_next(tmp_path):
    docx_path, _ = publicity.write(ten_and_ten(), tmp_path)
    doc = Document(str(docx_path))
    for table in doc.tables:
        kept = [all(_keep_next(p) for c in row.cells for p in c.paragraphs) for row in table.rows]
        assert kept == [True] * 10 + [False]  # an 11-row list stays on one page
    plaque_path, _ = plaques.write(ten_and_ten(), tmp_path)
    doc = Document(str(plaque_path))
    kept = [all(_keep_next(p) for c in row.cells for p in c.paragraphs) for row in doc.tables[0].rows]
    assert kept == [True] * 10 + [False]
    assert "（共10个）" in [p.text for p in doc.paragraphs]  # the count under the title: never alone on a last page


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice/poppler absent")
def test_twenty_names_print_on_two_pages_and_ten_plaques_on_one(tmp_path):
    data = ten_and_ten()
    paths = [publicity.write(data, tmp_path)[0], plaques.write(data, tmp_path)[0]]
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, paths)],
                   check=True, capture_output=True, timeout=300)
    pages = {}
    for path in paths:
        info = subprocess.run(["pdfinfo", str(path.with_suffix(".pdf"))], capture_output=True, text=True).stdout
        pages[path.stem] = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
    assert pages == {"公示名单": 2, "授牌名单": 1}

"""The publish stage: working days, stroke order, the documents and their hostile-name safety."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from formgen.campaign.presets import preset_campaign
from formgen.publish import certificates, commendation, plaques, publicity, run
from formgen.publish.layout import title_lines
from formgen.publish.model import PublishInput, Winner, cn_numeral_date, ordered, safe_filename
from formgen.publish.workdays import add_working_days, is_working_day, working_period

HOSTILE = ["马&<小>“明”", "=SUM(A1)", "Tom & Jerry <b>"]
POSTS = [("市公安局", "出入境管理窗口", "陈立新"), ("市国土资源局", "不动产登记窗口", "林晓"), ("安阳街道", "便民服务中心", "周建华"),
         ("飞云江街道", "=HYPERLINK(\"http://x\")窗口", "=1+1")]
PEOPLE = [("张伟", "市公安局", "出入境管理大队大队长"), ("李娜", "安阳街道", "党工委委员"), ("王芳", "市国土资源局", "主任"),
          (HOSTILE[0], "R&D<中心>", "科员"), (HOSTILE[1], "塘下镇", "=A1*2")]


def sample(decided: dt.date = dt.date(2014, 11, 17)) -> PublishInput:
    c = preset_campaign("ruian-2014")
    posts = [Winner("post", i + 1, p, u, 95 - i, i < 2, leader=lead) for i, (u, p, lead) in enumerate(POSTS)]
    people = [Winner("person", i + 1, n, u, 96 - i, i < 2, unit_title=u + t) for i, (n, u, t) in enumerate(PEOPLE)]
    return PublishInput(c, {"post": posts, "person": people}, decided)


def all_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# ---------------------------------------------------------------------------- working days


def test_national_day_2014_is_skipped_and_the_makeup_saturday_counts():
    # 9/30 is day 1; Oct 1–7 are off; 8, 9, 10 and the 调休 Saturday 11 are working days
    assert add_working_days(dt.date(2014, 9, 30), 5) == dt.date(2014, 10, 11)
    assert is_working_day(dt.date(2014, 10, 11)) and not is_working_day(dt.date(2014, 10, 7))
    assert is_working_day(dt.date(2014, 9, 28))  # a Sunday worked before 国庆
    # a period that begins on a holiday begins on the next working day
    p = working_period(dt.date(2014, 10, 1), 5)
    assert (p.start, p.end, p.exact) == (dt.date(2014, 10, 8), dt.date(2014, 10, 13), True)  # 8 9 10 11 13
    assert add_working_days(dt.date(2014, 11, 17), 5) == dt.date(2014, 11, 21)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2014, 11, 17), 0)


def test_years_without_holiday_data_fall_back_to_monday_to_friday_and_say_so():
    p = working_period(dt.date(2099, 1, 2), 2)  # a Friday
    assert (p.start, p.end, p.exact) == (dt.date(2099, 1, 2), dt.date(2099, 1, 5), False)
    notes = run.notes(sample(dt.date(2099, 1, 2)))
    assert any("超出节假日数据范围" in n and "周一至周五" in n for n in notes)
    assert not any("节假日" in n for n in run.notes(sample()))


# ---------------------------------------------------------------------------- ordering, names


def test_people_are_listed_in_surname_stroke_order():
    ws = [Winner("person", i + 1, n, "单位") for i, n in enumerate(["张伟", "李娜", "王芳", "丁一", "欧阳修远"])]
    assert [w.name for w in ordered(ws, "stroke_order")] == ["丁一", "王芳", "李娜", "张伟", "欧阳修远"]
    assert [w.name for w in ordered(ws, "rank")] == ["张伟", "李娜", "王芳", "丁一", "欧阳修远"]


def test_titles_break_outside_quotes():
    lines = title_lines("关于命名表彰2014年度瑞安市“十大效能示范岗”和“勤廉标兵”的通报", 19)
    assert "".join(lines) == "关于命名表彰2014年度瑞安市“十大效能示范岗”和“勤廉标兵”的通报"
    for line in lines:
        assert line.count("“") == line.count("”")


def test_file_names_are_safe_on_windows_and_unique():
    assert safe_filename('a/b:c*?"<>|. ') == "a_b_c______"
    assert safe_filename("CON") == "_CON"
    certs = certificates.certificates_for([Winner("person", 1, "张伟", "市局"), Winner("person", 2, "张伟", "市局")])
    assert certificates.file_stems(certs) == ["张伟-市局", "张伟-市局（2）"]
    assert cn_numeral_date(dt.date(2014, 12, 30)) == "二〇一四年十二月三十日"


# ---------------------------------------------------------------------------- publicity list


def test_publicity_docx_and_xlsx(tmp_path):
    data = sample()
    docx_path, xlsx_path = publicity.write(data, tmp_path)
    text = all_text(docx_path)
    assert "拟确定以下4个岗位" in text and "5名同志" in text
    assert "公示时间：2014年11月17日至11月21日（5个工作日）。" in text
    for name in HOSTILE[:2]:
        assert name in text
    people = [r.cells[1].text for r in Document(str(docx_path)).tables[1].rows[1:]]
    assert people == ["马&<小>“明”", "王芳", "李娜", "张伟", "=SUM(A1)"]  # 马3 王4 李7 张7, unknown last

    wb = load_workbook(xlsx_path)
    values = {c.value: c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    for v in ("=SUM(A1)", "马&<小>“明”", "=HYPERLINK(\"http://x\")窗口", "塘下镇=A1*2"):
        assert values.get(v) == "s", v
    with zipfile.ZipFile(xlsx_path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8")


# ---------------------------------------------------------------------------- commendation


def test_commendation_names_everyone_and_attaches_the_lists(tmp_path):
    data = sample()
    path = commendation.write(data, tmp_path / "通报.docx")
    text = all_text(path)
    assert "瑞委办传〔2014〕　　号" in text  # number left blank until configured
    assert "命名市公安局出入境管理窗口、市国土资源局不动产登记窗口、安阳街道便民服务中心、" in text
    assert "授予马&<小>“明”、王芳、李娜、张伟、=SUM(A1)等5名同志" in text
    assert "附件：1．2014年度瑞安市“十大效能示范岗”名单" in text
    assert "2014年11月24日印发" in text  # first working day after the publicity (Mon 11/24)
    doc = Document(str(path))
    red = [r for p in doc.paragraphs for r in p.runs if r.font.color and r.font.color.rgb is not None
           and str(r.font.color.rgb) == "FF0000"]
    red += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
            if r.font.color.rgb is not None and str(r.font.color.rgb) == "FF0000"]
    assert {r.text for r in red} >= {"中共瑞安市委办公室", "瑞安市人民政府办公室", "文件"}
    assert len(doc.tables) == 3  # the red mark and the two attachment lists

    data.campaign.publication.commendation_doc_number = "瑞委办〔2014〕112号"
    assert "瑞委办〔2014〕112号" in all_text(commendation.write(data, tmp_path / "通报2.docx"))
    assert not any("发文字号" in n for n in run.notes(data))


# ---------------------------------------------------------------------------- certificates


def test_certificate_fast_path_matches_docxtpl(tmp_path):
    data = sample()
    c, award, date = data.campaign, data.campaign.award("person"), dt.date(2014, 11, 24)
    template = certificates.make_template(c, award, date)
    reference = certificates.docxtpl_template(c, award, date)
    for i, cert in enumerate(certificates.certificates_for([Winner("person", 1, n, u) for n, u in
                                                            zip(HOSTILE, ["市局", "R&D<中心>", "“阳光”站"])])):
        fast = tmp_path / f"fast{i}.docx"
        fast.write_bytes(template.package(template.document([certificates.alone(certificates.render_block(template, cert))])))
        slow = certificates.render_with_docxtpl(reference, c, award, cert, tmp_path / f"slow{i}.docx")
        assert all_text(fast) == all_text(slow)
        assert f"{cert.name}同志：" in all_text(fast)
        assert "二〇一四年十一月二十四日" in all_text(fast)
    # a name that spells a sentinel, or holds a control character, is printed as itself
    odd = certificates.certificates_for([Winner("person", 1, "FGSENTxUNIT\x07", "市局")])[0]
    block = certificates.alone(certificates.render_block(template, odd))
    path = tmp_path / "odd.docx"
    path.write_bytes(template.package(template.document([block])))
    assert "FGSENTxUNIT同志：" in all_text(path)


def test_certificates_one_file_each_and_a_combined_file_one_per_page(tmp_path):
    data = sample()
    award = data.campaign.award("person")
    winners = data.winners("person")
    paths = certificates.write(data.campaign, award, winners, dt.date(2014, 11, 24), tmp_path)
    combined, singles = paths[0], paths[1:]
    assert combined.name == "证书_合并打印.docx" and len(singles) == len(winners)
    assert {p.name for p in singles} >= {"马&_小_“明”-R&D_中心_.docx", "=SUM(A1)-塘下镇.docx"}
    for p in singles:
        Document(str(p))  # valid package
    xml = zipfile.ZipFile(combined).read("word/document.xml").decode("utf-8")
    assert xml.count('w:type="page"') == len(winners) - 1
    doc = Document(str(combined))
    assert len(doc.tables) == len(winners)
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    assert "w:pgBorders" in xml and "FGSENT" not in xml
    texts = all_text(combined)
    for w in winners:
        assert f"{w.name}同志：" in texts
    # styles cut to what is used, and no 440 KB stylesWithEffects per file
    assert zipfile.ZipFile(singles[0]).getinfo("word/styles.xml").file_size < 20_000


def test_long_names_get_a_smaller_text_size():
    c = preset_campaign("ruian-2014")
    award = c.award("person")
    shapes = certificates.line_shapes(c, award)
    short, _ = certificates.fitted_size(shapes, "王芳", "市局")
    long_, _ = certificates.fitted_size(shapes, "王" * 120, "市局")
    assert long_ < short


# ---------------------------------------------------------------------------- plaques, the stage, the CLI


def test_plaque_list(tmp_path):
    docx_path, xlsx_path = plaques.write(sample(), tmp_path)
    rows = [[c.text for c in r.cells] for r in Document(str(docx_path)).tables[0].rows]
    assert rows[0] == ["序号", "岗位名称", "所属单位", "牌匾文字", "负责人"]
    assert rows[1] == ["1", "出入境管理窗口", "市公安局", "2014年度瑞安市“十大效能示范岗”", "陈立新"]
    ws = load_workbook(xlsx_path).active
    assert ws.cell(6, 5).value == "=1+1" and ws.cell(6, 5).data_type == "s"


def test_publish_writes_everything_and_clears_old_certificates(workspace):
    stale = workspace.out_dir("publish") / "证书" / "旧名单-某单位.docx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    paths = run.publish(workspace, sample())
    names = {p.name for p in paths}
    assert {"公示名单.docx", "公示名单.xlsx", "表彰通报.docx", "授牌名单.docx", "授牌名单.xlsx",
            "证书_合并打印.docx"} <= names
    assert not stale.exists()
    assert len(list((workspace.out / "publish" / "证书").glob("*.docx"))) == len(PEOPLE)
    assert [p.name for p in run.printable(paths)] == ["公示名单.docx", "表彰通报.docx", "授牌名单.docx", "证书_合并打印.docx"]


def test_cli_publish(collected_copy):
    """Publish what ``score`` stored for the nominees collected from tests/data/returns (self-assessed scores)."""
    from formgen.cli import cli

    root = str(collected_copy.root)
    # No judges here: this campaign opts in to self-scores standing in (ruian's preset does not, issue 18.6).
    yaml_path = collected_copy.root / "campaign.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "self_assessment_fallback: false", "self_assessment_fallback: true"), encoding="utf-8")
    scored = CliRunner().invoke(cli, ["-C", root, "score"])
    assert scored.exit_code == 0, scored.output
    result = CliRunner().invoke(cli, ["-C", root, "publish", "--no-pdf", "--date", "2014-09-30"])
    assert result.exit_code == 0, result.output
    assert "已生成 out/publish/公示名单.docx" in result.output
    assert "out/publish/证书/（2 份证书，每人一个文件）" in result.output  # 郑丽娜 and 陈素芬
    text = all_text(collected_copy.out / "publish" / "公示名单.docx")
    assert "2014年9月30日至10月11日" in text and "郑丽娜" in text and "陈素芬" in text

    bad = CliRunner().invoke(cli, ["-C", root, "publish", "--no-pdf", "--date", "2014/9/30"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output and "Traceback" not in bad.output


def test_missing_libreoffice_is_one_chinese_line(tmp_path, monkeypatch):
    from formgen import soffice

    monkeypatch.delenv("FORMGEN_SOFFICE", raising=False)
    monkeypatch.setattr(soffice.shutil, "which", lambda name: None)
    monkeypatch.setattr(soffice, "_MAC_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(run.SofficeMissing, match="未安装 LibreOffice"):
        run.to_pdf([tmp_path / "x.docx"])


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_pdf_has_one_page_per_certificate(tmp_path):
    import pdfplumber

    data = sample()
    paths = certificates.write(data.campaign, data.campaign.award("person"), data.winners("person"),
                               dt.date(2014, 11, 24), tmp_path)
    (pdf,) = run.to_pdf([paths[0]])
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(PEOPLE)
        first = doc.pages[0].extract_text() or ""
    assert "荣" in first and "张伟" in re.sub(r"\s", "", first)

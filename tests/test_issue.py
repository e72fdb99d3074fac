"""The issue stage: templates, blanks per unit, anchors, the fast path, the CLI."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from click.testing import CliRunner

from formgen import anchors as A
from formgen.campaign.model import Unit
from formgen.cli import cli
from formgen.errors import ConfigError
from formgen.intake.readers.docx_reader import read_docx
from formgen.intake.result import SourceFile
from formgen.issue.render import issue_forms, render_naive, safe_filename
from formgen.issue.templates import NOTICE_TEMPLATE, README_NAME, template_name, write_templates
from conftest import copy_workspace

SPECIAL = ["A&B“联合”办", "<市>审批中心", "=SUM(A1)"]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")


@pytest.fixture(scope="module")
def issued(tmp_path_factory, _preset_trees):
    """A workspace with two ordinary and three awkward unit names, issued once."""
    ws = copy_workspace(_preset_trees("ruian-2014"), tmp_path_factory.mktemp("issue") / "ws",
                        [Unit(name=n) for n in ["东山街道", "市民政局", *SPECIAL]])
    return ws, issue_forms(ws)


def anchors_and_props(data: bytes) -> tuple[set[str], dict[str, str]]:
    doc = read_docx(SourceFile(name="x.docx", data=data))
    return set(doc.all_anchors()), doc.properties


def cell_with(doc, name: str):
    for t in doc.tables:
        for row in t.rows:
            for c in row.cells:
                if name in c._tc.xpath(".//w:bookmarkStart/@w:name"):
                    return c
    return None


def expected_anchors(spec) -> set[str]:
    names = {A.field_anchor(f.key) for f in spec.fields} | {A.form_anchor(spec.type)}
    names |= {A.score_anchor(i) for i in range(len(spec.items))}
    if spec.items:
        names.add(A.SUBJECT_ANCHOR)
    return names


def test_templates_written_once_with_readme(tmp_path, issued):
    ws, _ = issued
    written = write_templates(ws.campaign, tmp_path)
    names = {p.name for p in written}
    assert names == {template_name(s) for s in ws.campaign.form_specs()} | {NOTICE_TEMPLATE, README_NAME}
    assert write_templates(ws.campaign, tmp_path) == []  # nothing missing, nothing overwritten
    tagged = set()
    for path in written:
        if path.suffix == ".docx":
            if "{{" in _text(path.read_bytes()):  # the Jinja tags users must keep
                tagged.add(path.name)
    # every template names the unit (or is the notice) except the person's application
    assert tagged == {p.name for p in written if p.suffix == ".docx"} - {"附件4_勤廉标兵候选人申报表.docx"}
    assert "{{ unit_name }}" in (tmp_path / README_NAME).read_text(encoding="utf-8")


def test_score_sheet_prints_the_rubric(issued):
    ws, report = issued
    d = docx.Document(str(report.units[0].files[0]))
    table = d.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["项目", "分值", "考核内容", "评分标准", "考核方式", "得分"]
    assert table.rows[1].cells[0].text == "组\n织\n宣\n传"
    assert table.rows[1].cells[1].text == "10分"
    assert "查阅台账\n查阅上报记录" == table.rows[1].cells[4].text
    assert d.sections[0].page_width > d.sections[0].page_height  # six columns: landscape


def test_every_blank_opens_with_anchors_and_properties(issued):
    ws, report = issued
    specs = ws.campaign.form_specs()
    assert [u.unit for u in report.units] == ["东山街道", "市民政局", *SPECIAL]
    for u in report.units:
        assert len(u.files) == len(specs)
        for spec, path in zip(specs, u.files):
            docx.Document(str(path))  # opens
            names, props = anchors_and_props(path.read_bytes())
            assert expected_anchors(spec) <= names, path.name
            assert props == {A.PROP_FORM_TYPE: spec.type, A.PROP_TEMPLATE_VERSION: "2014.1",
                             A.PROP_CAMPAIGN: "ruian-2014", A.PROP_UNIT: u.unit}


def test_unit_prefilled_in_its_own_cell(issued):
    _, report = issued
    d = docx.Document(str(report.units[0].files[2]))  # 附件3: 推荐单位 is prefilled
    assert cell_with(d, "fg_recommending_unit").text == "东山街道"
    d = docx.Document(str(report.units[0].files[3]))  # 附件4: person fields stay blank
    assert cell_with(d, "fg_name").text == ""
    assert cell_with(d, "fg_deeds").text == "（500字左右事迹简述，可附页）"


@pytest.mark.parametrize("name", SPECIAL)
def test_awkward_unit_names_round_trip(issued, name):
    _, report = issued
    u = next(x for x in report.units if x.unit == name)
    assert not re.search(r'[\\/:*?"<>|]', u.folder.name)
    d = docx.Document(str(u.files[2]))
    assert cell_with(d, "fg_recommending_unit").text == name
    with zipfile.ZipFile(u.zip) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted([NOTICE_TEMPLATE, *(f.name for f in u.files)])
        inner = z.read(u.files[0].name)
    assert anchors_and_props(inner)[1][A.PROP_UNIT] == name


def test_fast_path_equals_naive_render(issued):
    ws, report = issued
    for u in report.units[2:4]:
        for spec, path in zip(ws.campaign.form_specs(), u.files):
            naive = render_naive(ws.templates_dir / template_name(spec), ws.campaign, spec, u.unit)
            assert _text(path.read_bytes()) == _text(naive)
            assert anchors_and_props(path.read_bytes()) == anchors_and_props(naive)


def _text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_notice_rendered_from_campaign(issued):
    ws, report = issued
    d = docx.Document(str(report.notice))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "{{" not in text and "{%" not in text
    c = ws.campaign
    assert c.issuer.doc_number in text and c.notice.title in text
    assert "二、创建评选的标准" in text and "（一）“十大效能示范岗”创建标准" in text
    assert "附件：1．“十大效能示范岗”评分表" in text
    assert "4．“勤廉标兵”候选人申报表" in text
    signature = "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert "2014年5月28日" in signature and "瑞安市人民政府办公室" in signature


def test_safe_filename():
    assert safe_filename('a/b\\c:d*e?f"g<h>i|j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_filename("CON") == "_CON"
    assert safe_filename("单位. ") == "单位"
    assert safe_filename("") == "未命名"


def test_unknown_unit_is_a_clear_error(issued):
    ws, _ = issued
    with pytest.raises(ConfigError, match="没有“不存在的单位”"):
        issue_forms(ws, ["不存在的单位"])


def test_broken_template_is_a_clear_error(workspace):
    ws = workspace
    (ws.templates_dir / NOTICE_TEMPLATE).write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="通知.docx"):
        issue_forms(ws, ["东山街道"])


def test_template_that_lost_a_value_cell_warns(workspace):
    ws = workspace
    path = ws.templates_dir / "附件4_勤廉标兵候选人申报表.docx"
    src = zipfile.ZipFile(path)
    parts = {i: src.read(i) for i in src.namelist()}
    parts["word/document.xml"] = re.sub(rb'<w:bookmarkStart w:id="\d+" w:name="fg_honors"/>', b"",
                                        parts["word/document.xml"])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    report = issue_forms(ws, ["东山街道"])
    assert any("曾获荣誉" in w for w in report.warnings)


def test_cli_issue_one_unit(issued):
    ws, _ = issued
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "issue", "--unit", "市民政局"])
    assert result.exit_code == 0, result.output
    assert "已为 1 个单位生成 4 份空白表格" in result.output
    assert "附件4_勤廉标兵候选人申报表（市民政局）.docx" in result.output


FILL = {"fg_name": "张三", "fg_gender": "男", "fg_birth": "1982.07", "fg_unit_title": "东山街道办事处科员",
        "fg_political": "中共党员", "fg_education": "大学", "fg_resume": "2004—2010 某单位\n2010至今 东山街道",
        "fg_post": "行政审批窗口", "fg_headcount": "6", "fg_subject": "李四"}


@pytest.mark.soffice
@needs_soffice
def test_filled_blank_keeps_anchors_after_libreoffice_resave(issued, tmp_path):
    ws, report = issued
    filled = []
    for path in report.units[0].files:
        d = docx.Document(str(path))
        for name in sorted({n for t in d.tables for n in t._tbl.xpath(".//w:bookmarkStart/@w:name")}):
            value = FILL.get(name) or ("18分" if A.SCORE_RE.match(name) else None)
            if value:
                first, *more = value.split("\n")
                cell = cell_with(d, name)
                cell.paragraphs[0].add_run(first)
                for line in more:
                    cell.add_paragraph(line)
        target = tmp_path / path.name
        d.save(str(target))
        filled.append(target)
    out = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "docx", "--outdir", str(out), *map(str, filled)],
                   check=True, capture_output=True, timeout=180)
    for spec, path in zip(ws.campaign.form_specs(), filled):
        data = (out / path.name).read_bytes()
        names, props = anchors_and_props(data)
        assert expected_anchors(spec) <= names, path.name
        assert props[A.PROP_UNIT] == "东山街道" and props[A.PROP_FORM_TYPE] == spec.type
        grid = read_docx(SourceFile(name=path.name, data=data))
        by_anchor = {a: c.text for t in grid.tables for c in t.cells for a in c.anchors}
        for name in names & set(FILL):
            assert by_anchor[name] == FILL[name], (path.name, name)
        for name in (n for n in names if A.SCORE_RE.match(n)):
            assert by_anchor[name] == "18分"


def test_campaign_defined_form_type_gets_a_generic_template(tmp_path, issued):
    from formgen.forms import FieldSpec, FormSpec, ItemSpec

    ws, _ = issued
    spec = FormSpec(type="window_report", title="“群众满意窗口”申报表", attachment_no=5, fields=[
        FieldSpec(key="recommending_unit", label="申报单位", position="line"),
        FieldSpec(key="window", label="窗口名称"),
        FieldSpec(key="summary", label="主要做法", kind="multiline", placeholders=["（可另附页）"]),
    ], items=[ItemSpec(name="服务质量", max=60), ItemSpec(name="群众评价", max=40)])
    campaign = ws.campaign.model_copy(update={"forms": [spec]})
    written = write_templates(campaign, tmp_path)
    path = tmp_path / "附件5_群众满意窗口申报表.docx"
    assert path in written
    names, props = anchors_and_props(path.read_bytes())
    assert {"fg_recommending_unit", "fg_window", "fg_summary", "fgform_window_report", "fg_score_01", "fg_score_02"} <= names
    assert props[A.PROP_FORM_TYPE] == "window_report"


def _content(doc) -> tuple[list[str], list[str]]:
    """What a template says and where its anchors are: every paragraph's text (tables included) and bookmarks."""
    body = doc.element.body
    texts = ["".join(t.text or "" for t in p.iter(docx.oxml.ns.qn("w:t"))) for p in body.iter(docx.oxml.ns.qn("w:p"))]
    marks = [b.get(docx.oxml.ns.qn("w:name")) for b in body.iter(docx.oxml.ns.qn("w:bookmarkStart"))]
    return texts, marks


def test_repository_templates_are_what_the_preset_builds():
    """templates/<preset>/ in the repository (for opening in Word) must not drift from the code."""
    from pathlib import Path

    from formgen.campaign.presets import preset_campaign, preset_names
    from formgen.issue.templates import template_documents

    root = Path(__file__).parents[1] / "templates"
    for name in preset_names():
        built = template_documents(preset_campaign(name))
        on_disk = {p.name: p for p in (root / name).glob("*.docx")}
        assert set(on_disk) == set(built), "run scripts/make_templates.py"
        for file_name, doc in built.items():
            assert _content(docx.Document(str(on_disk[file_name]))) == _content(doc), \
                f"{name}/{file_name} is stale: run scripts/make_templates.py"

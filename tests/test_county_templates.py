"""Issue 22, defect 1 (and 10's attachment list): the county campaign made from the kunshan preset never
issues a notice or form that names the preset's office; templates made from campaign.yaml follow it,
hand-edited ones are kept and their differences named."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from click.testing import CliRunner

from formgen import docxkit as dk
from formgen.cli import cli

PRESET_OFFICE = "昆山市行政审批局"  # kunshan-awards campaign.yaml: issuer.offices: [昆山市行政审批局]
COUNTY_MARK = "青川县机关效能建设领导小组办公室文件"  # county campaign.yaml: offices: [青川县机关效能建设领导小组办公室]


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(root), *args])


def all_text(path: Path) -> str:
    return "".join(dk.block_texts(path))


def edit_by_hand(path: Path, old: str, new: str) -> None:
    """What Word does when the clerk retypes a text: the body part changes, the properties stay."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in body
                body = body.replace(old.encode(), new.encode())
            dst.writestr(info, body)
    path.write_bytes(out.getvalue())


def test_county_issues_nothing_under_the_preset_office(county):
    res = run(county, "issue")
    assert res.exit_code == 0, res.output
    assert "通知.docx 已按新的设置重新生成" in res.output
    issued = list((county / "out" / "issue").rglob("*.docx"))
    assert len(issued) == 1 + 25  # the notice and one 推荐表 per unit
    for path in issued:
        assert PRESET_OFFICE not in all_text(path), path
    texts = [t for t in dk.block_texts(county / "out" / "issue" / "通知.docx") if t.strip()]
    assert texts[0] == COUNTY_MARK
    assert "青效办〔2025〕3号" in texts  # issuer.doc_number of the county's campaign.yaml


def test_preset_old_forms_leave_templates(county):
    # the kunshan preset's 附件1-3 are not forms of the county campaign (its only form is the 推荐表)
    assert (county / "templates" / "附件1_政务服务个人奖项申报表.docx").exists()
    res = run(county, "check")
    assert "附件1_政务服务个人奖项申报表.docx 是预设的旧表格" in res.output
    res = run(county, "issue")
    assert res.exit_code == 0, res.output
    left = sorted(p.name for p in (county / "templates").glob("*.docx"))
    assert left == ["通知.docx", "附件1_青川县最佳办事窗口推荐表.docx"]


def test_template_remade_when_campaign_changes(county):
    assert run(county, "issue").exit_code == 0
    yaml = county / "campaign.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "offices: [青川县机关效能建设领导小组办公室]", "offices: [青川县人民政府办公室]"), encoding="utf-8")
    res = run(county, "issue")
    assert res.exit_code == 0, res.output
    assert "通知.docx 已按新的设置重新生成" in res.output
    first = [t for t in dk.block_texts(county / "out" / "issue" / "通知.docx") if t.strip()][0]
    assert first == "青川县人民政府办公室文件"


def test_hand_edited_notice_kept_and_its_differences_named(county):
    assert run(county, "issue").exit_code == 0
    notice = county / "templates" / "通知.docx"
    edit_by_hand(notice, "{{ issuer.doc_number }}", "青效办〔2024〕9号")
    edited = notice.read_bytes()
    res = run(county, "check")
    assert "模板 通知.docx（已手工修改）：发文字号为“青效办〔2024〕9号”，campaign.yaml 为“青效办〔2025〕3号”" in res.output
    res = run(county, "issue")
    assert res.exit_code == 0, res.output
    assert "发文字号为“青效办〔2024〕9号”" in res.stderr
    assert notice.read_bytes() == edited  # the clerk's edit is kept


def test_notice_under_another_issuer_is_never_issued(county):
    assert run(county, "issue").exit_code == 0
    (county / "out" / "issue" / "通知.docx").unlink()
    edit_by_hand(county / "templates" / "通知.docx", COUNTY_MARK, PRESET_OFFICE + "文件")
    res = run(county, "check")
    assert "发文机关标志为“昆山市行政审批局文件”" in res.stderr
    res = run(county, "issue")
    assert res.exit_code == 3 and "Traceback" not in res.output
    lines = [x for x in res.stderr.splitlines() if x.strip()]  # (rich leaves the progress bar's blank line)
    assert len(lines) == 1 and lines[0].startswith("错误：")
    line = lines[0]
    assert "发文机关标志为“昆山市行政审批局文件”" in line and "青川县机关效能建设领导小组办公室" in line
    assert not (county / "out" / "issue" / "通知.docx").exists()

"""formgen forms import: the office's own Word forms (tests/data/office_forms/, made by its
make_office_forms.py the way offices type them, not by formgen) become form types whose returns read back.

Per form: the fields found (keys, kinds, limits — checked against what each form prints), and the
round trip import → issue → typed in with python-docx (and saved again by LibreOffice) → extract →
the same values; a unit that typed into the un-anchored original is read by labels.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.campaign.load import write_units
from formgen.campaign.model import Unit
from formgen.cli import cli
from formgen.intake.extract import extract_source
from formgen.intake.result import SourceFile
from formgen.issue.form_import import import_form
from formgen.issue.init import new_workspace
from formgen.issue.render import issue_forms
from formgen.workspace import Workspace
from office_helpers import OFFICE_FORMS, fill_blank, sample_values

APPLICATION_FORMS = sorted(p for p in OFFICE_FORMS.glob("*.docx") if "评分表" not in p.name and p.name != "通知.docx")
ANSWERS = {
    "活动名称": "2025年度青川县“最佳办事窗口”评选", "年度": 2025, "发文机关": "青川县机关效能建设领导小组办公室",
    "发文字号": "青效办〔2025〕3号", "成文日期": "2025-03-10", "联系部门": "县效能办督查股", "联系人": "何晓梅",
    "联系电话": "0839-7201234", "报送截止": "2025-03-31 17:00", "评审完成": "2025-04-15", "公示开始": "2025-04-21",
    "公示工作日": 5, "表彰日期": "2025-05-06", "单位类别": "县级部门、乡镇",
    "奖项": [{"名称": "最佳办事窗口", "推荐对象": "窗口", "每单位推荐": 1, "名额": 8}], "评委": "赵明、钱芳、孙立、李静、周强",
}
UNIT = "县公安局"


def test_the_office_forms_cover_every_layout_of_the_issue():
    assert len(APPLICATION_FORMS) >= 10 and len(list(OFFICE_FORMS.glob("*评分表*.docx"))) >= 2
    wps = [p for p in OFFICE_FORMS.glob("*.docx") if b"KSOProductBuildVer" in _part(p, "docProps/custom.xml")]
    assert len(wps) >= 4 and len(list(OFFICE_FORMS.glob("*.docx"))) - len(wps) >= 4


def _part(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name) if name in z.namelist() else b""


def make_workspace(root: Path) -> Workspace:
    from formgen.campaign.new import new_campaign_text

    text, _ = new_campaign_text(ANSWERS)
    ws = new_workspace(root, text)
    write_units(root / "units.xlsx", [Unit(name=UNIT, category="县级部门")])
    return Workspace.open(root)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Per application form: (workspace, its form type, the issued blank's bytes, the values a unit types)."""
    out = {}
    for path in APPLICATION_FORMS:
        ws = make_workspace(tmp_path_factory.mktemp(path.name[:2]))
        report = import_form(ws, path)
        ws = Workspace.open(ws.root)
        issued = issue_forms(ws)
        spec = ws.campaign.form_spec(report.spec.type)
        assert issued.warnings == [], issued.warnings  # every blank kept its anchors
        out[path.name] = (ws, spec, issued.units[0].files[0].read_bytes(), sample_values(spec))
    return out


# What each form prints, read by hand: label → (key, kind) and the limits it states.
EXPECTED = {
    "01": {"姓名": ("name", "text"), "性别": ("gender", "gender"), "出生年月": ("birth", "birth"),
           "工作单位及职务": ("unit_title", "text"), "主要事迹": ("deeds", "multiline"),
           "推荐单位意见": ("recommender_opinion", "multiline")},
    "02": {"推荐单位": ("recommending_unit", "text"), "窗口名称": ("window", "text"), "工作人员数": ("staff", "integer"),
           "主要事迹": ("deeds", "multiline"), "单位意见": ("unit_opinion", "multiline")},
    "03": {"姓名": ("name", "text"), "性别": ("gender", "gender"), "主要事迹": ("deeds", "multiline")},
    "04": {"性别": ("gender", "gender"), "是否党员": ("party_member", "choice"), "年度考核": ("annual_rating", "choice")},
    "05": {"姓名": ("name", "text"), "简历": ("resume", "multiline"), "主要事迹": ("deeds", "multiline"),
           "获奖情况": ("honors", "multiline")},
    "06": {"集体名称": ("group_name", "text"), "集体人数": ("staff", "integer"), "主要工作业绩": ("deeds", "multiline")},
    "07": {"全日制教育": ("education_full_time", "text"), "在职教育": ("education_part_time", "text"),
           "入党时间": ("party_join", "date")},
    "08": {"科室名称": ("office_name", "text"), "科室人数": ("staff", "integer"), "创建情况": ("practices", "multiline")},
    "09": {"出生日期": ("birth", "birth"), "主要事迹": ("deeds", "multiline"), "推荐意见": ("party_opinion", "multiline")},
    "10": {"出生年月": ("birth", "birth"), "服务户数": ("households", "integer"), "身份证号": ("id_number", "text")},
}


@pytest.mark.parametrize("path", APPLICATION_FORMS, ids=lambda p: p.name[:2])
def test_each_form_gets_keys_kinds_and_its_own_limits(path, imported):
    _, spec, _, _ = imported[path.name]
    by_label = {f.label: f for f in spec.fields}
    for label, (key, kind) in EXPECTED[path.name[:2]].items():
        assert (by_label[label].key, by_label[label].kind) == (key, kind), label
    limits = {f.key: (f.max_chars, f.target_chars) for f in spec.fields}
    if path.name.startswith("01"):  # 主要事迹（不超过800字）
        assert limits["deeds"] == (800, None)
    if path.name.startswith("02"):  # 主要事迹（3000字左右，可另附页）
        assert limits["deeds"] == (None, 3000)
    if path.name.startswith("06"):  # 主要工作业绩（不超过1500字）
        assert limits["deeds"] == (1500, None)
    if path.name.startswith("04"):  # □优秀  □称职  □基本称职  □不称职
        assert spec.field("annual_rating").choices == ["优秀", "称职", "基本称职", "不称职"]


@pytest.mark.parametrize("path", APPLICATION_FORMS, ids=lambda p: p.name[:2])
def test_round_trip_tagged_and_by_labels(path, imported):
    ws, spec, blank, values = imported[path.name]
    expected = {k: v for k, (_, v) in values.items()}
    for strip, method in ((False, "tagged"), (True, "labels")):
        data = fill_blank(blank, spec, values, strip_anchors=strip)
        [result] = extract_source(SourceFile(name="returned.docx", data=data), ws.campaign.form_specs())
        assert (result.form_type, result.method) == (spec.type, method)
        assert {k: result.fields[k] for k in expected} == expected
        if "recommending_unit" in spec.keys:  # 推荐单位（盖章）：____ filled with the unit's name by the issue
            assert result.fields["recommending_unit"] == UNIT


def _soffice(args: list[str], tmp: Path) -> None:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", *args], check=True,
                   capture_output=True, timeout=600)


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_round_trip_after_libreoffice_saves_the_return(imported, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, (ws, spec, blank, values) in imported.items():
        (src / f"{name[:2]}.docx").write_bytes(fill_blank(blank, spec, values))
    _soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"),
              *map(str, sorted(src.glob("*.docx")))], tmp_path)
    for name, (ws, spec, _, values) in imported.items():
        data = (tmp_path / "out" / f"{name[:2]}.docx").read_bytes()
        [result] = extract_source(SourceFile(name="lo.docx", data=data), ws.campaign.form_specs())
        assert result.method == "tagged", name
        assert {k: result.fields[k] for k in values} == {k: v for k, (_, v) in values.items()}, name


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="needs LibreOffice")
def test_template_renders_exactly_like_the_office_original(imported, tmp_path):
    """Both rendered to PNG: the same pixels, but for the 推荐单位 line that now carries the unit-name tag."""
    from PIL import Image, ImageChops

    files = []
    for name, (ws, spec, _, _) in imported.items():
        for tag, path in (("o", OFFICE_FORMS / name), ("t", ws.templates_dir / spec.template)):
            dest = tmp_path / f"{name[:2]}{tag}.docx"
            shutil.copyfile(path, dest)
            files.append(str(dest))
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), *files], tmp_path)
    for name, (ws, spec, _, _) in imported.items():
        pages = {}
        for tag in "ot":
            subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / f"{name[:2]}{tag}.pdf"),
                            str(tmp_path / f"{name[:2]}{tag}")], check=True)
            pages[tag] = sorted(tmp_path.glob(f"{name[:2]}{tag}-*.png"))
        assert len(pages["o"]) == len(pages["t"]), name
        for a, b in zip(pages["o"], pages["t"]):
            box = ImageChops.difference(Image.open(a).convert("L"), Image.open(b).convert("L")).getbbox()
            if "recommending_unit" in spec.keys and box is not None:
                assert box[3] - box[1] < 20, (name, box)  # one line of text: the tag after 推荐单位（盖章）：
            else:
                assert box is None, (name, box)


def test_import_never_changes_the_original_and_lists_what_it_could_not_decide(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    src = tmp_path / "推荐表.docx"
    shutil.copyfile(OFFICE_FORMS / "01_勤廉标兵推荐表_Word.docx", src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "forms", "import", str(src)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    assert "照片栏（表1 第1行第7列）" in result.output  # the 照片 cell spans three rows: not a value
    assert "未能确定" in result.output and "姓名" in result.output
    text = ws.campaign_file.read_text(encoding="utf-8")
    assert "# 评委（综合评定小组）" in text  # the comments of campaign.yaml stay
    assert Workspace.open(ws.root).campaign.award("window").nomination_form == "window_nomination"
    assert CliRunner().invoke(cli, ["-C", str(ws.root), "check"]).exit_code == 0


BAD = [
    ("无表格.docx", "文件里没有表格"),
    ("两张表.docx", "一个文件里有 2 张表"),
    ("表格是图片.docx", "表格是一张图片"),
    ("加密.docx", "设有打开密码"),
    ("损坏.docx", "损坏"),
]


@pytest.mark.parametrize("name,says", BAD, ids=[b[0] for b in BAD])
def test_bad_office_files_get_one_chinese_line_and_stay_untouched(name, says, tmp_path):
    ws = make_workspace(tmp_path / "ws")
    src = OFFICE_FORMS / "bad" / name
    before = src.read_bytes()
    yaml_before = ws.campaign_file.read_bytes()
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "forms", "import", str(src)])
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and says in lines[0] and name in lines[0], result.output
    assert "Traceback" not in result.output
    assert src.read_bytes() == before and ws.campaign_file.read_bytes() == yaml_before


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_a_doc_form_is_converted_first_and_imported(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(cli, ["-C", str(ws.root), "forms", "import", str(OFFICE_FORMS / "bad" / "推荐表.doc")])
    assert result.exit_code == 0, result.output
    assert "LibreOffice 转为 .docx" in result.output
    spec = Workspace.open(ws.root).campaign.form_spec("window_nomination")
    assert {"window", "owner_unit", "deeds"} <= set(spec.keys)

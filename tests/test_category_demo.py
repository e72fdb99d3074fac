"""``formgen demo --preset anhui-provincial|kunshan-awards`` end to end on the bundled sample data.

One subject of each is recomputed by hand from the sample files (see the comments)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formgen.cli import cli


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    out = {}
    for preset in ("anhui-provincial", "kunshan-awards"):
        root = tmp_path_factory.mktemp(preset) / "demo"
        result = CliRunner().invoke(cli, ["demo", str(root), "--preset", preset, "--no-pdf"])
        out[preset] = (root, result)
    return out


def _stored(root):
    from formgen.ledger.results import load_score_results
    from formgen.workspace import Workspace

    with Workspace.open(root).ledger() as ledger:
        return load_score_results(ledger)


def test_anhui_demo(demos):
    root, result = demos["anhui-provincial"]
    assert result.exit_code == 0, result.output
    assert (root / "out/publish/考核结果通报.docx").exists()
    assert "113 个单位中 108 个已报齐，5 个尚缺材料" in result.output  # reports.yaml: 5 missing
    rows = {r.nominee.unit: r for r in _stored(root)["assessment"]}
    # subscores.yaml for 省委组织部: 25.5 + 27.5 + 9.5 + 10 + 8 + 10 + 183 + 196 + 86 - 0, and
    # 测评 (79*100 + 15*60 + 3*0) / 97 = 90.7216 -> x 400/100 = 362.8866: total 918.3866 -> 918.39
    assert rows["省委组织部"].total == 918.39
    assert rows["省社科院"].rank is None and rows["省社科院"].status.startswith("待补充数据")  # 政协办公厅漏报
    assert rows["省统计局"].rank is None  # “一百八十” is no number
    ranks = sorted(r.rank for r in rows.values() if r.nominee.category == "金融服务机构" and r.rank)
    assert ranks == list(range(1, 22))  # ranked within the category


def test_kunshan_demo(demos):
    root, result = demos["kunshan-awards"]
    assert result.exit_code == 0, result.output
    assert "商务窗口：缺 1 项" in result.output and "锦溪镇政务服务中心：缺 1 项" in result.output
    assert "玉山镇政务服务中心：缺" not in result.output  # halls are never chased for window forms
    halls = {r.nominee.unit: r for r in _stored(root)["hall"]}
    # applications.yaml 张浦镇: 入驻率 97.3 / best 98.6 * 5 = 4.9341; 指南 99.1 / 99.6 * 5 = 4.9749;
    # 一窗 10-1; 设施 5-1; 公用事业 3; 创新 省级 1; 试点 5; other deduction items full (5+5+5+5+5+5+5);
    # 测评 (30*20 + 7*18 + 1*10) / 38 = 19.3684: total 86.2774 -> 86.28, 4th -> 最美政务大厅 (first 8)
    z = halls["张浦镇政务服务中心"]
    assert z.total == 86.28 and z.grade == "最美政务大厅"
    assert sum(1 for r in halls.values() if r.grade == "最美政务大厅") == 8
    assert sum(1 for r in halls.values() if r.grade == "优秀政务大厅") == 16
    assert halls["周庄镇政务服务中心"].rank is None  # 入驻率 not filled: held, not ranked
    windows = {r.nominee.unit: r for r in _stored(root)["window"]}
    assert windows["玉山镇政务服务中心"].status == "不在评选范围"
    assert sum(1 for r in windows.values() if r.selected) == 12
    assert (root / "out/publish/证书_优秀政务大厅").is_dir()
    # 叶海燕 applied for 老黄牛奖 (9+8+9 = 26) and 拓荒牛奖 (8+8.5+9 = 25.5): 三牛奖 counts one person once
    stored = _stored(root)
    old_ox = next(r for r in stored["laohuangniu"] if r.nominee.name == "叶海燕")
    pioneer = next(r for r in stored["tuohuangniu"] if r.nominee.name == "叶海燕")
    assert (old_ox.total, old_ox.selected) == (26, True)
    assert (pioneer.total, pioneer.selected) == (25.5, False) and "同一人只计一项" in pioneer.status
    assert "税务窗口“荣誉加分”：“优秀窗口”没有写明级别" in result.output  # one line naming workbook, sheet, cell


def test_kunshan_certificates_name_the_quarter_of_the_quarterly_awards(demos):
    from docx import Document

    root, _ = demos["kunshan-awards"]
    pub = root / "out/publish"

    def text(path):
        return "".join(c.text for t in Document(str(path)).tables for c in t._cells)

    # seed 003: 三牛奖 每季度评选 (this workspace: 2024年第四季度); 最美 awards are yearly
    assert "被评为2024年第四季度昆山市政务服务“老黄牛奖”" in text(next((pub / "证书_老黄牛奖").glob("叶海燕-*.docx")))
    assert "被评为2024年度昆山市政务服务“最美政务人”" in text(next((pub / "证书_最美政务人").glob("*.docx")))


def test_explain_names_scorers_reasons_and_sources(demos):
    root, _ = demos["anhui-provincial"]
    out = CliRunner().invoke(cli, ["-C", str(root), "explain", "省委组织部"]).output
    assert "服务对象满意度测评：满意79票、基本满意15票、不满意3票" in out
    assert "来源：省委办公厅 25.5（省委办公厅_评分报送表.xlsx）" in out
    assert "省财政厅提供的20分未计入" in out
    root, _ = demos["kunshan-awards"]
    out = CliRunner().invoke(cli, ["-C", str(root), "explain", "张浦镇政务服务中心"]).output
    assert "行政许可事项入驻率 97.3，最优 98.6" in out and "申报表填写：行政许可事项入驻率 = 97.3" in out
    bad = CliRunner().invoke(cli, ["-C", str(root), "explain", "张浦镇政务中心"])
    assert bad.exit_code != 0 and "是否为“张浦镇政务服务中心”" in bad.stderr

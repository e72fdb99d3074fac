"""``formgen demo --preset district-quarterly|town-internal`` end to end (--no-pdf), once each per module.

The stage-by-stage CLI is in test_cli_periods.py; this is the one run of each periodic preset's whole demo.
Expected values by hand from the seed rules and the presets' sample inputs (see the comments)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formgen.cli import cli


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    out = {}
    for preset in ("district-quarterly", "town-internal"):
        root = tmp_path_factory.mktemp(preset) / "demo"
        out[preset] = (root, CliRunner().invoke(cli, ["demo", str(root), "--preset", preset, "--no-pdf"]))
    return out


def test_district_quarterly_demo(demos):
    root, result = demos["district-quarterly"]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "程序内部错误" not in result.output
    # sample/events.yaml, 区住房和城乡建设局 in 2024Q3: two patrol findings (每起扣2分: −4), satisfaction 75 %
    # (15 points under 90, every started 10 points −2: −4), one absence (−1): 100 − 4 − 4 − 1 = 91
    assert "区住房和城乡建设局　2024年第三季度　总分 91" in result.output
    assert "落实内部管理、规范行政行为：26（满分30）" in result.output
    for path in ("out/score/考核结果_2024Q3.xlsx", "out/score/考核结果_2024.xlsx",
                 "out/publish/评分表_2024Q3/区住房和城乡建设局_2024年第三季度考核评分表.docx",
                 "out/publish/评分表_2024/区住房和城乡建设局_2024年度考核评分表.docx", "ledger.sqlite"):
        assert (root / path).is_file(), path


def test_town_internal_demo_reads_its_paper_ballots(demos):
    root, result = demos["town-internal"]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "程序内部错误" not in result.output
    # 村建所's 内部测评 comes back on paper ballots (sample/tallies.yaml counts, printed, filled, scanned, read):
    # 班子成员 3/3/1 → (3×90 + 3×70 + 1×50) / 7 = 75.7143 → ×0.3 = 22.7143; 干部职工 16/9/3 →
    # (16×90 + 9×70 + 3×50) / 28 = 79.2857 → 23.7857; 50 % each: 23.25
    assert "内部测评：满意3票、基本满意3票、不满意1票，平均75.7143分" in result.output
    assert "内部测评：满意16票、基本满意9票、不满意3票，平均79.2857分" in result.output
    assert "内部测评：23.25（满分30）" in result.output and "纸质测评票7页（班子成员）" in result.output
    # the tie for first is held, decided, and the last place two years running is called so
    assert "首位待定：便民服务中心与党政办公室总分同为92.59分" in result.output
    assert "首位：便民服务中心（92.59分）" in result.output
    assert "末位：村建所（77.6分），2017年度亦为末位（连续两年末位）" in result.output
    for name in ("关于元坝镇2018年内设机构作风效能评测结果的报告.docx", "首位通报.docx", "末位通报.docx"):
        assert (root / "out" / "publish" / name).is_file(), name

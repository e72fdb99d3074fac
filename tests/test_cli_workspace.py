"""``formgen init``, ``presets`` and ``demo`` through click's CliRunner."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli_helpers import assert_one_clean_line
from formgen.campaign.presets import preset_names
from formgen.cli import cli


def test_presets_lists_every_builtin_preset():
    res = CliRunner().invoke(cli, ["presets"])
    assert res.exit_code == 0, res.output
    listed = [line.split("\t")[0] for line in res.stdout.splitlines()]
    assert listed == preset_names() and "ruian-2014" in listed


def test_init_relative_to_the_workdir_and_force_keeps_what_units_sent(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["-C", str(tmp_path), "init", "2014评选", "--preset", "ruian-2014"])
    assert res.exit_code == 0, res.output
    root = tmp_path / "2014评选"  # the directory is taken relative to -C, as git does
    assert (root / "campaign.yaml").is_file() and (root / "units.xlsx").is_file()
    assert len(list((root / "templates").glob("*.docx"))) == 5  # 4 attachments and the notice
    assert "30 个单位" in res.output and "下一步：formgen issue" in res.output
    sent = root / "forms_in" / "东山街道申报表.docx"
    sent.write_bytes(b"what the unit sent")
    (root / "campaign.yaml").write_text("# edited\n", encoding="utf-8")
    res = runner.invoke(cli, ["-C", str(root), "init", "--force"])
    assert res.exit_code == 0, res.output
    assert "# edited" not in (root / "campaign.yaml").read_text(encoding="utf-8")
    assert sent.read_bytes() == b"what the unit sent"


def test_demo_runs_every_stage_and_refuses_a_folder_of_the_users(tmp_path):
    root = tmp_path / "演示"
    res = CliRunner().invoke(cli, ["demo", str(root), "--no-pdf"])
    assert res.exit_code == 0, res.output
    for path in ("out/issue/通知.docx", "out/collect/收件情况.xlsx", "out/score/评选结果.xlsx",
                 "out/publish/公示名单.docx", "out/publish/表彰通报.docx", "ledger.sqlite"):
        assert (root / path).is_file(), path
    assert "Traceback" not in res.output and "程序内部错误" not in res.output
    mine = tmp_path / "我的文件"
    mine.mkdir()
    (mine / "重要.docx").write_bytes(b"keep")
    line = assert_one_clean_line(CliRunner().invoke(cli, ["demo", str(mine), "--no-pdf"]))
    assert "不是空目录" in line and (mine / "重要.docx").read_bytes() == b"keep"


@pytest.mark.parametrize("workspace", preset_names(), indirect=True)
def test_every_preset_gives_a_workspace_that_checks_clean_and_shows_its_status(workspace):
    runner = CliRunner()
    res = runner.invoke(cli, ["-C", str(workspace.root), "check"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["-C", str(workspace.root), "status"])
    assert res.exit_code == 0 and "Traceback" not in res.output, res.output
    assert workspace.units and all(u.name in res.output for u in workspace.units[:3])

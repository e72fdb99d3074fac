"""Every ``formgen`` command through click's CliRunner: help, and bad input → one Chinese line, no traceback."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli_helpers import all_commands, assert_one_clean_line, dummy_args, leaf_commands
from formgen.cli import cli
from testdata import RETURNS, YUHAI_APP

NO_WORKSPACE_NEEDED = {("init",), ("new",), ("presets",), ("demo",), ("extract",)}  # new makes one


def run(*args, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, [str(a) for a in args])
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_help(path):
    res = run(*path, "--help")
    assert res.exit_code == 0, res.output
    assert "Usage:" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("path, cmd", [(p, c) for p, c in leaf_commands() if p not in NO_WORKSPACE_NEEDED],
                         ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_outside_a_workspace_is_one_line(tmp_path, path, cmd):
    """Run in an empty folder (no campaign.yaml): the one line says so and how to start."""
    res = run("-C", tmp_path, *path, *dummy_args(cmd))
    line = assert_one_clean_line(res)
    assert "campaign.yaml" in line and str(tmp_path) in line


def test_bad_workdir_is_one_line(tmp_path):
    line = assert_one_clean_line(run("-C", tmp_path / "没有这个目录", "status"))
    assert "没有这个目录" in line


def test_unknown_preset_is_one_line(tmp_path):
    line = assert_one_clean_line(run("init", tmp_path / "ws", "--preset", "no-such-preset"))
    assert "no-such-preset" in line and "ruian-2014" in line  # names what there is
    assert not (tmp_path / "ws" / "campaign.yaml").exists()


def test_init_twice_is_one_line(workspace):
    line = assert_one_clean_line(run("init", workspace.root, "--preset", "ruian-2014"))
    assert "--force" in line


def test_extract_missing_file_is_one_line(tmp_path):
    line = assert_one_clean_line(run("extract", tmp_path / "不存在.docx"))
    assert "不存在.docx" in line


def test_extract_corrupt_file_is_one_line(tmp_path):
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes((RETURNS / YUHAI_APP).read_bytes()[:5000])  # cut short in transfer
    line = assert_one_clean_line(run("extract", bad))
    assert "坏文件.docx" in line


def test_issue15_defect12_seven_bytes_of_text_named_docx_is_not_a_word_file(tmp_path):
    bad = tmp_path / "a.docx"
    bad.write_bytes(b"hello!\n")
    res = run("extract", bad)
    line = assert_one_clean_line(res)
    assert res.exit_code == 2
    assert "a.docx" in line and "不是Word文件" in line and "文档中没有表格" not in line


@pytest.mark.parametrize("as_json", [False, True])
def test_issue15_defect12_zip_of_unreadable_members_exits_like_one_bad_file(tmp_path, as_json):
    import zipfile

    single = tmp_path / "坏文件.docx"
    single.write_bytes((RETURNS / YUHAI_APP).read_bytes()[:5000])
    json_flag = ["--json"] if as_json else []
    single_exit = run("extract", *json_flag, single).exit_code
    assert single_exit == 2
    archive = tmp_path / "报送材料.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("申报表.docx", b"hello!\n")  # text under a Word name
        zf.writestr("推荐表.docx", (RETURNS / YUHAI_APP).read_bytes()[:5000])  # cut short
        zf.writestr("事迹.pdf", bytes(range(256)) * 4)  # no known format
    res = run("extract", *json_flag, archive)
    assert res.exit_code == single_exit, res.output
    assert res.stderr.strip().splitlines() == ["错误：报送材料.zip 中没有一个文件能够读取（原因见上）"]


def test_corrupt_ledger_is_one_line(workspace):
    (workspace.root / "ledger.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    for args in (["status"], ["collect"], ["correct", "--list"], ["score"]):
        line = assert_one_clean_line(run("-C", workspace.root, *args))
        assert "ledger.sqlite" in line, (args, line)


def test_broken_campaign_yaml_is_one_line_with_its_place(workspace):
    path = workspace.root / "campaign.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nawards: [unclosed\n", encoding="utf-8")
    line = assert_one_clean_line(run("-C", workspace.root, "status"))
    assert "campaign.yaml" in line and "行" in line


def test_corrupt_units_workbook_is_one_line(workspace):
    (workspace.root / "units.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    line = assert_one_clean_line(run("-C", workspace.root, "issue"))
    assert "units.xlsx" in line


def test_correct_unknown_unit_is_one_line(collected_copy):
    line = assert_one_clean_line(run("-C", collected_copy.root, "correct", "不存在的单位", "candidate_application",
                                     "birth", "1982-07"))
    assert "不存在的单位" in line


def test_assign_unknown_file_number_is_one_line(collected_copy):
    line = assert_one_clean_line(run("-C", collected_copy.root, "assign", "9999", "东山街道"))
    assert "9999" in line

"""Flagged OCR values confirmed or corrected by staff in 收件情况.xlsx (issue 10 point 3)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

UNIT = "东山街道"
FORM = "candidate_application"


@pytest.fixture
def flagged(workspace):
    """A workspace whose ledger holds one photographed 申报表 of 东山街道 with two flagged
    values (姓名 "-林昇", 出生年月 "1982-07" read with low confidence), and its 收件情况.xlsx."""
    from formgen.collect.decisions import refresh
    from formgen.intake.result import ExtractResult, ValueSource
    from formgen.ledger.files import assign_unit, record_receipt, store_blob
    from formgen.ledger.forms import record_form

    r = ExtractResult(file="申报表.jpg", form_type=FORM, method="ocr",
                      fields={"name": "-林昇", "gender": "男", "birth": "1982-07"})
    for k in r.fields:
        r.provenance[k] = ValueSource("第1页 表1 第1行第2列", "labels", 0.99)
    r.warn("name", "需人工核对：“姓名”不像是人名（“-林昇”），请对照原件确认")
    r.warn("birth", "需人工核对：“出生年月”识别可信度低（0.62），请对照原件确认“1982-07”")
    with workspace.ledger() as ledger:
        sha = store_blob(ledger, b"photo bytes")
        rid = record_receipt(ledger, sha256=sha, path="forms_in/申报表.jpg", outer_sha256=sha, name="申报表.jpg")
        record_form(ledger, rid, 0, r)
        assign_unit(ledger, rid, UNIT)
    refresh(workspace)
    return workspace


def _book(ws):
    return ws.out_dir("collect") / "收件情况.xlsx"


def _columns(sh) -> dict[str, int]:
    return {str(c.value).split("\n")[0]: c.column for c in sh[1] if c.value}


def _row_of(sh, key: str) -> int:
    cols = _columns(sh)
    for r in range(2, sh.max_row + 1):
        ref = sh.cell(r, cols["核对编号"]).value
        if ref and json.loads(ref)["key"] == key:
            return r
    raise AssertionError(f"no review row for {key}")


def _staff_writes(ws, entries: dict[str, tuple[str, str, str]]) -> None:
    """What a clerk does in Excel: fill 核对结果 / 更正为 / 核对人 of the rows of ``entries`` and save."""
    path = _book(ws)
    wb = load_workbook(path)
    sh = wb["问题清单"]
    cols = _columns(sh)
    for key, (result, value, who) in entries.items():
        r = _row_of(sh, key)
        sh.cell(r, cols["核对结果"]).value = result
        sh.cell(r, cols["更正为"]).value = value
        sh.cell(r, cols["核对人"]).value = who
    wb.save(path)


def _decisions(ws):
    from formgen.ledger.confirmations import CONFIRM
    from formgen.ledger.decisions import history
    from formgen.ledger.forms import CORRECTION

    with ws.ledger() as ledger:
        return [(d.scope, d.key, d.action, d.new_value, d.who)
                for d in sorted(history(ledger, CORRECTION) + history(ledger, CONFIRM), key=lambda d: d.id)]


def _effective(ws) -> dict:
    from formgen.ledger.forms import effective_forms

    with ws.ledger() as ledger:
        return effective_forms(ledger, UNIT, FORM)[-1].fields


def _open_flags(ws) -> set[str]:
    from formgen.ledger.forms import list_problems

    with ws.ledger() as ledger:
        return {p.field for p in list_problems(ledger) if not p.resolved and p.field}


def _review(ws, *args):
    from formgen.cli import cli

    return CliRunner().invoke(cli, ["-C", str(ws.root), "review", *map(str, args)])


def test_the_flagged_rows_have_input_cells_for_staff(flagged):
    sh = load_workbook(_book(flagged))["问题清单"]
    cols = _columns(sh)
    r = _row_of(sh, "name")
    assert sh.cell(r, cols["识别值"]).value == "-林昇"
    for name in ("核对结果", "更正为", "核对人"):
        assert sh.cell(r, cols[name]).protection.locked is False
        assert sh.cell(r, cols[name]).value in (None, "")
    assert sh.cell(r, cols["单位"]).protection.locked is True and sh.protection.sheet
    [dv] = sh.data_validations.dataValidation
    assert dv.formula1 == '"无误,更正"' and f"{sh.cell(r, cols['核对结果']).coordinate}" in str(dv.sqref)
    assert sh.column_dimensions[sh.cell(1, cols["核对编号"]).column_letter].hidden
    assert any(str(c.value or "").startswith("核对方法") for c in sh["A"])
    assert _open_flags(flagged) == {"name", "birth"}


def test_staff_decisions_in_the_workbook_are_recorded_on_the_next_collect(flagged, monkeypatch):
    from formgen.collect.collect import collect

    monkeypatch.setenv("FORMGEN_USER", "办公室")
    _staff_writes(flagged, {"name": ("更正", "林昇", "张三"), "birth": ("无误", None, None)})
    report = collect(flagged)
    assert _decisions(flagged) == [("correction", "name", "set", "林昇", "张三"),
                                   ("ocr_confirm", "birth", "confirm", "1982-07", "办公室")]
    assert len(report.review_lines) == 2 and "更正为 林昇" in report.review_lines[0]
    assert _effective(flagged)["name"] == "林昇" and _effective(flagged)["birth"] == "1982-07"
    assert _open_flags(flagged) == set()
    # the rewritten book shows the decisions, and the history sheet keeps both
    wb = load_workbook(_book(flagged))
    sh, cols = wb["问题清单"], _columns(wb["问题清单"])
    name, birth = _row_of(sh, "name"), _row_of(sh, "birth")
    assert [sh.cell(name, cols[c]).value for c in ("核对结果", "更正为", "核对人")] == ["更正", "林昇", "张三"]
    assert [sh.cell(birth, cols[c]).value for c in ("处理情况", "核对结果", "核对人")] == ["已确认无误", "无误", "办公室"]
    actions = [row[5].value for row in wb["人工更正"].iter_rows(min_row=2)]
    assert actions == ["更正", "确认"]
    # idempotent: neither collect nor review records the same decisions again
    assert collect(flagged).review_lines == []
    result = _review(flagged)
    assert result.exit_code == 0 and "没有新的核对结果" in result.output
    assert len(_decisions(flagged)) == 2


def test_an_invalid_value_is_one_line_naming_the_cell_and_is_kept_for_the_staff(flagged):
    _staff_writes(flagged, {"birth": ("更正", "1982-13", "张三")})
    result = _review(flagged)
    assert result.exit_code == 1
    [line] = [x for x in result.output.splitlines() if "未记录" in x]
    sh = load_workbook(_book(flagged))["问题清单"]
    cols, r = _columns(sh), _row_of(sh, "birth")
    cell = sh.cell(r, cols["更正为"]).coordinate
    assert "收件情况.xlsx" in line and "问题清单" in line and cell in line and "1982-13" in line
    assert "Traceback" not in result.output and _decisions(flagged) == []
    assert sh.cell(r, cols["更正为"]).value == "1982-13"  # the entry is written back, not lost
    assert str(sh.cell(r, cols["处理情况"]).value).startswith("未记录")
    assert _open_flags(flagged) == {"name", "birth"}
    _staff_writes(flagged, {"birth": ("更正", "1982年8月", "张三")})  # fixed: now recorded
    assert _review(flagged).exit_code == 0
    assert _effective(flagged)["birth"] == "1982-08"


def test_a_command_line_correction_is_not_undone_by_the_workbook_it_rewrites(flagged):
    from formgen.collect.decisions import correct

    _staff_writes(flagged, {"name": ("更正", "林昇", "")})
    assert _review(flagged).exit_code == 0
    correct(flagged, UNIT, FORM, "姓名", "林晟")  # the book still shows 林昇 until rewritten
    assert _effective(flagged)["name"] == "林晟"
    assert [d[3] for d in _decisions(flagged)] == ["林昇", "林晟"]


def test_confirming_a_corrected_value_withdraws_the_correction_and_history_keeps_all(flagged):
    from formgen.collect.collect import collect

    _staff_writes(flagged, {"name": ("更正", "林昇", "")})
    collect(flagged)
    _staff_writes(flagged, {"name": ("无误", "林昇", "")})
    collect(flagged)
    assert [d[:3] for d in _decisions(flagged)] == [("correction", "name", "set"), ("correction", "name", "delete"),
                                                    ("ocr_confirm", "name", "confirm")]
    assert _effective(flagged)["name"] == "-林昇" and "name" not in _open_flags(flagged)


def test_an_unreadable_workbook_is_moved_aside_not_overwritten(flagged):
    _book(flagged).write_bytes(b"not a workbook")
    result = _review(flagged)
    assert result.exit_code == 1 and "无法打开" in result.output
    [aside] = [p for p in _book(flagged).parent.iterdir() if "无法读取" in p.name]
    assert aside.read_bytes() == b"not a workbook"
    assert load_workbook(_book(flagged))["问题清单"]  # a fresh one is written


def test_an_unread_workbook_entry_is_recorded_before_a_command_line_correction(flagged):
    from formgen.collect.decisions import correct

    _staff_writes(flagged, {"name": ("更正", "林昇", "张三")})  # not read yet
    correct(flagged, UNIT, FORM, "姓名", "林晟")
    assert [(d[3], d[4]) for d in _decisions(flagged)][0] == ("林昇", "张三")
    assert [d[3] for d in _decisions(flagged)][1:] == ["林晟"]
    assert _effective(flagged)["name"] == "林晟"  # the later decision holds, the book shows it
    sh = load_workbook(_book(flagged))["问题清单"]
    assert sh.cell(_row_of(sh, "name"), _columns(sh)["更正为"]).value == "林晟"


def test_review_reads_a_copy_saved_elsewhere_and_refuses_a_bad_one_in_one_line(flagged, tmp_path):
    import shutil

    _staff_writes(flagged, {"birth": ("无误", None, "李四")})
    copy = tmp_path / "核对后.xlsx"
    shutil.move(_book(flagged), copy)
    result = _review(flagged, copy)
    assert result.exit_code == 0 and "确认无误" in result.output, result.output
    assert _decisions(flagged)[-1][1:] == ("birth", "confirm", "1982-07", "李四")
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    result = _review(flagged, tmp_path / "坏.xlsx")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and "坏.xlsx" in result.stderr


def _correct_in_book(flagged, key: str, value: str):
    """The staff's entry 更正 → value on the review row of ``key``, not yet saved."""
    path = _book(flagged)
    wb = load_workbook(path)
    sh = wb["问题清单"]
    cols = _columns(sh)
    r = _row_of(sh, key)
    sh.cell(r, cols["核对结果"]).value, sh.cell(r, cols["更正为"]).value = "更正", value
    return path, wb, sh, cols, r


def test_a_renamed_review_sheet_is_still_read(flagged):
    """Issue 15 point 1: 更正 13.5 typed on a row, the sheet renamed 问题清单（已核）, then formgen review."""
    path, wb, sh, cols, r = _correct_in_book(flagged, "name", "林昇")
    sh.title = "问题清单（已核）"
    wb.save(path)
    result = _review(flagged)
    assert "没有新的核对结果" not in result.output and "已记入" in result.output
    assert _effective(flagged)["name"] == "林昇"


def test_a_row_whose_hidden_reference_was_deleted_is_reported_and_the_book_kept(flagged):
    """Issue 15 point 2: the hidden 核对编号 column deleted; the entry is named by row, the book kept."""
    path, wb, sh, cols, r = _correct_in_book(flagged, "birth", "1982-08")
    sh.delete_cols(cols["核对编号"])
    wb.save(path)
    typed = path.read_bytes()
    result = _review(flagged)
    assert result.exit_code == 1
    assert f"第 {r} 行" in result.output and "1982-08" in result.output and "核对编号" in result.output
    [aside] = [p for p in path.parent.iterdir() if "有未读入的核对" in p.name]
    assert aside.read_bytes() == typed and aside.name in result.output
    assert load_workbook(path)["问题清单"]  # a fresh one beside it


def test_a_workbook_open_in_excel_is_not_replaced_the_new_one_goes_beside(flagged, monkeypatch):
    """Issue 15 point 3: os.replace onto the book fails (Excel locks it on Windows): one line, new name."""
    import os

    from formgen import outputs

    path = _book(flagged)
    real = os.replace

    def locked(src, dst):
        if str(dst) == str(path):
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", locked)
    before = path.read_bytes()
    result = _review(flagged)
    assert result.exit_code == 0, result.output
    assert "正在被 Excel/WPS 打开" in result.output and "新的已保存为" in result.output
    assert path.read_bytes() == before
    [other] = [p for p in path.parent.iterdir() if p.name.startswith("收件情况（新 ")]
    assert load_workbook(other)["问题清单"]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_directory_at_the_old_tmp_name_does_not_matter(flagged):
    """Issue 15 points 3–4: temporary names are unique, so 收件情况.xlsx.tmp in the way changes nothing."""
    path = _book(flagged)
    (path.parent / "收件情况.xlsx.tmp").mkdir()
    assert _review(flagged).exit_code == 0


def test_a_second_run_is_refused_while_the_lock_is_held_and_a_dead_holder_blocks_nothing(flagged, tmp_path):
    """Issue 15 point 4: two collects at once; the lock is the OS's, so a killed holder leaves none."""
    import subprocess
    import sys

    from formgen.lock import WorkspaceBusy, workspace_lock

    code = ("import sys, time; from formgen.lock import workspace_lock\n"
            "with workspace_lock(sys.argv[1], 'collect'):\n    print('held', flush=True); time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(flagged.root)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = _review(flagged)
        assert result.exit_code == WorkspaceBusy.exit_code and "另一个 formgen 正在处理" in result.output
        assert str(holder.pid) in result.output
    finally:
        holder.kill()
        holder.wait()
    with workspace_lock(flagged.root, "collect"):  # the killed holder's lock died with it
        pass
    assert _review(flagged).exit_code == 0

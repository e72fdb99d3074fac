"""Issue 8 defects of the collect stage: odd names, vanishing files, links and hidden files."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formgen.collect.collect import collect
from formgen.ledger.files import all_receipts

TEXT = ("这是一份详细事迹材料。" * 40).encode("utf-8")


@pytest.fixture(scope="module")
def preset_ws(tmp_path_factory):
    from formgen.issue.init import init_workspace

    return init_workspace(tmp_path_factory.mktemp("hardening") / "ws", "ruian-2014").root


@pytest.fixture
def ws(preset_ws, tmp_path):
    from formgen.workspace import Workspace

    shutil.copytree(preset_ws, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def _names(ws) -> list[str]:
    with ws.ledger() as ledger:
        return sorted(r.name for r in all_receipts(ledger))


def _book_text(ws) -> str:
    wb = load_workbook(ws.out / "collect" / "收件情况.xlsx")
    return "\n".join(str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value)


def test_defect1_a_gbk_file_name_does_not_stop_collect(ws):
    ws.forms_in.mkdir(exist_ok=True)
    (ws.forms_in / os.fsdecode("东山街道".encode("gbk") + "事迹.txt".encode("gbk"))).write_bytes(TEXT)
    (ws.forms_in / "马屿镇事迹.txt").write_bytes(TEXT + b"\n")
    report = collect(ws)
    assert report.new_files == 2 and report.unreadable == 0
    assert _names(ws) == sorted(["东山街道事迹.txt", "马屿镇事迹.txt"])


def test_defect11_rtl_override_is_removed_from_disk_names_in_the_book(ws):
    ws.forms_in.mkdir(exist_ok=True)
    (ws.forms_in / "事迹\u202etxt.exe").write_bytes(TEXT)
    collect(ws)
    assert _names(ws) == ["事迹txt.exe"]
    assert "\u202e" not in _book_text(ws) and "事迹txt.exe" in _book_text(ws)


def _misread_once(monkeypatch, target: Path, how):
    """``target`` fails to read (``how``) during the next collect only."""
    real = Path.read_bytes
    state = {"armed": True}

    def read_bytes(self):
        if state["armed"] and self.name == target.name:
            return how(real(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return state


def _vanish(data):
    raise FileNotFoundError(2, "No such file or directory")


@pytest.mark.parametrize("how", [_vanish, lambda data: data[: len(data) // 2]], ids=["vanished", "truncated"])
def test_defect5_a_file_that_failed_mid_run_is_read_again(ws, monkeypatch, how):
    ws.forms_in.mkdir(exist_ok=True)
    target = ws.forms_in / "东山街道事迹.txt"
    target.write_bytes(TEXT)
    state = _misread_once(monkeypatch, target, how)
    first = collect(ws)
    assert first.new_files == 0 and first.unreadable == 1
    assert "下次运行 formgen collect 时会重新读取" in first.failures[0][1]
    state["armed"] = False
    second = collect(ws)
    assert second.new_files == 1 and second.unchanged == 0
    assert _names(ws) == ["东山街道事迹.txt"]


def test_defect8_symlinks_are_not_followed_and_hidden_files_are_reported(ws, tmp_path):
    ws.forms_in.mkdir(exist_ok=True)
    secret = tmp_path / "secret.txt"
    secret.write_bytes("机密内容，不应进入台账。".encode() * 30)
    (ws.forms_in / "x.docx").symlink_to(secret)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "y.txt").write_bytes(TEXT)
    (ws.forms_in / "linked_dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (ws.forms_in / ".隐藏的事迹.txt").write_bytes(TEXT)
    (ws.forms_in / "~$锁文件.docx").write_bytes(b"lock")
    (ws.forms_in / "马屿镇事迹.txt").write_bytes(TEXT)
    report = collect(ws)
    assert _names(ws) == ["马屿镇事迹.txt"]
    skipped = {Path(name).name: why for name, why in report.skipped}
    assert set(skipped) == {"x.docx", "linked_dir", ".隐藏的事迹.txt"}
    assert "符号链接" in skipped["x.docx"] and "隐藏文件" in skipped[".隐藏的事迹.txt"]
    assert str(secret) not in _book_text(ws)


def _pdf(text: str) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    for i in range(0, len(text), 30):
        c.drawString(50, 780 - i // 30 * 16, text[i:i + 30])
    c.save()
    return buf.getvalue()


def _ledger_view(ws) -> list[tuple]:
    from formgen.ledger.forms import all_deeds, all_forms

    with ws.ledger() as ledger:
        receipts = sorted((r.name, r.status, r.error or "", r.sha256) for r in all_receipts(ledger))
        forms = sorted((f.form_type or "", str(f.fields)) for f in all_forms(ledger))
        deeds = sorted((d.chars, d.text or "") for d in all_deeds(ledger))
    return [receipts, forms, deeds]


def test_jobs_2_records_what_jobs_1_records(preset_ws, tmp_path, monkeypatch):
    """The slow readers run in a pool; the ledger gets the same rows in the same order of files."""
    from formgen.collect import pool
    from formgen.workspace import Workspace

    sent = []
    real_submit = pool.ProcessPoolExecutor.submit
    monkeypatch.setattr(pool.ProcessPoolExecutor, "submit",
                        lambda self, fn, *args: sent.append(args[1]) or real_submit(self, fn, *args))

    pdfs = [_pdf(f"第{n}份详细事迹材料。" + "该同志工作认真负责。" * 60) for n in range(3)]
    views = []
    for jobs in (1, 2):
        shutil.copytree(preset_ws, tmp_path / f"ws{jobs}")
        ws = Workspace.open(tmp_path / f"ws{jobs}")
        ws.forms_in.mkdir(exist_ok=True)
        for n, data in enumerate(pdfs):
            (ws.forms_in / f"事迹{n}.pdf").write_bytes(data)
        (ws.forms_in / "坏的.pdf").write_bytes(b"%PDF-1.4\n1 0 obj broken")
        (ws.forms_in / "事迹.txt").write_bytes(TEXT)
        report = collect(ws, jobs=jobs)
        assert report.new_files == 4 and report.unreadable == 1
        views.append(_ledger_view(ws))
    assert views[0] == views[1]
    assert sorted(sent) == ["事迹0.pdf", "事迹1.pdf", "事迹2.pdf", "坏的.pdf"]  # only with --jobs 2, only the PDFs

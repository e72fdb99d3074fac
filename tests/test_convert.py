""".doc / .wps / .rtf / .odt → .docx with LibreOffice: one call per batch, refusals, hangs."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from formgen.errors import InputFileError
from formgen.intake import convert
from formgen.intake.convert import convert_to_docx, soffice_path
from formgen.intake.result import SourceFile
from testdata import DONGSHAN_APP, RETURNS

SHARED = Path(__file__).parents[1].parent / "shared"
POI = SHARED / "corpus" / "foreign" / "poi"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")

# A stand-in for soffice: converts each input in order into <outdir>/<stem>.docx,
# sleeps on inputs containing HANG, writes nothing for inputs containing FAIL.
FAKE_SOFFICE = r'''#!{python}
import sys, time, zipfile
from pathlib import Path
args = sys.argv[1:]
outdir = Path(args[args.index("--outdir") + 1])
for arg in args[args.index("--outdir") + 2:]:
    data = Path(arg).read_bytes()
    if b"HANG" in data:
        time.sleep(60)
    if b"FAIL" in data:
        continue
    with zipfile.ZipFile(outdir / (Path(arg).stem + ".docx"), "w") as zf:
        zf.writestr("word/document.xml", data)
'''


def rtf(text: str) -> bytes:
    return b"{\\rtf1\\ansi " + text.encode() + b"}"


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """FORMGEN_SOFFICE points at the stand-in; returns the list of command lines run."""
    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("FORMGEN_SOFFICE", str(script))
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(cmd, *args, **kwargs):
        calls.append(list(cmd))
        return real_popen(cmd, *args, **kwargs)

    monkeypatch.setattr(convert.subprocess, "Popen", counting_popen)
    return calls


def test_batch_of_three_is_one_soffice_call_and_keeps_provenance(fake_soffice):
    when = dt.datetime(2014, 9, 25, 10, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    sources = [SourceFile(name=f"表{i}.rtf", data=rtf(f"form {i}"), path="/in/a.eml", via=["a.eml"],
                          sender="u@example.cn", sent_at=when, subject="材料") for i in range(3)]
    results = convert_to_docx(sources)
    assert len(fake_soffice) == 1
    cmd = fake_soffice[0]
    assert "--headless" in cmd and any(a.startswith("-env:UserInstallation=file:///") for a in cmd)
    assert sum(a.endswith(".rtf") for a in cmd) == 3
    assert [r.name for r in results] == ["表0.docx", "表1.docx", "表2.docx"]
    for i, r in enumerate(results):
        assert zipfile.ZipFile(io.BytesIO(r.data)).read("word/document.xml") == rtf(f"form {i}")
        assert (r.via, r.sender, r.sent_at, r.subject, r.path) == (["a.eml"], "u@example.cn", when, "材料", "/in/a.eml")


def test_a_failing_file_fails_alone(fake_soffice):
    results = convert_to_docx([SourceFile("a.rtf", rtf("ok")), SourceFile("b.rtf", rtf("FAIL")),
                               SourceFile("c.rtf", rtf("ok"))])
    assert isinstance(results[1], InputFileError) and results[1].kind == "corrupt"
    assert "b.rtf" in str(results[1]) and "\n" not in str(results[1])
    assert [r.name for r in (results[0], results[2])] == ["a.docx", "c.docx"]
    assert len(fake_soffice) == 1


def test_hang_is_killed_and_the_rest_retried(fake_soffice, monkeypatch):
    monkeypatch.setattr(convert, "STALL_FIRST", 5.0)
    monkeypatch.setattr(convert, "STALL_NEXT", 1.0)
    results = convert_to_docx([SourceFile("a.rtf", rtf("ok")), SourceFile("hang.rtf", rtf("HANG")),
                               SourceFile("c.rtf", rtf("ok")), SourceFile("d.rtf", rtf("FAIL"))])
    assert results[0].name == "a.docx" and results[2].name == "c.docx"
    assert "超时" in str(results[1]) and "hang.rtf" in str(results[1])
    assert "无法转换" in str(results[3])
    assert len(fake_soffice) == 2 and not any("f0001" in a for a in fake_soffice[1])


def test_whole_batch_deadline(fake_soffice, monkeypatch):
    monkeypatch.setattr(convert, "BASE_TIMEOUT", 1.0)
    monkeypatch.setattr(convert, "PER_FILE_TIMEOUT", 0.5)
    results = convert_to_docx([SourceFile("hang.rtf", rtf("HANG")), SourceFile("b.rtf", rtf("ok"))])
    assert all(isinstance(r, InputFileError) for r in results)
    assert "超时" in str(results[0]) and "超时" in str(results[1])


def test_missing_soffice_message(monkeypatch):
    monkeypatch.delenv("FORMGEN_SOFFICE", raising=False)
    from formgen import soffice

    monkeypatch.setattr(soffice.shutil, "which", lambda name: None)
    monkeypatch.setattr(soffice, "_MAC_SOFFICE", "/nonexistent/soffice")
    assert soffice_path() is None
    results = convert_to_docx([SourceFile("申报表.rtf", rtf("x"), path="/in/申报表.rtf")])
    err = results[0]
    assert isinstance(err, InputFileError) and err.kind == "needs_soffice"
    assert str(err).startswith("申报表.rtf：是 RTF 格式，需要安装 LibreOffice") and "apt-get install" in str(err)
    if (POI / "simple.doc").exists():
        err = convert_to_docx([SourceFile("a.doc", (POI / "simple.doc").read_bytes(), via=["x.zip"])])[0]
        assert "Word 97-2003 (.doc)" in str(err) and "“a.doc”" in str(err) and err.source_label == "a.doc"


def test_docx_passes_through_and_unknown_is_refused(fake_soffice):
    docx = RETURNS / DONGSHAN_APP
    sources = [SourceFile("x.bin", b"\x00\x01\x02" * 100), SourceFile(docx.name, docx.read_bytes())]
    results = convert_to_docx(sources)
    assert isinstance(results[0], InputFileError) and results[0].kind == "unsupported"
    assert results[1] is sources[1]
    assert fake_soffice == []


@pytest.mark.skipif(not POI.exists(), reason="shared corpus not present")
def test_encrypted_doc_is_refused_without_soffice(fake_soffice):
    sources = [SourceFile(name, (POI / name).read_bytes()) for name in
               ("PasswordProtected.doc", "password_password_cryptoapi.doc")]
    results = convert_to_docx(sources)
    assert [r.kind for r in results] == ["encrypted", "encrypted"]
    assert "密码" in str(results[0])
    assert fake_soffice == []


@pytest.mark.soffice
@needs_soffice
def test_doc_made_by_soffice_converts_back(dongshan_doc):
    broken = POI / "clusterfuzz-testcase-minimized-POIHWPFFuzzer-5074346559012864.doc"
    sources = [SourceFile(Path(DONGSHAN_APP).stem + ".doc", dongshan_doc, via=["a.zip"])]
    if broken.exists():
        sources.append(SourceFile(broken.name, broken.read_bytes()))
    results = convert_to_docx(sources)
    out = results[0]
    assert out.name == "东山街道勤廉标兵申报表.docx" and out.via == ["a.zip"]
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(out.data))
    text = "".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "郑丽娜" in text and "东山街道办事处综治办副主任" in text
    if broken.exists():
        assert isinstance(results[1], InputFileError) and results[1].kind == "corrupt"

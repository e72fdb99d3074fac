"""Finding LibreOffice: PATH first, then the standard Windows install folders (simulated here)."""
from __future__ import annotations

from formgen import soffice


def _windows_layout(tmp_path, monkeypatch, root_key: str):
    """A fake Program Files tree with LibreOffice installed and nothing on PATH, as on a clerk's PC."""
    root = tmp_path / "Program Files"
    exe = root / "LibreOffice" / "program" / "soffice.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    monkeypatch.delenv("FORMGEN_SOFFICE", raising=False)
    for key in soffice._WINDOWS_ROOTS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv(root_key, str(root))
    monkeypatch.setattr(soffice.shutil, "which", lambda name: None)
    monkeypatch.setattr(soffice, "_on_windows", lambda: True)
    return exe


def test_windows_program_files_found(tmp_path, monkeypatch):
    exe = _windows_layout(tmp_path, monkeypatch, "ProgramFiles")
    assert soffice.soffice_path() == str(exe)


def test_windows_program_files_x86_found(tmp_path, monkeypatch):
    exe = _windows_layout(tmp_path, monkeypatch, "ProgramFiles(x86)")
    assert soffice.soffice_path() == str(exe)


def test_windows_standard_paths_listed_without_environment(monkeypatch):
    for key in soffice._WINDOWS_ROOTS:
        monkeypatch.delenv(key, raising=False)
    names = [str(p).replace("/", "\\") for p in soffice._windows_candidates()]
    assert r"C:\Program Files\LibreOffice\program\soffice.exe" in names
    assert r"C:\Program Files (x86)\LibreOffice\program\soffice.exe" in names


def test_windows_path_wins_over_nothing_but_not_over_path(tmp_path, monkeypatch):
    _windows_layout(tmp_path, monkeypatch, "ProgramFiles")
    monkeypatch.setattr(soffice.shutil, "which", lambda name: "/usr/bin/soffice" if name == "soffice" else None)
    assert soffice.soffice_path() == "/usr/bin/soffice"


def test_windows_without_libreoffice_is_none(tmp_path, monkeypatch):
    _windows_layout(tmp_path, monkeypatch, "ProgramFiles")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "empty"))
    monkeypatch.setattr(soffice, "_WINDOWS_DEFAULT_ROOTS", ())
    monkeypatch.setattr(soffice, "_MAC_SOFFICE", str(tmp_path / "no-mac"))
    assert soffice.soffice_path() is None

"""Where LibreOffice is: one lookup for converting returned files and for printing PDFs."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

_MAC_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
# The Windows installer puts LibreOffice under Program Files and does not add it to PATH,
# so a clerk's PC would otherwise look as if LibreOffice were missing.
_WINDOWS_ROOTS = ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")
_WINDOWS_DEFAULT_ROOTS = (r"C:\Program Files", r"C:\Program Files (x86)")
_WINDOWS_TAIL = ("LibreOffice", "program", "soffice.exe")


def _windows_candidates() -> list[Path]:
    """soffice.exe under each Program Files folder (from the environment, then the standard paths)."""
    roots = [os.environ[key] for key in _WINDOWS_ROOTS if os.environ.get(key)]
    roots += [root for root in _WINDOWS_DEFAULT_ROOTS if root not in roots]
    return [Path(root).joinpath(*_WINDOWS_TAIL) for root in roots]


def _on_windows() -> bool:
    return os.name == "nt"


def soffice_path() -> str | None:
    """The LibreOffice executable: $FORMGEN_SOFFICE, ``soffice`` or ``libreoffice`` on PATH,
    the standard Windows install folders, or the macOS app."""
    configured = os.environ.get("FORMGEN_SOFFICE")
    if configured and os.access(configured, os.X_OK):
        return configured
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if _on_windows():
        for candidate in _windows_candidates():
            if candidate.is_file():
                return str(candidate)
    return _MAC_SOFFICE if os.access(_MAC_SOFFICE, os.X_OK) else None

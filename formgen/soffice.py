"""Where LibreOffice is: one lookup for converting returned files and for printing PDFs."""
from __future__ import annotations

import os
import shutil

_MAC_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def soffice_path() -> str | None:
    """The LibreOffice executable: $FORMGEN_SOFFICE, ``soffice`` or ``libreoffice`` on PATH, or the macOS app."""
    configured = os.environ.get("FORMGEN_SOFFICE")
    if configured and os.access(configured, os.X_OK):
        return configured
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return _MAC_SOFFICE if os.access(_MAC_SOFFICE, os.X_OK) else None

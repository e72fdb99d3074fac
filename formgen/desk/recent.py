"""The chooser's recent campaigns: a small JSON file in the user's settings folder.

``%APPDATA%\\formgen`` on Windows, ``$XDG_CONFIG_HOME/formgen`` (``~/.config/formgen``) elsewhere;
``FORMGEN_DESK_HOME`` overrides both (tests).
"""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

KEEP = 12


def settings_dir() -> Path:
    if os.environ.get("FORMGEN_DESK_HOME"):
        return Path(os.environ["FORMGEN_DESK_HOME"])
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "formgen"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "formgen"


def _file() -> Path:
    return settings_dir() / "recent.json"


def recent() -> list[dict]:
    """[{"path", "name", "opened"}], newest first; folders that are gone are left out."""
    try:
        items = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and Path(str(i.get("path", ""))).is_dir()]


def remember(root: Path, name: str) -> None:
    items = [i for i in recent() if i.get("path") != str(root)]
    items.insert(0, {"path": str(root), "name": name, "opened": f"{datetime.now():%Y-%m-%d %H:%M}"})
    try:
        _file().parent.mkdir(parents=True, exist_ok=True)
        _file().write_text(json.dumps(items[:KEEP], ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:  # a read-only profile: the chooser simply has no history
        pass

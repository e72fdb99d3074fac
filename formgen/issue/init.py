"""``formgen init``: lay out a new workspace from a preset.

Part of the issue stage because a workspace starts with the templates the forms are issued from.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from formgen.campaign.load import write_units
from formgen.campaign.presets import preset_dir, preset_units
from formgen.errors import WorkspaceError
from formgen.issue.templates import write_templates
from formgen.workspace import CAMPAIGN_FILE, Workspace


def init_workspace(root: Path, preset: str, force: bool = False) -> Workspace:
    """Create campaign.yaml, units.xlsx, templates/, forms_in/, out/ in ``root``.

    An existing campaign.yaml is never overwritten unless ``force``; the
    ledger and forms_in/ are never touched.
    """
    src = preset_dir(preset)
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    ws = Workspace(root)
    if ws.campaign_file.exists() and not force:
        raise WorkspaceError(f"{root} 已经是工作目录（{CAMPAIGN_FILE} 已存在）；如要重置配置请加 --force（已收文件和台账不受影响）")
    shutil.copyfile(src / "campaign.yaml", ws.campaign_file)
    units_path = root / ws.campaign.units_file
    if force or not units_path.exists():
        write_units(units_path, preset_units(preset))
    for d in (ws.templates_dir, ws.forms_in, ws.out):
        d.mkdir(exist_ok=True)
    write_templates(ws.campaign, ws.templates_dir, overwrite=force)
    return ws


def new_workspace(root: Path, campaign_text: str, force: bool = False) -> Workspace:
    """``formgen new``: a workspace from a campaign.yaml text (formgen.campaign.new) and an empty unit list."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    ws = Workspace(root)
    if ws.campaign_file.exists() and not force:
        raise WorkspaceError(f"{root} 已经是工作目录（{CAMPAIGN_FILE} 已存在）；如要重新生成配置请加 --force（已收文件和台账不受影响）")
    ws.campaign_file.write_text(campaign_text, encoding="utf-8")
    units_path = root / ws.campaign.units_file
    if not units_path.exists():
        write_units(units_path, [])
    for d in (ws.templates_dir, ws.forms_in, ws.out):
        d.mkdir(exist_ok=True)
    write_templates(ws.campaign, ws.templates_dir, overwrite=False)
    return ws

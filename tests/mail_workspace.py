"""A ruian-2014 workspace whose campaign.yaml points at the local test mail servers."""
from __future__ import annotations

from pathlib import Path

import yaml

from formgen.campaign.load import write_units
from formgen.campaign.model import Unit
from formgen.campaign.presets import preset_dir, preset_units
from formgen.workspace import Workspace
from mail_servers import USER

# A unit whose address the test SMTP server refuses.
REFUSED_UNIT = Unit(name="市测试局", category="部门", contact="赵六", email="refuse@example.cn")


def mail_section(imap_port: int | None, smtp_port: int | None = None, **extra) -> dict:
    section = {"user": USER, "from": USER, "folder": "INBOX", "since": "2014-05-28", "per_minute": 0}
    if imap_port:
        section["imap"] = {"host": "127.0.0.1", "port": imap_port, "security": "none"}
    if smtp_port:
        section["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "none"}
    section.update(extra)
    return section


def make_mail_ws(root: Path, imap_port: int | None, smtp_port: int | None = None, units: list[Unit] | None = None,
                 **extra) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    text = (preset_dir("ruian-2014") / "campaign.yaml").read_text(encoding="utf-8")
    mail = yaml.safe_dump({"mail": mail_section(imap_port, smtp_port, **extra)}, allow_unicode=True)
    (root / "campaign.yaml").write_text(text.rstrip() + "\n\n" + mail, encoding="utf-8")
    write_units(root / "units.xlsx", units if units is not None else preset_units("ruian-2014"))
    (root / "forms_in").mkdir(exist_ok=True)
    return Workspace.open(root)


def set_mail(ws: Workspace, **changes) -> Workspace:
    """Rewrite the mail section with ``changes`` (a fresh Workspace object: the campaign is cached)."""
    data = yaml.safe_load(ws.campaign_file.read_text(encoding="utf-8"))
    data["mail"].update(changes)
    ws.campaign_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Workspace.open(ws.root)

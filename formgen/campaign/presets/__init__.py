"""Built-in campaign presets: one folder each with campaign.yaml and units.yaml."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from formgen.campaign.model import Campaign, Unit
from formgen.errors import ConfigError


def _root() -> Path:
    return Path(str(resources.files(__package__)))


def preset_names() -> list[str]:
    return sorted(p.name for p in _root().iterdir() if (p / "campaign.yaml").is_file())


def preset_dir(name: str) -> Path:
    d = _root() / name
    if not (d / "campaign.yaml").is_file():
        raise ConfigError(f"没有名为 {name} 的预设；可用的预设：{'、'.join(preset_names())}（formgen presets 查看说明）")
    return d


def preset_campaign(name: str) -> Campaign:
    from formgen.campaign.load import load_campaign

    return load_campaign(preset_dir(name) / "campaign.yaml")


def preset_units(name: str) -> list[Unit]:
    rows = yaml.safe_load((preset_dir(name) / "units.yaml").read_text(encoding="utf-8")) or []
    return [Unit(name=r[0], category=r[1], contact=r[2], email=r[3]) for r in rows]


def award_size(award, preset: str) -> str:
    """“N名” for a selection; for an assessment of units (no quota): how many units it assesses."""
    if award.subjects != "units":
        return f"{award.quota.total}名"
    n = sum(1 for u in preset_units(preset) if not award.categories or u.category in award.categories)
    return f"考核{n}个单位，" + (f"评{award.quota.total}名" if award.quota.total else "不评名额")

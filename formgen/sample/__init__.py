"""Sample data for ``formgen demo``: what the ruian-2014 units send back, and how judges score.

``people.yaml`` holds, per unit of the preset, one nominated post and one
candidate (canonical field keys of shared/spec/forms.md, multi-line values as
lists, self-assessed scores in rubric order). ``fill.make_returns`` turns it
into the files units return; ``judges.fill_panel`` fills the judges' workbooks.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

PEOPLE_FILE = Path(__file__).with_name("people.yaml")


@lru_cache(maxsize=1)
def load_people() -> dict[str, dict]:
    """Unit name → {"post": {...}, "candidate": {...}} as people.yaml holds it."""
    with PEOPLE_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def as_text(value) -> str | None:
    """A people.yaml value as a form holds it: lists become lines, empty becomes None."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)

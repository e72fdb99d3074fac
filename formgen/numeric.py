"""Numbers as people type them in forms, workbooks and settings: one parser, one full-width table."""
from __future__ import annotations

import re
from decimal import Decimal

# Full-width digits and signs (typed with a Chinese input method) and the ideographic full stop.
_FOLD = str.maketrans("０１２３４５６７８９．－＋％，。", "0123456789.-+%,.")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def fold_number(text: str) -> str:
    """``１９．５ 分`` → ``19.5分``: full-width digits and signs to ASCII, whitespace removed."""
    return "".join(str(text).split()).translate(_FOLD)


def parse_number(text: str, units: tuple[str, ...] = ()) -> Decimal:
    """A plain decimal number, optionally followed by one of ``units``; ValueError otherwise
    (no exponents, no NaN, no formulas).

    >>> parse_number(" １９．５ 分", units=("分",))
    Decimal('19.5')
    """
    s = fold_number(text)
    for unit in units:
        if unit and s.endswith(unit):
            s = s[: -len(unit)]
            break
    if not _NUMBER.fullmatch(s):
        raise ValueError(text)
    return Decimal(s)

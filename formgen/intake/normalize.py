"""Text normalisation shared by the readers and the matcher.

Two different jobs:

* **keys** (:func:`label_key`) — for recognising labels and item names: NFKC
  (full-width → ASCII, Kangxi radicals → unified ideographs), no whitespace at
  all (``姓  名``, ``性　　别``, one character per line), no trailing colon.
* **values** — what a unit typed is kept as typed (full-width punctuation stays,
  so long texts compare with the original), except compatibility characters
  that PDFs and odd fonts produce (``⽅`` → ``方``), printed placeholders, the
  indentation at the start of lines, and blank lines. Typed numbers and dates
  are parsed into numbers / ``YYYY-MM``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from formgen.numeric import parse_number

# --------------------------------------------------------------------------------------------
# characters
# --------------------------------------------------------------------------------------------

_COMPAT_RANGES = (
    (0x2E80, 0x2EFF),  # CJK radicals supplement
    (0x2F00, 0x2FDF),  # Kangxi radicals
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
    (0xFF10, 0xFF19),  # full-width digits
    (0xFF21, 0xFF3A),  # full-width Latin capitals
    (0xFF41, 0xFF5A),  # full-width Latin small letters
)


def _compat_char(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _COMPAT_RANGES)


def fold_compat(text: str) -> str:
    """Unify compatibility ideographs/radicals and full-width letters/digits; keep all else."""
    if not any(_compat_char(ch) for ch in text):
        return text
    return "".join(unicodedata.normalize("NFKC", ch) if _compat_char(ch) else ch for ch in text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F


def squash(text) -> str:
    """Text without any whitespace, for comparing names as typed."""
    return "".join(str(text).split()) if text is not None else ""


_WS = re.compile(r"\s+")
_PARENS = re.compile(r"\([^()]*\)")


@lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """The comparable form of a label or item name: ``"姓　　名："`` → ``"姓名"``."""
    key = _WS.sub("", nfkc(text or ""))
    key = key.replace("\u200b", "").replace("\ufeff", "")
    return key.rstrip(":").strip("*")


def strip_parens(key: str) -> str:
    """A key without its parenthesised notes: ``主要事迹(500字左右)`` → ``主要事迹``."""
    prev = None
    while prev != key:
        prev, key = key, _PARENS.sub("", key)
    return key


# --------------------------------------------------------------------------------------------
# placeholders
# --------------------------------------------------------------------------------------------

_OPEN = "（(﹙"
_CLOSE = "）)﹚"


@lru_cache(maxsize=1024)
def _placeholder_re(placeholder: str) -> re.Pattern:
    """Matches ``placeholder`` with any spacing and either width of brackets/colons."""
    parts = []
    for ch in placeholder:
        if ch.isspace():
            continue
        if ch in _OPEN:
            parts.append(f"[{re.escape(_OPEN)}]")
        elif ch in _CLOSE:
            parts.append(f"[{re.escape(_CLOSE)}]")
        elif ch in "，,":
            parts.append("[，,]")
        elif ch in "：:":  # a printed colon comes back as either width, or not at all (OCR)
            parts.append("[：:]?")
        else:
            parts.append(re.escape(ch))
    return re.compile(r"\s*".join(parts))


# An unfilled date line "年   月   日" (a year may be typed: "2014年  月  日").
_EMPTY_DATE = re.compile(r"(?:(?:19|20)\d\d\s*)?年[\s_]*月[\s_]*日")
_STAMP = re.compile(r"[（(]\s*(?:单位)?\s*盖\s*章\s*[）)]|(?:单位|签\s*名|签\s*字)?\s*盖\s*章\s*[:：]?")


def strip_placeholders(text: str, placeholders: list[str] | tuple[str, ...] = (), stamp: bool = False) -> str:
    """``text`` without the printed placeholders (and stamp/date lines when ``stamp``)."""
    for ph in sorted(placeholders, key=len, reverse=True):
        if not ph.strip():
            continue
        if stamp and label_key(ph) in ("盖章", "(盖章)", "年月日"):
            continue  # handled by the patterns below, which know about spacing and years
        text = _placeholder_re(ph).sub("", text)
    if stamp:
        text = _STAMP.sub("", text)
        text = _EMPTY_DATE.sub("", text)
    return text


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------

_LINE_WS = " \t\u3000\u00a0\u2002\u2003\u200b\ufeff"


def clean_lines(text: str) -> list[str]:
    """Non-empty lines, each without leading/trailing (full-width) spaces."""
    out = []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip(_LINE_WS)
        line = line.replace("\t", " ")
        if line:
            out.append(line)
    return out


def clean_multiline(text: str) -> str | None:
    """A long text: paragraphs kept as lines, indentation and blank lines dropped."""
    lines = clean_lines(fold_compat(text or ""))
    return "\n".join(lines) or None


def _join_short(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and not (is_cjk(out[-1]) or is_cjk(line[0])):
            out += " "
        out += line
    return out


def clean_short(text: str) -> str | None:
    """A one-line value: lines joined, runs of spaces collapsed; ``林　　昇`` → ``林昇``."""
    lines = clean_lines(fold_compat(text or ""))
    if not lines:
        return None
    value = re.sub(r"[ \u3000\u00a0]+", " ", _join_short(lines)).strip()
    # A short CJK word spaced out to fill the cell (a name, "群  众") loses its spaces.
    compact = value.replace(" ", "")
    if compact != value and len(compact) <= 4 and all(is_cjk(ch) for ch in compact):
        value = compact
    return value or None


# --------------------------------------------------------------------------------------------
# numbers, dates, gender
# --------------------------------------------------------------------------------------------

def parse_score(text: str | None) -> float | None:
    """``18分``, ``１９``, ``14.0``, ``19.5 分`` → float; None when empty; ValueError when garbage."""
    if text is None:
        return None
    s = _WS.sub("", nfkc(text)).replace("。", ".").rstrip(".")
    if not s or s in ("/", "-", "—", "无"):
        return None
    return float(parse_number(s, units=("分",)))


def number_json(value: float | int | None):
    """20.0 → 20 for JSON; other numbers unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


def _cn_number(s: str) -> int | None:
    """Chinese numerals up to 99 (``十五``, ``二十``, ``八``)."""
    if not s or any(ch not in _CN_DIGITS and ch != "十" for ch in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        if "十" in ones:
            return None
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(s) == 1:
        return _CN_DIGITS[s]
    return None


def parse_percent(text: str | None) -> float | None:
    """``96.5%``, ``96.5％``, ``百分之96.5``, ``96.5`` → 96.5; None when empty; ValueError when garbage."""
    if text is None:
        return None
    s = _WS.sub("", nfkc(text))
    if not s:
        return None
    m = re.match(r"^(?:百分之)?(\d+(?:\.\d+)?)%?$", s)
    if not m:
        raise ValueError(text)
    value = float(m.group(1))
    return int(value) if value.is_integer() else value


def parse_integer(text: str | None) -> int | None:
    """``4人``, ``１５``, ``15名``, ``十五人`` → int; None when empty; ValueError when garbage."""
    if text is None:
        return None
    s = _WS.sub("", nfkc(text))
    if not s:
        return None
    m = re.match(r"^(?:共)?(\d+|[零〇一二两三四五六七八九十]+)(?:人|名|个|位)?$", s)
    if not m:
        raise ValueError(text)
    num = m.group(1)
    value = int(num) if num.isdigit() else _cn_number(num)
    if value is None:
        raise ValueError(text)
    return value


_BIRTH_SEP = re.compile(r"^((?:19|20)\d\d)\s*[年./\-—–_,、]\s*(\d{1,2})(?:\s*(?:月|[./\-—–_])\s*(\d{1,2})?\s*日?)?\.?$")
_BIRTH_DIGITS = re.compile(r"^((?:19|20)\d\d)(\d\d)(\d\d)?$")


def normalize_birth(text: str | None) -> str | None:
    """``1982.07``, ``1982年7月``, ``1982-7``, ``198207``, ``１９７１．０５``, ``1971年12月3日`` → ``YYYY-MM``.

    None when ``text`` is empty; ValueError when it is no year and month.
    """
    if text is None:
        return None
    s = _WS.sub("", nfkc(text)).replace("。", ".")
    if not s:
        return None
    m = _BIRTH_SEP.match(s) or _BIRTH_DIGITS.match(s)
    if not m:
        raise ValueError(text)
    year, month = int(m.group(1)), int(m.group(2))
    day = m.group(3)
    if not 1 <= month <= 12 or (day is not None and day != "" and not 1 <= int(day) <= 31):
        raise ValueError(text)
    return f"{year:04d}-{month:02d}"


def normalize_gender(text: str | None) -> str | None:
    """``男``/``女`` (also ``男性``, ``女 ``); None when empty; ValueError otherwise."""
    if text is None:
        return None
    s = _WS.sub("", nfkc(text))
    if not s:
        return None
    if s in ("男", "男性", "男士"):
        return "男"
    if s in ("女", "女性", "女士"):
        return "女"
    raise ValueError(text)


def count_chars(text: str | None) -> int:
    """Characters as the notice counts them: everything but whitespace."""
    return len(_WS.sub("", text or ""))

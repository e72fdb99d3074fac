"""Which values may leave the office: every form field has a sensitivity.

个人信息保护法 asks for the minimum necessary (art. 6) and separate consent before
personal information is made public (art. 25). formgen sorts every field into one
of three levels:

- ``public`` (公开): 姓名, 单位, 职务, 岗位, 窗口 and the result: what a 公示名单 may show;
- ``internal`` (内部): working content (出生年月, 政治面貌, 学历, 事迹 …): the office and judges;
- ``personal`` (个人): 身份证号, 手机/电话, 住址, 家庭成员, 照片, 邮箱: the office only, masked
  where a person does not need the whole value.

The canonical keys of ``shared/spec/forms.md`` have fixed defaults; a field a
campaign defines gets a level proposed from its label (``propose``), which the
clerk may change with ``sensitivity:`` on the field.

Example::

    >>> propose("身份证号码")
    'personal'
    >>> mask("330381198207121255", "personal")
    '330381********1255'
    >>> redact("请核对 15505775905 的号码")
    '请核对 155****5905 的号码'
"""
from __future__ import annotations

import re
from typing import Literal

Sensitivity = Literal["public", "internal", "personal"]
LEVELS: tuple[str, ...] = ("public", "internal", "personal")
LEVEL_NAMES = {"public": "公开", "internal": "内部", "personal": "个人"}

# Canonical keys (shared/spec/forms.md and the presets) whose level is known.
DEFAULTS: dict[str, Sensitivity] = {
    "name": "public", "unit_title": "public", "recommending_unit": "public", "post": "public",
    "post_leader": "public", "unit": "public", "window": "public", "title": "public", "position": "public",
    "gender": "internal", "birth": "internal", "political": "internal", "education": "internal",
    "resume": "internal", "honors": "internal", "deeds": "internal", "headcount": "internal",
    "duties": "internal", "practices": "internal", "recommender_opinion": "internal",
    "party_opinion": "internal",
    "id_number": "personal", "mobile": "personal", "phone": "personal", "contact_phone": "personal",
    "address": "personal", "home_address": "personal", "family": "personal", "family_members": "personal",
    "photo": "personal", "email": "personal",
}

# Words in a label that mark the level, most private first (a label matching two takes the first).
_PERSONAL_WORDS = ("身份证", "证件号", "手机", "电话", "联系方式", "住址", "地址", "家庭成员", "家庭主要成员",
                   "家属", "配偶", "子女", "照片", "相片", "邮箱", "电子邮件", "e-mail", "email", "微信", "qq",
                   "银行", "账号", "健康", "病史", "宗教")
_PUBLIC_WORDS = ("姓名", "名称", "单位", "职务", "职位", "岗位", "窗口", "大厅", "科室", "部门")


def propose(label: str) -> Sensitivity:
    """The level a field's label suggests: personal words win, then public words, else internal."""
    text = re.sub(r"\s+", "", label or "").lower()
    if any(w in text for w in _PERSONAL_WORDS):
        return "personal"
    # 单位意见 / 单位推荐意见 are working content, not a name
    if any(w in text for w in _PUBLIC_WORDS) and not text.endswith("意见"):
        return "public"
    return "internal"


def level_of(key: str, label: str = "", explicit: str | None = None) -> Sensitivity:
    """A field's level: the campaign's own setting, else the canonical default, else the label's."""
    if explicit in LEVELS:
        return explicit  # type: ignore[return-value]
    return DEFAULTS.get(key) or propose(label)


def allowed(level: str, audience: Sensitivity) -> bool:
    """May a value of ``level`` be shown whole to an ``audience`` of that level?

    ``public`` documents show public values, judges see internal ones, the office all.
    """
    return LEVELS.index(level) <= LEVELS.index(audience)


# ---------------------------------------------------------------------------- masking

_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def redact(text: str) -> str:
    """``text`` with ID numbers, mobile and desk phone numbers and e-mail addresses masked.

    For lines that leave the office's screen (logs, error lines, progress, mail):
    the unit, file, field and cell stay readable, a personal value does not.
    """
    if not text:
        return text
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-4:], text)
    text = _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    text = _LANDLINE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _EMAIL_RE.sub(lambda m: m.group(1) + "***" + m.group(2), text)


def mask(value, level: str) -> object:
    """A value as a person who does not need the whole of it sees it.

    Only ``personal`` values are masked: an ID number keeps its first six and last
    four characters, a mobile number its first three and last four, any other
    personal text only its first character (an address, family members).
    """
    if level != "personal" or value in (None, ""):
        return value
    text = str(value).strip()
    shown = redact(text)
    if shown != text:
        return shown
    return text[:1] + "*" * min(max(len(text) - 1, 3), 8)


def id_number_valid(text: str) -> bool:
    """GB 11643-1999 check digit of an 18-character ID number."""
    s = (text or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(s[:17], weights))
    return "10X98765432"[total % 11] == s[17]

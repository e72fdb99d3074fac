"""How wide Chinese text prints, and where a long document title breaks (GB/T 9704 7.3.1).

Pure text, no WordprocessingML: the notice template (issue) and the published
documents (publish) break their titles the same way.

>>> title_lines("关于表彰2024年度政务服务先进集体和个人的决定", 19)
['关于表彰2024年度政务服务', '先进集体和个人的决定']
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache


def text_em(text: str) -> float:
    """Printed width of ``text`` in characters (full-width 1, half-width digits/Latin ½)."""
    # Ambiguous-width characters (“” ·) are full width in Chinese fonts.
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


_GOOD_BREAK_AFTER = set("和与及的”）")
# Words of office titles a line must not split (政务服|务, 考核工|作): no dictionary, only the
# words these titles are made of. A break inside one costs more than an uneven pair of lines.
_WORDS = tuple("""
政务服务 效能建设 省直机关 先进集体 关于 开展 表彰 命名 年度 政务 服务 工作 效能 建设 机关 考核
考评 结果 评选 系列 先进 集体 个人 示范 标兵 单位 部门 窗口 大厅 名单 公示 通知 通报 决定 对象
活动 评议 测评 满意 科室 季度
""".split())


def _inside_word(text: str, cut: int) -> bool:
    """Whether a break before ``text[cut]`` splits one of the known words."""
    for w in _WORDS:
        start = text.find(w, max(0, cut - len(w) + 1))
        while start != -1 and start < cut:
            if start + len(w) > cut:
                return True
            start = text.find(w, start + 1)
    return False


def title_lines(text: str, capacity: float) -> list[str]:
    """A long title split like GB/T 9704 asks (梯形/菱形, meaning kept together).

    Breaks never fall inside “…” or 《…》 or between digits, and avoid splitting
    a word; of the breaks whose lines all fit, the most even one wins, preferring
    a break after 和/与/及/的 or a closing quote. Lines the writer broke with a
    newline are kept.
    """
    if "\n" in text:
        return [line for part in text.split("\n") for line in title_lines(part, capacity)]
    if text_em(text) <= capacity or len(text) > 120:  # very long: let the word processor wrap
        return [text]
    return list(_split(text, capacity))


@lru_cache(maxsize=256)
def _split(text: str, capacity: float) -> tuple[str, ...]:
    depth, allowed = 0, []
    for i, ch in enumerate(text):
        if ch in "“《（(":
            depth += 1
        elif ch in "”》）)":
            depth -= 1
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if 0 < i + 1 < len(text) and depth == 0 and not (ch.isdigit() and nxt.isdigit()) and nxt not in "，。、：；”）》":
            allowed.append(i + 1)
    best = None
    for cut in allowed:
        head, tail = text[:cut], text[cut:]
        if text_em(head) > capacity:
            continue
        lines = [head, *(_split(tail, capacity) if text_em(tail) > capacity else [tail])]
        if any(text_em(x) > capacity for x in lines):
            continue
        widths = [text_em(x) for x in lines]
        score = (len(lines) * 100 + max(widths) - min(widths) - (1.5 if text[cut - 1] in _GOOD_BREAK_AFTER else 0)
                 + (8 if _inside_word(text, cut) else 0))
        if best is None or score < best[0]:
            best = (score, lines)
    return tuple(best[1]) if best else (text,)

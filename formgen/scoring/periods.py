"""Periods: a month (2024-07), a quarter (2024Q3) or a year (2024), and which contains which.

>>> Period.parse("2024Q3").title
'2024年第三季度'
>>> Period.parse("2024Q3").contains(datetime.date(2024, 8, 15))
True
>>> [p.key for p in Period.parse("2024").parts("quarter")]
['2024Q1', '2024Q2', '2024Q3', '2024Q4']
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from formgen.errors import FormgenError

_CN = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "year" | "quarter" | "month"
    index: int = 0  # quarter 1..4 or month 1..12; 0 for a year

    @classmethod
    def parse(cls, text: str) -> "Period":
        t = str(text).strip().upper().replace("年", "-").replace("季度", "").replace("第", "")
        m = re.fullmatch(r"(\d{4})-?", t)
        if m:
            return cls(int(m.group(1)), "year")
        m = re.fullmatch(r"(\d{4})-?Q([1-4])", t)
        if m:
            return cls(int(m.group(1)), "quarter", int(m.group(2)))
        m = re.fullmatch(r"(\d{4})-?([一二三四])", t)
        if m:
            return cls(int(m.group(1)), "quarter", _CN.index(m.group(2)) + 1)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:月)?", t)
        if m and 1 <= int(m.group(2)) <= 12:
            return cls(int(m.group(1)), "month", int(m.group(2)))
        raise FormgenError(f"期间“{text}”无法识别；应写成 2024（年度）、2024Q3（季度）或 2024-07（月份）")

    @classmethod
    def of(cls, date: datetime.date, kind: str) -> "Period":
        if kind == "year":
            return cls(date.year, "year")
        if kind == "quarter":
            return cls(date.year, "quarter", (date.month - 1) // 3 + 1)
        return cls(date.year, "month", date.month)

    @property
    def key(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def title(self) -> str:
        if self.kind == "year":
            return f"{self.year}年度"
        if self.kind == "quarter":
            return f"{self.year}年第{_CN[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    @property
    def short(self) -> str:
        return {"year": "全年", "quarter": f"第{_CN[self.index - 1]}季度" if self.index else "",
                "month": f"{self.index}月"}[self.kind]

    def first_day(self) -> datetime.date:
        month = {"year": 1, "quarter": 3 * self.index - 2, "month": self.index}[self.kind]
        return datetime.date(self.year, month, 1)

    def last_day(self) -> datetime.date:
        month = {"year": 12, "quarter": 3 * self.index, "month": self.index}[self.kind]
        nxt = datetime.date(self.year + (month == 12), month % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)

    def contains(self, date: datetime.date) -> bool:
        return self.first_day() <= date <= self.last_day()

    def parts(self, kind: str) -> list["Period"]:
        """The periods of ``kind`` inside this one (a year's quarters or months, a quarter's months)."""
        if kind == self.kind:
            return [self]
        if self.kind == "year" and kind == "quarter":
            return [Period(self.year, "quarter", q) for q in range(1, 5)]
        if kind == "month" and self.kind in ("year", "quarter"):
            first = 1 if self.kind == "year" else 3 * self.index - 2
            last = 12 if self.kind == "year" else 3 * self.index
            return [Period(self.year, "month", m) for m in range(first, last + 1)]
        raise FormgenError(f"{self.title}不能再分为{ {'year': '年度', 'quarter': '季度', 'month': '月份'}[kind] }")

    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.kind, self.index)


def as_date(value) -> datetime.date | None:
    """A cell value as a date: a date/datetime, 2024-07-15, 2024/7/15, 2024年7月15日, 2024.7.15."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", str(value))
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None

"""Working-day arithmetic for the 公示期 (publicity period).

Chinese offices count a publicity period in working days: statutory holidays
are off and the 调休 weekend days that make up for them are on (2014-10-11, a
Saturday, was a working day after 国庆). ``chinese_calendar`` holds the State
Council's schedule for the years it ships data for; outside them it raises
``NotImplementedError`` and we fall back to Monday–Friday, telling the caller
so it can warn the user (the dates may then be off by a holiday).

Counting is inclusive: the period starts on its first day, which counts as day
1 when it is a working day. ``add_working_days(2014-09-30, 5)`` is therefore
9/30, 10/8, 10/9, 10/10, 10/11 and ends on 2014-10-11.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)
# Guards a bad call (n in the millions) from looping for long.
_MAX_DAYS = 3660


def has_holiday_data(day: dt.date) -> bool:
    """Whether chinese_calendar knows the holidays of ``day``'s year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date) -> bool:
    """Statutory working day (holidays off, 调休 weekend days on); Mon–Fri outside the data years."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def first_working_day(on_or_after: dt.date) -> dt.date:
    """The first working day on or after ``on_or_after``."""
    day = on_or_after
    for _ in range(_MAX_DAYS):
        if is_working_day(day):
            return day
        day += _ONE_DAY
    raise ValueError(f"no working day within {_MAX_DAYS} days of {on_or_after}")


def next_working_day(after: dt.date) -> dt.date:
    """The first working day strictly after ``after``."""
    return first_working_day(after + _ONE_DAY)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The last day of a period of ``n`` working days beginning on ``start`` (inclusive counting).

    If ``start`` is not a working day, the period begins on the next one.
    """
    if n < 1:
        raise ValueError("a period has at least one working day")
    if n > _MAX_DAYS:
        raise ValueError(f"{n} working days is not a publicity period")
    day = first_working_day(start)
    for _ in range(n - 1):
        day = next_working_day(day)
    return day


@dataclass(frozen=True)
class Period:
    """A period of ``working_days`` working days from ``start`` to ``end`` (both included)."""

    start: dt.date
    end: dt.date
    working_days: int
    # False when a year of the period is outside chinese_calendar's data (Mon–Fri was assumed).
    exact: bool


def working_period(start: dt.date, n: int) -> Period:
    """The period of ``n`` working days beginning on (or after) ``start``."""
    first = first_working_day(start)
    end = add_working_days(first, n)
    exact = has_holiday_data(first) and has_holiday_data(end)
    return Period(first, end, n, exact)

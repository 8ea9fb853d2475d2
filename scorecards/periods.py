"""Scorecard periods: calendar months and fiscal quarters (a vendor's fiscal year may start in
any month; April is common in Japan). A period is named by its kind and its first day."""

from __future__ import annotations

import datetime as dt

MONTH = "month"
QUARTER = "quarter"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_start(day: dt.date, fiscal_start_month: int = 1) -> dt.date:
    """The first day of the fiscal quarter holding ``day``."""
    offset = (day.month - fiscal_start_month) % 3
    return add_months(day, -offset)


def period_start(kind: str, day: dt.date, fiscal_start_month: int = 1) -> dt.date:
    return month_start(day) if kind == MONTH else quarter_start(day, fiscal_start_month)


def period_months(kind: str) -> int:
    return 1 if kind == MONTH else 3


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period starting ``start``."""
    return add_months(start, period_months(kind)) - dt.timedelta(days=1)


def period_shift(kind: str, start: dt.date, count: int) -> dt.date:
    """The start of the period ``count`` periods after (negative: before) ``start``."""
    return add_months(start, count * period_months(kind))


def periods_back(kind: str, start: dt.date, count: int) -> list[dt.date]:
    """``count`` period starts ending with ``start``, oldest first."""
    return [period_shift(kind, start, -n) for n in range(count - 1, -1, -1)]


def fiscal_quarter_label(start: dt.date, fiscal_start_month: int = 1) -> str:
    """``FY2026 Q1`` style name: the fiscal year is named by the calendar year it starts in."""
    months_in = (start.month - fiscal_start_month) % 12
    year = start.year if start.month >= fiscal_start_month else start.year - 1
    return f"FY{year} Q{months_in // 3 + 1}"


def quarters_between(first: dt.date, later: dt.date, fiscal_start_month: int = 1) -> int:
    """How many fiscal quarters ``later``'s quarter is after ``first``'s (0: the same)."""
    a = quarter_start(first, fiscal_start_month)
    b = quarter_start(later, fiscal_start_month)
    return ((b.year - a.year) * 12 + b.month - a.month) // 3

"""Period arithmetic for every app: weeks, calendar months and fiscal quarters, and the local
date of a moment. Pure functions over dates; nothing here reads the database.

* A period is named by its kind (``WEEK``, ``MONTH``, ``QUARTER``) and its first day. A week
  runs Monday to Sunday; a quarter is a fiscal quarter: three months from the vendor's fiscal
  year start month (``Vendor.fiscal_year_start_month``; April is common in Japan), 1 for
  calendar quarters.
* ``add_months`` moves to the *first* of a month (period starts); ``add_months_same_day`` keeps
  the day (a certificate valid for 12 months), the 31st becoming a shorter month's last day.
* A fiscal year is named by the calendar year it starts in (``FY2026 Q1`` starts in April 2026
  for an April vendor).
"""

from __future__ import annotations

import calendar
import datetime as dt
from datetime import tzinfo

WEEK = "week"
MONTH = "month"
QUARTER = "quarter"


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months_same_day(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, keeping its day of the month; the 31st
    becomes the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_month_start(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return add_months(day, 1)


def quarter_start(day: dt.date, fiscal_start_month: int = 1) -> dt.date:
    """The first day of the fiscal quarter holding ``day``."""
    offset = (day.month - fiscal_start_month) % 3
    return add_months(day, -offset)


def period_start(kind: str, day: dt.date, fiscal_start_month: int = 1) -> dt.date:
    """The first day of the period of ``kind`` holding ``day``."""
    if kind == WEEK:
        return week_start(day)
    return month_start(day) if kind == MONTH else quarter_start(day, fiscal_start_month)


def period_months(kind: str) -> int:
    """How many months a month or quarter spans."""
    return 1 if kind == MONTH else 3


def period_shift(kind: str, start: dt.date, count: int) -> dt.date:
    """The start of the period ``count`` periods after (negative: before) ``start``."""
    if kind == WEEK:
        return start + dt.timedelta(weeks=count)
    return add_months(start, count * period_months(kind))


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period starting ``start`` (a week's Sunday, a month's or a
    quarter's last day)."""
    return period_shift(kind, start, 1) - dt.timedelta(days=1)


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


def local_date(moment: dt.datetime, zone: tzinfo) -> dt.date:
    """The calendar date of the aware ``moment`` in ``zone`` (a distributor's "today" is
    ``local_date(now, distributor.zone)``; SQL does the same with ``timezone(zone, moment)``)."""
    return moment.astimezone(zone).date()

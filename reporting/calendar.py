"""When reports fall due: business days per country and the due moments of each period.

Pure functions over a ``DueCalendar`` (the vendor's settings and closures, read once); nothing
here writes. Business days are Monday to Friday, minus the country's public holidays (the
``holidays`` package, cached per country and year) and the vendor's ``ReportingClosure`` days
(for every country or that one). Due moments are aware datetimes at the vendor's local time in
the *distributor's* time zone, so the same 12:00 is a different instant in Tokyo, Jakarta and
New York.

Weekly: the week Monday..Sunday falls due on the vendor's weekday after it (default Monday);
when that day is not a business day (a Monday holiday, Golden Week, a New Year closure) it moves
to the next business day. Monthly: by the Nth business day (default 5th) of the next month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from partners import periods
from partners.markets import MARKETS_BY_COUNTRY
from reporting.models import ReportingCalendar, ReportingClosure, ReportKind

# How far back the schedule opens missed periods (a new installation catches up this far).
CATCH_UP_WEEKS = 13
# Business days never run out: a search for the next one gives up after this many days.
_MAX_SEARCH_DAYS = 60


@lru_cache(maxsize=512)
def public_holidays(country: str, year: int) -> frozenset[dt.date]:
    """The public holidays of ``country`` in ``year`` (an empty set for an unknown country)."""
    if country not in MARKETS_BY_COUNTRY:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:  # pragma: no cover - every market is in the package
        return frozenset()


@dataclass(frozen=True)
class Closure:
    start: dt.date
    end: dt.date
    country: str  # "" for every country

    def covers(self, country: str, day: dt.date) -> bool:
        return self.start <= day <= self.end and self.country in ("", country)


@dataclass(frozen=True)
class DueCalendar:
    """A vendor's reporting calendar (possibly an unsaved default) and its closures."""

    settings: ReportingCalendar
    closures: tuple[Closure, ...] = ()

    # --- business days ---------------------------------------------------------------------

    def is_business_day(self, country: str, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in public_holidays(country, day.year):
            return False
        return not any(c.covers(country, day) for c in self.closures)

    def business_day_on_or_after(self, country: str, day: dt.date) -> dt.date:
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_business_day(country, day):
                return day
            day += dt.timedelta(days=1)
        return day  # a closure longer than two months: due on the day after the search

    def nth_business_day(self, country: str, year: int, month: int, n: int) -> dt.date:
        """The ``n``th business day of the month (counted from 1), which may spill into the
        next month if the month has too few."""
        day = dt.date(year, month, 1)
        count = 0
        for _ in range(_MAX_SEARCH_DAYS + 31):
            if self.is_business_day(country, day):
                count += 1
                if count >= n:
                    return day
            day += dt.timedelta(days=1)
        return day


def calendar_for(vendor) -> ReportingCalendar:
    """The vendor's calendar row, or an unsaved one with the model's defaults."""
    row = ReportingCalendar.objects.filter(vendor=vendor).first()
    return row or ReportingCalendar(vendor=vendor)


def due_calendar_for(vendor) -> DueCalendar:
    """The vendor's settings and closures, read once for many due computations."""
    closures = tuple(
        Closure(c.start_date, c.end_date, c.country)
        for c in ReportingClosure.objects.filter(vendor=vendor).order_by("start_date", "id")
    )
    return DueCalendar(settings=calendar_for(vendor), closures=closures)


def _at_local(day: dt.date, time: dt.time, distributor) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=distributor.zone)


def weekly_due(calendar: DueCalendar, distributor, period_start: dt.date) -> dt.datetime:
    """When the weekly update for the week starting ``period_start`` (a Monday) falls due."""
    settings = calendar.settings
    day = periods.week_start(period_start) + dt.timedelta(days=7 + settings.weekly_weekday)
    day = calendar.business_day_on_or_after(distributor.country, day)
    return _at_local(day, settings.weekly_time, distributor)


def monthly_due(calendar: DueCalendar, distributor, period_start: dt.date) -> dt.datetime:
    """When the monthly summary for the month starting ``period_start`` falls due: by the
    vendor's Nth business day of the next month."""
    settings = calendar.settings
    nxt = periods.next_month_start(period_start)
    day = calendar.nth_business_day(
        distributor.country, nxt.year, nxt.month, settings.monthly_business_day
    )
    return _at_local(day, settings.monthly_time, distributor)


def due_at(calendar: DueCalendar, distributor, kind: str, period_start: dt.date) -> dt.datetime:
    if kind == ReportKind.WEEKLY:
        return weekly_due(calendar, distributor, period_start)
    return monthly_due(calendar, distributor, period_start)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date
    due_at: dt.datetime


def periods_ended(
    calendar: DueCalendar,
    distributor,
    *,
    now: dt.datetime,
    since: dt.date | None = None,
    weeks_back: int = CATCH_UP_WEEKS,
) -> list[Period]:
    """Weekly and monthly periods that have ended in the distributor's time zone as of ``now``:
    the last week and month, and earlier ones back to ``weeks_back`` weeks, but none that
    ended before ``since`` (the day the distributor started reporting)."""
    today = periods.local_date(now, distributor.zone)
    earliest = today - dt.timedelta(weeks=weeks_back)
    if since is not None and since > earliest:
        earliest = since
    result: list[Period] = []
    start = periods.week_start(today) - dt.timedelta(days=7)
    while start + dt.timedelta(days=6) >= earliest:
        result.append(
            Period(
                ReportKind.WEEKLY,
                start,
                periods.period_end(periods.WEEK, start),
                weekly_due(calendar, distributor, start),
            )
        )
        start -= dt.timedelta(days=7)
    start = periods.add_months(today, -1)
    while periods.period_end(periods.MONTH, start) >= earliest:
        result.append(
            Period(
                ReportKind.MONTHLY,
                start,
                periods.period_end(periods.MONTH, start),
                monthly_due(calendar, distributor, start),
            )
        )
        start = periods.add_months(start, -1)
    return result


def due_moments_between(
    calendar: DueCalendar, distributor, *, start: dt.date, end: dt.date
) -> list[Period]:
    """Every weekly and monthly period whose due day lies roughly within ``start``..``end``
    (the feed's window), computed without creating rows, ordered by due moment."""
    result: list[Period] = []
    monday = periods.week_start(start) - dt.timedelta(days=14)
    while monday <= end:
        due = weekly_due(calendar, distributor, monday)
        if start <= due.date() <= end:
            result.append(
                Period(ReportKind.WEEKLY, monday, periods.period_end(periods.WEEK, monday), due)
            )
        monday += dt.timedelta(days=7)
    first = periods.add_months(start, -1)
    while first <= end:
        due = monthly_due(calendar, distributor, first)
        if start <= due.date() <= end:
            result.append(
                Period(ReportKind.MONTHLY, first, periods.period_end(periods.MONTH, first), due)
            )
        first = periods.next_month_start(first)
    result.sort(key=lambda p: (p.due_at, p.kind))
    return result

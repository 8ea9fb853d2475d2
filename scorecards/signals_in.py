"""What makes scorecards recompute: listeners on reporting's events (reporting/events.py).

Each listener runs inside the announcing service's transaction and the vendor's scope, and asks
for the months and fiscal quarters the change touches to be computed again
(``scorecards_recompute_request`` coalesces; the worker runs after the commit). Vendors without
KPIs are left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from partners import periods
from reporting import events
from scorecards.selectors.policy import scoring_settings
from scorecards.services.recompute import scorecards_recompute_request

# Sales older than this many months do not make scorecards recompute (the nightly run and the
# dashboards look at recent periods; a restated old year is recomputed on request).
SALES_MONTHS_CAP = 24


def _fiscal_month_if_scored(vendor_id: int) -> int | None:
    """The vendor's fiscal year start month, or None when it has no KPIs (one query)."""
    settings = scoring_settings(vendor_id=vendor_id)
    return settings.fiscal_year_start_month if settings.has_kpis else None


def _request(vendor_id: int, months: list[dt.date], fiscal_month: int) -> None:
    wanted: list[tuple[str, dt.date]] = []
    for month in sorted(set(months)):
        for period in (
            (periods.MONTH, month),
            (periods.QUARTER, periods.quarter_start(month, fiscal_month)),
        ):
            if period not in wanted:
                wanted.append(period)
    for kind, start in wanted:
        scorecards_recompute_request(vendor_id=vendor_id, period_kind=kind, period_start=start)


def months_for_report(kind: str, period_start: dt.date) -> list[dt.date]:
    """The months a handed-in report changes: the month its period starts in, and for a
    monthly summary also the next month (it falls due then: the monthly review figure)."""
    month = periods.month_start(period_start)
    if kind == "monthly":
        return [month, periods.add_months(month, 1)]
    return [month]


def months_for_sales(first_date: dt.date, last_date: dt.date, today: dt.date) -> list[dt.date]:
    """The months sales lines invoiced from ``first_date`` to ``last_date`` change: those
    months and the same months a year later (their growth on last year), none in the future
    and none older than ``SALES_MONTHS_CAP`` months."""
    current = periods.month_start(today)
    oldest = periods.add_months(current, -(SALES_MONTHS_CAP - 1))
    first = max(periods.month_start(min(first_date, last_date)), oldest)
    last = min(periods.month_start(max(first_date, last_date)), current)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = periods.add_months(month, 1)
    a_year_later = [periods.add_months(m, 12) for m in months]
    return months + [m for m in a_year_later if oldest <= m <= current and m not in months]


def on_report_submitted(*, vendor_id, distributor_id, kind, period_start, **_):
    """A report was submitted or resubmitted."""
    fiscal_month = _fiscal_month_if_scored(vendor_id)
    if fiscal_month is not None:
        _request(vendor_id, months_for_report(kind, period_start), fiscal_month)


def on_sales_changed(*, vendor_id, distributor_id, first_date, last_date, **_):
    """Sales lines were written for a distributor, invoiced between the two dates."""
    if first_date is None or last_date is None:
        return
    fiscal_month = _fiscal_month_if_scored(vendor_id)
    if fiscal_month is not None:
        months = months_for_sales(first_date, last_date, timezone.now().date())
        _request(vendor_id, months, fiscal_month)


events.listen(events.REPORT_SUBMITTED, on_report_submitted)
events.listen(events.SALES_CHANGED, on_sales_changed)

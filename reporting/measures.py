"""The reporting measures, defined once: weekly update due, weekly update on time, monthly
summary handed in, and report returned. Reporting discipline (``reporting.selectors.review``),
the scorecard KPIs ``weekly_on_time`` and ``monthly_review`` (``scorecards.metrics``, and through
them the quarterly exclusivity verdict) embed these SQL fragments; ``report_measures`` runs them
for one window for any other caller (incentive gates, QBR packs).

The rule, as of a moment ``as_of``:

* **due**: a report counts as due once its due moment has passed (``due_at < as_of``) or once
  it was handed in (``submitted_at <= as_of``), whichever comes first: an update handed in
  early counts at once; one neither due yet nor handed in does not count at all.
* **on time**: handed in (first submission) by its due moment, and by ``as_of``.
* **handed in**: first submitted by ``as_of``, on time or not. **late**: handed in by ``as_of``
  after its due moment. **missed**: flagged missed by ``as_of`` (the schedule's job sets
  ``missed_at`` once the grace period is over with nothing handed in).
* **returned**: returned for correction and not handed in again (its current status: a
  return has no "as of").

Windows (``start`` included, ``next_start`` excluded; for a fiscal quarter, its first day and
the next quarter's): a **weekly update** belongs to the window its week starts in; a **monthly
summary** belongs to the window it falls due in, by the due date in the distributor's time
zone (February's summary, due in March, is March's; a quarter judged at its end has every one
of its summaries due). The windows' dates come from ``partners.periods``.

Fragments take the report table's alias and SQL placeholders (``%(as_of)s`` style) so that each
caller keeps its own parameter names; they hold no user input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from partners.models import Vendor


def due(r: str, as_of: str) -> str:
    """SQL: report ``r`` counts as due as of ``as_of``."""
    return f"({r}.due_at < {as_of} OR {r}.submitted_at <= {as_of})"


def on_time(r: str, as_of: str) -> str:
    """SQL: report ``r`` was handed in by its due moment (and by ``as_of``); implies due."""
    return f"({r}.submitted_at <= {r}.due_at AND {r}.submitted_at <= {as_of})"


def handed_in(r: str, as_of: str) -> str:
    """SQL: report ``r`` was handed in by ``as_of``, on time or not; implies due."""
    return f"({r}.submitted_at <= {as_of})"


def late(r: str, as_of: str) -> str:
    """SQL: report ``r`` was handed in by ``as_of`` after its due moment; implies due."""
    return f"({r}.submitted_at > {r}.due_at AND {r}.submitted_at <= {as_of})"


def missed(r: str, as_of: str) -> str:
    """SQL: report ``r`` was flagged missed by ``as_of``; implies due."""
    return f"({r}.missed_at <= {as_of})"


def returned(r: str) -> str:
    """SQL: report ``r`` is returned for correction and not handed in again."""
    return f"({r}.status = 'returned')"


def weekly_in(r: str, start: str, next_start: str) -> str:
    """SQL: ``r`` is a weekly update of the window (its week starts in it)."""
    return (
        f"({r}.kind = 'weekly' AND {r}.period_start >= {start} AND {r}.period_start < {next_start})"
    )


def monthly_in(r: str, zone: str, start: str, next_start: str) -> str:
    """SQL: ``r`` is a monthly summary of the window (it falls due in it, by the date in the
    time zone named by the SQL expression ``zone``, the distributor's). The padded range on
    ``due_at`` alone lets an index on it serve: any zone's date lies within a day of UTC's."""
    local_day = f"({r}.due_at AT TIME ZONE {zone})::date"
    return (
        f"({r}.kind = 'monthly'"
        f" AND {r}.due_at >= (({start})::date - 1)::timestamp AT TIME ZONE 'UTC'"
        f" AND {r}.due_at < (({next_start})::date + 1)::timestamp AT TIME ZONE 'UTC'"
        f" AND {local_day} >= {start} AND {local_day} < {next_start})"
    )


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, rounded to 4 decimals as the KPIs store it (None
    when nothing was due)."""
    if not whole:
        return None
    return round(Decimal(part) / Decimal(whole) * 100, 4)


@dataclass(frozen=True)
class ReportMeasures:
    """One distributor's reporting measures for one window as of one moment."""

    distributor_id: int
    weekly_due: int = 0
    weekly_on_time: int = 0
    monthly_due: int = 0
    monthly_handed_in: int = 0
    returned: int = 0

    @property
    def weekly_on_time_percent(self) -> Decimal | None:
        """The share of weekly updates due that came in on time (the ``weekly_on_time`` KPI)."""
        return percent(self.weekly_on_time, self.weekly_due)

    @property
    def monthly_handed_in_percent(self) -> Decimal | None:
        """The share of monthly summaries due that were handed in (the ``monthly_review``
        KPI)."""
        return percent(self.monthly_handed_in, self.monthly_due)


_WEEKLY = weekly_in("r", "%(start)s", "%(next)s")
_MONTHLY = monthly_in("r", "d.time_zone", "%(start)s", "%(next)s")
_MEASURES_SQL = f"""
SELECT r.distributor_id,
       count(*) FILTER (WHERE {_WEEKLY} AND {due("r", "%(as_of)s")}),
       count(*) FILTER (WHERE {_WEEKLY} AND {on_time("r", "%(as_of)s")}),
       count(*) FILTER (WHERE {_MONTHLY} AND {due("r", "%(as_of)s")}),
       count(*) FILTER (WHERE {_MONTHLY} AND {handed_in("r", "%(as_of)s")}),
       count(*) FILTER (WHERE {returned("r")})
  FROM reporting_report r
  JOIN partners_distributor d ON d.id = r.distributor_id AND d.vendor_id = r.vendor_id
 WHERE r.vendor_id = %(vendor)s AND ({_WEEKLY} OR {_MONTHLY}) {{only}}
 GROUP BY r.distributor_id
"""  # noqa: S608 (fragments of constants; values are parameters)


def report_measures(
    *,
    vendor: Vendor,
    start: dt.date,
    next_start: dt.date,
    as_of: dt.datetime | None = None,
    distributor_ids=None,
) -> dict[int, ReportMeasures]:
    """The reporting measures of the vendor's distributors (or of ``distributor_ids``) for the
    window ``start`` .. ``next_start`` (excluded) as of ``as_of`` (default: now), by the rule
    of this module; distributors with no report in the window are absent. One query; call it
    inside the vendor's scope, for distributors the caller may see."""
    params: dict = {
        "vendor": vendor.id,
        "start": start,
        "next": next_start,
        "as_of": as_of or timezone.now(),
    }
    only = ""
    if distributor_ids is not None:
        params["ids"] = [int(i) for i in distributor_ids]
        only = "AND r.distributor_id = ANY(%(ids)s)"
    with connection.cursor() as cursor:
        cursor.execute(_MEASURES_SQL.format(only=only), params)
        rows = cursor.fetchall()
    return {row[0]: ReportMeasures(*row) for row in rows}

"""Consolidating money across currencies: each distributor's revenue stays in its own currency
in ``KpiActual``; consolidated views convert it into the vendor's reporting currency
(``ScorecardPolicy.reporting_currency``) with the vendor's ``ExchangeRate`` of each month.

Rules: a month's revenue converts with the rate of that month, or the latest earlier one when
the month has none; the reporting currency converts at 1; a currency with no rate on or before
the month is not converted and is reported apart (never added to the total as if it were the
reporting currency). A quarter converts month by month (its monthly actuals), so a quarter with
a moving rate is converted as the months were.

The conversion is one SQL statement whatever the number of distributors: each currency's rate
for each month of the period is looked up once, then joined to the monthly rows (a look-up per
row, as this once did, took 100 ms for 2,000 distributors and more when the planner had stale
statistics).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from partners import periods
from partners.models import Distributor, Membership, Vendor
from scorecards.models import ExchangeRate, Kpi, KpiActual, KpiSource
from scorecards.selectors.policy import policy_get


@dataclass(frozen=True)
class DistributorRevenue:
    """One distributor's revenue over a period: in its own currency, and converted (None when
    some month's currency has no rate)."""

    distributor_id: int
    currency: str
    amount: Decimal
    converted: Decimal | None


@dataclass
class Consolidated:
    """Revenue of many distributors in the reporting currency, with what could not be
    converted kept apart per currency."""

    currency: str
    total: Decimal = Decimal(0)
    by_distributor: dict[int, DistributorRevenue] = field(default_factory=dict)
    unconverted: dict[str, Decimal] = field(default_factory=dict)


_SQL = """
WITH rates AS MATERIALIZED (
    -- Each currency's rate for each month of the period, looked up once (not once per row):
    -- the month's own rate or the latest earlier one.
    SELECT c.currency, m.month,
           (SELECT e.rate FROM {rate} e
             WHERE e.vendor_id = %(vendor)s AND e.currency = c.currency
               AND e.period_start <= m.month
             ORDER BY e.period_start DESC
             LIMIT 1) AS rate
      FROM (SELECT DISTINCT currency FROM {rate} WHERE vendor_id = %(vendor)s) c
     CROSS JOIN unnest(%(months)s::date[]) AS m (month)
), revenue AS (
    SELECT a.distributor_id, a.period_start, a.value,
           coalesce(nullif(a.currency, ''), d.currency) AS currency
      FROM {actual} a
      JOIN {distributor} d ON d.id = a.distributor_id
     WHERE a.vendor_id = %(vendor)s AND a.period_kind = 'month'
       AND a.period_start >= %(start)s AND a.period_start < %(end)s
       -- The KPI ids first (an init plan run once), not a join the planner may loop over.
       AND a.kpi_id = ANY(ARRAY(SELECT k.id FROM {kpi} k
                                 WHERE k.vendor_id = %(vendor)s AND k.source = %(source)s))
       AND a.value IS NOT NULL {only}
)
SELECT v.distributor_id, v.currency, sum(v.value) AS amount,
       sum(v.value * CASE WHEN v.currency = %(reporting)s THEN 1 ELSE r.rate END) AS converted,
       bool_or(v.currency <> %(reporting)s AND r.rate IS NULL) AS missing_rate
  FROM revenue v
  LEFT JOIN rates r ON r.currency = v.currency AND r.month = v.period_start
 GROUP BY v.distributor_id, v.currency
"""


def reporting_currency(*, vendor: Vendor) -> str:
    """The vendor's reporting currency (USD when it has no scorecard policy yet)."""
    return policy_get(vendor=vendor).reporting_currency


def revenue_consolidated(
    *,
    vendor: Vendor,
    actor: Membership,
    period_kind: str,
    period_start: dt.date,
    currency: str,
    distributor_ids=None,
) -> Consolidated:
    """Revenue (the KPIs computed from sales lines) of every distributor within reach for the
    period, each in its own currency and converted into ``currency`` month by month (see the
    module docstring). One query."""
    months = [
        periods.add_months(period_start, i) for i in range(periods.period_months(period_kind))
    ]
    params: dict[str, Any] = {
        "vendor": vendor.id,
        "months": months,
        "reporting": currency,
        "start": period_start,
        "end": periods.add_months(period_start, len(months)),
        "source": KpiSource.REVENUE,
    }
    only = ""
    if actor.is_distributor_role:
        params["mine"] = [actor.distributor_id]
        only += " AND a.distributor_id = ANY(%(mine)s)"
    if distributor_ids is not None:
        params["ids"] = [int(i) for i in distributor_ids]
        only += " AND a.distributor_id = ANY(%(ids)s)"
    sql = _SQL.format(
        actual=KpiActual._meta.db_table,
        kpi=Kpi._meta.db_table,
        distributor=Distributor._meta.db_table,
        rate=ExchangeRate._meta.db_table,
        only=only,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result = Consolidated(currency=currency)
    for distributor_id, cur, amount, converted, missing in rows:
        converted = None if missing else converted
        result.by_distributor[distributor_id] = DistributorRevenue(
            distributor_id=distributor_id, currency=cur, amount=amount, converted=converted
        )
        if converted is None:
            result.unconverted[cur] = result.unconverted.get(cur, Decimal(0)) + amount
        else:
            result.total += converted
    return result

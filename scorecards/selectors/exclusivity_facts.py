"""The one fact base of conditional exclusivity: for every exclusive scope line, what the rules
need to know about one fiscal quarter as of a day.

``exclusivity_line_facts`` is read by the quarterly verdict (``scorecards.services.exclusivity``,
as of the quarter's last day) and by the standing during the quarter
(``scorecards.selectors.exclusivity.exclusivity_standing``, as of today), so that on the
quarter's last day the standing shows exactly what the verdict will judge. What the facts mean
is in ``scorecards.models.exclusivity``; in short, as of ``as_of`` (the quarter's last day at
the latest):

* the lines: exclusive scope lines of active contracts running on that day;
* revenue: the line's own sales (its product line; see the models' docstring) invoiced from the
  quarter's first day to that day. It is not the scorecard's revenue, which counts all of the
  distributor's sales;
* the revenue threshold: the line's "minimum revenue per quarter" clause when it has one,
  otherwise the distributor's base target for the quarter on the vendor's revenue KPI
  (``scorecards.metrics.REVENUE_KPI_SQL``; without a quarter target, the sum of its months');
* reporting: the scorecard metrics of the quarter (``scorecards.metrics``: ``weekly_on_time``
  and ``monthly_review``) measured at the end of that day (midnight UTC after it), with their
  counts;
* the QBR: the latest held in the quarter up to that day;
* the history: the outcome that counts (after overrides) of the line's earlier quarters.

One SQL statement whatever the number of lines or distributors.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from partners import periods
from partners.models import Vendor
from scorecards.metrics import REVENUE_KPI_SQL, MetricPeriod, metrics_ctes
from scorecards.models import ExclusivityRules, KpiSource

_FACTS_SQL = """
WITH lines AS (
    SELECT sl.id AS scope_line_id, sl.contract_id, sl.distributor_id, sl.product_line_id,
           sl.starts_on, sl.exclusive_from, sl.added_by_id, c.launch_ends_on, c.notice_days,
           pl.code AS pl_code, d.currency, c.reference, pl.name AS pl_name
      FROM partners_scopeline sl
      JOIN partners_contract c ON c.id = sl.contract_id AND c.vendor_id = sl.vendor_id
      JOIN partners_productline pl ON pl.id = sl.product_line_id AND pl.vendor_id = sl.vendor_id
      JOIN partners_distributor d ON d.id = sl.distributor_id AND d.vendor_id = sl.vendor_id
     WHERE sl.vendor_id = %(vendor)s AND c.status = 'active'
       AND sl.exclusive_from IS NOT NULL
       AND sl.starts_on <= %(day)s AND sl.ends_on >= %(day)s
       AND (%(distributors)s::bigint[] IS NULL OR sl.distributor_id = ANY(%(distributors)s))
),
dists AS (SELECT DISTINCT distributor_id FROM lines),{metrics},
x_revenue AS (
    SELECT l.scope_line_id, sum(s.amount) AS revenue
      FROM lines l
      JOIN reporting_salesline s
        ON s.vendor_id = %(vendor)s AND s.distributor_id = l.distributor_id
       AND s.invoice_date >= %(q_start)s AND s.invoice_date <= %(day)s
     WHERE s.product_line_id = l.product_line_id
        OR (s.product_line_id IS NULL
            AND (l.pl_code = '' OR starts_with(s.product_code, l.pl_code)))
     GROUP BY l.scope_line_id
),
x_clause AS (
    SELECT pc.scope_line_id, min(pc.amount) AS amount
      FROM partners_performanceclause pc
     WHERE pc.vendor_id = %(vendor)s AND pc.kind = 'min_revenue_quarter'
       AND pc.scope_line_id IN (SELECT scope_line_id FROM lines)
     GROUP BY pc.scope_line_id
),
x_revenue_kpi AS ({revenue_kpi}),
x_target AS (
    SELECT t.distributor_id,
           COALESCE(max(t.base) FILTER (WHERE t.period_kind = 'quarter'),
                    sum(t.base) FILTER (WHERE t.period_kind = 'month')) AS base
      FROM scorecards_target t JOIN x_revenue_kpi rk ON rk.id = t.kpi_id
     WHERE t.vendor_id = %(vendor)s AND t.distributor_id IN (SELECT distributor_id FROM dists)
       AND ((t.period_kind = 'quarter' AND t.period_start = %(q_start)s)
            OR (t.period_kind = 'month' AND t.period_start >= %(q_start)s
                AND t.period_start < %(q_next)s))
     GROUP BY t.distributor_id
),
x_qbr AS (
    SELECT q.distributor_id, max(q.held_on) AS held_on
      FROM scorecards_qbrmeeting q
     WHERE q.vendor_id = %(vendor)s AND q.held_on >= %(q_start)s AND q.held_on <= %(day)s
       AND q.distributor_id IN (SELECT distributor_id FROM dists)
     GROUP BY q.distributor_id
),
x_reporting AS MATERIALIZED (
    SELECT dd.distributor_id, wk.value AS weekly_on_time, mr.value AS monthly_review,
           {counts}
      FROM dists dd
      LEFT JOIN metrics wk ON wk.distributor_id = dd.distributor_id
                          AND wk.source = 'weekly_on_time'
      LEFT JOIN metrics mr ON mr.distributor_id = dd.distributor_id
                          AND mr.source = 'monthly_review'{counts_joins}
),
x_history AS (
    SELECT v.scope_line_id,
           jsonb_object_agg(v.quarter_start::text,
                            COALESCE(NULLIF(v.overridden_outcome, ''), v.outcome)) AS outcomes
      FROM scorecards_exclusivityverdict v
     WHERE v.vendor_id = %(vendor)s
       AND v.quarter_start >= %(history_from)s AND v.quarter_start < %(q_start)s
       AND v.scope_line_id IN (SELECT scope_line_id FROM lines)
     GROUP BY v.scope_line_id
)
SELECT l.scope_line_id, l.contract_id, l.distributor_id, l.starts_on, l.exclusive_from,
       l.added_by_id, l.launch_ends_on, l.notice_days, l.currency,
       COALESCE(r.revenue, 0), cl.amount, t.base, rp.weekly_on_time, rp.monthly_review,
       qb.held_on, l.reference, l.pl_name, (SELECT name FROM x_revenue_kpi),
       COALESCE(rp.weekly_due, 0), COALESCE(rp.weekly_on_time_count, 0),
       COALESCE(rp.monthly_due, 0), COALESCE(rp.monthly_handed_in, 0), h.outcomes
  FROM lines l
  LEFT JOIN x_revenue r ON r.scope_line_id = l.scope_line_id
  LEFT JOIN x_clause cl ON cl.scope_line_id = l.scope_line_id
  LEFT JOIN x_target t ON t.distributor_id = l.distributor_id
  LEFT JOIN x_reporting rp ON rp.distributor_id = l.distributor_id
  LEFT JOIN x_qbr qb ON qb.distributor_id = l.distributor_id
  LEFT JOIN x_history h ON h.scope_line_id = l.scope_line_id
 ORDER BY l.scope_line_id
"""


# The counts behind the two reporting shares, for the standing's "N more on-time updates".
# Read for a few distributors only: the vendor-wide verdict needs the shares alone, and a
# second reference to the metric families would have them computed in full a second time.
_COUNTS = """m_weekly.due AS weekly_due, m_weekly.on_time AS weekly_on_time_count,
           m_reviews.due AS monthly_due, m_reviews.handed_in AS monthly_handed_in"""
_NO_COUNTS = """NULL::bigint AS weekly_due, NULL::bigint AS weekly_on_time_count,
           NULL::bigint AS monthly_due, NULL::bigint AS monthly_handed_in"""
_COUNTS_JOINS = """
      LEFT JOIN m_weekly ON m_weekly.distributor_id = dd.distributor_id
      LEFT JOIN m_reviews ON m_reviews.distributor_id = dd.distributor_id"""


@dataclass(frozen=True)
class LineFacts:
    """What the rules need to know about one exclusive scope line for one quarter, as of a day
    (see the module docstring for each figure's definition). The counts behind the reporting
    shares (``weekly_due`` ... ``monthly_handed_in``) are read when facts are asked for given
    distributors, and are 0 in a vendor-wide read."""

    scope_line_id: int
    contract_id: int
    distributor_id: int
    starts_on: dt.date
    exclusive_from: dt.date
    added_by_id: int | None
    launch_ends_on: dt.date
    notice_days: int
    currency: str
    revenue: Decimal
    clause_amount: Decimal | None
    target_base: Decimal | None
    weekly_on_time: Decimal | None
    monthly_review: Decimal | None
    qbr_held_on: dt.date | None
    contract_reference: str = ""
    product_line: str = ""
    revenue_kpi_name: str | None = None
    weekly_due: int = 0
    weekly_on_time_count: int = 0
    monthly_due: int = 0
    monthly_handed_in: int = 0
    history: dict[str, str] = field(default_factory=dict)

    @property
    def threshold(self) -> Decimal | None:
        """The revenue threshold: the clause's minimum revenue, else the base target."""
        return self.clause_amount if self.clause_amount is not None else self.target_base

    @property
    def threshold_source(self) -> str | None:
        """``clause``, ``target`` or None (no threshold)."""
        if self.clause_amount is not None:
            return "clause"
        return "target" if self.target_base is not None else None


def exclusivity_rules_get(*, vendor: Vendor) -> ExclusivityRules:
    """The vendor's exclusivity rules (the seed's defaults, unsaved, when it has none)."""
    return ExclusivityRules.objects.filter(vendor=vendor).first() or ExclusivityRules(vendor=vendor)


def last_closed_quarter(
    *, vendor: Vendor, today: dt.date, fiscal_start_month: int | None = None
) -> dt.date:
    """The first day of the vendor's fiscal quarter that closed last before ``today`` (the one
    the daily job and the close-quarter command judge)."""
    if fiscal_start_month is None:
        fiscal_start_month = vendor.fiscal_year_start_month
    current = periods.quarter_start(today, fiscal_start_month)
    return periods.period_shift(periods.QUARTER, current, -1)


def history_lookback(rules: ExclusivityRules) -> int:
    """How many earlier quarters the warnings and streaks read."""
    return max(rules.warning_quarters, rules.scale_after_quarters - 1, 1)


def exclusivity_line_facts(
    *,
    vendor: Vendor,
    quarter_start: dt.date,
    as_of: dt.date,
    distributor_ids: list[int] | None = None,
    rules: ExclusivityRules | None = None,
    fiscal_start_month: int | None = None,
) -> list[LineFacts]:
    """The facts of every exclusive scope line of ``vendor`` (or of ``distributor_ids``) for
    the fiscal quarter starting ``quarter_start``, as of the end of ``as_of`` (capped at the
    quarter's last day), ordered by scope line. ``rules`` (for the history's length) and
    ``fiscal_start_month`` may be passed by a caller that has read them. One query; call it
    inside the vendor's scope. The caller has checked that the person may see these
    distributors."""
    if rules is None:
        rules = exclusivity_rules_get(vendor=vendor)
    if fiscal_start_month is None:
        fiscal_start_month = vendor.fiscal_year_start_month
    period = MetricPeriod(periods.QUARTER, quarter_start, fiscal_start_month)
    day = min(as_of, period.end)
    moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    params = {
        **period.params(vendor_id=vendor.id, as_of=moment),
        "q_start": quarter_start,
        "q_next": period.next_start,
        "day": day,
        "distributors": None if distributor_ids is None else [int(d) for d in distributor_ids],
        "history_from": periods.period_shift(
            periods.QUARTER, quarter_start, -history_lookback(rules)
        ),
    }
    few = distributor_ids is not None
    sql = _FACTS_SQL.format(
        metrics=metrics_ctes([KpiSource.WEEKLY_ON_TIME, KpiSource.MONTHLY_REVIEW], only_dists=few),
        revenue_kpi=REVENUE_KPI_SQL,
        counts=_COUNTS if few else _NO_COUNTS,
        counts_joins=_COUNTS_JOINS if few else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Django hands jsonb to raw cursors as text.
    return [
        LineFacts(*row[:22], history=json.loads(row[22]) if row[22] else {})  # type: ignore[misc]  # 22 columns
        for row in rows
    ]


def line_in_launch(facts: LineFacts, *, rules: ExclusivityRules, q_start: dt.date) -> bool:
    """Still in launch during the quarter (see the models' docstring)."""
    if facts.launch_ends_on >= q_start or facts.exclusive_from > q_start:
        return True
    return bool(
        facts.added_by_id and facts.starts_on + dt.timedelta(days=rules.launch_days) > q_start
    )

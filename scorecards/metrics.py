"""The measured value of every computed KPI source, for all distributors of a vendor at once.

``metrics_ctes`` returns SQL common table expressions ending in ``metrics(distributor_id, source,
kpi_id, value)``: one row per distributor of a ``dists(distributor_id)`` CTE the caller defines
first and per requested source (``kpi_id`` is empty), plus one row per ``entered`` KPI that has a
value (``source`` = 'entered' and its ``kpi_id``). Each family of sources is one aggregate over
its table, grouped by distributor, never a loop per distributor. ``scorecards.services.compute``
embeds the CTEs in its upsert; ``metrics_compute`` runs them alone (tests, diagnostics).

Definitions (the period runs from ``start`` to ``end``, both included):

* revenue, units: sums of the sales lines invoiced in the period (amounts are in the
  distributor's currency; the import refuses other currencies). No line: 0.
* revenue_growth: revenue against the same period a year earlier, in percent; empty when last
  year's revenue is nothing, zero or negative (no meaningful base).
* new_accounts: outlets whose first invoice (``first_billed_on``) falls in the period.
* lead_to_quote, quote_to_order, lead_to_order: quotes / leads, orders / quotes, orders / leads
  in percent, over the sums of the monthly summaries of the period's months; empty without a
  denominator.
* pipeline_value: the 60-90 day forecast revenue of the period's latest monthly summary that has
  one. pipeline_coverage: that value / the next period's base revenue target (a ratio; the
  target of the vendor's first revenue KPI, a month without its own using its quarter's / 3).
* new_leads, meetings: sums over the weekly updates whose week starts in the period.
* weekly_on_time: percent of the period's weekly updates due as of ``as_of`` that were on time;
  monthly_review: percent of the monthly summaries of the period due as of ``as_of`` that were
  handed in. What is due, on time and handed in, and which reports belong to a period (weekly:
  the week starts in it; monthly: it falls due in it, in the distributor's time zone), is the
  rule of ``reporting.measures``, which reporting discipline uses too. Empty when none was
  due.
* entered: the value people entered for the period; a quarter without one takes its months'
  entries aggregated as the KPI says (sum, average, last; a rate averages).

Only handed-in reports (submitted, resubmitted, returned, acknowledged) count as data; drafts
and reports not started do not. A report returned for correction counts with the figures of its
last submitted version (the corrections in progress count once it is handed in again). Values are rounded to 4 decimals, as stored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from partners import periods
from reporting import measures
from reporting.models.reports import HANDED_IN_STATUSES
from scorecards.models import SCORED_STATUSES, KpiSource

# The template of each distributor of a vendor: its own assignment, else the template listing its
# country (the first by name, as the templates page shows), else the vendor's default. Used as a
# CTE by the computation and on its own by ``distributor_template_ids``. Parameter:
# ``%(vendor)s``; yields (distributor_id, template_id, currency, status); distributors without
# any template are left out.
DISTRIBUTOR_TEMPLATES_SQL = """
SELECT d.id AS distributor_id,
       COALESCE(a.template_id, ct.id, dt.id) AS template_id,
       d.currency, d.status
  FROM partners_distributor d
  LEFT JOIN scorecards_scorecardassignment a
         ON a.vendor_id = d.vendor_id AND a.distributor_id = d.id
  LEFT JOIN LATERAL (
        SELECT t.id FROM scorecards_scorecardtemplate t
         WHERE t.vendor_id = d.vendor_id AND d.country = ANY(t.countries)
         ORDER BY t.name, t.id LIMIT 1
       ) ct ON a.template_id IS NULL
  LEFT JOIN scorecards_scorecardtemplate dt
         ON dt.vendor_id = d.vendor_id AND dt.is_default
 WHERE d.vendor_id = %(vendor)s
   AND COALESCE(a.template_id, ct.id, dt.id) IS NOT NULL
"""


# ``dists``: the scored distributors with their template (parameters vendor and scored).
SCORED_DISTRIBUTORS_SQL = (
    "SELECT * FROM (" + DISTRIBUTOR_TEMPLATES_SQL + ") t WHERE t.status = ANY(%(scored)s)"  # noqa: S608
)
_METRICS_SQL = """
WITH dists AS ({dists}),{metrics}
SELECT distributor_id, source, kpi_id, value FROM metrics
"""

_HANDED_IN = "(" + ", ".join(f"'{s}'" for s in HANDED_IN_STATUSES) + ")"
_NOW = "%(m_now)s"  # as of when reports count as due (``reporting.measures``)

# A returned report is being corrected in place: its content may be the distributor's draft.
# Until it is handed in again it counts with its last submitted version (``sent.data``). The
# subquery runs only for returned reports (a one-time filter on the outer row).
_LAST_SENT = """LEFT JOIN LATERAL (
          SELECT v.data FROM reporting_reportversion v
           WHERE r.status = 'returned' AND v.vendor_id = r.vendor_id AND v.report_id = r.id
           ORDER BY v.number DESC LIMIT 1) sent ON true"""


def _sent(alias: str, field: str) -> str:
    """SQL: a content field as last handed in (the version's for a returned report)."""
    return (
        f"CASE WHEN sent.data IS NOT NULL THEN (sent.data ->> '{field}')::numeric"
        f" ELSE {alias}.{field} END"
    )


# The vendor's revenue KPI, defined once: its first KPI with the revenue source, active ones
# first (columns id, name, aggregation). The scorecard's next-period target (pipeline coverage)
# and the exclusivity threshold (``scorecards.selectors.exclusivity_facts``) both read it.
REVENUE_KPI_SQL = """
    SELECT k.id, k.name, k.aggregation FROM scorecards_kpi k
     WHERE k.vendor_id = %(vendor)s AND k.source = 'revenue'
     ORDER BY NOT k.is_active, k.position, k.id
     LIMIT 1
"""

# Family CTEs (each referenced only when one of its sources is asked for).
_CTES = {
    "m_sales": """
m_sales AS (
    SELECT s.distributor_id, sum(s.amount) AS revenue, sum(s.quantity) AS units
      FROM reporting_salesline s
     WHERE s.vendor_id = %(vendor)s
       AND s.invoice_date >= %(m_start)s AND s.invoice_date < %(m_next)s
     GROUP BY s.distributor_id
)""",
    "m_sales_ly": """
m_sales_ly AS (
    SELECT s.distributor_id, sum(s.amount) AS revenue
      FROM reporting_salesline s
     WHERE s.vendor_id = %(vendor)s
       AND s.invoice_date >= %(m_ly_start)s AND s.invoice_date < %(m_ly_next)s
     GROUP BY s.distributor_id
)""",
    "m_outlets": """
m_outlets AS (
    SELECT o.distributor_id, count(*) AS new_accounts
      FROM reporting_outlet o
     WHERE o.vendor_id = %(vendor)s
       AND o.first_billed_on >= %(m_start)s AND o.first_billed_on < %(m_next)s
     GROUP BY o.distributor_id
)""",
    "m_monthly": f"""
m_monthly AS (
    SELECT r.distributor_id,
           sum({_sent("ms", "leads")}) AS leads, sum({_sent("ms", "quotes")}) AS quotes,
           sum({_sent("ms", "orders")}) AS orders,
           (array_agg({_sent("ms", "forecast_revenue")} ORDER BY r.period_start DESC)
                FILTER (WHERE {_sent("ms", "forecast_revenue")} IS NOT NULL))[1] AS pipeline
      FROM reporting_report r
      JOIN reporting_monthlysummary ms ON ms.report_id = r.id AND ms.vendor_id = r.vendor_id
      {_LAST_SENT}
     WHERE r.vendor_id = %(vendor)s AND r.kind = 'monthly'
       AND r.period_start >= %(m_start)s AND r.period_start < %(m_next)s
       AND r.status IN {_HANDED_IN}
     GROUP BY r.distributor_id
)""",  # noqa: S608 (constants only)
    "m_weekly": f"""
m_weekly AS (
    SELECT r.distributor_id,
           sum({_sent("wu", "new_leads")}) FILTER (WHERE r.status IN {_HANDED_IN})
               AS new_leads,
           sum({_sent("wu", "meetings_held")}) FILTER (WHERE r.status IN {_HANDED_IN})
               AS meetings,
           count(*) FILTER (WHERE {measures.due("r", _NOW)}) AS due,
           count(*) FILTER (WHERE {measures.on_time("r", _NOW)}) AS on_time
      FROM reporting_report r
      LEFT JOIN reporting_weeklyupdate wu ON wu.report_id = r.id AND wu.vendor_id = r.vendor_id
      {_LAST_SENT}
     WHERE r.vendor_id = %(vendor)s AND {measures.weekly_in("r", "%(m_start)s", "%(m_next)s")}
     GROUP BY r.distributor_id
)""",  # noqa: S608 (constants only)
    "m_reviews": f"""
m_reviews AS (
    SELECT r.distributor_id,
           count(*) FILTER (WHERE {measures.due("r", _NOW)}) AS due,
           count(*) FILTER (WHERE {measures.handed_in("r", _NOW)}) AS handed_in
      FROM reporting_report r
      JOIN partners_distributor d ON d.id = r.distributor_id AND d.vendor_id = r.vendor_id
     WHERE r.vendor_id = %(vendor)s
       AND {measures.monthly_in("r", "d.time_zone", "%(m_start)s", "%(m_next)s")}
     GROUP BY r.distributor_id
)""",  # noqa: S608 (constants only)
    "m_next_target": f"""
m_revenue_kpi AS ({REVENUE_KPI_SQL}),
m_next_target AS (
    SELECT t.distributor_id, t.base
      FROM scorecards_target t JOIN m_revenue_kpi rk ON rk.id = t.kpi_id
     WHERE t.vendor_id = %(vendor)s AND t.period_kind = %(m_kind)s
       AND t.period_start = %(m_next_start)s
    UNION ALL
    SELECT q.distributor_id,
           CASE WHEN rk.aggregation = 'sum' THEN round(q.base / 3, 4) ELSE q.base END
      FROM scorecards_target q JOIN m_revenue_kpi rk ON rk.id = q.kpi_id
     WHERE %(m_kind)s = 'month' AND q.vendor_id = %(vendor)s AND q.period_kind = 'quarter'
       AND q.period_start = %(m_next_quarter)s
       AND NOT EXISTS (
            SELECT 1 FROM scorecards_target t
             WHERE t.vendor_id = q.vendor_id AND t.distributor_id = q.distributor_id
               AND t.kpi_id = q.kpi_id AND t.period_kind = 'month'
               AND t.period_start = %(m_next_start)s)
)""",  # noqa: S608 (constants only)
    "m_entered": """
m_entered AS (
    SELECT e.distributor_id, e.kpi_id, e.value
      FROM scorecards_kpientry e
     WHERE e.vendor_id = %(vendor)s AND e.period_kind = %(m_kind)s
       AND e.period_start = %(m_start)s
    UNION ALL
    SELECT e.distributor_id, e.kpi_id,
           CASE k.aggregation
                WHEN 'sum' THEN sum(e.value)
                WHEN 'last' THEN (array_agg(e.value ORDER BY e.period_start DESC))[1]
                ELSE avg(e.value)
           END
      FROM scorecards_kpientry e
      JOIN scorecards_kpi k ON k.id = e.kpi_id AND k.vendor_id = e.vendor_id
     WHERE %(m_kind)s = 'quarter' AND e.vendor_id = %(vendor)s AND e.period_kind = 'month'
       AND e.period_start >= %(m_start)s AND e.period_start < %(m_next)s
       AND NOT EXISTS (
            SELECT 1 FROM scorecards_kpientry q
             WHERE q.vendor_id = e.vendor_id AND q.distributor_id = e.distributor_id
               AND q.kpi_id = e.kpi_id AND q.period_kind = 'quarter'
               AND q.period_start = %(m_start)s)
     GROUP BY e.distributor_id, e.kpi_id, k.aggregation
)""",
}

# Each computed source: the family CTEs it reads (joined on distributor_id under their alias)
# and its value expression.
_SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    KpiSource.REVENUE: (("m_sales",), "COALESCE(m_sales.revenue, 0)"),
    KpiSource.UNITS: (("m_sales",), "COALESCE(m_sales.units, 0)"),
    KpiSource.REVENUE_GROWTH: (
        ("m_sales", "m_sales_ly"),
        "CASE WHEN m_sales_ly.revenue > 0 THEN (COALESCE(m_sales.revenue, 0)"
        " - m_sales_ly.revenue) / m_sales_ly.revenue * 100 END",
    ),
    KpiSource.NEW_ACCOUNTS: (("m_outlets",), "COALESCE(m_outlets.new_accounts, 0)"),
    KpiSource.LEAD_TO_QUOTE: (
        ("m_monthly",),
        "m_monthly.quotes::numeric / NULLIF(m_monthly.leads, 0) * 100",
    ),
    KpiSource.QUOTE_TO_ORDER: (
        ("m_monthly",),
        "m_monthly.orders::numeric / NULLIF(m_monthly.quotes, 0) * 100",
    ),
    KpiSource.LEAD_TO_ORDER: (
        ("m_monthly",),
        "m_monthly.orders::numeric / NULLIF(m_monthly.leads, 0) * 100",
    ),
    KpiSource.PIPELINE_VALUE: (("m_monthly",), "m_monthly.pipeline"),
    KpiSource.PIPELINE_COVERAGE: (
        ("m_monthly", "m_next_target"),
        "m_monthly.pipeline / NULLIF(m_next_target.base, 0)",
    ),
    KpiSource.NEW_LEADS: (("m_weekly",), "COALESCE(m_weekly.new_leads, 0)"),
    KpiSource.MEETINGS: (("m_weekly",), "COALESCE(m_weekly.meetings, 0)"),
    KpiSource.WEEKLY_ON_TIME: (
        ("m_weekly",),
        "m_weekly.on_time::numeric / NULLIF(m_weekly.due, 0) * 100",
    ),
    KpiSource.MONTHLY_REVIEW: (
        ("m_reviews",),
        "m_reviews.handed_in::numeric / NULLIF(m_reviews.due, 0) * 100",
    ),
}

COMPUTED_SOURCES = tuple(_SOURCES)


@dataclass(frozen=True)
class MetricPeriod:
    """The dates a period's metrics read, from its kind, first day and the fiscal year."""

    kind: str
    start: dt.date
    fiscal_start_month: int = 1

    @property
    def end(self) -> dt.date:
        return periods.period_end(self.kind, self.start)

    @property
    def next_start(self) -> dt.date:
        return periods.period_shift(self.kind, self.start, 1)

    def params(self, *, vendor_id: int, as_of: dt.datetime) -> dict:
        next_start = self.next_start
        ly_start = periods.add_months(self.start, -12)
        return {
            "vendor": int(vendor_id),
            "m_kind": self.kind,
            "m_start": self.start,
            "m_next": next_start,
            "m_ly_start": ly_start,
            "m_ly_next": periods.period_shift(self.kind, ly_start, 1),
            "m_now": as_of,
            "m_next_start": next_start,
            "m_next_quarter": periods.quarter_start(next_start, self.fiscal_start_month),
        }


_VENDOR_WHERE = re.compile(r"WHERE (\w+)\.vendor_id = %\(vendor\)s")


def _only_dists(cte: str) -> str:
    """A family CTE restricted to the distributors of ``dists`` (its first table's rows)."""
    return _VENDOR_WHERE.sub(
        r"WHERE \1.vendor_id = %(vendor)s"
        r" AND \1.distributor_id IN (SELECT distributor_id FROM dists)",
        cte,
        count=1,
    )


def metrics_ctes(sources, *, only_dists: bool = False) -> str:
    """The CTEs (to follow ``WITH dists AS (...),``) computing ``metrics`` for ``sources``
    (KpiSource values; ``entered`` adds the entered values). Only the families the sources
    need are read. With ``only_dists`` each family reads only the rows of the distributors of
    ``dists`` (a caller asking for a few distributors of a large vendor, e.g. one
    distributor's exclusivity standing); without, it aggregates the vendor's and the join to
    ``dists`` keeps the ones asked for (cheaper when that is most of them)."""
    computed = [s for s in COMPUTED_SOURCES if s in set(sources)]
    families: list[str] = []
    for source in computed:
        for family in _SOURCES[source][0]:
            if family not in families:
                families.append(family)
    with_entered = KpiSource.ENTERED in set(sources)
    parts = [_only_dists(_CTES[f]) if only_dists else _CTES[f] for f in families]
    if with_entered:
        parts.append(_CTES["m_entered"])
    selects = []
    if computed:
        joins = "\n".join(
            f"      LEFT JOIN {f} ON {f}.distributor_id = dd.distributor_id" for f in families
        )
        values = ",\n".join(f"           ('{s}', ({_SOURCES[s][1]})::numeric)" for s in computed)
        selects.append(
            f"""    SELECT dd.distributor_id, v.source, NULL::bigint AS kpi_id,
           round(v.value, 4) AS value
      FROM dists dd
{joins}
     CROSS JOIN LATERAL (VALUES
{values}
     ) AS v(source, value)"""  # noqa: S608 (our own expressions, no input)
        )
    if with_entered:
        selects.append(
            """    SELECT e.distributor_id, 'entered', e.kpi_id, round(e.value, 4)
      FROM m_entered e JOIN dists dd ON dd.distributor_id = e.distributor_id"""
        )
    if not selects:
        selects.append(
            "    SELECT NULL::bigint, NULL::text, NULL::bigint, NULL::numeric WHERE false"
        )
    body = "\n    UNION ALL\n".join(selects)
    parts.append(f"\nmetrics (distributor_id, source, kpi_id, value) AS (\n{body}\n)")
    return ",".join(parts)


def metrics_compute(
    *,
    vendor_id: int,
    period_kind: str,
    period_start: dt.date,
    fiscal_start_month: int = 1,
    sources=None,
    as_of: dt.datetime | None = None,
) -> dict[tuple[int, str | int], Decimal | None]:
    """The metrics of every scored distributor of the vendor (active, onboarding, suspended,
    with a template) for one period: ``{(distributor id, source): value}``, with entered values
    keyed ``(distributor id, kpi id)``. One SQL statement; call it inside the vendor's scope."""
    sources = list(sources) if sources is not None else [*COMPUTED_SOURCES, KpiSource.ENTERED]
    period = MetricPeriod(period_kind, period_start, fiscal_start_month)
    params = period.params(vendor_id=vendor_id, as_of=as_of or timezone.now())
    params["scored"] = list(SCORED_STATUSES)
    sql = _METRICS_SQL.format(dists=SCORED_DISTRIBUTORS_SQL, metrics=metrics_ctes(sources))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        (d, kpi_id if source == KpiSource.ENTERED else source): v for d, source, kpi_id, v in rows
    }

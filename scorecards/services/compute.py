"""Computing scorecards: every scored distributor of a vendor for one period, set-based.

One SQL statement does the work (``_COMPUTE_SQL``): it resolves each distributor's template,
measures every source its KPIs need (``scorecards.metrics``), picks the period's targets, applies
the scoring rules of ``scorecards.rules`` in SQL, upserts ``KpiActual`` rows, deletes the rows of
KPIs no longer on a distributor's template, and upserts one ``Scorecard`` per distributor. A row
is rewritten (and its ``computed_at`` moved) only when one of its values changed, so computing
twice leaves the rows as they were. A small query reads the vendor's settings and the sources
in use first (``scoring_settings``). The number of queries does not depend on the number of
distributors.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from partners import periods
from partners.platform.scope import tenant_scope
from scorecards.metrics import SCORED_DISTRIBUTORS_SQL, MetricPeriod, metrics_ctes
from scorecards.models import SCORED_STATUSES
from scorecards.rules import SCORE_AMBER_FROM, SCORE_GREEN_FROM
from scorecards.selectors.policy import scoring_settings


def _reaches(value: str, target: str) -> str:
    """SQL: ``value`` reaches ``target`` in the KPI's direction (rules._reaches)."""
    return f"(CASE WHEN lower_better THEN {value} <= {target} ELSE {value} >= {target} END)"


def _split(column: str) -> str:
    """SQL: a quarter target's level as a month's (a sum by three, the others as they are)."""
    return f"CASE WHEN l.aggregation = 'sum' THEN round(q.{column} / 3, 4) ELSE q.{column} END"


def _target(column: str) -> str:
    return f"CASE WHEN t.id IS NOT NULL THEN t.{column} WHEN q.id IS NOT NULL THEN {_split(column)} END"


def _score(condition: str = "") -> str:
    """SQL: the weighted score 0-100 (rules.score) of the rated KPIs matching ``condition``."""
    where = f" FILTER (WHERE {condition})" if condition else ""
    return f"round(sum(p.points * p.weight){where} / NULLIF(2 * sum(p.weight){where}, 0) * 100, 1)"


def _score_rag(score: str) -> str:
    """SQL: red/amber/green of a score (rules.score_rag)."""
    return (
        f"CASE WHEN {score} IS NULL THEN 'none' WHEN {score} >= {SCORE_GREEN_FROM} THEN 'green'"
        f" WHEN {score} >= {SCORE_AMBER_FROM} THEN 'amber' ELSE 'red' END"
    )


_ACTUAL_COLUMNS = (
    "family", "value", "base", "stretch", "exceed", "ramp_percent", "weight", "attainment",
    "level", "rag", "currency",
)  # fmt: skip
_CARD_COLUMNS = (
    "template_id", "score", "rag", "commercial_rag", "execution_rag", "operational_rag",
    "red_count",
)  # fmt: skip


def _upsert_set(table: str, columns: tuple[str, ...]) -> str:
    """``DO UPDATE SET`` ... only when something changed (``computed_at`` moves with it)."""
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
    old = ", ".join(f"{table}.{c}" for c in columns)
    new = ", ".join(f"EXCLUDED.{c}" for c in columns)
    return (
        f"DO UPDATE SET {sets}, computed_at = EXCLUDED.computed_at\n"
        f"     WHERE ({old}) IS DISTINCT FROM ({new})"
    )


_COMPUTE_SQL = f"""
WITH dists AS MATERIALIZED ({SCORED_DISTRIBUTORS_SQL}),{{metrics}},
lines AS (
    SELECT dd.distributor_id, dd.currency AS distributor_currency, k.id AS kpi_id, k.family,
           k.unit, k.aggregation, k.direction = 'lower' AS lower_better, tk.weight, m.value
      FROM dists dd
      JOIN scorecards_templatekpi tk
        ON tk.vendor_id = %(vendor)s AND tk.template_id = dd.template_id
      JOIN scorecards_kpi k ON k.vendor_id = %(vendor)s AND k.id = tk.kpi_id AND k.is_active
      LEFT JOIN metrics m
        ON m.distributor_id = dd.distributor_id AND m.source = k.source
       AND (k.source <> 'entered' OR m.kpi_id = k.id)
),
targeted AS (
    SELECT l.*, {_target("base")} AS base, {_target("stretch")} AS stretch,
           {_target("exceed")} AS exceed,
           COALESCE(t.ramp_percent, q.ramp_percent, 100) AS ramp_percent
      FROM lines l
      LEFT JOIN scorecards_target t
        ON t.vendor_id = %(vendor)s AND t.distributor_id = l.distributor_id
       AND t.kpi_id = l.kpi_id AND t.period_kind = %(m_kind)s AND t.period_start = %(m_start)s
      LEFT JOIN scorecards_target q
        ON %(m_kind)s = 'month' AND q.vendor_id = %(vendor)s
       AND q.distributor_id = l.distributor_id AND q.kpi_id = l.kpi_id
       AND q.period_kind = 'quarter' AND q.period_start = %(quarter)s
),
measured AS (
    SELECT tg.*,
           CASE WHEN value IS NULL OR base IS NULL THEN NULL
                WHEN base = 0 THEN CASE WHEN {_reaches("value", "0")} THEN 100 ELSE 0 END
                WHEN lower_better AND value <= 0 THEN 1000
                ELSE greatest(-9999999.99, round(least(
                     CASE WHEN lower_better THEN base / value ELSE value / base END * 100,
                     1000), 2))
           END AS attainment,
           CASE WHEN value IS NULL OR base IS NULL THEN 'none'
                WHEN exceed IS NOT NULL AND {_reaches("value", "exceed")} THEN 'exceed'
                WHEN stretch IS NOT NULL AND {_reaches("value", "stretch")} THEN 'stretch'
                WHEN {_reaches("value", "base")} THEN 'base'
                ELSE 'below'
           END AS level
      FROM targeted tg
),
rated AS MATERIALIZED (
    SELECT ms.*,
           CASE WHEN level = 'none' THEN 'none'
                WHEN level IN ('base', 'stretch', 'exceed') THEN 'green'
                WHEN attainment >= %(amber_from)s THEN 'amber'
                ELSE 'red'
           END AS rag
      FROM measured ms
),
stale AS (
    DELETE FROM scorecards_kpiactual a
     WHERE a.vendor_id = %(vendor)s AND a.period_kind = %(m_kind)s
       AND a.period_start = %(m_start)s
       AND a.distributor_id IN (SELECT distributor_id FROM dists)
       -- NOT IN over a hashed list of the pairs on the templates. Not read from ``rated``:
       -- the planner cannot estimate that CTE (millions of rows for thousands), would not hash
       -- it and would scan it again for every actual. An anti join planned from stale
       -- statistics on the actuals (fresh rows) could do the same.
       AND (a.distributor_id, a.kpi_id) NOT IN (
           SELECT dd.distributor_id, tk.kpi_id
             FROM dists dd
             JOIN scorecards_templatekpi tk
               ON tk.vendor_id = %(vendor)s AND tk.template_id = dd.template_id
             JOIN scorecards_kpi k
               ON k.vendor_id = %(vendor)s AND k.id = tk.kpi_id AND k.is_active)
    RETURNING 1
),
actuals AS (
    INSERT INTO scorecards_kpiactual AS ka
        (vendor_id, distributor_id, kpi_id, period_kind, period_start, {", ".join(_ACTUAL_COLUMNS)},
         computed_at)
    SELECT %(vendor)s, distributor_id, kpi_id, %(m_kind)s, %(m_start)s, family, value, base,
           stretch, exceed, ramp_percent, weight, attainment, level, rag,
           CASE WHEN unit = 'money' THEN distributor_currency ELSE '' END, %(now)s
      FROM rated r
     -- Only new and changed rows go to the upsert (a recompute mostly changes little).
     WHERE NOT EXISTS (
           SELECT 1 FROM scorecards_kpiactual old
            WHERE old.vendor_id = %(vendor)s AND old.period_kind = %(m_kind)s
              AND old.period_start = %(m_start)s AND old.distributor_id = r.distributor_id
              AND old.kpi_id = r.kpi_id
              AND (old.family, old.value, old.base, old.stretch, old.exceed, old.ramp_percent,
                   old.weight, old.attainment, old.level, old.rag, old.currency)
                  IS NOT DISTINCT FROM
                  (r.family, r.value, r.base, r.stretch, r.exceed, r.ramp_percent, r.weight,
                   r.attainment, r.level, r.rag,
                   CASE WHEN r.unit = 'money' THEN r.distributor_currency ELSE '' END))
    ON CONFLICT (vendor_id, distributor_id, kpi_id, period_kind, period_start)
    {_upsert_set("ka", _ACTUAL_COLUMNS)}
    RETURNING 1
),
points AS (
    SELECT distributor_id, family, weight, rag,
           CASE rag WHEN 'green' THEN 2 WHEN 'amber' THEN 1 ELSE 0 END AS points
      FROM rated
     WHERE rag <> 'none'
),
cards AS (
    SELECT dd.distributor_id, dd.template_id,
           {_score()} AS score,
           {_score("p.family = 'commercial'")} AS commercial,
           {_score("p.family = 'execution'")} AS execution,
           {_score("p.family = 'operational'")} AS operational,
           count(p.rag) FILTER (WHERE p.rag = 'red') AS red_count
      FROM dists dd
      LEFT JOIN points p ON p.distributor_id = dd.distributor_id
     GROUP BY dd.distributor_id, dd.template_id
),
written AS (
    INSERT INTO scorecards_scorecard AS sc
        (vendor_id, distributor_id, period_kind, period_start, {", ".join(_CARD_COLUMNS)},
         computed_at)
    SELECT %(vendor)s, distributor_id, %(m_kind)s, %(m_start)s, template_id, score,
           {_score_rag("score")}, {_score_rag("commercial")}, {_score_rag("execution")},
           {_score_rag("operational")}, red_count, %(now)s
      FROM cards
    ON CONFLICT (vendor_id, distributor_id, period_kind, period_start)
    {_upsert_set("sc", _CARD_COLUMNS)}
    RETURNING 1
)
SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM written),
       (SELECT count(*) FROM actuals), (SELECT count(*) FROM stale)
"""  # noqa: S608 (built from constants; values are parameters)


def scorecards_compute(
    *,
    vendor_id: int,
    period_kind: str,
    period_start: dt.date,
    as_of: dt.datetime | None = None,
) -> int:
    """Compute and store the KPI actuals and scorecards of every scored distributor of the
    vendor (active, onboarding or suspended, with a template) for one period (a month, or a
    fiscal quarter named by its first day), inside the vendor's tenant scope. Returns the number
    of scorecards computed (those whose values did not change are left untouched).

    ``as_of`` is the moment reports must have fallen due by to count (default: now)."""
    if period_kind not in (periods.MONTH, periods.QUARTER):
        raise ValueError(f"unknown period kind {period_kind!r}")
    now = timezone.now()
    with tenant_scope(vendor_id), connection.cursor() as cursor:
        # The planner cannot know that each family CTE has one row per distributor, so its
        # cost estimate for the statement is huge and JIT compilation would cost seconds
        # for a statement that runs in well under one.
        cursor.execute("SET LOCAL jit = off")
        settings = scoring_settings(vendor_id=vendor_id)
        fiscal_month = settings.fiscal_year_start_month
        if periods.period_start(period_kind, period_start, fiscal_month) != period_start:
            raise ValueError(f"{period_start} does not start a {period_kind}")
        period = MetricPeriod(period_kind, period_start, fiscal_month)
        params = period.params(vendor_id=vendor_id, as_of=as_of or now)
        params.update(
            scored=list(SCORED_STATUSES),
            quarter=periods.quarter_start(period_start, fiscal_month),
            amber_from=settings.amber_from_percent,
            now=now,
        )
        cursor.execute(_COMPUTE_SQL.format(metrics=metrics_ctes(settings.sources)), params)
        computed, _written, _actuals, _stale = cursor.fetchone()
    return computed

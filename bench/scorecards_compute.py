"""Benchmark: recomputing all 2,000 scorecards of one quarter against one hand-written SQL
aggregate over the same rows.

    python bench/scorecards_compute.py [--distributors 2000] [--years 3] [--runs 3] [--keep]

Builds (or, with ``--keep``, reuses) the scratch database of ``bench/_large_vendor_db.py`` with
the large vendor, then times, for the last complete fiscal quarter:

* **ours**: ``scorecards.services.compute.scorecards_compute(vendor_id=, period_kind="quarter",
  period_start=)`` (every KPI of every distributor's template, the upserts of the actuals and
  scorecards); "not available" when the engine is not installed;
* **floor**: one SQL statement a person would write by hand for the same quarter: the sum of
  sales per distributor, the count of on-time weekly updates, joined to the revenue and
  weekly-on-time targets, for every scored distributor.

Prints the median of ``--runs`` runs of each and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from _large_vendor_db import LargeVendorDatabase, add_arguments, summary

FLOOR_SQL = """
WITH sales AS (
    SELECT distributor_id, sum(amount) AS revenue
    FROM reporting_salesline
    WHERE vendor_id = %(vendor)s AND invoice_date >= %(start)s AND invoice_date < %(end)s
    GROUP BY distributor_id
), weekly AS (
    SELECT distributor_id, count(*) AS due,
           count(*) FILTER (WHERE submitted_at <= due_at) AS on_time
    FROM reporting_report
    WHERE vendor_id = %(vendor)s AND kind = 'weekly'
      AND period_start >= %(start)s AND period_start < %(end)s
    GROUP BY distributor_id
)
SELECT d.id, s.revenue, w.on_time, w.due, tr.base, tr.stretch, tr.exceed, tw.base
FROM partners_distributor d
LEFT JOIN sales s ON s.distributor_id = d.id
LEFT JOIN weekly w ON w.distributor_id = d.id
LEFT JOIN scorecards_target tr ON tr.vendor_id = d.vendor_id AND tr.distributor_id = d.id
    AND tr.kpi_id = %(revenue)s AND tr.period_kind = 'quarter' AND tr.period_start = %(start)s
LEFT JOIN scorecards_target tw ON tw.vendor_id = d.vendor_id AND tw.distributor_id = d.id
    AND tw.kpi_id = %(on_time)s AND tw.period_kind = 'quarter' AND tw.period_start = %(start)s
WHERE d.vendor_id = %(vendor)s AND d.status IN ('active', 'onboarding', 'suspended')
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = LargeVendorDatabase(args).open()
    try:
        from django.db import connection

        from partners.tenancy import tenant_scope
        from scorecards.models import Kpi, ScorecardPolicy
        from scorecards.periods import add_months, quarter_start

        vendor = db.vendor
        with tenant_scope(vendor.id):
            fiscal = ScorecardPolicy.objects.get(vendor=vendor).fiscal_year_start_month
            kpis = dict(Kpi.objects.values_list("code", "id"))
        start = add_months(quarter_start(dt.date.today(), fiscal), -3)
        params = {
            "vendor": vendor.id,
            "start": start,
            "end": add_months(start, 3),
            "revenue": kpis["revenue"],
            "on_time": kpis["weekly-on-time"],
        }
        print(f"quarter starting {start}")

        floor = []
        for _ in range(args.runs + 1):
            with tenant_scope(vendor.id), connection.cursor() as cursor:
                t0 = time.perf_counter()
                cursor.execute(FLOOR_SQL, params)
                rows = cursor.fetchall()
                floor.append((time.perf_counter() - t0) * 1000)
        floor = floor[1:]  # the first run warms the cache for both
        floor_ms = statistics.median(floor)
        print(f"{'floor: one SQL aggregate':<40} rows {len(rows):6,}  {summary(floor)}")

        try:
            from scorecards.services.compute import scorecards_compute
        except ImportError:
            print(f"{'ours: scorecards_compute':<40} not available (engine not installed)")
            return
        ours = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            written = scorecards_compute(
                vendor_id=vendor.id, period_kind="quarter", period_start=start
            )
            ours.append((time.perf_counter() - t0) * 1000)
        ours_ms = statistics.median(ours)
        print(f"{'ours: scorecards_compute':<40} rows {written:6,}  {summary(ours)}")
        print(f"ratio ours / floor (medians): {ours_ms / floor_ms:.1f}x (aim: at most 3x)")
    finally:
        db.close()


if __name__ == "__main__":
    main()

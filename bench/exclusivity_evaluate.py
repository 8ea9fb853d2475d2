"""Benchmark: the quarterly exclusivity evaluation of the large vendor against one hand-written
SQL statement checking the same conditions.

    python bench/exclusivity_evaluate.py [--runs 3] [--keep] [--regenerate]

Builds (or, with ``--keep``, reuses) the scratch database of ``bench/_large_vendor_db.py`` with
the large vendor (2,000 distributors; contracts with one to three scope lines each, most of them
exclusive after launch; minimum revenue, on-time reporting and QBR clauses; QBRs held), evaluates
the four quarters before the last closed one once (so warnings and qualifying streaks exist), then
times, for the last closed fiscal quarter:

* **floor**: one SQL statement a person would write by hand for the same conditions: for every
  exclusive scope line in force at the quarter's end, its revenue in the quarter (sales lines of
  its product line), its minimum revenue clause or the distributor's base revenue target, the
  share of the distributor's weekly updates handed in on time, whether every monthly summary due
  in the quarter was handed in, and whether a QBR was held; and whether all of them are met;
* **ours, verdicts**: ``exclusivity_evaluate`` with the quarter's verdicts deleted before each run
  (each run writes every verdict with its evidence) and the notices left out;
* **ours, notices**: queueing the notices of those verdicts (one e-mail per verdict and
  recipient, rendered once per verdict and language, written to the outbox in bulk) and, as the
  test settings run tasks eagerly with mail to memory, their delivery after the commit; timed
  once, apart, with the delivery's share printed too.

Prints the medians and the ratio of the verdicts to the floor; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from unittest import mock

from _large_vendor_db import LargeVendorDatabase, add_arguments, summary, time_floor

FLOOR_SQL = """
WITH lines AS (
    SELECT sl.id, sl.distributor_id, sl.product_line_id, pl.code
      FROM partners_scopeline sl
      JOIN partners_contract c ON c.id = sl.contract_id
      JOIN partners_productline pl ON pl.id = sl.product_line_id
     WHERE sl.vendor_id = %(vendor)s AND c.status = 'active'
       AND sl.exclusive_from IS NOT NULL
       AND sl.starts_on <= %(end)s AND sl.ends_on >= %(end)s
), revenue AS (
    SELECT l.id, sum(s.amount) AS revenue
      FROM lines l
      JOIN reporting_salesline s ON s.distributor_id = l.distributor_id
     WHERE s.vendor_id = %(vendor)s AND s.invoice_date >= %(start)s AND s.invoice_date < %(next)s
       AND (s.product_line_id = l.product_line_id
            OR (s.product_line_id IS NULL AND starts_with(s.product_code, l.code)))
     GROUP BY l.id
), clause AS (
    SELECT scope_line_id, min(amount) AS amount
      FROM partners_performanceclause
     WHERE vendor_id = %(vendor)s AND kind = 'min_revenue_quarter'
     GROUP BY scope_line_id
), target AS (
    SELECT distributor_id, max(base) AS base
      FROM scorecards_target
     WHERE vendor_id = %(vendor)s AND kpi_id = %(revenue_kpi)s AND period_kind = 'quarter'
       AND period_start = %(start)s
     GROUP BY distributor_id
), weekly AS (
    SELECT distributor_id,
           100.0 * count(*) FILTER (WHERE submitted_at <= due_at) / count(*) AS on_time
      FROM reporting_report
     WHERE vendor_id = %(vendor)s AND kind = 'weekly'
       AND period_start >= %(start)s AND period_start < %(next)s
     GROUP BY distributor_id
), monthly AS (
    SELECT distributor_id, bool_and(submitted_at IS NOT NULL) AS all_in
      FROM reporting_report
     WHERE vendor_id = %(vendor)s AND kind = 'monthly'
       AND due_at >= %(start)s AND due_at < %(next)s
     GROUP BY distributor_id
), qbr AS (
    SELECT DISTINCT distributor_id
      FROM scorecards_qbrmeeting
     WHERE vendor_id = %(vendor)s AND held_on >= %(start)s AND held_on <= %(end)s
)
SELECT l.id,
       COALESCE(r.revenue, 0) >= COALESCE(cl.amount, t.base, 0)
       AND COALESCE(w.on_time, 100) >= 90
       AND COALESCE(m.all_in, true)
       AND q.distributor_id IS NOT NULL AS met
  FROM lines l
  LEFT JOIN revenue r ON r.id = l.id
  LEFT JOIN clause cl ON cl.scope_line_id = l.id
  LEFT JOIN target t ON t.distributor_id = l.distributor_id
  LEFT JOIN weekly w ON w.distributor_id = l.distributor_id
  LEFT JOIN monthly m ON m.distributor_id = l.distributor_id
  LEFT JOIN qbr q ON q.distributor_id = l.distributor_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = LargeVendorDatabase(args).open()
    try:
        from django.db.models import Count
        from django.utils import timezone

        from partners import tasks
        from partners.models import OutboundEmail
        from partners.periods import add_months, period_end, quarter_start
        from partners.platform.scope import tenant_scope
        from scorecards.models import (
            CorrectivePlan,
            ExclusivityRun,
            ExclusivityVerdict,
            Kpi,
        )
        from scorecards.services import exclusivity

        vendor = db.vendor
        with tenant_scope(vendor.id):
            fiscal = vendor.fiscal_year_start_month
            revenue_kpi = Kpi.objects.filter(source="revenue").order_by("position", "id").first()
        start = add_months(quarter_start(dt.date.today().replace(day=1), fiscal), -3)
        end = period_end("quarter", start)
        params = {
            "vendor": vendor.id,
            "start": start,
            "end": end,
            "next": add_months(start, 3),
            "revenue_kpi": revenue_kpi.id,
        }
        as_of = timezone.now()
        no_notices = mock.patch.object(
            exclusivity.evaluate, "exclusivity_notices_queue", lambda **kw: 0
        )

        # History first: the four quarters before, once each, oldest first.
        with tenant_scope(vendor.id):
            CorrectivePlan.objects.filter(
                verdict__quarter_start__gte=add_months(start, -12)
            ).delete()
            ExclusivityVerdict.objects.filter(quarter_start__gte=add_months(start, -12)).delete()
            ExclusivityRun.objects.filter(quarter_start__gte=add_months(start, -12)).delete()
        t0 = time.perf_counter()
        with no_notices:
            for back in (12, 9, 6, 3):
                exclusivity.exclusivity_evaluate(
                    vendor_id=vendor.id, quarter_start=add_months(start, -back), as_of=as_of
                )
        print(f"evaluated the four quarters before in {time.perf_counter() - t0:.1f}s")
        print(f"quarter starting {start}")

        rows, floor = time_floor(FLOOR_SQL, params, vendor_id=vendor.id, runs=args.runs)
        floor_ms = statistics.median(floor)
        met = sum(1 for _id, ok in rows if ok)
        print(
            f"{'floor: one SQL statement':<40} lines {len(rows):6,}  {summary(floor)}  (met {met:,})"
        )

        ours = []
        for _ in range(args.runs):
            with tenant_scope(vendor.id):
                CorrectivePlan.objects.filter(verdict__quarter_start=start).delete()
                ExclusivityVerdict.objects.filter(quarter_start=start).delete()
                ExclusivityRun.objects.filter(quarter_start=start).delete()
            with no_notices:
                t0 = time.perf_counter()
                created = exclusivity.exclusivity_evaluate(
                    vendor_id=vendor.id, quarter_start=start, as_of=as_of
                )
                ours.append((time.perf_counter() - t0) * 1000)
        ours_ms = statistics.median(ours)
        print(
            f"{'ours: verdicts (evaluate and write)':<40} lines {len(created):6,}  {summary(ours)}"
        )
        with tenant_scope(vendor.id):
            outcomes = dict(
                ExclusivityVerdict.objects.filter(quarter_start=start)
                .values_list("outcome")
                .annotate(n=Count("id"))
            )
        print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())))
        print(f"ratio ours / floor (medians): {ours_ms / floor_ms:.1f}x (aim: at most 3x)")

        with tenant_scope(vendor.id):
            emails_before = OutboundEmail.objects.count()
        delivery: list[float] = []
        deliver = tasks.emails_deliver

        def timed_deliver(**kwargs):
            t0 = time.perf_counter()
            try:
                return deliver(**kwargs)
            finally:
                delivery.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        with mock.patch.object(tasks, "emails_deliver", timed_deliver), tenant_scope(vendor.id):
            vendor.refresh_from_db()
            exclusivity.exclusivity_notices_queue(vendor=vendor, quarter_start=start)
        notices_ms = (time.perf_counter() - t0) * 1000
        with tenant_scope(vendor.id):
            queued = OutboundEmail.objects.count() - emails_before
        print(
            f"{'ours: notices (render, queue, deliver)':<40} emails {queued:5,}  {notices_ms:8.1f} ms"
            f"  (delivery {sum(delivery):.1f} ms in {len(delivery)} tasks)"
        )
    finally:
        db.close()


if __name__ == "__main__":
    main()

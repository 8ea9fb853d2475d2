"""Benchmark: the channel manager's home, the scorecard table and a distributor's "my standing"
on the large vendor.

    python bench/scorecards_pages.py [--distributors 2000] [--years 3] [--requests 20] [--keep]

Builds (or, with ``--keep``, reuses) the scratch database of ``bench/_large_vendor_db.py`` with
the large vendor, computes the scorecards of the last month and the last two quarters when the
engine exists, then requests through Django's test client, as a channel manager, the home
(``/<slug>/``) and the scorecard table (``/<slug>/scorecards/``), and as a distributor user
``/<slug>/scorecards/mine/``: per page the number of SQL queries (it must not grow with the
number of distributors) and the p50/p95 server time over ``--requests`` requests, against a floor
measured in the same run (a bare SQL count over the scorecard and report tables). A page that
does not exist yet in this branch is reported as "not available". Asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from _large_vendor_db import LargeVendorDatabase, add_arguments, summary


def _compute_recent(vendor) -> None:
    try:
        from scorecards.services.compute import scorecards_compute
    except ImportError:
        print("scorecards_compute: not available (pages show no scorecards)")
        return
    from partners.periods import add_months, quarter_start
    from partners.platform.scope import tenant_scope

    with tenant_scope(vendor.id):
        fiscal = vendor.fiscal_year_start_month
    today = dt.date.today()
    this_quarter = quarter_start(today, fiscal)
    periods = [("month", add_months(today.replace(day=1), -1)), ("month", today.replace(day=1))]
    periods += [("quarter", add_months(this_quarter, -3)), ("quarter", this_quarter)]
    started = time.perf_counter()
    for kind, start in periods:
        scorecards_compute(vendor_id=vendor.id, period_kind=kind, period_start=start)
    print(f"computed {len(periods)} periods' scorecards in {time.perf_counter() - started:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    db = LargeVendorDatabase(args).open()
    try:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from partners.models import Distributor, Membership, Role, User
        from partners.platform.scope import tenant_scope

        vendor = db.vendor
        _compute_recent(vendor)
        with tenant_scope(vendor.id):
            cm = (
                Membership.objects.filter(role=Role.CHANNEL_MANAGER)
                .select_related("user")
                .order_by("id")
                .first()
            )
            du = (
                Membership.objects.filter(role=Role.DISTRIBUTOR_USER)
                .select_related("user")
                .order_by("id")
                .first()
            )
            vendor_distributors = Distributor.objects.count()
            owned = Distributor.objects.filter(owner=cm).count()
        print(f"distributors {vendor_distributors:,}; the channel manager owns {owned:,}")

        # The floor: bare SQL counts over the tables the pages read.
        floor = []
        for _ in range(args.requests):
            with tenant_scope(vendor.id), connection.cursor() as cursor:
                t0 = time.perf_counter()
                cursor.execute(
                    "SELECT (SELECT count(*) FROM scorecards_scorecard WHERE vendor_id = %s),"
                    " (SELECT count(*) FROM reporting_report WHERE vendor_id = %s"
                    " AND status IN ('submitted', 'resubmitted'))",
                    [vendor.id, vendor.id],
                )
                scorecards, waiting = cursor.fetchone()
                floor.append((time.perf_counter() - t0) * 1000)
        floor_p50 = statistics.median(floor)
        print(f"scorecards stored {scorecards:,}; reports waiting for review {waiting:,}")
        print(f"{'floor: SQL counts (scorecards, waiting)':<44} queries  1  {summary(floor)}")

        pages = [
            ("channel manager home", cm.user, f"/{vendor.slug}/"),
            ("scorecard table (channel manager)", cm.user, f"/{vendor.slug}/scorecards/"),
            ("my standing (distributor user)", du.user, f"/{vendor.slug}/scorecards/mine/"),
        ]
        for label, user, path in pages:
            client = Client()
            client.force_login(User.objects.get(pk=user.pk))
            first = client.get(path)  # warm up
            if first.status_code != 200:
                print(f"{label:<44} not available ({path} answered {first.status_code})")
                continue
            times, counts = [], set()
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - t0) * 1000)
                counts.add(len(queries))
                if response.status_code != 200:
                    print(f"  {path} answered {response.status_code}")
            p50 = statistics.median(times)
            print(
                f"{label:<44} queries {'/'.join(map(str, sorted(counts))):>2}  {summary(times)}"
                f"  ({p50 / floor_p50:.0f}x floor)"
            )
    finally:
        db.close()


if __name__ == "__main__":
    main()

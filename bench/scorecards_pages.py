"""Benchmark: every page of the large vendor (``/big/``) that reads its thousands of rows.

    python bench/scorecards_pages.py [--distributors 2000] [--years 3] [--requests 20] [--keep]
                                     [--stale] [--only WORD]

Builds (or, with ``--keep``, reuses) the scratch database of ``bench/_large_vendor_db.py`` with
the large vendor, computes the scorecards of the last three months and quarters when the engine
exists (the pages show the last ended period against the one before) and, when the vendor has
no corrective plans yet, evaluates the exclusivity of the four closed quarters before this one
(notices left out) and suggests the plans of the last month's red KPIs. Then ANALYZE the tables
the compute wrote, as ``manage.py large_vendor`` does; with ``--stale`` instead the recent
scorecards are deleted, those tables analysed empty and the scorecards computed again, which
leaves the statistics ``large_vendor`` used to leave (taken before the scorecards existed; the
database server here runs with autovacuum off, so they stay until an ANALYZE).

It then requests each page through Django's test client (middleware, tenant scope, RLS and
rendering included) as the person who uses it: a channel manager (owning 100 of the 2,000
distributors) the home, the scorecard table, the suggested corrective plans, a distributor's
page, the sales lines (also filtered on one distributor) and the outlets; the executive the
portfolio; a distributor user "my standing". Per page: the number of SQL queries (it must not
grow with the number of distributors) and the p50/p95 server time over ``--requests`` requests,
against a floor measured in the same run (a bare SQL count over the scorecard and report
tables), and the size of the page. ``--only`` keeps the pages whose label contains the word. A
page that does not exist yet in this branch is reported as "not available". Asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from _large_vendor_db import LargeVendorDatabase, add_arguments, summary


def _recent_periods(vendor) -> list[tuple[str, dt.date]]:
    from partners.periods import add_months, quarter_start
    from partners.platform.scope import tenant_scope

    with tenant_scope(vendor.id):
        fiscal = vendor.fiscal_year_start_month
    today = dt.date.today()
    this_quarter = quarter_start(today, fiscal)
    # The pages show the last ended period by default, compared with the one before it.
    periods = [("month", add_months(today.replace(day=1), -n)) for n in (2, 1, 0)]
    return periods + [("quarter", add_months(this_quarter, -n)) for n in (6, 3, 0)]


def _compute_recent(vendor, *, stale: bool) -> None:
    try:
        from scorecards.services.compute import scorecards_compute
    except ImportError:
        print("scorecards_compute: not available (pages show no scorecards)")
        return
    from django.db.models import Q

    from partners.platform.scope import tenant_scope
    from scorecards.demo.largevendor import SCORECARD_TABLES, tables_analyze
    from scorecards.models import KpiActual, Scorecard

    periods = _recent_periods(vendor)
    if stale:
        recent = Q()
        for kind, start in periods:
            recent |= Q(period_kind=kind, period_start=start)
        with tenant_scope(vendor.id):
            KpiActual.objects.filter(recent).delete()
            Scorecard.objects.filter(recent).delete()
        tables_analyze(SCORECARD_TABLES)
    started = time.perf_counter()
    for kind, start in periods:
        scorecards_compute(vendor_id=vendor.id, period_kind=kind, period_start=start)
    print(f"computed {len(periods)} periods' scorecards in {time.perf_counter() - started:.1f}s")
    if stale:
        print("statistics of the scorecard tables: taken before these were computed (--stale)")
    else:
        tables_analyze(SCORECARD_TABLES)
        print("statistics of the scorecard tables: taken after computing them")


def _suggest_plans(vendor) -> None:
    """Verdicts and suggested plans, as the quarterly evaluation and the nightly job leave
    them, when the vendor has none yet."""
    from unittest import mock

    from django.utils import timezone

    from partners.periods import add_months, quarter_start
    from partners.platform.scope import tenant_scope
    from scorecards.models import CorrectivePlan, ScorecardPolicy

    with tenant_scope(vendor.id):
        if CorrectivePlan.objects.exists():
            return
        fiscal = ScorecardPolicy.objects.get(vendor=vendor).fiscal_year_start_month
    try:
        from scorecards.services import exclusivity
        from scorecards.services.plans import plan_suggest_from_reds
    except ImportError:
        print("exclusivity evaluation or plan suggestions: not available (no plans)")
        return
    started = time.perf_counter()
    this_quarter = quarter_start(dt.date.today(), fiscal)
    with mock.patch.object(exclusivity.evaluate, "exclusivity_notices_queue", lambda **kw: 0):
        for back in (12, 9, 6, 3):
            exclusivity.exclusivity_evaluate(
                vendor_id=vendor.id,
                quarter_start=add_months(this_quarter, -back),
                as_of=timezone.now(),
            )
    with tenant_scope(vendor.id):
        vendor.refresh_from_db()
        plan_suggest_from_reds(vendor=vendor, month_start=add_months(dt.date.today(), -1))
    print(f"evaluated four quarters and suggested plans in {time.perf_counter() - started:.1f}s")


def _people(vendor):
    """The channel manager, the executive and the distributor user the pages are read as,
    and the distributor whose page is read (the manager's with the most on its page)."""
    from django.db.models import Count

    from partners.models import Distributor, Membership, Role
    from partners.platform.scope import tenant_scope

    with tenant_scope(vendor.id):
        first = Membership.objects.select_related("user").order_by("id")
        cm = first.filter(role=Role.CHANNEL_MANAGER).first()
        executive = first.filter(role=Role.EXECUTIVE).first()
        du = first.filter(role=Role.DISTRIBUTOR_USER).first()
        busy = (
            Distributor.objects.filter(owner=cm)
            .annotate(n=Count("scope_lines"))
            .order_by("-n", "id")
            .first()
        )
    return cm, executive, du, busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--stale", action="store_true", help="leave the scorecard tables' statistics stale"
    )
    parser.add_argument("--only", default="", help="only the pages whose label has this word")
    args = parser.parse_args()
    db = LargeVendorDatabase(args).open()
    try:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from partners.models import Distributor, User
        from partners.platform.scope import tenant_scope

        vendor = db.vendor
        _compute_recent(vendor, stale=args.stale)
        _suggest_plans(vendor)
        cm, executive, du, busy = _people(vendor)
        with tenant_scope(vendor.id):
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
                    " AND status IN ('submitted', 'resubmitted')),"
                    " (SELECT count(*) FROM scorecards_correctiveplan WHERE vendor_id = %s"
                    " AND status = 'suggested')",
                    [vendor.id, vendor.id, vendor.id],
                )
                scorecards, waiting, suggested = cursor.fetchone()
                floor.append((time.perf_counter() - t0) * 1000)
        floor_p50 = statistics.median(floor)
        print(
            f"scorecards stored {scorecards:,}; reports waiting for review {waiting:,};"
            f" suggested plans {suggested:,}"
        )
        print(
            f"{'floor: SQL counts (scorecards, waiting, plans)':<44} queries  1  {summary(floor)}"
        )

        slug = vendor.slug
        pages = [
            ("channel manager home", cm, f"/{slug}/"),
            ("scorecard table (channel manager)", cm, f"/{slug}/scorecards/"),
            ("my standing (distributor user)", du, f"/{slug}/scorecards/mine/"),
            ("portfolio (executive)", executive, f"/{slug}/scorecards/portfolio/"),
            ("portfolio, quarter (executive)", executive,
             f"/{slug}/scorecards/portfolio/?period_kind=quarter"),
            ("suggested plans (channel manager)", cm, f"/{slug}/plans/?view=suggested"),
            ("open plans (channel manager)", cm, f"/{slug}/plans/"),
            ("distributor page (channel manager)", cm, f"/{slug}/distributors/{busy.pk}/"),
            ("sales lines (channel manager)", cm, f"/{slug}/sales/"),
            ("sales lines of one distributor", cm, f"/{slug}/sales/?distributor={busy.pk}"),
            ("outlets (channel manager)", cm, f"/{slug}/sales/outlets/"),
        ]  # fmt: skip
        for label, member, path in pages:
            if args.only and args.only not in label:
                continue
            client = Client()
            client.force_login(User.objects.get(pk=member.user_id))
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
                f"  ({p50 / floor_p50:.0f}x floor, {len(first.content) / 1024:.0f} KiB)"
            )
    finally:
        db.close()


if __name__ == "__main__":
    main()

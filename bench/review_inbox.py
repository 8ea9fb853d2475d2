"""Benchmark: the review inbox with 2,000 distributors and three years of weekly reports.

    python bench/review_inbox.py [--distributors 2000] [--weeks 156] [--requests 20] [--keep]

Builds its own database (``<your database>_bench_review``, dropped first and, unless
``--keep``, at the end) from ``DATABASE_URL`` (the owner role, as for migrations), migrates it,
makes one vendor with ``--distributors`` distributors and ``--weeks`` weekly reports each
(inserted with PostgreSQL ``COPY``), then requests the inbox pages through Django's test client
as a channel manager and prints, per page, the number of SQL queries and the p50/p95 server
time, against a floor measured in the same run: a bare SQL count of the waiting reports over
the same table. Not a test: it prints figures and asserts nothing but a constant query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench_url(base: str) -> tuple[str, str, str]:
    """(bench database URL, its name, the maintenance database URL)."""
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "partnerdesk"
    bench = f"{name}_bench_review"
    return (
        urlunsplit(parts._replace(path=f"/{bench}")),
        bench,
        urlunsplit(parts._replace(path="/postgres")),
    )


def _recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    url = maintenance_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distributors", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://partnerdesk_owner@127.0.0.1:5432/partnerdesk")
    bench_url, bench_name, maintenance = _bench_url(base)
    _recreate(maintenance, bench_name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from partners.models import Distributor, Membership, Role, User, Vendor
    from partners.platform.scope import tenant_scope

    setup_test_environment()
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated {bench_name} in {time.perf_counter() - started:.1f}s")

        vendor = Vendor.objects.create(name="Bench Robotics", slug="bench")
        user = User.objects.create_user("cm@bench.example", "bench-password", full_name="Bench CM")
        countries = [("JP", "JPY", "Asia/Tokyo", "ja"), ("TH", "THB", "Asia/Bangkok", "en"),
                     ("ID", "IDR", "Asia/Jakarta", "en"), ("SG", "SGD", "Asia/Singapore", "en")]  # fmt: skip
        with tenant_scope(vendor.id):
            cm = Membership.objects.create(vendor=vendor, user=user, role=Role.CHANNEL_MANAGER)
            Distributor.objects.bulk_create(
                [
                    Distributor(
                        vendor=vendor,
                        name=f"Distributor {i:05d}",
                        country=countries[i % 4][0],
                        currency=countries[i % 4][1],
                        time_zone=countries[i % 4][2],
                        language=countries[i % 4][3],
                        status="active",
                        owner=cm if i % 10 == 0 else None,
                    )
                    for i in range(args.distributors)
                ],
                batch_size=1000,
            )
            ids = list(Distributor.objects.order_by("id").values_list("id", flat=True))

        # Three years of weekly reports: acknowledged, some late, some missed; the last two
        # weeks waiting for review for about half of the distributors.
        started = time.perf_counter()
        today = dt.date.today()
        last_monday = today - dt.timedelta(days=today.weekday() + 7)
        now = dt.datetime.now(dt.UTC)
        buffer = io.StringIO()
        rows = 0
        for n, distributor_id in enumerate(ids):
            for week in range(args.weeks):
                start = last_monday - dt.timedelta(weeks=week)
                due = dt.datetime.combine(start + dt.timedelta(days=7), dt.time(3), tzinfo=dt.UTC)
                submitted = due - dt.timedelta(hours=4)
                status, missed = "acknowledged", "\\N"
                if (n + week) % 11 == 0:
                    submitted = due + dt.timedelta(hours=30)
                if (n + week) % 29 == 0:
                    status, submitted, missed = "pending", None, (due + dt.timedelta(days=2))
                elif week < 2 and n % 2 == 0:
                    status = "submitted" if week == 0 else "resubmitted"
                sub = submitted.isoformat() if submitted else "\\N"
                versions = 1 if submitted else 0
                missed_text = missed.isoformat() if isinstance(missed, dt.datetime) else missed
                buffer.write(
                    f"{vendor.id}\t{distributor_id}\tweekly\t{start}\t{start + dt.timedelta(days=6)}"
                    f"\t{due.isoformat()}\t{status}\t{sub}\t{sub}\t{versions}"
                    f"\t{missed_text}\t{now.isoformat()}\t{now.isoformat()}\n"
                )
                rows += 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.vendor_id', %s, true)", [str(vendor.id)])
            columns = (
                "vendor_id, distributor_id, kind, period_start, period_end, due_at, status, "
                "submitted_at, last_submitted_at, version_count, missed_at, created_at, updated_at"
            )
            # COPY cannot write a table under row-level security: copy into a temporary table,
            # then insert from it (the policy checks each row's vendor).
            cursor.execute(
                f"CREATE TEMP TABLE bench_report ON COMMIT DROP AS SELECT {columns}"  # noqa: S608
                " FROM reporting_report LIMIT 0"
            )
            with cursor.cursor.copy(f"COPY bench_report ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            cursor.execute(
                f"INSERT INTO reporting_report ({columns}) SELECT {columns} FROM bench_report"  # noqa: S608
            )
        # As autovacuum would have done (as the owner: the app role may not analyse tables).
        import psycopg

        with psycopg.connect(bench_url.replace("postgres://", "postgresql://", 1)) as owner:
            owner.autocommit = True
            owner.execute("VACUUM ANALYZE")
        print(f"copied {rows:,} reports in {time.perf_counter() - started:.1f}s")

        # The floor: a bare SQL count of the waiting reports over the same table.
        floor = []
        for _ in range(args.requests):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('app.vendor_id', %s, true)", [str(vendor.id)])
                t0 = time.perf_counter()
                cursor.execute(
                    "SELECT count(*) FROM reporting_report WHERE vendor_id = %s"
                    " AND status IN ('submitted', 'resubmitted')",
                    [vendor.id],
                )
                waiting = cursor.fetchone()[0]
                floor.append((time.perf_counter() - t0) * 1000)
        print(f"waiting for review: {waiting:,}")
        print(
            f"{'floor: SQL count of waiting':<44} queries  1  "
            f"p50 {statistics.median(floor):7.1f} ms  p95 {_percentile(floor, 0.95):7.1f} ms"
        )

        client = Client()
        client.force_login(user)
        pages = [
            ("inbox (waiting, first page)", "/bench/reports/"),
            ("inbox (waiting, page 40)", "/bench/reports/?page=40"),
            ("inbox (all statuses)", "/bench/reports/?status=all"),
            ("inbox (country JP, mine)", "/bench/reports/?country=JP&mine=1"),
            ("results partial (htmx)", "/bench/reports/?status=missed"),
        ]
        query_counts = set()
        floor_p50 = statistics.median(floor)
        for label, path in pages:
            headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "report-results"}
            extra = headers if "htmx" in label else {}
            client.get(path, **extra)  # warm up
            times = []
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(path, **extra)
                    times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            query_counts.add(len(queries))
            p50 = statistics.median(times)
            print(
                f"{label:<44} queries {len(queries):2d}  p50 {p50:7.1f} ms  "
                f"p95 {_percentile(times, 0.95):7.1f} ms  ({p50 / floor_p50:.0f}x floor)"
            )
        print(f"query counts per page: {sorted(query_counts)} (independent of the row count)")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _recreate(maintenance, bench_name, drop_only=True)


if __name__ == "__main__":
    main()

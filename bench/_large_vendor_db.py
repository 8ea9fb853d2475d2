"""Shared by the scorecard benchmarks: a scratch database holding the large vendor.

``large_vendor_database(args)`` points Django at ``<your database>_bench_scorecards`` (from
``DATABASE_URL``, the owner role, which needs CREATEDB), sets Django up, and makes sure the
database holds the large vendor of ``args`` (``manage.py large_vendor``'s generator, without its
scorecards). With ``--keep`` the database is kept at the end and reused by the next run of
either benchmark (the generator then does not run again unless ``--regenerate``).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUFFIX = "_bench_scorecards"


def add_arguments(parser) -> None:
    parser.add_argument("--distributors", type=int, default=2000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--sales-lines", type=int, default=2_000_000)
    parser.add_argument("--outlets", type=int, default=200_000)
    parser.add_argument("--slug", default="big")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the bench database")
    parser.add_argument(
        "--regenerate", action="store_true", help="with --keep: generate the vendor again"
    )


def _urls(base: str) -> tuple[str, str, str]:
    parts = urlsplit(base)
    name = (parts.path.lstrip("/") or "partnerdesk") + SUFFIX
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        name,
        urlunsplit(parts._replace(path="/postgres")),
    )


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(times: list[float]) -> str:
    return f"p50 {statistics.median(times):8.1f} ms  p95 {percentile(times, 0.95):8.1f} ms"


def time_floor(sql: str, params: dict, *, vendor_id: int, runs: int) -> tuple[list, list[float]]:
    """Run a hand-written floor statement ``runs`` times after one warm-up run (which warms the
    cache for both sides), inside the vendor's scope with JIT off as the code under test has it.
    Returns the last run's rows and the times in ms."""
    from django.db import connection

    from partners.platform.scope import tenant_scope

    times: list[float] = []
    rows: list = []
    for _ in range(runs + 1):
        with tenant_scope(vendor_id), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            t0 = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            times.append((time.perf_counter() - t0) * 1000)
    return rows, times[1:]


class LargeVendorDatabase:
    """The scratch database and the vendor in it (``vendor``), set up by ``open()``."""

    def __init__(self, args):
        self.args = args
        base = os.environ.get(
            "DATABASE_URL", "postgres://partnerdesk_owner@127.0.0.1:5432/partnerdesk"
        )
        self.url, self.name, self.maintenance = _urls(base)
        self.vendor = None

    def open(self):
        args = self.args
        with _admin(self.maintenance) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
            if not (args.keep and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.name}"')
        os.environ["DATABASE_URL"] = self.url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        from partners.models import Vendor
        from scorecards.demo.largevendor import (
            LargeVendorSpec,
            large_vendor_generate,
            tables_analyze,
        )

        setup_test_environment()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated {self.name} in {time.perf_counter() - started:.1f}s")
        self.vendor = Vendor.objects.filter(slug=args.slug).first()
        if self.vendor is None or args.regenerate:
            spec = LargeVendorSpec(
                distributors=args.distributors,
                months=args.years * 12,
                sales_lines=args.sales_lines,
                outlets=args.outlets,
                slug=args.slug,
            )
            result = large_vendor_generate(spec=spec, log=print)
            tables_analyze()
            self.vendor = result.vendor
            counts = ", ".join(f"{k} {v:,}" for k, v in result.counts.items())
            print(f"generated the large vendor in {result.timings['total']:.1f}s: {counts}")
        else:
            print(f"reusing the large vendor '{args.slug}' in {self.name}")
        return self

    def close(self):
        from django.db import connections

        connections.close_all()
        if not self.args.keep:
            with _admin(self.maintenance) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

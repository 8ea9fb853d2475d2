"""Generate the large vendor for demos and benchmarks (see ``scorecards/demo/largevendor.py``).

    manage.py large_vendor [--distributors 2000] [--years 3] [--sales-lines 2000000]
                           [--outlets 200000] [--seed 7] [--slug big] [--no-compute] [--force]

Drops and recreates only the vendor with ``--slug`` (its logins are kept and their password
reset). Refuses to run with DEBUG off unless ``--force``. Then analyses the tables, computes the
scorecards of every month and quarter when the scorecard engine is installed, and analyses the
tables it wrote (with the statistics taken before they were written, the portfolio was planned
for empty tables and took seconds).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scorecards.demo.largevendor import (
    PASSWORD,
    SCORECARD_TABLES,
    LargeVendorSpec,
    large_vendor_generate,
    scorecards_compute_all,
    tables_analyze,
)


class Command(BaseCommand):
    help = "Generate one large vendor (thousands of distributors, years of data) with COPY."

    def add_arguments(self, parser):
        parser.add_argument("--distributors", type=int, default=2000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--months", type=int, help="months of history (overrides --years)")
        parser.add_argument("--sales-lines", type=int, default=2_000_000)
        parser.add_argument("--outlets", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--slug", default="big")
        parser.add_argument("--no-compute", action="store_true", help="skip the scorecards")
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (production settings)"
        )

    def handle(self, *args, **opts):
        if not settings.DEBUG and not opts["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment. Use --force to generate the "
                f"large vendor '{opts['slug']}' here anyway (it replaces only that vendor)."
            )
        spec = LargeVendorSpec(
            distributors=opts["distributors"],
            months=opts["months"] or opts["years"] * 12,
            sales_lines=opts["sales_lines"],
            outlets=opts["outlets"],
            seed=opts["seed"],
            slug=opts["slug"],
        )
        result = large_vendor_generate(spec=spec, log=self.stdout.write)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<20} {count:>10,}")
        for name, seconds in result.timings.items():
            self.stdout.write(f"  {name:<28} {seconds:7.1f} s")
        self._analyze()
        if not opts["no_compute"]:
            started = time.perf_counter()
            written = scorecards_compute_all(
                vendor=result.vendor, months=result.months, log=self.stdout.write
            )
            if written is not None:
                self.stdout.write(
                    f"  {'scorecards computed':<20} {written:>10,} "
                    f"in {time.perf_counter() - started:.1f} s"
                )
                self._analyze(SCORECARD_TABLES)
        self.stdout.write("")
        self.stdout.write(f"Workspace /{spec.slug}/ - password for every login: {PASSWORD}")
        for email, role, distributor in result.logins:
            where = f"  ({distributor})" if distributor else ""
            self.stdout.write(f"  {email:<28} {role}{where}")

    def _analyze(self, tables: tuple[str, ...] = ()) -> None:
        """ANALYZE (everything, or ``tables``), saying how long it took."""
        started = time.perf_counter()
        label = "analyze " + ", ".join(tables) if tables else "analyze"
        try:
            tables_analyze(tables)
            self.stdout.write(f"  {label:<28} {time.perf_counter() - started:7.1f} s")
        except Exception as error:  # noqa: BLE001 - a missing owner right only costs plans
            self.stdout.write(f"  {label} skipped: {error}")

"""Benchmark: importing 100,000 sales lines, compared with a plain PostgreSQL COPY.

Not a test. Run from the project root:

    DATABASE_URL=postgres://partnerdesk_owner@127.0.0.1:5432/partnerdesk \\
        .venv/bin/python bench/sales_import.py [--rows 100000]

It creates its own scratch database (``partnerdesk_bench_sales``, migrated like the test
database, so the owner role in DATABASE_URL needs CREATEDB) and drops it at the end, whatever
happens. It generates a CSV of N sales lines (1,000 outlets, a few credit notes), then times, in
the same run:

1. our path, as a person's upload goes through it, run inline instead of by a worker: storing
   the file and reading its header (``sales_upload_create``), the full validation pass
   (``sales_upload_validate``) and the import task body (``sales_upload_import``: outlets and
   lines upserted in batches of 5,000 with INSERT ... ON CONFLICT, progress committed per
   batch, billed dates recomputed);
2. a plain ``COPY ... FROM STDIN (FORMAT csv)`` of the same bytes into a temporary table with
   the same column types and no constraints (the floor the issue names);
3. for reference, a ``COPY`` of the same lines, as the import wrote them, into a temporary
   table made ``LIKE reporting_salesline INCLUDING ALL`` (the same columns, unique key and
   indexes, without foreign keys, row-level security, conflict handling or write-ahead log):
   what landing the rows in a table shaped like ours costs at the least.

It prints the times and the ratios (the aim is within 5x of COPY). Figures are recorded in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import codecs
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

HEADERS = ["Invoice number", "Line", "Invoice date", "Ship date", "Customer code",
           "Customer name", "Product code", "Product name", "Product line", "Quantity", "Amount",
           "Currency", "Due date", "Paid date"]  # fmt: skip


def generate_csv(rows: int, seed: int = 4) -> bytes:
    """N sales lines of one distributor (JPY), invoices of 1-10 lines, 1,000 outlets."""
    rnd = random.Random(seed)
    out = io.StringIO()
    out.write(",".join(HEADERS) + "\r\n")
    invoice, line = 1, 0
    for n in range(rows):
        line += 1
        if line > rnd.randint(1, 10):
            invoice, line = invoice + 1, 1
        outlet = rnd.randrange(1000)
        credit = n % 97 == 0
        quantity = rnd.randint(1, 50) * (-1 if credit else 1)
        amount = quantity * rnd.randint(1000, 90000)
        day = 1 + (invoice % 28)
        out.write(
            f"INV-{invoice:07d},{line},2026-03-{day:02d},2026-03-{day:02d},C{outlet:04d},"
            f"Outlet {outlet},P-{n % 300},Product {n % 300},,{quantity},{amount},JPY,"
            f"2026-04-{day:02d},\r\n"
        )
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


COPY_TABLE = """
CREATE TEMP TABLE bench_sales_copy (
    invoice_number text, line_number integer, invoice_date date, ship_date date,
    outlet_code text, outlet_name text, product_code text, product_name text,
    product_line text, quantity numeric(14, 3), amount numeric(16, 2), currency text,
    due_date date, paid_date date
)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "partnerdesk_bench_sales"
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from partners.models import Distributor, Membership, Role, User, Vendor
    from partners.platform.scope import tenant_scope
    from reporting.models import SalesLine, SalesUpload, SalesUploadStatus
    from reporting.services import sellout

    print(f"creating the scratch database ({connection.settings_dict['NAME']} -> test copy)...")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        data = generate_csv(args.rows)
        print(f"{args.rows:,} rows, {len(data) / 2**20:.1f} MB of CSV")
        vendor = Vendor.objects.create(name="Bench", slug="bench")
        user = User.objects.create_user(email="bench@example.com", password="x")
        with tenant_scope(vendor.id):
            distributor = Distributor.objects.create(
                vendor=vendor, name="Bench Trading", country="JP", currency="JPY",
                time_zone="Asia/Tokyo", language="ja",
            )  # fmt: skip
            actor = Membership.objects.create(
                vendor=vendor, user=user, role=Role.DISTRIBUTOR_USER, distributor=distributor
            )

        started = time.perf_counter()
        with tenant_scope(vendor.id):
            upload = sellout.sales_upload_create(
                vendor=vendor,
                actor=actor,
                distributor=distributor,
                file=SimpleUploadedFile("bench.csv", data, "text/csv"),
            )
            SalesUpload.objects.filter(pk=upload.pk).update(status=SalesUploadStatus.MAPPED)
        with tenant_scope(vendor.id):
            sellout.sales_upload_validate(vendor=vendor, upload_id=upload.pk)
            SalesUpload.objects.filter(pk=upload.pk, error_rows=0).update(
                status=SalesUploadStatus.IMPORTING
            )
        checked = time.perf_counter()
        sellout.sales_upload_import(vendor_id=vendor.id, upload_id=upload.pk)
        ours = time.perf_counter() - started
        import_only = time.perf_counter() - checked
        with tenant_scope(vendor.id):
            upload.refresh_from_db()
            lines = SalesLine.objects.count()
        assert upload.status == SalesUploadStatus.DONE, (upload.status, upload.errors[:3])
        assert lines == args.rows, lines

        with connection.cursor() as cursor:
            cursor.execute(COPY_TABLE)
            started = time.perf_counter()
            with cursor.cursor.copy(
                "COPY bench_sales_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(data[len(codecs.BOM_UTF8) :])
            copy_time = time.perf_counter() - started
            cursor.execute("SELECT count(*) FROM bench_sales_copy")
            assert cursor.fetchone()[0] == args.rows

            # The lines exactly as imported, copied out and back into an indexed twin table.
            cursor.execute(
                "CREATE TEMP TABLE bench_salesline_twin (LIKE reporting_salesline INCLUDING ALL)"
            )
            lines_csv = io.BytesIO()
            with (
                tenant_scope(vendor.id),
                connection.cursor() as out,
                out.cursor.copy("COPY reporting_salesline TO STDOUT WITH (FORMAT csv)") as copy,
            ):
                for chunk in copy:
                    lines_csv.write(chunk)
            started = time.perf_counter()
            with cursor.cursor.copy(
                "COPY bench_salesline_twin FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                copy.write(lines_csv.getvalue())
            twin_time = time.perf_counter() - started

        print(f"our import (upload + validation + import task): {ours:8.2f} s")
        print(f"  of which the import task body:                 {import_only:8.2f} s")
        print(f"plain COPY into a scratch table:                 {copy_time:8.2f} s")
        print(f"ratio (ours / COPY):                             {ours / copy_time:8.1f}x")
        print(f"ratio (import task only / COPY):                 {import_only / copy_time:8.1f}x")
        print(f"reference: COPY into an indexed twin of the table: {twin_time:6.2f} s")
        print(f"ratio (import task only / indexed twin COPY):    {import_only / twin_time:8.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        print("scratch database dropped")


if __name__ == "__main__":
    main()

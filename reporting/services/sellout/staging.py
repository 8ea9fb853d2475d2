"""Writing checked rows: the CSV layout they travel in, the COPY into a staging table, and the
upserts of outlets and lines from there in SQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db import connection

from reporting import events

# Checked rows travel as CSV in this layout: written by the check (the upload's checked file) or
# by the bulk API, copied into a temporary table with COPY, and upserted from there in SQL.
CHECKED_COLUMNS = (
    "invoice_number", "line_number", "invoice_date", "ship_date", "outlet_code", "outlet_name",
    "outlet_address", "outlet_tax_id", "product_code", "product_name", "product_line_id",
    "quantity", "amount", "currency", "due_date", "paid_date",
)  # fmt: skip


def checked_row(clean: dict) -> list:
    """A checked row as CSV cells (empty for nothing)."""
    return ["" if (value := clean[key]) is None else value for key in CHECKED_COLUMNS]


def checked_csv(rows: Iterable[list]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


IMPORT_STAGE = "sellout_import_stage"
API_STAGE = "sellout_api_stage"

_STAGE_COLUMNS = """
    n serial, invoice_number text, line_number integer, invoice_date date, ship_date date,
    outlet_code text, outlet_name text, outlet_address text, outlet_tax_id text,
    product_code text, product_name text, product_line_id bigint, quantity numeric,
    amount numeric, currency text, due_date date, paid_date date
"""

# The last row of a customer code in the file wins; an empty name, address or tax id keeps
# what is on file; a new outlet without a name is named by its code (below).
_OUTLET_UPSERT = """
INSERT INTO reporting_outlet
    (vendor_id, distributor_id, code, name, address, tax_id, created_at, updated_at)
SELECT DISTINCT ON (s.outlet_code) %(vendor)s, %(distributor)s, s.outlet_code,
       COALESCE(s.outlet_name, ''), COALESCE(s.outlet_address, ''),
       COALESCE(s.outlet_tax_id, ''), now(), now()
  FROM {stage} s
 WHERE s.outlet_code IS NOT NULL
 ORDER BY s.outlet_code, s.n DESC
ON CONFLICT (vendor_id, distributor_id, code) DO UPDATE SET
    name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE reporting_outlet.name END,
    address = CASE WHEN EXCLUDED.address <> '' THEN EXCLUDED.address
                   ELSE reporting_outlet.address END,
    tax_id = CASE WHEN EXCLUDED.tax_id <> '' THEN EXCLUDED.tax_id ELSE reporting_outlet.tax_id END,
    updated_at = now()
  WHERE (EXCLUDED.name <> '' AND EXCLUDED.name <> reporting_outlet.name)
     OR (EXCLUDED.address <> '' AND EXCLUDED.address <> reporting_outlet.address)
     OR (EXCLUDED.tax_id <> '' AND EXCLUDED.tax_id <> reporting_outlet.tax_id)
"""


_OUTLET_NAME_FROM_CODE = """
UPDATE reporting_outlet SET name = code
 WHERE vendor_id = %(vendor)s AND distributor_id = %(distributor)s AND name = ''
"""

# Rows first..last of the stage (its n). An existing line is rewritten only when something in
# it changed (a re-upload of the same month costs little). A product line that no longer exists
# is left empty.
_LINE_UPSERT = """
WITH written AS (
INSERT INTO reporting_salesline
    (vendor_id, distributor_id, invoice_number, line_number, invoice_date, ship_date, outlet_id,
     product_code, product_name, product_line_id, quantity, amount, currency, due_date,
     paid_date, upload_id, created_at, updated_at)
SELECT %(vendor)s, %(distributor)s, s.invoice_number, s.line_number, s.invoice_date,
       s.ship_date, o.id, COALESCE(s.product_code, ''), COALESCE(s.product_name, ''), pl.id,
       s.quantity, s.amount, s.currency, s.due_date, s.paid_date, %(upload)s, now(), now()
  FROM {stage} s
  LEFT JOIN reporting_outlet o
         ON o.vendor_id = %(vendor)s AND o.distributor_id = %(distributor)s
        AND o.code = s.outlet_code
  LEFT JOIN partners_productline pl ON pl.vendor_id = %(vendor)s AND pl.id = s.product_line_id
 WHERE s.n BETWEEN %(first)s AND %(last)s
ON CONFLICT (vendor_id, distributor_id, invoice_number, line_number) DO UPDATE SET
    invoice_date = EXCLUDED.invoice_date,
    ship_date = EXCLUDED.ship_date,
    outlet_id = EXCLUDED.outlet_id,
    product_code = EXCLUDED.product_code,
    product_name = EXCLUDED.product_name,
    product_line_id = EXCLUDED.product_line_id,
    quantity = EXCLUDED.quantity,
    amount = EXCLUDED.amount,
    currency = EXCLUDED.currency,
    due_date = EXCLUDED.due_date,
    paid_date = EXCLUDED.paid_date,
    upload_id = EXCLUDED.upload_id,
    updated_at = now()
  WHERE (reporting_salesline.invoice_date, reporting_salesline.ship_date,
         reporting_salesline.outlet_id, reporting_salesline.product_code,
         reporting_salesline.product_name, reporting_salesline.product_line_id,
         reporting_salesline.quantity, reporting_salesline.amount, reporting_salesline.currency,
         reporting_salesline.due_date, reporting_salesline.paid_date)
        IS DISTINCT FROM
        (EXCLUDED.invoice_date, EXCLUDED.ship_date, EXCLUDED.outlet_id, EXCLUDED.product_code,
         EXCLUDED.product_name, EXCLUDED.product_line_id, EXCLUDED.quantity, EXCLUDED.amount,
         EXCLUDED.currency, EXCLUDED.due_date, EXCLUDED.paid_date)
RETURNING (xmax = 0) AS inserted, outlet_id
)
SELECT count(*) FILTER (WHERE inserted),
       COALESCE(array_agg(DISTINCT outlet_id) FILTER (WHERE outlet_id IS NOT NULL), '{{}}')
  FROM written
"""


def _stage_create(cursor, stage: str, *, temporary_for: str) -> None:
    """A temporary table for checked rows: dropped at the end of the transaction
    (``temporary_for="transaction"``) or kept for the connection's session until
    ``_stage_drop`` (``"session"``, for an import that commits batch by batch)."""
    cursor.execute(f"DROP TABLE IF EXISTS {stage}")
    on_commit = "ON COMMIT DROP" if temporary_for == "transaction" else ""
    cursor.execute(f"CREATE TEMP TABLE {stage} ({_STAGE_COLUMNS}) {on_commit}")


def _stage_copy(cursor, stage: str, chunks: Iterable[bytes | str]) -> None:
    """COPY checked rows (CSV in CHECKED_COLUMNS, in chunks) into a stage; analyse it so the
    upserts are planned from real counts, not guesses."""
    columns = ", ".join(CHECKED_COLUMNS)
    with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
        for chunk in chunks:
            copy.write(chunk)
    cursor.execute(f"ANALYZE {stage}")


def _stage_dates(cursor, stage: str) -> tuple[dt.date | None, dt.date | None]:
    """The first and last invoice dates in a stage."""
    cursor.execute(f"SELECT min(invoice_date), max(invoice_date) FROM {stage}")  # noqa: S608
    return cursor.fetchone()


def _announce_sales(vendor_id: int, distributor_id: int, first_date, last_date) -> None:
    """Tell higher apps (scorecards) that sales invoiced between the dates were written."""
    if first_date is None or last_date is None:
        return
    events.announce(
        events.SALES_CHANGED,
        vendor_id=vendor_id,
        distributor_id=distributor_id,
        first_date=first_date,
        last_date=last_date,
    )


def _stage_drop(stage: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")


def _outlets_upsert(cursor, stage: str, vendor_id: int, distributor_id: int) -> None:
    """The outlets named in a stage (an outlet that did not change is not rewritten)."""
    params = {"vendor": vendor_id, "distributor": distributor_id}
    cursor.execute(_OUTLET_UPSERT.format(stage=stage), params)
    cursor.execute(_OUTLET_NAME_FROM_CODE, params)


def _lines_upsert(cursor, stage: str, params: dict) -> tuple[int, set[int]]:
    """Upsert rows ``first``..``last`` of a stage as sales lines; (lines created, ids of the
    outlets of the lines written)."""
    cursor.execute(_LINE_UPSERT.format(stage=stage), params)
    created, outlet_ids = cursor.fetchone()
    return created, set(outlet_ids)


def _upsert_staged(
    *,
    vendor_id: int,
    distributor_id: int,
    rows_csv: str,
    count: int,
    lines: bool = True,
) -> tuple[int, int, set[int]]:
    """Write checked rows of one distributor sent through the API (CSV in CHECKED_COLUMNS,
    ``count`` rows, no two with the same invoice and line), inside the caller's transaction and
    the vendor's tenant scope: outlets first, then the lines on (distributor, invoice, line).
    Returns (lines created, lines already on file, ids of the outlets of the lines written)."""
    if not count:
        return 0, 0, set()
    with connection.cursor() as cursor:
        _stage_create(cursor, API_STAGE, temporary_for="transaction")
        _stage_copy(cursor, API_STAGE, [rows_csv])
        _outlets_upsert(cursor, API_STAGE, vendor_id, distributor_id)
        created, outlet_ids = 0, set[int]()
        if lines:
            params = {"vendor": vendor_id, "distributor": distributor_id, "upload": None}
            created, outlet_ids = _lines_upsert(
                cursor, API_STAGE, {**params, "first": 1, "last": count}
            )
        cursor.execute(f"DROP TABLE {API_STAGE}")
    return created, count - created, outlet_ids


def outlets_billed_dates_refresh(*, vendor_id: int, outlet_ids: Iterable[int]) -> int:
    """Set each outlet's first and last billed dates from its sales lines, in one statement."""
    ids = list(outlet_ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        # One index probe per outlet (vendor, outlet, invoice date): steady whatever the
        # planner's statistics say about a table that has just grown.
        cursor.execute(
            """
            UPDATE reporting_outlet o
               SET first_billed_on = s.first_date, last_billed_on = s.last_date
              FROM unnest(%s::bigint[]) AS t(id)
              CROSS JOIN LATERAL (
                    SELECT MIN(l.invoice_date) AS first_date, MAX(l.invoice_date) AS last_date
                      FROM reporting_salesline l
                     WHERE l.vendor_id = %s AND l.outlet_id = t.id) s
             WHERE o.vendor_id = %s AND o.id = t.id
            """,
            [ids, vendor_id, vendor_id],
        )
        return cursor.rowcount

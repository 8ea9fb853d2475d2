"""Sell-out writes: sales files from upload to import, and the bulk API for ERP integrations.

Upload -> map -> check -> confirm -> import. ``sales_upload_create`` stores the file and reads
its header row; ``sales_upload_map`` takes the column mapping (and remembers it for the
distributor) and hands the file to a worker that checks every row (``sales_upload_validate``);
nothing reaches the sales tables until a person confirms a file without errors
(``sales_upload_confirm``). The import worker (``sales_upload_import``) claims the upload, then
writes outlets and lines in batches with ``INSERT ... ON CONFLICT DO UPDATE`` keyed on
(distributor, invoice, line), committing progress after each batch, and finally recomputes the
first and last billed dates of the outlets it touched in one statement.

The bulk API (``sales_lines_bulk_upsert``) runs the same checks and the same upsert, all or
nothing, in the request.

The modules: ``pipeline`` (the upload pipeline), ``staging`` (the COPY staging and the upserts
in SQL) and ``bulk`` (the bulk API). This package re-exports the public services.
"""

from __future__ import annotations

from reporting.models import SalesLine
from reporting.services.sellout.bulk import (
    MAX_BULK_LINES,
    RowsInvalid,
    outlets_bulk_upsert,
    sales_lines_bulk_upsert,
)
from reporting.services.sellout.pipeline import (
    BATCH_SIZE,
    max_sales_upload_bytes,
    sales_upload_confirm,
    sales_upload_create,
    sales_upload_import,
    sales_upload_map,
    sales_upload_validate,
)
from reporting.services.sellout.staging import outlets_billed_dates_refresh

__all__ = [
    "BATCH_SIZE",
    "MAX_BULK_LINES",
    "RowsInvalid",
    "SalesLine",
    "max_sales_upload_bytes",
    "outlets_billed_dates_refresh",
    "outlets_bulk_upsert",
    "sales_lines_bulk_upsert",
    "sales_upload_confirm",
    "sales_upload_create",
    "sales_upload_import",
    "sales_upload_map",
    "sales_upload_validate",
]

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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Distributor, Membership, ProductLine, Vendor
from partners.platform.scope import tenant_scope
from partners.platform.tasks import enqueue_on_commit
from partners.services.audit import audit_record
from reporting import events
from reporting.models import (
    Outlet,
    SalesColumnMapping,
    SalesLine,
    SalesUpload,
    SalesUploadStatus,
)
from reporting.sellout_fields import FIELD_KEYS, error_text

from .sellout_rows import (
    RowChecker,
    RowError,
    file_type_of,
    guess_mapping,
    mapping_errors,
    normalize_header,
    read_table,
    row_extractor,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
IMPORT_CLAIM_EXPIRES = dt.timedelta(minutes=30)
MAX_STORED_ERRORS = 500
PREVIEW_ROWS = 20
MAX_BULK_LINES = 5000
UPLOAD_FOLDER = "sales-uploads"


def max_sales_upload_bytes() -> int:
    return int(getattr(settings, "PARTNERDESK_SALES_UPLOAD_MAX_MB", 100)) * 1024 * 1024


def _check_can_upload(actor, distributor: Distributor) -> None:
    if not roles.is_contributor(actor):
        raise PermissionDenied(_("Executives read sales data; they do not upload it."))
    if actor.is_distributor_role and actor.distributor_id != distributor.id:
        raise PermissionDenied


def _checker(*, vendor: Vendor, distributor: Distributor) -> RowChecker:
    lines: dict[str, int] = {}
    for pk, code, name in ProductLine.objects.filter(vendor=vendor).values_list(
        "id", "code", "name"
    ):
        lines.setdefault(normalize_header(name), pk)
        if code:
            lines[normalize_header(code)] = pk
    return RowChecker(currency=distributor.currency, product_lines=lines)


# --- upload ------------------------------------------------------------------------------------


def sales_upload_create(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, file
) -> SalesUpload:
    """Store an uploaded sales file for ``distributor`` and read its header row; the mapping is
    guessed from the headers (and the distributor's saved mapping). Raises a ValidationError on
    ``file`` for a file that is too large, empty, not CSV/XLSX or unreadable (nothing stored)."""
    _check_can_upload(actor, distributor)
    if file is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    limit = max_sales_upload_bytes()
    if file.size == 0:
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty")})
    if file.size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "The file is %(size)s MB; the limit is %(limit)s MB. Split it into "
                        "smaller files, for example one per month."
                    )  # fmt: skip
                    % {"size": f"{file.size / 1024 / 1024:.1f}", "limit": limit // 2**20},
                    code="too_large",
                )
            }
        )
    file.seek(0)
    raw = file.read()
    name = PurePath(file.name or "sales.csv").name[:255]
    file_type = file_type_of(raw, name)
    table = read_table(raw, file_type)
    headers = [h for h in table.headers]
    if not any(headers):
        raise ValidationError({"file": _("The first row must hold the column names.")})
    saved = (
        SalesColumnMapping.objects.filter(vendor=vendor, distributor=distributor)
        .values_list("mapping", flat=True)
        .first()
    )
    upload = SalesUpload(
        vendor=vendor,
        distributor=distributor,
        uploaded_by=actor,
        original_name=name,
        size=file.size,
        file_type=file_type,
        encoding=table.encoding,
        headers=headers,
        mapping=guess_mapping(headers, saved),
    )
    file.seek(0)
    upload.file.save(
        f"vendor-{vendor.id}/{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{file_type}",
        file,
        save=False,
    )
    upload.save()
    audit_record(vendor=vendor, actor=actor, action="sales_upload.create", obj=upload)
    return upload


def sales_upload_map(
    *, vendor: Vendor, actor: Membership, upload: SalesUpload, mapping: dict[str, str]
) -> SalesUpload:
    """Take the column mapping of an upload, remember it for the distributor, and hand the file
    to a worker that checks every row. Raises a ValidationError naming the fields whose column
    is missing, unknown or chosen twice."""
    _check_can_upload(actor, upload.distributor)
    if upload.status not in (SalesUploadStatus.UPLOADED, SalesUploadStatus.READY):
        raise ValidationError(_("This file is already being checked or imported."))
    mapping = {k: v for k, v in mapping.items() if k in FIELD_KEYS and v}
    errors = mapping_errors(mapping, upload.headers)
    if errors:
        raise ValidationError(
            {e.field: ValidationError(error_text(e.code, e.params), code=e.code) for e in errors}
        )
    if upload.checked_file.name:  # checked under the previous mapping: check again from scratch
        storage, old_name = upload.checked_file.storage, upload.checked_file.name
        transaction.on_commit(lambda: storage.delete(old_name))
        upload.checked_file = ""
    upload.mapping = mapping
    upload.status = SalesUploadStatus.MAPPED
    upload.errors, upload.preview = [], []
    upload.total_rows = upload.valid_rows = upload.error_rows = 0
    upload.save()
    SalesColumnMapping.objects.update_or_create(
        vendor=vendor,
        distributor=upload.distributor,
        defaults={"mapping": mapping, "updated_by": actor},
    )
    enqueue_on_commit("reporting.tasks.sales_upload_validate_task", vendor.id, upload.id)
    return upload


def _read_rows(upload: SalesUpload):
    """(row number, {field: text}) for every data row of a stored upload."""
    with upload.file.open("rb") as stream:
        raw = stream.read()
    table = read_table(raw, upload.file_type)
    extract = row_extractor(upload.mapping, upload.headers)
    for number, cells in table.rows:
        yield number, extract(cells)


def sales_upload_validate(*, vendor: Vendor, upload_id: int) -> bool:
    """Check every row of a mapped upload: counts, the first rows for the preview and the
    errors (the first MAX_STORED_ERRORS of them, each with its row and field). Claims the
    upload (mapped -> validating), so running it twice checks once. Writes no sales data."""
    claimed = SalesUpload.objects.filter(
        vendor=vendor, pk=upload_id, status=SalesUploadStatus.MAPPED
    ).update(status=SalesUploadStatus.VALIDATING)
    if not claimed:
        return False
    upload = SalesUpload.objects.select_related("distributor").get(vendor=vendor, pk=upload_id)
    checker = _checker(vendor=vendor, distributor=upload.distributor)
    total = error_rows = 0
    errors: list[dict] = []
    preview: list[dict] = []
    checked = io.StringIO(newline="")
    writer = csv.writer(checked, lineterminator="\n")
    try:
        for number, values in _read_rows(upload):
            total += 1
            clean, row_errors = checker.check(values, number)
            if clean is not None and not error_rows:
                writer.writerow(checked_row(clean))
            if row_errors:
                error_rows += 1
                room = MAX_STORED_ERRORS - len(errors)
                if room > 0:
                    errors.extend(e.as_json(number) for e in row_errors[:room])
            if len(preview) < PREVIEW_ROWS:
                preview.append(
                    {"row": number, "values": values, "errors": [e.field for e in row_errors]}
                )
    except ValidationError as exc:
        upload.status = SalesUploadStatus.FAILED
        upload.failure = {"message": " ".join(exc.messages)}
        upload.finished_at = timezone.now()
        upload.save()
        return True
    except Exception:  # a damaged file openpyxl chokes on: say so rather than poll forever
        logger.exception("sales upload %s: the check failed", upload_id)
        upload.status = SalesUploadStatus.FAILED
        upload.failure = {"code": "check_error"}
        upload.finished_at = timezone.now()
        upload.save()
        return True
    upload.total_rows, upload.error_rows, upload.valid_rows = total, error_rows, total - error_rows
    upload.errors, upload.preview = errors, preview
    upload.status = SalesUploadStatus.READY
    if total and not error_rows:
        assert upload.file.name  # an upload always has its file
        name = f"{PurePath(upload.file.name).with_suffix('')}.checked.csv"
        upload.checked_file.save(name, ContentFile(checked.getvalue().encode()), save=False)
    upload.save()
    return True


def sales_upload_confirm(*, vendor: Vendor, actor: Membership, upload: SalesUpload) -> bool:
    """Start the import of a checked upload without errors (ready -> importing, once: a second
    confirmation changes nothing and returns False)."""
    _check_can_upload(actor, upload.distributor)
    if upload.status == SalesUploadStatus.READY and not upload.can_confirm:
        raise ValidationError(_("Correct the errors in the file and upload it again."))
    claimed = SalesUpload.objects.filter(
        vendor=vendor, pk=upload.pk, status=SalesUploadStatus.READY, error_rows=0
    ).update(status=SalesUploadStatus.IMPORTING, confirmed_by=actor, progress=0)
    if not claimed:
        return False
    upload.refresh_from_db()
    audit_record(vendor=vendor, actor=actor, action="sales_upload.confirm", obj=upload)
    enqueue_on_commit("reporting.tasks.sales_upload_import_task", vendor.id, upload.id)
    return True


def sales_upload_import(*, vendor_id: int, upload_id: int) -> bool:
    """Import a confirmed upload in batches of BATCH_SIZE rows, each batch in its own
    transaction (so the page sees the progress), then recompute the billed dates of the outlets
    touched. It reads the rows as the check wrote them (the upload's checked file), so nothing
    is parsed twice.

    Claims the upload first: a second run (a redelivered task) does nothing and returns False,
    unless the claim is older than IMPORT_CLAIM_EXPIRES (the worker died): then the import runs
    again from the start, which is safe because every write is an upsert (lines written by the
    lost run are counted as updated). On an unexpected error the upload is marked failed; the
    lines of finished batches stay, and importing the file again updates them."""
    now = timezone.now()
    with tenant_scope(vendor_id):
        claimed = (
            SalesUpload.objects.filter(
                vendor_id=vendor_id, pk=upload_id, status=SalesUploadStatus.IMPORTING
            )
            .filter(
                Q(import_claimed_at__isnull=True)
                | Q(import_claimed_at__lt=now - IMPORT_CLAIM_EXPIRES)
            )
            .update(import_claimed_at=now, created_count=0, updated_count=0, progress=0)
        )
        if not claimed:
            return False
        upload = SalesUpload.objects.get(pk=upload_id)
    total = upload.valid_rows
    created = 0
    outlet_ids: set[int] = set()
    try:
        with tenant_scope(vendor_id), connection.cursor() as cursor:
            # The whole checked file goes into a session table in one COPY (it outlives the
            # batches' transactions), the outlets are upserted from it in one statement, and
            # the lines follow in batches of BATCH_SIZE rows, each committed with its progress.
            _stage_create(cursor, IMPORT_STAGE, temporary_for="session")
            with upload.checked_file.open("rb") as stream:
                _stage_copy(cursor, IMPORT_STAGE, iter(lambda: stream.read(1 << 20), b""))
            _outlets_upsert(cursor, IMPORT_STAGE, vendor_id, upload.distributor_id)
            first_date, last_date = _stage_dates(cursor, IMPORT_STAGE)
        for first in range(1, total + 1, BATCH_SIZE):
            last = min(total, first + BATCH_SIZE - 1)
            with tenant_scope(vendor_id), connection.cursor() as cursor:
                _batch_commit_without_wal_wait()
                c, touched = _lines_upsert(
                    cursor,
                    IMPORT_STAGE,
                    {
                        "vendor": vendor_id,
                        "distributor": upload.distributor_id,
                        "upload": upload_id,
                        "first": first,
                        "last": last,
                    },
                )
                created += c
                outlet_ids |= touched
                SalesUpload.objects.filter(pk=upload_id).update(
                    created_count=F("created_count") + c,
                    updated_count=F("updated_count") + (last - first + 1 - c),
                    progress=min(99, last * 100 // total),
                )
        with tenant_scope(vendor_id):
            outlets_billed_dates_refresh(vendor_id=vendor_id, outlet_ids=outlet_ids)
            SalesUpload.objects.filter(pk=upload_id).update(
                status=SalesUploadStatus.DONE, progress=100, finished_at=timezone.now()
            )
            _announce_sales(vendor_id, upload.distributor_id, first_date, last_date)
    except Exception:
        _upload_fail(upload_id, "import_error", vendor_id=vendor_id)
        raise
    finally:
        _stage_drop(IMPORT_STAGE)
    return True


def _batch_commit_without_wal_wait() -> None:
    """A batch's commit does not wait for its WAL to reach the disk (much faster on a slow
    disk). Safe here: the final commit that marks the upload done is synchronous, and flushing
    it flushes every earlier batch; after a crash before it, the upload is still "importing"
    and importing the file again updates whatever lines did land."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")


def _upload_fail(upload_id: int, code: str, *, vendor_id: int | None = None) -> None:
    def mark():
        SalesUpload.objects.filter(pk=upload_id).update(
            status=SalesUploadStatus.FAILED, failure={"code": code}, finished_at=timezone.now()
        )

    if vendor_id is None:
        mark()
    else:
        with tenant_scope(vendor_id):
            mark()


# --- writing rows ------------------------------------------------------------------------------

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


# --- bulk API ----------------------------------------------------------------------------------


class RowsInvalid(Exception):
    """Some rows of a bulk call failed the checks: ``rows`` is ``{"<index>": {field:
    [message]}}`` (0-based positions in the list sent)."""

    def __init__(self, rows: dict[str, dict[str, list[str]]]):
        super().__init__("rows invalid")
        self.rows = rows


def _rows_payload(errors: dict[int, list[RowError]]) -> dict[str, dict[str, list[str]]]:
    result: dict[str, dict[str, list[str]]] = {}
    for index, row_errors in errors.items():
        fields = result.setdefault(str(index), {})
        for e in row_errors:
            fields.setdefault(e.field, []).append(error_text(e.code, e.params))
    return result


def sales_lines_bulk_upsert(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, lines: list[dict]
) -> dict[str, int]:
    """Write up to MAX_BULK_LINES sales lines sent by an ERP, all or nothing: every line is
    checked as in an upload; when any fails, nothing is written and ``RowsInvalid`` says which
    rows and fields. Lines are inserted or updated on (distributor, invoice, line)."""
    _check_can_upload(actor, distributor)
    if len(lines) > MAX_BULK_LINES:
        raise ValidationError(
            {"lines": error_text("too_many_rows", {"max": MAX_BULK_LINES})}, code="too_many"
        )
    checker = _checker(vendor=vendor, distributor=distributor)
    clean_rows, errors = [], {}
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            errors[index] = [RowError("non_field_errors", "required", {})]
            continue
        clean, row_errors = checker.check(line, index)
        if row_errors:
            errors[index] = row_errors
        else:
            assert clean is not None  # a row without errors comes back cleaned
            clean_rows.append(clean)
    if errors:
        raise RowsInvalid(_rows_payload(errors))
    with transaction.atomic():
        created, updated, outlet_ids = _upsert_staged(
            vendor_id=vendor.id,
            distributor_id=distributor.id,
            rows_csv=checked_csv(checked_row(row) for row in clean_rows),
            count=len(clean_rows),
        )
        outlets_billed_dates_refresh(vendor_id=vendor.id, outlet_ids=outlet_ids)
        dates = [row["invoice_date"] for row in clean_rows]
        if dates:
            _announce_sales(vendor.id, distributor.id, min(dates), max(dates))
        audit_record(
            vendor=vendor,
            actor=actor,
            action="sales_lines.bulk_upsert",
            obj=distributor,
            changes={"created": created, "updated": updated},
        )
    return {"created": created, "updated": updated}


def outlets_bulk_upsert(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, outlets: list[dict]
) -> dict[str, int]:
    """Insert or update a distributor's outlets by code (all or nothing)."""
    _check_can_upload(actor, distributor)
    if len(outlets) > MAX_BULK_LINES:
        raise ValidationError({"outlets": error_text("too_many_rows", {"max": MAX_BULK_LINES})})
    errors: dict[int, list[RowError]] = {}
    clean: dict[str, tuple[str, str, str]] = {}
    limits = {"code": 64, "name": 200, "address": 300, "tax_id": 64}
    for index, outlet in enumerate(outlets):
        row_errors = []
        values = {}
        for key, limit in limits.items():
            text = str((outlet or {}).get(key) or "").strip() if isinstance(outlet, dict) else ""
            if len(text) > limit:
                row_errors.append(RowError(key, "too_long", {"max": limit}))
            values[key] = text
        if not values["code"]:
            row_errors.append(RowError("code", "required", {}))
        if row_errors:
            errors[index] = row_errors
        else:
            clean[values["code"]] = (values["name"], values["address"], values["tax_id"])
    if errors:
        raise RowsInvalid(_rows_payload(errors))
    empty = dict.fromkeys(CHECKED_COLUMNS)
    rows = [
        checked_row(
            {
                **empty,
                "outlet_code": code,
                "outlet_name": name,
                "outlet_address": address,
                "outlet_tax_id": tax_id,
            }  # fmt: skip
        )
        for code, (name, address, tax_id) in clean.items()
    ]
    with transaction.atomic():
        before = set(
            Outlet.objects.filter(
                vendor=vendor, distributor=distributor, code__in=list(clean)
            ).values_list("code", flat=True)
        )
        _upsert_staged(
            vendor_id=vendor.id,
            distributor_id=distributor.id,
            rows_csv=checked_csv(rows),
            count=len(rows),
            lines=False,
        )
    return {"created": len(clean) - len(before), "updated": len(before)}


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

"""The upload pipeline of sales files: create, map, check, confirm and import (see the package
docstring)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import uuid
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
from reporting.models import SalesColumnMapping, SalesUpload, SalesUploadStatus
from reporting.sellout_fields import FIELD_KEYS, error_text
from reporting.services.sellout.staging import (
    IMPORT_STAGE,
    _announce_sales,
    _lines_upsert,
    _outlets_upsert,
    _stage_copy,
    _stage_create,
    _stage_dates,
    _stage_drop,
    checked_row,
    outlets_billed_dates_refresh,
)
from reporting.services.sellout_rows import (
    RowChecker,
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

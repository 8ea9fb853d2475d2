"""The bulk API for ERP integrations: sales lines and outlets, all or nothing, in the request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from partners.models import Distributor, Membership, Vendor
from partners.services.audit import audit_record
from reporting.models import Outlet
from reporting.sellout_fields import error_text
from reporting.services.sellout.pipeline import _check_can_upload, _checker
from reporting.services.sellout.staging import (
    CHECKED_COLUMNS,
    _announce_sales,
    _upsert_staged,
    checked_csv,
    checked_row,
    outlets_billed_dates_refresh,
)
from reporting.services.sellout_rows import RowError

MAX_BULK_LINES = 5000


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

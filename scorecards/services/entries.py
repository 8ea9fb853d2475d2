"""Writes of the setup area's values side: values people enter for ``entered`` KPIs (many
distributors at once) and the vendor's exchange rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.markets import CURRENCY_CHOICES
from partners.models import Distributor, Membership, Vendor
from partners.services.audit import audit_record
from scorecards.models import ExchangeRate, Kpi, KpiEntry, KpiSource
from scorecards.services.recompute import scorecards_recompute_request
from scorecards.services.targets import RowsInvalid, parse_number, period_errors

MAX_VALUE = Decimal("99999999999999")
NOTE_MAX = 300


@transaction.atomic
def entry_grid_save(
    *,
    vendor: Vendor,
    actor: Membership,
    kpi: Kpi,
    period_kind: str,
    period_start: dt.date,
    distributors: list[Distributor],
    values: dict[int, dict],
) -> dict[str, int]:
    """Save the values of an entered KPI for one period: ``values`` maps a distributor id to
    its typed ``value`` and ``note``. An empty value removes that distributor's entry. All or
    nothing (``RowsInvalid`` keyed by distributor id); the period is recomputed."""
    if not roles.is_editor(actor):
        raise PermissionDenied
    if kpi.source != KpiSource.ENTERED:
        raise ValidationError({"kpi": _("This KPI is computed; nobody enters its values.")})
    problems = period_errors(
        kind=period_kind, start=period_start, fiscal_start_month=vendor.fiscal_year_start_month
    )
    if problems:
        raise ValidationError({"period": problems})
    errors: dict = {}
    clean: dict[int, tuple[Decimal, str]] = {}
    cleared: list[int] = []
    for distributor in distributors:
        typed = values.get(distributor.pk, {})
        note = str(typed.get("note") or "").strip()
        row_errors: dict = {}
        try:
            number = parse_number(typed.get("value"))
        except (InvalidOperation, ValueError):
            row_errors["value"] = [_("Enter a number.")]
            number = None
        else:
            if number is None and note:
                row_errors["value"] = [_("Enter a value for this note, or clear the note.")]
            elif number is not None and abs(number) > MAX_VALUE:
                row_errors["value"] = [_("This number is too large.")]
        if len(note) > NOTE_MAX:
            row_errors["note"] = [_("At most %(max)s characters.") % {"max": NOTE_MAX}]
        if row_errors:
            errors[distributor.pk] = row_errors
        elif number is None:
            cleared.append(distributor.pk)
        else:
            clean[distributor.pk] = (number, note)
    if errors:
        raise RowsInvalid(errors)
    existing = {
        e.distributor_id: e
        for e in KpiEntry.objects.filter(
            vendor=vendor, kpi=kpi, period_kind=period_kind, period_start=period_start
        )
    }
    now = timezone.now()
    to_create, to_update = [], []
    for distributor_id, (number, note) in clean.items():
        entry = existing.get(distributor_id)
        if entry is None:
            to_create.append(
                KpiEntry(vendor=vendor, distributor_id=distributor_id, kpi=kpi,
                         period_kind=period_kind, period_start=period_start, value=number,
                         note=note, entered_by=actor)
            )  # fmt: skip
        elif entry.value != number or entry.note != note:
            entry.value, entry.note, entry.entered_by, entry.updated_at = number, note, actor, now
            to_update.append(entry)
    KpiEntry.objects.bulk_create(to_create)
    KpiEntry.objects.bulk_update(to_update, ["value", "note", "entered_by", "updated_at"])
    removed = [existing[pk].pk for pk in cleared if pk in existing]
    KpiEntry.objects.filter(pk__in=removed).delete()
    result = {"created": len(to_create), "updated": len(to_update), "removed": len(removed)}
    if any(result.values()):
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.entries_saved",
            obj=kpi,
            changes={"period": [None, f"{period_kind} {period_start}"], **{
                k: [None, v] for k, v in result.items()}},
        )  # fmt: skip
        scorecards_recompute_request(
            vendor_id=vendor.id, period_kind=period_kind, period_start=period_start
        )
    return result


# --- exchange rates --------------------------------------------------------------------------


@transaction.atomic
def exchange_rate_save(
    *, vendor: Vendor, actor: Membership, currency: str, period_start: dt.date, rate
) -> ExchangeRate:
    """Set how many units of the reporting currency one ``currency`` is worth in a month
    (inserted or replaced). Consolidated views read it; scorecards are not recomputed (each
    distributor is scored in its own currency)."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied
    errors = {}
    if currency not in {c for c, _label in CURRENCY_CHOICES}:
        errors["currency"] = [_("Choose a currency from the list.")]
    if period_start is None or period_start.day != 1:
        errors["period_start"] = [_("A month starts on its first day.")]
    try:
        number = parse_number(rate)
        if number is None or number <= 0 or number > Decimal("9999999999"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["rate"] = [_("A rate is a number above 0.")]
    if errors or number is None:
        raise ValidationError(errors)
    row, created = ExchangeRate.objects.update_or_create(
        vendor=vendor, currency=currency, period_start=period_start, defaults={"rate": number}
    )
    audit_record(
        vendor=vendor,
        actor=actor,
        action="scorecards.rate_saved",
        obj=row,
        changes={"currency": [None, currency], "month": [None, period_start.isoformat()],
                 "rate": [None, str(number)]},
    )  # fmt: skip
    return row


@transaction.atomic
def exchange_rate_delete(*, vendor: Vendor, actor: Membership, rate: ExchangeRate) -> None:
    """Remove one month's rate (the latest earlier rate then stands in for it)."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied
    audit_record(
        vendor=vendor,
        actor=actor,
        action="scorecards.rate_removed",
        obj=rate,
        changes={"currency": [rate.currency, None], "rate": [str(rate.rate), None]},
    )
    rate.delete()

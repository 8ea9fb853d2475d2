"""Writes of the setup area's target side: targets (base, stretch, exceed) with market ramp
curves for new distributors, their import from CSV/XLSX, and the ramp curves themselves.

Ramp rule: a distributor's first quarter is the fiscal quarter in which it went active (its
first status change to active, else ``status_changed_on`` when it is active now; never active:
no ramp, 100 percent). In its (n+1)-th quarter the curve of its country (else the ``""`` curve)
gives ``percents[n]``, the last value holding after the curve ends. A month target uses the
percent of the quarter holding the month. Effective levels = full levels x percent / 100.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import EllipsisType

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import periods, roles
from partners.markets import COUNTRY_CHOICES
from partners.models import (
    Distributor,
    DistributorStatus,
    Membership,
    Vendor,
)
from partners.services.audit import audit_record
from scorecards.models import Kpi, PeriodKind, RampCurve, Target, TargetSource
from scorecards.services.recompute import scorecards_recompute_request

HUNDRED = Decimal(100)
LEVELS = ("base", "stretch", "exceed")
MAX_TARGET = Decimal("99999999999999")  # fits max_digits=18, decimal_places=4
MAX_BULK_TARGETS = 5000
RAMP_MAX_QUARTERS = 8


class RowsInvalid(ValidationError):
    """Some rows are wrong: ``rows`` maps a row's key (its position, its line in a file or its
    distributor id) to ``{field: [message, ...]}``. Nothing was written."""

    def __init__(self, rows: dict):
        self.rows = rows
        super().__init__(_("Some rows need correcting; nothing was saved."))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- ramps -----------------------------------------------------------------------------------


def distributor_activation_dates(*, vendor: Vendor, distributor_ids) -> dict[int, dt.date | None]:
    """When each distributor went active (one query): its first status change to active, else
    ``status_changed_on`` if it is active now; None when it never was."""
    rows = (
        Distributor.objects.filter(vendor=vendor, pk__in=list(distributor_ids))
        .annotate(
            first_active=Min(
                "status_changes__effective_on",
                filter=Q(status_changes__to_status=DistributorStatus.ACTIVE),
            )
        )
        .values_list("pk", "first_active", "status", "status_changed_on")
    )
    return {
        pk: first or (changed_on if status == DistributorStatus.ACTIVE else None)
        for pk, first, status, changed_on in rows
    }


def ramp_curves(*, vendor: Vendor) -> dict[str, list[int]]:
    """The vendor's ramp curves by country (``""``: every other market)."""
    return dict(RampCurve.objects.filter(vendor=vendor).values_list("country", "percents"))


def target_ramp_percent(
    distributor: Distributor,
    period_start: dt.date,
    fiscal_start_month: int,
    curves: dict[str, list[int]],
    *,
    activated_on: dt.date | None | EllipsisType = ...,
) -> Decimal:
    """The percent of its full target that counts for ``distributor`` in the period starting
    ``period_start`` (see the module docstring). Pass ``activated_on`` when known (from
    ``distributor_activation_dates``) to save a query."""
    if isinstance(activated_on, EllipsisType):
        activated_on = distributor_activation_dates(
            vendor=distributor.vendor, distributor_ids=[distributor.pk]
        ).get(distributor.pk)
    if activated_on is None:
        return HUNDRED
    curve = curves.get(distributor.country) or curves.get("")
    if not curve:
        return HUNDRED
    index = periods.quarters_between(activated_on, period_start, fiscal_start_month)
    index = min(max(index, 0), len(curve) - 1)
    return Decimal(curve[index])


def ramped(full: Decimal, percent: Decimal) -> Decimal:
    """A full target level scaled by the ramp percent (4 decimals, like the column)."""
    return (Decimal(full) * Decimal(percent) / HUNDRED).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


# --- target rows -----------------------------------------------------------------------------


@dataclass
class TargetRow:
    """One target to write: resolved distributor and KPI, the period and the three full levels
    as typed (strings or numbers)."""

    distributor: Distributor
    kpi: Kpi
    period_kind: str
    period_start: dt.date
    base: object
    stretch: object
    exceed: object


def parse_number(value) -> Decimal | None:
    """A typed number: spaces, thousands separators (, and the Japanese 、) dropped. None when
    empty; raises ``InvalidOperation`` when it is not a number."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "").replace("、", "").replace(" ", "")
    text = text.replace("\u3000", "")
    if not text:
        return None
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def target_levels_clean(*, kpi: Kpi, values: dict) -> tuple[dict, dict]:
    """Check three typed levels: each a number >= 0, in order (base <= stretch <= exceed when
    higher is better, the reverse when lower is better). Returns (levels, errors by field)."""
    levels: dict[str, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for name in LEVELS:
        try:
            number = parse_number(values.get(name))
        except (InvalidOperation, ValueError):
            errors[name] = [_("Enter a number.")]
            continue
        if number is None:
            errors[name] = [_("Enter a number.")]
        elif number < 0:
            errors[name] = [_("A target cannot be below 0.")]
        elif number > MAX_TARGET:
            errors[name] = [_("This number is too large.")]
        else:
            levels[name] = number
    base, stretch, exceed = (levels.get(name) for name in LEVELS)
    if kpi.lower_is_better:
        if base is not None and stretch is not None and stretch > base:
            errors["stretch"] = [_("Lower is better here: stretch is at most base.")]
        if stretch is not None and exceed is not None and exceed > stretch:
            errors["exceed"] = [_("Lower is better here: exceed is at most stretch.")]
    else:
        if base is not None and stretch is not None and stretch < base:
            errors["stretch"] = [_("Stretch is at least base.")]
        if stretch is not None and exceed is not None and exceed < stretch:
            errors["exceed"] = [_("Exceed is at least stretch.")]
    return levels, errors


def period_errors(*, kind: str, start: dt.date | None, fiscal_start_month: int) -> list[str]:
    """Why a period does not name a month or one of the vendor's fiscal quarters (empty: it
    does)."""
    if kind not in PeriodKind.values:
        return [_("The period is month or quarter.")]
    if start is None:
        return [_("Enter the period's first day (YYYY-MM-DD).")]
    if periods.period_start(kind, start, fiscal_start_month) != start:
        if kind == PeriodKind.MONTH:
            return [_("A month starts on its first day.")]
        return [_("This is not the first day of one of your fiscal quarters.")]
    return []


def target_rows_check(
    *, rows: list[TargetRow], keys: list, fiscal_start_month: int
) -> tuple[list[tuple[TargetRow, dict]], dict]:
    """Check target rows without writing: (rows with their parsed levels, errors by key)."""
    errors: dict = {}
    cleaned: list[tuple[TargetRow, dict]] = []
    seen: set = set()
    for key, row in zip(keys, rows, strict=True):
        levels, row_errors = target_levels_clean(kpi=row.kpi, values=row.__dict__)
        problems = period_errors(
            kind=row.period_kind, start=row.period_start, fiscal_start_month=fiscal_start_month
        )
        if problems:
            row_errors["period_start"] = problems
        identity = (row.distributor.pk, row.kpi.pk, row.period_kind, row.period_start)
        if identity in seen:
            row_errors.setdefault("distributor", []).append(
                _("This distributor, KPI and period is already on an earlier row.")
            )
        seen.add(identity)
        if row_errors:
            errors[key] = row_errors
        cleaned.append((row, levels))
    return cleaned, errors


@transaction.atomic
def targets_upsert(
    *,
    vendor: Vendor,
    actor: Membership,
    rows: list[TargetRow],
    source: str = TargetSource.ENTERED,
    keys: list | None = None,
) -> dict[str, int]:
    """Insert or update targets, all or nothing: every row is checked first (a
    ``RowsInvalid`` names the wrong fields of each row, keyed by ``keys`` or by position).
    Ramps are applied; the periods concerned are recomputed; one audit event per KPI and
    period. Returns ``{"created": n, "updated": n}``."""
    _require(roles.is_editor(actor))
    fiscal = vendor.fiscal_year_start_month
    keys = keys if keys is not None else list(range(len(rows)))
    cleaned, errors = target_rows_check(rows=rows, keys=keys, fiscal_start_month=fiscal)
    if errors:
        raise RowsInvalid(errors)
    if not cleaned:
        return {"created": 0, "updated": 0}
    curves = ramp_curves(vendor=vendor)
    activation = distributor_activation_dates(
        vendor=vendor, distributor_ids={row.distributor.pk for row, _l in cleaned}
    )
    existing = {
        (t.distributor_id, t.kpi_id, t.period_kind, t.period_start): t
        for t in Target.objects.filter(
            vendor=vendor,
            distributor_id__in={row.distributor.pk for row, _l in cleaned},
            kpi_id__in={row.kpi.pk for row, _l in cleaned},
            period_start__in={row.period_start for row, _l in cleaned},
        )
    }
    to_create: list[Target] = []
    to_update: list[Target] = []
    groups: dict[tuple, int] = {}
    for row, levels in cleaned:
        percent = target_ramp_percent(
            row.distributor,
            row.period_start,
            fiscal,
            curves,
            activated_on=activation.get(row.distributor.pk),
        )
        identity = (row.distributor.pk, row.kpi.pk, row.period_kind, row.period_start)
        target = existing.get(identity) or Target(
            vendor=vendor,
            distributor=row.distributor,
            kpi=row.kpi,
            period_kind=row.period_kind,
            period_start=row.period_start,
        )
        target.full_base, target.full_stretch = levels["base"], levels["stretch"]
        target.full_exceed = levels["exceed"]
        target.ramp_percent = percent
        target.base = ramped(levels["base"], percent)
        target.stretch = ramped(levels["stretch"], percent)
        target.exceed = ramped(levels["exceed"], percent)
        target.source, target.updated_by = source, actor
        target.updated_at = timezone.now()
        (to_update if target.pk else to_create).append(target)
        group = (row.kpi, row.period_kind, row.period_start)
        groups[group] = groups.get(group, 0) + 1
    Target.objects.bulk_create(to_create, batch_size=1000)
    Target.objects.bulk_update(
        to_update,
        ["full_base", "full_stretch", "full_exceed", "ramp_percent", "base", "stretch",
         "exceed", "source", "updated_by", "updated_at"],
        batch_size=1000,
    )  # fmt: skip
    for (kpi, kind, start), count in groups.items():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.targets_saved",
            obj=kpi,
            changes={"period": [None, f"{kind} {start.isoformat()}"], "targets": [None, count]},
        )
    for kind, start in {(kind, start) for _k, kind, start in groups}:
        scorecards_recompute_request(vendor_id=vendor.id, period_kind=kind, period_start=start)
    return {"created": len(to_create), "updated": len(to_update)}


@transaction.atomic
def target_grid_save(
    *,
    vendor: Vendor,
    actor: Membership,
    kpi: Kpi,
    period_kind: str,
    period_start: dt.date,
    distributors: list[Distributor],
    values: dict[int, dict],
) -> dict[str, int]:
    """Save the targets grid of one KPI and period: ``values`` maps a distributor id to its
    typed ``base``/``stretch``/``exceed``. A row left wholly empty removes that distributor's
    target; a row with anything typed must be complete and in order. All or nothing: a
    ``RowsInvalid`` is keyed by distributor id."""
    _require(roles.is_editor(actor))
    rows, keys, cleared = [], [], []
    for distributor in distributors:
        typed = values.get(distributor.pk, {})
        if not any(str(typed.get(name) or "").strip() for name in LEVELS):
            cleared.append(distributor.pk)
            continue
        rows.append(TargetRow(distributor, kpi, period_kind, period_start, *(
            typed.get(name) for name in LEVELS)))  # fmt: skip
        keys.append(distributor.pk)
    result = targets_upsert(vendor=vendor, actor=actor, rows=rows, keys=keys)
    removed, _detail = Target.objects.filter(
        vendor=vendor,
        kpi=kpi,
        period_kind=period_kind,
        period_start=period_start,
        distributor_id__in=cleared,
    ).delete()
    if removed:
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.targets_removed",
            obj=kpi,
            changes={"period": [None, f"{period_kind} {period_start}"], "targets": [removed, 0]},
        )
        scorecards_recompute_request(
            vendor_id=vendor.id, period_kind=period_kind, period_start=period_start
        )
    return {**result, "removed": removed}


# --- ramp curves -----------------------------------------------------------------------------


def ramp_percents_clean(value) -> list[int]:
    """Percents typed as "25, 50, 75, 100" (or a list): 1 to 8 whole numbers, each 1-100, never
    decreasing, ending at 100. Raises a ValidationError on ``percents``."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace("、", ",").replace(";", ",").split(",")]
        parts = [p.rstrip("%").strip() for p in parts if p]
    else:
        parts = list(value or [])
    try:
        percents = [int(str(p)) for p in parts]
    except ValueError:
        raise ValidationError(
            {"percents": _("Write whole percents separated by commas, for example 25, 50, 100.")}
        ) from None
    if not 1 <= len(percents) <= RAMP_MAX_QUARTERS:
        message = _("A curve has 1 to %(max)s quarters.") % {"max": RAMP_MAX_QUARTERS}
    elif any(not 1 <= p <= 100 for p in percents):
        message = _("Each percent is from 1 to 100.")
    elif any(b < a for a, b in zip(percents, percents[1:], strict=False)):
        message = _("A ramp never goes down from one quarter to the next.")
    elif percents[-1] != 100:
        message = _("The last quarter is 100 (the full target).")
    else:
        return percents
    raise ValidationError({"percents": message})


@transaction.atomic
def ramp_curve_save(*, vendor: Vendor, actor: Membership, country: str, percents) -> RampCurve:
    """Set the ramp curve of ``country`` (``""``: every other market) and apply it again to
    the targets of periods not yet ended."""
    _require(roles.is_vendor_admin(actor))
    if country and country not in {c for c, _label in COUNTRY_CHOICES}:
        raise ValidationError({"country": _("Choose a country from the list.")})
    clean = ramp_percents_clean(percents)
    curve = RampCurve.objects.filter(vendor=vendor, country=country).first()
    before = curve.percents if curve else None
    if curve is None:
        curve = RampCurve.objects.create(vendor=vendor, country=country, percents=clean)
    elif curve.percents != clean:
        curve.percents = clean
        curve.save()
    if before != clean:
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.ramp_saved",
            obj=curve,
            changes={"percents": [before, clean], "country": [None, country]},
        )
        targets_ramp_reapply(vendor=vendor)
    return curve


@transaction.atomic
def ramp_curve_delete(*, vendor: Vendor, actor: Membership, curve: RampCurve) -> None:
    """Remove a country's curve (its distributors follow the ``""`` curve); the curve for
    every other market stays."""
    _require(roles.is_vendor_admin(actor))
    if curve.country == "":
        raise ValidationError(_("The curve for every other market cannot be removed."))
    audit_record(
        vendor=vendor,
        actor=actor,
        action="scorecards.ramp_removed",
        obj=curve,
        changes={"percents": [curve.percents, None], "country": [curve.country, None]},
    )
    curve.delete()
    targets_ramp_reapply(vendor=vendor)


def targets_ramp_reapply(*, vendor: Vendor, today: dt.date | None = None) -> int:
    """Apply the current ramp curves again to every target whose period has not ended (earlier
    periods keep the ramp they were scored with). Returns how many targets changed; their
    periods are recomputed."""
    today = today or timezone.localdate()
    fiscal = vendor.fiscal_year_start_month
    curves = ramp_curves(vendor=vendor)
    earliest = periods.quarter_start(today, fiscal)
    targets = list(
        Target.objects.filter(vendor=vendor, period_start__gte=periods.add_months(earliest, -3))
        .select_related("distributor")
        .order_by("pk")
    )
    targets = [t for t in targets if periods.period_end(t.period_kind, t.period_start) >= today]
    activation = distributor_activation_dates(
        vendor=vendor, distributor_ids={t.distributor_id for t in targets}
    )
    changed, touched = [], set()
    for target in targets:
        percent = target_ramp_percent(
            target.distributor,
            target.period_start,
            fiscal,
            curves,
            activated_on=activation.get(target.distributor_id),
        )
        if percent == target.ramp_percent:
            continue
        target.ramp_percent = percent
        target.base = ramped(target.full_base, percent)
        target.stretch = ramped(target.full_stretch, percent)
        target.exceed = ramped(target.full_exceed, percent)
        changed.append(target)
        touched.add((target.period_kind, target.period_start))
    Target.objects.bulk_update(
        changed, ["ramp_percent", "base", "stretch", "exceed"], batch_size=1000
    )
    for kind, start in touched:
        scorecards_recompute_request(vendor_id=vendor.id, period_kind=kind, period_start=start)
    return len(changed)

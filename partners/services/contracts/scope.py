"""The scope of contracts and the overlap rule: the advisory lock, the conflict check and its
message, and the building and saving of scope lines (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Contract, Membership, ProductLine, ScopeLine, Territory, Vendor

# The first key of the two-key advisory lock: "contract scope" (the second is the vendor id).
_SCOPE_LOCK_CLASS = 0x5C0E


@dataclass
class LineSpec:
    """A scope line as asked for: dates default to the contract's (or the amendment's)."""

    territory: Territory
    product_line: ProductLine
    exclusive: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    id: int | None = None
    delete: bool = False

    @classmethod
    def coerce(cls, value) -> LineSpec:
        if isinstance(value, cls):
            return value
        known = {"territory", "product_line", "exclusive", "starts_on", "ends_on", "id", "delete"}
        return cls(**{k: v for k, v in dict(value).items() if k in known})


def _check_can_edit(actor: Membership | None) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers edit contracts."))


def _check_same_vendor(vendor: Vendor, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.vendor_id != vendor.id:
            raise PermissionDenied


def _scope_lock(vendor: Vendor) -> None:
    """Serialise scope writes of one vendor until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SCOPE_LOCK_CLASS, vendor.id])


def _d(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _scope_conflict(line: ScopeLine) -> ScopeLine | None:
    """The first stored line that ``line`` may not coexist with, or None.

    * another distributor's line whose exclusive period overlaps this line's dates;
    * another distributor's line overlapping this line's exclusive period;
    * a line of the same distributor whose exclusive period overlaps this one's (the database
      refuses that too), or a line of the same contract for the same scope and dates.
    """
    same_scope = ScopeLine.objects.filter(
        territory_id=line.territory_id, product_line_id=line.product_line_id
    ).exclude(pk=line.pk)
    overlaps_mine = Q(starts_on__lte=line.ends_on, ends_on__gte=line.starts_on)
    theirs_exclusive_over_mine = Q(
        exclusive_from__isnull=False,
        exclusive_from__lte=line.ends_on,
        ends_on__gte=line.starts_on,
    )
    other = Q(~Q(distributor_id=line.distributor_id) & theirs_exclusive_over_mine)
    same = Q(contract_id=line.contract_id) & overlaps_mine
    if line.exclusive_from is not None:
        overlaps_my_exclusivity = Q(starts_on__lte=line.ends_on, ends_on__gte=line.exclusive_from)
        other |= ~Q(distributor_id=line.distributor_id) & overlaps_my_exclusivity
        same |= Q(
            distributor_id=line.distributor_id,
            exclusive_from__isnull=False,
            exclusive_from__lte=line.ends_on,
            ends_on__gte=line.exclusive_from,
        )
    return (
        same_scope.filter(other | same)
        .select_related("contract", "distributor", "territory", "product_line")
        .order_by("starts_on", "id")
        .first()
    )


def scope_conflict_message(line: ScopeLine, conflict: ScopeLine) -> str:
    """What the person is told: the scope, and the contract and distributor in the way."""
    params = {
        "scope": f"{conflict.territory} × {conflict.product_line}",
        "reference": conflict.contract.reference,
        "distributor": conflict.distributor.name,
        "from": _d(conflict.exclusive_from or conflict.starts_on),
        "until": _d(conflict.ends_on),
    }
    if conflict.distributor_id == line.distributor_id:
        return (
            _(
                "%(scope)s is already in contract %(reference)s of %(distributor)s from "
                "%(from)s to %(until)s."
            )
            % params
        )
    if conflict.is_exclusive:
        return (
            _(
                "%(scope)s is held exclusively by %(distributor)s under contract %(reference)s "
                "from %(from)s to %(until)s."
            )
            % params
        )
    return (
        _(
            "%(scope)s cannot be exclusive: %(distributor)s holds it under contract "
            "%(reference)s from %(from)s to %(until)s."
        )
        % params
    )


def _save_line(line: ScopeLine, *, field: str) -> ScopeLine:
    """Check ``line`` against every other line and save it; refuse with a message naming the
    conflicting contract. Call only while holding ``_scope_lock``."""
    conflict = _scope_conflict(line)
    if conflict is not None:
        raise ValidationError({field: scope_conflict_message(line, conflict)}, code="overlap")
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as exc:
        if "scopeline_no_overlapping_exclusive_scope" not in str(exc):
            raise
        # Only reachable if something wrote without the lock; the message is the same.
        conflict = _scope_conflict(line)
        message = (
            scope_conflict_message(line, conflict)
            if conflict is not None
            else _("Another distributor holds this scope exclusively.")
        )
        raise ValidationError({field: message}, code="overlap") from exc
    return line


def _exclusive_from(contract: Contract, starts_on: dt.date, ends_on: dt.date, field: str):
    """Exclusivity holds from the conditional phase (never during launch)."""
    first = max(starts_on, contract.conditional_starts_on)
    if first > ends_on:
        raise ValidationError(
            {
                field: _(
                    "Exclusivity applies from the conditional phase (%(date)s); this line ends "
                    "before it."
                )
                % {"date": _d(contract.conditional_starts_on)}
            }
        )
    return first


def _build_line(
    *,
    vendor: Vendor,
    contract: Contract,
    spec: LineSpec,
    default_start: dt.date,
    field: str,
    line: ScopeLine | None = None,
) -> ScopeLine:
    if spec.territory is None or spec.product_line is None:
        raise ValidationError({field: _("Choose a territory and a product line.")})
    if spec.territory.vendor_id != vendor.id or spec.product_line.vendor_id != vendor.id:
        raise ValidationError(
            {field: _("Choose a territory and a product line of this workspace.")}
        )
    starts_on = spec.starts_on or default_start
    ends_on = spec.ends_on or contract.ends_on
    if starts_on < contract.starts_on or ends_on > contract.ends_on:
        raise ValidationError(
            {
                field: _("Scope lines must fall within the contract (%(from)s to %(until)s).")
                % {"from": _d(contract.starts_on), "until": _d(contract.ends_on)}
            }
        )
    if ends_on < starts_on:
        raise ValidationError({field: _("A scope line cannot end before it starts.")})
    line = line or ScopeLine(vendor=vendor, contract=contract, distributor=contract.distributor)
    line.territory = spec.territory
    line.product_line = spec.product_line
    line.starts_on = starts_on
    line.ends_on = ends_on
    line.exclusive_from = (
        _exclusive_from(contract, starts_on, ends_on, field) if spec.exclusive else None
    )
    return line


def _line_summary(line: ScopeLine) -> dict | None:
    return {
        "territory": line.territory_id,
        "product_line": line.product_line_id,
        "starts_on": line.starts_on.isoformat(),
        "ends_on": line.ends_on.isoformat(),
        "exclusive_from": line.exclusive_from.isoformat() if line.exclusive_from else None,
    }

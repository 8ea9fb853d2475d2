from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partners import roles
from partners.models import (
    Distributor,
    DistributorProductLine,
    DistributorTerritory,
    Membership,
    ProductLine,
    Role,
    Territory,
    Vendor,
)
from partners.zones import country_default_zone

from .audit import audit_record, changes_between, snapshot

DISTRIBUTOR_FIELDS = ["name", "legal_name", "country", "currency", "time_zone", "language", "owner"]
# Written as through rows (DistributorTerritory / DistributorProductLine), not as fields.
DISTRIBUTOR_LINKS = ["territories", "product_lines"]
OWNER_ROLES = Role.editor_roles()


def _check_can_edit(actor: Membership) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers edit distributors."))


def _check_owner(vendor: Vendor, owner) -> None:
    """The owner is an active vendor admin or channel manager of this workspace."""
    if owner is None:
        return
    ok = Membership.objects.filter(
        vendor=vendor, pk=getattr(owner, "pk", owner), is_active=True, role__in=OWNER_ROLES
    ).exists()
    if not ok:
        raise ValidationError(
            {"owner": _("Choose an active vendor admin or channel manager of this workspace.")}
        )


def _link_ids(vendor: Vendor, model, values, field: str) -> list[int] | None:
    """The ids of ``values`` (objects or ids), all of which must belong to this vendor."""
    if values is None:
        return None
    ids = sorted({getattr(v, "pk", v) for v in values})
    found = set(model.objects.filter(vendor=vendor, pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationError({field: _("Choose from this workspace's list.")})
    return ids


def _write_links(vendor: Vendor, distributor: Distributor, territory_ids, product_line_ids) -> dict:
    """Replace the distributor's territories and product lines; return what changed."""
    changes: dict = {}
    for ids, through, key, name in (
        (territory_ids, DistributorTerritory, "territory_id", "territories"),
        (product_line_ids, DistributorProductLine, "product_line_id", "product_lines"),
    ):
        if ids is None:
            continue
        rows = through.objects.filter(vendor=vendor, distributor=distributor)
        before = sorted(rows.values_list(key, flat=True))
        if before == ids:
            continue
        rows.exclude(**{f"{key}__in": ids}).delete()
        through.objects.bulk_create(
            [
                through(vendor=vendor, distributor=distributor, **{key: pk})  # type: ignore[misc]
                for pk in sorted(set(ids) - set(before))
            ]
        )
        changes[name] = [before, ids]
    return changes


def _save(distributor: Distributor) -> None:
    distributor.full_clean(
        exclude=["vendor", "owner"], validate_unique=False, validate_constraints=False
    )
    if (
        Distributor.objects.filter(name__iexact=distributor.name)
        .exclude(pk=distributor.pk)
        .exists()
    ):
        raise ValidationError({"name": _("Another distributor already has this name.")})
    try:
        with transaction.atomic():
            distributor.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("Another distributor already has this name.")}) from exc


def distributor_create(
    *,
    vendor: Vendor,
    actor: Membership,
    territories=None,
    product_lines=None,
    **fields,
) -> Distributor:
    """Add a distributor to the workspace (as a prospect; its status changes only through
    ``profile.distributor_status_change``). ``territories`` and ``product_lines`` are this
    vendor's objects or their ids. Without a ``time_zone``, the country's usual one."""
    _check_can_edit(actor)
    unknown = set(fields) - set(DISTRIBUTOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown distributor fields: {sorted(unknown)}")
    _check_owner(vendor, fields.get("owner"))
    territory_ids = _link_ids(vendor, Territory, territories, "territories")
    product_line_ids = _link_ids(vendor, ProductLine, product_lines, "product_lines")
    if not fields.get("time_zone"):
        fields["time_zone"] = country_default_zone(fields.get("country")) or ""
    distributor = Distributor(vendor=vendor, **fields)
    with transaction.atomic():
        _save(distributor)
        changes = changes_between({}, snapshot(distributor, DISTRIBUTOR_FIELDS))
        changes.update(_write_links(vendor, distributor, territory_ids, product_line_ids))
        audit_record(
            vendor=vendor,
            actor=actor,
            action="distributor.create",
            obj=distributor,
            changes=changes,
        )
    return distributor


def distributor_update(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    territories=None,
    product_lines=None,
    **fields,
) -> Distributor:
    """Change a distributor's profile; only the fields given change (``territories`` and
    ``product_lines``, when given, replace the current lists). The status is not a field here:
    see ``profile.distributor_status_change``."""
    _check_can_edit(actor)
    if distributor.vendor_id != vendor.id:
        raise PermissionDenied
    unknown = set(fields) - set(DISTRIBUTOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown distributor fields: {sorted(unknown)}")
    if "owner" in fields:
        _check_owner(vendor, fields["owner"])
    territory_ids = _link_ids(vendor, Territory, territories, "territories")
    product_line_ids = _link_ids(vendor, ProductLine, product_lines, "product_lines")
    with transaction.atomic():
        # "Before" is what is stored, not the instance: a ModelForm has already copied the new
        # values onto the instance it was given.
        stored = Distributor.objects.select_for_update().get(pk=distributor.pk)
        before = snapshot(stored, DISTRIBUTOR_FIELDS)
        for name, value in fields.items():
            setattr(distributor, name, value)
        if "time_zone" in fields and not fields["time_zone"]:
            distributor.time_zone = country_default_zone(distributor.country) or ""
        _save(distributor)
        changes = changes_between(before, snapshot(distributor, DISTRIBUTOR_FIELDS))
        changes.update(_write_links(vendor, distributor, territory_ids, product_line_ids))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="distributor.update",
                obj=distributor,
                changes=changes,
            )
    return distributor

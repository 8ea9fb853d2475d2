from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partners.models import Distributor, Membership, Vendor

from .audit import audit_record, changes_between, snapshot

DISTRIBUTOR_FIELDS = ["name", "country", "currency", "time_zone", "language"]


def _check_can_edit(actor: Membership) -> None:
    if actor is None or not actor.can_edit_distributors:
        raise PermissionDenied(_("Only vendor admins and channel managers edit distributors."))


def _save(distributor: Distributor) -> None:
    distributor.full_clean(exclude=["vendor"], validate_unique=False, validate_constraints=False)
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


def distributor_create(*, vendor: Vendor, actor: Membership, **fields) -> Distributor:
    """Add a distributor to the workspace."""
    _check_can_edit(actor)
    unknown = set(fields) - set(DISTRIBUTOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown distributor fields: {sorted(unknown)}")
    distributor = Distributor(vendor=vendor, **fields)
    with transaction.atomic():
        _save(distributor)
        audit_record(
            vendor=vendor,
            actor=actor,
            action="distributor.create",
            obj=distributor,
            changes=changes_between({}, snapshot(distributor, DISTRIBUTOR_FIELDS)),
        )
    return distributor


def distributor_update(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **fields
) -> Distributor:
    """Change a distributor's profile; only the fields given change."""
    _check_can_edit(actor)
    if distributor.vendor_id != vendor.id:
        raise PermissionDenied
    unknown = set(fields) - set(DISTRIBUTOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown distributor fields: {sorted(unknown)}")
    with transaction.atomic():
        # "Before" is what is stored, not the instance: a ModelForm has already copied the new
        # values onto the instance it was given.
        stored = Distributor.objects.select_for_update().get(pk=distributor.pk)
        before = snapshot(stored, DISTRIBUTOR_FIELDS)
        for name, value in fields.items():
            setattr(distributor, name, value)
        _save(distributor)
        changes = changes_between(before, snapshot(distributor, DISTRIBUTOR_FIELDS))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="distributor.update",
                obj=distributor,
                changes=changes,
            )
    return distributor

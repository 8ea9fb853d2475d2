"""Distributor profiles: contacts, the other brands a distributor carries, the vendor's
catalogue (territories and product lines), and status changes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import (
    CarriedBrand,
    Distributor,
    DistributorContact,
    DistributorStatus,
    DistributorStatusChange,
    Membership,
    ProductLine,
    Territory,
    Vendor,
)
from partners.rules import STATUS_TRANSITIONS

from .audit import audit_record, changes_between, snapshot
from .launch import launch_checklist_ensure
from .selection import selection_gate_check

CONTACT_FIELDS = ["name", "role", "title", "email", "phone", "is_active"]
PRODUCT_LINE_FIELDS = ["name", "name_ja", "code", "description", "is_active"]
TERRITORY_FIELDS = ["name", "name_ja", "country", "description"]
CARRIED_BRAND_FIELDS = ["brand", "category", "competes", "note"]

S = DistributorStatus
# Leaving "prospect" for these needs the selection gate; dropping a prospect
# (prospect -> terminated) is how a rejected prospect is closed, so it does not.
GATED_FROM_PROSPECT = (S.ONBOARDING, S.ACTIVE)


def _check_same_vendor(vendor: Vendor, *objs) -> None:
    for obj in objs:
        if obj.vendor_id != vendor.id:
            raise PermissionDenied


def _check_can_edit(actor: Membership) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers may do this."))


def _unknown(fields: dict, allowed: list[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


# --- contacts --------------------------------------------------------------------------------


def _check_can_edit_contacts(actor: Membership, distributor: Distributor) -> None:
    """Vendor admins and channel managers edit every distributor's contacts; a distributor
    admin edits its own distributor's."""
    if not roles.can_edit_distributor_records(actor, distributor.pk):
        raise PermissionDenied(_("You may not edit this distributor's contacts."))


def contact_create(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **fields
) -> DistributorContact:
    """Add a contact person to a distributor."""
    _check_can_edit_contacts(actor, distributor)
    if distributor.vendor_id != vendor.id:
        raise PermissionDenied
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    contact = DistributorContact(vendor=vendor, distributor=distributor, **fields)
    contact.full_clean(exclude=["vendor", "distributor", "membership"])
    with transaction.atomic():
        contact.save()
        audit_record(
            vendor=vendor,
            actor=actor,
            action="contact.create",
            obj=contact,
            changes=changes_between({}, snapshot(contact, CONTACT_FIELDS)),
        )
    return contact


def contact_update(
    *, vendor: Vendor, actor: Membership, contact: DistributorContact, **fields
) -> DistributorContact:
    """Change a contact's details; only the fields given change. The distributor stays."""
    _check_same_vendor(vendor, contact)
    _check_can_edit_contacts(actor, contact.distributor)
    _unknown(fields, CONTACT_FIELDS, "contact")
    with transaction.atomic():
        stored = DistributorContact.objects.select_for_update().get(pk=contact.pk)
        before = snapshot(stored, CONTACT_FIELDS)
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.full_clean(exclude=["vendor", "distributor", "membership"])
        contact.save()
        changes = changes_between(before, snapshot(contact, CONTACT_FIELDS))
        if changes:
            audit_record(
                vendor=vendor, actor=actor, action="contact.update", obj=contact, changes=changes
            )
    return contact


def contact_set_active(
    *, vendor: Vendor, actor: Membership, contact: DistributorContact, active: bool
) -> DistributorContact:
    """Deactivate a contact who left (kept for history), or bring one back."""
    return contact_update(vendor=vendor, actor=actor, contact=contact, is_active=active)


# --- carried brands --------------------------------------------------------------------------


def carried_brand_add(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **fields
) -> CarriedBrand:
    """Record another brand the distributor carries (``competes`` marks a conflict)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, distributor)
    _unknown(fields, CARRIED_BRAND_FIELDS, "carried brand")
    brand = CarriedBrand(vendor=vendor, distributor=distributor, **fields)
    brand.brand = (brand.brand or "").strip()
    brand.full_clean(exclude=["vendor", "distributor"], validate_constraints=False)
    duplicate = _("This distributor already has this brand.")
    if CarriedBrand.objects.filter(distributor=distributor, brand__iexact=brand.brand).exists():
        raise ValidationError({"brand": duplicate})
    try:
        with transaction.atomic():
            brand.save()
            audit_record(
                vendor=vendor,
                actor=actor,
                action="carried_brand.add",
                obj=brand,
                changes=changes_between({}, snapshot(brand, CARRIED_BRAND_FIELDS)),
            )
    except IntegrityError as exc:
        raise ValidationError({"brand": duplicate}) from exc
    return brand


def carried_brand_remove(*, vendor: Vendor, actor: Membership, brand: CarriedBrand) -> None:
    """Remove a brand the distributor no longer carries (the audit log keeps what it was)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, brand)
    with transaction.atomic():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="carried_brand.remove",
            obj=brand,
            changes={
                k: [v, None]
                for k, v in snapshot(brand, ["distributor", *CARRIED_BRAND_FIELDS]).items()
            },
        )
        brand.delete()


# --- catalogue -------------------------------------------------------------------------------


def _catalogue_save(obj, *, vendor, actor, action, fields, before) -> None:
    model = type(obj)
    obj.name = (obj.name or "").strip()
    obj.full_clean(exclude=["vendor"], validate_unique=False, validate_constraints=False)
    duplicate = _("This name is already in use.")
    if model.objects.filter(vendor=vendor, name__iexact=obj.name).exclude(pk=obj.pk).exists():
        raise ValidationError({"name": duplicate})
    try:
        with transaction.atomic():
            obj.save()
            changes = changes_between(before, snapshot(obj, fields))
            if changes:
                audit_record(vendor=vendor, actor=actor, action=action, obj=obj, changes=changes)
    except IntegrityError as exc:
        raise ValidationError({"name": duplicate}) from exc


def product_line_create(*, vendor: Vendor, actor: Membership, **fields) -> ProductLine:
    """Add a product line to the vendor's catalogue."""
    _check_can_edit(actor)
    _unknown(fields, PRODUCT_LINE_FIELDS, "product line")
    line = ProductLine(vendor=vendor, **fields)
    _catalogue_save(
        line,
        vendor=vendor,
        actor=actor,
        action="product_line.create",
        fields=PRODUCT_LINE_FIELDS,
        before={},
    )
    return line


def product_line_update(
    *, vendor: Vendor, actor: Membership, product_line: ProductLine, **fields
) -> ProductLine:
    """Rename, describe or retire a product line (retired lines stay on old records)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, product_line)
    _unknown(fields, PRODUCT_LINE_FIELDS, "product line")
    with transaction.atomic():
        before = snapshot(
            ProductLine.objects.select_for_update().get(pk=product_line.pk), PRODUCT_LINE_FIELDS
        )
        for name, value in fields.items():
            setattr(product_line, name, value)
        _catalogue_save(
            product_line,
            vendor=vendor,
            actor=actor,
            action="product_line.update",
            fields=PRODUCT_LINE_FIELDS,
            before=before,
        )
    return product_line


def territory_create(*, vendor: Vendor, actor: Membership, **fields) -> Territory:
    """Add a sales territory (a country or a region of one) to the vendor's catalogue."""
    _check_can_edit(actor)
    _unknown(fields, TERRITORY_FIELDS, "territory")
    territory = Territory(vendor=vendor, **fields)
    _catalogue_save(
        territory,
        vendor=vendor,
        actor=actor,
        action="territory.create",
        fields=TERRITORY_FIELDS,
        before={},
    )
    return territory


def territory_update(
    *, vendor: Vendor, actor: Membership, territory: Territory, **fields
) -> Territory:
    """Rename or describe a territory."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, territory)
    _unknown(fields, TERRITORY_FIELDS, "territory")
    with transaction.atomic():
        before = snapshot(
            Territory.objects.select_for_update().get(pk=territory.pk), TERRITORY_FIELDS
        )
        for name, value in fields.items():
            setattr(territory, name, value)
        _catalogue_save(
            territory,
            vendor=vendor,
            actor=actor,
            action="territory.update",
            fields=TERRITORY_FIELDS,
            before=before,
        )
    return territory


# --- status ----------------------------------------------------------------------------------


def distributor_status_change(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    to_status: str,
    effective_on: dt.date | None,
    reason: str,
) -> DistributorStatusChange:
    """Move a distributor to another status, from a date, for a written reason.

    Only the transitions in ``STATUS_TRANSITIONS`` are allowed. A prospect becomes onboarding
    or active only when its selection checklist clears (``selection_gate_check``). The first
    time a distributor goes active its 30-day launch checklist is created, starting on
    ``effective_on``. Writes the history row, ``status_changed_on`` and an audit event."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, distributor)
    reason = (reason or "").strip()
    with transaction.atomic():
        stored = Distributor.objects.select_for_update().get(pk=distributor.pk)
        from_status = stored.status
        errors: dict[str, str] = {}
        if to_status not in STATUS_TRANSITIONS.get(from_status, ()):
            if from_status == S.TERMINATED:
                errors["to_status"] = _("A terminated distributor cannot change status.")
            else:
                errors["to_status"] = _("%(from)s cannot change to %(to)s.") % {
                    "from": S(from_status).label,
                    "to": S(to_status).label if to_status in S.values else to_status,
                }
        if not reason:
            errors["reason"] = _("Say why the status changes.")
        if effective_on is None:
            errors["effective_on"] = _("Give the date the change takes effect.")
        elif stored.status_changed_on and effective_on < stored.status_changed_on:
            errors["effective_on"] = _(
                "The current status has applied since %(date)s; the change cannot be earlier."
            ) % {"date": stored.status_changed_on.isoformat()}
        if errors or effective_on is None:
            raise ValidationError(errors)
        if from_status == S.PROSPECT and to_status in GATED_FROM_PROSPECT:
            try:
                selection_gate_check(distributor=stored)
            except ValidationError as exc:
                raise ValidationError({"to_status": exc.messages}) from exc
        first_activation = (
            to_status == S.ACTIVE
            and not DistributorStatusChange.objects.filter(
                distributor=stored, to_status=S.ACTIVE
            ).exists()
        )
        change = DistributorStatusChange.objects.create(
            vendor=vendor,
            distributor=stored,
            from_status=from_status,
            to_status=to_status,
            effective_on=effective_on,
            reason=reason,
            changed_by=actor.user,
        )
        Distributor.objects.filter(pk=stored.pk).update(
            status=to_status, status_changed_on=effective_on, updated_at=timezone.now()
        )
        distributor.status = to_status
        distributor.status_changed_on = effective_on
        audit_record(
            vendor=vendor,
            actor=actor,
            action="distributor.status_change",
            obj=distributor,
            changes={
                "status": [from_status, to_status],
                "effective_on": [None, effective_on.isoformat()],
                "reason": [None, reason],
            },
        )
        if first_activation:
            launch_checklist_ensure(
                vendor=vendor, actor=actor, distributor=distributor, start_date=effective_on
            )
    return change

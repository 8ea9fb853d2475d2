"""Distributor profiles: contacts, the other brands a distributor carries, territories and
product lines, and status changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Distributor, DistributorContact, Membership, Role, Vendor

from .audit import audit_record, changes_between, snapshot

CONTACT_FIELDS = ["name", "role", "title", "email", "phone", "is_active"]


def _check_can_edit_contacts(actor: Membership, distributor: Distributor) -> None:
    """Vendor admins and channel managers edit every distributor's contacts; a distributor
    admin edits its own distributor's."""
    if actor is None:
        raise PermissionDenied
    if actor.can_edit_distributors:
        return
    if actor.role == Role.DISTRIBUTOR_ADMIN and actor.distributor_id == distributor.pk:
        return
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

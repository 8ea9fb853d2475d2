"""Reads for distributor profiles, the vendor's catalogue, contacts, carried brands, status
history and partner selection. Every selector takes ``vendor`` and ``actor``; an object the
actor may not reach is a 404, exactly like a missing one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from partners import roles
from partners.models import (
    CarriedBrand,
    Distributor,
    DistributorContact,
    DistributorStatusChange,
    Membership,
    ProductLine,
    Role,
    SelectionChecklist,
    Territory,
    Vendor,
)
from partners.rules import selection_missing_checks, status_choices_for
from partners.selectors import distributor_list_for_actor
from partners.selectors.enablement import with_training_coverage


def selection_for(*, vendor: Vendor, distributor: Distributor) -> SelectionChecklist:
    """The distributor's checklist, or an unsaved empty one (reading never writes)."""
    return SelectionChecklist.objects.filter(vendor=vendor, distributor=distributor).first() or (
        SelectionChecklist(vendor=vendor, distributor=distributor)
    )


# --- catalogue -------------------------------------------------------------------------------


def product_line_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[ProductLine]:
    """The vendor's product lines; a distributor's people reach only the lines their own
    distributor sells (the whole catalogue is the vendor's business)."""
    qs = ProductLine.objects.filter(vendor=vendor)
    if actor.is_distributor_role:
        qs = qs.filter(distributor_links__distributor_id=actor.own_distributor_id).distinct()
    return qs


def product_line_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ProductLine:
    return get_object_or_404(product_line_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def territory_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[Territory]:
    """The vendor's territories; a distributor's people reach only their own distributor's."""
    qs = Territory.objects.filter(vendor=vendor)
    if actor.is_distributor_role:
        qs = qs.filter(distributor_links__distributor_id=actor.own_distributor_id).distinct()
    return qs


def territory_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Territory:
    return get_object_or_404(territory_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def territory_choices(*, vendor: Vendor, actor: Membership) -> QuerySet[Territory]:
    """Territories a distributor's profile may name (this vendor's only)."""
    return territory_list_for_actor(vendor=vendor, actor=actor)


def product_line_choices(*, vendor: Vendor, actor: Membership) -> QuerySet[ProductLine]:
    """Product lines a distributor's profile may name: this vendor's (retired ones too, so
    that editing a profile that still names one does not drop it)."""
    return product_line_list_for_actor(vendor=vendor, actor=actor)


def owner_choices(*, vendor: Vendor, actor: Membership) -> QuerySet[Membership]:
    """Who may own a distributor relationship: active vendor admins and channel managers of
    this workspace."""
    return (
        Membership.objects.filter(
            vendor=vendor,
            is_active=True,
            role__in=Role.editor_roles(),
        )
        .select_related("user")
        .order_by("user__full_name", "id")
    )


# --- contacts and carried brands -------------------------------------------------------------


def contact_list_for_actor(
    *, vendor: Vendor, actor: Membership, distributor_id=None, active: bool | None = None
) -> QuerySet[DistributorContact]:
    """Contacts of the distributors the person reaches."""
    reachable = distributor_list_for_actor(vendor=vendor, actor=actor)
    qs = DistributorContact.objects.filter(vendor=vendor, distributor__in=reachable).select_related(
        "distributor"
    )
    if distributor_id is not None:
        qs = qs.filter(distributor_id=distributor_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def contact_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> DistributorContact:
    return get_object_or_404(contact_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def carried_brand_list_for_actor(
    *, vendor: Vendor, actor: Membership, distributor_id=None
) -> QuerySet[CarriedBrand]:
    """Other brands carried by the distributors the person reaches."""
    reachable = distributor_list_for_actor(vendor=vendor, actor=actor)
    qs = CarriedBrand.objects.filter(vendor=vendor, distributor__in=reachable).select_related(
        "distributor"
    )
    if distributor_id is not None:
        qs = qs.filter(distributor_id=distributor_id)
    return qs


def carried_brand_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> CarriedBrand:
    return get_object_or_404(carried_brand_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def status_change_list_for_actor(
    *, vendor: Vendor, actor: Membership, distributor_id=None
) -> QuerySet[DistributorStatusChange]:
    """Status changes of every distributor, newest first, for vendor staff (the reasons are
    the vendor's internal notes; distributor roles get an empty list)."""
    if not actor.is_staff_role:
        return DistributorStatusChange.objects.none()
    qs = DistributorStatusChange.objects.filter(vendor=vendor).select_related(
        "changed_by", "distributor"
    )
    if distributor_id is not None:
        qs = qs.filter(distributor_id=distributor_id)
    return qs


def status_history_for_actor(
    *, vendor: Vendor, actor: Membership, distributor: Distributor
) -> QuerySet[DistributorStatusChange]:
    """A distributor's status changes, newest first. The reasons are the vendor's internal
    notes: vendor staff only (an empty list for distributor roles)."""
    if not actor.is_staff_role:
        return DistributorStatusChange.objects.none()
    return DistributorStatusChange.objects.filter(
        vendor=vendor, distributor=distributor
    ).select_related("changed_by")


# --- selection -------------------------------------------------------------------------------


def selection_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, distributor_pk):
    """(distributor, checklist) for the selection page: 404 for a distributor out of reach,
    then PermissionDenied for distributor roles. The checklist may be unsaved (not started)."""
    distributor = get_object_or_404(
        distributor_list_for_actor(vendor=vendor, actor=actor), pk=distributor_pk
    )
    if not roles.is_staff_reader(actor):
        raise PermissionDenied
    return distributor, selection_for(vendor=vendor, distributor=distributor)


def selection_page_context(*, vendor: Vendor, actor: Membership, distributor, selection) -> dict:
    """What the selection page shows besides the form: the competing brands it carries and the
    checks still open."""
    brands = carried_brand_list_for_actor(vendor=vendor, actor=actor, distributor_id=distributor.pk)
    return {
        "competing_brands": [b for b in brands if b.competes],
        "other_brands": [b for b in brands if not b.competes],
        "missing_checks": selection_missing_checks(selection),
    }


# --- the panel on the distributor page -------------------------------------------------------


def distributor_page_get_for_actor_or_404(*, vendor, actor, pk) -> Distributor:
    """The distributor of its page, read once with what the page's panels show of it: its
    owner, territories and product lines (the profile panel) and its training coverage (the
    enablement panel). A distributor the person does not reach is a 404."""
    qs = (
        distributor_list_for_actor(vendor=vendor, actor=actor)
        .select_related("owner__user")
        .prefetch_related(
            Prefetch("territories", queryset=Territory.objects.filter(vendor=vendor)),
            Prefetch("product_lines", queryset=ProductLine.objects.filter(vendor=vendor)),
        )
    )
    return get_object_or_404(with_training_coverage(qs), pk=pk)


def distributor_profile_panel(*, vendor, actor, distributor) -> dict:
    """Context for the profile panel of the distributor page
    (templates/partners/distributor/_profile.html): names, owner, territories, product lines,
    contacts, carried brands, status with its history, and (for vendor staff) where selection
    stands. ``distributor`` as ``distributor_page_get_for_actor_or_404`` reads it (owner,
    territories and product lines come with it)."""
    d = distributor
    contacts = contact_list_for_actor(vendor=vendor, actor=actor, distributor_id=distributor.pk)
    if not roles.can_edit_distributor_records(actor, distributor.pk):
        contacts = contacts.filter(is_active=True)
    brands = list(
        carried_brand_list_for_actor(vendor=vendor, actor=actor, distributor_id=distributor.pk)
    )
    context = {
        "profile": d,
        "profile_territories": list(d.territories.all()),
        "profile_product_lines": list(d.product_lines.all()),
        "profile_contacts": list(contacts),
        "profile_can_edit_contacts": roles.can_edit_distributor_records(actor, distributor.pk),
        "profile_can_edit": roles.is_editor(actor),
        "profile_brands": sorted(brands, key=lambda b: (not b.competes, b.brand.lower())),
        "profile_competing_brands": [b for b in brands if b.competes],
        "profile_status_history": list(
            status_history_for_actor(vendor=vendor, actor=actor, distributor=distributor)[:20]
        ),
        "profile_next_statuses": status_choices_for(d) if roles.is_editor(actor) else [],
        "profile_selection": None,
    }
    if roles.is_staff_reader(actor):
        selection = selection_for(vendor=vendor, distributor=distributor)
        context["profile_selection"] = selection
        context["profile_selection_missing"] = selection_missing_checks(selection)
    return context

"""The role vocabulary: who may do what, named once for every app.

Views (their ``@requires`` gates), the API's permission classes, services' ``_check_*`` and the
selectors' page flags all ask these predicates; none compares role strings of its own. Each
predicate takes the person's ``Membership`` (or ``None``: nobody, who may do nothing) and is
false for a deactivated membership.

Two kinds live here: the role facts (``is_vendor_admin``, ``is_staff_reader`` ...) and the few
rules that also depend on which distributor is meant (``can_edit_distributor_records``,
``can_manage_feed``). Rules about an object's state (which plan action's status a person may
set, which status a distributor may move to) stay in their app's ``rules``/``permissions``
module. ``tests/test_roles.py`` holds the whole table, role by role.
"""

from __future__ import annotations

from typing import TypeGuard

from partners.models.accounts import Membership, Role


def _active(actor: Membership | None) -> TypeGuard[Membership]:
    return actor is not None and actor.is_active


def is_member(actor: Membership | None) -> TypeGuard[Membership]:
    """Any active member of the workspace: reads what their reach allows (sales data, for
    example; a distributor's people only their own)."""
    return _active(actor)


def is_vendor_admin(actor: Membership | None) -> TypeGuard[Membership]:
    """A vendor admin: shapes the workspace (catalogue, templates, settings, launch template,
    reporting calendar), overrides verdicts and selection, reads the audit trail."""
    return _active(actor) and actor.is_vendor_admin


def is_channel_manager(actor: Membership | None) -> TypeGuard[Membership]:
    """A channel manager: an editor whose pages default to the distributors they own."""
    return _active(actor) and actor.is_channel_manager


def is_editor(actor: Membership | None) -> TypeGuard[Membership]:
    """Vendor admins and channel managers: edit distributors, contracts, enablement and
    targets; review reports; open and manage corrective plans; invite people; record QBRs."""
    return _active(actor) and actor.can_edit_distributors


def is_staff_reader(actor: Membership | None) -> TypeGuard[Membership]:
    """Vendor staff (admins, channel managers, executives): read every distributor's data
    (scorecards, needs attention, plans, verdicts, setup pages, selection, exports)."""
    return _active(actor) and actor.is_staff_role


def is_distributor_admin(actor: Membership | None) -> TypeGuard[Membership]:
    """A distributor's admin: besides what its people do, keeps its own contacts, launch
    items and calendar feed."""
    return _active(actor) and actor.is_distributor_admin


def is_distributor_person(actor: Membership | None) -> TypeGuard[Membership]:
    """Someone of a distributor (admin or user): reaches only that distributor's data."""
    return _active(actor) and actor.is_distributor_role


def is_contributor(actor: Membership | None) -> TypeGuard[Membership]:
    """Editors and a distributor's people: those who send data (sales uploads) and work on
    plan actions. Executives only read."""
    return is_editor(actor) or is_distributor_person(actor)


def can_grant_role(actor: Membership | None, role: str) -> bool:
    """Editors invite people; only a vendor admin makes someone a vendor admin."""
    return is_editor(actor) and (role != Role.VENDOR_ADMIN or is_vendor_admin(actor))


def can_edit_distributor_records(
    actor: Membership | None, distributor_id: int | None = None
) -> bool:
    """Contacts and launch-checklist ticks: editors for any distributor, a distributor admin
    for its own. Without ``distributor_id``: whether the person may do so for some
    distributor (the role gate before the object is loaded)."""
    if is_editor(actor):
        return True
    return is_distributor_admin(actor) and (
        distributor_id is None or actor.distributor_id == distributor_id
    )


def can_manage_feed(actor: Membership | None, distributor_id: int | None = None) -> bool:
    """A distributor's calendar feed of due dates: vendor staff for any distributor, a
    distributor admin for its own. Without ``distributor_id``: for some distributor."""
    if is_staff_reader(actor):
        return True
    return is_distributor_admin(actor) and (
        distributor_id is None or actor.distributor_id == distributor_id
    )

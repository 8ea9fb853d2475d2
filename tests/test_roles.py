"""The role table: for every role and every predicate of ``partners/roles.py``, the expected
answer. A predicate that drifts, a new role or a new predicate without a row fails here.

The memberships are unsaved: the predicates read the role, the distributor and ``is_active``
only, so the table needs no database."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from partners import roles
from partners.models import Membership, Role
from scorecards import permissions as plan_permissions
from scorecards.models import CorrectivePlan, PlanAction

OWN = 7  # the distributor a distributor role belongs to
OTHER = 8

VA, CM, EX = Role.VENDOR_ADMIN, Role.CHANNEL_MANAGER, Role.EXECUTIVE
DA, DU = Role.DISTRIBUTOR_ADMIN, Role.DISTRIBUTOR_USER

# predicate name -> (how to call it on a membership, the roles for which it holds)
TABLE = {
    "is_member": (roles.is_member, {VA, CM, EX, DA, DU}),
    "is_vendor_admin": (roles.is_vendor_admin, {VA}),
    "is_channel_manager": (roles.is_channel_manager, {CM}),
    "is_editor": (roles.is_editor, {VA, CM}),
    "is_staff_reader": (roles.is_staff_reader, {VA, CM, EX}),
    "is_distributor_admin": (roles.is_distributor_admin, {DA}),
    "is_distributor_person": (roles.is_distributor_person, {DA, DU}),
    "is_contributor": (roles.is_contributor, {VA, CM, DA, DU}),
    "can_grant_role(vendor admin)": (lambda m: roles.can_grant_role(m, VA), {VA}),
    "can_grant_role(channel manager)": (lambda m: roles.can_grant_role(m, CM), {VA, CM}),
    "can_grant_role(distributor user)": (lambda m: roles.can_grant_role(m, DU), {VA, CM}),
    "can_edit_distributor_records(own)": (
        lambda m: roles.can_edit_distributor_records(m, OWN),
        {VA, CM, DA},
    ),
    "can_edit_distributor_records(other)": (
        lambda m: roles.can_edit_distributor_records(m, OTHER),
        {VA, CM},
    ),
    "can_edit_distributor_records(some)": (roles.can_edit_distributor_records, {VA, CM, DA}),
    "can_manage_feed(own)": (lambda m: roles.can_manage_feed(m, OWN), {VA, CM, EX, DA}),
    "can_manage_feed(other)": (lambda m: roles.can_manage_feed(m, OTHER), {VA, CM, EX}),
    "can_manage_feed(some)": (roles.can_manage_feed, {VA, CM, EX, DA}),
    "may_set_status(own action)": (
        lambda m: plan_permissions.may_set_status(m, _action(owner=m, distributor_id=OWN)),
        {VA, CM, DA, DU},
    ),
    "may_set_status(someone else's action)": (
        lambda m: plan_permissions.may_set_status(m, _action(owner=None, distributor_id=OWN)),
        {VA, CM},
    ),
    "may_set_status(own action, other distributor)": (
        lambda m: plan_permissions.may_set_status(m, _action(owner=m, distributor_id=OTHER)),
        {VA, CM},
    ),
}

# The Membership properties templates read, and the predicate each must agree with.
PROPERTIES = {
    "is_staff_role": roles.is_staff_reader,
    "is_distributor_role": roles.is_distributor_person,
    "can_edit_distributors": roles.is_editor,
    "is_vendor_admin": roles.is_vendor_admin,
    "is_channel_manager": roles.is_channel_manager,
    "is_distributor_admin": roles.is_distributor_admin,
}


def _membership(role: str, *, is_active: bool = True) -> Membership:
    distributor_id = OWN if role in Role.distributor_roles() else None
    return Membership(pk=100, role=role, distributor_id=distributor_id, is_active=is_active)


def _action(*, owner: Membership | None, distributor_id: int) -> PlanAction:
    plan = CorrectivePlan(pk=1, distributor_id=distributor_id)
    return PlanAction(pk=1, plan=plan, owner_id=owner.pk if owner is not None else 999)


CASES = [(name, role) for name in TABLE for role in Role.values]


@pytest.mark.parametrize(("predicate", "role"), CASES)
def test_role_table(predicate, role):
    call, holds_for = TABLE[predicate]
    assert call(_membership(role)) is (role in holds_for)


@pytest.mark.parametrize(("predicate", "role"), CASES)
def test_a_deactivated_membership_may_do_nothing(predicate, role):
    call, _holds_for = TABLE[predicate]
    assert call(_membership(role, is_active=False)) is False


@pytest.mark.parametrize("predicate", TABLE)
def test_nobody_may_do_nothing(predicate):
    call, _holds_for = TABLE[predicate]
    if predicate.startswith("may_set_status"):
        assert (
            plan_permissions.may_set_status(None, _action(owner=None, distributor_id=OWN)) is False
        )
    else:
        assert call(None) is False


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("prop", PROPERTIES)
def test_the_membership_properties_templates_read_agree_with_the_predicates(prop, role):
    membership = _membership(role)
    assert getattr(membership, prop) is PROPERTIES[prop](membership)


def test_every_predicate_of_the_module_has_rows_in_the_table():
    public = {
        name
        for name, obj in inspect.getmembers(roles, inspect.isfunction)
        if obj.__module__ == roles.__name__ and not name.startswith("_")
    }
    named = {name.split("(")[0] for name in TABLE}
    assert public <= named, f"add rows to TABLE for {sorted(public - named)}"


def test_the_role_sets_partition_the_roles():
    """Staff and distributor roles cover every role once; editors are staff."""
    assert Role.staff_roles() | Role.distributor_roles() == set(Role.values)
    assert not Role.staff_roles() & Role.distributor_roles()
    assert Role.editor_roles() < Role.staff_roles()


APP_DIRS = ("partners", "reporting", "scorecards", "incentives", "qbr", "config", "templates")
ROLE_LITERAL = re.compile("[\"'](" + "|".join(Role.values) + ")[\"']")


def test_no_role_string_literals_outside_the_role_enum():
    """Code and templates name roles through ``Role`` and the predicates, never as strings."""
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for top in APP_DIRS:
        for path in (root / top).rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            if path == root / "partners" / "models" / "accounts.py":
                continue  # the enum itself
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ROLE_LITERAL.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []

"""Services called directly: the rules they enforce and the audit trail they leave."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partners.models import AuditEvent, Distributor, Invitation, Membership, Vendor
from partners.services import members as member_services
from partners.services.distributors import distributor_create, distributor_update
from partners.services.tokens import api_token_create, api_token_revoke
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    in_scope,
)

pytestmark = pytest.mark.django_db

FIELDS = {"country": "VN", "currency": "VND", "time_zone": "Asia/Ho_Chi_Minh", "language": "en"}


def audit_actions(tenant) -> list[str]:
    with in_scope(tenant):
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_update_audits_what_changed_even_when_the_instance_was_already_changed(world):
    """A ModelForm copies the new values onto the instance before the service runs: the audit
    must still record the stored value as "before"."""
    with in_scope(world.a):
        distributor = Distributor.objects.get(pk=world.a.d1.pk)
        distributor.name = "Sakura Trading KK"  # what form.is_valid() does
        distributor_update(
            vendor=world.a.vendor,
            actor=world.a.member(VENDOR_ADMIN),
            distributor=distributor,
            name="Sakura Trading KK",
        )
        event = AuditEvent.objects.get(action="distributor.update")
    assert event.changes == {"name": ["Sakura Trading", "Sakura Trading KK"]}


def test_update_without_a_change_records_nothing(world):
    with in_scope(world.a):
        distributor_update(
            vendor=world.a.vendor,
            actor=world.a.member(VENDOR_ADMIN),
            distributor=world.a.d1,
            name="Sakura Trading",
        )
    assert "distributor.update" not in audit_actions(world.a)


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_only_admins_and_channel_managers_write_distributors(world, role):
    with in_scope(world.a), pytest.raises(PermissionDenied):
        distributor_create(
            vendor=world.a.vendor, actor=world.a.member(role), name="Nope Co", **FIELDS
        )
    with in_scope(world.a), pytest.raises(PermissionDenied):
        distributor_update(
            vendor=world.a.vendor, actor=world.a.member(role), distributor=world.a.d1, name="X"
        )
    with in_scope(world.a):
        assert Distributor.objects.count() == 2
    assert audit_actions(world.a) == ["test.marker"]


def test_update_refuses_another_vendors_distributor(world):
    with in_scope(world.a), pytest.raises(PermissionDenied):
        distributor_update(
            vendor=world.a.vendor,
            actor=world.a.member(VENDOR_ADMIN),
            distributor=world.b.d1,
            name="Hijacked",
        )
    with in_scope(world.b):
        assert Distributor.objects.get(pk=world.b.d1.pk).name == "Sakura Trading"


def test_unknown_fields_are_a_programming_error(world):
    with in_scope(world.a), pytest.raises(TypeError):
        distributor_create(
            vendor=world.a.vendor,
            actor=world.a.member(VENDOR_ADMIN),
            name="X",
            vendor_id=world.b.vendor.pk,
            **FIELDS,
        )


def test_create_validates_the_time_zone(world):
    with in_scope(world.a), pytest.raises(ValidationError) as exc:
        distributor_create(
            vendor=world.a.vendor,
            actor=world.a.member(CHANNEL_MANAGER),
            name="Zoneless",
            **{**FIELDS, "time_zone": "Asia/Atlantis"},
        )
    assert set(exc.value.message_dict) == {"time_zone"}


# --- members and invitations ----------------------------------------------------------------


def test_invitation_stores_only_a_hash_and_is_audited(world):
    with in_scope(world.a):
        invitation = member_services.invitation_create(
            vendor=world.a.vendor,
            actor=world.a.member(CHANNEL_MANAGER),
            email="New.Person@Example.com",
            role=DISTRIBUTOR_USER,
            distributor=world.a.d2,
        )
    assert invitation.email == "new.person@example.com"
    assert len(invitation.token_hash) == 64
    assert "invitation.create" in audit_actions(world.a)


def test_channel_manager_cannot_grant_vendor_admin(world):
    with in_scope(world.a), pytest.raises(PermissionDenied):
        member_services.invitation_create(
            vendor=world.a.vendor,
            actor=world.a.member(CHANNEL_MANAGER),
            email="boss@example.com",
            role=VENDOR_ADMIN,
        )
    with in_scope(world.a):
        assert not Invitation.objects.filter(email="boss@example.com").exists()


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_only_admins_and_channel_managers_invite(world, role):
    with in_scope(world.a), pytest.raises(PermissionDenied):
        member_services.invitation_create(
            vendor=world.a.vendor, actor=world.a.member(role), email="x@example.com", role=EXECUTIVE
        )


def test_invitation_to_another_vendors_distributor_is_refused(world):
    with in_scope(world.a), pytest.raises(ValidationError) as exc:
        member_services.invitation_create(
            vendor=world.a.vendor,
            actor=world.a.member(VENDOR_ADMIN),
            email="x@example.com",
            role=DISTRIBUTOR_USER,
            distributor=world.b.d1,
        )
    assert set(exc.value.message_dict) == {"distributor"}


def test_accepting_twice_creates_one_membership(world):
    invitation = world.a.invitation_d1
    with in_scope(world.a):
        member_services.invitation_accept(
            vendor=world.a.vendor, invitation=invitation, full_name="Ann", password="Xy-12345678!"
        )
        with pytest.raises(ValidationError):
            member_services.invitation_accept(
                vendor=world.a.vendor,
                invitation=Invitation.objects.get(pk=invitation.pk),
                full_name="Ann Again",
                password="Xy-12345678!",
            )
        # Even with a stale copy that still looks pending (two clicks at once).
        with pytest.raises(ValidationError):
            member_services.invitation_accept(
                vendor=world.a.vendor, invitation=invitation, full_name="Ann 3", password="Xy-1234!"
            )
        assert Membership.objects.filter(user__email=invitation.email).count() == 1


def test_weak_password_is_refused_and_nothing_is_claimed(world):
    invitation = world.a.invitation_d1
    with in_scope(world.a):
        with pytest.raises(ValidationError) as exc:
            member_services.invitation_accept(
                vendor=world.a.vendor, invitation=invitation, full_name="Ann", password="123"
            )
        assert "password" in exc.value.message_dict
        invitation.refresh_from_db()
        assert invitation.accepted_at is None


def test_nobody_removes_themselves_and_channel_managers_do_not_remove_admins(world):
    with in_scope(world.a):
        with pytest.raises(ValidationError):
            member_services.membership_set_active(
                vendor=world.a.vendor,
                actor=world.a.member(VENDOR_ADMIN),
                membership=world.a.member(VENDOR_ADMIN),
                active=False,
            )
        with pytest.raises(PermissionDenied):
            member_services.membership_set_active(
                vendor=world.a.vendor,
                actor=world.a.member(CHANNEL_MANAGER),
                membership=world.a.member(VENDOR_ADMIN),
                active=False,
            )
        member_services.membership_set_active(
            vendor=world.a.vendor,
            actor=world.a.member(CHANNEL_MANAGER),
            membership=world.a.member(DISTRIBUTOR_USER),
            active=False,
        )
        assert not Membership.objects.get(pk=world.a.member(DISTRIBUTOR_USER).pk).is_active
    assert "membership.deactivate" in audit_actions(world.a)


@pytest.mark.parametrize("role", [CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN])
def test_only_vendor_admins_change_workspace_settings(world, role):
    with in_scope(world.a), pytest.raises(PermissionDenied):
        member_services.vendor_settings_update(
            vendor=world.a.vendor, actor=world.a.member(role), require_two_factor=True
        )
    assert not Vendor.objects.get(pk=world.a.vendor.pk).require_two_factor


# --- tokens ---------------------------------------------------------------------------------


def test_people_revoke_their_own_tokens_and_vendor_admins_anyones(world):
    with in_scope(world.a):
        token, _raw = api_token_create(
            vendor=world.a.vendor, actor=world.a.member(DISTRIBUTOR_USER), name="ERP sync"
        )
        with pytest.raises(PermissionDenied):
            api_token_revoke(
                vendor=world.a.vendor, actor=world.a.member(CHANNEL_MANAGER), token=token
            )
        token.refresh_from_db()
        assert token.revoked_at is None
        api_token_revoke(vendor=world.a.vendor, actor=world.a.member(VENDOR_ADMIN), token=token)
        token.refresh_from_db()
        assert token.revoked_at is not None
    assert audit_actions(world.a)[-2:] == ["api_token.create", "api_token.revoke"]


def test_token_needs_a_name(world):
    with in_scope(world.a), pytest.raises(ValidationError) as exc:
        api_token_create(vendor=world.a.vendor, actor=world.a.member(EXECUTIVE), name="   ")
    assert set(exc.value.message_dict) == {"name"}

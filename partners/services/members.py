"""Invitations and memberships: who is in a workspace, with which role."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Distributor, Invitation, Membership, Role, User, Vendor
from partners.models.base import validate_time_zone
from partners.zones import vendor_zone, zone_name

from .audit import audit_record
from .outbox import email_queue
from .tokens import secret_hash


def _check_can_grant(actor: Membership, role: str) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers invite people."))
    if not roles.can_grant_role(actor, role):
        raise PermissionDenied(_("Only a vendor admin can make someone a vendor admin."))


def _validate_role_and_distributor(role: str, distributor: Distributor | None, vendor: Vendor):
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role in Role.distributor_roles():
        if distributor is None:
            raise ValidationError(
                {"distributor": _("Choose the distributor this person works for.")}
            )
        if distributor.vendor_id != vendor.id:
            raise ValidationError({"distributor": _("Choose a distributor of this workspace.")})
    elif distributor is not None:
        raise ValidationError({"distributor": _("Vendor staff do not belong to a distributor.")})


def invitation_status(invitation: Invitation) -> str:
    """``pending``, ``accepted``, ``revoked`` or ``expired``."""
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "pending"


def invitation_create(
    *,
    vendor: Vendor,
    actor: Membership,
    email: str,
    role: str,
    distributor: Distributor | None = None,
    language: str = "en",
) -> Invitation:
    """Invite ``email`` to the workspace with ``role`` and e-mail them a one-time link.

    A newer invitation to the same address replaces a pending one."""
    _check_can_grant(actor, role)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Enter an e-mail address.")})
    _validate_role_and_distributor(role, distributor, vendor)
    if Membership.objects.filter(user__email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": _("This person is already a member of this workspace.")})
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            vendor=vendor,
            email=email,
            role=role,
            distributor=distributor,
            token_hash=secret_hash(raw),
            invited_by=actor.user,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        audit_record(
            vendor=vendor,
            actor=actor,
            action="invitation.create",
            obj=invitation,
            changes={"role": [None, role], "distributor": [None, distributor and distributor.pk]},
        )
        path = reverse("invitation-accept", kwargs={"vendor_slug": vendor.slug, "token": raw})
        email_queue(
            vendor=vendor,
            to=email,
            template="invitation",
            language=language,
            # The zone the person will read times in once a member.
            time_zone=zone_name(distributor.zone if distributor else vendor_zone(vendor)),
            context={
                "vendor_name": vendor.name,
                "inviter_name": str(actor.user),
                "role_label": Role(role).label,
                "distributor_name": distributor.name if distributor else "",
                "accept_url": f"{settings.SITE_URL}{path}",
                "expires_at": invitation.expires_at,
            },
        )
    return invitation


def invitation_find(*, vendor: Vendor, raw_token: str) -> Invitation | None:
    """The invitation of the open workspace that this link's secret belongs to."""
    return (
        Invitation.objects.filter(token_hash=secret_hash(raw_token))
        .select_related("distributor")
        .first()
    )


def invitation_revoke(*, vendor: Vendor, actor: Membership, invitation: Invitation) -> None:
    _check_can_grant(actor, invitation.role)
    with transaction.atomic():
        if Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now()):
            audit_record(vendor=vendor, actor=actor, action="invitation.revoke", obj=invitation)


def invitation_accept(
    *,
    vendor: Vendor,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    language: str = "en",
) -> Membership:
    """Turn a pending invitation into a membership.

    ``user`` is the logged-in person whose e-mail matches; without one, a new login is made
    from ``full_name`` and ``password``. The link works once, even under concurrent clicks."""
    if invitation_status(invitation) != "pending":
        raise ValidationError(_("This invitation can no longer be used."))
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(accepted_at=timezone.now())
        if not claimed:
            raise ValidationError(_("This invitation can no longer be used."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(_("Log in with this e-mail address to accept."))
            full_name = (full_name or "").strip()
            if not full_name:
                raise ValidationError({"full_name": _("Enter your name.")})
            candidate = User(email=invitation.email, full_name=full_name, language=language)
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from exc
            user = User.objects.create_user(
                invitation.email, password, full_name=full_name, language=language
            )
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another e-mail address."))
        membership, _created = Membership.objects.update_or_create(
            vendor=vendor,
            user=user,
            defaults={
                "role": invitation.role,
                "distributor": invitation.distributor,
                "is_active": True,
            },
        )
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        audit_record(
            vendor=vendor,
            actor=user,
            action="invitation.accept",
            obj=membership,
            changes={"role": [None, membership.role]},
        )
    return membership


def membership_set_active(
    *, vendor: Vendor, actor: Membership, membership: Membership, active: bool
) -> Membership:
    """Remove a person from the workspace (or bring them back). Their login stays."""
    _check_can_grant(actor, membership.role)
    if membership.pk == actor.pk and not active:
        raise ValidationError(_("You cannot remove yourself."))
    with transaction.atomic():
        if membership.is_active != active:
            Membership.objects.filter(pk=membership.pk).update(is_active=active)
            membership.is_active = active
            audit_record(
                vendor=vendor,
                actor=actor,
                action="membership.reactivate" if active else "membership.deactivate",
                obj=membership,
                changes={"is_active": [not active, active]},
            )
    return membership


def vendor_settings_update(
    *,
    vendor: Vendor,
    actor: Membership,
    require_two_factor: bool,
    time_zone: str | None = None,
) -> Vendor:
    """Workspace settings a vendor admin controls: two-factor for staff, and the zone staff
    read times in (unchanged when ``time_zone`` is empty)."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied
    wanted: dict[str, bool | str] = {"require_two_factor": require_two_factor}
    if time_zone:
        validate_time_zone(time_zone)
        wanted["time_zone"] = time_zone
    changes = {
        name: [getattr(vendor, name), value]
        for name, value in wanted.items()
        if getattr(vendor, name) != value
    }
    if changes:
        with transaction.atomic():
            Vendor.objects.filter(pk=vendor.pk).update(**{k: v[1] for k, v in changes.items()})
            audit_record(
                vendor=vendor, actor=actor, action="vendor.update", obj=vendor, changes=changes
            )
        for name, (_before, after) in changes.items():
            setattr(vendor, name, after)
    return vendor

"""Every non-trivial read in the partners app. Each takes the ``vendor`` and the ``actor`` (a
Membership) and returns only what that person may reach: a distributor's people see their own
distributor only. Another tenant's or distributor's object is a 404, like a missing one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners import roles
from partners.markets import MARKETS_BY_COUNTRY
from partners.models import (
    ApiToken,
    AuditEvent,
    Distributor,
    Invitation,
    Membership,
    Role,
    User,
    Vendor,
)
from partners.platform.scope import user_scope


def membership_for_user_in_scope(*, user_id: int) -> Membership | None:
    """The active membership of a person in the workspace whose scope is open, or None."""
    return (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .select_related("user", "distributor", "vendor")
        .first()
    )


def workspaces_for_user(*, user: User) -> list[Membership]:
    """Every active membership of the person, across workspaces (for the switcher)."""
    if not user.is_authenticated:
        return []
    with user_scope(user.id):
        return list(
            Membership.objects.filter(user=user, is_active=True, vendor__is_active=True)
            .select_related("vendor")
            .order_by("vendor__name")
        )


def distributor_name_q(text: str, *, path: str = "") -> Q:
    """Rows whose distributor's display or legal name contains ``text`` (any case); ``path``
    leads from the rows to the distributor (``"distributor__"``), empty on distributors. The
    one name search of the distributor list, the review inbox and the sales pages."""
    return Q(**{f"{path}name__icontains": text}) | Q(**{f"{path}legal_name__icontains": text})


def distributor_list_for_actor(
    *,
    vendor: Vendor,
    actor: Membership,
    search: str = "",
    country: str = "",
    status: str = "",
    owner: str | int = "",
) -> QuerySet[Distributor]:
    """Distributors the person reaches, optionally narrowed by name (display or legal),
    country, status and owner (a membership id)."""
    qs = Distributor.objects.filter(vendor=vendor)
    if actor.is_distributor_role:
        qs = qs.filter(pk=actor.own_distributor_id)
    if search:
        qs = qs.filter(distributor_name_q(search))
    if country:
        qs = qs.filter(country=country)
    if status:
        qs = qs.filter(status=status)
    if owner and str(owner).isdigit():
        qs = qs.filter(owner_id=int(owner))
    return qs


def login_exists(*, email: str) -> bool:
    """Whether someone already logs in with this address (an invitation then asks them to log
    in rather than to make a new login)."""
    return User.objects.filter(email__iexact=email).exists()


def distributor_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Distributor:
    return get_object_or_404(distributor_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def member_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[Membership]:
    """Members the person may see: staff see everyone; a distributor's people see their
    colleagues and nobody else."""
    qs = Membership.objects.filter(vendor=vendor).select_related("user", "distributor")
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    return qs


def member_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Membership:
    return get_object_or_404(member_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def invitation_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[Invitation]:
    if not roles.is_editor(actor):
        return Invitation.objects.none()
    return Invitation.objects.filter(vendor=vendor).select_related("distributor", "invited_by")


def invitation_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Invitation:
    return get_object_or_404(invitation_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def api_token_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[ApiToken]:
    """The person's own tokens in this workspace."""
    return ApiToken.objects.filter(vendor=vendor, user_id=actor.user_id)


def api_token_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ApiToken:
    return get_object_or_404(api_token_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def audit_event_list_for_actor(
    *,
    vendor: Vendor,
    actor: Membership,
    action: str = "",
    object_type: str = "",
    actor_email: str = "",
    date_from=None,
    date_to=None,
) -> QuerySet[AuditEvent]:
    """The workspace's audit trail, newest first, for vendor admins only."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied
    qs = AuditEvent.objects.filter(vendor=vendor).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor_email:
        qs = qs.filter(actor_label__icontains=actor_email)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def audit_filter_choices(*, vendor: Vendor, actor: Membership) -> dict[str, list[str]]:
    qs = audit_event_list_for_actor(vendor=vendor, actor=actor)
    return {
        "actions": sorted(set(qs.values_list("action", flat=True).distinct()[:200])),
        "object_types": sorted(set(qs.values_list("object_type", flat=True).distinct()[:200])),
    }


def workspace_summary(*, vendor: Vendor, actor: Membership) -> dict:
    """The counts on the workspace home page, within the person's reach."""
    distributors = distributor_list_for_actor(vendor=vendor, actor=actor)
    by_country = [
        {**row, "name": MARKETS_BY_COUNTRY[row["country"]].name}
        for row in distributors.values("country").annotate(n=Count("id")).order_by("-n", "country")
    ]
    members = member_list_for_actor(vendor=vendor, actor=actor).filter(is_active=True)
    member_counts = members.aggregate(
        total=Count("id"),
        staff=Count("id", filter=Q(role__in=Role.staff_roles())),
        partner=Count("id", filter=Q(role__in=Role.distributor_roles())),
    )
    pending = invitation_list_for_actor(vendor=vendor, actor=actor).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return {
        "distributor_count": distributors.count(),
        "distributors_by_country": by_country,
        "member_count": member_counts["total"],
        "staff_count": member_counts["staff"],
        "partner_user_count": member_counts["partner"],
        "pending_invitation_count": pending.count(),
    }


def distributor_people(*, vendor: Vendor, distributor: Distributor) -> list[Membership]:
    """The people of a distributor whom its mail goes to (reminders, reviews): its active
    admins and users whose login is active."""
    return list(
        Membership.objects.filter(
            vendor=vendor,
            distributor=distributor,
            role__in=Role.distributor_roles(),
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "distributor", "vendor")  # the mail's language and zone
        .order_by("id")
    )


def relationship_managers(*, vendor: Vendor, distributor: Distributor) -> list[Membership]:
    """Who answers for a distributor at the vendor: its channel manager while that person is
    active vendor staff, otherwise the vendor admins (escalations and reminders go to them)."""
    owner = distributor.owner
    if owner is not None and owner.is_active and owner.is_staff_role and owner.user.is_active:
        return [owner]
    return list(
        Membership.objects.filter(
            vendor=vendor, role=Role.VENDOR_ADMIN, is_active=True, user__is_active=True
        )
        .select_related("user", "vendor")  # the mail's language and zone
        .order_by("id")
    )

"""Personal API tokens: shown once, stored hashed, revocable, valid in one workspace only."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import ApiToken, Membership, Vendor

from .audit import audit_record

TOKEN_PREFIX = "pd"


def secret_hash(raw: str) -> str:
    """What we store of a secret handed out once (an API token, an invitation or report link):
    its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, vendor: Vendor, actor: Membership, name: str) -> tuple[ApiToken, str]:
    """Make a token for the acting person. Returns the row and the secret, which is never
    shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, such as the system that uses it.")}
        )
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            vendor=vendor,
            user=actor.user,
            name=name[:100],
            prefix=prefix,
            key_hash=secret_hash(raw),
        )
        audit_record(vendor=vendor, actor=actor, action="api_token.create", obj=token)
    return token, raw


def api_token_revoke(*, vendor: Vendor, actor: Membership, token: ApiToken) -> ApiToken:
    """Revoke a token. People revoke their own; a vendor admin may revoke anyone's."""
    if token.user_id != actor.user_id and not roles.is_vendor_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_record(vendor=vendor, actor=actor, action="api_token.revoke", obj=token)
    token.refresh_from_db()
    return token


def api_token_authenticate(*, vendor: Vendor, raw_token: str) -> ApiToken | None:
    """The live token matching ``raw_token`` in the open vendor scope, or None."""
    parts = raw_token.split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = (
        ApiToken.objects.filter(prefix=parts[1], revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or token.vendor_id != vendor.id:
        return None
    if not hmac.compare_digest(token.key_hash, secret_hash(raw_token)) or not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - timedelta(minutes=1)), pk=token.pk
    ).update(last_used_at=now)
    return token

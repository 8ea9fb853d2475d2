"""factory_boy factories for the partners app.

Tenant-owned rows (everything with a ``vendor``) can only be written inside
``partners.platform.scope.tenant_scope(vendor.id)``: row-level security rejects them otherwise. The
factories do not open the scope themselves, so that a test cannot create a row in a tenant by
accident; wrap calls in ``tenant_scope`` (or use ``conftest.in_scope``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from partners.models import (
    ApiToken,
    AuditEvent,
    Distributor,
    Invitation,
    Membership,
    OutboundEmail,
    Role,
    User,
    Vendor,
)

PASSWORD = "Correct-Horse-Battery-42"


def sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    language = "en"

    @classmethod
    def _create(cls, model_class, *args, password=PASSWORD, **kwargs):
        return model_class.objects.create_user(kwargs.pop("email"), password, **kwargs)


class DistributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Distributor

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Distributor {n}")
    country = "SG"
    currency = "SGD"
    time_zone = "Asia/Singapore"
    language = "en"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    vendor = factory.SubFactory(VendorFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CHANNEL_MANAGER
    distributor = None


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation made directly in the database. The link's secret is kept on the instance
    as ``raw_token`` so a test can open the link."""

    class Meta:
        model = Invitation

    vendor = factory.SubFactory(VendorFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.CHANNEL_MANAGER
    distributor = None
    raw_token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: sha256(o.raw_token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @classmethod
    def _create(cls, model_class, *args, raw_token, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.raw_token = raw_token
        return invitation


class ApiTokenRowFactory(factory.django.DjangoModelFactory):
    """A token row with an unknown secret (for lists and revocation, not for authenticating:
    use ``partners.services.tokens.api_token_create`` for that)."""

    class Meta:
        model = ApiToken

    vendor = factory.SubFactory(VendorFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"token-{n}")
    prefix = factory.LazyFunction(lambda: secrets.token_hex(6))
    key_hash = factory.LazyFunction(lambda: sha256(secrets.token_urlsafe(32)))


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    vendor = factory.SubFactory(VendorFactory)
    actor = None
    actor_label = "system"
    action = "test.marker"
    object_type = "marker"
    object_id = "1"
    object_repr = factory.Sequence(lambda n: f"marker-{n}")


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundEmail

    vendor = None
    to = factory.Sequence(lambda n: f"recipient{n}@example.com")
    subject = factory.Sequence(lambda n: f"Subject {n}")
    body_text = "Hello"
    body_html = ""
    template = "test"
    language = "en"

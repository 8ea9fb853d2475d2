"""Shared fixtures: two vendors with two distributors each (the same names in both), a user per
role per vendor, an outsider with no membership, and helpers to read tenant rows.

Run with a database of your own, for example::

    DATABASE_URL=postgres://partnerdesk_owner@127.0.0.1:5432/partnerdesk_tests .venv/bin/pytest
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django_scopes import get_scope, scopes_disabled

from partners.models import (
    AuditEvent,
    Distributor,
    Invitation,
    Membership,
    OutboundEmail,
    Role,
    User,
    Vendor,
)
from partners.platform.rls import CURRENT_VENDOR
from partners.platform.scope import tenant_scope
from tests.factories import (
    PASSWORD,
    AuditEventFactory,
    DistributorFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    VendorFactory,
)

# pytest-playwright runs an event loop in the main thread; Django's ORM refuses to run there
# unless told it is safe (the browser test calls the ORM only from the test itself).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

VENDOR_ADMIN = Role.VENDOR_ADMIN.value
CHANNEL_MANAGER = Role.CHANNEL_MANAGER.value
EXECUTIVE = Role.EXECUTIVE.value
DISTRIBUTOR_ADMIN = Role.DISTRIBUTOR_ADMIN.value
DISTRIBUTOR_USER = Role.DISTRIBUTOR_USER.value
MEMBER_ROLES = (VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER)
STAFF_ROLES = (VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE)
DISTRIBUTOR_ROLES = (DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER)

# The same distributor names in both vendors: nothing may be told apart by name alone.
DISTRIBUTOR_1 = {"name": "Sakura Trading", "country": "JP", "currency": "JPY",
                 "time_zone": "Asia/Tokyo", "language": "ja"}  # fmt: skip
DISTRIBUTOR_2 = {"name": "Lotus Distribution", "country": "TH", "currency": "THB",
                 "time_zone": "Asia/Bangkok", "language": "en"}  # fmt: skip


def pytest_configure(config):
    # WhiteNoise warns once per process that STATIC_ROOT (collectstatic's output) is missing;
    # tests serve static files from the finders instead.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # Raised from inside pytest-base-url (a pytest-playwright dependency), not from our code.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods"
    )


@dataclass
class Tenant:
    """One vendor's world."""

    vendor: Vendor
    label: str
    d1: Distributor
    d2: Distributor
    users: dict[str, User]
    members: dict[str, Membership]
    d2_user: User  # a distributor user of distributor 2 ("another distributor's" person)
    d2_member: Membership
    invitation_d1: Invitation  # pending, for distributor 1
    invitation_d2: Invitation  # pending, for distributor 2
    audit_marker: AuditEvent
    extra: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.vendor.slug

    def user(self, role: str) -> User:
        return self.users[role]

    def member(self, role: str) -> Membership:
        return self.members[role]


@dataclass
class World:
    a: Tenant
    b: Tenant
    outsider: User


def build_tenant(slug: str, name: str, label: str) -> Tenant:
    """Create a vendor with two distributors, a person per role (distributor roles on
    distributor 1), a distributor-2 user, two pending invitations and an audit marker."""
    vendor = VendorFactory(slug=slug, name=name)
    users = {
        role: UserFactory(
            email=f"{role}@{slug}.example.com",
            full_name=f"{label} {Role(role).label}",
        )
        for role in MEMBER_ROLES
    }
    d2_user = UserFactory(email=f"d2_user@{slug}.example.com", full_name=f"{label} Lotus User")
    with tenant_scope(vendor.id):
        d1 = DistributorFactory(vendor=vendor, **DISTRIBUTOR_1)
        d2 = DistributorFactory(vendor=vendor, **DISTRIBUTOR_2)
        members = {
            role: MembershipFactory(
                vendor=vendor,
                user=users[role],
                role=role,
                distributor=d1 if role in DISTRIBUTOR_ROLES else None,
            )
            for role in MEMBER_ROLES
        }
        d2_member = MembershipFactory(
            vendor=vendor, user=d2_user, role=DISTRIBUTOR_USER, distributor=d2
        )
        invitation_d1 = InvitationFactory(
            vendor=vendor,
            email=f"invitee-d1@{slug}.example.com",
            role=DISTRIBUTOR_USER,
            distributor=d1,
            invited_by=users[VENDOR_ADMIN],
        )
        invitation_d2 = InvitationFactory(
            vendor=vendor,
            email=f"invitee-d2@{slug}.example.com",
            role=DISTRIBUTOR_USER,
            distributor=d2,
            invited_by=users[VENDOR_ADMIN],
        )
        audit_marker = AuditEventFactory(
            vendor=vendor,
            actor=users[VENDOR_ADMIN],
            actor_label=users[VENDOR_ADMIN].email,
            object_repr=f"audit-marker-{slug}",
        )
    return Tenant(
        vendor=vendor,
        label=label,
        d1=d1,
        d2=d2,
        users=users,
        members=members,
        d2_user=d2_user,
        d2_member=d2_member,
        invitation_d1=invitation_d1,
        invitation_d2=invitation_d2,
        audit_marker=audit_marker,
    )


def build_world() -> World:
    return World(
        a=build_tenant("acme", "Acme Industrial", "Acme"),
        b=build_tenant("borealis", "Borealis Foods", "Borealis"),
        outsider=UserFactory(email="outsider@example.com", full_name="Oscar Outsider"),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def tenant_a(world) -> Tenant:
    return world.a


@pytest.fixture
def tenant_b(world) -> Tenant:
    return world.b


@pytest.fixture
def outsider(world) -> User:
    return world.outsider


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Japanese leaves Japanese active
    in its thread, which must not decide the language of the next test's messages."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_scope_left_behind():
    """Every test must leave django-scopes as it found it."""
    assert get_scope() == {}
    yield
    assert get_scope() == {}, "a test or the code under test left a django-scopes scope open"


# --- helpers -----------------------------------------------------------------------------------


def in_scope(tenant_or_vendor):
    vendor = getattr(tenant_or_vendor, "vendor", tenant_or_vendor)
    return tenant_scope(vendor.id)


def tenant_models():
    """Every tenant-owned model of every app (new ones are included without editing this)."""
    from django.apps import apps

    from partners.models import TenantModel

    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


_DIGEST_SQL: str | None = None


def _tenant_digests() -> dict[str, str]:
    """A digest of the open tenant scope's rows of every tenant table (and of the outbox), in
    one query."""
    global _DIGEST_SQL
    from django.db import connection

    tables = [m._meta.db_table for m in tenant_models()] + [OutboundEmail._meta.db_table]
    if _DIGEST_SQL is None:
        _DIGEST_SQL = "SELECT " + ", ".join(
            f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t"
            f" WHERE t.vendor_id = {CURRENT_VENDOR})"
            for table in tables
        )
    with connection.cursor() as cursor:
        cursor.execute(_DIGEST_SQL)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def db_state() -> dict:
    """Every row of every partners table, read inside each vendor's scope (and outside any for
    global rows), for "nothing changed" assertions. Tenant tables are compared by a digest of
    their rows (one query per vendor keeps the isolation matrix fast); a difference names the
    table."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    state: dict = {}
    with scopes_disabled():
        vendors = list(Vendor.objects.order_by("pk").values())
        state["vendors"] = vendors
        state["users"] = list(
            User.objects.order_by("pk").values("id", "email", "password", "is_active", "full_name")
        )
        state["totp"] = list(TOTPDevice.objects.order_by("pk").values())
    for vendor in vendors:
        with tenant_scope(vendor["id"]):
            state.update(
                {(vendor["id"], label): digest for label, digest in _tenant_digests().items()}
            )
    with transaction.atomic():
        state["system_emails"] = list(OutboundEmail.objects.order_by("pk").values())
    return state


def outbox_size() -> int:
    return len(mail.outbox)


_NONCE = re.compile(r'nonce="[^"]*"')
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken"\s+value=")[^"]*"')
_CSRF_VALUE_FIRST = re.compile(r'(value=")[^"]*("\s+name="csrfmiddlewaretoken")')
_CSRF_JSON = re.compile(r'("X-CSRFToken"\s*:\s*")[^"]*"')
_CSRF_META = re.compile(r'(<meta[^>]*name="csrf-token"[^>]*content=")[^"]*"')


def normalized_body(response, replacements: dict[str, str] | None = None) -> str:
    """The response body with per-request noise (CSP nonces, CSRF tokens) blanked and the given
    strings (request-specific ids, slugs, paths) replaced by placeholders."""
    body = response.content.decode()
    body = _NONCE.sub('nonce=""', body)
    body = _CSRF_INPUT.sub(r'\1"', body)
    body = _CSRF_VALUE_FIRST.sub(r"\1\2", body)
    body = _CSRF_JSON.sub(r'\1"', body)
    body = _CSRF_META.sub(r'\1"', body)
    for old, new in sorted((replacements or {}).items(), key=lambda kv: -len(kv[0])):
        body = body.replace(old, new)
    return body


# --- browser (pytest-playwright with Debian's Chromium) -------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


__all__ = ["PASSWORD", "World", "Tenant", "build_world", "in_scope", "db_state"]

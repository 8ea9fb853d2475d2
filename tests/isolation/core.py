"""The isolation matrix's vocabulary: roles, areas, cases, ``Route`` and ``Method``, the
context of one case and how each kind of object is found for it.

Area modules beside this one (``tests/isolation/<area>.py``) each define ``ROUTES`` and register
the objects their routes point at in ``OBJECTS``; ``tests/test_isolation_matrix.py`` joins them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    MEMBER_ROLES,
    VENDOR_ADMIN,
    World,
    in_scope,
)
from tests.factories import ApiTokenRowFactory

VA, CM, EX, DA, DU = VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER
OUT, ANON = "outsider", "anonymous"
ALL_ROLES = (*MEMBER_ROLES, OUT, ANON)

# Where a route lives and who may reach it:
PUBLIC = "public"  # no login needed (login, password reset, language, API schema and docs)
ACCOUNT = "account"  # a login, no workspace (two-factor, the workspace chooser)
DEV_ONLY = "dev-only"  # the development mailbox: 404 unless PARTNERDESK_SHOW_DEV_MAILBOX
PUBLIC_TENANT = "public-tenant"  # under /<vendor-slug>/ but open to non-members (invitation link)
PORTAL = "portal"  # /<vendor-slug>/...: members only
API = "api"  # /api/v1/<vendor-slug>/...: members only
GLOBAL_AREAS = (PUBLIC, ACCOUNT, DEV_ONLY)
OWN, OTHER_DISTRIBUTOR, OTHER_VENDOR, OTHER_WORKSPACE = (
    "own",
    "other_distributor",
    "other_vendor",
    "other_workspace",
)
MISSING_ID = 2_000_000_000
MISSING_TOKEN = "no-such-invitation-token-0123456789abcdefghijk"
MISSING_SLUG = "no-such-workspace"
SUCCESS = {200, 201, 204, 302}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def each(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every member role, with per-role exceptions."""
    result = {role: status for role in MEMBER_ROLES}
    result.update(overrides)
    return result


def staff_only(ok: int, *, allowed=(VA, CM)) -> dict[str, int]:
    return {role: (ok if role in allowed else 403) for role in MEMBER_ROLES}


@dataclass(frozen=True)
class Method:
    # Status per member role for the own case (outsider/anonymous are derived from the area).
    own: dict[str, int]
    # Status per member role for another distributor's object (default: as own).
    other_distributor: dict[str, int] | None = None
    # Payload builder for writes: (ctx) -> dict.
    data: Callable[[Ctx], dict] | None = None
    # Roles for which a successful request changes the database (default: every role whose
    # status is a success, for write methods). Everything else must change nothing.
    changes: frozenset[str] | None = None
    # Outside workspaces and for PUBLIC_TENANT: explicit statuses for the outsider and anonymous.
    outsider: int | None = None
    anonymous: int | None = None
    # API writes are JSON unless this is set (file uploads are multipart).
    multipart: bool = False


@dataclass(frozen=True)
class Route:
    area: str
    path: str  # str.format template: {slug}, {pk}, {token}, {format}
    methods: dict[str, Method]
    obj: str | None = None  # what {pk}/{token} refers to
    listing: Callable | None = None  # content check for a successful own GET
    note: str = ""
    # API viewsets with EditorsWrite refuse a reader's write before looking the object up, so
    # another vendor's id gets the same 403 as a missing one.
    role_before_lookup: bool = False


# --- the data each case points at ------------------------------------------------------------


@dataclass
class Ctx:
    world: World
    role: str
    tokens: dict[str, object] = field(default_factory=dict)

    @property
    def a(self):
        return self.world.a

    @property
    def b(self):
        return self.world.b

    @property
    def user(self):
        if self.role == ANON:
            return None
        if self.role == OUT:
            return self.world.outsider
        return self.a.user(self.role)


def make_tokens(ctx: Ctx) -> None:
    """API token rows: the actor's own in A, distributor 2's user's in A, and one in B."""
    with in_scope(ctx.a):
        owner = ctx.user if ctx.role in MEMBER_ROLES else ctx.a.user(VA)
        ctx.tokens["own"] = ApiTokenRowFactory(vendor=ctx.a.vendor, user=owner, name="tok-own-a")
        ctx.tokens["d2"] = ApiTokenRowFactory(
            vendor=ctx.a.vendor, user=ctx.a.d2_user, name="tok-lotus-a"
        )
    with in_scope(ctx.b):
        b_owner = ctx.b.user(ctx.role) if ctx.role in MEMBER_ROLES else ctx.b.user(VA)
        ctx.tokens["b"] = ApiTokenRowFactory(vendor=ctx.b.vendor, user=b_owner, name="tok-own-b")


# Object kinds defined by area modules: name -> builder(ctx, case) -> URL kwargs. A builder
# returns distributor 1's object of vendor A for OWN, distributor 2's for OTHER_DISTRIBUTOR and
# vendor B's (distributor 1) otherwise, creating the objects it needs (cache them in
# ``ctx.tokens`` so that one test sees one set).
OBJECTS: dict[str, Callable[[Ctx, str], dict]] = {}


def pick(case: str, own, other_distributor, other_vendor):
    """The object for a case: own, another distributor's, or another vendor's."""
    return {OWN: own, OTHER_DISTRIBUTOR: other_distributor}.get(case, other_vendor)


def object_kwargs(ctx: Ctx, obj: str | None, case: str) -> dict:
    if obj is None:
        return {}
    if obj in OBJECTS:
        return OBJECTS[obj](ctx, case)
    a, b = ctx.a, ctx.b
    if obj == "distributor":
        d = {OWN: a.d1, OTHER_DISTRIBUTOR: a.d2}.get(case, b.d1)
        return {"pk": d.pk}
    if obj == "membership":
        m = {OWN: a.member(DU), OTHER_DISTRIBUTOR: a.d2_member}.get(case, b.member(DU))
        return {"pk": m.pk}
    if obj == "invitation":
        inv = {OWN: a.invitation_d1, OTHER_DISTRIBUTOR: a.invitation_d2}.get(case, b.invitation_d1)
        return {"pk": inv.pk}
    if obj == "invitation_token":
        inv = {OWN: a.invitation_d1, OTHER_DISTRIBUTOR: a.invitation_d2}.get(case, b.invitation_d1)
        return {"token": inv.raw_token}
    if obj == "api_token":
        token = {OWN: ctx.tokens["own"], OTHER_DISTRIBUTOR: ctx.tokens["d2"]}.get(
            case, ctx.tokens["b"]
        )
        return {"pk": token.pk}
    raise AssertionError(f"unknown object kind {obj}")  # pragma: no cover


# Objects reached by a secret in the URL (``{token}``) rather than an id.
SECRET_TOKEN_OBJECTS = {"invitation_token", "report_link_token", "due_date_feed_token"}


def missing_kwargs(obj: str | None) -> dict:
    if obj in SECRET_TOKEN_OBJECTS:
        return {"token": MISSING_TOKEN}
    if obj is None:
        return {}
    return {"pk": MISSING_ID}


def build_path(route: Route, slug: str, kwargs: dict) -> str:
    return route.path.format(slug=slug, format="json", **kwargs)

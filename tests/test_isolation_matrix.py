"""The isolation matrix: every URL and API route x every role x {own object, another
distributor's object, another vendor's object}.

``ROUTES`` is the explicit table. Each entry says how to build the URL for each case and what
each role gets. ``test_every_route_is_in_the_matrix`` walks the URL resolver and fails when a
route is missing from the table (or the table names a route that no longer exists), so a new
route cannot ship without deciding who may reach it.

Cases, always acting in vendor A ("acme") unless the role is the outsider or anonymous:

* ``own``: A's workspace, an object the role is about (distributor 1, a person of distributor 1,
  the actor's own token...).
* ``other_distributor``: A's workspace, the matching object of distributor 2.
* ``other_vendor``: A's workspace URL with vendor B's object id. Must look exactly like a
  missing id (404, or the same 403 / 405 a missing id gets when the role may not use the page
  at all).
* ``other_workspace``: vendor B's own URL (B's slug, B's object). The person is not a member of
  B: a 404 identical to a workspace that does not exist.

Routes without an object have only ``own`` and ``other_workspace``. Lists are checked for foreign
rows. Every write that is denied (or that must not change anything) is checked to change no row,
queue no e-mail and register no on-commit task; every write that is allowed is checked to change
something (so the denial checks are not vacuous).
"""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.conftest import (
    DISTRIBUTOR_ROLES,
    MEMBER_ROLES,
    PASSWORD,
    STAFF_ROLES,
    db_state,
    in_scope,
    normalized_body,
)
from tests.isolation import (
    contracts,
    enablement,
    imports,
    launch,
    profile,
    reporting_review,
    reporting_schedule,
    reporting_sellout,
    reporting_submissions,
    scorecards_dashboards,
    scorecards_exclusivity,
    scorecards_plans,
    scorecards_setup,
)
from tests.isolation.core import (
    ACCOUNT,
    ALL_ROLES,
    ANON,
    API,
    DA,
    DEV_ONLY,
    DU,
    EX,
    GLOBAL_AREAS,
    MISSING_SLUG,
    OTHER_DISTRIBUTOR,
    OTHER_VENDOR,
    OTHER_WORKSPACE,
    OUT,
    OWN,
    PORTAL,
    PUBLIC,
    PUBLIC_TENANT,
    SUCCESS,
    VA,
    WRITE_METHODS,
    Ctx,
    Method,
    Route,
    build_path,
    each,
    make_tokens,
    missing_kwargs,
    object_kwargs,
    staff_only,
)

# --- list checks ----------------------------------------------------------------------------


def _no_vendor_b(ctx: Ctx, body: str) -> None:
    assert "Borealis" not in body
    assert "borealis" not in body


def list_distributors_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    a, b = ctx.a, ctx.b
    d1_link = f"/{a.slug}/distributors/{a.d1.pk}/"
    d2_link = f"/{a.slug}/distributors/{a.d2.pk}/"
    assert d1_link in body and "Sakura Trading" in body
    if ctx.role in DISTRIBUTOR_ROLES:
        assert d2_link not in body
        assert "Lotus Distribution" not in body
    else:
        assert d2_link in body and "Lotus Distribution" in body
    for d in (b.d1, b.d2):
        assert f"/distributors/{d.pk}/" not in body
    _no_vendor_b(ctx, body)


def list_distributors_api(ctx: Ctx, response) -> None:
    data = response.json()
    ids = {row["id"] for row in data["results"]}
    expected = {ctx.a.d1.pk} if ctx.role in DISTRIBUTOR_ROLES else {ctx.a.d1.pk, ctx.a.d2.pk}
    assert ids == expected
    assert data["count"] == len(expected)


def me_api(ctx: Ctx, response) -> None:
    data = response.json()
    assert data["email"] == ctx.user.email
    assert data["current_role"] == ctx.role
    assert [m["vendor"] for m in data["memberships"]] == [ctx.a.slug]
    _no_vendor_b(ctx, json.dumps(data))


def members_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert ctx.a.user(EX).email in body
    assert ctx.a.d2_user.email in body
    assert ctx.a.invitation_d1.email in body
    for user in [*ctx.b.users.values(), ctx.b.d2_user]:
        assert user.email not in body
    assert ctx.b.invitation_d1.email not in body
    assert ctx.world.outsider.email not in body
    _no_vendor_b(ctx, body)


def tokens_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "tok-own-a" in body
    assert "tok-lotus-a" not in body  # another person's token, same vendor
    assert "tok-own-b" not in body
    _no_vendor_b(ctx, body)


def audit_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "audit-marker-acme" in body
    assert "audit-marker-borealis" not in body
    _no_vendor_b(ctx, body)


def home_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert ctx.a.vendor.name in body
    if ctx.role in DISTRIBUTOR_ROLES:
        assert "Lotus Distribution" not in body
    _no_vendor_b(ctx, body)


def distributor_detail_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Sakura Trading" in body
    # People of distributor 1 only: never distributor 2's, never vendor B's.
    assert ctx.a.d2_user.full_name not in body
    _no_vendor_b(ctx, body)


def distributor_detail_api(ctx: Ctx, response) -> None:
    assert response.json()["id"] == ctx.a.d1.pk


def chooser_outsider(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Acme" not in body and "Borealis" not in body


# --- payloads -------------------------------------------------------------------------------


def new_distributor(ctx: Ctx) -> dict:
    return {
        "name": "Kappa Imports",
        "country": "SG",
        "currency": "SGD",
        "time_zone": "Asia/Singapore",
        "language": "en",
    }


def renamed_distributor(ctx: Ctx) -> dict:
    return {**new_distributor(ctx), "name": "Renamed Trading"}


def invitation_payload(ctx: Ctx) -> dict:
    return {
        "email": "new.person@example.com",
        "role": EX,
        "distributor": "",
        "language": "en",
    }


def accept_payload(ctx: Ctx) -> dict:
    return {"full_name": "New Person", "password": PASSWORD}


# --- THE TABLE ------------------------------------------------------------------------------

ROUTES: dict[str, Route] = {
    # Pages with no workspace in the URL.
    "root": Route(PUBLIC, "/", {"GET": Method(each(302), outsider=302, anonymous=302)}),
    "login": Route(
        PUBLIC, "/accounts/login/", {"GET": Method(each(302), outsider=302, anonymous=200)}
    ),
    "logout": Route(
        PUBLIC,
        "/accounts/logout/",
        {
            "GET": Method(each(405), outsider=405, anonymous=405),
            "POST": Method(each(302), outsider=302, anonymous=302, changes=frozenset()),
        },
    ),
    "password-reset": Route(
        PUBLIC, "/accounts/password-reset/", {"GET": Method(each(200), outsider=200, anonymous=200)}
    ),
    "password-reset-done": Route(
        PUBLIC,
        "/accounts/password-reset/sent/",
        {"GET": Method(each(200), outsider=200, anonymous=200)},
    ),
    "password-reset-confirm": Route(
        PUBLIC,
        "/accounts/reset/MQ/bad-token/",
        {"GET": Method(each(200), outsider=200, anonymous=200)},
        note="an invalid link shows the 'link no longer valid' page",
    ),
    "password-reset-complete": Route(
        PUBLIC, "/accounts/reset/done/", {"GET": Method(each(200), outsider=200, anonymous=200)}
    ),
    "two-factor-setup": Route(
        ACCOUNT,
        "/accounts/two-factor/setup/",
        # Opening the page starts setting up an (unconfirmed) device.
        {
            "GET": Method(
                each(200), outsider=200, anonymous=302, changes=frozenset([*MEMBER_ROLES, OUT])
            )
        },
    ),
    "two-factor-verify": Route(
        ACCOUNT,
        "/accounts/two-factor/verify/",
        {"GET": Method(each(200), outsider=200, anonymous=302)},
    ),
    "two-factor-disable": Route(
        ACCOUNT,
        "/accounts/two-factor/disable/",
        {
            "GET": Method(each(405), outsider=405, anonymous=302),
            # Not verified in this session: sent to verify first, nothing is disabled.
            "POST": Method(each(302), outsider=302, anonymous=302, changes=frozenset()),
        },
    ),
    "workspace-chooser": Route(
        ACCOUNT,
        "/workspaces/",
        {"GET": Method(each(302), outsider=200, anonymous=302)},
        listing=None,
        note="a person with one workspace goes straight to it",
    ),
    "dev-mailbox": Route(
        DEV_ONLY, "/dev/mail/", {"GET": Method(each(404), outsider=404, anonymous=404)}
    ),
    "dev-mail-message": Route(
        DEV_ONLY, "/dev/mail/x.eml/", {"GET": Method(each(404), outsider=404, anonymous=404)}
    ),
    "set-language": Route(
        PUBLIC,
        "/i18n/setlang/",
        {
            "POST": Method(
                each(302),
                outsider=302,
                anonymous=302,
                data=lambda ctx: {"language": "ja", "next": "/"},
                changes=frozenset(),
            )
        },
    ),
    "javascript-catalog": Route(
        PUBLIC, "/i18n/js/", {"GET": Method(each(200), outsider=200, anonymous=200)}
    ),
    "api-schema": Route(
        PUBLIC, "/api/schema/", {"GET": Method(each(200), outsider=200, anonymous=200)}
    ),
    "api-docs": Route(
        PUBLIC, "/api/docs/", {"GET": Method(each(200), outsider=200, anonymous=200)}
    ),
    # Portal pages under /<vendor-slug>/.
    "workspace-home": Route(PORTAL, "/{slug}/", {"GET": Method(each(200))}, listing=home_html),
    "distributor-list": Route(
        PORTAL, "/{slug}/distributors/", {"GET": Method(each(200))}, listing=list_distributors_html
    ),
    "distributor-create": Route(
        PORTAL,
        "/{slug}/distributors/new/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=new_distributor),
        },
    ),
    "distributor-detail": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/",
        {"GET": Method(each(200), other_distributor=each(200, **{DA: 404, DU: 404}))},
        obj="distributor",
        listing=distributor_detail_html,
    ),
    "distributor-edit": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/edit/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=renamed_distributor),
        },
        obj="distributor",
    ),
    "member-list": Route(
        PORTAL,
        "/{slug}/members/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=invitation_payload),
        },
        listing=members_html,
    ),
    "member-set-active": Route(
        PORTAL,
        "/{slug}/members/{pk}/active/",
        {
            "GET": Method(each(405)),
            "POST": Method(staff_only(302), data=lambda ctx: {"active": "0"}),
        },
        obj="membership",
    ),
    "invitation-revoke": Route(
        PORTAL,
        "/{slug}/invitations/{pk}/revoke/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="invitation",
    ),
    "invitation-accept": Route(
        PUBLIC_TENANT,
        "/{slug}/invitations/{token}/",
        {
            "GET": Method(each(200), outsider=200, anonymous=200),
            # Logged in as someone else: the page explains, nothing is accepted.
            "POST": Method(
                each(200),
                outsider=200,
                anonymous=302,
                data=accept_payload,
                changes=frozenset({ANON}),
            ),
        },
        obj="invitation_token",
        note="public: the link in an invitation e-mail",
    ),
    "api-token-list": Route(
        PORTAL,
        "/{slug}/api-tokens/",
        {"GET": Method(each(200)), "POST": Method(each(200), data=lambda ctx: {"name": "new"})},
        listing=tokens_html,
    ),
    "api-token-revoke": Route(
        PORTAL,
        "/{slug}/api-tokens/{pk}/revoke/",
        {
            "GET": Method(each(405)),
            # Another person's token is not yours to see, even for a vendor admin.
            "POST": Method(each(302), other_distributor=each(404)),
        },
        obj="api_token",
    ),
    "audit-log": Route(
        PORTAL,
        "/{slug}/audit/",
        {"GET": Method(staff_only(200, allowed=(VA,)))},
        listing=audit_html,
    ),
    "workspace-settings": Route(
        PORTAL,
        "/{slug}/settings/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(
                staff_only(302, allowed=(VA,)), data=lambda ctx: {"require_two_factor": "on"}
            ),
        },
    ),
    # API under /api/v1/<vendor-slug>/ (session authentication here; tokens in test_api.py).
    "api:me-list": Route(API, "/api/v1/{slug}/me/", {"GET": Method(each(200))}, listing=me_api),
    "api:me-list.<format>": Route(API, "/api/v1/{slug}/me.{format}", {"GET": Method(each(200))}),
    "api:distributor-list": Route(
        API,
        "/api/v1/{slug}/distributors/",
        {
            "GET": Method(each(200)),
            "POST": Method(staff_only(201), data=new_distributor),
        },
        listing=list_distributors_api,
        role_before_lookup=True,
    ),
    "api:distributor-list.<format>": Route(
        API,
        "/api/v1/{slug}/distributors.{format}",
        {"GET": Method(each(200))},
        listing=list_distributors_api,
    ),
    "api:distributor-detail": Route(
        API,
        "/api/v1/{slug}/distributors/{pk}/",
        {
            "GET": Method(each(200), other_distributor=each(200, **{DA: 404, DU: 404})),
            # Readers are refused before the lookup (403 for any id); editors reach every
            # distributor, and nobody deletes one.
            "PATCH": Method(staff_only(200), data=lambda ctx: {"name": "Renamed Trading"}),
            "PUT": Method(staff_only(200), data=renamed_distributor),
            "DELETE": Method(staff_only(405)),
        },
        obj="distributor",
        listing=distributor_detail_api,
        role_before_lookup=True,
    ),
    "api:distributor-detail.<format>": Route(
        API,
        "/api/v1/{slug}/distributors/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=each(200, **{DA: 404, DU: 404}))},
        obj="distributor",
        listing=distributor_detail_api,
    ),
}


# Each area's routes live in tests/isolation/<area>.py.
for _area in (
    profile,
    contracts,
    launch,
    enablement,
    imports,
    reporting_review,
    reporting_schedule,
    reporting_sellout,
    reporting_submissions,
    scorecards_dashboards,
    scorecards_plans,
    scorecards_exclusivity,
    scorecards_setup,
):
    _overlap = set(ROUTES) & set(_area.ROUTES)
    assert not _overlap, f"routes defined twice: {_overlap}"
    ROUTES.update(_area.ROUTES)


# --- enumeration ----------------------------------------------------------------------------


def route_key(name: str | None, route: str, has_format: bool) -> str:
    key = name or f"<unnamed {route}>"
    if route.startswith("api/v1/"):
        key = f"api:{key}"
    if has_format:
        key += ".<format>"
    return key


def walk(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            full = prefix + str(entry.pattern)
            yield route_key(entry.name, full, "format" in entry.pattern.regex.groupindex), full


def test_every_route_is_in_the_matrix():
    routes = dict(walk(get_resolver().url_patterns))
    missing = sorted(set(routes) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(routes))
    assert not missing, f"routes missing from the isolation matrix (add them to ROUTES): {missing}"
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"


def test_every_route_is_checked_in_every_role_and_case():
    """The parametrisation below really covers the table (guards against a filter bug)."""
    covered = {(key, method, role) for key, method, _case, role in CASES}
    for key, route in ROUTES.items():
        for method in route.methods:
            for role in ALL_ROLES:
                assert (key, method, role) in covered


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_table_paths_resolve_to_their_route(key):
    route = ROUTES[key]
    kwargs = missing_kwargs(route.obj) if route.obj else {}
    path = build_path(route, "acme", kwargs)
    match = resolve(path)
    assert route_key(match.url_name, match.route, "format" in match.kwargs) == key


# --- the matrix -----------------------------------------------------------------------------


def cases_for(route: Route) -> tuple[str, ...]:
    if route.area in GLOBAL_AREAS:
        return (OWN,)
    if route.obj is None:
        return (OWN, OTHER_WORKSPACE)
    return (OWN, OTHER_DISTRIBUTOR, OTHER_VENDOR, OTHER_WORKSPACE)


CASES = [
    (key, method, case, role)
    for key, route in ROUTES.items()
    for method in route.methods
    for case in cases_for(route)
    for role in ALL_ROLES
]


def expected_status(route: Route, method: str, role: str, case: str) -> int:
    spec = route.methods[method]
    if route.area in (*GLOBAL_AREAS, PUBLIC_TENANT):
        if route.area == PUBLIC_TENANT and case == OTHER_VENDOR:
            return 404  # another vendor's link under this workspace: like a missing link
        return {OUT: spec.outsider, ANON: spec.anonymous}.get(role) or spec.own[role]
    if role == ANON:
        return 302 if route.area == PORTAL else 401
    if role == OUT or case == OTHER_WORKSPACE:
        return 404
    own = spec.own[role]
    if case == OWN:
        return own
    if case == OTHER_DISTRIBUTOR:
        return (spec.other_distributor or spec.own)[role]
    # OTHER_VENDOR: exactly what a missing id gets. Portal pages check the role before looking
    # the object up (a 403 for any id); the API looks the object up first (404), then the
    # service refuses the write (403).
    if own == 405 or (own == 403 and (route.area == PORTAL or _role_first(route, method))):
        return own
    return 404


def _role_first(route: Route, method: str) -> bool:
    return route.role_before_lookup and method in WRITE_METHODS


def should_change(route: Route, method: str, role: str, case: str, status: int) -> bool:
    if status not in SUCCESS:
        return False
    if route.area in (PORTAL, API) and (role in (OUT, ANON) or case == OTHER_WORKSPACE):
        return False  # a redirect to the login page, never a write
    spec = route.methods[method]
    if spec.changes is not None:
        return role in spec.changes
    return method in WRITE_METHODS


def send(client, route: Route, method: str, path: str, data: dict | None):
    for value in (data or {}).values():
        if hasattr(value, "seek"):
            value.seek(0)  # an upload is sent twice when compared with a missing object
    if route.area == API and route.methods[method].multipart:
        return client.post(path, data or {})
    if route.area == API:
        if method == "GET":
            return client.get(path)
        return client.generic(method, path, json.dumps(data or {}), content_type="application/json")
    if method == "GET":
        return client.get(path)
    return client.post(path, data or {})


def comparable(route: Route, response, path: str) -> object:
    if route.area == API or response.get("Content-Type", "").startswith("application/json"):
        return response.json()
    return normalized_body(response, {path: "{PATH}"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key, method, case, role", CASES, ids=[f"{k}-{m}-{c}-{r}" for k, m, c, r in CASES]
)
def test_isolation_matrix(
    client, world, key, method, case, role, django_capture_on_commit_callbacks
):
    route = ROUTES[key]
    ctx = Ctx(world=world, role=role)
    make_tokens(ctx)
    if ctx.user is not None:
        client.force_login(ctx.user)

    slug = world.b.slug if case == OTHER_WORKSPACE else world.a.slug
    kwargs = object_kwargs(ctx, route.obj, case)
    path = build_path(route, slug, kwargs)
    spec = route.methods[method]
    data = spec.data(ctx) if spec.data else None
    expected = expected_status(route, method, role, case)

    before = db_state()
    outbox_before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = send(client, route, method, path, data)
    assert response.status_code == expected, (
        f"{method} {path} as {role}: {response.status_code}, expected {expected}"
    )

    # What was written, queued or sent.
    after = db_state()
    if should_change(route, method, role, case, expected):
        assert after != before, f"{method} {path} as {role} succeeded but changed nothing"
    else:
        assert after == before, f"{method} {path} as {role} changed the database"
        assert len(mail.outbox) == outbox_before
        assert callbacks == [], f"{method} {path} as {role} registered on-commit work"

    # Redirects of anonymous people go to the login page; public pages need no login.
    if role == ANON and route.area in (PORTAL, ACCOUNT) and expected == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    # (The root page and logging out send people to the login page by design.)
    if role == ANON and route.area in (PUBLIC, PUBLIC_TENANT) and key not in ("root", "logout"):
        assert not response.get("Location", "").startswith("/accounts/login/")

    # Foreign objects and workspaces look exactly like missing ones.
    # (An API 403 comes after the lookup: the object is visible, the write is refused.)
    denied_like_missing = expected == 404 or (
        expected in (403, 405)
        and not (route.area == API and expected == 403 and not _role_first(route, method))
    )
    if route.area not in GLOBAL_AREAS and case != OWN and denied_like_missing:
        if case == OTHER_WORKSPACE or (role == OUT and route.area != PUBLIC_TENANT):
            missing_path = build_path(route, MISSING_SLUG, kwargs)
        else:
            missing_path = build_path(route, slug, missing_kwargs(route.obj))
        missing = send(client, route, method, missing_path, data)
        assert missing.status_code == expected
        assert comparable(route, response, path) == comparable(route, missing, missing_path)
    if role == OUT and case == OWN and route.area in (PORTAL, API):
        missing_path = build_path(route, MISSING_SLUG, kwargs)
        missing = send(client, route, method, missing_path, data)
        assert missing.status_code == 404
        assert comparable(route, response, path) == comparable(route, missing, missing_path)

    # Nothing of vendor B in anything vendor A's people get from vendor A's URLs.
    # (A download streams a document; its route's listing check reads the bytes.)
    if role in MEMBER_ROLES and case != OTHER_WORKSPACE and not response.streaming:
        body = response.content.decode()
        assert "Borealis" not in body and "borealis" not in body

    # Lists and pages show no foreign row.
    if (
        route.listing is not None
        and method == "GET"
        and case == OWN
        and role in MEMBER_ROLES
        and expected == 200
    ):
        route.listing(ctx, response)
    if key == "workspace-chooser" and role == OUT:
        chooser_outsider(ctx, response)


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_distributor_list_filters_cannot_reach_another_vendor(client, world, role):
    """Search parameters are applied on top of the scoped list, never instead of it."""
    client.force_login(world.a.user(role))
    for query in ("?q=Sakura", "?country=JP", f"?q=Sakura&country=JP&vendor={world.b.vendor.pk}"):
        response = client.get(f"/{world.a.slug}/distributors/{query}")
        assert response.status_code == 200
        body = response.content.decode()
        assert f"/distributors/{world.a.d1.pk}/" in body
        assert f"/distributors/{world.b.d1.pk}/" not in body
        response = client.get(f"/api/v1/{world.a.slug}/distributors/{query}")
        ids = {row["id"] for row in response.json()["results"]}
        assert world.b.d1.pk not in ids and world.b.d2.pk not in ids


@pytest.mark.django_db
def test_member_of_two_workspaces_has_each_role_only_in_its_workspace(client, world):
    """One login, two workspaces: vendor admin in A, distributor user (distributor 1) in B."""
    from tests.factories import MembershipFactory

    person = world.a.user(VA)
    with in_scope(world.b):
        MembershipFactory(vendor=world.b.vendor, user=person, role=DU, distributor=world.b.d1)
    client.force_login(person)
    assert client.get(f"/{world.a.slug}/members/").status_code == 200
    assert client.get(f"/{world.b.slug}/members/").status_code == 403
    assert client.get(f"/{world.b.slug}/distributors/{world.b.d1.pk}/").status_code == 200
    assert client.get(f"/{world.b.slug}/distributors/{world.b.d2.pk}/").status_code == 404
    ids = {r["id"] for r in client.get(f"/api/v1/{world.b.slug}/distributors/").json()["results"]}
    assert ids == {world.b.d1.pk}
    ids = {r["id"] for r in client.get(f"/api/v1/{world.a.slug}/distributors/").json()["results"]}
    assert ids == {world.a.d1.pk, world.a.d2.pk}
    # A's distributor under B's address is still a 404.
    assert client.get(f"/{world.b.slug}/distributors/{world.a.d2.pk}/").status_code == 404


@pytest.mark.django_db
def test_deactivated_member_is_treated_as_a_non_member(client, world):
    member = world.a.member(EX)
    with in_scope(world.a):
        type(member).objects.filter(pk=member.pk).update(is_active=False)
    client.force_login(world.a.user(EX))
    response = client.get(f"/{world.a.slug}/")
    missing = client.get(f"/{MISSING_SLUG}/")
    assert response.status_code == missing.status_code == 404
    assert normalized_body(response, {f"/{world.a.slug}/": "{PATH}"}) == normalized_body(
        missing, {f"/{MISSING_SLUG}/": "{PATH}"}
    )
    assert client.get(f"/api/v1/{world.a.slug}/me/").status_code == 404


@pytest.mark.django_db
def test_inactive_vendor_is_a_missing_workspace(client, world):
    from partners.models import Vendor

    Vendor.objects.filter(pk=world.a.vendor.pk).update(is_active=False)
    client.force_login(world.a.user(VA))
    assert client.get(f"/{world.a.slug}/").status_code == 404
    assert client.get(f"/api/v1/{world.a.slug}/me/").status_code == 404

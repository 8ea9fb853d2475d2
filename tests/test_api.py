"""The API under /api/v1/<vendor-slug>/: token authentication, the current person, distributors,
errors as JSON naming the field, pagination, and the OpenAPI schema."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from partners.models import ApiToken, AuditEvent, Distributor, Vendor
from partners.services.tokens import api_token_create, api_token_revoke
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ROLES,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    MEMBER_ROLES,
    VENDOR_ADMIN,
    in_scope,
)
from tests.factories import DistributorFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Kappa Imports",
    "country": "SG",
    "currency": "SGD",
    "time_zone": "Asia/Singapore",
    "language": "en",
}


def make_token(tenant, role=VENDOR_ADMIN):
    """A real token (row and secret) for ``role``'s person in ``tenant``."""
    with in_scope(tenant):
        return api_token_create(vendor=tenant.vendor, actor=tenant.member(role), name=f"{role}")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api(client, method, path, raw=None, data=None):
    headers = bearer(raw) if raw else {}
    if method == "get":
        return client.get(path, data, **headers)
    return getattr(client, method)(path, data or {}, content_type="application/json", **headers)


# --- token authentication -------------------------------------------------------------------


def test_token_works_in_its_vendor(client, world):
    _token, raw = make_token(world.a, EXECUTIVE)
    response = api(client, "get", f"/api/v1/{world.a.slug}/me/", raw)
    assert response.status_code == 200
    assert response.json()["email"] == world.a.user(EXECUTIVE).email


def test_token_is_refused_in_another_vendor_even_for_a_member_of_both(client, world):
    person = world.a.user(VENDOR_ADMIN)
    with in_scope(world.b):
        MembershipFactory(vendor=world.b.vendor, user=person, role=VENDOR_ADMIN)
    _token, raw = make_token(world.a, VENDOR_ADMIN)
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 200
    response = api(client, "get", f"/api/v1/{world.b.slug}/me/", raw)
    assert response.status_code == 401
    assert "detail" in response.json()
    response = api(client, "get", f"/api/v1/{world.b.slug}/distributors/", raw)
    assert response.status_code == 401


@pytest.mark.parametrize("secret", ["plain-secret-0123456789", "with_under_scores_0123", "_lead"])
def test_token_secret_may_contain_underscores(client, world, monkeypatch, secret):
    """token_urlsafe() uses "_": about half of all tokens contain one."""
    import partners.services.tokens as tokens

    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda n: secret)
    _token, raw = make_token(world.a, EXECUTIVE)
    assert raw.endswith(secret)
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 200


@pytest.mark.parametrize(
    "raw",
    ["", "garbage", "pd_000000000000_nope", "pd__", "Token abc", "pd_a_b_c"],
)
def test_malformed_or_unknown_tokens_are_refused(client, world, raw):
    response = client.get(f"/api/v1/{world.a.slug}/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_right_prefix_wrong_secret_is_refused(client, world):
    token, raw = make_token(world.a)
    forged = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", forged).status_code == 401


def test_revoked_token_is_refused(client, world):
    token, raw = make_token(world.a, CHANNEL_MANAGER)
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 200
    with in_scope(world.a):
        api_token_revoke(vendor=world.a.vendor, actor=world.a.member(CHANNEL_MANAGER), token=token)
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 401


def test_token_revoked_through_the_page_is_refused(client, world):
    token, raw = make_token(world.a, DISTRIBUTOR_USER)
    client.force_login(world.a.user(DISTRIBUTOR_USER))
    response = client.post(f"/{world.a.slug}/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 401


def test_token_of_a_deactivated_login_is_refused(client, world):
    _token, raw = make_token(world.a, EXECUTIVE)
    world.a.user(EXECUTIVE).__class__.objects.filter(pk=world.a.user(EXECUTIVE).pk).update(
        is_active=False
    )
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 401


def test_token_of_a_removed_member_reaches_nothing(client, world):
    _token, raw = make_token(world.a, EXECUTIVE)
    with in_scope(world.a):
        type(world.a.member(EXECUTIVE)).objects.filter(pk=world.a.member(EXECUTIVE).pk).update(
            is_active=False
        )
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 404
    assert api(client, "get", f"/api/v1/{world.a.slug}/distributors/", raw).status_code == 404


def test_token_secret_is_not_stored_in_clear(world):
    token, raw = make_token(world.a, EXECUTIVE)
    secret = raw.split("_", 2)[2]
    with in_scope(world.a):
        row = ApiToken.objects.values().get(pk=token.pk)
        audit = list(AuditEvent.objects.values())
    stored = repr(row) + repr(audit)
    assert raw not in stored
    assert secret not in stored
    assert row["key_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert len(secret) >= 32


def test_token_records_last_use(client, world):
    token, raw = make_token(world.a, EXECUTIVE)
    assert token.last_used_at is None
    api(client, "get", f"/api/v1/{world.a.slug}/me/", raw)
    with in_scope(world.a):
        token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_token_writes_need_no_csrf_but_sessions_do(world):
    _token, raw = make_token(world.a, VENDOR_ADMIN)
    client = Client(enforce_csrf_checks=True)
    response = api(client, "post", f"/api/v1/{world.a.slug}/distributors/", raw, NEW)
    assert response.status_code == 201, response.content
    client.force_login(world.a.user(VENDOR_ADMIN))
    response = api(client, "post", f"/api/v1/{world.a.slug}/distributors/", None, {**NEW,
                   "name": "Via Session"})  # fmt: skip
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    with in_scope(world.a):
        assert not Distributor.objects.filter(name="Via Session").exists()


def test_anonymous_api_request_is_401_json(client, world):
    response = client.get(f"/api/v1/{world.a.slug}/distributors/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


def test_two_factor_requirement_applies_to_sessions_not_tokens(client, world):
    Vendor.objects.filter(pk=world.a.vendor.pk).update(require_two_factor=True)
    _token, raw = make_token(world.a, EXECUTIVE)
    client.force_login(world.a.user(EXECUTIVE))
    response = client.get(f"/api/v1/{world.a.slug}/me/")
    assert response.status_code == 403
    assert "detail" in response.json()
    client.logout()
    assert api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).status_code == 200


# --- /me/ -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_me_per_role(client, world, role):
    _token, raw = make_token(world.a, role)
    data = api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).json()
    user = world.a.user(role)
    assert data["id"] == user.pk
    assert data["email"] == user.email
    assert data["full_name"] == user.full_name
    assert data["current_role"] == role
    expected_distributor = world.a.d1.pk if role in DISTRIBUTOR_ROLES else None
    assert data["current_distributor_id"] == expected_distributor
    assert data["memberships"] == [
        {
            "vendor": world.a.slug,
            "vendor_name": world.a.vendor.name,
            "role": role,
            "role_label": data["memberships"][0]["role_label"],
            "distributor_id": expected_distributor,
        }
    ]


def test_me_lists_every_workspace_of_the_person_and_no_one_elses(client, world):
    person = world.a.user(CHANNEL_MANAGER)
    with in_scope(world.b):
        MembershipFactory(
            vendor=world.b.vendor, user=person, role=DISTRIBUTOR_USER, distributor=world.b.d2
        )
    _token, raw = make_token(world.a, CHANNEL_MANAGER)
    data = api(client, "get", f"/api/v1/{world.a.slug}/me/", raw).json()
    assert data["current_role"] == CHANNEL_MANAGER
    assert sorted((m["vendor"], m["role"], m["distributor_id"]) for m in data["memberships"]) == [
        (world.a.slug, CHANNEL_MANAGER, None),
        (world.b.slug, DISTRIBUTOR_USER, world.b.d2.pk),
    ]


# --- distributors ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_distributor_list_and_retrieve_per_role(client, world, role):
    _token, raw = make_token(world.a, role)
    data = api(client, "get", f"/api/v1/{world.a.slug}/distributors/", raw).json()
    names = [row["name"] for row in data["results"]]
    if role in DISTRIBUTOR_ROLES:
        assert names == ["Sakura Trading"]
    else:
        assert names == ["Lotus Distribution", "Sakura Trading"]
    row = api(client, "get", f"/api/v1/{world.a.slug}/distributors/{world.a.d1.pk}/", raw).json()
    assert row == {
        "id": world.a.d1.pk,
        "name": "Sakura Trading",
        "legal_name": "",
        "country": "JP",
        "currency": "JPY",
        "time_zone": "Asia/Tokyo",
        "language": "ja",
        "status": "prospect",
        "status_changed_on": None,
        "owner": None,
        "territories": [],
        "product_lines": [],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    d2 = api(client, "get", f"/api/v1/{world.a.slug}/distributors/{world.a.d2.pk}/", raw)
    assert d2.status_code == (404 if role in DISTRIBUTOR_ROLES else 200)
    foreign = api(client, "get", f"/api/v1/{world.a.slug}/distributors/{world.b.d1.pk}/", raw)
    assert foreign.status_code == 404


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_distributor_create_per_role(client, world, role):
    _token, raw = make_token(world.a, role)
    response = api(client, "post", f"/api/v1/{world.a.slug}/distributors/", raw, NEW)
    with in_scope(world.a):
        created = Distributor.objects.filter(name=NEW["name"]).first()
        audit = AuditEvent.objects.filter(action="distributor.create").first()
    if role in (VENDOR_ADMIN, CHANNEL_MANAGER):
        assert response.status_code == 201
        body = response.json()
        assert body["id"] == created.pk
        assert {k: body[k] for k in NEW} == NEW
        assert created.vendor_id == world.a.vendor.pk
        assert audit.actor_id == world.a.user(role).pk
        assert audit.object_id == str(created.pk)
        assert audit.changes["name"] == [None, NEW["name"]]
    else:
        assert response.status_code == 403
        assert set(response.json()) == {"detail"}
        assert created is None and audit is None
    with in_scope(world.b):
        assert not Distributor.objects.filter(name=NEW["name"]).exists()


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_distributor_update_per_role(client, world, role):
    _token, raw = make_token(world.a, role)
    path = f"/api/v1/{world.a.slug}/distributors/{world.a.d1.pk}/"
    response = api(client, "patch", path, raw, {"name": "Sakura Trading KK"})
    with in_scope(world.a):
        world.a.d1.refresh_from_db()
        events = list(AuditEvent.objects.filter(action="distributor.update"))
    with in_scope(world.b):
        world.b.d1.refresh_from_db()
    assert world.b.d1.name == "Sakura Trading"
    if role in (VENDOR_ADMIN, CHANNEL_MANAGER):
        assert response.status_code == 200
        assert response.json()["name"] == "Sakura Trading KK"
        assert world.a.d1.name == "Sakura Trading KK"
        assert [(e.actor_id, e.changes) for e in events] == [
            (world.a.user(role).pk, {"name": ["Sakura Trading", "Sakura Trading KK"]})
        ]
        put = api(client, "put", path, raw, {**NEW, "name": "Sakura Trading Pte"})
        assert put.status_code == 200
        assert put.json()["country"] == "SG"
    else:
        assert response.status_code == 403
        assert world.a.d1.name == "Sakura Trading"
        assert events == []


def test_duplicate_name_is_a_field_error(client, world):
    _token, raw = make_token(world.a)
    path = f"/api/v1/{world.a.slug}/distributors/"
    for name in ("Sakura Trading", "sakura trading", "SAKURA TRADING"):
        response = api(client, "post", path, raw, {**NEW, "name": name})
        assert response.status_code == 400
        assert list(response.json()) == ["name"]
        assert isinstance(response.json()["name"], list) and response.json()["name"]
    response = api(client, "patch", f"{path}{world.a.d2.pk}/", raw, {"name": "Sakura Trading"})
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    with in_scope(world.a):
        assert Distributor.objects.count() == 2


def test_a_name_used_only_by_another_vendor_is_free(client, world):
    with in_scope(world.b):
        DistributorFactory(vendor=world.b.vendor, name="Borealis Only Co")
    _token, raw = make_token(world.a)
    response = api(
        client, "post", f"/api/v1/{world.a.slug}/distributors/", raw,
        {**NEW, "name": "Borealis Only Co"},
    )  # fmt: skip
    assert response.status_code == 201


@pytest.mark.parametrize(
    "change, field",
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"country": "XX"}, "country"),
        ({"currency": "ABC"}, "currency"),
        ({"language": "fr"}, "language"),
        ({"name": ""}, "name"),
    ],
)
def test_validation_errors_name_the_field(client, world, change, field):
    _token, raw = make_token(world.a)
    response = api(client, "post", f"/api/v1/{world.a.slug}/distributors/", raw, {**NEW, **change})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    response = api(
        client, "patch", f"/api/v1/{world.a.slug}/distributors/{world.a.d1.pk}/", raw, change
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_missing_fields_are_each_named(client, world):
    _token, raw = make_token(world.a)
    response = api(client, "post", f"/api/v1/{world.a.slug}/distributors/", raw, {})
    assert response.status_code == 400
    # Not the time zone: without one, the country's usual zone (tests/test_profile.py).
    assert set(response.json()) == {"name", "country", "currency", "language"}


def test_read_only_fields_cannot_be_written(client, world):
    _token, raw = make_token(world.a)
    response = api(
        client, "post", f"/api/v1/{world.a.slug}/distributors/", raw,
        {**NEW, "id": world.b.d1.pk, "vendor": world.b.vendor.pk},
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["id"] != world.b.d1.pk
    with in_scope(world.a):
        assert Distributor.objects.get(pk=response.json()["id"]).vendor_id == world.a.vendor.pk


def test_pagination(client, world):
    with in_scope(world.a):
        for n in range(3):
            DistributorFactory(vendor=world.a.vendor, name=f"Extra {n}")
    _token, raw = make_token(world.a)
    path = f"/api/v1/{world.a.slug}/distributors/"
    data = api(client, "get", path, raw).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 5 and len(data["results"]) == 5
    assert data["next"] is None and data["previous"] is None
    page1 = api(client, "get", path, raw, {"page_size": 2}).json()
    assert page1["count"] == 5 and len(page1["results"]) == 2
    assert "page=2" in page1["next"]
    page3 = api(client, "get", path, raw, {"page_size": 2, "page": 3}).json()
    assert len(page3["results"]) == 1 and page3["next"] is None
    seen = [r["id"] for r in page1["results"]] + [r["id"] for r in page3["results"]]
    assert len(set(seen)) == 3
    assert api(client, "get", path, raw, {"page": 99}).status_code == 404


def test_unknown_method_and_missing_object_are_json(client, world):
    _token, raw = make_token(world.a)
    response = api(client, "delete", f"/api/v1/{world.a.slug}/distributors/{world.a.d1.pk}/", raw)
    assert response.status_code == 405
    assert set(response.json()) == {"detail"}
    response = api(client, "get", f"/api/v1/{world.a.slug}/distributors/999999999/", raw)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
    response = api(client, "get", f"/api/v1/{world.a.slug}/distributors/abc/", raw)
    assert response.status_code == 404


# --- schema ---------------------------------------------------------------------------------


def test_schema_is_a_valid_openapi_3_document(client):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # jsonschema against the OpenAPI 3 meta-schema shipped with spectacular
    assert not GENERATOR_STATS, "schema generation produced warnings or errors"
    paths = schema["paths"]
    assert "/api/v1/{vendor_slug}/me/" in paths
    assert set(paths["/api/v1/{vendor_slug}/distributors/"]) >= {"get", "post"}
    detail = next(p for p in paths if p.startswith("/api/v1/{vendor_slug}/distributors/{"))
    assert set(paths[detail]) >= {"get", "put", "patch"}
    assert "delete" not in paths[detail]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    as_json = client.get("/api/schema/?format=json")
    assert as_json.status_code == 200
    assert as_json.json()["openapi"] == schema["openapi"]


def test_api_docs_page_is_served_from_our_origin(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/schema/" in body
    assert "cdn." not in body and "unpkg" not in body and "jsdelivr" not in body


def test_every_vendor_sees_its_own_count(client, world):
    """Same names in both vendors; the API never mixes them."""
    with scopes_disabled():
        assert Vendor.objects.count() == 2
    for tenant in (world.a, world.b):
        _token, raw = make_token(tenant)
        data = api(client, "get", f"/api/v1/{tenant.slug}/distributors/", raw).json()
        assert {r["id"] for r in data["results"]} == {tenant.d1.pk, tenant.d2.pk}

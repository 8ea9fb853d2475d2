"""Nobody can tell from a response whether a workspace address exists unless they belong to it:
an unknown workspace is answered exactly like one the person cannot enter."""

import pytest

from partners.models import Role
from tests.conftest import normalized_body
from tests.test_api import make_token

pytestmark = pytest.mark.django_db

UNKNOWN = "no-such-workspace"


def test_anonymous_page_request_redirects_to_login_whether_or_not_the_workspace_exists(
    client, world
):
    known = client.get(f"/{world.a.slug}/distributors/")
    unknown = client.get(f"/{UNKNOWN}/distributors/")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == f"/accounts/login/?next=%2F{world.a.slug}%2Fdistributors%2F"
    assert unknown["Location"] == f"/accounts/login/?next=%2F{UNKNOWN}%2Fdistributors%2F"


def test_api_without_credentials_is_401_whether_or_not_the_workspace_exists(client, world):
    known = client.get(f"/api/v1/{world.a.slug}/distributors/")
    unknown = client.get(f"/api/v1/{UNKNOWN}/distributors/")
    assert known.status_code == unknown.status_code == 401
    assert known.json() == unknown.json()
    assert unknown["WWW-Authenticate"].startswith("Bearer")


def test_a_token_used_elsewhere_gets_the_same_401_for_known_and_unknown_workspaces(client, world):
    _token, raw = make_token(world.a, Role.VENDOR_ADMIN)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    other = client.get(f"/api/v1/{world.b.slug}/distributors/", **headers)
    unknown = client.get(f"/api/v1/{UNKNOWN}/distributors/", **headers)
    assert other.status_code == unknown.status_code == 401
    assert other.json() == unknown.json()


def test_logged_in_non_member_gets_the_same_404_as_for_an_unknown_workspace(client, world):
    client.force_login(world.b.user(Role.CHANNEL_MANAGER))
    known = client.get(f"/{world.a.slug}/distributors/")
    unknown = client.get(f"/{UNKNOWN}/distributors/")
    assert known.status_code == unknown.status_code == 404
    assert normalized_body(known, {world.a.slug: "{SLUG}"}) == normalized_body(
        unknown, {UNKNOWN: "{SLUG}"}
    )
    assert world.a.vendor.name not in known.content.decode()


def test_an_unknown_invitation_link_does_not_name_the_workspace(client, world):
    known = client.get(f"/{world.a.slug}/invitations/not-a-real-token/")
    unknown = client.get(f"/{UNKNOWN}/invitations/not-a-real-token/")
    assert known.status_code == unknown.status_code == 404
    assert normalized_body(known, {world.a.slug: "{SLUG}"}) == normalized_body(
        unknown, {UNKNOWN: "{SLUG}"}
    )
    assert world.a.vendor.name not in known.content.decode()

"""The demo data `make run` loads: two workspaces, about 30 distributors, a login per role."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from partners.demo import demo_logins
from partners.models import Distributor, Membership, Vendor
from tests.conftest import db_state, in_scope

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def demo(db):
    call_command("demo_data", stdout=io.StringIO())
    return list(Vendor.objects.order_by("slug"))


def test_demo_workspaces_and_distributors(demo):
    assert len(demo) == 2
    distributors = []
    for vendor in demo:
        with in_scope(vendor):
            distributors += list(Distributor.objects.all())
            roles = set(Membership.objects.values_list("role", flat=True))
        assert roles == {
            "vendor_admin",
            "channel_manager",
            "executive",
            "distributor_admin",
            "distributor_user",
        }
    assert 25 <= len(distributors) <= 40
    assert {d.country for d in distributors} >= {"JP", "SG", "TH", "ID", "VN"}
    japanese = [d for d in distributors if d.country == "JP"]
    assert japanese and all(CJK.search(d.name) for d in japanese)


def test_demo_data_is_idempotent(demo):
    before = db_state()
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", "--if-empty", stdout=io.StringIO())
    assert db_state() == before


def test_every_demo_login_works_and_sees_only_its_reach(demo):
    logins = demo_logins()
    assert len(logins) >= 10
    for login in logins:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": login.email, "password": login.password}
        )
        assert response.status_code == 302, login.email
        page = client.get(login.workspace)
        if page.status_code == 302:  # a workspace that requires two-factor for its staff
            assert page["Location"].startswith("/accounts/two-factor/setup/")
            continue
        assert page.status_code == 200, login.email
        slug = login.workspace.strip("/")
        data = client.get(f"/api/v1/{slug}/distributors/?page_size=200").json()
        if login.distributor:
            assert [d["name"] for d in data["results"]] == [login.distributor]
        else:
            assert data["count"] >= 10

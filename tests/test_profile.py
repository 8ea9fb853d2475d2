"""Distributor profiles: status transitions and the selection gate, contacts and who may edit
them, owner and catalogue choices limited to the workspace, the panel showing only own data."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partners.models import (
    AuditEvent,
    Distributor,
    DistributorContact,
    DistributorProductLine,
    DistributorStatus,
    DistributorStatusChange,
    DistributorTerritory,
    FinancialCheck,
    SelectionChecklist,
)
from partners.services import distributors as distributor_services
from partners.services import profile as profile_services
from partners.services import selection as selection_services
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories_profile import (
    CarriedBrandFactory,
    ContactFactory,
    ProductLineFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
ALL_CHECKS = {
    "references_checked": True,
    "competing_brands_reviewed": True,
    "sales_capacity_confirmed": True,
    "willing_to_train": True,
    "financial_check": FinancialCheck.PASSED,
}


def change(tenant, d, to, *, role=VENDOR_ADMIN, on=DAY, reason="Because."):
    return profile_services.distributor_status_change(
        vendor=tenant.vendor,
        actor=tenant.member(role),
        distributor=d,
        to_status=to,
        effective_on=on,
        reason=reason,
    )


def approve(tenant, d):
    return selection_services.selection_update(
        vendor=tenant.vendor,
        actor=tenant.member(CHANNEL_MANAGER),
        distributor=d,
        decision="approved",
        decision_reason="Good references and capacity.",
        **ALL_CHECKS,
    )


# --- status transitions and the selection gate ----------------------------------------------


def test_prospect_cannot_leave_for_onboarding_without_selection(world):
    a = world.a
    with in_scope(a):
        before = db_state()
        for to in (DistributorStatus.ONBOARDING, DistributorStatus.ACTIVE):
            with pytest.raises(ValidationError) as exc:
                change(a, a.d1, to)
            assert "selection checklist" in str(exc.value.message_dict["to_status"])
        assert db_state() == before
        a.d1.refresh_from_db()
        assert a.d1.status == DistributorStatus.PROSPECT


def test_approved_selection_opens_the_gate_and_history_is_written(world):
    a = world.a
    with in_scope(a):
        approve(a, a.d1)
        change(a, a.d1, DistributorStatus.ONBOARDING, reason="Signed.")
        a.d1.refresh_from_db()
        assert a.d1.status == DistributorStatus.ONBOARDING
        assert a.d1.status_changed_on == DAY
        row = DistributorStatusChange.objects.get(distributor=a.d1)
        assert (row.from_status, row.to_status, row.reason) == ("prospect", "onboarding", "Signed.")
        assert row.changed_by == a.user(VENDOR_ADMIN)
        event = AuditEvent.objects.get(action="distributor.status_change")
        assert event.changes["status"] == ["prospect", "onboarding"]


def test_override_lets_a_prospect_through_and_is_audited(world):
    a = world.a
    with in_scope(a):
        with pytest.raises(PermissionDenied):
            selection_services.selection_override(
                vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), distributor=a.d1, reason="x"
            )
        with pytest.raises(ValidationError) as exc:
            selection_services.selection_override(
                vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, reason="  "
            )
        assert "reason" in exc.value.message_dict
        assert not SelectionChecklist.objects.exists()
        selection_services.selection_override(
            vendor=a.vendor,
            actor=a.member(VENDOR_ADMIN),
            distributor=a.d1,
            reason="Strategic account.",
        )
        event = AuditEvent.objects.get(action="selection.override")
        assert event.changes["override_reason"] == [None, "Strategic account."]
        assert "financial_check" in event.changes["missing"][1]
        change(a, a.d1, DistributorStatus.ACTIVE)
        a.d1.refresh_from_db()
        assert a.d1.status == DistributorStatus.ACTIVE


@pytest.mark.parametrize(
    "path, to, allowed",
    [
        (["onboarding"], "active", True),
        (["onboarding"], "suspended", False),
        (["active"], "suspended", True),
        (["active"], "onboarding", False),
        (["active", "suspended"], "active", True),
        (["active", "suspended"], "onboarding", False),
        (["terminated"], "active", False),
        (["terminated"], "prospect", False),
        ([], "suspended", False),
        ([], "terminated", True),
    ],
)
def test_transitions(world, path, to, allowed):
    a = world.a
    with in_scope(a):
        approve(a, a.d1)
        for step in path:
            change(a, a.d1, step)
        count = DistributorStatusChange.objects.count()
        if allowed:
            change(a, a.d1, to)
            assert DistributorStatusChange.objects.count() == count + 1
        else:
            with pytest.raises(ValidationError) as exc:
                change(a, a.d1, to)
            assert "to_status" in exc.value.message_dict
            assert DistributorStatusChange.objects.count() == count


def test_prospect_may_be_dropped_without_selection(world):
    a = world.a
    with in_scope(a):
        change(a, a.d1, DistributorStatus.TERMINATED, reason="Carries a competing line.")
        a.d1.refresh_from_db()
        assert a.d1.status == DistributorStatus.TERMINATED


def test_status_change_needs_reason_and_a_date_not_before_the_current_one(world):
    a = world.a
    with in_scope(a):
        with pytest.raises(ValidationError) as exc:
            change(a, a.d1, DistributorStatus.TERMINATED, reason=" ")
        assert "reason" in exc.value.message_dict
        approve(a, a.d1)
        change(a, a.d1, DistributorStatus.ONBOARDING)
        with pytest.raises(ValidationError) as exc:
            change(a, a.d1, DistributorStatus.ACTIVE, on=DAY - dt.timedelta(days=1))
        assert "effective_on" in exc.value.message_dict


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_only_editors_change_status(world, role):
    a = world.a
    with in_scope(a):
        with pytest.raises(PermissionDenied):
            change(a, a.d1, DistributorStatus.TERMINATED, role=role)
        assert not DistributorStatusChange.objects.exists()


def test_first_activation_starts_the_launch_checklist_once(world):
    a = world.a
    with in_scope(a), mock.patch.object(profile_services, "launch_checklist_ensure") as ensure:
        approve(a, a.d1)
        change(a, a.d1, DistributorStatus.ONBOARDING, on=DAY)
        assert ensure.call_count == 0
        change(a, a.d1, DistributorStatus.ACTIVE, on=DAY + dt.timedelta(days=5))
        ensure.assert_called_once()
        assert ensure.call_args.kwargs["start_date"] == DAY + dt.timedelta(days=5)
        assert ensure.call_args.kwargs["distributor"].pk == a.d1.pk
        change(a, a.d1, DistributorStatus.SUSPENDED, on=DAY + dt.timedelta(days=50))
        change(a, a.d1, DistributorStatus.ACTIVE, on=DAY + dt.timedelta(days=60))
        assert ensure.call_count == 1


def test_status_is_not_editable_through_the_profile(world, client):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/{a.slug}/distributors/{a.d1.pk}/edit/",
        {"name": "Sakura Trading", "country": "JP", "currency": "JPY",
         "time_zone": "Asia/Tokyo", "language": "ja", "status": "active"},
    )  # fmt: skip
    assert response.status_code == 302
    with in_scope(a):
        a.d1.refresh_from_db()
        assert a.d1.status == DistributorStatus.PROSPECT
    with pytest.raises(TypeError), in_scope(a):
        distributor_services.distributor_update(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, status="active"
        )


def test_status_page_shows_the_gate_error_next_to_the_field(world, client):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{a.slug}/distributors/{a.d1.pk}/status/",
        {"to_status": "active", "effective_on": "2026-03-02", "reason": "Ready."},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_to_status_error"' in body and "selection checklist" in body
    assert "Ready." in body  # what was typed stays


def test_api_change_status(world, client):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/api/v1/{a.slug}/distributors/{a.d1.pk}/change-status/"
    response = client.post(url, {"to_status": "active", "reason": "Go."}, "application/json")
    assert response.status_code == 400 and "to_status" in response.json()
    with in_scope(a):
        approve(a, a.d1)
    response = client.post(url, {"to_status": "active", "reason": "Go."}, "application/json")
    assert response.status_code == 201, response.content
    assert response.json()["to_status"] == "active"
    detail = client.get(f"/api/v1/{a.slug}/distributors/{a.d1.pk}/").json()
    assert detail["status"] == "active" and detail["status_changed_on"]


# --- selection checklist --------------------------------------------------------------------


def test_approving_names_the_missing_checks(world):
    a = world.a
    with in_scope(a):
        with pytest.raises(ValidationError) as exc:
            selection_services.selection_update(
                vendor=a.vendor,
                actor=a.member(CHANNEL_MANAGER),
                distributor=a.d1,
                references_checked=True,
                decision="approved",
                decision_reason="",
            )
        errors = exc.value.message_dict
        assert "references_checked" not in errors
        for field in ("competing_brands_reviewed", "sales_capacity_confirmed",
                      "willing_to_train", "financial_check", "decision_reason"):  # fmt: skip
            assert field in errors
        assert not SelectionChecklist.objects.exists()
        selection = approve(a, a.d1)
        assert selection.is_complete and selection.decided_by == a.user(CHANNEL_MANAGER)
        selection_services.selection_gate_check(distributor=a.d1)  # does not raise


def test_selection_page_form_says_which_check_is_missing(world, client):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{a.slug}/distributors/{a.d1.pk}/selection/",
        {"references_checked": "on", "competing_brands_reviewed": "on",
         "sales_capacity_confirmed": "on", "willing_to_train": "on",
         "financial_check": "not_done", "decision": "approved",
         "decision_reason": "Looks great."},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_financial_check_error"' in body
    assert "Looks great." in body
    with in_scope(a):
        assert not SelectionChecklist.objects.exists()


def test_selection_page_shows_competing_brands_and_the_override(world, client):
    a = world.a
    with in_scope(a):
        CarriedBrandFactory(distributor=a.d1, brand="RivalBot", competes=True)
        CarriedBrandFactory(distributor=a.d1, brand="FriendlyCo", competes=False)
        CarriedBrandFactory(distributor=a.d2, brand="LotusRival", competes=True)
        selection_services.selection_override(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, reason="CEO call."
        )
    client.force_login(a.user(EXECUTIVE))
    body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/selection/").content.decode()
    assert "RivalBot" in body and "CEO call." in body
    assert "LotusRival" not in body
    assert 'name="references_checked"' not in body  # executives read, no form
    assert 'name="reason"' not in body  # and no override form


@pytest.mark.parametrize("role", [DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_distributor_roles_never_see_the_selection(world, client, role):
    a = world.a
    with in_scope(a):
        approve(a, a.d1)
    client.force_login(a.user(role))
    assert client.get(f"/{a.slug}/distributors/{a.d1.pk}/selection/").status_code == 403
    assert client.get(f"/api/v1/{a.slug}/selection-checklists/{a.d1.pk}/").status_code == 403
    body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert "Good references and capacity." not in body
    assert "/selection/" not in body


# --- contacts -------------------------------------------------------------------------------


def test_distributor_admin_edits_own_contacts(world, client):
    a = world.a
    with in_scope(a):
        own = ContactFactory(distributor=a.d1, name="山田 太郎")
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    response = client.post(
        f"/{a.slug}/contacts/{own.pk}/edit/",
        {"name": "山田 太郎", "role": "sales_lead", "title": "営業部長", "email": "", "phone": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"/{a.slug}/distributors/{a.d1.pk}/contacts/new/",
        {"name": "佐藤 花子", "role": "sales_rep", "title": "", "email": "bad", "phone": ""},
    )
    assert response.status_code == 200 and 'id="id_email_error"' in response.content.decode()
    assert "佐藤 花子" in response.content.decode()
    with in_scope(a):
        own.refresh_from_db()
        assert (own.role, own.title) == ("sales_lead", "営業部長")
        assert AuditEvent.objects.filter(action="contact.update", object_id=str(own.pk)).exists()
        assert not DistributorContact.objects.filter(name="佐藤 花子").exists()


def test_distributor_admin_cannot_touch_another_distributors_contact(world, client):
    a = world.a
    with in_scope(a):
        other = ContactFactory(distributor=a.d2, name="Somchai")
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    before = db_state()
    payload = {"name": "Hijacked", "role": "owner", "title": "", "email": "", "phone": ""}
    assert client.post(f"/{a.slug}/contacts/{other.pk}/edit/", payload).status_code == 404
    assert client.post(f"/{a.slug}/contacts/{other.pk}/active/", {"active": "0"}).status_code == 404
    assert (
        client.post(f"/{a.slug}/distributors/{a.d2.pk}/contacts/new/", payload).status_code == 404
    )
    api = f"/api/v1/{a.slug}/contacts/{other.pk}/"
    assert client.patch(api, {"name": "Hijacked"}, "application/json").status_code == 404
    response = client.post(
        f"/api/v1/{a.slug}/contacts/", {**payload, "distributor": a.d2.pk}, "application/json"
    )
    assert response.status_code == 400 and "distributor" in response.json()
    assert db_state() == before


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_USER])
def test_readers_cannot_edit_contacts(world, client, role):
    a = world.a
    with in_scope(a):
        own = ContactFactory(distributor=a.d1, name="山田 太郎")
    client.force_login(a.user(role))
    before = db_state()
    payload = {"name": "X", "role": "owner", "title": "", "email": "", "phone": ""}
    assert client.post(f"/{a.slug}/contacts/{own.pk}/edit/", payload).status_code == 403
    api = f"/api/v1/{a.slug}/contacts/{own.pk}/"
    assert client.patch(api, {"is_active": False}, "application/json").status_code == 403
    assert db_state() == before
    assert "山田 太郎" in client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()


def test_deactivated_contact_is_kept_and_hidden_from_readers(world, client):
    a = world.a
    with in_scope(a):
        gone = ContactFactory(distributor=a.d1, name="鈴木 一郎")
    client.force_login(a.user(CHANNEL_MANAGER))
    assert client.post(f"/{a.slug}/contacts/{gone.pk}/active/", {"active": "0"}).status_code == 302
    with in_scope(a):
        gone.refresh_from_db()
        assert gone.is_active is False
    client.force_login(a.user(DISTRIBUTOR_USER))
    assert "鈴木 一郎" not in client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()


# --- profile fields, choices limited to the tenant ------------------------------------------


def test_owner_choices_are_active_editors_of_this_vendor_only(world):
    a, b = world.a, world.b
    from partners.selectors.profile import owner_choices

    with in_scope(a):
        ids = set(owner_choices(vendor=a.vendor, actor=a.member(VENDOR_ADMIN)).values_list(
            "pk", flat=True))  # fmt: skip
    assert ids == {a.member(VENDOR_ADMIN).pk, a.member(CHANNEL_MANAGER).pk}
    with in_scope(a):
        for bad in (a.member(EXECUTIVE), a.member(DISTRIBUTOR_ADMIN), b.member(CHANNEL_MANAGER)):
            with pytest.raises(ValidationError) as exc:
                distributor_services.distributor_update(
                    vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, owner=bad
                )
            assert "owner" in exc.value.message_dict
        a.d1.refresh_from_db()
        assert a.d1.owner_id is None


def test_form_and_api_refuse_another_vendors_owner_territory_and_line(world, client):
    a, b = world.a, world.b
    with in_scope(b):
        b_territory = TerritoryFactory(vendor=b.vendor, name="Kanto")
        b_line = ProductLineFactory(vendor=b.vendor, name="Cobots")
    with in_scope(a):
        territory = TerritoryFactory(vendor=a.vendor, name="Kanto")
        line = ProductLineFactory(vendor=a.vendor, name="Cobots")
    client.force_login(a.user(CHANNEL_MANAGER))
    base = {"name": "Sakura Trading", "country": "JP", "currency": "JPY",
            "time_zone": "Asia/Tokyo", "language": "ja"}  # fmt: skip
    before = db_state()
    for field, value in (("owner", b.member(CHANNEL_MANAGER).pk),
                         ("territories", b_territory.pk), ("product_lines", b_line.pk)):  # fmt: skip
        response = client.post(f"/{a.slug}/distributors/{a.d1.pk}/edit/", {**base, field: value})
        assert response.status_code == 200
        assert f'id="id_{field}_error"' in response.content.decode()
        api = client.patch(
            f"/api/v1/{a.slug}/distributors/{a.d1.pk}/",
            {field: value if field == "owner" else [value]},
            "application/json",
        )
        assert api.status_code == 400 and field in api.json()
    assert db_state() == before
    page = client.get(f"/{a.slug}/distributors/{a.d1.pk}/edit/").content.decode()
    assert b.user(CHANNEL_MANAGER).full_name not in page

    response = client.post(
        f"/{a.slug}/distributors/{a.d1.pk}/edit/",
        {**base, "legal_name": "株式会社さくら商事", "owner": a.member(CHANNEL_MANAGER).pk,
         "territories": [territory.pk], "product_lines": [line.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    with in_scope(a):
        a.d1.refresh_from_db()
        assert a.d1.legal_name == "株式会社さくら商事"
        assert a.d1.owner_id == a.member(CHANNEL_MANAGER).pk
        assert list(DistributorTerritory.objects.filter(distributor=a.d1).values_list(
            "territory_id", flat=True)) == [territory.pk]  # fmt: skip
        assert DistributorProductLine.objects.filter(distributor=a.d1).count() == 1
        event = AuditEvent.objects.filter(action="distributor.update").latest("id")
        assert event.changes["territories"] == [[], [territory.pk]]


def test_distributor_list_filters_by_status_and_owner(world, client):
    a = world.a
    with in_scope(a):
        distributor_services.distributor_update(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d2,
            owner=a.member(CHANNEL_MANAGER),
        )  # fmt: skip
        change(a, a.d1, DistributorStatus.TERMINATED)
    client.force_login(a.user(EXECUTIVE))
    body = client.get(f"/{a.slug}/distributors/?status=terminated").content.decode()
    assert "Sakura Trading" in body and "Lotus Distribution" not in body
    owner = a.member(CHANNEL_MANAGER).pk
    body = client.get(f"/{a.slug}/distributors/?owner={owner}").content.decode()
    assert "Sakura Trading" not in body and "Lotus Distribution" in body
    rows = client.get(f"/api/v1/{a.slug}/distributors/?status=prospect").json()["results"]
    assert [r["name"] for r in rows] == ["Lotus Distribution"]
    rows = client.get(f"/api/v1/{a.slug}/distributors/?owner={owner}").json()["results"]
    assert [r["owner"] for r in rows] == [owner]


# --- catalogue ------------------------------------------------------------------------------


def test_duplicate_catalogue_names_get_a_field_message(world, client):
    a = world.a
    with in_scope(a):
        TerritoryFactory(vendor=a.vendor, name="Kanto")
        ProductLineFactory(vendor=a.vendor, name="Cobots")
    client.force_login(a.user(CHANNEL_MANAGER))
    before = db_state()
    response = client.post(
        f"/{a.slug}/catalogue/territories/", {"name": "kanto", "country": "JP", "description": ""}
    )
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    response = client.post(
        f"/api/v1/{a.slug}/product-lines/", {"name": "COBOTS"}, "application/json"
    )
    assert response.status_code == 400 and "name" in response.json()
    assert db_state() == before
    # The same name in another workspace is fine.
    client.force_login(world.b.user(VENDOR_ADMIN))
    response = client.post(
        f"/{world.b.slug}/catalogue/territories/", {"name": "Kanto", "country": "JP"}
    )
    assert response.status_code == 302


# --- carried brands and the panel -----------------------------------------------------------


def test_panel_shows_only_own_data_and_flags_competing_brands(world, client):
    a, b = world.a, world.b
    with in_scope(a):
        ContactFactory(distributor=a.d1, name="山田 太郎")
        ContactFactory(distributor=a.d2, name="Somchai Lotus")
        CarriedBrandFactory(distributor=a.d1, brand="RivalBot", competes=True)
        CarriedBrandFactory(distributor=a.d2, brand="LotusBrand", competes=True)
        approve(a, a.d1)
        change(a, a.d1, DistributorStatus.ONBOARDING, reason="Internal: weak Q1 numbers.")
    with in_scope(b):
        ContactFactory(distributor=b.d1, name="Borealis Contact")
        CarriedBrandFactory(distributor=b.d1, brand="BorealisRival", competes=True)
    for role in (VENDOR_ADMIN, EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER):
        client.force_login(a.user(role))
        body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
        assert "山田 太郎" in body and "RivalBot" in body
        assert "Carries competing brands" in body
        for foreign in ("Somchai Lotus", "LotusBrand", "Borealis Contact", "BorealisRival"):
            assert foreign not in body
        staff = role in (VENDOR_ADMIN, EXECUTIVE)
        assert ("Internal: weak Q1 numbers." in body) is staff
        assert ("/brands/new/" in body) is (role == VENDOR_ADMIN)
        assert ("/contacts/new/" in body) is (role in (VENDOR_ADMIN, DISTRIBUTOR_ADMIN))


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_only_editors_add_or_remove_brands(world, client, role):
    a = world.a
    with in_scope(a):
        brand = CarriedBrandFactory(distributor=a.d1, brand="RivalBot", competes=True)
    client.force_login(a.user(role))
    before = db_state()
    assert client.post(f"/{a.slug}/brands/{brand.pk}/remove/").status_code == 403
    assert client.delete(f"/api/v1/{a.slug}/carried-brands/{brand.pk}/").status_code == 403
    assert db_state() == before
    rows = client.get(f"/api/v1/{a.slug}/carried-brands/").json()["results"]
    assert [r["brand"] for r in rows] == ["RivalBot"]


def test_editor_removes_a_brand_and_duplicates_are_refused(world, client):
    a = world.a
    with in_scope(a):
        brand = CarriedBrandFactory(distributor=a.d1, brand="RivalBot", competes=True)
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{a.slug}/distributors/{a.d1.pk}/brands/new/", {"brand": "rivalbot", "competes": "on"}
    )
    assert response.status_code == 200 and 'id="id_brand_error"' in response.content.decode()
    assert client.post(f"/{a.slug}/brands/{brand.pk}/remove/").status_code == 302
    with in_scope(a):
        event = AuditEvent.objects.get(action="carried_brand.remove")
        assert event.changes["brand"] == ["RivalBot", None]


# --- the distributor's time zone ---------------------------------------------------------------


def test_distributor_form_offers_zones_with_the_countrys_first_and_defaults_from_the_country(
    world, client
):
    """A choice list, not free text: the country's zones first, and left empty, the country's
    usual zone (JP: Asia/Tokyo, TH: Asia/Bangkok, ID: Asia/Jakarta...)."""
    import re

    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    page = client.get(f"/{a.slug}/distributors/new/").content.decode()
    assert '<select name="time_zone"' in page
    bound = client.post(f"/{a.slug}/distributors/new/", {"name": "", "country": "ID"})
    options = re.findall(r'<option value="([^"]*)"', bound.content.decode().split(
        'name="time_zone"')[1].split("</select>")[0])  # fmt: skip
    assert options[:5] == ["", "Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"]
    assert "Europe/Berlin" in options and "Tokyo" not in options
    for name, country, currency, zone in (
        ("Bangkok Co", "TH", "THB", "Asia/Bangkok"), ("Tokyo Co", "JP", "JPY", "Asia/Tokyo"),
        ("Jakarta Co", "ID", "IDR", "Asia/Jakarta"), ("Manila Co", "PH", "PHP", "Asia/Manila"),
    ):  # fmt: skip
        response = client.post(
            f"/{a.slug}/distributors/new/",
            {"name": name, "country": country, "currency": currency, "time_zone": "",
             "language": "en"},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
        with in_scope(a):
            assert Distributor.objects.get(name=name).time_zone == zone
    # A zone other than the country's usual one is kept as chosen.
    client.post(
        f"/{a.slug}/distributors/new/",
        {"name": "Kuching Co", "country": "MY", "currency": "MYR", "time_zone": "Asia/Kuching",
         "language": "en"},
    )  # fmt: skip
    with in_scope(a):
        assert Distributor.objects.get(name="Kuching Co").time_zone == "Asia/Kuching"


def test_api_takes_a_zone_name_or_city_and_defaults_from_the_country(world, client):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/api/v1/{a.slug}/distributors/"
    base = {"currency": "SGD", "language": "en"}
    omitted = client.post(url, {**base, "name": "Lion Co", "country": "SG"}, "application/json")
    assert omitted.status_code == 201 and omitted.json()["time_zone"] == "Asia/Singapore"
    city = client.post(
        url, {**base, "name": "City Co", "country": "JP", "time_zone": "Tokyo"}, "application/json"
    )
    assert city.status_code == 201 and city.json()["time_zone"] == "Asia/Tokyo"
    wrong = client.post(
        url, {**base, "name": "Nowhere Co", "country": "VN", "time_zone": "Atlantis"},
        "application/json",
    )  # fmt: skip
    assert wrong.status_code == 400 and "time_zone" in wrong.json()
    vn = client.post(url, {**base, "name": "Saigon Co", "country": "VN"}, "application/json")
    assert vn.json()["time_zone"] == "Asia/Ho_Chi_Minh"

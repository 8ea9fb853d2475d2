"""Launch pages, htmx partials and API: what people see and can do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.demo import launch as demo_launch
from partners.models import (
    Distributor,
    DistributorStatus,
    LaunchChecklist,
    LaunchChecklistItem,
    LaunchTemplateItem,
)
from partners.services import launch as svc
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)


def ensure(tenant, distributor, start=START):
    with in_scope(tenant):
        return svc.launch_checklist_ensure(
            vendor=tenant.vendor, actor=None, distributor=distributor, start_date=start
        )


def first_item(tenant, checklist):
    with in_scope(tenant):
        return LaunchChecklistItem.objects.filter(checklist=checklist).order_by("id").first()


def test_checklist_page_shows_weeks_owner_due_and_an_accessible_progress_bar(world, client):
    a = world.a
    ensure(a, a.d1)
    client.force_login(a.user(EXECUTIVE))
    response = client.get(f"/{a.slug}/distributors/{a.d1.pk}/launch/")
    body = response.content.decode()
    assert response.status_code == 200
    for week in ("Week 1: Enablement", "Week 2: Pipeline", "Week 3: Conversion", "Week 4: Scale"):
        assert week in body
    assert '<progress id="launch-progress-bar" max="12" value="0">' in body
    assert '<label for="launch-progress-bar">0 of 12 done (0%)</label>' in body
    assert a.user(DISTRIBUTOR_ADMIN).full_name in body  # owner of distributor-side items
    assert "Mark as done" not in body  # executives read


def test_tick_without_javascript_redirects_back(world, client):
    a = world.a
    item = first_item(a, ensure(a, a.d1))
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    response = client.post(f"/{a.slug}/launch/items/{item.pk}/done/", {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/{a.slug}/distributors/{a.d1.pk}/launch/#launch-item-{item.pk}"
    with in_scope(a):
        assert LaunchChecklistItem.objects.get(pk=item.pk).done_at is not None
    body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/launch/").content.decode()
    assert "1 of 12 done (8%)" in body and "Mark as not done" in body


def test_tick_with_htmx_returns_the_item_and_the_progress(world, client):
    a = world.a
    item = first_item(a, ensure(a, a.d1))
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{a.slug}/launch/items/{item.pk}/done/", {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="launch-item-{item.pk}"' in body
    assert 'id="launch-progress"' in body and 'hx-swap-oob="true"' in body
    assert "1 of 12 done (8%)" in body
    assert "<html" not in body  # a fragment, not the page
    response = client.post(
        f"/{a.slug}/launch/items/{item.pk}/done/", {"done": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "0 of 12 done (0%)" in response.content.decode()


def test_distributor_page_panel_shows_progress_and_overdue(world, client):
    a = world.a
    ensure(a, a.d1, start=dt.date(2020, 1, 6))  # long past: everything overdue
    client.force_login(a.user(DISTRIBUTOR_USER))
    page = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    body = page[page.index("<main") :]  # the page's title block also holds the panels
    assert "0 of 12 done (0%)" in body
    assert body.count('<span class="badge bad">overdue</span>') == 12
    assert f"/{a.slug}/distributors/{a.d1.pk}/launch/" in body


def test_staff_start_button_for_an_active_distributor_without_checklist(world, client):
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(pk=a.d2.pk).update(status=DistributorStatus.ACTIVE)
    client.force_login(a.user(CHANNEL_MANAGER))
    body = client.get(f"/{a.slug}/distributors/{a.d2.pk}/").content.decode()
    assert "Create the launch checklist" in body
    response = client.post(f"/{a.slug}/distributors/{a.d2.pk}/launch/start/")
    assert response.status_code == 302
    with in_scope(a):
        assert LaunchChecklist.objects.filter(distributor=a.d2).count() == 1
    # Not active: refused with a message, nothing made.
    before = db_state()
    response = client.post(f"/{a.slug}/distributors/{a.d1.pk}/launch/start/", follow=True)
    assert "Only an active distributor gets a launch checklist." in response.content.decode()
    assert db_state() == before


def test_template_page_for_each_role(world, client):
    a = world.a
    url = f"/{a.slug}/launch/template/"
    client.force_login(a.user(EXECUTIVE))
    body = client.get(url).content.decode()
    assert "Hand over the sales kit" in body and "Start editing" not in body
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    assert client.get(url).status_code == 403
    client.force_login(a.user(VENDOR_ADMIN))
    assert "Start editing" in client.get(url).content.decode()
    client.post(f"/{a.slug}/launch/template/reset/")
    body = client.get(url).content.decode()
    assert "Reset to the standard items" in body and "Move down" in body


def test_template_form_keeps_what_was_typed_and_names_the_field(world, client):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    before = db_state()
    response = client.post(
        f"/{a.slug}/launch/template/items/new/",
        {"week": "2", "title": "Call every reseller", "description": "", "side": "vendor",
         "due_day": "0"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Call every reseller"' in body
    assert 'id="id_due_day_error"' in body
    assert db_state() == before


def test_editing_a_standard_item_in_the_form(world, client):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    client.post(f"/{a.slug}/launch/template/reset/")
    with in_scope(a):
        item = LaunchTemplateItem.objects.get(default_key="scale-next-month")
    url = f"/{a.slug}/launch/template/items/{item.pk}/edit/"
    response = client.post(
        url,
        {"week": "4", "title": "Agree May's target", "description": "With the forecast.",
         "side": "vendor", "due_day": "28"},
    )  # fmt: skip
    assert response.status_code == 302
    with in_scope(a):
        item.refresh_from_db()
    assert (item.title, item.due_day, item.default_key) == ("Agree May's target", 28, "")


# --- API --------------------------------------------------------------------------------------


def test_api_template_list_and_write(world, client):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    rows = client.get(f"/api/v1/{a.slug}/launch-template-items/").json()
    assert len(rows) == 12 and rows[0]["id"] is None and rows[0]["is_standard"] is True
    assert client.post(f"/api/v1/{a.slug}/launch-template-items/", {}).status_code == 403
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/api/v1/{a.slug}/launch-template-items/",
        {"week": 5, "title": "", "side": "vendor", "due_day": 3},
        content_type="application/json",
    )
    assert response.status_code == 400 and {"week", "title"} <= set(response.json())
    response = client.post(
        f"/api/v1/{a.slug}/launch-template-items/",
        {"week": 1, "title": "Welcome call", "side": "vendor", "due_day": 3},
        content_type="application/json",
    )
    assert response.status_code == 201
    rows = client.get(f"/api/v1/{a.slug}/launch-template-items/").json()
    assert len(rows) == 13 and all(row["id"] for row in rows)
    assert [r["title"] for r in rows if r["week"] == 1][-1] == "Welcome call"


def test_api_checklist_and_ticking(world, client):
    a = world.a
    checklist = ensure(a, a.d1, start=dt.date(2020, 1, 6))
    ensure(a, a.d2)
    item = first_item(a, checklist)
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    listing = client.get(f"/api/v1/{a.slug}/launch-checklists/").json()
    assert [row["distributor"] for row in listing["results"]] == [a.d1.pk]
    detail = client.get(f"/api/v1/{a.slug}/launch-checklists/{checklist.pk}/").json()
    assert detail["total_items"] == 12 and detail["done_items"] == 0
    assert all(row["overdue"] for row in detail["items"])
    done = client.post(f"/api/v1/{a.slug}/launch-items/{item.pk}/done/").json()
    assert done["done"] is True and done["overdue"] is False
    assert done["done_by"] == a.user(DISTRIBUTOR_ADMIN).full_name
    detail = client.get(f"/api/v1/{a.slug}/launch-checklists/{checklist.pk}/").json()
    assert (detail["done_items"], detail["percent_done"]) == (1, 8)
    undone = client.delete(f"/api/v1/{a.slug}/launch-items/{item.pk}/done/").json()
    assert undone["done"] is False
    client.force_login(a.user(DISTRIBUTOR_USER))
    before = db_state()
    assert client.post(f"/api/v1/{a.slug}/launch-items/{item.pk}/done/").status_code == 403
    assert db_state() == before


def test_checklist_page_query_count_does_not_grow_with_items(world, client):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    client.post(f"/{a.slug}/launch/template/reset/")
    ensure(a, a.d1)
    url = f"/{a.slug}/distributors/{a.d1.pk}/launch/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    with in_scope(a):
        for n in range(10):
            svc.launch_template_item_create(
                vendor=a.vendor, actor=a.member(VENDOR_ADMIN), week=3, title=f"Extra {n}",
                side="vendor", due_day=20,
            )  # fmt: skip
    ensure(a, a.d2)
    url2 = f"/{a.slug}/distributors/{a.d2.pk}/launch/"
    client.get(url2)
    with CaptureQueriesContext(connection) as large:
        client.get(url2)
    assert len(large) == len(small)


# --- demo -------------------------------------------------------------------------------------


def test_demo_seed_gives_recent_launches_some_done_and_one_overdue(world):
    a = world.a
    today = dt.date.today()
    with in_scope(a):
        Distributor.objects.filter(pk__in=[a.d1.pk, a.d2.pk]).update(
            status=DistributorStatus.ACTIVE, status_changed_on=today - dt.timedelta(days=12)
        )
        distributors = list(Distributor.objects.order_by("pk"))
        checklists = demo_launch.seed(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=distributors
        )
        assert len(checklists) == 2
        for checklist in checklists:
            page_today = checklist.distributor.local_today()
            items = list(checklist.items.all())
            done = [i for i in items if i.done_at]
            overdue = [i for i in items if i.is_overdue(page_today)]
            assert done and len(overdue) == 1
        again = demo_launch.seed(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=distributors
        )
        assert [c.pk for c in again] == [c.pk for c in checklists]

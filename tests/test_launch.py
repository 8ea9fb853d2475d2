"""The 30-day launch checklist: template, creation once per distributor, due dates, owners,
translation of the standard items, overdue in the distributor's time zone, ticking."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from django.utils.translation import trans_real

from partners.models import (
    AuditEvent,
    ContactRole,
    Distributor,
    DistributorContact,
    DistributorStatus,
    LaunchChecklist,
    LaunchChecklistItem,
    LaunchTemplateItem,
)
from partners.platform.scope import tenant_scope
from partners.selectors.launch import distributor_launch_panel, launch_checklist_page
from partners.services import launch as svc
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    build_world,
    db_state,
    in_scope,
)

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)


def ensure(tenant, distributor, start=START, actor=None):
    with in_scope(tenant):
        return svc.launch_checklist_ensure(
            vendor=tenant.vendor, actor=actor, distributor=distributor, start_date=start
        )


def items_of(tenant, checklist):
    with in_scope(tenant):
        return list(
            LaunchChecklistItem.objects.filter(checklist=checklist)
            .select_related("owner_membership", "owner_contact")
            .order_by("week", "position", "id")
        )


# --- the template -----------------------------------------------------------------------------


def test_standard_template_has_four_weeks_of_three_items(world):
    a = world.a
    with in_scope(a):
        rows = svc.launch_template_rows(vendor=a.vendor)
        assert not LaunchTemplateItem.objects.exists()  # nothing stored until edited
    assert [r.week for r in rows] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert {r.week: r.due_day for r in rows} == {1: 7, 2: 14, 3: 21, 4: 30}
    assert {r.side for r in rows} == {"vendor", "distributor"}
    assert all(r.default_key and r.title for r in rows)


def test_template_editing(world):
    a, va = world.a, world.a.member(VENDOR_ADMIN)
    with in_scope(a):
        item = svc.launch_template_item_create(
            vendor=a.vendor,
            actor=va,
            week=2,
            title="Joint visit to the largest account",
            description="",
            side="vendor",
            due_day=12,
        )
        week2 = list(LaunchTemplateItem.objects.filter(week=2).order_by("position"))
        assert len(week2) == 4 and week2[-1] == item  # standard items stored, new one last
        svc.launch_template_item_move(vendor=a.vendor, actor=va, item=item, direction="up")
        week2 = list(LaunchTemplateItem.objects.filter(week=2).order_by("position"))
        assert week2[2] == item
        first = week2[0]
        svc.launch_template_item_move(vendor=a.vendor, actor=va, item=first, direction="up")
        assert LaunchTemplateItem.objects.filter(week=2).order_by("position").first() == first
        svc.launch_template_item_delete(vendor=a.vendor, actor=va, item=first)
        assert LaunchTemplateItem.objects.filter(week=2).count() == 3
        with pytest.raises(ValidationError) as exc:
            svc.launch_template_item_update(
                vendor=a.vendor, actor=va, item=item, week=5, title=" ", due_day=0
            )
        assert set(exc.value.message_dict) == {"week", "title", "due_day"}
        svc.launch_template_reset(vendor=a.vendor, actor=va)
        assert LaunchTemplateItem.objects.count() == 12
        assert not LaunchTemplateItem.objects.filter(default_key="").exists()
        assert AuditEvent.objects.filter(action="launch_template.reset").exists()


@pytest.mark.parametrize("role", [CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN])
def test_only_vendor_admins_edit_the_template(world, role):
    a = world.a
    before = db_state()
    with in_scope(a), pytest.raises(PermissionDenied):
        svc.launch_template_reset(vendor=a.vendor, actor=a.member(role))
    assert db_state() == before


# --- creation ---------------------------------------------------------------------------------


def test_ensure_creates_the_checklist_once_with_due_dates_and_owners(world):
    a = world.a
    cm = a.member(CHANNEL_MANAGER)
    with in_scope(a):
        Distributor.objects.filter(pk=a.d1.pk).update(owner=cm)
        a.d1.refresh_from_db()
    checklist = ensure(a, a.d1, actor=cm)
    items = items_of(a, checklist)
    assert len(items) == 12
    assert checklist.start_date == START
    for item in items:
        due_day = 30 if item.week == 4 else 7 * item.week
        assert item.due_on == START + dt.timedelta(days=due_day)
        if item.side == "vendor":
            assert item.owner_membership == cm
        else:
            assert item.owner_membership == a.member(DISTRIBUTOR_ADMIN)
    assert items[0].due_on == dt.date(2026, 3, 9)

    before = db_state()
    again = ensure(a, a.d1, start=START + dt.timedelta(days=40), actor=cm)
    assert again.pk == checklist.pk
    assert db_state() == before  # nothing changed, not even the start date


def test_distributor_side_falls_back_to_the_owner_contact(world):
    a = world.a
    with in_scope(a):
        contact = DistributorContact.objects.create(
            vendor=a.vendor, distributor=a.d2, name="山田 花子", role=ContactRole.OWNER
        )
    items = items_of(a, ensure(a, a.d2))
    assert {i.owner_contact for i in items if i.side == "distributor"} == {contact}
    assert {i.owner_membership for i in items if i.side == "vendor"} == {None}  # no owner yet


@pytest.mark.django_db(transaction=True)
def test_concurrent_ensure_makes_one_checklist():
    world = build_world()
    a = world.a
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with tenant_scope(a.vendor.id):
                barrier.wait(timeout=10)
                results.append(
                    svc.launch_checklist_ensure(
                        vendor=a.vendor, actor=None, distributor=a.d1, start_date=START
                    ).pk
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    with in_scope(a):
        assert LaunchChecklist.objects.filter(distributor=a.d1).count() == 1
        assert LaunchChecklistItem.objects.count() == 12
        assert AuditEvent.objects.filter(action="launch_checklist.create").count() == 1


def test_ensure_twice_in_a_row_is_one_checklist_even_if_the_first_row_is_unseen(world):
    """The unique key settles a race the lock did not (simulated: the pre-check misses)."""
    a = world.a
    first = ensure(a, a.d1)
    with in_scope(a):
        with pytest.raises(Exception):  # noqa: B017 - any IntegrityError subclass
            from django.db import transaction

            with transaction.atomic():
                LaunchChecklist.objects.create(vendor=a.vendor, distributor=a.d1, start_date=START)
        assert LaunchChecklist.objects.filter(distributor=a.d1).get().pk == first.pk


def test_checklist_copies_the_edited_template_and_keeps_old_copies(world):
    a, va = world.a, world.a.member(VENDOR_ADMIN)
    old = ensure(a, a.d2)
    with in_scope(a):
        item = svc.launch_template_ensure(vendor=a.vendor, actor=va).items.order_by("id").first()
        svc.launch_template_item_update(vendor=a.vendor, actor=va, item=item, title="Kit handover")
    new_items = items_of(a, ensure(a, a.d1))
    assert new_items[0].title == "Kit handover" and new_items[0].default_key == ""
    assert items_of(a, old)[0].title == "Hand over the sales kit"


def test_staff_action_creates_it_for_an_active_distributor_only(world):
    a, cm = world.a, world.a.member(CHANNEL_MANAGER)
    with in_scope(a):
        with pytest.raises(ValidationError):
            svc.launch_checklist_create(vendor=a.vendor, actor=cm, distributor=a.d1)
        assert not LaunchChecklist.objects.exists()
        Distributor.objects.filter(pk=a.d1.pk).update(
            status=DistributorStatus.ACTIVE, status_changed_on=dt.date(2026, 2, 1)
        )
        a.d1.refresh_from_db()
        checklist = svc.launch_checklist_create(vendor=a.vendor, actor=cm, distributor=a.d1)
        assert checklist.start_date == dt.date(2026, 2, 1)
        with pytest.raises(ValidationError):
            svc.launch_checklist_create(vendor=a.vendor, actor=cm, distributor=a.d1)
        with pytest.raises(PermissionDenied):
            svc.launch_checklist_create(
                vendor=a.vendor, actor=a.member(EXECUTIVE), distributor=a.d2
            )


# --- translation ------------------------------------------------------------------------------


@pytest.fixture
def japanese_kit_title():
    """A Japanese catalogue entry for one standard title (the shipped catalogue is filled in by
    the translators; this checks the mechanism, not the wording)."""
    catalog = trans_real.translation("ja")._catalog
    msgid, msgstr = "Hand over the sales kit", "販売キットを渡す"
    had = msgid in catalog
    previous = catalog[msgid] if had else None
    catalog[msgid] = msgstr
    yield msgstr
    if had:
        catalog[msgid] = previous
    else:
        for cat in catalog._catalogs:
            cat.pop(msgid, None)


def test_standard_items_read_in_the_readers_language_until_edited(
    world, client, japanese_kit_title
):
    a, va = world.a, world.a.member(VENDOR_ADMIN)
    checklist = ensure(a, a.d1)
    first = items_of(a, checklist)[0]
    assert first.title == "Hand over the sales kit"  # stored in English
    with translation.override("ja"):
        assert first.display_title == japanese_kit_title
    client.force_login(a.user(DISTRIBUTOR_USER))
    url = f"/{a.slug}/distributors/{a.d1.pk}/launch/"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert japanese_kit_title in body

    with in_scope(a):
        item = svc.launch_template_ensure(vendor=a.vendor, actor=va).items.get(
            default_key="enable-kit"
        )
        # Saving it unchanged, as shown to a Japanese admin, keeps it standard.
        with translation.override("ja"):
            item = svc.launch_template_item_update(
                vendor=a.vendor, actor=va, item=item, title=japanese_kit_title
            )
        assert item.default_key == "enable-kit" and item.title == "Hand over the sales kit"
        item = svc.launch_template_item_update(
            vendor=a.vendor, actor=va, item=item, title="キット一式を送付"
        )
        assert item.default_key == ""
    with translation.override("en"):
        assert item.display_title == "キット一式を送付"  # the admin's words, as written


# --- overdue ----------------------------------------------------------------------------------


def test_overdue_uses_the_distributors_own_today(world):
    a = world.a
    tokyo = ensure(a, a.d1)  # Asia/Tokyo, UTC+9
    ensure(a, a.d2)  # Asia/Bangkok, UTC+7
    # Week 1 is due on 9 March. At 16:00 UTC on 9 March it is already 10 March in Tokyo
    # (01:00) but still 9 March in Bangkok (23:00).
    with time_machine.travel(dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC), tick=False):
        with in_scope(a):
            tokyo_panel = distributor_launch_panel(
                vendor=a.vendor, actor=a.member(EXECUTIVE), distributor=a.d1
            )["launch"]
            bangkok_panel = distributor_launch_panel(
                vendor=a.vendor, actor=a.member(EXECUTIVE), distributor=a.d2
            )["launch"]
        assert tokyo_panel["today"] == dt.date(2026, 3, 10)
        assert [i.week for i in tokyo_panel["overdue"]] == [1, 1, 1]
        assert bangkok_panel["today"] == dt.date(2026, 3, 9)
        assert bangkok_panel["overdue"] == []
        # Done items are not overdue.
        item = items_of(a, tokyo)[0]
        with in_scope(a):
            svc.launch_item_set_done(
                vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), item=item, done=True
            )
            page = launch_checklist_page(
                vendor=a.vendor, actor=a.member(EXECUTIVE), distributor=a.d1
            )
        assert len(page["overdue"]) == 2
        assert (page["progress"].done, page["progress"].total, page["progress"].percent) == (
            1,
            12,
            8,
        )


# --- ticking ----------------------------------------------------------------------------------


def test_ticking_records_who_and_when_and_is_audited(world):
    a = world.a
    item = items_of(a, ensure(a, a.d1))[1]
    moment = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False), in_scope(a):
        done = svc.launch_item_set_done(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_ADMIN), item=item, done=True
        )
        assert done.done_at == moment and done.done_by == a.user(DISTRIBUTOR_ADMIN)
        assert AuditEvent.objects.filter(action="launch_item.tick", object_id=str(item.pk)).count()
        before = db_state()
        svc.launch_item_set_done(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_ADMIN), item=item, done=True
        )
        assert db_state() == before  # ticking a done item again changes nothing
        svc.launch_item_set_done(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), item=item, done=False
        )
        item.refresh_from_db()
        assert item.done_at is None and item.done_by is None
        assert AuditEvent.objects.filter(action="launch_item.untick").count() == 1


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_USER])
def test_readers_cannot_tick(world, role):
    a = world.a
    item = items_of(a, ensure(a, a.d1))[0]
    before = db_state()
    with in_scope(a), pytest.raises(PermissionDenied):
        svc.launch_item_set_done(vendor=a.vendor, actor=a.member(role), item=item, done=True)
    assert db_state() == before


def test_distributor_admin_cannot_tick_another_distributors_item(world, client):
    a = world.a
    ensure(a, a.d1)
    other = items_of(a, ensure(a, a.d2))[0]
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    before = db_state()
    page = client.post(f"/{a.slug}/launch/items/{other.pk}/done/", {"done": "1"})
    api = client.post(f"/api/v1/{a.slug}/launch-items/{other.pk}/done/")
    assert page.status_code == 404 and api.status_code == 404
    assert client.get(f"/{a.slug}/distributors/{a.d2.pk}/launch/").status_code == 404
    assert db_state() == before
    # And in the service itself, even if the item were handed to it.
    with in_scope(a), pytest.raises(PermissionDenied):
        svc.launch_item_set_done(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_ADMIN), item=other, done=True
        )
    assert db_state() == before


def test_reassigning_an_owner(world):
    a, cm = world.a, world.a.member(CHANNEL_MANAGER)
    item = items_of(a, ensure(a, a.d1))[0]
    with in_scope(a):
        stranger = DistributorContact.objects.create(
            vendor=a.vendor, distributor=a.d2, name="Somchai", role=ContactRole.SALES_LEAD
        )
        with pytest.raises(ValidationError):
            svc.launch_item_reassign(vendor=a.vendor, actor=cm, item=item, owner_contact=stranger)
        with pytest.raises(ValidationError):
            svc.launch_item_reassign(
                vendor=a.vendor, actor=cm, item=item, owner_membership=a.d2_member
            )
        item = svc.launch_item_reassign(
            vendor=a.vendor, actor=cm, item=item, owner_membership=a.member(VENDOR_ADMIN)
        )
        assert item.owner_membership == a.member(VENDOR_ADMIN)
        assert AuditEvent.objects.filter(action="launch_item.reassign").count() == 1
        with pytest.raises(PermissionDenied):
            svc.launch_item_reassign(
                vendor=a.vendor, actor=a.member(DISTRIBUTOR_ADMIN), item=item, owner_membership=None
            )

"""Training records and coverage: the arithmetic (who counts, expiry, each distributor's own
"today"), the attendance rules, the pages and the distributor panel, flat query counts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import periods
from partners.models import AuditEvent, ContactRole, TrainingAttendance, TrainingKind
from partners.selectors import enablement as selectors
from partners.services import enablement as services
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories import DistributorFactory
from tests.factories_enablement import attendance, contact, document, product_line, training

pytestmark = pytest.mark.django_db


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("UTC"))


def coverage(tenant, distributor, role=VENDOR_ADMIN):
    with in_scope(tenant):
        return selectors.distributor_training_coverage(
            vendor=tenant.vendor, actor=tenant.member(role), distributor=distributor
        )


@pytest.fixture
def staffed(world):
    """Distributor 1 (Tokyo) and distributor 2 (Bangkok) of vendor A with the same people:
    a rep trained on 2025-01-10 for 12 months, a rep not yet trained, a lead with a current
    leadership training, a lead with a sales-skills training only; plus people who must not
    count (an inactive rep with a completion, an operations contact with one)."""
    a = world.a
    with in_scope(a):
        selling = training(a.vendor, "Value selling", starts_on=dt.date(2025, 1, 10))
        leading = training(
            a.vendor,
            "Leading a team",
            kind=TrainingKind.LEADERSHIP,
            starts_on=dt.date(2025, 2, 1),
            valid_months=None,
        )
        for d in (a.d1, a.d2):
            rep = contact(d, f"Rep trained {d.pk}")
            attendance(
                selling, rep, completed_on=dt.date(2025, 1, 10), expires_on=dt.date(2026, 1, 10)
            )
            attendance(selling, contact(d, f"Rep untrained {d.pk}"))
            lead = contact(d, f"Lead leader {d.pk}", ContactRole.SALES_LEAD)
            attendance(leading, lead, completed_on=dt.date(2025, 2, 1))
            lead2 = contact(d, f"Lead seller {d.pk}", ContactRole.SALES_LEAD)
            attendance(
                selling, lead2, completed_on=dt.date(2025, 1, 10), expires_on=dt.date(2026, 1, 10)
            )
            gone = contact(d, f"Rep gone {d.pk}", is_active=False)
            attendance(selling, gone, completed_on=dt.date(2025, 1, 10))
            ops = contact(d, f"Ops {d.pk}", ContactRole.OPERATIONS)
            TrainingAttendance.objects.create(
                vendor=a.vendor,
                training=selling,
                contact=ops,
                distributor=d,
                completed=True,
                completed_on=dt.date(2025, 1, 10),
            )
    return world


# --- coverage arithmetic --------------------------------------------------------------------


def test_coverage_counts_active_sales_people_with_a_current_completion(staffed):
    a = staffed.a
    with time_machine.travel(moment("2025-06-01 03:00"), tick=False):
        c = coverage(a, a.d1)
    assert (c.sales_people, c.sales_trained) == (4, 3)
    assert c.share == 75
    assert (c.leads, c.leads_trained) == (2, 1)
    assert c.as_of == dt.date(2025, 6, 1)


def test_a_completion_stops_counting_on_its_expiry_day(staffed):
    a = staffed.a
    with time_machine.travel(moment("2026-01-09 12:00"), tick=False):  # Jan 9 in Tokyo
        before = coverage(a, a.d1)
    with time_machine.travel(moment("2026-01-10 00:00"), tick=False):  # Jan 10, 09:00 in Tokyo
        after = coverage(a, a.d1)
    assert (before.sales_trained, before.sales_people) == (3, 4)
    # Both sales-skills completions expired; the leadership one never expires.
    assert (after.sales_trained, after.sales_people) == (1, 4)
    assert after.share == 25
    assert (after.leads_trained, after.leads) == (1, 2)


def test_today_is_each_distributors_own_date(staffed):
    """16:30 UTC on 9 January: already 10 January in Tokyo, still the 9th in Bangkok."""
    a = staffed.a
    with time_machine.travel(moment("2026-01-09 16:30"), tick=False), in_scope(a):
        rows = {
            d.pk: selectors.coverage_of(d)
            for d in selectors.training_coverage_list_for_actor(
                vendor=a.vendor, actor=a.member(EXECUTIVE)
            )
        }
    tokyo, bangkok = rows[a.d1.pk], rows[a.d2.pk]
    assert tokyo.as_of == dt.date(2026, 1, 10) and bangkok.as_of == dt.date(2026, 1, 9)
    assert tokyo.sales_trained == 1
    assert bangkok.sales_trained == 3


def test_a_completion_dated_in_the_future_does_not_count_yet(world):
    a = world.a
    with in_scope(a):
        t = training(a.vendor, starts_on=dt.date(2025, 1, 1))
        attendance(t, contact(a.d1, "Early"), completed_on=dt.date(2025, 3, 1))
    with time_machine.travel(moment("2025-02-01 00:00"), tick=False):
        assert coverage(a, a.d1).sales_trained == 0


def test_no_sales_people_has_no_share(world):
    c = coverage(world.a, world.a.d1)
    assert (c.sales_people, c.sales_trained, c.share, c.level) == (0, 0, None, "none")


def test_a_distributor_user_reaches_only_its_own_coverage(staffed):
    a = staffed.a
    assert coverage(a, a.d1, DISTRIBUTOR_USER).sales_people == 4
    from django.http import Http404

    with pytest.raises(Http404):
        coverage(a, a.d2, DISTRIBUTOR_USER)


def test_add_months_same_day_keeps_to_the_end_of_short_months():
    assert periods.add_months_same_day(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert periods.add_months_same_day(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert periods.add_months_same_day(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 15)


# --- attendance rules -----------------------------------------------------------------------


@pytest.fixture
def course(world):
    a = world.a
    with in_scope(a):
        t = training(a.vendor, "Product basics", starts_on=dt.date(2025, 1, 31), valid_months=1)
        rep = contact(a.d1, "Aiko Rep")
    return t, rep


def test_completion_expiry_follows_the_trainings_validity(world, course):
    a = world.a
    t, rep = course
    with time_machine.travel(moment("2025-04-01 00:00"), tick=False), in_scope(a):
        record = services.attendance_add(
            vendor=a.vendor,
            actor=a.member(CHANNEL_MANAGER),
            training=t,
            contact=rep,
            completed=True,
            completed_on=dt.date(2025, 1, 31),
        )
        assert record.expires_on == dt.date(2025, 2, 28)
        assert record.distributor_id == a.d1.pk
        services.training_update(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), training=t, valid_months=12
        )
        record.refresh_from_db()
        assert record.expires_on == dt.date(2026, 1, 31)
        assert AuditEvent.objects.filter(action="training.attendance.add").count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"completed": True}, "completed_on"),
        ({"completed": True, "completed_on": dt.date(2025, 1, 30)}, "completed_on"),
        ({"completed": True, "completed_on": dt.date(2025, 3, 2)}, "completed_on"),  # future
        (
            {
                "completed": True,
                "completed_on": dt.date(2025, 2, 1),
                "expires_on": dt.date(2025, 2, 1),
            },
            "expires_on",
        ),
    ],
)
def test_bad_completions_are_refused_on_their_field(world, course, change, field):
    a = world.a
    t, rep = course
    with time_machine.travel(moment("2025-03-01 00:00"), tick=False), in_scope(a):
        before = db_state()
        with pytest.raises(ValidationError) as exc:
            services.attendance_add(
                vendor=a.vendor, actor=a.member(VENDOR_ADMIN), training=t, contact=rep, **change
            )
        assert field in exc.value.message_dict
        assert db_state() == before


def test_only_active_sales_people_attend_and_only_once(world, course):
    a = world.a
    t, rep = course
    with in_scope(a):
        ops = contact(a.d1, "Ops person", ContactRole.OPERATIONS)
        gone = contact(a.d1, "Gone rep", is_active=False)
        actor = a.member(VENDOR_ADMIN)
        for person in (ops, gone):
            with pytest.raises(ValidationError) as exc:
                services.attendance_add(vendor=a.vendor, actor=actor, training=t, contact=person)
            assert "contact" in exc.value.message_dict
        services.attendance_add(vendor=a.vendor, actor=actor, training=t, contact=rep)
        with pytest.raises(ValidationError) as exc:
            services.attendance_add(vendor=a.vendor, actor=actor, training=t, contact=rep)
        assert "already" in exc.value.message_dict["contact"][0]
        assert TrainingAttendance.objects.filter(training=t).count() == 1


@pytest.mark.parametrize("role", [EXECUTIVE, "distributor_admin", DISTRIBUTOR_USER])
def test_readers_cannot_record_trainings(world, course, role):
    a = world.a
    t, rep = course
    with in_scope(a):
        before = db_state()
        with pytest.raises(PermissionDenied):
            services.training_create(
                vendor=a.vendor,
                actor=a.member(role),
                title="x",
                kind=TrainingKind.PRODUCT,
                starts_on=dt.date(2025, 1, 1),
            )
        with pytest.raises(PermissionDenied):
            services.attendance_add(vendor=a.vendor, actor=a.member(role), training=t, contact=rep)
        assert db_state() == before


def test_adding_several_attendees_is_all_or_nothing(world, course):
    a = world.a
    t, rep = course
    with in_scope(a):
        ops = contact(a.d1, "Ops person", ContactRole.OPERATIONS)
        with pytest.raises(ValidationError):
            services.attendances_add(
                vendor=a.vendor, actor=a.member(VENDOR_ADMIN), training=t, contacts=[rep, ops]
            )
        assert not TrainingAttendance.objects.filter(training=t).exists()


# --- pages ----------------------------------------------------------------------------------


def test_training_form_keeps_input_and_names_the_field(client, world):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{a.slug}/trainings/new/",
        {
            "title": "営業スキル研修",
            "kind": "sales_skills",
            "starts_on": "2025-03-10",
            "ends_on": "2025-03-01",
            "valid_months": "12",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_ends_on_error"' in body
    assert 'value="営業スキル研修"' in body


def test_channel_manager_records_a_training_and_its_attendees(client, world):
    a = world.a
    with in_scope(a):
        rep = contact(a.d1, "佐藤 太郎")
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{a.slug}/trainings/new/",
        {"title": "Value selling", "kind": "sales_skills", "starts_on": "2025-03-10"},
    )
    assert response.status_code == 302
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert "佐藤 太郎" in page  # offered as an attendee
    pk = int(detail.rstrip("/").rsplit("/", 1)[-1])
    response = client.post(
        f"/{a.slug}/trainings/{pk}/attendees/",
        {"contacts": [rep.pk], "completed": "on", "completed_on": "2025-03-10"},
    )
    assert response.status_code == 302
    with in_scope(a):
        record = TrainingAttendance.objects.get(contact=rep)
    assert record.completed and record.completed_on == dt.date(2025, 3, 10)
    panel = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert "Value selling" in panel


def test_distributor_page_panel_shows_coverage(client, staffed):
    a = staffed.a
    client.force_login(a.user(DISTRIBUTOR_USER))
    with time_machine.travel(moment("2025-06-01 03:00"), tick=False):
        body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert "3 of 4" in body and "75%" in body
    assert "1 of 2" in body  # leaders trained
    assert f"Rep untrained {a.d1.pk}" in body
    assert f"Rep untrained {a.d2.pk}" not in body
    assert f"Rep gone {a.d1.pk}" not in body


def _add_distributors(tenant, start: int, n: int) -> None:
    with in_scope(tenant):
        t = training(tenant.vendor, f"Course {start}")
        for i in range(start, start + n):
            d = DistributorFactory(vendor=tenant.vendor, name=f"Extra {i}")
            for j in range(3):
                person = contact(d, f"Person {i}-{j}", ContactRole.SALES_LEAD if j else "sales_rep")
                attendance(t, person, completed_on=dt.date(2025, 1, 10))
            line = product_line(tenant.vendor, f"Line {i}", sold_by=(d, tenant.d1))
            document(tenant.vendor, f"Sheet {i}", product_line=line)


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/{slug}/trainings/coverage/",
        "/{slug}/trainings/",
        "/{slug}/sales-kit/",
        "/{slug}/distributors/{d1}/",
        "/api/v1/{slug}/training-coverage/",
        "/api/v1/{slug}/trainings/",
        "/api/v1/{slug}/training-attendance/",
        "/api/v1/{slug}/sales-kit/",
    ],
)
@pytest.mark.parametrize("role", [VENDOR_ADMIN, DISTRIBUTOR_USER])
def test_query_counts_do_not_grow_with_distributors(client, world, path, role):
    a = world.a
    path = path.format(slug=a.slug, d1=a.d1.pk)
    client.force_login(a.user(role))
    _add_distributors(a, 0, 2)
    few = count_queries(client, path)
    _add_distributors(a, 2, 12)
    many = count_queries(client, path)
    assert many == few, f"{path}: {few} queries with few rows, {many} with more"
    # The distributor page carries every area's panel; the others are single-purpose pages.
    assert few <= (40 if "/distributors/" in path else 25)

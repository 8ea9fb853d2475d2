"""The reporting schedule: due moments (holidays, closures, time zones, month ends), opening
periods, reminders and escalations sent once however often or concurrently the sweep runs,
missed flags, signed links and the due-date feed."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from partners import periods
from partners.models import AuditEvent, Distributor, DistributorStatus, OutboundEmail, Vendor
from partners.platform.scope import tenant_scope
from reporting import calendar as cal
from reporting.models import Report, ReportingCalendar, ReportingClosure, ReportLink
from reporting.services import schedule
from tests.conftest import CHANNEL_MANAGER, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER, in_scope

UTC = dt.UTC
TOKYO = ZoneInfo("Asia/Tokyo")


def _dist(country="JP", tz="Asia/Tokyo"):
    return Distributor(country=country, time_zone=tz)


def _calendar(closures=(), **settings) -> cal.DueCalendar:
    return cal.DueCalendar(settings=ReportingCalendar(**settings), closures=tuple(closures))


def local(due: dt.datetime, tz: str = "Asia/Tokyo") -> dt.datetime:
    return due.astimezone(ZoneInfo(tz))


# --- due moments -------------------------------------------------------------------------------


def test_weekly_due_is_the_monday_after_the_week_at_noon_local():
    due = cal.weekly_due(_calendar(), _dist(), dt.date(2026, 3, 2))
    assert due == dt.datetime(2026, 3, 9, 12, 0, tzinfo=TOKYO)
    assert due.utcoffset() is not None


def test_golden_week_moves_the_weekly_due_to_the_first_business_day():
    # Week of 27 April - 3 May 2026: Monday 4, 5 and 6 May are holidays in Japan.
    due = cal.weekly_due(_calendar(), _dist(), dt.date(2026, 4, 27))
    assert local(due) == dt.datetime(2026, 5, 7, 12, 0, tzinfo=TOKYO)
    # The same week in Singapore is due on the Monday itself.
    sg = cal.weekly_due(_calendar(), _dist("SG", "Asia/Singapore"), dt.date(2026, 4, 27))
    assert local(sg, "Asia/Singapore").date() == dt.date(2026, 5, 4)


def test_monday_holiday_moves_the_weekly_due_to_tuesday():
    # Coming of Age Day: Monday 12 January 2026.
    due = cal.weekly_due(_calendar(), _dist(), dt.date(2026, 1, 5))
    assert local(due).date() == dt.date(2026, 1, 13)


def test_new_year_closure_and_holiday():
    closure = cal.Closure(dt.date(2026, 12, 29), dt.date(2027, 1, 3), "")
    # Without a closure the week of 21-27 December 2026 is due on Monday the 28th.
    assert local(cal.weekly_due(_calendar(), _dist(), dt.date(2026, 12, 21))).date() == (
        dt.date(2026, 12, 28)
    )
    plain = cal.weekly_due(_calendar(), _dist(), dt.date(2026, 12, 21) + dt.timedelta(days=7))
    assert local(plain).date() == dt.date(2027, 1, 4)  # Monday after the week, no holiday
    # With the vendor's closure a Tuesday due day (weekday 1) moves past the New Year.
    tuesday = _calendar(weekly_weekday=1)
    assert local(cal.weekly_due(tuesday, _dist(), dt.date(2026, 12, 21))).date() == (
        dt.date(2026, 12, 29)
    )
    closed = _calendar([closure], weekly_weekday=1)
    assert local(cal.weekly_due(closed, _dist(), dt.date(2026, 12, 21))).date() == (
        dt.date(2027, 1, 4)
    )
    # A closure for another country does not move Japan's due day.
    thai_closure = cal.Closure(dt.date(2026, 12, 29), dt.date(2027, 1, 3), "TH")
    other = _calendar([thai_closure], weekly_weekday=1)
    assert local(cal.weekly_due(other, _dist(), dt.date(2026, 12, 21))).date() == (
        dt.date(2026, 12, 29)
    )


def test_monthly_due_fifth_business_day_counts_new_year_holiday_and_closure():
    # December 2025: January 2026 starts with New Year's Day (Thursday, a holiday).
    plain = cal.monthly_due(_calendar(), _dist(), dt.date(2025, 12, 1))
    # 2 (Fri), 5, 6, 7, 8 January -> the 5th business day is Thursday 8 January.
    assert local(plain) == dt.datetime(2026, 1, 8, 18, 0, tzinfo=TOKYO)
    closure = cal.Closure(dt.date(2025, 12, 29), dt.date(2026, 1, 3), "JP")
    closed = cal.monthly_due(_calendar([closure]), _dist(), dt.date(2025, 12, 1))
    assert local(closed).date() == dt.date(2026, 1, 9)


def test_monthly_due_across_golden_week_and_other_counts():
    # April 2026 in Japan: 1 May (Fri), 7, 8, 11, 12 May -> Tuesday 12 May.
    assert local(cal.monthly_due(_calendar(), _dist(), dt.date(2026, 4, 1))).date() == (
        dt.date(2026, 5, 12)
    )
    # In the United States the same month is due on Thursday 7 May.
    us = cal.monthly_due(_calendar(), _dist("US", "America/New_York"), dt.date(2026, 4, 1))
    assert local(us, "America/New_York").date() == dt.date(2026, 5, 7)
    # The 1st business day rule, and a month end (February, a short month) handled.
    first = _calendar(monthly_business_day=1)
    assert local(cal.monthly_due(first, _dist(), dt.date(2026, 1, 1))).date() == (
        dt.date(2026, 2, 2)
    )
    assert periods.period_end(periods.MONTH, dt.date(2026, 2, 1)) == dt.date(2026, 2, 28)
    assert periods.period_end(periods.MONTH, dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert periods.period_end(periods.MONTH, dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)


def test_same_local_time_is_a_different_instant_per_time_zone():
    week = dt.date(2026, 3, 2)
    tokyo = cal.weekly_due(_calendar(), _dist("JP", "Asia/Tokyo"), week)
    jakarta = cal.weekly_due(_calendar(), _dist("ID", "Asia/Jakarta"), week)
    new_york = cal.weekly_due(_calendar(), _dist("US", "America/New_York"), week)
    assert tokyo.astimezone(UTC) == dt.datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
    assert jakarta.astimezone(UTC) == dt.datetime(2026, 3, 9, 5, 0, tzinfo=UTC)
    # New York has just moved to summer time (8 March 2026): 12:00 EDT is 16:00 UTC.
    assert new_york.astimezone(UTC) == dt.datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


def test_vendor_time_and_weekday_are_used():
    calendar = _calendar(weekly_weekday=2, weekly_time=dt.time(9, 30))
    due = cal.weekly_due(calendar, _dist(), dt.date(2026, 3, 2))
    assert local(due) == dt.datetime(2026, 3, 11, 9, 30, tzinfo=TOKYO)


@pytest.mark.django_db
def test_calendar_for_a_vendor_without_a_row_uses_defaults(tenant_a):
    with in_scope(tenant_a):
        row = cal.calendar_for(tenant_a.vendor)
        assert row.pk is None and row.weekly_weekday == 0 and row.monthly_business_day == 5
        ReportingCalendar.objects.create(vendor=tenant_a.vendor, monthly_business_day=3)
        ReportingClosure.objects.create(
            vendor=tenant_a.vendor,
            name="New Year",
            start_date=dt.date(2025, 12, 29),
            end_date=dt.date(2026, 1, 3),
        )
        due_calendar = cal.due_calendar_for(tenant_a.vendor)
    assert due_calendar.settings.monthly_business_day == 3
    assert not due_calendar.is_business_day("JP", dt.date(2025, 12, 30))


def test_periods_ended_in_the_distributors_time_zone():
    # Sunday 1 March 2026, 16:00 UTC: Monday already in Tokyo, still Sunday in New York.
    now = dt.datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    since = dt.date(2026, 2, 20)
    tokyo = cal.periods_ended(_calendar(), _dist(), now=now, since=since)
    ny = cal.periods_ended(_calendar(), _dist("US", "America/New_York"), now=now, since=since)
    assert [(p.kind, p.start) for p in tokyo] == [
        ("weekly", dt.date(2026, 2, 23)),
        ("weekly", dt.date(2026, 2, 16)),
        ("monthly", dt.date(2026, 2, 1)),
    ]
    assert [(p.kind, p.start) for p in ny] == [
        ("weekly", dt.date(2026, 2, 16)),
        ("monthly", dt.date(2026, 2, 1)),
    ]


def test_periods_ended_catch_up_stops_at_thirteen_weeks():
    now = dt.datetime(2026, 6, 10, 3, 0, tzinfo=UTC)
    periods = cal.periods_ended(_calendar(), _dist(), now=now, since=None)
    weeks = [p for p in periods if p.kind == "weekly"]
    assert len(weeks) == 13
    assert weeks[0].start == dt.date(2026, 6, 1)
    assert weeks[-1].end >= dt.date(2026, 6, 10) - dt.timedelta(weeks=13)


# --- the sweep ---------------------------------------------------------------------------------

T_OPEN = dt.datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # Monday 05:00 in Tokyo
WEEK = dt.date(2026, 2, 23)  # due Monday 2 March 12:00 JST = 03:00 UTC


def _activate(tenant, since=dt.date(2026, 2, 23)):
    with in_scope(tenant):
        Distributor.objects.filter(pk=tenant.d1.pk).update(
            status=DistributorStatus.ACTIVE,
            status_changed_on=since,
            owner=tenant.member(CHANNEL_MANAGER),
        )


def _sweep(tenant, now):
    with time_machine.travel(now, tick=False), in_scope(tenant):
        return schedule.reporting_sweep(vendor=tenant.vendor)


def _emails(tenant, template=None):
    with in_scope(tenant):
        qs = OutboundEmail.objects.filter(vendor=tenant.vendor)
        if template:
            qs = qs.filter(template=template)
        return list(qs.order_by("id"))


@pytest.mark.django_db
def test_reports_open_creates_ended_periods_once(tenant_a):
    _activate(tenant_a)
    with time_machine.travel(T_OPEN, tick=False), in_scope(tenant_a):
        assert schedule.reports_open(vendor=tenant_a.vendor) == 2
        assert schedule.reports_open(vendor=tenant_a.vendor) == 0
        rows = list(Report.objects.order_by("kind", "period_start"))
    assert [(r.kind, r.period_start, r.distributor_id) for r in rows] == [
        ("monthly", dt.date(2026, 2, 1), tenant_a.d1.pk),
        ("weekly", WEEK, tenant_a.d1.pk),
    ]
    weekly = rows[1]
    assert weekly.period_end == dt.date(2026, 3, 1)
    assert weekly.due_at == dt.datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    # Fifth business day of March 2026 in Japan: Friday 6 March, 18:00 JST.
    assert rows[0].due_at == dt.datetime(2026, 3, 6, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_prospects_and_suspended_distributors_get_no_reports(tenant_a):
    with in_scope(tenant_a):
        Distributor.objects.filter(pk=tenant_a.d1.pk).update(status=DistributorStatus.SUSPENDED)
    _sweep(tenant_a, T_OPEN)
    with in_scope(tenant_a):
        assert not Report.objects.exists()


@pytest.mark.django_db
def test_reminders_escalation_and_missed_each_once(tenant_a, tenant_b):
    _activate(tenant_a)
    people = {tenant_a.user(DISTRIBUTOR_ADMIN).email, tenant_a.user(DISTRIBUTOR_USER).email}
    cm = tenant_a.user(CHANNEL_MANAGER).email

    # Before the due moment: one reminder per partner person, each with a link of their own.
    for _ in range(3):
        _sweep(tenant_a, T_OPEN)
    before = _emails(tenant_a, "report_reminder")
    assert {e.to for e in before} == people and len(before) == 2
    with in_scope(tenant_a):
        links = list(ReportLink.objects.select_related("membership__user"))
        weekly = Report.objects.get(kind="weekly")
    assert len(links) == 2 and {link.membership.user.email for link in links} == people
    assert weekly.reminder_before_sent_at == T_OPEN
    assert links[0].expires_at == T_OPEN + dt.timedelta(days=7)
    assert all(link.token_hash not in e.body_text for link in links for e in before)
    assert all("/acme/reports/link/" in e.body_text for e in before)

    # At the due moment: "due now", once.
    at_due = dt.datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    _sweep(tenant_a, at_due)
    _sweep(tenant_a, at_due + dt.timedelta(minutes=30))
    assert len(_emails(tenant_a, "report_reminder")) == 4

    # A day overdue: the owning channel manager, once.
    overdue = dt.datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    _sweep(tenant_a, overdue)
    _sweep(tenant_a, overdue + dt.timedelta(hours=1))
    escalations = _emails(tenant_a, "report_escalation")
    assert [e.to for e in escalations] == [cm]

    # After the grace period (3 days): missed, flagged and told once.
    late = dt.datetime(2026, 3, 5, 4, 0, tzinfo=UTC)
    for hour in range(3):
        _sweep(tenant_a, late + dt.timedelta(hours=hour))
    with in_scope(tenant_a):
        weekly.refresh_from_db()
        assert weekly.missed_at == late
        assert AuditEvent.objects.filter(action="report.missed").count() == 1
    assert [e.to for e in _emails(tenant_a, "report_missed")] == [cm]
    # Nothing reached the other workspace.
    assert _emails(tenant_b) == []


@pytest.mark.django_db
def test_handed_in_and_returned_reports_get_no_reminders(tenant_a):
    _activate(tenant_a)
    with time_machine.travel(T_OPEN, tick=False), in_scope(tenant_a):
        schedule.reports_open(vendor=tenant_a.vendor)
        Report.objects.filter(kind="weekly").update(status="submitted", submitted_at=T_OPEN)
    _sweep(tenant_a, T_OPEN)
    _sweep(tenant_a, dt.datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    _sweep(tenant_a, dt.datetime(2026, 3, 6, 4, 0, tzinfo=UTC))
    with in_scope(tenant_a):
        weekly = Report.objects.get(kind="weekly")
    assert weekly.missed_at is None and weekly.escalated_at is None
    assert not [e for e in _emails(tenant_a) if f"report:{weekly.pk}:" in (e.dedupe_key or "")]


@pytest.mark.django_db
def test_a_report_opened_after_its_due_moment_gets_no_before_reminder(tenant_a):
    _activate(tenant_a)
    _sweep(tenant_a, dt.datetime(2026, 3, 2, 5, 0, tzinfo=UTC))  # two hours after due
    with in_scope(tenant_a):
        weekly = Report.objects.get(kind="weekly")
    assert weekly.reminder_before_sent_at is None
    assert weekly.reminder_due_sent_at is not None
    keys = {e.dedupe_key.split(":")[2] for e in _emails(tenant_a, "report_reminder")}
    assert keys == {"due"}


@pytest.mark.django_db
def test_escalation_without_an_owner_goes_to_the_vendor_admins(tenant_a):
    _activate(tenant_a)
    with in_scope(tenant_a):
        Distributor.objects.filter(pk=tenant_a.d1.pk).update(owner=None)
    _sweep(tenant_a, dt.datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    assert [e.to for e in _emails(tenant_a, "report_escalation")] == [
        "vendor_admin@acme.example.com"
    ]


@pytest.mark.django_db
def test_reminder_is_in_the_persons_language(tenant_a):
    _activate(tenant_a)
    user = tenant_a.user(DISTRIBUTOR_USER)
    user.language = "ja"
    user.save(update_fields=["language"])
    _sweep(tenant_a, T_OPEN)
    mails = {e.to: e for e in _emails(tenant_a, "report_reminder")}
    assert mails[user.email].language == "ja"
    assert mails[tenant_a.user(DISTRIBUTOR_ADMIN).email].language == "en"


@pytest.mark.django_db
def test_each_mail_gives_the_due_moment_in_its_recipients_zone_and_names_it(tenant_a):
    """Partner people read the distributor's zone (Tokyo), the channel manager the vendor's
    (Berlin): the same due moment, 03:00 UTC, twice, each with its zone named."""
    Vendor.objects.filter(pk=tenant_a.vendor.pk).update(time_zone="Europe/Berlin")
    tenant_a.vendor.refresh_from_db()
    _activate(tenant_a)
    _sweep(tenant_a, T_OPEN)
    _sweep(tenant_a, dt.datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    reminder = _emails(tenant_a, "report_reminder")[0]
    escalation = _emails(tenant_a, "report_escalation")[0]
    assert "is due March 2, 2026, noon (Asia/Tokyo)" in reminder.body_text
    assert "noon (Asia/Tokyo)" in reminder.body_html
    assert "was due March 2, 2026, 4 a.m. (Europe/Berlin)" in escalation.body_text
    assert "Asia/Tokyo" not in escalation.body_text


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_reminder_once(world):
    tenant = world.a
    _activate(tenant)
    with time_machine.travel(T_OPEN, tick=False), in_scope(tenant):
        schedule.reports_open(vendor=tenant.vendor)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait(timeout=10)
            with tenant_scope(tenant.vendor.id):
                schedule.report_reminders_send(vendor=tenant.vendor, now=T_OPEN)
                schedule.reports_flag_missed(vendor=tenant.vendor, now=T_OPEN)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    for _ in range(3):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(_emails(tenant, "report_reminder")) == 2
    with in_scope(tenant):
        assert ReportLink.objects.count() == 2


# --- signed links ------------------------------------------------------------------------------


@pytest.fixture
def fake_form(monkeypatch):
    """Stand in for the submissions area's form: says which report and person it got."""
    import sys
    import types

    from django.http import HttpResponse

    try:
        import reporting.views.submissions as module
    except ImportError:
        module = types.ModuleType("reporting.views.submissions")
        monkeypatch.setitem(sys.modules, "reporting.views.submissions", module)

    def form(request, *, vendor, actor, report, form_url, autosave_url, done_url, **extra):
        return HttpResponse(f"form of report {report.pk} for membership {actor.pk}")

    def autosave(request, *, vendor, actor, report):
        return HttpResponse(f"saved {report.pk}")

    monkeypatch.setattr(module, "report_form_handle", form, raising=False)
    monkeypatch.setattr(module, "report_autosave_handle", autosave, raising=False)
    return module


def _link(tenant, distributor=None, member=None, period_start=WEEK):
    distributor = distributor or tenant.d1
    member = member or tenant.member(DISTRIBUTOR_USER)
    from tests.factories_reporting import ReportFactory

    with in_scope(tenant):
        report = ReportFactory(distributor=distributor, period_start=period_start)
        link, raw = schedule.report_link_create(
            vendor=tenant.vendor, report=report, membership=member
        )
    return report, link, raw


@pytest.mark.django_db
def test_a_valid_link_opens_that_one_form_once(client, tenant_a, fake_form):
    report, link, raw = _link(tenant_a)
    other_report, _l, _r = _link(tenant_a, period_start=WEEK - dt.timedelta(days=7))
    response = client.get(f"/acme/reports/link/{raw}/")
    assert response.status_code == 302
    assert response["Location"] == f"/acme/reports/{report.pk}/via-link/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.content.decode() == (
        f"form of report {report.pk} for membership {tenant_a.member(DISTRIBUTOR_USER).pk}"
    )
    assert client.post(f"/acme/reports/{report.pk}/via-link/autosave/").status_code == 200
    # The grant reaches nothing else: not another report, not a page that needs a login.
    assert client.get(f"/acme/reports/{other_report.pk}/via-link/").status_code == 404
    assert client.get("/acme/").status_code == 302
    with in_scope(tenant_a):
        link.refresh_from_db()
    assert link.used_at is not None
    # Reused: explained, with the login offered.
    again = client.get(f"/acme/reports/link/{raw}/")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert "/accounts/login/?next=" in again.content.decode()


@pytest.mark.django_db
def test_expired_tampered_and_revoked_links(client, tenant_a, fake_form):
    report, link, raw = _link(tenant_a)
    with time_machine.travel(link.expires_at + dt.timedelta(minutes=1)):
        expired = client.get(f"/acme/reports/link/{raw}/")
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    tampered = client.get(f"/acme/reports/link/{raw[:-2]}xx/")
    assert tampered.status_code == 404
    # Another workspace's address with this link: unknown there.
    assert client.get(f"/borealis/reports/link/{raw}/").status_code == 404
    _r2, _l2, raw2 = _link(tenant_a, period_start=WEEK - dt.timedelta(days=7))
    with in_scope(tenant_a):
        tenant_a.member(DISTRIBUTOR_USER).__class__.objects.filter(
            pk=tenant_a.member(DISTRIBUTOR_USER).pk
        ).update(is_active=False)
    revoked = client.get(f"/acme/reports/link/{raw2}/")
    assert revoked.status_code == 410
    with in_scope(tenant_a):
        assert not ReportLink.objects.filter(used_at__isnull=False).exists()


@pytest.mark.django_db
def test_expired_link_page_is_in_the_persons_language(client, tenant_a):
    user = tenant_a.user(DISTRIBUTOR_USER)
    user.language = "ja"
    user.save(update_fields=["language"])
    _report, link, raw = _link(tenant_a)
    with time_machine.travel(link.expires_at + dt.timedelta(minutes=1)):
        response = client.get(f"/acme/reports/link/{raw}/")
    assert response.status_code == 410
    assert 'lang="ja"' in response.content.decode()


@pytest.mark.django_db
def test_another_persons_link_and_grant(client, tenant_a, fake_form):
    report, link, raw = _link(tenant_a)
    # Logged in as someone else: like an unknown link, nothing used.
    client.force_login(tenant_a.user(DISTRIBUTOR_ADMIN))
    assert client.get(f"/acme/reports/link/{raw}/").status_code == 404
    with in_scope(tenant_a):
        link.refresh_from_db()
    assert link.used_at is None
    # A grant taken anonymously does not serve another logged-in person.
    client.logout()
    client.get(f"/acme/reports/link/{raw}/")
    client.force_login(tenant_a.user(DISTRIBUTOR_ADMIN))
    assert client.get(f"/acme/reports/{report.pk}/via-link/").status_code == 404


@pytest.mark.django_db
def test_the_links_person_logged_in_goes_to_the_usual_form(client, tenant_a):
    report, link, raw = _link(tenant_a)
    client.force_login(tenant_a.user(DISTRIBUTOR_USER))
    response = client.get(f"/acme/reports/link/{raw}/")
    assert response.status_code == 302
    with in_scope(tenant_a):
        link.refresh_from_db()
    assert link.used_at is None


# --- the due-date feed -------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_date_feed_and_rotation(client, tenant_a):
    _activate(tenant_a)
    client.force_login(tenant_a.user(DISTRIBUTOR_ADMIN))
    assert (
        client.post(f"/acme/distributors/{tenant_a.d1.pk}/due-date-feed/rotate/").status_code == 302
    )
    with in_scope(tenant_a):
        token = schedule.DueDateFeed.objects.get(distributor=tenant_a.d1).token
    client.logout()
    with time_machine.travel(dt.datetime(2026, 4, 20, 0, 0, tzinfo=UTC), tick=False):
        response = client.get(f"/acme/feeds/due-dates/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    # Golden Week: the week of 27 April is due Thursday 7 May 12:00 JST = 03:00 UTC.
    assert f"UID:weekly-20260427-d{tenant_a.d1.pk}@acme.partnerdesk" in body
    assert "DTSTART:20260507T030000Z" in body
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") > 30
    # Stable UIDs: the same feed an hour later names the same events.
    with time_machine.travel(dt.datetime(2026, 4, 20, 1, 0, tzinfo=UTC), tick=False):
        later = client.get(f"/acme/feeds/due-dates/{token}.ics").content.decode()
    uids = [line for line in body.split("\r\n") if line.startswith("UID:")]
    assert uids == [line for line in later.split("\r\n") if line.startswith("UID:")]
    # Rotating: the old address is a 404 at once.
    client.force_login(tenant_a.user(DISTRIBUTOR_ADMIN))
    client.post(f"/acme/distributors/{tenant_a.d1.pk}/due-date-feed/rotate/")
    client.logout()
    assert client.get(f"/acme/feeds/due-dates/{token}.ics").status_code == 404
    assert client.get("/acme/feeds/due-dates/unknown-token.ics").status_code == 404


def test_ics_escaping_and_folding():
    from reporting.views.schedule import _ics_fold, _ics_text

    assert _ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = _ics_fold("SUMMARY:" + "週次報告" * 20)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "週次報告" * 20


# --- the beat task and the calendar page --------------------------------------------------------


@pytest.mark.django_db
def test_hourly_task_sweeps_each_workspace_with_its_own_people(world):
    """The beat task (run eagerly here) enqueues one sweep per vendor; each vendor's reminders
    go to its own people and name its own distributor only."""
    from reporting.tasks import reporting_sweep_task

    for tenant in (world.a, world.b):
        _activate(tenant)
    with time_machine.travel(T_OPEN, tick=False):
        assert reporting_sweep_task() >= 2
        reporting_sweep_task()  # a second run at the same moment sends nothing more
    for tenant, other in ((world.a, world.b), (world.b, world.a)):
        mails = _emails(tenant, "report_reminder")
        assert {e.to for e in mails} == {
            tenant.user(DISTRIBUTOR_ADMIN).email,
            tenant.user(DISTRIBUTOR_USER).email,
        }
        assert all(f"/{tenant.slug}/reports/link/" in e.body_text for e in mails)
        assert all(f"/{other.slug}/" not in e.body_text for e in mails)


@pytest.mark.django_db
def test_calendar_forms_keep_the_input_and_say_what_is_wrong(client, tenant_a):
    from tests.conftest import VENDOR_ADMIN, db_state

    client.force_login(tenant_a.user(VENDOR_ADMIN))
    before = db_state()
    response = client.post(
        "/acme/reporting/calendar/",
        {
            "weekly_weekday": "2",
            "weekly_time": "25:99",
            "monthly_business_day": "40",
            "monthly_time": "18:00",
            "reminder_hours_before": "12",
            "escalation_hours_after": "24",
            "grace_days": "3",
            "link_valid_days": "7",
        },  # fmt: skip
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_weekly_time_error"' in body and 'id="id_monthly_business_day_error"' in body
    assert 'value="25:99"' in body and 'value="12"' in body
    assert '<option value="2" selected>' in body
    response = client.post(
        "/acme/reporting/calendar/closures/new/",
        {"name": "Obon", "start_date": "2026-08-16", "end_date": "2026-08-13", "country": "JP"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'value="Obon"' in body
    assert "cannot be before the first" in body
    assert db_state() == before


@pytest.mark.django_db
def test_reminder_subject_names_the_recipients_zone(tenant_a):
    """The subject gives the due moment as the body does: in the partner's zone, named."""
    Vendor.objects.filter(pk=tenant_a.vendor.pk).update(time_zone="Europe/Berlin")
    tenant_a.vendor.refresh_from_db()
    _activate(tenant_a)
    _sweep(tenant_a, T_OPEN)
    reminder = _emails(tenant_a, "report_reminder")[0]
    assert reminder.subject.endswith("is due March 2, 2026, noon (Asia/Tokyo)")

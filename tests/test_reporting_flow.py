"""The reporting cadence end to end, through the real sweep, e-mails, links and pages: a partner
opens the link in a reminder e-mail without logging in and hands in the weekly update, the
channel manager finds it in the review inbox, a missed Monday is flagged on the distributor and
the channel manager's home, and every reminder in the outbox was queued once however often the
hourly sweep ran."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from partners.models import Distributor, DistributorStatus, OutboundEmail
from reporting.models import Report, ReportKind, ReportStatus
from reporting.services import schedule
from tests.conftest import CHANNEL_MANAGER, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER, in_scope
from tests.test_reporting_submissions import WEEKLY_POST

TOKYO = ZoneInfo("Asia/Tokyo")
LINK = re.compile(r"https?://\S+?(/[\w-]+/reports/link/[\w.:-]+/)")


def _at(day: int, hour: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TOKYO)


def _sweep(tenant, now: dt.datetime, times: int = 2) -> None:
    """The hourly sweep, run more than once at the same moment (as a retried beat would)."""
    for _ in range(times):
        with time_machine.travel(now, tick=False), in_scope(tenant):
            schedule.reporting_sweep(vendor=tenant.vendor)


def _weekly(tenant, period_start: dt.date) -> Report:
    with in_scope(tenant):
        return Report.objects.get(
            distributor=tenant.d1, kind=ReportKind.WEEKLY, period_start=period_start
        )


def _emails(tenant) -> list[OutboundEmail]:
    with in_scope(tenant):
        return list(OutboundEmail.objects.filter(vendor=tenant.vendor).order_by("id"))


@pytest.mark.django_db
def test_reminder_link_to_inbox_and_a_missed_monday(client, world):
    a = world.a
    with in_scope(a):
        # Sakura Trading (Tokyo) went active on Monday 2 March 2026.
        Distributor.objects.filter(pk=a.d1.pk).update(
            status=DistributorStatus.ACTIVE,
            status_changed_on=dt.date(2026, 3, 2),
            owner=a.member(CHANNEL_MANAGER),
        )

    # Monday 9 March, 09:00 in Tokyo: the week of 2-8 March is due at noon.
    _sweep(a, _at(9, 9))
    week1 = _weekly(a, dt.date(2026, 3, 2))
    assert week1.due_at == _at(9, 12)
    reminders = [e for e in _emails(a) if e.template == "report_reminder"]
    assert sorted(e.to for e in reminders) == sorted(
        [a.user(DISTRIBUTOR_ADMIN).email, a.user(DISTRIBUTOR_USER).email]
    )

    # The distributor user clicks the link in the e-mail, not logged in.
    mail = next(e for e in reminders if e.to == a.user(DISTRIBUTOR_USER).email)
    assert mail.body_text.count(settings.SITE_URL) >= 1
    link_path = LINK.search(mail.body_text).group(1)
    with time_machine.travel(_at(9, 10), tick=False):
        opened = client.get(link_path)
        assert opened.status_code == 302
        form_url = opened["Location"]
        page = client.get(form_url)
        assert page.status_code == 200
        assert 'name="new_leads"' in page.content.decode()
        done = client.post(form_url, {**WEEKLY_POST, "action": "submit"})
        assert done.status_code == 302
        # The link worked once; the grant opened nothing else.
        assert client.get(link_path).status_code == 410
        assert client.get(f"/{a.slug}/reports/").status_code == 302  # still needs a login

    week1 = _weekly(a, dt.date(2026, 3, 2))
    assert week1.status == ReportStatus.SUBMITTED and not week1.is_late
    assert week1.submitted_by_id == a.member(DISTRIBUTOR_USER).pk

    # The channel manager sees it waiting in the review inbox, and reads it.
    client.force_login(a.user(CHANNEL_MANAGER))
    inbox = client.get(f"/{a.slug}/reports/").content.decode()
    assert f"/{a.slug}/reports/{week1.pk}/" in inbox and a.d1.name in inbox
    detail = client.get(f"/{a.slug}/reports/{week1.pk}/").content.decode()
    assert "Close the Osaka deal" in detail

    # The week of 9-15 March is never handed in: reminder before, at due, escalation, missed.
    for moment in (_at(16, 9), _at(16, 13), _at(17, 13), _at(19, 13), _at(20, 13)):
        _sweep(a, moment)
    week2 = _weekly(a, dt.date(2026, 3, 9))
    assert week2.status == ReportStatus.PENDING and week2.missed_at is not None

    counts = Counter((e.template, e.to) for e in _emails(a))
    partner_people = [a.user(DISTRIBUTOR_ADMIN).email, a.user(DISTRIBUTOR_USER).email]
    for email in partner_people:
        # Week 1: one "before"; week 2: one "before" and one "due now".
        assert counts[("report_reminder", email)] == 3
    cm = a.user(CHANNEL_MANAGER).email
    assert counts[("report_escalation", cm)] == 1
    assert counts[("report_missed", cm)] == 1
    assert all(n == 1 for n in Counter(e.dedupe_key for e in _emails(a)).values())

    # The missed Monday shows on the distributor's page and the channel manager's home.
    with time_machine.travel(_at(20, 14), tick=False):
        distributor_page = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
        home = client.get(f"/{a.slug}/").content.decode()
    missed_link = f"/{a.slug}/reports/{week2.pk}/"
    assert missed_link in distributor_page and missed_link in home

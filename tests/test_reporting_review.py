"""Review of reports: transitions, e-mails, roles, the inbox, the discipline measure, exports,
the API and the pages in Japanese."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import AuditEvent, OutboundEmail
from reporting.models import Report, ReportKind, ReportReview, ReportStatus, ReportVersion
from reporting.selectors import review as sel
from reporting.services import review as svc
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories_reporting import MonthlySummaryFactory, ReportFactory, WeeklyUpdateFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MONDAY = dt.date(2026, 3, 2)  # a Monday


def weekly_data(**overrides) -> dict:
    data = {
        "new_leads": 4,
        "meetings_held": 3,
        "opportunities_discovery": 5,
        "opportunities_proposal": 2,
        "opportunities_negotiation": 1,
        "blockers": [{"tag": "pricing", "text": "競合より価格が高い"}],
        "priorities": ["大阪の案件を成約", "デモデー"],
    }
    data.update(overrides)
    return data


def make_report(
    tenant,
    distributor,
    *,
    period_start=MONDAY,
    kind=ReportKind.WEEKLY,
    status=ReportStatus.SUBMITTED,
    late_by: dt.timedelta | None = None,
    missed=False,
    versions=1,
    data=None,
):
    """A report of ``distributor`` handed in ``versions`` times (none when pending or draft),
    due the day after its period at noon UTC; ``late_by`` hands the first version in late."""
    with in_scope(tenant):
        report = ReportFactory(distributor=distributor, kind=kind, period_start=period_start)
        handed_in = status not in (ReportStatus.PENDING, ReportStatus.DRAFT)
        if kind == ReportKind.WEEKLY:
            WeeklyUpdateFactory(report=report)
        else:
            MonthlySummaryFactory(report=report)
        if handed_in:
            first = report.due_at + (late_by if late_by else -dt.timedelta(hours=3))
            for number in range(1, versions + 1):
                ReportVersion.objects.create(
                    vendor=tenant.vendor,
                    report=report,
                    number=number,
                    data=data or weekly_data(new_leads=number),
                    submitted_by=tenant.member(DISTRIBUTOR_USER),
                    submitted_at=first + dt.timedelta(hours=number - 1),
                    was_late=bool(late_by),
                )
            report.submitted_at = first
            report.last_submitted_at = first + dt.timedelta(hours=versions - 1)
            report.submitted_by = tenant.member(DISTRIBUTOR_USER)
            report.version_count = versions
        report.status = status
        if missed:
            report.missed_at = report.due_at + dt.timedelta(days=2)
        report.save()
    return report


def reload(tenant, report) -> Report:
    with in_scope(tenant):
        return Report.objects.get(pk=report.pk)


def review_mails(tenant):
    with in_scope(tenant):
        return list(OutboundEmail.objects.filter(template="report_review").order_by("to"))


# --- transitions -------------------------------------------------------------------------------


def test_acknowledge_records_the_review_once_and_a_second_is_refused(world):
    a = world.a
    report = make_report(a, a.d1)
    cm = a.member(CHANNEL_MANAGER)
    with in_scope(a):
        review = svc.report_acknowledge(vendor=a.vendor, actor=cm, report=report)
        stored = Report.objects.get(pk=report.pk)
        assert stored.status == ReportStatus.ACKNOWLEDGED
        assert stored.reviewed_by_id == cm.pk and stored.reviewed_at is not None
        assert review.version_number == 1
        assert AuditEvent.objects.filter(action="report.acknowledge").count() == 1
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError) as exc:
        svc.report_acknowledge(vendor=a.vendor, actor=cm, report=stored)
    assert "already been acknowledged" in str(exc.value.message_dict["status"])
    assert db_state() == before
    assert review_mails(a) == []  # an acknowledgement is not e-mailed


def test_the_return_mail_has_a_personal_link_that_opens_the_form_in_one_click(client, world):
    """Each of the distributor's people gets a link of their own; opened without a login, it
    goes straight to the returned report's form (the reminders' one-time signed link)."""
    import re

    from reporting.models import ReportLink

    a = world.a
    report = make_report(a, a.d1, status=ReportStatus.SUBMITTED)
    with in_scope(a):
        svc.report_return(
            vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), report=report, comment="Check leads."
        )
    mails = {m.to: m for m in review_mails(a)}
    user_mail = mails[a.user(DISTRIBUTOR_USER).email]
    links = {
        to: re.search(r"/acme/reports/link/[^/\s]+/", m.body_text)[0] for to, m in mails.items()
    }
    assert len(set(links.values())) == 2  # personal: one per person
    assert links[user_mail.to] in user_mail.body_html
    assert "The link is personal" in user_mail.body_text
    with in_scope(a):
        assert {link.membership_id for link in ReportLink.objects.filter(report=report)} == {
            a.member(DISTRIBUTOR_ADMIN).pk,
            a.member(DISTRIBUTOR_USER).pk,
        }
    response = client.get(links[user_mail.to], follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/{a.slug}/reports/{report.pk}/via-link/"
    assert response.status_code == 200
    assert "Check leads." in body and "Submit again" in body
    assert '<form method="post"' in body


@pytest.mark.parametrize(
    "status", [ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED]
)
def test_acknowledge_and_return_only_from_submitted_or_resubmitted(world, status):
    a = world.a
    report = make_report(a, a.d1, status=status)
    before = db_state()
    for service, comment in ((svc.report_acknowledge, ""), (svc.report_return, "Fix it")):
        with in_scope(a), pytest.raises(ValidationError):
            service(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), report=report, comment=comment)
    assert db_state() == before


def test_return_needs_a_comment_and_tells_each_person_in_their_language(
    world, django_capture_on_commit_callbacks
):
    a = world.a
    report = make_report(a, a.d1, status=ReportStatus.RESUBMITTED, versions=2)
    a.user(DISTRIBUTOR_ADMIN).language = "ja"
    a.user(DISTRIBUTOR_ADMIN).save()
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError) as exc:
        svc.report_return(
            vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), report=report, comment=" "
        )
    assert "comment" in exc.value.message_dict
    assert db_state() == before

    with in_scope(a), django_capture_on_commit_callbacks(execute=False):
        review = svc.report_return(
            vendor=a.vendor,
            actor=a.member(CHANNEL_MANAGER),
            report=report,
            comment="Meetings look too low; please check.",
        )
    assert reload(a, report).status == ReportStatus.RETURNED
    assert review.version_number == 2
    mails = review_mails(a)
    # Distributor 1's admin and user; not distributor 2's person, not staff.
    assert [m.to for m in mails] == [
        a.user(DISTRIBUTOR_ADMIN).email,
        a.user(DISTRIBUTOR_USER).email,
    ]
    by_to = {m.to: m for m in mails}
    assert by_to[a.user(DISTRIBUTOR_ADMIN).email].language == "ja"
    assert by_to[a.user(DISTRIBUTOR_USER).email].language == "en"
    for mail in mails:
        assert "Meetings look too low" in mail.body_text
        assert f"/{a.slug}/reports/link/" in mail.body_text  # a link of their own
    # Queued once: the dedupe key names the review and the person.
    with in_scope(a):
        svc._tell_distributor(a.vendor, reload(a, report), review, a.member(CHANNEL_MANAGER))
    assert len(review_mails(a)) == 2


def test_inactive_people_are_not_told(world):
    a = world.a
    report = make_report(a, a.d1)
    with in_scope(a):
        member = a.member(DISTRIBUTOR_ADMIN)
        member.is_active = False
        member.save()
        svc.report_comment(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), report=report, comment="Thanks!"
        )
    assert [m.to for m in review_mails(a)] == [a.user(DISTRIBUTOR_USER).email]


def test_comment_on_anything_handed_in_keeps_the_status(world):
    a = world.a
    report = make_report(a, a.d1, status=ReportStatus.ACKNOWLEDGED)
    with in_scope(a):
        svc.report_comment(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), report=report, comment="Great week."
        )
        assert Report.objects.get(pk=report.pk).status == ReportStatus.ACKNOWLEDGED
        assert ReportReview.objects.get(report=report).action == "comment"
    assert len(review_mails(a)) == 2
    draft = make_report(a, a.d1, status=ReportStatus.DRAFT, period_start=MONDAY - dt.timedelta(7))
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError):
        svc.report_comment(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), report=draft, comment="Hello"
        )
    assert db_state() == before


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_readers_cannot_review_and_nothing_changes(world, role):
    a = world.a
    report = make_report(a, a.d1)
    before = db_state()
    for service in (svc.report_acknowledge, svc.report_return, svc.report_comment):
        with in_scope(a), pytest.raises(PermissionDenied):
            service(vendor=a.vendor, actor=a.member(role), report=report, comment="x")
    assert db_state() == before


def test_another_vendors_report_is_refused(world):
    a, b = world.a, world.b
    report = make_report(b, b.d1)
    with in_scope(a), pytest.raises(PermissionDenied):
        svc.report_acknowledge(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), report=report)


# --- the inbox ---------------------------------------------------------------------------------


def _ids(tenant, actor_role, **params):
    with in_scope(tenant):
        filters = sel.InboxFilters.from_query(params)
        qs = sel.report_inbox(
            vendor=tenant.vendor, actor=tenant.member(actor_role), filters=filters
        )
        return {r.pk for r in qs}


def test_inbox_filters(world):
    a = world.a
    waiting_jp = make_report(a, a.d1)
    waiting_th = make_report(a, a.d2, status=ReportStatus.RESUBMITTED)
    done = make_report(
        a, a.d1, status=ReportStatus.ACKNOWLEDGED, period_start=MONDAY - dt.timedelta(7)
    )
    missed = make_report(
        a, a.d2, status=ReportStatus.PENDING, missed=True, period_start=MONDAY - dt.timedelta(14)
    )
    monthly = make_report(a, a.d1, kind=ReportKind.MONTHLY, period_start=dt.date(2026, 2, 1))
    with in_scope(a):
        a.d1.owner = a.member(CHANNEL_MANAGER)
        a.d1.save()

    assert _ids(a, CHANNEL_MANAGER) == {waiting_jp.pk, waiting_th.pk, monthly.pk}
    assert _ids(a, CHANNEL_MANAGER, status="all") == {
        waiting_jp.pk, waiting_th.pk, done.pk, missed.pk, monthly.pk,
    }  # fmt: skip
    assert _ids(a, CHANNEL_MANAGER, status="missed") == {missed.pk}
    assert _ids(a, CHANNEL_MANAGER, status="acknowledged") == {done.pk}
    assert _ids(a, CHANNEL_MANAGER, distributor=str(a.d2.pk)) == {waiting_th.pk}
    assert _ids(a, CHANNEL_MANAGER, q="lotus") == {waiting_th.pk}
    assert _ids(a, CHANNEL_MANAGER, country="TH", status="all") == {waiting_th.pk, missed.pk}
    assert _ids(a, CHANNEL_MANAGER, kind="monthly") == {monthly.pk}
    assert _ids(a, CHANNEL_MANAGER, mine="1") == {waiting_jp.pk, monthly.pk}
    assert _ids(
        a, CHANNEL_MANAGER, status="all", period_from="2026-02-20", period_to="2026-02-28"
    ) == {done.pk, missed.pk, monthly.pk}
    # A distributor's people reach only their own, whatever they ask for.
    assert _ids(a, DISTRIBUTOR_USER, status="all", distributor=str(a.d2.pk)) == set()
    assert _ids(a, DISTRIBUTOR_USER, status="all") == {waiting_jp.pk, done.pk, monthly.pk}
    with in_scope(a):
        counts = sel.report_inbox_counts(vendor=a.vendor, actor=a.member(VENDOR_ADMIN))
    assert (counts["waiting"], counts["missed"], counts["pending"]) == (3, 1, 1)
    assert "acknowledged" not in counts  # history is not counted on every page view


def test_inbox_page_shows_rows_badges_and_filters(client, world):
    a = world.a
    make_report(a, a.d1, late_by=dt.timedelta(hours=5))
    make_report(
        a, a.d2, status=ReportStatus.PENDING, missed=True, period_start=MONDAY - dt.timedelta(7)
    )
    client.force_login(a.user(CHANNEL_MANAGER))

    def results(query=""):
        return client.get(
            f"/{a.slug}/reports/{query}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report-results"
        ).content.decode()

    page = client.get(f"/{a.slug}/reports/").content.decode()
    assert "Review inbox" in page and "Waiting for review (1)" in page
    body = results()
    assert "<html" not in body
    assert "Sakura Trading" in body and "Lotus Distribution" not in body  # waiting only
    assert "late</span>" in body
    body = results("?status=missed")
    assert "Lotus Distribution" in body and "missed</span>" in body and "Sakura" not in body


def test_distributor_people_see_their_own_reports(client, world):
    a = world.a
    make_report(a, a.d1)
    make_report(a, a.d2)
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(f"/{a.slug}/reports/").content.decode()
    assert "Our reports" in body
    assert f"/{a.slug}/reports/" in body
    response = client.get(f"/{a.slug}/reports/?distributor={a.d2.pk}&status=all")
    assert response.status_code == 200
    with in_scope(a):
        other = Report.objects.get(distributor=a.d2)
    assert f"/reports/{other.pk}/" not in response.content.decode()


@pytest.mark.parametrize("role", [CHANNEL_MANAGER, DISTRIBUTOR_USER])
def test_inbox_query_count_does_not_grow_with_rows(client, world, role):
    a = world.a

    def fill(n, offset):
        for i in range(n):
            make_report(
                a,
                a.d1 if i % 2 == 0 else a.d2,
                period_start=MONDAY - dt.timedelta(weeks=offset + i),
            )

    client.force_login(a.user(role))
    url = f"/{a.slug}/reports/?status=all"
    fill(5, 0)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(45, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --- reporting discipline ----------------------------------------------------------------------


def test_discipline_counts_on_time_late_missed_over_13_weeks_and_the_quarter(world):
    a = world.a
    as_of = dt.datetime(2026, 3, 31, 0, 0, tzinfo=UTC)
    last_monday = dt.date(2026, 3, 23)  # its update is due Mon 30 March 12:00 UTC
    # 15 weeks of distributor 1: the two oldest fall outside the 13 weeks.
    for i in range(15):
        start = last_monday - dt.timedelta(weeks=i)
        if i in (0, 1, 2):
            make_report(a, a.d1, period_start=start, late_by=dt.timedelta(hours=2))
        elif i == 3:
            make_report(a, a.d1, period_start=start, status=ReportStatus.PENDING, missed=True)
        elif i in (13, 14):  # outside the window, both late
            make_report(a, a.d1, period_start=start, late_by=dt.timedelta(days=1))
        else:
            make_report(a, a.d1, period_start=start, status=ReportStatus.ACKNOWLEDGED)
    # Not yet due at as_of: never counted.
    make_report(
        a, a.d1, period_start=last_monday + dt.timedelta(weeks=1), status=ReportStatus.DRAFT
    )
    # Monthly: January handed in, February missed; March not yet due.
    make_report(a, a.d1, kind=ReportKind.MONTHLY, period_start=dt.date(2026, 1, 1))
    make_report(
        a, a.d1, kind=ReportKind.MONTHLY, period_start=dt.date(2026, 2, 1),
        status=ReportStatus.PENDING, missed=True,
    )  # fmt: skip
    make_report(
        a,
        a.d1,
        kind=ReportKind.MONTHLY,
        period_start=dt.date(2026, 3, 1),
        status=ReportStatus.DRAFT,
    )
    # Distributor 2 has one report in vendor B's colliding world: nothing here.
    with in_scope(a), CaptureQueriesContext(connection) as queries:
        result = sel.reporting_discipline(vendor=a.vendor, actor=a.member(EXECUTIVE), as_of=as_of)
    assert len(queries) == 1
    d1 = result[a.d1.pk]
    assert (d1.weeks_due, d1.weeks_on_time, d1.weeks_late, d1.weeks_missed) == (13, 9, 3, 1)
    assert d1.weeks_on_time_rate == round(9 / 13, 4)
    # Q1 2026: weeks starting 5 Jan .. 23 March (12 weeks), the Monday 29 Dec one is Q4.
    assert d1.quarter_start == dt.date(2026, 1, 1)
    assert (d1.quarter_weeks_due, d1.quarter_on_time, d1.quarter_late, d1.quarter_missed) == (
        12, 8, 3, 1,
    )  # fmt: skip
    assert (d1.months_due, d1.months_handed_in, d1.months_missed) == (2, 1, 1)
    d2 = result[a.d2.pk]
    assert d2.weeks_due == 0 and d2.weeks_on_time_rate is None
    # A distributor's people get only their own row; another quarter can be passed.
    with in_scope(a):
        own = sel.reporting_discipline(
            vendor=a.vendor,
            actor=a.member(DISTRIBUTOR_USER),
            as_of=as_of,
            quarter_start=dt.date(2026, 2, 1),
        )
    assert set(own) == {a.d1.pk}
    assert own[a.d1.pk].quarter_weeks_due == 8  # weeks starting 2 Feb .. 23 March


def test_discipline_ignores_another_vendor(world):
    a, b = world.a, world.b
    make_report(b, b.d1, late_by=dt.timedelta(hours=1))
    with in_scope(a):
        result = sel.reporting_discipline(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), as_of=dt.datetime(2026, 6, 1, tzinfo=UTC)
        )
    assert b.d1.pk not in result
    assert all(d.weeks_due == 0 for d in result.values())


# --- pages -------------------------------------------------------------------------------------


def test_return_page_keeps_errors_beside_the_field_and_changes_nothing(client, world):
    a = world.a
    report = make_report(a, a.d1)
    client.force_login(a.user(CHANNEL_MANAGER))
    before = db_state()
    response = client.post(f"/{a.slug}/reports/{report.pk}/return/", {"comment": ""})
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.content.decode()
    assert db_state() == before
    response = client.post(
        f"/{a.slug}/reports/{report.pk}/return/", {"comment": "Please add the blockers."}
    )
    assert response.status_code == 302
    assert reload(a, report).status == ReportStatus.RETURNED


def test_second_acknowledge_on_the_page_says_why(client, world):
    a = world.a
    report = make_report(a, a.d1)
    client.force_login(a.user(VENDOR_ADMIN))
    assert client.post(f"/{a.slug}/reports/{report.pk}/acknowledge/").status_code == 302
    before = db_state()
    response = client.post(f"/{a.slug}/reports/{report.pk}/acknowledge/")
    assert response.status_code == 409
    assert "already been acknowledged" in response.content.decode()
    assert db_state() == before


def test_detail_shows_latest_version_older_ones_and_history(client, world):
    a = world.a
    report = make_report(a, a.d1, status=ReportStatus.RESUBMITTED, versions=2)
    with in_scope(a):
        svc.report_comment(
            vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), report=report, comment="Noted v2"
        )
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(f"/{a.slug}/reports/{report.pk}/").content.decode()
    assert "Version 2" in body and "?version=1" in body and "Noted v2" in body
    assert "競合より価格が高い" in body and "大阪の案件を成約" in body
    assert 'action="/acme/reports/' not in body  # no review forms for a distributor
    older = client.get(f"/{a.slug}/reports/{report.pk}/?version=1").content.decode()
    assert "?version=2" in older


def test_export_csv_and_xlsx(client, world):
    from openpyxl import load_workbook

    a = world.a
    make_report(a, a.d1, late_by=dt.timedelta(hours=1))
    make_report(a, a.d2, status=ReportStatus.PENDING, missed=True)
    make_report(a, a.d1, kind=ReportKind.MONTHLY, period_start=dt.date(2026, 2, 1),
                data={"currency": "JPY", "units_sold": 120, "revenue": "4800000.00",
                      "marketing_actions": "展示会に出展"})  # fmt: skip
    client.force_login(a.user(EXECUTIVE))
    response = client.get(f"/{a.slug}/reports/export/?period_from=2026-02-01&period_to=2026-03-31")
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw[1:])))
    assert len(rows) == 3
    by_name = {(r["Distributor"], r["Kind"]): r for r in rows}
    weekly = by_name[("Sakura Trading", "Weekly update")]
    assert weekly["Late"] == "yes" and weekly["Weekly: new leads added"] == "1"
    assert "競合より価格が高い" in weekly["Weekly: top blockers"]
    # The test workspace's staff read UTC (the vendor's zone), named in the header.
    assert by_name[("Lotus Distribution", "Weekly update")]["Missed (UTC)"] != ""
    monthly = by_name[("Sakura Trading", "Monthly summary")]
    assert monthly["Monthly: marketing actions completed"] == "展示会に出展"
    assert monthly["Weekly: new leads added"] == ""

    client.force_login(a.user(DISTRIBUTOR_USER))
    with time_machine.travel(dt.datetime(2026, 4, 15, tzinfo=UTC)):
        response = client.get(f"/{a.slug}/reports/export/?format=xlsx&distributor={a.d2.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Distributor"
    assert [row[0] for row in values[1:]] == ["Sakura Trading", "Sakura Trading"]
    # Without a period: the last three months only.
    with time_machine.travel(dt.datetime(2026, 9, 1, tzinfo=UTC)):
        response = client.get(f"/{a.slug}/reports/export/")
    assert response.content.decode("utf-8").count("\n") == 1  # the header alone


def test_export_keeps_what_a_distributor_typed_from_becoming_a_formula(client, world):
    from openpyxl import load_workbook

    a = world.a
    make_report(a, a.d1, data={"priorities": ['=HYPERLINK("http://evil.example","x")']})
    client.force_login(a.user(CHANNEL_MANAGER))
    query = "period_from=2026-01-01&period_to=2026-12-31"
    raw = client.get(f"/{a.slug}/reports/export/?{query}").content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(raw)))
    assert row["Weekly: next week's priorities"].startswith("'=HYPERLINK")
    xlsx = client.get(f"/{a.slug}/reports/export/?{query}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for c in sheet[2] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_panels_on_distributor_page_and_staff_home(client, world):
    a = world.a
    make_report(a, a.d1, status=ReportStatus.PENDING, missed=True)
    make_report(a, a.d1, period_start=MONDAY - dt.timedelta(7))
    make_report(a, a.d2, status=ReportStatus.RETURNED, period_start=MONDAY - dt.timedelta(14))
    client.force_login(a.user(VENDOR_ADMIN))
    home = client.get(f"/{a.slug}/").content.decode()
    assert "1 report waiting for review" in home
    assert "Returned, not yet resubmitted (1)" in home
    page = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert "On time, last 13 weeks" in page and "Missed reports" in page
    client.force_login(a.user(CHANNEL_MANAGER))
    home = client.get(f"/{a.slug}/").content.decode()
    assert "Missed reports of my distributors" in home
    assert "No missed reports." in home  # the channel manager owns neither distributor


# --- API ---------------------------------------------------------------------------------------


def test_api_review_post_and_list(client, world):
    a, b = world.a, world.b
    report = make_report(a, a.d1)
    other = make_report(b, b.d1)
    url = f"/api/v1/{a.slug}/report-reviews/"
    client.force_login(a.user(CHANNEL_MANAGER))
    bad = client.post(
        url, {"report": report.pk, "action": "return"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "comment" in bad.json()
    assert client.post(
        url, {"report": report.pk, "action": "nod"}, content_type="application/json"
    ).json().keys() == {"action"}
    assert (
        client.post(
            url, {"report": other.pk, "action": "acknowledge"}, content_type="application/json"
        ).status_code
        == 404
    )
    ok = client.post(
        url,
        {"report": report.pk, "action": "acknowledge", "comment": "Thanks"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["action"] == "acknowledge"
    again = client.post(
        url, {"report": report.pk, "action": "acknowledge"}, content_type="application/json"
    )
    assert again.status_code == 400 and "status" in again.json()
    listed = client.get(url).json()["results"]
    assert [r["report"] for r in listed] == [report.pk]

    client.force_login(a.user(EXECUTIVE))
    before = db_state()
    denied = client.post(
        url,
        {"report": report.pk, "action": "comment", "comment": "x"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    assert db_state() == before


def test_api_discipline(client, world):
    a = world.a
    make_report(a, a.d1, late_by=dt.timedelta(hours=1))
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    rows = client.get(f"/api/v1/{a.slug}/reporting-discipline/?as_of=2026-04-01").json()
    assert [r["distributor"] for r in rows] == [a.d1.pk]
    assert rows[0]["weeks_late"] == 1 and rows[0]["weeks_on_time_rate"] == 0.0
    assert client.get(f"/api/v1/{a.slug}/reporting-discipline/?as_of=soon").status_code == 400


# --- Japanese ----------------------------------------------------------------------------------

FRAGMENT = Path(settings.BASE_DIR) / "locale" / "ja" / "fragments" / "review.po"


@pytest.fixture
def review_catalogue(tmp_path, settings):
    """This area's Japanese strings compiled beside the shipped catalogue (until the lead merges
    the fragment into locale/ja/LC_MESSAGES/django.po)."""
    from django.utils.translation import trans_real

    target = tmp_path / "ja" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(FRAGMENT)], check=True)
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, str(tmp_path)]
    trans_real._translations = {}
    yield
    trans_real._translations = {}


def test_japanese_pages_and_email(client, world, review_catalogue):
    a = world.a
    report = make_report(a, a.d1)
    a.user(DISTRIBUTOR_USER).language = "ja"
    a.user(DISTRIBUTOR_USER).save()
    with in_scope(a):
        svc.report_return(
            vendor=a.vendor,
            actor=a.member(CHANNEL_MANAGER),
            report=report,
            comment="商談数を確認してください。",
        )
    mail = next(m for m in review_mails(a) if m.to == a.user(DISTRIBUTOR_USER).email)
    assert mail.language == "ja"
    assert "修正" in mail.subject and "商談数を確認してください。" in mail.body_text
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(f"/{a.slug}/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "レビュー履歴" in body and "競合より価格が高い" in body
    body = client.get(f"/{a.slug}/reports/?status=all", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "自社の報告" in body


@time_machine.travel(dt.datetime(2026, 3, 31, 9, 0, tzinfo=UTC), tick=False)
def test_default_quarter_is_the_vendors_fiscal_quarter_of_today(world):
    a = world.a
    make_report(a, a.d1, period_start=dt.date(2026, 1, 26))
    make_report(a, a.d1, period_start=dt.date(2026, 3, 16))
    with in_scope(a):
        d1 = sel.reporting_discipline(vendor=a.vendor, actor=a.member(VENDOR_ADMIN))[a.d1.pk]
    assert d1.quarter_start == dt.date(2026, 1, 1) and d1.quarter_weeks_due == 2
    # A fiscal year starting in February: the quarter under way began on 1 February.
    a.vendor.fiscal_year_start_month = 2
    a.vendor.save(update_fields=["fiscal_year_start_month"])
    with in_scope(a):
        d1 = sel.reporting_discipline(vendor=a.vendor, actor=a.member(VENDOR_ADMIN))[a.d1.pk]
    assert d1.quarter_start == dt.date(2026, 2, 1) and d1.quarter_weeks_due == 1


# --- demo data ---------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 18, 3, 0, tzinfo=UTC), tick=False)
def test_demo_seed_makes_a_realistic_mix_once(world):
    from partners.models import Distributor, DistributorStatus
    from reporting.demo import seed as demo
    from reporting.models import SalesLine

    a = world.a
    with in_scope(a):
        Distributor.objects.filter(pk__in=[a.d1.pk, a.d2.pk]).update(
            status=DistributorStatus.ACTIVE
        )
    created = demo.demo_seed(a.vendor)
    assert created == 2 * (demo.WEEKS + demo.MONTHS)
    assert demo.demo_seed(a.vendor) == 0  # idempotent
    with in_scope(a):
        # Sell-out lines too, written once (the second run added none).
        assert SalesLine.objects.filter(distributor=a.d1).count() > 0
        assert not SalesLine.objects.filter(vendor=world.b.vendor).exists()
        reports = list(Report.objects.all())
        statuses = {r.status for r in reports}
        assert {ReportStatus.ACKNOWLEDGED, ReportStatus.SUBMITTED} <= statuses
        assert any(r.is_late for r in reports)
        assert Report.objects.filter(status=ReportStatus.SUBMITTED).count() >= 2
        # Due: Monday noon in the distributor's time zone (Tokyo for Sakura Trading).
        weekly = Report.objects.filter(distributor=a.d1, kind="weekly").latest("period_start")
        assert weekly.due_at == dt.datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
        assert weekly.status == ReportStatus.SUBMITTED  # the latest due week waits for review
        version = ReportVersion.objects.filter(report__distributor=a.d1).first()
        assert any("\u3040" <= ch <= "\u9fff" for ch in str(version.data["priorities"]))
        lotus = ReportVersion.objects.filter(report__distributor=a.d2).first()
        assert lotus.data["priorities"][0].isascii()
    with in_scope(b := world.b):
        assert not Report.objects.filter(vendor=b.vendor).exists()

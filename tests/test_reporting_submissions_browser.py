"""The weekly update on a phone, in a real browser: autosave while typing, a reload keeps what
was typed, errors beside the field, then the submission."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from reporting.models import Report, ReportStatus, ReportVersion
from tests.conftest import DISTRIBUTOR_USER, PASSWORD, build_world, in_scope
from tests.factories_reporting import ReportFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_weekly_update_on_a_phone_autosaves_and_submits(live_server, browser):
    # transaction=True: the live server reads committed rows (tenant_scope commits them).
    world = build_world()
    a = world.a
    with in_scope(a):
        report = ReportFactory(
            distributor=a.d1,
            period_start=dt.date(2026, 3, 2),
            due_at=dt.datetime(2099, 1, 5, 3, tzinfo=dt.UTC),
        )
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", a.user(DISTRIBUTOR_USER).email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/{a.slug}/")
    page.locator("[data-testid=reports-todo] a.btn").first.click()
    page.wait_for_url(f"**/reports/{report.pk}/edit/")

    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#id_new_leads", "6")
    page.fill("#id_priority_1", "Visit Kobe")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=10_000)
    # A value the autosave refuses is marked beside its field; what was typed stays.
    page.fill("#id_opportunities_discovery", "-1")
    expect(page.locator("#id_opportunities_discovery_error")).to_be_visible(timeout=10_000)
    expect(page.locator("#id_opportunities_discovery")).to_have_value("-1")
    page.fill("#id_opportunities_discovery", "")
    expect(page.locator("#id_opportunities_discovery_error")).to_have_count(0, timeout=10_000)
    page.reload()
    expect(page.locator("#id_new_leads")).to_have_value("6")
    expect(page.locator("#id_priority_1")).to_have_value("Visit Kobe")

    # Submitting with counts missing: errors beside the fields, nothing typed lost.
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator("#id_meetings_held_error")).to_contain_text("required")
    expect(page.locator("#id_new_leads")).to_have_value("6")

    for name, value in (
        ("meetings_held", "2"),
        ("opportunities_discovery", "4"),
        ("opportunities_proposal", "1"),
        ("opportunities_negotiation", "0"),
    ):
        page.fill(f"#id_{name}", value)
    page.select_option("#id_blocker_1_tag", "stock")
    page.fill("#id_blocker_1_text", "Container late")
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator(".messages")).to_contain_text("handed in")
    assert not problems, problems
    phone.close()

    with in_scope(a):
        stored = Report.objects.get(pk=report.pk)
        assert stored.status == ReportStatus.SUBMITTED
        version = ReportVersion.objects.get(report=stored)
    assert version.data["new_leads"] == 6 and version.data["priorities"] == ["Visit Kobe"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_reminder_link_to_the_review_inbox_in_japanese_on_a_phone(live_server, browser):
    """The issue's "done when": a distributor user opens the link in the reminder e-mail (no
    login), hands in the weekly update in Japanese on a phone-sized screen, and the channel
    manager finds it waiting in the review inbox."""
    import re
    from zoneinfo import ZoneInfo

    import time_machine
    from django.utils import translation

    from partners.models import Distributor, DistributorStatus, OutboundEmail
    from reporting.services import schedule
    from tests.conftest import CHANNEL_MANAGER

    world = build_world()
    a = world.a
    person = a.user(DISTRIBUTOR_USER)
    person.language = "ja"
    person.save(update_fields=["language"])
    monday = dt.datetime(2026, 3, 9, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    with time_machine.travel(monday, tick=True):
        with in_scope(a):
            Distributor.objects.filter(pk=a.d1.pk).update(
                status=DistributorStatus.ACTIVE,
                status_changed_on=dt.date(2026, 3, 2),
                owner=a.member(CHANNEL_MANAGER),
            )
            schedule.reporting_sweep(vendor=a.vendor)
            mail = OutboundEmail.objects.get(template="report_reminder", to=person.email)
            report = Report.objects.get(distributor=a.d1, period_start=dt.date(2026, 3, 2))
        assert "週次報告" in mail.subject  # the reminder is in the person's language
        link = re.search(r"/[\w-]+/reports/link/[\w.:-]+/", mail.body_text).group(0)

        phone = browser.new_context(viewport={"width": 390, "height": 844})
        page = phone.new_page()
        page.goto(f"{live_server.url}{link}")
        page.wait_for_url(f"**/reports/{report.pk}/via-link/")
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        with translation.override("ja"):
            submit_label = translation.gettext("Submit report")
        for name, value in (
            ("new_leads", "5"),
            ("meetings_held", "3"),
            ("opportunities_discovery", "4"),
            ("opportunities_proposal", "2"),
            ("opportunities_negotiation", "1"),
        ):
            page.fill(f"#id_{name}", value)
        page.select_option("#id_blocker_1_tag", "competitor")
        page.fill("#id_blocker_1_text", "競合が値下げ")
        page.fill("#id_priority_1", "大阪の案件を受注する")
        page.get_by_role("button", name=submit_label).click()
        page.wait_for_url(f"**/reports/{report.pk}/**")
        phone.close()

        with in_scope(a):
            stored = Report.objects.get(pk=report.pk)
        assert stored.status == ReportStatus.SUBMITTED and not stored.is_late

        # The channel manager logs in and finds it waiting for review.
        desk = browser.new_context()
        page = desk.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", a.user(CHANNEL_MANAGER).email)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/{a.slug}/")
        page.goto(f"{live_server.url}/{a.slug}/reports/")
        row_link = page.locator(f"a[href='/{a.slug}/reports/{report.pk}/']").first
        expect(row_link).to_be_visible()
        row_link.click()
        expect(page.locator("main")).to_contain_text("大阪の案件を受注する")
        desk.close()

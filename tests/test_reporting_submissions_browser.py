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

"""The scorecard dashboards in a real browser, on data computed by the engine: the channel
manager's home says who needs attention and why and opens the table; a distributor user on a
phone, in Japanese, reads the gap to the next level of each KPI in words; the executive's
portfolio groups by country and by contract phase."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from partners import periods
from partners.models import Distributor, DistributorStatus
from scorecards.models import KpiEntry, ScorecardPolicy, ScorecardTemplate, Target, TemplateKpi
from scorecards.services.catalogue import kpi_catalogue_seed
from scorecards.services.compute import scorecards_compute
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    PASSWORD,
    build_world,
    in_scope,
)
from tests.factories_contracts import ContractFactory
from tests.factories_reporting import ReportFactory

D = Decimal
# KPI: (base, stretch, exceed, Sakura's value, Lotus's value). Sakura: demos red, events at
# stretch, on-time delivery at base, quality amber; Lotus green throughout.
PLAN = {
    "decision-maker-demos": ("10", "12", "15", "4", "11"),
    "events": ("1", "2", "3", "2", "3"),
    "on-time-delivery": ("92", "96", "99", "93", "97"),
    "quality-acceptance": ("95", "98", "99.5", "90", "99"),
}


def _last_month() -> dt.date:
    return periods.add_months(periods.month_start(timezone.localdate()), -1)


def _computed_world():
    """Two active distributors scored by the engine on entered KPIs for the last month that
    has ended; Sakura (the channel manager's, in launch under a contract) has a red KPI, Lotus
    (no contract) a missed weekly update."""
    world = build_world()
    a = world.a
    month = _last_month()
    person = a.user(DISTRIBUTOR_USER)
    person.language = "ja"
    person.save(update_fields=["language"])
    with in_scope(a):
        vendor = a.vendor
        Distributor.objects.filter(pk__in=[a.d1.pk, a.d2.pk]).update(
            status=DistributorStatus.ACTIVE
        )
        Distributor.objects.filter(pk=a.d1.pk).update(owner=a.member(CHANNEL_MANAGER))
        ScorecardPolicy.objects.update_or_create(
            vendor=vendor, defaults={"reporting_currency": "JPY"}
        )
        kpis = {k.code: k for k in kpi_catalogue_seed(vendor=vendor)}
        ScorecardTemplate.objects.filter(vendor=vendor).update(is_default=False)  # the seed's
        template = ScorecardTemplate.objects.create(vendor=vendor, name="Lean", is_default=True)
        for n, code in enumerate(PLAN):
            TemplateKpi.objects.create(
                vendor=vendor, template=template, kpi=kpis[code], weight=1, position=n
            )
        for code, (base, stretch, exceed, *values) in PLAN.items():
            for distributor, value in zip((a.d1, a.d2), values, strict=True):
                levels = {"base": D(base), "stretch": D(stretch), "exceed": D(exceed)}
                Target.objects.create(
                    vendor=vendor, distributor=distributor, kpi=kpis[code], period_kind="month",
                    period_start=month, full_base=D(base), full_stretch=D(stretch),
                    full_exceed=D(exceed), ramp_percent=100, **levels,
                )  # fmt: skip
                KpiEntry.objects.create(
                    vendor=vendor, distributor=distributor, kpi=kpis[code], period_kind="month",
                    period_start=month, value=D(value),
                )  # fmt: skip
        ContractFactory(
            vendor=vendor,
            distributor=a.d1,
            starts_on=month - dt.timedelta(days=10),
            ends_on=month + dt.timedelta(days=800),
            launch_ends_on=month + dt.timedelta(days=80),
        )
        now = timezone.now()
        ReportFactory(
            distributor=a.d2,
            period_start=timezone.localdate() - dt.timedelta(days=14),
            due_at=now - dt.timedelta(days=5),
            missed_at=now - dt.timedelta(days=3),
        )
    assert scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=month) == 2
    return world


def _login(context, live_server, email):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_scorecard_dashboards_for_each_person(live_server, browser):
    # transaction=True: the live server reads committed rows (tenant_scope commits them).
    world = _computed_world()
    a = world.a
    base = f"{live_server.url}/{a.slug}"

    # The channel manager's home: who needs attention and why; then the table.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _login(desk, live_server, a.user(CHANNEL_MANAGER).email)
    page.wait_for_url(f"{base}/")
    attention = page.locator("[data-testid=needs-attention]")
    expect(attention).to_contain_text("Sakura Trading")
    expect(attention).to_contain_text("Calls and demos with decision makers red in")
    expect(attention).to_contain_text("Lotus Distribution")
    expect(attention).to_contain_text("missed")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Scorecards").click()
    page.wait_for_url(f"{base}/scorecards/")
    table = page.locator("table.scorecard-table")
    expect(table).to_contain_text("Sakura Trading")
    expect(table).to_contain_text("Lotus Distribution")
    expect(table.locator("tbody tr").first).to_contain_text("Sakura Trading")  # weakest first
    desk.close()

    # The executive's portfolio: by country and by contract phase.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _login(desk, live_server, a.user(EXECUTIVE).email)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/scorecards/portfolio/")
    by_country = page.locator("section", has=page.get_by_role("heading", name="By country"))
    expect(by_country).to_contain_text("Japan")
    expect(by_country).to_contain_text("Thailand")
    by_phase = page.locator("section", has=page.get_by_role("heading", name="By phase"))
    expect(by_phase).to_contain_text("Launch")
    expect(by_phase).to_contain_text("No contract")
    desk.close()

    # A distributor user on a phone, in Japanese: the gap to the next level of each KPI.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = _login(phone, live_server, a.user(DISTRIBUTOR_USER).email)
    page.wait_for_url(f"{base}/")
    with translation.override("ja"):
        standing = translation.gettext("My standing")
        stretch = translation.gettext("stretch")
        base_level = translation.gettext("base")
    page.get_by_role("link", name=standing).first.click()
    page.wait_for_url(f"{base}/scorecards/mine/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    body = page.locator("main")
    # Demos (4 of base 10) and quality (90 of base 95) are below base; on-time delivery (93)
    # is at base; events (2) at stretch.
    expect(body).to_contain_text(f"{base_level} 到達まで")
    expect(body).to_contain_text(f"{stretch} 到達まで")
    expect(body).to_contain_text("あと 6 必要です")  # 6 more demos to reach base
    expect(body).to_contain_text("あと 3 ポイント")  # 3 points to stretch on delivery
    assert "Lotus" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

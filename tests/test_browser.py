"""The main flow in a real browser: Playwright driving Debian's Chromium (see STACK_NOTES.md).

Deselect with ``-m "not browser"`` on a machine without Chromium.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.conftest import CHANNEL_MANAGER, PASSWORD, build_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_log_in_switch_to_japanese_and_open_the_distributors_list(live_server, page):
    # transaction=True: the live server reads committed rows (tenant_scope commits them).
    world = build_world()
    user = world.a.user(CHANNEL_MANAGER)
    csp_violations = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/{world.a.slug}/")
    expect(page.locator("body")).to_contain_text(world.a.vendor.name)

    # The language switcher submits itself when a language is chosen (static/js/app.js).
    page.select_option("[data-testid=language-select]", "ja")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.wait_for_url(f"{live_server.url}/{world.a.slug}/")

    with translation.override("ja"):
        distributors_ja = translation.gettext("Distributors")
    assert distributors_ja != "Distributors"
    page.locator("nav.nav").get_by_role("link", name=distributors_ja).click()
    page.wait_for_url(f"{live_server.url}/{world.a.slug}/distributors/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text(distributors_ja)
    table = page.locator("#distributor-results table")
    expect(table).to_contain_text("Sakura Trading")
    expect(table).to_contain_text("Lotus Distribution")
    # Only vendor A's rows (vendor B has distributors with the same names).
    links = table.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert sorted(links) == sorted(
        f"/{world.a.slug}/distributors/{d.pk}/" for d in (world.a.d1, world.a.d2)
    )
    assert not re.search(r"Borealis", page.content())
    assert csp_violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_prospect_to_active_distributor_with_a_contract_and_the_partners_view(
    live_server, page, browser
):
    """The issue's flow: a channel manager takes a prospect through selection to active (the
    launch checklist appears), is stopped when granting scope another distributor holds
    exclusively, then signs other scope; the distributor's own user sees the contract and the
    checklist and nothing of the other distributor."""
    import datetime as dt

    from partners.models import Distributor, DistributorStatus
    from partners.services.contracts import contract_create
    from tests.conftest import DISTRIBUTOR_USER, in_scope
    from tests.factories_profile import ProductLineFactory, TerritoryFactory

    world = build_world()
    a = world.a
    today = dt.date.today()
    with in_scope(a):
        kanto = TerritoryFactory(vendor=a.vendor, name="Kanto", country="JP")
        TerritoryFactory(vendor=a.vendor, name="Kansai", country="JP")
        cobots = ProductLineFactory(vendor=a.vendor, name="Cobots")
        Distributor.objects.filter(pk=a.d2.pk).update(status=DistributorStatus.ACTIVE)
        a.d2.refresh_from_db()
        # Lotus has held Kanto x Cobots exclusively since well before today.
        contract_create(
            vendor=a.vendor,
            actor=a.member(CHANNEL_MANAGER),
            distributor=a.d2,
            reference="LOTUS-001",
            starts_on=today - dt.timedelta(days=200),
            ends_on=today + dt.timedelta(days=700),
            scope_lines=[{"territory": kanto, "product_line": cobots, "exclusive": True}],
        )
    base = f"{live_server.url}/{a.slug}"

    def log_in(p, user):
        p.goto(f"{live_server.url}/accounts/login/")
        p.fill("#id_username", user.email)
        p.fill("#id_password", PASSWORD)
        p.locator("main form button[type=submit]").click()
        p.wait_for_url(f"{base}/")

    log_in(page, a.user(CHANNEL_MANAGER))

    # Selection: every check, then the decision with its reason.
    page.goto(f"{base}/distributors/{a.d1.pk}/selection/")
    for box in ("references_checked", "competing_brands_reviewed", "sales_capacity_confirmed",
                "willing_to_train"):  # fmt: skip
        page.check(f"#id_{box}")
    page.select_option("#id_financial_check", "passed")
    page.select_option("#id_decision", "approved")
    page.fill("#id_decision_reason", "References from two integrators; no competing cobots.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # Active from today: the launch checklist is made.
    page.goto(f"{base}/distributors/{a.d1.pk}/status/")
    page.select_option("#id_to_status", "active")
    page.fill("#id_reason", "Contract negotiated; launch starts now.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/distributors/{a.d1.pk}/")
    expect(page.locator(".launch-panel")).to_contain_text("0 of 12")

    # A contract on Lotus's exclusive scope is refused, naming it; the typing stays.
    page.goto(f"{base}/contracts/new/?distributor={a.d1.pk}")
    page.fill("#id_reference", "SAKURA-001")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=730)).isoformat())
    page.select_option("#id_lines-0-territory", label="Kanto")
    page.select_option("#id_lines-0-product_line", label="Cobots")
    page.check("#id_lines-0-exclusive")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("main .errorlist")
    expect(errors.first).to_contain_text("LOTUS-001")
    expect(errors.first).to_contain_text("Lotus Distribution")
    expect(page.locator("#id_reference")).to_have_value("SAKURA-001")

    # Kansai is free: the contract is saved.
    page.select_option("#id_lines-0-territory", label="Kansai")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/contracts/\d+/$"))
    expect(page.locator("main")).to_contain_text("SAKURA-001")
    expect(page.locator("main")).to_contain_text("Kansai")

    # The distributor's own user, on a phone: its contract and checklist, not Lotus's.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    partner = phone.new_page()
    log_in(partner, a.user(DISTRIBUTOR_USER))
    main = partner.locator("main")
    expect(main).to_contain_text("SAKURA-001")
    expect(main).to_contain_text("0 of 12")
    partner.goto(f"{base}/contracts/")
    expect(partner.locator("main")).to_contain_text("SAKURA-001")
    assert "LOTUS-001" not in partner.content()
    assert "Lotus Distribution" not in partner.content()
    assert partner.goto(f"{base}/distributors/{a.d2.pk}/").status == 404
    assert partner.goto(f"{base}/sales-kit/").status == 200
    phone.close()

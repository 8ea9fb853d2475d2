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

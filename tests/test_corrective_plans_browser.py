"""A distributor's admin on a phone, in Japanese: opens its corrective plan from the home
panel and ticks off the action it owns (the vendor's action has nothing to tick)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from scorecards.models import PlanAction
from scorecards.services import plans as services
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    PASSWORD,
    build_world,
    in_scope,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partner_ticks_its_own_action_on_a_phone_in_japanese(live_server, browser):
    world = build_world()
    a = world.a
    admin = a.user(DISTRIBUTOR_ADMIN)
    admin.language = "ja"
    admin.save(update_fields=["language"])
    with in_scope(a):
        cm = a.member(CHANNEL_MANAGER)
        plan = services.plan_open(
            vendor=a.vendor, actor=cm, distributor=a.d1, gap="週次報告が4週連続で遅れている。"
        )
        mine = services.action_add(
            vendor=a.vendor, actor=cm, plan=plan, text="在庫レポートを毎週共有する",
            owner=a.member(DISTRIBUTOR_ADMIN), due_on=dt.date(2099, 1, 5),
        )  # fmt: skip
        services.action_add(
            vendor=a.vendor, actor=cm, plan=plan, text="Review the price list",
            owner=cm, due_on=dt.date(2099, 1, 5),
        )  # fmt: skip
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = phone.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", admin.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/{a.slug}/")
    page.locator("[data-testid=plans-panel] a").first.click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    expect(page.locator("[data-testid=plan-facts]")).to_contain_text(
        "週次報告が4週連続で遅れている。"
    )
    assert page.locator("form[action*='/status/']").count() == 1  # only its own action
    page.select_option(f"#status-{mine.pk}", "done")
    page.locator(f"#plan-action-{mine.pk} button[type=submit]").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    expect(page.locator(f"#plan-action-{mine.pk} .badge")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not problems, problems
    phone.close()

    with in_scope(a):
        stored = PlanAction.objects.get(pk=mine.pk)
    assert stored.status == "done" and stored.done_at is not None

"""Sell-out in a real browser: a distributor's person on a phone uploads a sales file, checks
the columns, sees the rows checked and imports them; the progress region updates by itself.

Deselect with ``-m "not browser"`` on a machine without Chromium.
"""

from __future__ import annotations

import codecs
import os

import pytest
from playwright.sync_api import expect

from tests.conftest import DISTRIBUTOR_USER, PASSWORD, build_world

CSV = (
    "請求書番号,行番号,請求日,得意先コード,得意先名,商品名,数量,金額\r\n"
    "請求-001,1,2026-03-02,T01,さくら商店,協働ロボット,3,30000\r\n"
    "請求-001,2,2026-03-02,T01,さくら商店,ビジョンセンサー,-1,-9000\r\n"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_partner_uploads_sales_on_a_phone(live_server, page, tmp_path):
    world = build_world()
    user = world.a.user(DISTRIBUTOR_USER)
    csp_violations = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/{world.a.slug}/")

    page.locator("nav.nav").get_by_role("link", name="Sales", exact=True).click()
    page.wait_for_url(f"{live_server.url}/{world.a.slug}/sales/")
    page.get_by_role("link", name="Upload sales data").click()
    path = tmp_path / "sales.csv"
    path.write_bytes(CSV.encode("cp932"))
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("h1")).to_have_text("Sales upload")
    expect(page.locator("#id_invoice_number")).to_have_value("請求書番号")
    expect(page.locator("#id_outlet_name")).to_have_value("得意先名")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.locator("#upload-status")).to_contain_text("2 rows checked.")
    expect(page.locator("body")).to_contain_text("協働ロボット")
    if os.environ.get("SELLOUT_SCREENSHOTS"):
        page.screenshot(path=os.environ["SELLOUT_SCREENSHOTS"] + "/preview.png", full_page=True)
    page.get_by_role("button", name="Import 2 lines").click()
    expect(page.locator("#upload-status")).to_contain_text("Imported: 2 new lines, 0 updated.")
    page.get_by_role("link", name="See the sales lines").click()
    page.goto(f"{live_server.url}/{world.a.slug}/sales/?from=2026-03-01&to=2026-03-31")
    expect(page.locator(".sales-totals")).to_contain_text("21,000.00 JPY")
    if os.environ.get("SELLOUT_SCREENSHOTS"):
        page.screenshot(path=os.environ["SELLOUT_SCREENSHOTS"] + "/sales.png", full_page=True)
    assert codecs.lookup("cp932")
    assert not csp_violations, csp_violations

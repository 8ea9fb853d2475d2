"""Pages of conditional exclusivity: the verdicts of a quarter, a verdict with its evidence in
words, the override (audited, shown in the timeline) and the hold, the rules, a distributor's
exclusivity with its standing and the QBR form, the timeline; forbidden roles change nothing;
query counts stay flat; a partner reads its standing in Japanese on a phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from partners.models import AuditEvent, DistributorStatusChange
from scorecards.models import ExclusivityRules, ExclusivityVerdict, QbrMeeting
from scorecards.selectors.timeline import SOURCES, distributor_timeline
from scorecards.services import exclusivity as svc
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories import DistributorFactory
from tests.factories_contracts import ContractFactory, ScopeLineFactory, TerritoryFactory
from tests.test_exclusivity import (
    Q1,
    Q2,
    Q3,
    evaluate,
    good_quarter,
    qbr,
    sell,
    verdict,
)
from tests.test_exclusivity import (
    excl as excl,  # the fixture: Sakura Trading holds Japan × Robotics exclusively
)

# After Q3 (July–September 2026) has been evaluated, before its revoke takes effect.
TODAY = dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def warned(excl, frozen):
    """Q2 renewed (good quarter), Q3 warned (¥4,000,000 against ¥10,000,000, QBR held)."""
    t = excl
    good_quarter(t, Q2)
    evaluate(t, Q2)
    sell(t, Q3 + dt.timedelta(days=3), 4_000_000)
    qbr(t, Q3 + dt.timedelta(days=30))
    evaluate(t, Q3)
    assert verdict(t, Q3).outcome == "warn"
    return t


@pytest.fixture
def revoked(excl, frozen):
    """Nothing sold: Q2 warned, Q3 revoked (judged on 11 October; takes effect 60 days later,
    on 10 December)."""
    t = excl
    evaluate(t, Q2)
    evaluate(t, Q3)
    assert verdict(t, Q3).outcome == "revoke"
    return t


def _url(t, name: str, pk=None) -> str:
    base = f"/{t.slug}/scorecards/exclusivity/"
    return {
        "list": base,
        "rules": base + "rules/",
        "verdict": f"{base}verdicts/{pk}/",
        "override": f"{base}verdicts/{pk}/override/",
        "hold": f"{base}verdicts/{pk}/hold/",
        "distributor": f"{base}distributors/{pk}/",
        "qbr": f"{base}distributors/{pk}/qbr/",
        "timeline": f"{base}distributors/{pk}/timeline/",
    }[name]


# --- the verdict pages ----------------------------------------------------------------------


def test_verdict_page_says_the_outcome_and_the_evidence_in_words(client, warned):
    t = warned
    v = verdict(t, Q3)
    client.force_login(t.user(CHANNEL_MANAGER))
    body = client.get(_url(t, "verdict", v.pk)).content.decode()
    assert "Exclusivity for Japan × Robotics is at risk" in body
    reference = t.extra["contract"].reference
    assert (
        "Revenue in Japan × Robotics: ¥4,000,000 against the minimum revenue per quarter in "
        f"contract {reference} of ¥10,000,000 (not met)."
    ) in body
    # Where the threshold comes from, and what the revenue counts (not the scorecard's).
    assert f"(minimum revenue per quarter in contract {reference})" in body
    assert "Revenue counted: sales of Robotics invoiced in FY2026 Q3." in body
    assert " base " not in body.split('data-testid="evidence"')[1].split("</section>")[0]
    assert "QBR held on" in body
    assert "Oct. 1, 2026" in body  # takes effect the day after the quarter closed
    assert "60 days" in body  # the contract's notice period
    # A channel manager neither overrides nor holds a warning.
    assert "Override the verdict" not in body and "Hold the revoke" not in body
    client.force_login(t.user(VENDOR_ADMIN))
    assert "Override the verdict" in client.get(_url(t, "verdict", v.pk)).content.decode()


def test_verdicts_of_a_quarter_counted_and_filtered(client, warned):
    t = warned
    client.force_login(t.user(EXECUTIVE))
    body = client.get(_url(t, "list")).content.decode()  # the latest quarter by default
    assert "FY2026 Q3" in body and "Sakura Trading" in body
    assert 'data-outcome="warn">1<' in body and 'data-outcome="renew">0<' in body
    body = client.get(_url(t, "list"), {"quarter": "2026-05-10"}).content.decode()
    assert "FY2026 Q2" in body and 'data-outcome="renew">1<' in body
    body = client.get(_url(t, "list"), {"quarter": "2026-07-01", "outcome": "renew"}).content
    assert b"No verdicts match." in body
    body = client.get(_url(t, "list"), {"quarter": "2026-07-01", "country": "TH"}).content
    assert b"No verdicts match." in body
    client.force_login(t.user(CHANNEL_MANAGER))  # Sakura's owner
    body = client.get(_url(t, "list"), {"quarter": "2026-07-01", "mine": "1"}).content
    assert b"Sakura Trading" in body


# --- override, hold, QBR, rules ---------------------------------------------------------------


def test_override_via_the_page_is_audited_shown_and_in_the_timeline(client, revoked):
    t = revoked
    v = verdict(t, Q3)
    client.force_login(t.user(VENDOR_ADMIN))
    # Without a reason: the error beside the field, the choice kept, nothing changed.
    before = db_state()
    response = client.post(_url(t, "override", v.pk), {"outcome": "warn", "reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_reason_error"' in body and "Say why the verdict is overridden." in body
    assert '<option value="warn" selected>' in body
    assert db_state() == before

    response = client.post(
        _url(t, "override", v.pk), {"outcome": "warn", "reason": "New director; one more quarter"}
    )
    assert response.status_code == 302
    with in_scope(t):
        event = AuditEvent.objects.get(action="exclusivity.verdict.override")
    assert event.actor == t.user(VENDOR_ADMIN)
    assert event.changes["outcome"] == ["revoke", "warn"]
    assert verdict(t, Q3).effective_outcome == "warn"
    body = client.get(_url(t, "verdict", v.pk)).content.decode()
    assert 'data-testid="verdict-override"' in body and "New director; one more quarter" in body

    body = client.get(_url(t, "timeline", t.d1.pk)).content.decode()
    assert "overrode the verdict on Japan × Robotics for FY2026 Q3: Warn." in body
    assert "New director; one more quarter" in body  # the note, for staff
    # The distributor's own people see the override, not the vendor's internal note.
    client.force_login(t.user(DISTRIBUTOR_USER))
    body = client.get(_url(t, "timeline", t.d1.pk)).content.decode()
    assert "overrode the verdict on Japan × Robotics" in body
    assert "New director" not in body
    body = client.get(_url(t, "verdict", v.pk)).content.decode()
    assert 'data-testid="verdict-override"' in body and "New director" not in body


def test_hold_via_the_page(client, revoked):
    t = revoked
    v = verdict(t, Q3)
    client.force_login(t.user(CHANNEL_MANAGER))
    response = client.post(_url(t, "hold", v.pk), {"held_until": "", "reason": "Plan running"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_held_until_error"' in body and "Plan running" in body
    response = client.post(
        _url(t, "hold", v.pk), {"held_until": "2026-12-31", "reason": "Plan running"}
    )
    assert response.status_code == 302
    assert verdict(t, Q3).held_until == dt.date(2026, 12, 31)
    body = client.get(_url(t, "verdict", v.pk)).content.decode()
    assert 'data-testid="verdict-hold"' in body and "Dec. 31, 2026" in body
    body = client.get(_url(t, "timeline", t.d1.pk)).content.decode()
    assert "held the revoke of exclusivity for Japan × Robotics until Dec. 31, 2026." in body


def test_only_a_revoke_is_held_and_the_page_says_so(client, warned, monkeypatch):
    t = warned
    v = verdict(t, Q3)
    client.force_login(t.user(VENDOR_ADMIN))
    body = client.get(_url(t, "verdict", v.pk)).content.decode()
    assert "Hold the revoke" not in body  # a warning has nothing to hold
    before = db_state()
    response = client.post(_url(t, "hold", v.pk), {"held_until": "2026-12-31", "reason": "Plan"})
    assert response.status_code == 400 and db_state() == before
    body = response.content.decode()
    assert 'id="id_reason_error"' in body and "Only a revoke can be held." in body
    # The verdicts of a quarter are paginated (one verdict here: one page, no page links).
    monkeypatch.setattr("scorecards.views.exclusivity.PAGE_SIZE", 1)
    body = client.get(_url(t, "list"), {"quarter": "2026-07-01"}).content.decode()
    assert "Sakura Trading" in body and 'class="pagination"' not in body


FORBIDDEN = [
    ("override", {"outcome": "renew", "reason": "Please"}, CHANNEL_MANAGER, 403),
    ("override", {"outcome": "renew", "reason": "Please"}, EXECUTIVE, 403),
    ("override", {"outcome": "renew", "reason": "Please"}, DISTRIBUTOR_ADMIN, 403),
    ("hold", {"held_until": "2026-12-31", "reason": "Please"}, EXECUTIVE, 403),
    ("hold", {"held_until": "2026-12-31", "reason": "Please"}, DISTRIBUTOR_ADMIN, 403),
    ("hold", {"held_until": "2026-12-31", "reason": "Please"}, DISTRIBUTOR_USER, 403),
    ("qbr", {"held_on": "2026-10-01"}, EXECUTIVE, 403),
    ("qbr", {"held_on": "2026-10-01"}, DISTRIBUTOR_ADMIN, 403),
    ("rules", {"launch_days": "10"}, CHANNEL_MANAGER, 403),
    ("rules", {"launch_days": "10"}, DISTRIBUTOR_ADMIN, 403),
]


@pytest.mark.parametrize("page,data,role,status", FORBIDDEN)
def test_forbidden_roles_change_nothing(client, revoked, page, data, role, status):
    t = revoked
    v = verdict(t, Q3)
    pk = t.d1.pk if page == "qbr" else v.pk
    client.force_login(t.user(role))
    before = db_state()
    assert client.post(_url(t, page, pk), data).status_code == status
    assert db_state() == before


def test_another_distributors_people_get_a_404(client, revoked):
    t = revoked
    v = verdict(t, Q3)
    client.force_login(t.d2_user)
    for name, pk in (("verdict", v.pk), ("distributor", t.d1.pk), ("timeline", t.d1.pk)):
        assert client.get(_url(t, name, pk)).status_code == 404
    assert client.get(_url(t, "list")).status_code == 403


def test_qbr_recorded_from_the_distributor_page(client, warned):
    t = warned
    client.force_login(t.user(CHANNEL_MANAGER))
    body = client.get(_url(t, "distributor", t.d1.pk)).content.decode()
    assert "a QBR held this quarter" in body  # Q4 has none yet
    response = client.post(_url(t, "qbr", t.d1.pk), {"held_on": "2026-11-30", "notes": "x"})
    assert response.status_code == 400  # not held yet
    assert "A QBR cannot be recorded before it is held." in response.content.decode()
    assert 'value="2026-11-30"' in response.content.decode()
    response = client.post(
        _url(t, "qbr", t.d1.pk), {"held_on": "2026-10-15", "notes": "Pipeline review"}
    )
    assert response.status_code == 302
    with in_scope(t):
        assert QbrMeeting.objects.filter(distributor=t.d1, held_on="2026-10-15").exists()
    body = client.get(_url(t, "distributor", t.d1.pk)).content.decode()
    assert "a QBR held this quarter" not in body
    assert "QBR held on Oct. 15, 2026." in body  # the latest events


def test_rules_page_errors_beside_fields_and_typed_values_kept(client, excl):
    t = excl
    client.force_login(t.user(VENDOR_ADMIN))
    data = {
        "launch_days": "90",
        "require_revenue": "on",
        "weekly_on_time_percent": "150",
        "warning_quarters": "2",
        "scale_after_quarters": "4",
        "evaluate_after_days": "10",
    }
    response = client.post(_url(t, "rules"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_weekly_on_time_percent_error"' in body and 'value="150"' in body
    assert 'name="warning_quarters" value="2"' in body
    response = client.post(_url(t, "rules"), {**data, "weekly_on_time_percent": "80"})
    assert response.status_code == 302
    with in_scope(t):
        rules = ExclusivityRules.objects.get(vendor=t.vendor)
        assert (rules.weekly_on_time_percent, rules.warning_quarters) == (80, 2)
        assert not rules.require_qbr
        assert AuditEvent.objects.filter(action="exclusivity.rules.update").exists()
    client.force_login(t.user(EXECUTIVE))
    body = client.get(_url(t, "rules")).content.decode()
    assert "<fieldset disabled>" in body and 'value="80"' in body


# --- the timeline ---------------------------------------------------------------------------


def test_timeline_has_every_source_newest_first(client, warned):
    t = warned
    with in_scope(t):
        DistributorStatusChange.objects.create(
            vendor=t.vendor,
            distributor=t.d1,
            from_status="onboarding",
            to_status="active",
            effective_on=dt.date(2026, 1, 5),
            reason="Signed",
        )
        entries = distributor_timeline(
            vendor=t.vendor, actor=t.member(VENDOR_ADMIN), distributor=t.d1
        )
    kinds = [e.kind for e in entries]
    assert {"verdict", "phase", "status", "qbr", "plan"} <= set(kinds)
    # The warning suggested a corrective plan; it links to the plan's page.
    plan = next(e for e in entries if e.kind == "plan")
    assert plan.sentence == "Corrective plan suggested: Exclusivity warning."
    assert "/plans/" in plan.url
    # A suggestion is the vendor's: the distributor's people do not see it (nor a link to it).
    with in_scope(t):
        theirs = distributor_timeline(
            vendor=t.vendor, actor=t.member(DISTRIBUTOR_ADMIN), distributor=t.d1
        )
    assert "plan" not in {e.kind for e in theirs} and "verdict" in {e.kind for e in theirs}
    days = [e.day for e in entries]
    assert days == sorted(days, reverse=True)
    assert any("the launch phase ended" in e.sentence for e in entries)
    assert len(SOURCES) >= 5


def test_timeline_queries_stay_flat(warned):
    t = warned

    def queries():
        with in_scope(t), CaptureQueriesContext(connection) as ctx:
            distributor_timeline(vendor=t.vendor, actor=t.member(VENDOR_ADMIN), distributor=t.d1)
        return len(ctx.captured_queries)

    few = queries()
    for month in range(4, 10):
        qbr(t, dt.date(2026, month, 2))
    with in_scope(t):
        for n in range(3):
            DistributorStatusChange.objects.create(
                vendor=t.vendor, distributor=t.d1, to_status="active",
                effective_on=dt.date(2026, 2, 1 + n), reason="r",
            )  # fmt: skip
    assert queries() == few


def test_verdict_list_and_pages_queries_flat_with_more_distributors(client, excl, frozen):
    t = excl
    good_quarter(t, Q2)
    evaluate(t, Q2)  # one verdict
    client.force_login(t.user(VENDOR_ADMIN))

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    pages = (
        _url(t, "list") + "?quarter={q}",
        _url(t, "distributor", t.d1.pk),
        _url(t, "timeline", t.d1.pk),
        f"/{t.slug}/distributors/{t.d1.pk}/",
    )
    few = [queries(url.format(q=Q2.isoformat())) for url in pages]
    with in_scope(t):
        for n in range(4):
            d = DistributorFactory(vendor=t.vendor, name=f"Extra {n}", currency="JPY")
            territory = TerritoryFactory(vendor=t.vendor, name=f"Region {n}")
            c = ContractFactory(vendor=t.vendor, distributor=d, starts_on=Q1,
                                launch_ends_on=dt.date(2026, 3, 31))  # fmt: skip
            ScopeLineFactory(vendor=t.vendor, contract=c, territory=territory,
                             product_line=t.extra["robotics"], exclusive_from=Q2)  # fmt: skip
    evaluate(t, Q3)  # five verdicts, a second one for Sakura
    with in_scope(t):
        assert ExclusivityVerdict.objects.filter(quarter_start=Q3).count() == 5
    assert [queries(url.format(q=Q3.isoformat())) for url in pages] == few


# --- Japanese, on a phone -------------------------------------------------------------------


def test_partner_reads_its_standing_in_japanese(client, warned):
    t = warned
    client.force_login(t.user(DISTRIBUTOR_ADMIN))
    with translation.override("ja"):
        home = client.get(f"/{t.slug}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        page = client.get(
            _url(t, "distributor", t.d1.pk), HTTP_ACCEPT_LANGUAGE="ja"
        ).content.decode()
    assert 'data-testid="keeping-exclusivity"' in home and "独占権の維持" in home
    assert "過去の判定" in page and "最近の出来事" in page
    for body in (home, page):
        assert "独占権を維持するためにまだ必要なこと" in body
        assert "¥10,000,000" in body  # nothing sold in Q4 yet
        assert "今四半期中のQBR開催" in body


def test_standing_says_what_last_quarters_warning_or_revoke_means(client, excl, frozen):
    """In the warning quarter the partner reads that a second miss revokes; after a revoke,
    when exclusivity ends (no "still needed to keep" list), and once held, until when it is
    held, with what is needed again."""
    t = excl
    evaluate(t, Q2)  # nothing sold: warned after Q2
    client.force_login(t.user(DISTRIBUTOR_ADMIN))
    with time_machine.travel(dt.datetime(2026, 7, 20, 9, tzinfo=dt.UTC), tick=False):
        body = client.get(_url(t, "distributor", t.d1.pk)).content.decode()
    assert (
        "Warned after FY2026 Q2: if the conditions are not met this quarter, exclusivity is"
        " revoked." in body
    )
    evaluate(t, Q3)  # revoked after Q3, judged on 11 October: takes effect on 10 December
    body = client.get(_url(t, "distributor", t.d1.pk)).content.decode()
    assert 'data-testid="standing-revoke"' in body
    assert "the scope stays exclusive until Dec. 9, 2026, and from Dec. 10, 2026" in body
    assert "Your channel manager can hold the revoke" in body
    assert "Warned after" not in body and "Still needed to keep exclusivity" not in body
    with in_scope(t):
        svc.verdict_hold(
            vendor=t.vendor, actor=t.member(CHANNEL_MANAGER), verdict=verdict(t, Q3),
            reason="Plan agreed", held_until=dt.date(2026, 12, 31),
        )  # fmt: skip
    body = client.get(_url(t, "distributor", t.d1.pk)).content.decode()
    assert "the revoke is held until Dec. 31, 2026" in body
    assert "Still needed to keep exclusivity" in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_standing_on_a_phone_in_japanese(live_server, browser):
    from partners import periods as p
    from scorecards.services.exclusivity import exclusivity_evaluate
    from tests.conftest import PASSWORD, build_world

    world = build_world()
    a = world.a
    _exclusive_line(a)
    fiscal = a.vendor.fiscal_year_start_month
    closed = p.period_shift(p.QUARTER, p.quarter_start(dt.date.today(), fiscal), -1)
    assert exclusivity_evaluate(vendor_id=a.vendor.id, quarter_start=closed)
    with in_scope(a):
        user = a.user(DISTRIBUTOR_ADMIN)
        user.language = "ja"
        user.save(update_fields=["language"])
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = phone.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/{a.slug}/")
    panel = page.locator("[data-testid=keeping-exclusivity]")
    assert "独占権を維持するためにまだ必要なこと" in panel.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel.locator("a").last.click()
    page.wait_for_url(f"**/scorecards/exclusivity/distributors/{a.d1.pk}/")
    assert "¥10,000,000" in page.locator("[data-testid=exclusivity-standing]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/{a.slug}/scorecards/exclusivity/distributors/{a.d1.pk}/timeline/")
    assert "立ち上げ期間が終了し" in page.locator("[data-testid=timeline]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The last closed quarter's verdict (nothing sold): the evidence table fits the phone too.
    page.locator("[data-testid=timeline] a").first.click()
    page.wait_for_url("**/scorecards/exclusivity/verdicts/*/")
    assert "¥10,000,000" in page.locator("[data-testid=evidence]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()


def _exclusive_line(t):
    """An exclusive line in force today, past its launch, with a ¥10,000,000 clause."""
    from decimal import Decimal

    from partners.models import ClauseKind, PerformanceClause
    from tests.factories_contracts import ProductLineFactory

    today = dt.date.today()
    with in_scope(t):
        japan = TerritoryFactory(vendor=t.vendor, name="Japan", country="JP")
        robotics = ProductLineFactory(vendor=t.vendor, name="Robotics", code="RB")
        contract = ContractFactory(
            vendor=t.vendor,
            distributor=t.d1,
            starts_on=today - dt.timedelta(days=400),
            launch_ends_on=today - dt.timedelta(days=310),
            ends_on=today + dt.timedelta(days=400),
        )
        line = ScopeLineFactory(
            vendor=t.vendor,
            contract=contract,
            territory=japan,
            product_line=robotics,
            exclusive_from=today - dt.timedelta(days=309),
        )
        PerformanceClause.objects.create(
            vendor=t.vendor, contract=contract, kind=ClauseKind.MIN_REVENUE, scope_line=line,
            amount=Decimal("10000000"), currency="JPY",
        )  # fmt: skip


# --- the API ----------------------------------------------------------------------------------


def _api(t, path: str) -> str:
    return f"/api/v1/{t.slug}/{path}"


def test_api_rules_read_by_staff_changed_by_admins_with_field_errors(client, excl):
    t = excl
    client.force_login(t.user(EXECUTIVE))
    assert client.get(_api(t, "exclusivity-rules/current/")).json()["launch_days"] == 90
    before = db_state()
    response = client.patch(
        _api(t, "exclusivity-rules/current/"), {"launch_days": 30}, content_type="application/json"
    )
    assert response.status_code == 403 and db_state() == before
    client.force_login(t.user(DISTRIBUTOR_ADMIN))
    assert client.get(_api(t, "exclusivity-rules/current/")).status_code == 403
    client.force_login(t.user(VENDOR_ADMIN))
    response = client.patch(
        _api(t, "exclusivity-rules/current/"),
        {"weekly_on_time_percent": 150},
        content_type="application/json",
    )
    assert response.status_code == 400 and "weekly_on_time_percent" in response.json()
    response = client.patch(
        _api(t, "exclusivity-rules/current/"),
        {"warning_quarters": 2},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["warning_quarters"] == 2


def test_api_verdicts_filters_override_and_hold(client, revoked):
    t = revoked
    v = verdict(t, Q3)
    client.force_login(t.user(CHANNEL_MANAGER))
    data = client.get(_api(t, "exclusivity-verdicts/"), {"quarter": "2026-08-15"}).json()
    assert [row["id"] for row in data["results"]] == [v.pk]
    assert data["results"][0]["quarter"] == "FY2026 Q3"
    assert data["results"][0]["sentence"].startswith("Exclusivity for Japan × Robotics is revoked")
    assert client.get(_api(t, "exclusivity-verdicts/"), {"outcome": "renew"}).json()["count"] == 0
    url = _api(t, f"exclusivity-verdicts/{v.pk}/")
    assert client.post(url + "override/", {"outcome": "warn", "reason": "x"},
                       content_type="application/json").status_code == 403  # fmt: skip
    response = client.post(url + "hold/", {"reason": "Plan"}, content_type="application/json")
    assert response.status_code == 400 and "held_until" in response.json()
    response = client.post(
        url + "hold/",
        {"reason": "Plan", "held_until": "2026-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["held_until"] == "2026-12-31"

    client.force_login(t.user(VENDOR_ADMIN))
    response = client.post(url + "override/", {"outcome": "warn", "reason": " "},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url + "override/", {"outcome": "warn", "reason": "One more quarter"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["effective_outcome"] == "warn"

    client.force_login(t.user(DISTRIBUTOR_USER))
    row = client.get(url).json()
    assert row["effective_outcome"] == "warn"
    assert "override_reason" not in row and "hold_reason" not in row
    client.force_login(t.d2_user)
    assert client.get(url).status_code == 404
    assert client.get(_api(t, "exclusivity-verdicts/")).json()["count"] == 0


def test_api_timeline_and_qbr_meetings(client, warned):
    t = warned
    client.force_login(t.user(CHANNEL_MANAGER))
    response = client.post(_api(t, "qbr-meetings/"), {"distributor": t.d1.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "held_on" in response.json()
    response = client.post(_api(t, "qbr-meetings/"), {"distributor": 2_000_000_000, "held_on": "2026-10-02"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "distributor" in response.json()
    response = client.post(
        _api(t, "qbr-meetings/"),
        {"distributor": t.d1.pk, "held_on": "2026-10-02", "notes": "Internal"},
        content_type="application/json",
    )
    assert response.status_code == 201
    data = client.get(_api(t, f"distributor-timelines/{t.d1.pk}/")).json()
    assert data["entries"][0]["kind"] == "verdict"  # computed on 20 October
    entry = next(e for e in data["entries"] if e["day"] == "2026-10-02")
    assert entry["kind"] == "qbr" and entry["note"] == "Internal"
    client.force_login(t.user(DISTRIBUTOR_USER))
    data = client.get(_api(t, f"distributor-timelines/{t.d1.pk}/")).json()
    assert all("note" not in e for e in data["entries"])
    meetings = client.get(_api(t, "qbr-meetings/")).json()["results"]
    assert meetings and "notes" not in meetings[0]
    assert client.get(_api(t, f"distributor-timelines/{t.d2.pk}/")).status_code == 404
    before = db_state()
    response = client.post(
        _api(t, "qbr-meetings/"), {"distributor": t.d1.pk, "held_on": "2026-10-03"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403 and db_state() == before


def test_japanese_fragment_keeps_every_placeholder():
    import re

    text = (Path(settings.BASE_DIR) / "locale/ja/fragments/exclusivity_pages.po").read_text("utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', text, re.M)
    assert len(pairs) > 50
    for msgid, msgstr in pairs:
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ), msgid


# --- a revoke: one story on every page, on every day --------------------------------------


def _pages(client, t, v) -> dict[str, str]:
    """The four places a partner and staff read about the line: the contract, the distributor
    page's scope in force today, the verdict and the distributor's exclusivity standing."""
    contract = t.extra["contract"]
    response = client.get(f"/{t.slug}/contracts/{contract.pk}/")
    assert response.status_code == 200, response
    return {
        "contract": response.content.decode(),
        "distributor": client.get(f"/{t.slug}/distributors/{t.d1.pk}/").content.decode(),
        "verdict": client.get(_url(t, "verdict", v.pk)).content.decode(),
        "standing": client.get(_url(t, "distributor", t.d1.pk)).content.decode(),
    }


def test_a_revoke_says_the_same_everywhere_before_and_after_it_takes_effect(client, revoked):
    """Q3 is judged on 11 October and the contract's notice period is 60 days: the revoke takes
    effect on 10 December, never earlier. Until then the contract, the distributor page, the
    verdict and the standing all say the line stays exclusive until 9 December; on 10 December
    the close-quarter command (like the daily job) writes the amendment, and all four say the
    scope continues without exclusivity."""
    from io import StringIO

    from django.core.management import call_command

    t = revoked
    v = verdict(t, Q3)
    assert v.effective_on == dt.date(2026, 12, 10)
    until = "exclusive until Dec. 9, 2026: revoked, notice given"
    with time_machine.travel(dt.datetime(2026, 12, 9, 3, tzinfo=dt.UTC), tick=False):
        client.force_login(t.user(VENDOR_ADMIN))
        pages = _pages(client, t, v)
        out = StringIO()
        call_command("exclusivity_close_quarter", "--vendor", t.slug, stdout=out)
        assert "Revokes applied today: 0." in out.getvalue()
    assert until in pages["contract"]
    scope_today = pages["distributor"].split("Scope in force today")[1].split("</ul>")[0]
    assert "Japan × Robotics" in scope_today and until in scope_today
    assert "The scope stays exclusive until Dec. 9, 2026; from Dec. 10, 2026" in pages["verdict"]
    assert "stays exclusive until Dec. 9, 2026, and from Dec. 10, 2026" in pages["standing"]
    with in_scope(t):
        assert verdict(t, Q3).applied_at is None

    with time_machine.travel(dt.datetime(2026, 12, 10, 3, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("exclusivity_close_quarter", "--vendor", t.slug, stdout=out)
        assert "Revokes applied today: 1." in out.getvalue()
        client.force_login(t.user(VENDOR_ADMIN))
        pages = _pages(client, t, v)
    assert verdict(t, Q3).applied_amendment_id is not None
    for page in pages.values():
        assert "revoked, notice given" not in page
    assert "ended by amendment" in pages["contract"] and "non-exclusive" in pages["contract"]
    scope_today = pages["distributor"].split("Scope in force today")[1].split("</ul>")[0]
    assert "Japan × Robotics" in scope_today and "exclusive" not in scope_today
    assert (
        "Since Dec. 10, 2026 the scope continues without exclusivity (the contract was amended)."
        in pages["verdict"]
    )
    assert "No exclusive scope in force." in pages["standing"]


@pytest.mark.parametrize(
    ("role", "said", "not_said"),
    [
        (
            DISTRIBUTOR_ADMIN,
            "Your channel manager can hold the revoke",
            "Vendor admins and channel managers can hold",
        ),
        (
            CHANNEL_MANAGER,
            "Vendor admins and channel managers can hold the revoke on the verdict's page",
            "Your channel manager",
        ),
        (
            VENDOR_ADMIN,
            "Vendor admins and channel managers can hold the revoke on the verdict's page",
            "Your channel manager",
        ),
    ],
)
def test_the_standing_speaks_to_staff_as_staff_and_to_partners_as_partners(
    client, revoked, role, said, not_said
):
    t = revoked
    client.force_login(t.user(role))
    body = client.get(_url(t, "distributor", t.d1.pk)).content.decode()
    assert 'data-testid="standing-revoke"' in body
    assert said in body and not_said not in body


def test_the_exclusivity_menu_shows_a_channel_manager_only_their_distributors(client, revoked):
    """The "Exclusivity" menu of a channel manager opens the verdicts of the distributors they
    own (and may be widened); a vendor admin sees every distributor's."""
    t = revoked
    with in_scope(t):
        other = DistributorFactory(vendor=t.vendor, name="Orchid Distribution", currency="JPY")
        territory = TerritoryFactory(vendor=t.vendor, name="Korea", country="KR")
        contract = ContractFactory(
            vendor=t.vendor, distributor=other, starts_on=Q1, launch_ends_on=dt.date(2026, 3, 31)
        )
        ScopeLineFactory(
            vendor=t.vendor, contract=contract, territory=territory,
            product_line=t.extra["robotics"], exclusive_from=Q2,
        )  # fmt: skip
    evaluate(t, Q3)  # Orchid's line is judged too (nobody owns Orchid)
    menu = f"/{t.slug}/scorecards/exclusivity/mine/"
    client.force_login(t.user(CHANNEL_MANAGER))  # owns Sakura Trading
    response = client.get(menu, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?mine=1")
    assert "Sakura Trading" in body and "Orchid Distribution" not in body
    assert 'name="mine" value="1" checked' in body
    widened = client.get(_url(t, "list"), {"quarter": "2026-07-01"}).content.decode()
    assert "Orchid Distribution" in widened
    client.force_login(t.user(VENDOR_ADMIN))
    body = client.get(menu, follow=True).content.decode()
    assert "Sakura Trading" in body and "Orchid Distribution" in body

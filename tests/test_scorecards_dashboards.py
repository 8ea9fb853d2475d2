"""Dashboards: the scorecard table and its export, one distributor's scorecard and "my
standing" (gap wording, charts, ramps, Japanese), the portfolio's currency consolidation, the
"needs attention" list and panels, the API, and locked query counts. Scorecards are written
directly here (the engine that computes them is tested on its own)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from partners import periods
from partners.models import Distributor
from scorecards import fx, rules
from scorecards.models import ExchangeRate, KpiActual, Scorecard, ScorecardPolicy
from scorecards.selectors import dashboards as sel
from scorecards.services.catalogue import kpi_catalogue_seed
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    in_scope,
)
from tests.factories import DistributorFactory

pytestmark = pytest.mark.django_db

MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
FEBRUARY = dt.date(2026, 2, 1)
D = Decimal


# --- a small factory -----------------------------------------------------------------------------


def kpis(tenant) -> dict:
    with in_scope(tenant):
        return {k.code: k for k in kpi_catalogue_seed(vendor=tenant.vendor)}


def scorecard(tenant, distributor, start=APRIL, *, score="60.0", rag="amber", red=1, kind="month",
              families=("amber", "green", "red"), actuals=()):  # fmt: skip
    """A scorecard and its KPI actuals: ``actuals`` are dicts with ``kpi`` and any KpiActual
    field (value, base, stretch, exceed, ramp_percent, attainment, level, rag)."""
    now = timezone.now()
    with in_scope(tenant):
        card = Scorecard.objects.create(
            vendor=tenant.vendor,
            distributor=distributor,
            period_kind=kind,
            period_start=start,
            score=D(score) if score is not None else None,
            rag=rag,
            commercial_rag=families[0],
            execution_rag=families[1],
            operational_rag=families[2],
            red_count=red,
            computed_at=now,
        )
        for fields in actuals:
            fields = dict(fields)
            kpi = fields.pop("kpi")
            KpiActual.objects.create(
                vendor=tenant.vendor,
                distributor=distributor,
                kpi=kpi,
                family=kpi.family,
                period_kind=kind,
                period_start=start,
                currency=distributor.currency if kpi.unit == "money" else "",
                computed_at=now,
                **fields,
            )
    return card


def revenue(kpi, value, base="1000000", stretch="2200000", exceed="3000000", **extra) -> dict:
    fields = {"kpi": kpi, "value": D(value), "base": D(base), "stretch": D(stretch),
              "exceed": D(exceed), "attainment": D(value) / D(base) * 100}  # fmt: skip
    fields["level"] = rules.level(D(value), D(base), D(stretch), D(exceed))
    fields["rag"] = "green" if fields["level"] != "below" else "red"
    fields.update(extra)
    return fields


# --- gap wording -----------------------------------------------------------------------------------


def test_gap_in_plain_words(world):
    a = world.a
    k = kpis(a)
    scorecard(
        a,
        a.d1,
        actuals=[
            revenue(k["revenue"], "1000000"),  # at base: stretch is 1,200,000 away
            revenue(k["weekly-on-time"], "80", base="90", stretch="95", exceed="100"),
            revenue(k["new-accounts"], "12", base="5", stretch="8", exceed="10"),
        ],
    )
    with in_scope(a):
        period = sel.Period("month", APRIL, "April 2026")
        page = sel.scorecard_page(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, period=period
        )
    gaps = {line.actual.kpi.code: line.gap for block in page.families for line in block.lines}
    assert gaps["revenue"] == "¥1,200,000 more revenue to reach stretch"
    assert gaps["weekly-on-time"] == (
        "10 percentage points more weekly updates on time to reach base"
    )
    assert gaps["new-accounts"] == "Exceed reached."
    # Below base first, then those with a next level; exceed is not a gap.
    assert [ln.actual.kpi.code for ln in page.gaps] == ["weekly-on-time", "revenue"]


def test_gap_for_lower_is_better_and_in_japanese(world):
    a = world.a
    k = kpis(a)
    actual = KpiActual(value=D("12"), base=D("10"), stretch=D("8"), exceed=D("5"), currency="")
    assert (
        sel.gap_words(actual, "Returns", unit="count", lower_is_better=True)
        == "Returns: 2 fewer to reach base"
    )
    money = KpiActual(value=D("500"), base=D("1000"), stretch=None, exceed=None, currency="SGD")
    assert sel.gap_words(money, "Revenue", unit="money", lower_is_better=False) == (
        "SGD 500.00 more revenue to reach base"
    )
    assert sel.gap_words(KpiActual(value=None, base=None), "X", unit="count",
                         lower_is_better=False) == ""  # fmt: skip
    del k


# --- the table -------------------------------------------------------------------------------------


def _table_world(world):
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(pk=a.d1.pk).update(owner=a.member(CHANNEL_MANAGER))
    scorecard(a, a.d1, MARCH, score="40.0", rag="red")
    scorecard(a, a.d1, APRIL, score="80.0", rag="green", red=0)
    scorecard(a, a.d2, MARCH, score="70.0", rag="amber")
    scorecard(a, a.d2, APRIL, score="55.0", rag="amber", red=2)
    scorecard(world.b, world.b.d1, APRIL, score="99.0", rag="green")


def test_table_shows_scores_rags_and_trend_and_sorts(client, world):
    _table_world(world)
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.get(f"/{a.slug}/scorecards/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sakura Trading" in body and "Lotus Distribution" in body
    assert "Borealis" not in body
    assert "+40.0" in body and "-15.0" in body  # change since March
    assert 'class="badge rag rag-green ok"' in body and "Green" in body
    # Default sort: score ascending (the weakest first); ?sort=-score reverses.
    assert body.index("Lotus Distribution") < body.index("Sakura Trading")
    body = client.get(f"/{a.slug}/scorecards/?sort=-score").content.decode()
    assert body.index("Sakura Trading") < body.index("Lotus Distribution")
    body = client.get(f"/{a.slug}/scorecards/?rag=amber").content.decode()
    assert "Lotus Distribution" in body and f"/scorecards/distributors/{a.d1.pk}/" not in body
    body = client.get(f"/{a.slug}/scorecards/?mine=1").content.decode()
    assert "Sakura Trading" in body and f"/scorecards/distributors/{a.d2.pk}/" not in body
    body = client.get(f"/{a.slug}/scorecards/?period=2026-03-01").content.decode()
    assert "40.0" in body and "80.0" not in body
    partial = client.get(
        f"/{a.slug}/scorecards/?country=TH", HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="scorecard-results",
    ).content.decode()  # fmt: skip
    assert "<html" not in partial and "Lotus Distribution" in partial
    assert "Sakura Trading" not in partial


def test_table_shows_scored_distributors_without_a_scorecard_last(client, world):
    """An active distributor with no April scorecard is listed after those with one, "Not
    computed yet" when a template applies to it and "No template" when none does; prospects
    and terminated distributors are not listed; the filters apply to them too."""
    from scorecards.models import ScorecardAssignment, ScorecardTemplate

    _table_world(world)
    a = world.a
    with in_scope(a):
        cm = a.member(CHANNEL_MANAGER)
        DistributorFactory(vendor=a.vendor, name="Aaa Pending", country="JP",
                           status="active", owner=cm)  # fmt: skip
        DistributorFactory(vendor=a.vendor, name="Aab Bare", country="VN",
                           status="suspended")  # fmt: skip
        assigned = DistributorFactory(vendor=a.vendor, name="Aac Assigned", country="VN",
                                      status="onboarding")  # fmt: skip
        DistributorFactory(vendor=a.vendor, name="Aad Prospect", country="JP", status="prospect")
        DistributorFactory(vendor=a.vendor, name="Aae Gone", country="JP", status="terminated")
        japan = ScorecardTemplate.objects.create(vendor=a.vendor, name="Japan", countries=["JP"])
        ScorecardAssignment.objects.create(vendor=a.vendor, distributor=assigned, template=japan)
    # Computed, but no KPI had a target: said so rather than four "Not rated" badges.
    k = kpis(a)
    with in_scope(a):  # the catalogue's seed brings a default template: none here
        ScorecardTemplate.objects.filter(vendor=a.vendor).exclude(pk=japan.pk).delete()
    scorecard(a, assigned, MARCH, score=None, rag="none", red=0, families=("none",) * 3,
              actuals=[{"kpi": k["units"], "value": D(3)}])  # fmt: skip
    client.force_login(a.user(CHANNEL_MANAGER))
    march = client.get(f"/{a.slug}/scorecards/?period=2026-03-01").content.decode()
    assert "No targets set" in march[march.index("Aac Assigned") :]
    assert "No targets set" not in march[: march.index("Aac Assigned")]
    url = f"/{a.slug}/scorecards/?period=2026-04-01"
    body = client.get(url).content.decode()
    assert "Aad Prospect" not in body and "Aae Gone" not in body
    order = [body.index(n) for n in ("Lotus Distribution", "Sakura Trading", "Aaa Pending",
                                     "Aab Bare", "Aac Assigned")]  # fmt: skip
    assert order == sorted(order)  # the computed ones first (by score), then the rest by name
    row = lambda name: body[body.index(name) : body.index("</tr>", body.index(name))]  # noqa: E731
    assert "Not computed yet" in row("Aaa Pending")
    assert "No template" in row("Aab Bare")
    assert "Not computed yet" in row("Aac Assigned")
    # Sorting the other way keeps them last.
    body = client.get(url + "&sort=-score").content.decode()
    assert body.index("Sakura Trading") < body.index("Lotus Distribution") < body.index(
        "Aaa Pending")  # fmt: skip
    # Filters apply to them; a RAG filter leaves them out.
    body = client.get(url + "&country=VN").content.decode()
    assert "Aab Bare" in body and "Aaa Pending" not in body and "Sakura Trading" not in body
    body = client.get(url + "&mine=1").content.decode()
    assert "Aaa Pending" in body and "Aab Bare" not in body
    body = client.get(url + "&q=bare").content.decode()
    assert "Aab Bare" in body and "Lotus Distribution" not in body
    body = client.get(url + "&rag=amber").content.decode()
    assert "Aaa Pending" not in body and "Lotus Distribution" in body
    # The export lists them too, saying why under "Overall".
    rows = list(csv.reader(io.StringIO(
        client.get(f"/{a.slug}/scorecards/export/?period=2026-04-01").content.decode("utf-8-sig")
    )))  # fmt: skip
    why = {r[0]: (r[5], r[6]) for r in rows[1:]}
    assert why["Aab Bare"] == ("", "No template") and why["Aaa Pending"][1] == "Not computed yet"
    assert [r[0] for r in rows[1:]][-3:] == ["Aaa Pending", "Aab Bare", "Aac Assigned"]


def test_table_pages_run_across_computed_and_missing_rows(world):
    _table_world(world)
    a = world.a
    with in_scope(a):
        for i in range(3):
            DistributorFactory(vendor=a.vendor, name=f"Pending {i}", status="active")
        rows = sel.scorecard_table(vendor=a.vendor, actor=a.member(VENDOR_ADMIN),
                                   period=sel.Period("month", APRIL, "April"),
                                   filters=sel.TableFilters())  # fmt: skip
        assert rows.count() == 5
        names = [r.distributor.name for r in rows[1:4]]
        assert names == ["Sakura Trading", "Pending 0", "Pending 1"]
        assert [r.distributor.name for r in rows[4:10]] == ["Pending 2"]
        assert [r.distributor.name for r in rows][:2] == ["Lotus Distribution", "Sakura Trading"]


def test_a_month_under_way_is_not_the_default_nor_a_reason_for_attention(
    client, world, time_machine
):
    """Two days into May, May's scorecards (mostly red: the month has barely begun) are offered
    but April, the last month that ended, is shown; its red KPIs need attention, May's not."""
    time_machine.move_to(dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC), tick=False)
    a = world.a
    k = kpis(a)
    may = dt.date(2026, 5, 1)
    scorecard(
        a,
        a.d1,
        APRIL,
        score="80.0",
        rag="green",
        red=1,
        actuals=[revenue(k["revenue"], "400000", attainment="40", level="below", rag="red")],
    )
    scorecard(a, a.d1, may, score="10.0", rag="red", red=1,
              actuals=[{"kpi": k["units"], "value": D(0), "base": D(10), "stretch": D(12),
                        "exceed": D(15), "attainment": D(0), "level": "below", "rag": "red"}])  # fmt: skip
    client.force_login(a.user(VENDOR_ADMIN))
    body = client.get(f"/{a.slug}/scorecards/").content.decode()
    assert "80.0" in body and "10.0" not in body
    assert "2026-05-01" in body  # May is still offered in the period choices
    body = client.get(f"/{a.slug}/scorecards/attention/?scope=all").content.decode()
    assert "Revenue red in April 2026" in body
    assert "May 2026" not in body


@pytest.mark.parametrize("role", [DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_distributor_people_never_reach_the_table_or_export(client, world, role):
    _table_world(world)
    a = world.a
    client.force_login(a.user(role))
    assert client.get(f"/{a.slug}/scorecards/").status_code == 403
    assert client.get(f"/{a.slug}/scorecards/export/").status_code == 403
    assert client.get(f"/{a.slug}/scorecards/portfolio/").status_code == 403
    assert client.get(f"/{a.slug}/scorecards/attention/").status_code == 403


def test_export_csv_and_xlsx(client, world):
    _table_world(world)
    a = world.a
    client.force_login(a.user(EXECUTIVE))
    response = client.get(f"/{a.slug}/scorecards/export/?sort=name")
    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Distributor", "Country", "Status"]
    assert [r[0] for r in rows[1:]] == ["Lotus Distribution", "Sakura Trading"]
    sakura = rows[2]
    assert sakura[5] == "80.0" and sakura[6] == "Green" and sakura[-1] == "40.0"
    xlsx = client.get(f"/{a.slug}/scorecards/export/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def _more_distributors(tenant, n):
    k = kpis(tenant)
    with in_scope(tenant):
        made = [
            DistributorFactory(
                vendor=tenant.vendor, name=f"Extra {i}", owner=tenant.member(CHANNEL_MANAGER)
            )  # fmt: skip
            for i in range(n)
        ]
    for d in made:
        scorecard(tenant, d, MARCH, score="50.0")
        scorecard(tenant, d, APRIL, score="30.0", rag="red",
                  actuals=[revenue(k["revenue"], "100")])  # fmt: skip
    with in_scope(tenant):
        for i in range(n):  # scored, but without a scorecard: listed last in the table
            DistributorFactory(vendor=tenant.vendor, name=f"Pending {i}", status="active")
    return made


@pytest.mark.parametrize(
    "url",
    ["/{slug}/scorecards/", "/{slug}/scorecards/portfolio/", "/{slug}/scorecards/attention/",
     "/{slug}/", "/{slug}/scorecards/export/"],
)  # fmt: skip
def test_query_counts_do_not_grow_with_distributors(client, world, url):
    a = world.a
    _table_world(world)
    with in_scope(a):  # one row of each kind in the table from the start
        DistributorFactory(vendor=a.vendor, name="Pending", status="active")
    url = url.format(slug=a.slug)
    client.force_login(a.user(CHANNEL_MANAGER))
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_distributors(a, 4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


# --- one distributor's scorecard --------------------------------------------------------------------


def _scorecard_world(world):
    a = world.a
    k = kpis(a)
    for start, value in ((FEBRUARY, "700000"), (MARCH, "900000"), (APRIL, "1000000")):
        scorecard(
            a, a.d1, start, score="62.5",
            actuals=[
                revenue(k["revenue"], value, ramp_percent=D("50")),
                revenue(k["on-time-delivery"], "97", base="95", stretch="98", exceed="99"),
            ],
        )  # fmt: skip
    scorecard(a, a.d2, APRIL, score="10.0", rag="red",
              actuals=[revenue(k["revenue"], "31337", base="99999")])  # fmt: skip
    return k


def test_distributor_scorecard_page_with_charts_ramp_and_gaps(client, world):
    a = world.a
    _scorecard_world(world)
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.get(f"/{a.slug}/scorecards/distributors/{a.d1.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Scorecard of Sakura Trading" in body and "April 2026" in body
    assert "¥1,000,000" in body and "ramped 50%" in body
    assert "¥1,200,000 more revenue to reach stretch" in body
    assert body.count('class="chart"') == 4  # a bullet and a trend per KPI
    assert 'data-period="February 2026"' in body
    assert "Commercial" in body and "Operational" in body


@pytest.mark.parametrize("role", [DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_distributor_people_see_only_their_own_scorecard(client, world, role):
    a = world.a
    _scorecard_world(world)
    client.force_login(a.user(role))
    assert client.get(f"/{a.slug}/scorecards/distributors/{a.d2.pk}/").status_code == 404
    assert client.get(f"/{a.slug}/scorecards/distributors/{world.b.d1.pk}/").status_code == 404
    assert client.get(f"/{a.slug}/scorecards/distributors/{a.d1.pk}/").status_code == 200
    mine = client.get(f"/{a.slug}/scorecards/mine/")
    assert mine.status_code == 200
    body = mine.content.decode()
    assert "My standing" in body and "¥1,000,000" in body
    assert "Lotus" not in body and "31,337" not in body and "99,999" not in body
    assert "rank" not in body.lower()
    home = client.get(f"/{a.slug}/").content.decode()
    assert 'data-testid="my-standing"' in home
    assert "¥1,200,000 more revenue to reach stretch" in home
    assert "31,337" not in home and "Needs attention" not in home


def test_staff_mine_goes_to_the_table(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.get(f"/{a.slug}/scorecards/mine/")
    assert response.status_code == 302 and response["Location"] == f"/{a.slug}/scorecards/"


def test_scorecard_page_in_japanese(client, world):
    a = world.a
    _scorecard_world(world)
    client.force_login(a.user(DISTRIBUTOR_USER))
    with translation.override("ja"):
        response = client.get(f"/{a.slug}/scorecards/mine/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_distributor_page_shows_the_scorecard_summary(client, world):
    a = world.a
    _scorecard_world(world)
    client.force_login(a.user(VENDOR_ADMIN))
    body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert 'data-testid="scorecard-summary"' in body
    assert f"/{a.slug}/scorecards/distributors/{a.d1.pk}/" in body


# --- portfolio and currencies ------------------------------------------------------------------------


def test_revenue_consolidated_with_monthly_rates(world):
    """JPY and SGD distributors, rates for March and April (SGD has none for April: March's
    stands in); a THB distributor without any rate is reported apart, never added."""
    a = world.a
    k = kpis(a)
    with in_scope(a):
        ScorecardPolicy.objects.filter(vendor=a.vendor).update(reporting_currency="USD")
        sg = DistributorFactory(vendor=a.vendor, name="Merlion Supply", country="SG",
                                currency="SGD", status="active")  # fmt: skip
        for currency, month, rate in (("JPY", MARCH, "0.0070"), ("JPY", APRIL, "0.0065"),
                                      ("SGD", MARCH, "0.75")):  # fmt: skip
            ExchangeRate.objects.create(vendor=a.vendor, currency=currency, period_start=month,
                                        rate=D(rate))  # fmt: skip
    scorecard(a, a.d1, MARCH, actuals=[revenue(k["revenue"], "1000000")])
    scorecard(a, a.d1, APRIL, actuals=[revenue(k["revenue"], "2000000")])
    scorecard(a, sg, MARCH, actuals=[revenue(k["revenue"], "10000")])
    scorecard(a, sg, APRIL, actuals=[revenue(k["revenue"], "20000")])
    scorecard(a, a.d2, APRIL, actuals=[revenue(k["revenue"], "50000")])  # THB: no rate
    # Another vendor's rates and revenue change nothing.
    with in_scope(world.b):
        ExchangeRate.objects.create(vendor=world.b.vendor, currency="THB", period_start=MARCH,
                                    rate=D("0.03"))  # fmt: skip
    scorecard(world.b, world.b.d1, APRIL, actuals=[revenue(kpis(world.b)["revenue"], "999")])
    with in_scope(a):
        actor = a.member(EXECUTIVE)
        april = fx.revenue_consolidated(vendor=a.vendor, actor=actor, period_kind="month",
                                             period_start=APRIL, currency="USD")  # fmt: skip
        quarter = fx.revenue_consolidated(vendor=a.vendor, actor=actor,
                                              period_kind="quarter", period_start=dt.date(2026, 1, 1),
                                              currency="USD")  # fmt: skip
        distributor_view = fx.revenue_consolidated(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), period_kind="month",
            period_start=APRIL, currency="USD",
        )  # fmt: skip
    # April: 2,000,000 JPY x 0.0065 + 20,000 SGD x 0.75 (March's rate) = 13,000 + 15,000.
    assert april.total == D("28000")
    assert april.by_distributor[a.d1.pk].converted == D("13000")
    assert april.by_distributor[sg.pk].converted == D("15000")
    assert april.unconverted == {"THB": D("50000")}
    assert april.by_distributor[a.d2.pk].converted is None
    # Q1 (January-March) holds only March: 1,000,000 x 0.007 + 10,000 x 0.75.
    assert quarter.total == D("14500")
    assert set(distributor_view.by_distributor) == {a.d1.pk}


def test_revenue_of_a_quarter_converts_month_by_month_with_the_latest_rate_so_far(world):
    """Q1 in JPY: January at January's rate, February at January's (none of its own), March
    at March's. SGD's first rate is March's: its January is not converted and is reported
    apart with the whole of its quarter. The reporting currency needs no rate."""
    a = world.a
    k = kpis(a)
    january = dt.date(2026, 1, 1)
    with in_scope(a):
        ScorecardPolicy.objects.filter(vendor=a.vendor).update(reporting_currency="USD")
        sg = DistributorFactory(vendor=a.vendor, name="Merlion Supply", country="SG",
                                currency="SGD", status="active")  # fmt: skip
        us = DistributorFactory(vendor=a.vendor, name="Hudson Robotics", country="US",
                                currency="USD", status="active")  # fmt: skip
        for currency, month, rate in (("JPY", january, "0.0068"), ("JPY", MARCH, "0.0070"),
                                      ("SGD", MARCH, "0.75")):  # fmt: skip
            ExchangeRate.objects.create(vendor=a.vendor, currency=currency, period_start=month,
                                        rate=D(rate))  # fmt: skip
    for month, value in ((january, "1000000"), (FEBRUARY, "2000000"), (MARCH, "3000000")):
        scorecard(a, a.d1, month, actuals=[revenue(k["revenue"], value)])
        scorecard(a, us, month, actuals=[revenue(k["revenue"], "100")])
    scorecard(a, sg, january, actuals=[revenue(k["revenue"], "10000")])
    scorecard(a, sg, MARCH, actuals=[revenue(k["revenue"], "20000")])
    with in_scope(a):
        quarter = fx.revenue_consolidated(vendor=a.vendor, actor=a.member(EXECUTIVE),
                                          period_kind="quarter", period_start=january,
                                          currency="USD")  # fmt: skip
    # 1,000,000 x 0.0068 + 2,000,000 x 0.0068 + 3,000,000 x 0.0070 = 6,800 + 13,600 + 21,000.
    assert quarter.by_distributor[a.d1.pk].converted == D("41400")
    assert quarter.by_distributor[us.pk].converted == D("300")
    assert quarter.by_distributor[sg.pk].converted is None
    assert quarter.by_distributor[sg.pk].amount == D("30000")
    assert quarter.unconverted == {"SGD": D("30000")}
    assert quarter.total == D("41700")


def test_portfolio_movers_are_the_largest_changes_ties_by_name(world):
    """Top and bottom five by score change since the previous month, ties by name; no
    mover without a score in both months; a partner's portfolio holds only its own card."""
    a = world.a
    changes = {"Alpha": 30, "Bravo": 10, "Charlie": 30, "Delta": 5, "Echo": 1, "Foxtrot": 2,
               "Golf": -4, "Hotel": -20, "India": 0}  # fmt: skip
    with in_scope(a):
        made = {name: DistributorFactory(vendor=a.vendor, name=name, status="active")
                for name in [*changes, "Juliet", "Kilo"]}  # fmt: skip
    for name, change in changes.items():
        scorecard(a, made[name], MARCH, score="50.0")
        scorecard(a, made[name], APRIL, score=f"{50 + change}.0")
    scorecard(a, made["Juliet"], APRIL, score="99.0")  # new this month: no change to show
    scorecard(a, made["Kilo"], MARCH, score="10.0")
    scorecard(a, made["Kilo"], APRIL, score=None, rag="none")  # not rated this month
    april = sel.Period("month", APRIL, "April")
    with in_scope(a):
        staff = sel.portfolio(vendor=a.vendor, actor=a.member(EXECUTIVE), period=april)
    top = [(c.distributor.name, c.previous_score, c.score, c.trend) for c in staff.top_movers]
    assert top == [
        ("Alpha", D("50.0"), D("80.0"), D("30.0")),
        ("Charlie", D("50.0"), D("80.0"), D("30.0")),
        ("Bravo", D("50.0"), D("60.0"), D("10.0")),
        ("Delta", D("50.0"), D("55.0"), D("5.0")),
        ("Foxtrot", D("50.0"), D("52.0"), D("2.0")),
    ]
    assert [(c.distributor.name, c.trend) for c in staff.bottom_movers] == [
        ("Hotel", D("-20.0")), ("Golf", D("-4.0")),
    ]  # fmt: skip
    assert all(c.period_start == APRIL for c in staff.top_movers + staff.bottom_movers)
    singapore = next(g for g in staff.by_country if g.key == "SG")
    # Eleven cards, Kilo's unrated and left out of the average: 603 / 10.
    assert (singapore.count, singapore.unrated, singapore.amber) == (11, 1, 10)
    assert singapore.average_score == D("60.3")
    assert staff.rag_counts == {"none": 1, "red": 0, "amber": 10, "green": 0}
    scorecard(a, a.d1, MARCH, score="20.0")
    scorecard(a, a.d1, APRIL, score="70.0")
    with in_scope(a):
        partner = sel.portfolio(vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), period=april)
    assert [c.distributor_id for c in partner.top_movers] == [a.d1.pk]
    assert partner.bottom_movers == [] and sum(partner.rag_counts.values()) == 1


def test_portfolio_page_groups_and_movers(client, world):
    a = world.a
    k = kpis(a)
    with in_scope(a):
        ScorecardPolicy.objects.filter(vendor=a.vendor).update(reporting_currency="JPY")
        Distributor.objects.filter(pk=a.d1.pk).update(status="active")
    scorecard(a, a.d1, MARCH, score="40.0")
    scorecard(a, a.d1, APRIL, score="80.0", rag="green", actuals=[revenue(k["revenue"], "500000")])
    scorecard(a, a.d2, MARCH, score="70.0")
    scorecard(a, a.d2, APRIL, score="50.0", actuals=[revenue(k["revenue"], "1000")])
    client.force_login(a.user(EXECUTIVE))
    response = client.get(f"/{a.slug}/scorecards/portfolio/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "¥500,000" in body  # JPY is the reporting currency: converted at 1
    assert "THB 1,000.00" in body  # no THB rate: shown apart
    assert "Japan" in body and "Thailand" in body and "No contract" in body
    top = body.index("Top movers")
    bottom = body.index("Bottom movers")
    assert top < body.index("Sakura Trading", top) < bottom
    assert body.index("Lotus Distribution", bottom) > bottom
    with in_scope(a):
        portfolio = sel.portfolio(vendor=a.vendor, actor=a.member(EXECUTIVE),
                                  period=sel.Period("month", APRIL, "April"))  # fmt: skip
    assert portfolio.rag_counts == {"none": 0, "red": 0, "amber": 1, "green": 1}
    japan = next(g for g in portfolio.by_country if g.key == "JP")
    assert japan.revenue == D("500000") and japan.green == 1
    thailand = next(g for g in portfolio.by_country if g.key == "TH")
    assert thailand.revenue == 0 and thailand.unconverted == {"THB": D("1000")}


def test_portfolio_groups_by_contract_phase_on_the_periods_last_day(client, world):
    """April 2026 ends on the 30th: a contract whose launch ends that day is in launch, one
    past launch is in conditional exclusivity, one whose scale phase began is in scale; a
    draft contract, a terminated one, one that starts in May or another vendor's contract is
    no contract in force."""
    from tests.factories_contracts import ContractFactory

    a, b = world.a, world.b
    with in_scope(a):
        extra = {
            name: DistributorFactory(vendor=a.vendor, name=name, status="active")
            for name in ("Scale Co", "Draft Co", "Terminated Co", "May Co", "Bare Co")
        }
        ContractFactory(vendor=a.vendor, distributor=a.d1, starts_on=dt.date(2026, 2, 1),
                        launch_ends_on=dt.date(2026, 4, 30))  # fmt: skip
        # An older contract of the same distributor, ended: the one in force decides.
        ContractFactory(vendor=a.vendor, distributor=a.d1, starts_on=dt.date(2024, 1, 1),
                        ends_on=dt.date(2026, 1, 31))  # fmt: skip
        ContractFactory(vendor=a.vendor, distributor=a.d2, starts_on=dt.date(2025, 6, 1),
                        launch_ends_on=dt.date(2025, 8, 29), scale_starts_on=dt.date(2026, 5, 1))  # fmt: skip
        ContractFactory(vendor=a.vendor, distributor=extra["Scale Co"],
                        starts_on=dt.date(2024, 1, 1), scale_starts_on=dt.date(2026, 4, 30))  # fmt: skip
        ContractFactory(vendor=a.vendor, distributor=extra["Draft Co"], status="draft")
        ContractFactory(vendor=a.vendor, distributor=extra["Terminated Co"], status="terminated")
        ContractFactory(vendor=a.vendor, distributor=extra["May Co"], starts_on=dt.date(2026, 5, 1))
    with in_scope(b):
        ContractFactory(vendor=b.vendor, distributor=b.d1, reference="B-1")
    scorecard(a, a.d1, APRIL, score="80.0", rag="green")
    scorecard(a, a.d2, APRIL, score="50.0", rag="amber")
    for i, d in enumerate(extra.values()):
        scorecard(a, d, APRIL, score=f"{20 + i}.0", rag="red")
    with in_scope(a):
        portfolio = sel.portfolio(vendor=a.vendor, actor=a.member(EXECUTIVE),
                                  period=sel.Period("month", APRIL, "April"))  # fmt: skip
    phases = {g.key: (g.label, g.count, g.green, g.amber, g.red) for g in portfolio.by_phase}
    assert phases == {
        "launch": ("Launch", 1, 1, 0, 0),
        "conditional": ("Conditional exclusivity", 1, 0, 1, 0),
        "scale": ("Scale", 1, 0, 0, 1),
        "none": ("No contract", 4, 0, 0, 4),
    }
    assert [g.key for g in portfolio.by_phase] == ["launch", "conditional", "scale", "none"]
    assert {g.key for g in portfolio.by_country} == {"JP", "TH", "SG"}
    client.force_login(a.user(EXECUTIVE))
    body = client.get(f"/{a.slug}/scorecards/portfolio/?period=2026-04-01").content.decode()
    phase_section = body[body.index("By phase") : body.index("Top movers")]
    for label in ("Launch", "Conditional exclusivity", "Scale", "No contract"):
        assert label in phase_section


def test_count_and_point_gaps_agree_in_number():
    """One more / n more, one percentage point / n percentage points, one fewer / n fewer: the
    KPI's name (a label, not a noun to inflect) leads a count gap."""

    def gap(value, unit, name, lower=False, base="5", stretch="8", exceed="10"):
        actual = KpiActual(value=D(value), base=D(base), stretch=D(stretch), exceed=D(exceed))
        return sel.gap_words(actual, name, unit=unit, lower_is_better=lower)

    assert gap("4", "count", "New accounts") == "New accounts: one more to reach base"
    assert gap("2", "count", "New accounts") == "New accounts: 3 more to reach base"
    assert gap("6", "count", "Open escalations", lower=True, base="5", stretch="3", exceed="1") == (
        "Open escalations: one fewer to reach base"
    )
    assert gap("9", "count", "Open escalations", lower=True, base="5", stretch="3", exceed="1") == (
        "Open escalations: 4 fewer to reach base"
    )
    on_time = {"base": "90", "stretch": "95", "exceed": "100"}
    assert gap("89", "percent", "Weekly updates on time", **on_time) == (
        "1 percentage point more weekly updates on time to reach base"
    )
    assert gap("88.5", "percent", "Weekly updates on time", **on_time) == (
        "1.5 percentage points more weekly updates on time to reach base"
    )


def test_growth_kpis_are_measured_in_points_not_percent_of_base(client, world):
    """Revenue growth of -7.6% against a base of 5% reads "-12.6 pts vs base 5%" on the
    scorecard and in needs attention, never "-152% of base"; revenue keeps "% of base"."""
    a = world.a
    k = kpis(a)
    scorecard(
        a,
        a.d1,
        actuals=[
            revenue(k["revenue-growth"], "-7.6", base="5", stretch="8", exceed="10"),
            revenue(k["revenue"], "500000"),
        ],
    )
    with in_scope(a):
        period = sel.Period("month", APRIL, "April 2026")
        page = sel.scorecard_page(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, period=period
        )
        items = sel.needs_attention(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), today=dt.date(2026, 5, 10)
        )
    lines = {line.actual.kpi.code: line for block in page.families for line in block.lines}
    assert lines["revenue-growth"].points_label == "-12.6 pts vs base 5%"
    reds = {i.why for i in items if i.kind == "red_kpi"}
    assert reds == {
        "Revenue growth red in April 2026 (-12.6 pts vs base 5%)",
        "Revenue red in April 2026 (50% of base)",
    }
    client.force_login(a.user(VENDOR_ADMIN))
    body = client.get(
        f"/{a.slug}/scorecards/distributors/{a.d1.pk}/?period_kind=month&period=2026-04-01"
    ).content.decode()
    assert "-12.6 pts vs base 5%" in body and "-152" not in body


# --- needs attention ---------------------------------------------------------------------------------


def test_needs_attention_lists_each_reason_mine_first(client, world):
    from partners.models import LaunchChecklist, LaunchChecklistItem
    from reporting.models import ReportStatus
    from tests.factories_contracts import ContractFactory
    from tests.factories_reporting import ReportFactory

    a = world.a
    k = kpis(a)
    cm = a.member(CHANNEL_MANAGER)
    today = timezone.localdate()
    with in_scope(a):
        Distributor.objects.filter(pk=a.d2.pk).update(owner=cm)
        now = timezone.now()
        ReportFactory(
            distributor=a.d1,
            period_start=today - dt.timedelta(days=14),
            due_at=now - dt.timedelta(days=5),
            missed_at=now - dt.timedelta(days=3),
        )
        ReportFactory(
            distributor=a.d2,
            period_start=today - dt.timedelta(days=7),
            due_at=now - dt.timedelta(days=1),
        )
        ReportFactory(
            distributor=a.d1,
            period_start=today - dt.timedelta(days=21),
            due_at=now - dt.timedelta(days=12),
            status=ReportStatus.RETURNED,
            submitted_at=now - dt.timedelta(days=13),
            reviewed_at=now - dt.timedelta(days=2),
        )
        ContractFactory(
            vendor=a.vendor,
            distributor=a.d1,
            starts_on=today - dt.timedelta(days=300),
            ends_on=today + dt.timedelta(days=100),
            notice_days=90,
            launch_ends_on=today - dt.timedelta(days=200),
            reference="C-NOTICE",
        )
        checklist = LaunchChecklist.objects.create(
            vendor=a.vendor, distributor=a.d2, start_date=today - dt.timedelta(days=20)
        )
        LaunchChecklistItem.objects.create(
            vendor=a.vendor,
            checklist=checklist,
            week=1,
            title="Sign the price list",
            side="vendor",
            due_on=today - dt.timedelta(days=3),
        )
    scorecard(a, a.d1, APRIL, actuals=[revenue(k["revenue"], "100000")])  # red revenue
    with in_scope(a):
        items = sel.needs_attention(vendor=a.vendor, actor=cm)
        mine = sel.needs_attention(vendor=a.vendor, actor=cm, scope="mine")
        admin = sel.needs_attention(vendor=a.vendor, actor=a.member(VENDOR_ADMIN))
    kinds = [(i.kind, i.distributor_name) for i in items]
    assert set(kinds) == {
        ("missed", "Sakura Trading"), ("late", "Lotus Distribution"),
        ("returned", "Sakura Trading"), ("notice", "Sakura Trading"),
        ("launch_overdue", "Lotus Distribution"), ("red_kpi", "Sakura Trading"),
    }  # fmt: skip
    # The channel manager's own (Lotus) first, then the others by urgency.
    # (both "overdue" severity: the one due longest ago first)
    assert [i.kind for i in items[:2]] == ["launch_overdue", "late"]
    assert items[2].kind in ("missed", "notice")
    assert {i.distributor_name for i in mine} == {"Lotus Distribution"}
    assert not any(i.mine for i in admin) and len(admin) == 6
    red = next(i for i in items if i.kind == "red_kpi")
    assert red.why == "Revenue red in April 2026 (10% of base)"
    assert "Contract C-NOTICE: notice deadline" in next(i.why for i in items if i.kind == "notice")
    client.force_login(a.user(CHANNEL_MANAGER))
    home = client.get(f"/{a.slug}/").content.decode()
    assert 'data-testid="needs-attention"' in home and "Sign the price list" in home
    page = client.get(f"/{a.slug}/scorecards/attention/?scope=mine").content.decode()
    assert "Sign the price list" in page and "C-NOTICE" not in page
    with in_scope(a):
        assert sel.staff_attention_panel(vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER)) is None


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_and_details_within_reach(client, world):
    a = world.a
    _scorecard_world(world)
    client.force_login(a.user(VENDOR_ADMIN))
    data = client.get(f"/api/v1/{a.slug}/scorecards/?period_start=2026-04-01").json()
    assert {row["distributor_name"] for row in data["results"]} == {
        "Sakura Trading", "Lotus Distribution"}  # fmt: skip
    client.force_login(a.user(DISTRIBUTOR_USER))
    data = client.get(f"/api/v1/{a.slug}/scorecards/").json()
    assert data["count"] == 3 and {r["distributor"] for r in data["results"]} == {a.d1.pk}
    own = data["results"][0]["id"]
    detail = client.get(f"/api/v1/{a.slug}/scorecards/{own}/").json()
    assert [x["kpi_code"] for x in detail["actuals"]] == ["revenue", "on-time-delivery"]
    assert detail["actuals"][0]["ramp_percent"] == "50.00"
    with in_scope(a):
        other = Scorecard.objects.get(distributor=a.d2).pk
    assert client.get(f"/api/v1/{a.slug}/scorecards/{other}/").status_code == 404


def test_exclusivity_standing_and_suggested_plans_lead_needs_attention(client, world):
    """A revoke still to take effect, a warning of the quarter just judged and a suggested
    corrective plan lead the list (revoke, then warning, then suggested plan, then a missed
    report), a channel manager's own distributor first, on the home panel and the full list;
    an older quarter's warning is no longer news."""
    import time_machine

    from scorecards.models import CorrectivePlan, ExclusivityVerdict
    from tests.factories_contracts import (
        ContractFactory,
        ProductLineFactory,
        ScopeLineFactory,
        TerritoryFactory,
    )
    from tests.factories_reporting import ReportFactory

    a = world.a
    cm = a.member(CHANNEL_MANAGER)
    q2, q3 = dt.date(2026, 4, 1), dt.date(2026, 7, 1)
    with time_machine.travel(dt.datetime(2026, 10, 15, 3, tzinfo=dt.UTC), tick=False):
        now = timezone.now()
        with in_scope(a):
            Distributor.objects.filter(pk=a.d1.pk).update(owner=cm)
            kanto = TerritoryFactory(vendor=a.vendor, name="Kanto", name_ja="関東", country="JP")
            kansai = TerritoryFactory(vendor=a.vendor, name="Kansai", country="JP")
            robots = ProductLineFactory(vendor=a.vendor, name="Robots", name_ja="ロボット")
            lines = {}
            for d, territory in ((a.d1, kanto), (a.d2, kansai)):
                contract = ContractFactory(
                    vendor=a.vendor, distributor=d, starts_on=dt.date(2026, 1, 1),
                    launch_ends_on=dt.date(2026, 3, 31), ends_on=dt.date(2028, 12, 31),
                )  # fmt: skip
                lines[d.pk] = ScopeLineFactory(
                    vendor=a.vendor, contract=contract, territory=territory, product_line=robots,
                    exclusive_from=dt.date(2026, 4, 1),
                )  # fmt: skip

            def verdict(d, quarter, outcome, effective_on):
                line = lines[d.pk]
                return ExclusivityVerdict.objects.create(
                    vendor=a.vendor, scope_line=line, contract=line.contract, distributor=d,
                    quarter_start=quarter, quarter_end=periods.period_shift("quarter", quarter, 1)
                    - dt.timedelta(days=1), outcome=outcome, conditions_met=False,
                    effective_on=effective_on, computed_at=now,
                )  # fmt: skip

            verdict(a.d1, q2, "warn", dt.date(2026, 7, 1))  # last quarter's: old news
            warned = verdict(a.d1, q3, "warn", dt.date(2026, 10, 1))
            revoke = verdict(a.d2, q3, "revoke", dt.date(2026, 11, 29))
            plan = CorrectivePlan.objects.create(
                vendor=a.vendor, distributor=a.d1, trigger="warn_verdict", verdict=warned
            )
            ReportFactory(
                distributor=a.d2,
                period_start=dt.date(2026, 10, 1),
                due_at=now - dt.timedelta(days=5),
                missed_at=now - dt.timedelta(days=3),
            )
            items = sel.needs_attention(vendor=a.vendor, actor=cm)
            admin = sel.needs_attention(vendor=a.vendor, actor=a.member(VENDOR_ADMIN))
        assert [(i.kind, i.distributor_name, i.mine) for i in items] == [
            ("warn", "Sakura Trading", True),
            ("plan_suggested", "Sakura Trading", True),
            ("revoke", "Lotus Distribution", False),
            ("missed", "Lotus Distribution", False),
        ]
        assert [i.kind for i in admin] == ["revoke", "warn", "plan_suggested", "missed"]
        warn, suggested, revoking = items[:3]
        assert warn.why == "Exclusivity warning for Kanto × Robots in FY2026 Q3"
        assert warn.url == f"/{a.slug}/scorecards/exclusivity/verdicts/{warned.pk}/"
        assert suggested.url == f"/{a.slug}/plans/{plan.pk}/"
        assert suggested.why.startswith("Corrective plan suggested (Exclusivity warning)")
        assert revoking.url == f"/{a.slug}/scorecards/exclusivity/verdicts/{revoke.pk}/"
        # The last exclusive day, as the contract and the verdict name it: the day before.
        assert revoking.why == (
            "Kansai × Robots stays exclusive until Nov. 28, 2026 unless the revoke is held or "
            "overridden"
        )
        assert [i.tone for i in admin] == ["bad", "bad", "bad", "bad"]
        client.force_login(a.user(CHANNEL_MANAGER))
        home = client.get(f"/{a.slug}/").content.decode()
        panel = home[home.index('data-testid="needs-attention"') :]
        assert panel.index("Exclusivity warning for Kanto") < panel.index("Corrective plan sugg")
        assert panel.index("Corrective plan sugg") < panel.index("Kansai × Robots stays exclusive")
        full = client.get(f"/{a.slug}/scorecards/attention/?scope=mine").content.decode()
        assert "Exclusivity warning for Kanto" in full and "Corrective plan suggested" in full
        assert "Kansai × Robots stays exclusive" not in full  # Lotus is not hers
        with translation.override("ja"), in_scope(a):
            ja = sel.needs_attention(vendor=a.vendor, actor=cm)
        assert "関東 × ロボット" in ja[0].why

"""The scorecard engine: metrics and rules computed in SQL for every distributor at once, the
recompute worker, its triggers and the nightly sweep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from partners import periods
from partners.models import Distributor, Vendor
from partners.platform.scope import tenant_scope
from reporting.models import (
    MonthlySummary,
    Outlet,
    Report,
    ReportVersion,
    SalesLine,
    WeeklyUpdate,
)
from scorecards import rules
from scorecards.metrics import metrics_compute
from scorecards.models import (
    Kpi,
    KpiActual,
    KpiEntry,
    Scorecard,
    ScorecardAssignment,
    ScorecardPolicy,
    ScorecardRecompute,
    ScorecardTemplate,
    Target,
    TemplateKpi,
)
from scorecards.selectors.templates import distributor_template_ids
from scorecards.services import recompute
from scorecards.services.catalogue import kpi_catalogue_seed
from scorecards.services.compute import scorecards_compute
from scorecards.services.recompute import scorecards_recompute_request
from scorecards.signals_in import months_for_report, months_for_sales
from scorecards.tasks import scorecards_nightly_task, scorecards_recompute_task
from tests.conftest import DISTRIBUTOR_ADMIN
from tests.factories import DistributorFactory

D = Decimal
JAN = dt.date(2026, 1, 1)
FEB = dt.date(2026, 2, 1)
NOW = dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC)


def scored(tenant, *distributors):
    """Make distributors active (prospects get no scorecard)."""
    with tenant_scope(tenant.vendor.id):
        Distributor.objects.filter(pk__in=[d.pk for d in distributors]).update(status="active")


def entered_kpi(vendor, code, *, direction="higher", aggregation="sum", family="operational"):
    return Kpi.objects.create(
        vendor=vendor,
        code=code,
        name=code,
        family=family,
        source="entered",
        unit="count",
        direction=direction,
        aggregation=aggregation,
    )


def target(vendor, distributor, kpi, base, stretch, exceed, *, kind="month", start=JAN, ramp=100):
    return Target.objects.create(
        vendor=vendor,
        distributor=distributor,
        kpi=kpi,
        period_kind=kind,
        period_start=start,
        full_base=base,
        full_stretch=stretch,
        full_exceed=exceed,
        ramp_percent=ramp,
        base=base,
        stretch=stretch,
        exceed=exceed,
    )


def entry(vendor, distributor, kpi, value, *, kind="month", start=JAN):
    return KpiEntry.objects.create(
        vendor=vendor,
        distributor=distributor,
        kpi=kpi,
        period_kind=kind,
        period_start=start,
        value=value,
    )


def template_of(vendor, kpis, *, name="Test", default=True, countries=()):
    template = ScorecardTemplate.objects.create(
        vendor=vendor, name=name, is_default=default, countries=list(countries)
    )
    for n, kpi in enumerate(kpis):
        TemplateKpi.objects.create(
            vendor=vendor, template=template, kpi=kpi, weight=kpi.weight, position=n
        )
    return template


# (direction, value, base, stretch, exceed) - None for "no target" / "no value"
BOUNDARY_CASES = {
    "exactly-base": ("higher", "100", "100", "120", "150"),
    "exactly-stretch": ("higher", "120", "100", "120", "150"),
    "between-stretch-and-exceed": ("higher", "130", "100", "120", "150"),
    "exactly-exceed": ("higher", "150", "100", "120", "150"),
    "far-past-exceed-capped": ("higher", "5000", "100", "120", "150"),
    "just-below-base-amber": ("higher", "99.99", "100", "120", "150"),
    "exactly-amber-threshold": ("higher", "85", "100", "120", "150"),
    "just-below-amber-red": ("higher", "84.99", "100", "120", "150"),
    "thirds-rounding": ("higher", "2", "3", "4", "5"),
    "negative-value": ("higher", "-20", "100", "120", "150"),
    "zero-base-zero-value": ("higher", "0", "0", "0", "0"),
    "zero-base-negative-value": ("higher", "-1", "0", "1", "2"),
    "zero-base-positive": ("higher", "3", "0", "2", "5"),
    "lower-exactly-base": ("lower", "10", "10", "8", "5"),
    "lower-between-stretch-and-exceed": ("lower", "6", "10", "8", "5"),
    "lower-past-exceed": ("lower", "2", "10", "8", "5"),
    "lower-above-base-amber": ("lower", "11", "10", "8", "5"),
    "lower-above-base-red": ("lower", "20", "10", "8", "5"),
    "lower-zero-value": ("lower", "0", "10", "8", "5"),
    "lower-zero-base-zero-value": ("lower", "0", "0", "0", "0"),
    "lower-zero-base-positive": ("lower", "4", "0", "0", "0"),
    "no-target": ("higher", "50", None, None, None),
    "no-value": ("higher", None, "100", "120", "150"),
}


def test_sql_rules_match_python_rules_on_boundaries(world):
    a = world.a
    vendor, d1 = a.vendor, a.d1
    scored(a, d1)
    with tenant_scope(vendor.id):
        ScorecardPolicy.objects.create(vendor=vendor)
        kpis = {}
        for n, (name, (direction, value, base, stretch, exceed)) in enumerate(
            BOUNDARY_CASES.items()
        ):
            kpi = entered_kpi(vendor, name, direction=direction)
            Kpi.objects.filter(pk=kpi.pk).update(weight=D(n % 3 + 1))
            kpi.refresh_from_db()
            kpis[name] = kpi
            if base is not None:
                target(vendor, d1, kpi, base, stretch, exceed)
            if value is not None:
                entry(vendor, d1, kpi, value)
        template_of(vendor, kpis.values())
    assert scorecards_compute(vendor_id=vendor.id, period_kind="month", period_start=JAN) == 1
    with tenant_scope(vendor.id):
        actuals = {a.kpi_id: a for a in KpiActual.objects.filter(distributor=d1)}
        card = Scorecard.objects.get(distributor=d1, period_kind="month", period_start=JAN)
    assert len(actuals) == len(BOUNDARY_CASES)
    seen_levels = set()
    for name, kpi in kpis.items():
        row = actuals[kpi.pk]
        lower = kpi.direction == "lower"
        expected_attainment = rules.attainment(row.value, row.base, lower_is_better=lower)
        expected_level = rules.level(
            row.value, row.base, row.stretch, row.exceed, lower_is_better=lower
        )
        expected_rag = rules.rag(expected_level, expected_attainment, amber_from=85)
        assert (row.attainment, row.level, row.rag) == (
            expected_attainment,
            expected_level,
            expected_rag,
        ), name
        seen_levels.add(row.level)
    assert seen_levels == {"none", "below", "base", "stretch", "exceed"}
    assert actuals[kpis["exactly-base"].pk].level == "base"
    assert actuals[kpis["between-stretch-and-exceed"].pk].level == "stretch"
    assert actuals[kpis["far-past-exceed-capped"].pk].attainment == D("1000.00")
    assert actuals[kpis["exactly-amber-threshold"].pk].rag == "amber"
    assert actuals[kpis["lower-between-stretch-and-exceed"].pk].level == "stretch"
    assert actuals[kpis["lower-above-base-amber"].pk].attainment == D("90.91")
    rated = [(r.rag, r.weight) for r in actuals.values()]
    assert card.score == rules.score(rated)
    assert card.rag == rules.score_rag(card.score)
    assert card.operational_rag == card.rag  # every KPI here is operational
    assert card.commercial_rag == card.execution_rag == "none"
    assert card.red_count == sum(1 for r in actuals.values() if r.rag == "red")


# --- metrics from reports and sales -----------------------------------------------------------


def sale(vendor, distributor, day, amount, quantity=1, *, outlet=None, number=None):
    sale.n = getattr(sale, "n", 0) + 1
    return SalesLine.objects.create(
        vendor=vendor,
        distributor=distributor,
        invoice_number=number or f"INV-{sale.n}",
        line_number=1,
        invoice_date=day,
        outlet=outlet,
        quantity=D(quantity),
        amount=D(amount),
        currency=distributor.currency,
    )


def report(vendor, distributor, kind, start, *, status="submitted", late=False, content=None):
    """A report due the day after its period at noon UTC, handed in 3 hours before (or a day
    after, ``late``) unless pending or draft."""
    end = periods.period_end("month", start)
    if kind == "weekly":
        end = start + dt.timedelta(days=6)
    due = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    handed_in = status not in ("pending", "draft")
    submitted = due + dt.timedelta(days=1) if late else due - dt.timedelta(hours=3)
    r = Report.objects.create(
        vendor=vendor,
        distributor=distributor,
        kind=kind,
        period_start=start,
        period_end=end,
        due_at=due,
        status=status,
        submitted_at=submitted if handed_in else None,
    )
    content = content or {}
    if kind == "weekly":
        WeeklyUpdate.objects.create(
            vendor=vendor,
            report=r,
            new_leads=content.get("new_leads", 4),
            meetings_held=content.get("meetings_held", 3),
        )
    else:
        MonthlySummary.objects.create(
            vendor=vendor,
            report=r,
            currency=distributor.currency,
            leads=content.get("leads", 40),
            quotes=content.get("quotes", 10),
            orders=content.get("orders", 5),
            forecast_revenue=content.get("forecast_revenue", D("3000")),
        )
    return r


def fill_month(vendor, distributor, month=JAN, scale=1):
    """A month of data: sales this month and the same month last year, two new outlets, four
    weekly updates (on time, late, draft, not started), this month's summary and last month's
    (handed in this month)."""
    shop = Outlet.objects.create(
        vendor=vendor, distributor=distributor, code=f"S{distributor.pk}", name="Shop",
        first_billed_on=month + dt.timedelta(days=3),
    )  # fmt: skip
    Outlet.objects.create(
        vendor=vendor, distributor=distributor, code=f"T{distributor.pk}", name="Other",
        first_billed_on=month + dt.timedelta(days=20),
    )  # fmt: skip
    Outlet.objects.create(
        vendor=vendor, distributor=distributor, code=f"U{distributor.pk}", name="Old",
        first_billed_on=periods.add_months(month, -3),
    )  # fmt: skip
    sale(vendor, distributor, month, 1000 * scale, 10, outlet=shop)
    sale(vendor, distributor, month + dt.timedelta(days=30), 500 * scale, 5)
    sale(vendor, distributor, periods.add_months(month, 1), 9999)  # next month: not counted
    sale(vendor, distributor, periods.add_months(month, -12), 1200 * scale, 12)
    monday = month + dt.timedelta(days=(7 - month.weekday()) % 7)
    report(vendor, distributor, "weekly", monday, content={"new_leads": 5, "meetings_held": 2})
    report(vendor, distributor, "weekly", monday + dt.timedelta(days=7), late=True,
           content={"new_leads": 1, "meetings_held": 1})  # fmt: skip
    report(vendor, distributor, "weekly", monday + dt.timedelta(days=14), status="draft",
           content={"new_leads": 50, "meetings_held": 50})  # fmt: skip
    report(vendor, distributor, "weekly", monday + dt.timedelta(days=21), status="pending")
    report(vendor, distributor, "monthly", month)
    report(vendor, distributor, "monthly", periods.add_months(month, -1), status="acknowledged",
           content={"forecast_revenue": D("777")})  # fmt: skip


def test_metrics_of_every_source_from_reports_and_sales(world):
    a = world.a
    vendor, d1, d2 = a.vendor, a.d1, a.d2
    scored(a, d1, d2)
    with tenant_scope(vendor.id):
        kpi_catalogue_seed(vendor=vendor)
        fill_month(vendor, d1)
        revenue = Kpi.objects.get(code="revenue")
        target(vendor, d1, revenue, 2000, 2500, 3000, start=FEB)
        metrics = metrics_compute(
            vendor_id=vendor.id, period_kind="month", period_start=JAN, as_of=NOW
        )
    m = {source: metrics[(d1.pk, source)] for (d, source) in metrics if d == d1.pk}
    assert m["revenue"] == D("1500.0000")
    assert m["units"] == D("15.0000")
    assert m["revenue_growth"] == D("25.0000")  # 1500 on 1200
    assert m["new_accounts"] == 2
    assert m["lead_to_quote"] == D("25.0000")
    assert m["quote_to_order"] == D("50.0000")
    assert m["lead_to_order"] == D("12.5000")
    assert m["pipeline_value"] == D("3000.0000")  # January's summary, not December's
    assert m["pipeline_coverage"] == D("1.5000")  # on February's base revenue target
    assert m["new_leads"] == 6 and m["meetings"] == 3  # drafts and pending do not count
    assert m["weekly_on_time"] == D("25.0000")  # one on time of four due
    assert m["monthly_review"] == D("100.0000")  # December's summary, due in January
    # A distributor without any data: sums are nothing, rates have no denominator.
    n = {source: metrics[(d2.pk, source)] for (d, source) in metrics if d == d2.pk}
    assert n["revenue"] == 0 and n["new_leads"] == 0 and n["new_accounts"] == 0
    assert n["revenue_growth"] is None and n["lead_to_quote"] is None
    assert n["weekly_on_time"] is None and n["pipeline_coverage"] is None


def test_a_returned_report_counts_with_its_last_submitted_version(world):
    # Returned for correction, the distributor is editing the content in place: until it is
    # handed in again, the figures it last submitted count, not the draft in progress.
    a = world.a
    vendor, d1 = a.vendor, a.d1
    scored(a, d1)
    with tenant_scope(vendor.id):
        kpi_catalogue_seed(vendor=vendor)
        monday = JAN + dt.timedelta(days=(7 - JAN.weekday()) % 7)
        weekly = report(vendor, d1, "weekly", monday, status="returned",
                        content={"new_leads": 90, "meetings_held": 90})  # fmt: skip
        monthly = report(vendor, d1, "monthly", JAN, status="returned",
                         content={"leads": 1, "quotes": 1, "orders": 1,
                                  "forecast_revenue": D("1")})  # fmt: skip
        for number, r, data in (
            (1, weekly, {"new_leads": 2, "meetings_held": 1}),
            (2, weekly, {"new_leads": 7, "meetings_held": 3}),
            (1, monthly, {"leads": 40, "quotes": 10, "orders": 5, "forecast_revenue": "3000.00"}),
        ):
            ReportVersion.objects.create(
                vendor=vendor, report=r, number=number, data=data, submitted_at=r.submitted_at
            )

        def metrics():
            found = metrics_compute(
                vendor_id=vendor.id, period_kind="month", period_start=JAN, as_of=NOW
            )
            return {source: v for (d, source), v in found.items() if d == d1.pk}

        m = metrics()
        assert m["new_leads"] == 7 and m["meetings"] == 3  # version 2, not the draft's 90
        assert m["lead_to_quote"] == D("25.0000") and m["pipeline_value"] == D("3000.0000")
        # Handed in again: the corrected content counts.
        Report.objects.filter(pk__in=[weekly.pk, monthly.pk]).update(status="resubmitted")
        m = metrics()
        assert m["new_leads"] == 90 and m["lead_to_quote"] == D("100.0000")


def test_entered_quarter_from_months_per_aggregation(world):
    a = world.a
    vendor, d1 = a.vendor, a.d1
    scored(a, d1)
    with tenant_scope(vendor.id):
        ScorecardPolicy.objects.create(vendor=vendor)
        summed = entered_kpi(vendor, "events")
        averaged = entered_kpi(vendor, "delivery", aggregation="average")
        last = entered_kpi(vendor, "plan", aggregation="last")
        own = entered_kpi(vendor, "own")
        template_of(vendor, [summed, averaged, last, own])
        for n, month in enumerate((JAN, FEB, dt.date(2026, 3, 1))):
            for kpi in (summed, averaged, last, own):
                entry(vendor, d1, kpi, 10 + n, start=month)
        entry(vendor, d1, own, 99, kind="quarter", start=JAN)
        metrics = metrics_compute(vendor_id=vendor.id, period_kind="quarter", period_start=JAN)
    assert metrics[(d1.pk, summed.pk)] == 33
    assert metrics[(d1.pk, averaged.pk)] == 11
    assert metrics[(d1.pk, last.pk)] == 12
    assert metrics[(d1.pk, own.pk)] == 99  # the quarter's own entry wins


# --- the computation -------------------------------------------------------------------------


def seeded_vendor_with(tenant, count):
    """The starting catalogue and ``count`` active distributors with a month of data each."""
    vendor = tenant.vendor
    with tenant_scope(vendor.id):
        kpi_catalogue_seed(vendor=vendor)
        revenue = Kpi.objects.get(code="revenue")
        distributors = [
            DistributorFactory(vendor=vendor, status="active", country="JP", currency="JPY",
                               time_zone="Asia/Tokyo")
            for _ in range(count)
        ]  # fmt: skip
        for n, distributor in enumerate(distributors):
            fill_month(vendor, distributor, scale=n + 1)
            target(vendor, distributor, revenue, 1500, 2500, 4000)
    return distributors


def count_compute_queries(vendor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        computed = scorecards_compute(vendor_id=vendor.id, period_kind="month", period_start=JAN)
    return computed, len(ctx.captured_queries)


def test_query_count_does_not_grow_with_distributors(world, django_assert_max_num_queries):
    few = seeded_vendor_with(world.a, 2)
    many = seeded_vendor_with(world.b, 6)
    computed_few, queries_few = count_compute_queries(world.a.vendor)
    computed_many, queries_many = count_compute_queries(world.b.vendor)
    assert (computed_few, computed_many) == (len(few), len(many))
    assert queries_few == queries_many
    with django_assert_max_num_queries(queries_few):
        scorecards_compute(vendor_id=world.b.vendor.id, period_kind="month", period_start=JAN)
    with tenant_scope(world.b.vendor.id):
        assert Scorecard.objects.filter(period_start=JAN).count() == 6
        assert KpiActual.objects.filter(period_start=JAN).count() == 6 * 8
        revenue = {
            a.distributor_id: a
            for a in KpiActual.objects.filter(kpi__code="revenue", period_start=JAN)
        }
    levels = [revenue[d.pk].level for d in many]
    assert levels == ["base", "stretch", "exceed", "exceed", "exceed", "exceed"]
    assert revenue[many[0].pk].currency == "JPY"


def rows(vendor):
    with tenant_scope(vendor.id):
        return (
            sorted(KpiActual.objects.values_list(named=True), key=lambda r: r.id),
            sorted(Scorecard.objects.values_list(named=True), key=lambda r: r.id),
        )


def test_computing_twice_gives_identical_rows_and_only_changes_move_computed_at(world):
    a = world.a
    (d,) = seeded_vendor_with(a, 1)
    with time_machine.travel(NOW, tick=False):
        scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN)
    first = rows(a.vendor)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN)
    assert rows(a.vendor) == first
    with tenant_scope(a.vendor.id):
        sale(a.vendor, d, JAN, 5000)
    later = NOW + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN)
    with tenant_scope(a.vendor.id):
        moved = set(KpiActual.objects.filter(computed_at=later).values_list("kpi__code", flat=True))
        card = Scorecard.objects.get(distributor=d)
    assert moved == {"revenue", "revenue-growth"}
    assert card.computed_at == NOW  # revenue went from base to exceed: still green, same score


def test_kpis_taken_off_the_template_lose_their_actuals(world):
    a = world.a
    (d,) = seeded_vendor_with(a, 1)
    scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN)
    with tenant_scope(a.vendor.id):
        TemplateKpi.objects.filter(kpi__code="new-accounts").delete()
        Kpi.objects.filter(code="units").update(is_active=False)
    scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN)
    with tenant_scope(a.vendor.id):
        codes = set(KpiActual.objects.filter(distributor=d).values_list("kpi__code", flat=True))
    assert len(codes) == 7 and "new-accounts" not in codes


def test_prospects_and_terminated_distributors_get_no_scorecard(world):
    a = world.a
    with tenant_scope(a.vendor.id):
        kpi_catalogue_seed(vendor=a.vendor)
        Distributor.objects.filter(pk=a.d2.pk).update(status="terminated")
    assert scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN) == 0
    scored(a, a.d1)
    assert scorecards_compute(vendor_id=a.vendor.id, period_kind="month", period_start=JAN) == 1


def test_a_month_without_its_own_target_uses_the_quarter_target(world):
    a = world.a
    vendor, d1 = a.vendor, a.d1
    scored(a, d1)
    with tenant_scope(vendor.id):
        ScorecardPolicy.objects.create(vendor=vendor)
        summed = entered_kpi(vendor, "events")
        averaged = entered_kpi(vendor, "delivery", aggregation="average")
        own = entered_kpi(vendor, "own")
        template_of(vendor, [summed, averaged, own])
        for kpi in (summed, averaged, own):
            target(vendor, d1, kpi, 30, 45, 60, kind="quarter", start=JAN, ramp=50)
            entry(vendor, d1, kpi, 12, start=FEB)
        target(vendor, d1, own, 20, 25, 30, start=FEB)
    scorecards_compute(vendor_id=vendor.id, period_kind="month", period_start=FEB)
    with tenant_scope(vendor.id):
        got = {
            a.kpi_id: (a.base, a.stretch, a.exceed, a.ramp_percent, a.level)
            for a in KpiActual.objects.filter(period_start=FEB)
        }
    assert got[summed.pk] == (D(10), D(15), D(20), D(50), "base")
    assert got[averaged.pk] == (D(30), D(45), D(60), D(50), "below")
    assert got[own.pk] == (D(20), D(25), D(30), D(100), "below")


def test_fiscal_year_starting_in_april(world):
    a = world.a
    vendor, d1 = a.vendor, a.d1
    scored(a, d1)
    april, may = dt.date(2026, 4, 1), dt.date(2026, 5, 1)
    with tenant_scope(vendor.id):
        Vendor.objects.filter(pk=vendor.pk).update(fiscal_year_start_month=4)
        events_kpi = entered_kpi(vendor, "events")
        template_of(vendor, [events_kpi])
        target(vendor, d1, events_kpi, 9, 12, 15, kind="quarter", start=april)
        for month, value in ((april, 1), (may, 4), (dt.date(2026, 6, 1), 5), (JAN, 100)):
            entry(vendor, d1, events_kpi, value, start=month)
    with pytest.raises(ValueError):
        scorecards_compute(
            vendor_id=vendor.id, period_kind="quarter", period_start=JAN.replace(month=2)
        )
    scorecards_compute(vendor_id=vendor.id, period_kind="quarter", period_start=april)
    scorecards_compute(vendor_id=vendor.id, period_kind="month", period_start=may)
    with tenant_scope(vendor.id):
        quarter = KpiActual.objects.get(period_kind="quarter")
        month = KpiActual.objects.get(period_kind="month")
    assert (quarter.period_start, quarter.value, quarter.level) == (april, 10, "base")
    # May uses the April-June target / 3: 3, 4, 5.
    assert (month.base, month.stretch, month.value, month.level) == (3, 4, 4, "stretch")
    # January is in the fourth fiscal quarter (which starts in January): the nightly periods.
    assert recompute.scorecard_periods_around(dt.date(2026, 5, 20), 4) == [
        ("month", may), ("month", april), ("quarter", april), ("quarter", JAN),
    ]  # fmt: skip


def test_computing_one_vendor_never_touches_or_reads_another(world):
    seeded_vendor_with(world.a, 1)
    seeded_vendor_with(world.b, 1)
    before_b = rows(world.b.vendor)
    scorecards_compute(vendor_id=world.a.vendor.id, period_kind="month", period_start=JAN)
    assert rows(world.b.vendor) == before_b == ([], [])
    with tenant_scope(world.a.vendor.id):
        assert KpiActual.objects.get(kpi__code="revenue").value == D(1500)
        # Another vendor's distributor with colliding data never counts.
        assert set(KpiActual.objects.values_list("vendor_id", flat=True)) == {world.a.vendor.id}


def test_template_of_each_distributor(world):
    a = world.a
    vendor = a.vendor
    with tenant_scope(vendor.id):
        kpi_catalogue_seed(vendor=vendor)
        default = ScorecardTemplate.objects.get(is_default=True)
        kpis = list(Kpi.objects.all()[:6])
        japan = template_of(vendor, kpis, name="Japan", default=False, countries=["JP", "KR"])
        chosen = template_of(vendor, kpis, name="Chosen", default=False)
        other = DistributorFactory(vendor=vendor, country="TH", currency="THB")
        ScorecardAssignment.objects.create(vendor=vendor, distributor=other, template=chosen)
        assert distributor_template_ids(vendor_id=vendor.id) == {
            a.d1.pk: japan.pk,  # JP
            a.d2.pk: default.pk,  # TH, no assignment
            other.pk: chosen.pk,
        }
    with tenant_scope(world.b.vendor.id):
        assert distributor_template_ids(vendor_id=vendor.id) == {}  # row-level security


# --- the worker, its triggers and the nightly run -----------------------------------------------


def test_bursts_of_requests_coalesce_into_one_row_and_one_task(
    world, django_capture_on_commit_callbacks
):
    vendor = world.a.vendor
    with django_capture_on_commit_callbacks(execute=False) as callbacks, tenant_scope(vendor.id):
        for _ in range(3):
            scorecards_recompute_request(vendor_id=vendor.id, period_kind="month", period_start=JAN)
        assert ScorecardRecompute.objects.count() == 1
    assert len(callbacks) == 1


def test_the_task_claims_computes_and_deletes_the_request(world):
    (d,) = seeded_vendor_with(world.a, 1)
    vendor = world.a.vendor
    assert scorecards_recompute_task(vendor.id, "month", JAN.isoformat()) is False  # nothing
    with tenant_scope(vendor.id):
        ScorecardRecompute.objects.create(
            vendor=vendor, period_kind="month", period_start=JAN, requested_at=NOW,
            claimed_at=timezone.now(),
        )  # fmt: skip
    assert scorecards_recompute_task(vendor.id, "month", JAN.isoformat()) is False  # held
    with tenant_scope(vendor.id):
        ScorecardRecompute.objects.update(claimed_at=None)
    assert scorecards_recompute_task(vendor.id, "month", JAN.isoformat()) is True
    with tenant_scope(vendor.id):
        assert not ScorecardRecompute.objects.exists()
        assert Scorecard.objects.filter(distributor=d, period_start=JAN).exists()


def test_a_request_during_the_computation_keeps_the_row_and_queues_again(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    vendor = world.a.vendor
    with tenant_scope(vendor.id):
        kpi_catalogue_seed(vendor=vendor)
        ScorecardRecompute.objects.create(
            vendor=vendor, period_kind="month", period_start=JAN, requested_at=NOW
        )

    def compute_while_a_change_arrives(**kwargs):
        with tenant_scope(vendor.id):
            scorecards_recompute_request(vendor_id=vendor.id, period_kind="month", period_start=JAN)
        return 0

    monkeypatch.setattr(recompute, "scorecards_compute", compute_while_a_change_arrives)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert scorecards_recompute_task(vendor.id, "month", JAN.isoformat()) is True
    with tenant_scope(vendor.id):
        row = ScorecardRecompute.objects.get()
    assert row.claimed_at is None and row.requested_at > NOW
    assert len(callbacks) == 2  # the change's own (the row was claimed) and the re-queue


def test_a_weekly_submission_triggers_a_recompute_that_updates_on_time(
    world, django_capture_on_commit_callbacks
):
    from reporting.services.submissions import report_submit

    a = world.a
    vendor, d1 = a.vendor, a.d1
    scored(a, d1)
    with tenant_scope(vendor.id):
        kpi_catalogue_seed(vendor=vendor)
        on_time = Kpi.objects.get(code="weekly-on-time")
        target(vendor, d1, on_time, 90, 95, 100, start=JAN)
        report(vendor, d1, "weekly", dt.date(2026, 1, 5), status="pending")  # due Jan 12
        open_one = report(vendor, d1, "weekly", dt.date(2026, 1, 12), status="pending")
    with time_machine.travel(dt.datetime(2026, 1, 16, 3, tzinfo=dt.UTC), tick=False):
        scorecards_compute(vendor_id=vendor.id, period_kind="month", period_start=JAN)
        with tenant_scope(vendor.id):
            assert KpiActual.objects.get(kpi=on_time).value == 0  # the missed week of two
        with django_capture_on_commit_callbacks(execute=True), tenant_scope(vendor.id):
            report_submit(
                vendor=vendor,
                actor=a.member(DISTRIBUTOR_ADMIN),
                report=Report.objects.get(pk=open_one.pk),
                data={"new_leads": 2, "meetings_held": 1, "opportunities_discovery": 0,
                      "opportunities_proposal": 0, "opportunities_negotiation": 0,
                      "blockers": [], "priorities": ["Demo day"]},
            )  # fmt: skip
    with tenant_scope(vendor.id):
        actual = KpiActual.objects.get(kpi=on_time, period_kind="month")
        assert (actual.value, actual.rag) == (50, "red")
        assert KpiActual.objects.filter(kpi=on_time, period_kind="quarter").exists()
        assert not ScorecardRecompute.objects.exists()  # both requests done


def test_sales_written_through_the_api_request_their_months(
    world, django_capture_on_commit_callbacks
):
    from reporting.services.sellout import sales_lines_bulk_upsert

    a = world.a
    with tenant_scope(a.vendor.id):
        kpi_catalogue_seed(vendor=a.vendor)
    line = {"invoice_number": "A1", "line_number": 1, "quantity": "2", "amount": "100",
            "outlet_code": "C1", "outlet_name": "Shop", "product_code": "P1"}  # fmt: skip
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=False),
        tenant_scope(a.vendor.id),
    ):
        sales_lines_bulk_upsert(
                vendor=a.vendor, actor=a.member("vendor_admin"), distributor=a.d1,
                lines=[{**line, "invoice_date": "2026-02-03"},
                       {**line, "line_number": 2, "invoice_date": "2026-04-30"}],
            )  # fmt: skip
        requested = set(ScorecardRecompute.objects.values_list("period_kind", "period_start"))
    months = {("month", dt.date(2026, m, 1)) for m in (2, 3, 4)}
    quarters = {("quarter", JAN), ("quarter", dt.date(2026, 4, 1))}
    assert requested == months | quarters


def test_months_for_sales_are_capped_and_include_next_years_growth():
    today = dt.date(2026, 5, 20)
    assert months_for_sales(dt.date(2025, 4, 9), dt.date(2025, 4, 2), today) == [
        dt.date(2025, 4, 1), dt.date(2026, 4, 1),
    ]  # fmt: skip
    months = months_for_sales(dt.date(2019, 1, 1), dt.date(2030, 1, 1), today)
    assert months[0] == dt.date(2024, 6, 1) and months[-1] == dt.date(2026, 5, 1)
    assert len(months) == 24
    assert months_for_report("monthly", dt.date(2026, 3, 1)) == [
        dt.date(2026, 3, 1), dt.date(2026, 4, 1),
    ]  # fmt: skip


def test_nightly_requests_recent_periods_of_vendors_with_kpis(
    world, django_capture_on_commit_callbacks
):
    with tenant_scope(world.a.vendor.id):
        kpi_catalogue_seed(vendor=world.a.vendor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert recompute.scorecards_nightly_request(vendor_id=world.a.vendor.id, today=FEB) == 4
        assert recompute.scorecards_nightly_request(vendor_id=world.b.vendor.id, today=FEB) == 0
        assert recompute.scorecards_nightly_request(vendor_id=world.a.vendor.id, today=FEB) == 4
    assert len(callbacks) == 4  # the second run found the requests pending
    with tenant_scope(world.a.vendor.id):
        assert set(ScorecardRecompute.objects.values_list("period_kind", "period_start")) == {
            ("month", FEB), ("month", JAN), ("quarter", JAN), ("quarter", dt.date(2025, 10, 1)),
        }  # fmt: skip
    with tenant_scope(world.b.vendor.id):
        assert not ScorecardRecompute.objects.exists()


def test_nightly_beat_entry():
    from config.celery_app import app

    entry = app.conf.beat_schedule["scorecards-nightly"]
    assert entry["task"] == "scorecards.tasks.scorecards_nightly_task"
    assert scorecards_nightly_task.name == entry["task"]

"""The scorecard engine: metrics and rules computed in SQL for every distributor at once, the
recompute worker, its triggers and the nightly sweep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from partners.models import Distributor
from partners.tenancy import tenant_scope
from reporting.models import MonthlySummary, Outlet, Report, SalesLine, WeeklyUpdate
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
from scorecards.services.catalogue import kpi_catalogue_seed
from scorecards.services.compute import scorecards_compute
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

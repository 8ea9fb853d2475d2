"""The KPI catalogue: the lean starting set every vendor gets, and its templates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from partners.models import Vendor
from scorecards.models import (
    Kpi,
    KpiAggregation,
    KpiDirection,
    KpiFamily,
    KpiSource,
    KpiUnit,
    ScorecardPolicy,
    ScorecardTemplate,
    TemplateKpi,
)

C, E, OP = KpiFamily.COMMERCIAL, KpiFamily.EXECUTION, KpiFamily.OPERATIONAL
S = KpiSource
SUM, AVG, RATE = KpiAggregation.SUM, KpiAggregation.AVERAGE, KpiAggregation.RATE


@dataclass(frozen=True)
class KpiSeed:
    code: str
    name: str
    family: str
    source: str
    unit: str
    aggregation: str
    weight: str = "1"
    direction: str = KpiDirection.HIGHER
    description: str = ""


# The starting catalogue, in the three families of a lean partner scorecard. Names are stored in
# English (gettext_noop marks them for the catalogue so pages can show them translated).
DEFAULT_KPIS: tuple[KpiSeed, ...] = (
    KpiSeed("revenue", gettext_noop("Revenue"), C, S.REVENUE, KpiUnit.MONEY, SUM, "3"),
    KpiSeed("revenue-growth", gettext_noop("Revenue growth"), C, S.REVENUE_GROWTH,
            KpiUnit.PERCENT, RATE, "1"),
    KpiSeed("units", gettext_noop("Units sold"), C, S.UNITS, KpiUnit.COUNT, SUM, "1"),
    KpiSeed("lead-to-quote", gettext_noop("Leads to quotes"), C, S.LEAD_TO_QUOTE,
            KpiUnit.PERCENT, RATE, "1"),
    KpiSeed("quote-to-order", gettext_noop("Quotes to orders"), C, S.QUOTE_TO_ORDER,
            KpiUnit.PERCENT, RATE, "1"),
    KpiSeed("pipeline-value", gettext_noop("Pipeline value"), C, S.PIPELINE_VALUE,
            KpiUnit.MONEY, KpiAggregation.LAST, "1"),
    KpiSeed("pipeline-coverage", gettext_noop("Pipeline coverage"), C, S.PIPELINE_COVERAGE,
            KpiUnit.RATIO, KpiAggregation.LAST, "1"),
    KpiSeed("new-accounts", gettext_noop("New accounts"), C, S.NEW_ACCOUNTS, KpiUnit.COUNT,
            SUM, "1"),
    KpiSeed("weekly-on-time", gettext_noop("Weekly updates on time"), E, S.WEEKLY_ON_TIME,
            KpiUnit.PERCENT, RATE, "2"),
    KpiSeed("monthly-review", gettext_noop("Monthly review done"), E, S.MONTHLY_REVIEW,
            KpiUnit.PERCENT, RATE, "1"),
    KpiSeed("plan-adjusted", gettext_noop("Quarterly plan adjusted"), E, S.ENTERED,
            KpiUnit.COUNT, KpiAggregation.LAST, "1"),
    KpiSeed("meetings", gettext_noop("Meetings held"), E, S.MEETINGS, KpiUnit.COUNT, SUM, "1"),
    KpiSeed("decision-maker-demos", gettext_noop("Calls and demos with decision makers"), E,
            S.ENTERED, KpiUnit.COUNT, SUM, "1"),
    KpiSeed("events", gettext_noop("Seminars and events"), E, S.ENTERED, KpiUnit.COUNT, SUM),
    KpiSeed("market-intelligence", gettext_noop("Market intelligence reports"), E, S.ENTERED,
            KpiUnit.COUNT, SUM),
    KpiSeed("marketing-content", gettext_noop("Marketing content"), E, S.ENTERED,
            KpiUnit.COUNT, SUM),
    KpiSeed("on-time-delivery", gettext_noop("On-time delivery"), OP, S.ENTERED,
            KpiUnit.PERCENT, AVG),
    KpiSeed("quality-acceptance", gettext_noop("Quality acceptance"), OP, S.ENTERED,
            KpiUnit.PERCENT, AVG),
)  # fmt: skip

# The default template: eight KPIs, commercial first.
DEFAULT_TEMPLATE = gettext_noop("Standard scorecard")
DEFAULT_TEMPLATE_KPIS = (
    "revenue", "revenue-growth", "lead-to-quote", "pipeline-coverage", "new-accounts",
    "weekly-on-time", "monthly-review", "on-time-delivery",
)  # fmt: skip

# Japan's slower sales calendar: full base in the fourth quarter; elsewhere by the third.
DEFAULT_RAMPS = {"JP": [25, 50, 75, 100], "": [40, 70, 100]}


@transaction.atomic
def kpi_catalogue_seed(*, vendor: Vendor) -> list[Kpi]:
    """Give a vendor the starting KPI catalogue, a default template, the default ramp curves
    and a scorecard policy, where missing (running it again adds only what is missing)."""
    from scorecards.models import RampCurve

    ScorecardPolicy.objects.get_or_create(vendor=vendor)
    kpis = []
    for position, seed in enumerate(DEFAULT_KPIS):
        kpi, _ = Kpi.objects.get_or_create(
            vendor=vendor,
            code=seed.code,
            defaults={
                "name": seed.name,
                "family": seed.family,
                "source": seed.source,
                "unit": seed.unit,
                "aggregation": seed.aggregation,
                "direction": seed.direction,
                "weight": Decimal(seed.weight),
                "position": position,
            },
        )
        kpis.append(kpi)
    template, created = ScorecardTemplate.objects.get_or_create(
        vendor=vendor, name=DEFAULT_TEMPLATE, defaults={"is_default": True}
    )
    if created:
        by_code = {k.code: k for k in kpis}
        TemplateKpi.objects.bulk_create(
            TemplateKpi(
                vendor=vendor,
                template=template,
                kpi=by_code[code],
                weight=by_code[code].weight,
                position=n,
            )
            for n, code in enumerate(DEFAULT_TEMPLATE_KPIS)
        )
    for country, percents in DEFAULT_RAMPS.items():
        RampCurve.objects.get_or_create(
            vendor=vendor, country=country, defaults={"percents": percents}
        )
    return kpis

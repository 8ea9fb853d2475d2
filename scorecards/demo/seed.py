"""Demo data of the scorecards app (called by ``manage.py demo_data`` for each demo vendor,
after the reporting app's reports and sales lines).

``demo_seed`` gives a demo vendor the starting catalogue, a Japan template beside the default
one, month targets for the last six months and quarter targets for the last two quarters of
every active distributor (set around its own sales, with some ambitious enough to be missed:
the demo shows green, amber and red), ramped targets for distributors that went active
recently, entered values of the entered KPIs, monthly exchange rates, the conditional
exclusivity story (``scorecards.demo.exclusivity``: five exclusive lines and four closed
quarters, the last one left to close), and then computes the scorecards when the engine exists.
Running it again adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from partners.demo.money import DEMO_USD_PER_UNIT
from partners.models import Distributor, DistributorStatus, Membership, Role, Vendor
from partners.periods import add_months, quarter_start, quarters_between
from partners.platform.scope import tenant_scope
from scorecards.demo import exclusivity as demo_exclusivity
from scorecards.models import (
    ExchangeRate,
    Kpi,
    KpiEntry,
    KpiUnit,
    RampCurve,
    ScorecardPolicy,
    ScorecardTemplate,
    Target,
    TemplateKpi,
)

JAPAN_TEMPLATE = gettext_noop("Japan scorecard")
# Japan: volume and discipline first, quality acceptance instead of delivery (the seed's
# emphasis on slow, relationship-driven sales), with demos to decision makers entered.
JAPAN_TEMPLATE_KPIS = (
    "revenue", "units", "lead-to-quote", "new-accounts", "meetings", "decision-maker-demos",
    "weekly-on-time", "monthly-review", "quality-acceptance",
)  # fmt: skip
DEMO_MONTHS = 6
DEMO_QUARTERS = 2
# Units of US dollars per unit of each currency (the demo's monthly rates wander around these;
# the other demos price their figures by the same table).
USD_PER_UNIT = DEMO_USD_PER_UNIT
# Vendor-wide levels (base, stretch, exceed) of the KPIs whose targets are not volumes.
FIXED_LEVELS = {
    "revenue-growth": (5, 10, 20), "lead-to-quote": (35, 45, 55), "quote-to-order": (25, 35, 45),
    "pipeline-coverage": (1, "1.3", "1.6"), "weekly-on-time": (85, 95, 100),
    "monthly-review": (90, 100, 100), "on-time-delivery": (92, 96, 99),
    "quality-acceptance": (95, 98, "99.5"), "plan-adjusted": (1, 1, 1), "events": (1, 2, 3),
    "market-intelligence": (1, 2, 3), "marketing-content": (1, 2, 4),
}  # fmt: skip
# How ambitious each demo distributor's volume targets are, by its position: at its own
# figures (green), a little above (amber) or well above (red).
PLAN_FACTORS = (Decimal("0.9"), Decimal("1.1"), Decimal("1.6"), Decimal("1.0"))


def scorecard_templates_seed(*, vendor: Vendor) -> dict[str, list[Kpi]]:
    """Give the vendor a Japan template beside its default one (where missing) and return the
    KPIs each market is scored on: ``{"JP": [...], "": [...the default template's]}``. Needs
    the catalogue (``kpi_catalogue_seed``) and an open tenant scope."""
    by_code = {k.code: k for k in Kpi.objects.filter(vendor=vendor)}
    japan, created = ScorecardTemplate.objects.get_or_create(
        vendor=vendor, name=JAPAN_TEMPLATE, defaults={"countries": ["JP"]}
    )
    if created:
        TemplateKpi.objects.bulk_create(
            TemplateKpi(
                vendor=vendor, template=japan, kpi=by_code[code], weight=by_code[code].weight,
                position=n,
            )
            for n, code in enumerate(JAPAN_TEMPLATE_KPIS)
            if code in by_code
        )  # fmt: skip
    result: dict[str, list[Kpi]] = {}
    for template in ScorecardTemplate.objects.filter(vendor=vendor).filter(
        is_default=True
    ) | ScorecardTemplate.objects.filter(vendor=vendor, pk=japan.pk):
        kpis = [
            tk.kpi
            for tk in TemplateKpi.objects.filter(vendor=vendor, template=template)
            .select_related("kpi")
            .order_by("position", "id")
        ]
        result["" if template.is_default else "JP"] = kpis
    result.setdefault("", result.get("JP", []))
    return result


def _ramp_percent(curves: dict[str, list], distributor, period: dt.date, fiscal: int) -> Decimal:
    """The share of its full targets a distributor that went active recently is held to."""
    since = distributor.status_changed_on
    if since is None:
        return Decimal(100)
    curve = curves.get(distributor.country) or curves.get("") or [100]
    index = max(0, quarters_between(since, period, fiscal))
    return Decimal(curve[min(index, len(curve) - 1)])


def _volume_figures(vendor: Vendor, months: list[dt.date]) -> dict[tuple, dict[str, Decimal]]:
    """Each distributor's sales, units and new outlets per month, from its sales lines."""
    from reporting.models import Outlet, SalesLine

    first, after = months[0], add_months(months[-1], 1)
    figures: dict[tuple, dict[str, Decimal]] = {}
    rows = (
        SalesLine.objects.filter(vendor=vendor, invoice_date__gte=first, invoice_date__lt=after)
        .values("distributor_id", "invoice_date__year", "invoice_date__month")
        .annotate(revenue=Sum("amount"), units=Sum("quantity"))
    )
    for row in rows:
        month = dt.date(row["invoice_date__year"], row["invoice_date__month"], 1)
        figures[(row["distributor_id"], month)] = {
            "revenue": row["revenue"] or Decimal(0),
            "units": row["units"] or Decimal(0),
        }
    outlets = (
        Outlet.objects.filter(vendor=vendor, first_billed_on__gte=first, first_billed_on__lt=after)
        .values("distributor_id", "first_billed_on__year", "first_billed_on__month")
        .annotate(count=Count("id"))
    )
    for outlet_row in outlets:
        month = dt.date(
            outlet_row["first_billed_on__year"], outlet_row["first_billed_on__month"], 1
        )
        figures.setdefault((outlet_row["distributor_id"], month), {})["new-accounts"] = Decimal(
            outlet_row["count"]
        )
    return figures


def _levels(
    code: str, own: Decimal | None, plan: Decimal, *, whole: bool = False
) -> tuple[Decimal, Decimal, Decimal]:
    """Base, stretch and exceed around the distributor's own figure; counts (``whole``) in
    whole numbers, rounded up (nobody sells 10.2 units)."""
    if code in FIXED_LEVELS:
        base, stretch, exceed = (Decimal(str(v)) for v in FIXED_LEVELS[code])
        return base, stretch, exceed
    step = Decimal(1) if whole else Decimal("0.01")
    base = max(Decimal(1), (own or Decimal(0)) * plan).quantize(step, rounding=ROUND_CEILING)
    return (
        base,
        (base * Decimal("1.15")).quantize(step, rounding=ROUND_CEILING),
        (base * Decimal("1.3")).quantize(step, rounding=ROUND_CEILING),
    )


def demo_seed(vendor: Vendor) -> int:
    """Seed the demo vendor's scorecards (see the module docstring). Returns how many targets,
    entries and rates were added (0 on a second run)."""
    from scorecards.services.catalogue import kpi_catalogue_seed

    added = 0
    today = timezone.localdate()
    this_month = today.replace(day=1)
    with tenant_scope(vendor.id), transaction.atomic():
        kpi_catalogue_seed(vendor=vendor)
        templates = scorecard_templates_seed(vendor=vendor)
        fiscal = vendor.fiscal_year_start_month
        curves = {c.country: c.percents for c in RampCurve.objects.filter(vendor=vendor)}
        months = [add_months(this_month, -n) for n in range(DEMO_MONTHS - 1, -1, -1)]
        quarters = [
            add_months(quarter_start(this_month, fiscal), -3 * n)
            for n in range(DEMO_QUARTERS - 1, -1, -1)
        ]
        quarter_months = sorted({add_months(q, n) for q in quarters for n in range(3)})
        added += _history_sales_seed(vendor, sorted(set(months) | set(quarter_months)))
        figures = _volume_figures(vendor, sorted(set(months) | set(quarter_months)))
        manager = (
            Membership.objects.filter(vendor=vendor, role=Role.CHANNEL_MANAGER, is_active=True)
            .order_by("id")
            .first()
        )
        distributors = list(
            Distributor.objects.filter(vendor=vendor, status=DistributorStatus.ACTIVE).order_by(
                "id"
            )
        )
        existing = set(
            Target.objects.filter(vendor=vendor).values_list(
                "distributor_id", "kpi_id", "period_kind", "period_start"
            )
        )
        targets = []
        for position, distributor in enumerate(distributors):
            plan = PLAN_FACTORS[position % len(PLAN_FACTORS)]
            kpis = templates.get(distributor.country) or templates[""]
            # The last full month's figures stand in for months without sales yet (the current
            # one, or a distributor the demo gave few lines).
            fallback = figures.get((distributor.pk, add_months(this_month, -1)), {})
            periods = [("month", m, [m]) for m in months]
            periods += [("quarter", q, [add_months(q, n) for n in range(3)]) for q in quarters]
            for kind, start, in_months in periods:
                ramp = _ramp_percent(curves, distributor, start, fiscal)
                for kpi in kpis:
                    if (distributor.pk, kpi.pk, kind, start) in existing:
                        continue
                    own = None
                    if kpi.code in ("revenue", "units", "new-accounts"):
                        own = sum(
                            (
                                figures.get((distributor.pk, m), fallback).get(kpi.code, Decimal(0))
                                for m in in_months
                            ),
                            Decimal(0),
                        )
                    elif kpi.code in ("meetings", "decision-maker-demos", "pipeline-value"):
                        own = Decimal({"meetings": 12, "decision-maker-demos": 4}.get(kpi.code, 0))
                        own *= len(in_months)
                        if kpi.code == "pipeline-value":
                            own = fallback.get("revenue", Decimal(0)) * 2
                    levels = _levels(kpi.code, own, plan, whole=kpi.unit == KpiUnit.COUNT)
                    percent = ramp if own is not None and ramp < 100 else Decimal(100)
                    full = [(v * 100 / percent).quantize(Decimal("0.0001")) for v in levels]
                    targets.append(
                        Target(
                            vendor=vendor, distributor=distributor, kpi=kpi, period_kind=kind,
                            period_start=start, full_base=full[0], full_stretch=full[1],
                            full_exceed=full[2], ramp_percent=percent, base=levels[0],
                            stretch=levels[1], exceed=levels[2], updated_by=manager,
                        )
                    )  # fmt: skip
        Target.objects.bulk_create(targets)
        added += len(targets)
        added += _entries_seed(vendor, distributors, templates, months[:-1], manager)
        added += _rates_seed(vendor, months)
    # Conditional exclusivity: five exclusive lines and four quarters of facts (own scope).
    added += demo_exclusivity.demo_seed(vendor)
    _compute(vendor, months, quarters, only_if_missing=not added)
    return added


def _history_sales_seed(vendor: Vendor, months: list[dt.date]) -> int:
    """Sales lines for the demo's earlier months: the reporting demo sells for three months
    only, so each full month the scorecards show without lines gets a copy of the distributor's
    latest month of lines (a little smaller the further back), through the bulk service an ERP
    uses. Distributor-months that have lines are left alone (idempotent)."""
    from reporting.models import SalesLine
    from reporting.services.sellout import sales_lines_bulk_upsert

    admin = (
        Membership.objects.filter(vendor=vendor, role=Role.VENDOR_ADMIN, is_active=True)
        .order_by("id")
        .first()
    )
    this_month = timezone.localdate().replace(day=1)
    full_months = [m for m in months if m < this_month]
    if admin is None or not full_months:
        return 0
    lines = list(
        SalesLine.objects.filter(
            vendor=vendor,
            distributor__status=DistributorStatus.ACTIVE,
            invoice_date__gte=full_months[0],
            invoice_date__lt=this_month,
        )
        .select_related("outlet", "product_line", "distributor")
        .order_by("distributor_id", "invoice_date", "invoice_number", "line_number")
    )
    by_distributor: dict[int, dict[dt.date, list]] = {}
    for line in lines:
        by_distributor.setdefault(line.distributor_id, {}).setdefault(
            line.invoice_date.replace(day=1), []
        ).append(line)
    written = 0
    for months_of in by_distributor.values():
        latest = months_of[max(months_of)]
        distributor = latest[0].distributor
        copies = []
        for n, month in enumerate(reversed(full_months)):
            if month in months_of:
                continue
            scale = Decimal(1) - Decimal(n) / 20
            last_day = (add_months(month, 1) - dt.timedelta(days=1)).day
            for line in latest:
                day = month.replace(day=min(line.invoice_date.day, last_day))
                copies.append(
                    {
                        "invoice_number": f"H{month:%y%m}-{line.invoice_number}"[:64],
                        "line_number": line.line_number,
                        "invoice_date": day.isoformat(),
                        "outlet_code": line.outlet.code if line.outlet else "",
                        "outlet_name": line.outlet.name if line.outlet else "",
                        "product_code": line.product_code,
                        "product_name": line.product_name,
                        "product_line": line.product_line.name if line.product_line else "",
                        "quantity": str(line.quantity),
                        "amount": str((line.amount * scale).quantize(Decimal("0.01"))),
                        "due_date": (day + dt.timedelta(days=30)).isoformat(),
                    }
                )
        if copies:
            result = sales_lines_bulk_upsert(
                vendor=vendor, actor=admin, distributor=distributor, lines=copies
            )
            written += result["created"]
    return written


def _entries_seed(vendor, distributors, templates, months, manager) -> int:
    """Entered values for the entered KPIs of each distributor's template, month by month
    (the current month is not over: nothing entered yet)."""
    existing = set(
        KpiEntry.objects.filter(vendor=vendor).values_list(
            "distributor_id", "kpi_id", "period_kind", "period_start"
        )
    )
    entries = []
    for position, distributor in enumerate(distributors):
        kpis = templates.get(distributor.country) or templates[""]
        for n, month in enumerate(months):
            for kpi in kpis:
                if kpi.is_computed or (distributor.pk, kpi.pk, "month", month) in existing:
                    continue
                # Third distributors slip on delivery (amber/red), the others hold up.
                good = position % 4 != 2
                value = {
                    "on-time-delivery": Decimal(95 + n % 3) if good else Decimal(84 + n % 4),
                    "quality-acceptance": Decimal("98.5") if good else Decimal(93),
                    "decision-maker-demos": Decimal(4 + (position + n) % 3),
                }.get(kpi.code, Decimal(1 + n % 2))
                entries.append(
                    KpiEntry(
                        vendor=vendor, distributor=distributor, kpi=kpi, period_kind="month",
                        period_start=month, value=value, entered_by=manager,
                    )
                )  # fmt: skip
    KpiEntry.objects.bulk_create(entries)
    return len(entries)


def _rates_seed(vendor, months) -> int:
    """Monthly exchange rates into the vendor's reporting currency for the months shown."""
    reporting = ScorecardPolicy.objects.get(vendor=vendor).reporting_currency
    per_usd = Decimal(USD_PER_UNIT.get(reporting, "1"))
    existing = set(
        ExchangeRate.objects.filter(vendor=vendor).values_list("currency", "period_start")
    )
    rates = []
    for n, month in enumerate(months):
        drift = Decimal(1) + Decimal(n % 3 - 1) / 100
        for currency, usd in USD_PER_UNIT.items():
            if (currency, month) in existing:
                continue
            rate = Decimal(usd) / per_usd * (drift if currency != reporting else 1)
            rates.append(
                ExchangeRate(
                    vendor=vendor, currency=currency, period_start=month,
                    rate=rate.quantize(Decimal("0.00000001")),
                )
            )  # fmt: skip
    ExchangeRate.objects.bulk_create(rates)
    return len(rates)


def _compute(
    vendor: Vendor, months: list[dt.date], quarters: list[dt.date], *, only_if_missing: bool
) -> None:
    """Compute the demo's scorecards when the engine exists (it opens its own scope). A run
    that added nothing computes only when there are no scorecards yet (the engine came after
    the demo data), so running the demo again changes nothing."""
    try:
        from scorecards.services.compute import scorecards_compute
    except ImportError:
        return
    if only_if_missing:
        from scorecards.models import Scorecard

        with tenant_scope(vendor.id):
            if Scorecard.objects.filter(vendor=vendor).exists():
                return
    for month in months:
        scorecards_compute(vendor_id=vendor.id, period_kind="month", period_start=month)
    for start in quarters:
        scorecards_compute(vendor_id=vendor.id, period_kind="quarter", period_start=start)

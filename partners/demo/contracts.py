"""Demo contracts: a few signed contracts so the demo workspaces look lived-in.

For the vendor's active (or onboarding) distributors: one contract still in its launch phase,
one with exclusive scope in the conditional phase (with performance clauses), one amended to
add a product line, and one that ends within 60 days (so reminders have something to say).
Everything goes through the contract services, so the overlap rule and the audit log apply.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from partners.demo.profile import status_history_fit_contract
from partners.markets import MARKETS_BY_COUNTRY
from partners.models import (
    ClauseKind,
    Contract,
    ContractStatus,
    DistributorStatus,
    ProductLine,
    ScopeLine,
    Territory,
)
from partners.services import contracts as services

DEFAULT_PRODUCT_LINES = ["Collaborative robots", "Vision sensors"]


def _territory(vendor, country: str) -> Territory:
    existing = Territory.objects.filter(country=country).order_by("id").first()
    if existing:
        return existing
    name = MARKETS_BY_COUNTRY[country].name if country in MARKETS_BY_COUNTRY else country
    territory, _ = Territory.objects.get_or_create(
        vendor=vendor, name=str(name), defaults={"country": country}
    )
    return territory


def _product_lines(vendor) -> list[ProductLine]:
    lines = list(ProductLine.objects.filter(is_active=True).order_by("id")[:2])
    for name in DEFAULT_PRODUCT_LINES[len(lines) :]:
        line, _ = ProductLine.objects.get_or_create(vendor=vendor, name=name)
        lines.append(line)
    return lines


def seed(*, vendor, actor, distributors) -> list[Contract]:
    """Write the demo contracts of ``vendor`` (inside its tenant scope). Does nothing when the
    vendor already has contracts or has no distributor past selection."""
    if Contract.objects.exists():
        return []
    eligible = [
        d
        for d in distributors
        if d.status in (DistributorStatus.ACTIVE, DistributorStatus.ONBOARDING)
    ][:4]
    if not eligible:
        return []
    today = timezone.localdate()
    products = _product_lines(vendor)
    used: set[tuple[int, int]] = set()
    exclusive_scope: set[tuple[int, int]] = set()

    def scope_for(distributor, product):
        territory = _territory(vendor, distributor.country)
        key = (territory.pk, product.pk)
        if key in used:  # keep demo scope clear of each other's exclusivity
            product = next((p for p in products if (territory.pk, p.pk) not in used), product)
            key = (territory.pk, product.pk)
        used.add(key)
        return territory, product

    plans = [
        # (starts days ago, runs days, exclusive, notice days, note)
        (30, 730, False, 90),  # still in launch
        (200, 730, True, 90),  # exclusive, conditional phase
        (400, 760, False, 60),  # amended below
        (700, 745, False, 90),  # ends within 60 days
    ]
    contracts = []
    for n, (distributor, plan) in enumerate(zip(eligible, plans, strict=False), start=1):
        ago, runs, exclusive, notice = plan
        starts_on = today - dt.timedelta(days=ago)
        ends_on = starts_on + dt.timedelta(days=runs)
        territory, product = scope_for(distributor, products[0])
        contract = services.contract_create(
            vendor=vendor,
            actor=actor,
            distributor=distributor,
            reference=f"{distributor.country}-{starts_on.year}-{n:03d}",
            status=ContractStatus.ACTIVE,
            starts_on=starts_on,
            ends_on=ends_on,
            signed_on=starts_on - dt.timedelta(days=14),
            auto_renews=n % 2 == 0,
            renewal_term_months=12 if n % 2 == 0 else None,
            notice_days=notice,
            exit_rights=(
                "Either party may end the agreement with notice if quarterly targets are "
                "missed two quarters running."
            ),
            scope_lines=[{"territory": territory, "product_line": product, "exclusive": exclusive}],
        )
        contracts.append(contract)
        status_history_fit_contract(
            distributor=distributor, signed_on=contract.signed_on or starts_on, starts_on=starts_on
        )
        line = ScopeLine.objects.get(contract=contract)
        services.clause_create(
            vendor=vendor, actor=actor, contract=contract, kind=ClauseKind.QBR_ATTENDANCE
        )
        services.clause_create(
            vendor=vendor,
            actor=actor,
            contract=contract,
            kind=ClauseKind.MIN_REPORTING,
            rate=Decimal("90"),
            note="Weekly update every Monday; monthly summary by the 5th business day.",
        )
        if exclusive:
            services.clause_create(
                vendor=vendor,
                actor=actor,
                contract=contract,
                kind=ClauseKind.MIN_REVENUE,
                scope_line=line,
                amount=Decimal("25000000") if distributor.currency == "JPY" else Decimal("150000"),
            )
        if exclusive:
            exclusive_scope.add((line.territory_id, line.product_line_id))
        other = [
            p
            for p in products
            if p.pk != line.product_line_id and (line.territory_id, p.pk) not in exclusive_scope
        ]
        if n == 3 and other:
            extra_territory, extra_product = line.territory, other[0]
            services.contract_amend(
                vendor=vendor,
                actor=actor,
                contract=contract,
                effective_on=today - dt.timedelta(days=60),
                reason="Consistent reporting and pipeline for two quarters: scope expanded.",
                add_lines=[{"territory": extra_territory, "product_line": extra_product}],
            )
    return contracts

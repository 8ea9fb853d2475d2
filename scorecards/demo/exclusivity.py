"""Demo data of conditional exclusivity (called from ``scorecards.demo.seed.demo_seed``).

For the Kestrel demo workspace, five distributors hold one exclusive scope line each, written
through ``partners.services.contracts`` (so the overlap rule and the audit log apply), with a
"minimum revenue per quarter" clause on the line. The facts of the last four closed fiscal
quarters (sales lines of the line's product line, QBR meetings, weekly updates and monthly
summaries) are chosen so that, judged in order by the real evaluation:

=================================  =======================  ==================================
distributor                        scope                    quarters (oldest to last closed)
=================================  =======================  ==================================
関西メカトロ販売株式会社           Kansai × robots          warn, renew, renew, **renew**
株式会社みなと産業機器             Kyushu × robots          renew, renew, renew, **warn**
Siam Robotics Co., Ltd.            Bangkok × robots         renew, renew, warn, **revoke**
Meridian Trading Pte. Ltd.         Singapore × robots       renew, renew, renew, **scale**
Straits Automation Pte. Ltd.       Singapore × vision       (signed in the last quarter)
                                                            **launch**
=================================  =======================  ==================================

The three earlier quarters are evaluated here, so the history (verdicts, notices, the suggested
plans of the warnings) exists; the last closed quarter is left for a person to close with
``manage.py exclusivity_close_quarter``. The revoke takes effect after the contract's 60-day
notice period.

What the other demos already wrote is used as it is, with two adjustments kept to these five
distributors: the quarter's revenue threshold is set above the sales the demo already has for
the scope (so a quarter meant to fall short does), and a weekly update the reporting demo made
late in a quarter meant to qualify is counted as handed in on time. Missing weekly updates and
monthly summaries of the four quarters are added, handed in on time.

The story is written relative to the day it is first loaded; running the demo again adds
nothing (the seed is skipped once its contracts exist).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from partners import periods
from partners.demo.profile import (
    LATE_SIGNER,
    late_signer_starts_on,
    status_history_fit_contract,
)
from partners.models import (
    ClauseKind,
    Contract,
    ContractStatus,
    Distributor,
    Membership,
    ProductLine,
    Role,
    ScopeLine,
    Territory,
    Vendor,
)
from partners.platform.scope import tenant_scope
from partners.services import contracts as contract_services

DEMO_VENDOR = "kestrel"
REFERENCE_PREFIX = "EXCL-DEMO-"
NOTICE_DAYS = 60
QUARTERS = 4  # the last four closed quarters; the last one is left to close


@dataclass(frozen=True)
class Story:
    """One distributor's exclusive line and whether it meets its conditions each quarter
    (oldest first; ``None``: signed during the last closed quarter, still in launch)."""

    distributor: str
    territory: str
    country: str
    product_line: str
    meets: tuple[bool, ...] | None
    expected: str  # the outcome of the last closed quarter


STORIES = (
    Story("関西メカトロ販売株式会社", "Kansai", "JP", "Collaborative robots",
          (False, True, True, True), "renew"),
    Story("株式会社みなと産業機器", "Kyushu", "JP", "Collaborative robots",
          (True, True, True, False), "warn"),
    Story("Siam Robotics Co., Ltd.", "Bangkok", "TH", "Collaborative robots",
          (True, True, False, False), "revoke"),
    Story("Meridian Trading Pte. Ltd.", "Singapore", "SG", "Collaborative robots",
          (True, True, True, True), "scale"),
    Story(LATE_SIGNER, "Singapore", "SG", "Vision sensors", None, "launch"),
)  # fmt: skip
# A quarter's revenue threshold, at least, in the distributor's currency.
MIN_THRESHOLD = {"JPY": Decimal(30_000_000), "SGD": Decimal(200_000), "THB": Decimal(6_000_000)}


def closed_quarters(vendor: Vendor, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the vendor's last ``QUARTERS`` closed fiscal quarters, oldest first."""
    today = today or timezone.localdate()
    fiscal = vendor.fiscal_year_start_month
    current = periods.quarter_start(today, fiscal)
    return [periods.period_shift(periods.QUARTER, current, -n) for n in range(QUARTERS, 0, -1)]


def demo_seed(vendor: Vendor) -> int:
    """Write the exclusivity story of the demo vendor (see the module docstring) and evaluate
    its earlier quarters. Returns how many contracts were added (0 for another vendor and on a
    second run)."""
    if vendor.slug != DEMO_VENDOR:
        return 0
    with tenant_scope(vendor.id):
        if Contract.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
            return 0
        quarters = closed_quarters(vendor)
        with transaction.atomic():
            written = _seed(vendor, quarters)
    if written:
        # The earlier quarters, in order, as the daily job would have judged them.
        from scorecards.services.exclusivity import exclusivity_evaluate

        for quarter in quarters[:-1]:
            nxt = periods.period_shift(periods.QUARTER, quarter, 1)
            as_of = dt.datetime.combine(nxt + dt.timedelta(days=10), dt.time(), tzinfo=dt.UTC)
            started = timezone.now()
            exclusivity_evaluate(vendor_id=vendor.id, quarter_start=quarter, as_of=as_of)
            _backdate(vendor, quarter, started, as_of)
    return written


def _backdate(vendor: Vendor, quarter: dt.date, started: dt.datetime, when: dt.datetime) -> None:
    """Date what the evaluation of an earlier quarter wrote (its verdicts, the plans it
    suggested or withdrew) on the day the daily job would have written it, so the timeline
    reads as a history."""
    from scorecards.models import CorrectivePlan, ExclusivityVerdict

    with tenant_scope(vendor.id):
        ExclusivityVerdict.objects.filter(quarter_start=quarter, computed_at__gte=started).update(
            computed_at=when
        )
        CorrectivePlan.objects.filter(created_at__gte=started).update(created_at=when)
        CorrectivePlan.objects.filter(closed_at__gte=started).update(closed_at=when)


def _seed(vendor: Vendor, quarters: list[dt.date]) -> int:
    admin = _member(vendor, Role.VENDOR_ADMIN)
    manager = _member(vendor, Role.CHANNEL_MANAGER) or admin
    if admin is None:
        return 0
    distributors = {d.name: d for d in Distributor.objects.filter(vendor=vendor)}
    written = 0
    for n, story in enumerate(STORIES, start=1):
        distributor = distributors.get(story.distributor)
        if distributor is None:
            continue
        territory = Territory.objects.filter(name=story.territory).order_by("id").first()
        if territory is None:
            territory = Territory.objects.create(
                vendor=vendor, name=story.territory, country=story.country
            )
        product = ProductLine.objects.filter(name=story.product_line).order_by("id").first()
        if product is None:
            product = ProductLine.objects.create(vendor=vendor, name=story.product_line)
        if story.meets is None:  # signed during the last closed quarter
            starts_on = late_signer_starts_on(vendor)
        else:  # five quarters before the oldest judged one, so its launch is long over
            starts_on = periods.period_shift(periods.QUARTER, quarters[0], -2)
        contract = contract_services.contract_create(
            vendor=vendor,
            actor=admin,
            distributor=distributor,
            reference=f"{REFERENCE_PREFIX}{distributor.country}-{n:02d}",
            status=ContractStatus.ACTIVE,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=3 * 365),
            signed_on=starts_on - dt.timedelta(days=14),
            notice_days=NOTICE_DAYS,
            exit_rights=(
                "Exclusivity is renewed quarter by quarter while the scope's revenue, reporting "
                "and QBR conditions hold; one warning quarter before it ends."
            ),
            scope_lines=[{"territory": territory, "product_line": product, "exclusive": True}],
        )
        written += 1
        status_history_fit_contract(
            distributor=distributor, signed_on=contract.signed_on or starts_on, starts_on=starts_on
        )
        line = ScopeLine.objects.get(contract=contract)
        quarter_sales = [_scope_revenue(distributor, product, q) for q in quarters]
        threshold = _threshold(distributor.currency, max(quarter_sales))
        contract_services.clause_create(
            vendor=vendor,
            actor=admin,
            contract=contract,
            kind=ClauseKind.MIN_REVENUE,
            scope_line=line,
            amount=threshold,
            currency=distributor.currency,
        )
        contract_services.clause_create(
            vendor=vendor, actor=admin, contract=contract, kind=ClauseKind.QBR_ATTENDANCE
        )
        if story.meets is None:
            continue
        for quarter, meets, sold in zip(quarters, story.meets, quarter_sales, strict=True):
            if meets:
                _sell(vendor, admin, distributor, product, quarter, threshold * 6 / 5 - sold)
                _qbr(vendor, manager, distributor, quarter + dt.timedelta(days=45))
            elif quarter != quarters[-1]:
                _qbr(vendor, manager, distributor, quarter + dt.timedelta(days=45))
        _reports(vendor, distributor, quarters, story.meets)
        if distributor.owner_id is None and manager is not None:
            distributor.owner = manager
            distributor.save(update_fields=["owner"])
    return written


def _member(vendor: Vendor, role: str) -> Membership | None:
    return (
        Membership.objects.filter(vendor=vendor, role=role, is_active=True).order_by("id").first()
    )


def _scope_revenue(distributor: Distributor, product: ProductLine, quarter: dt.date) -> Decimal:
    """The sales the other demos already wrote that count for the scope in the quarter (the
    evaluation's rule: matched to the product line, or an unmatched code with its prefix)."""
    from reporting.models import SalesLine

    nxt = periods.period_shift(periods.QUARTER, quarter, 1)
    match = Q(product_line=product)
    if product.code:
        match |= Q(product_line__isnull=True, product_code__startswith=product.code)
    else:
        match |= Q(product_line__isnull=True)
    total = SalesLine.objects.filter(
        match, distributor=distributor, invoice_date__gte=quarter, invoice_date__lt=nxt
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def _threshold(currency: str, most_sold: Decimal) -> Decimal:
    """A round threshold at least the currency's minimum and 2.5 times the most the scope
    already sold in a quarter, so a quarter meant to fall short does."""
    floor = MIN_THRESHOLD.get(currency, Decimal(200_000))
    wanted = max(floor, most_sold * Decimal("2.5"))
    step = floor / 10
    return (wanted / step).quantize(Decimal(1), rounding=ROUND_CEILING) * step


def _sell(vendor, admin, distributor, product, quarter: dt.date, amount: Decimal) -> None:
    """Three invoices in the quarter's months for ``amount`` in all, through the ERP's bulk
    service (matched to the scope's product line by name)."""
    from reporting.services.sellout import sales_lines_bulk_upsert

    if amount <= 0:
        return
    amount = amount.quantize(Decimal(1), rounding=ROUND_CEILING)
    parts = [(amount / 3).quantize(Decimal(1))] * 2
    parts.append(amount - sum(parts))
    code = product.code or "KR"
    lines = []
    for month, part in enumerate(parts):
        day = periods.add_months(quarter, month) + dt.timedelta(days=9)
        lines.append(
            {
                "invoice_number": f"EX{day:%y%m}-{distributor.pk}",
                "line_number": 1,
                "invoice_date": day.isoformat(),
                "product_code": f"{code}-EX{month + 1}",
                "product_name": f"{product.name} project",
                "product_line": product.name,
                "quantity": "1",
                "amount": str(part),
                "due_date": (day + dt.timedelta(days=30)).isoformat(),
            }
        )
    sales_lines_bulk_upsert(vendor=vendor, actor=admin, distributor=distributor, lines=lines)


def _qbr(vendor, manager, distributor, held_on: dt.date) -> None:
    from scorecards.services.qbr import qbr_meeting_record

    qbr_meeting_record(
        vendor=vendor,
        actor=manager,
        distributor=distributor,
        held_on=held_on,
        notes="Quarterly business review: pipeline, stock and the next quarter's plan.",
    )


def _reports(vendor, distributor, quarters: list[dt.date], meets: tuple[bool, ...]) -> None:
    """Every weekly update of the judged quarters and every monthly summary falling due in
    them, handed in on time where the reporting demo wrote none; a late weekly update in a
    quarter meant to qualify is counted as handed in on time."""
    from reporting.calendar import due_calendar_for, monthly_due, weekly_due
    from reporting.demo.seed import _TEXT, _make
    from reporting.models import Report, ReportKind, ReportVersion

    calendar = due_calendar_for(vendor)
    text = _TEXT["ja" if distributor.language == "ja" else "en"]
    now = timezone.now()
    existing = set(
        Report.objects.filter(distributor=distributor).values_list("kind", "period_start")
    )
    first, after = quarters[0], periods.period_shift(periods.QUARTER, quarters[-1], 1)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    seed = 0
    while monday < after:
        due_at = weekly_due(calendar, distributor, monday)
        if (ReportKind.WEEKLY, monday) not in existing and due_at < now:
            seed += 1
            _make(
                vendor, distributor, kind=ReportKind.WEEKLY, period_start=monday,
                period_end=monday + dt.timedelta(days=6), due_at=due_at,
                outcome="acknowledged", text=text, seed=seed,
            )  # fmt: skip
        monday += dt.timedelta(weeks=1)
    month = periods.add_months(first, -1)
    while month < periods.add_months(after, -1):
        due_at = monthly_due(calendar, distributor, month)
        if (ReportKind.MONTHLY, month) not in existing and due_at < now:
            seed += 1
            _make(
                vendor, distributor, kind=ReportKind.MONTHLY, period_start=month,
                period_end=periods.add_months(month, 1) - dt.timedelta(days=1), due_at=due_at,
                outcome="acknowledged", text=text, seed=seed,
            )  # fmt: skip
        month = periods.add_months(month, 1)
    for quarter, qualifies in zip(quarters, meets, strict=True):
        if not qualifies:
            continue
        nxt = periods.period_shift(periods.QUARTER, quarter, 1)
        for report in Report.objects.filter(
            distributor=distributor,
            kind=ReportKind.WEEKLY,
            period_start__gte=quarter,
            period_start__lt=nxt,
            submitted_at__isnull=False,
        ):
            if report.submitted_at and report.submitted_at <= report.due_at:
                continue
            on_time = report.due_at - dt.timedelta(hours=3)
            Report.objects.filter(pk=report.pk).update(
                submitted_at=on_time, last_submitted_at=on_time
            )
            ReportVersion.objects.filter(report=report, number=1).update(
                submitted_at=on_time, was_late=False
            )

"""Demo reports for a demo vendor (``manage.py demo_data`` calls ``demo_seed`` of every app config
with a ``demo_module``; see ``ReportingConfig``).

For each active distributor: the last 8 weekly updates and the last 2 monthly summaries, with
realistic content (in Japanese for Japanese-speaking distributors). Most are handed in on time
and acknowledged; some are late; a couple wait for review; one is returned for correction; one
is missed. Due moments are computed simply here (weekly: the Monday after the week, 12:00 in the
distributor's time zone; monthly: the 5th weekday of the next month, 12:00); the schedule area
owns the real calendar. Running it again adds nothing: a report that exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partners import periods
from partners.demo.money import demo_price_scale
from partners.models import Distributor, DistributorStatus, Membership, Role, Vendor
from partners.platform.scope import tenant_scope
from reporting.calendar import due_calendar_for, monthly_due, weekly_due
from reporting.models import (
    MonthlySummary,
    Report,
    ReportKind,
    ReportReview,
    ReportReviewAction,
    ReportStatus,
    ReportVersion,
    WeeklyUpdate,
)
from reporting.services.schedule import reports_open

WEEKS = 14  # the schedule catches up 13 weeks: the demo leaves it no gap to flag
MONTHS = 4

_TEXT = {
    "en": {
        "blockers": [
            ("pricing", "List price 8% above the local competitor"),
            ("stock", "Two weeks' wait for the demo units"),
            ("competitor", "Rival offering free installation"),
            ("compliance", "Customer asks for the local safety certificate"),
        ],
        "priorities": [
            "Close the pilot with the packaging plant",
            "Run the product demo for two resellers",
            "Send the updated quote to the logistics customer",
            "Train the new sales engineer",
        ],
        "marketing": "Joint webinar with 45 attendees; trade show booth",
        "escalations": "Need faster approval of the special price for the key account",
        "stockout_notes": "Spare parts kit out of stock for 5 days",
        "forecast_notes": "Two large orders expected after the budget cycle",
        "return": "Meetings held look low against the visits in the CRM; please check and resubmit.",
        "ack": "Thank you, good progress on the pilot.",
    },
    "ja": {
        "blockers": [
            ("pricing", "競合製品より定価が8%高い"),
            ("stock", "デモ機の納期が2週間"),
            ("competitor", "競合が設置費無料を提示"),
            ("compliance", "顧客から国内の安全認証を求められている"),
        ],
        "priorities": [
            "包装工場とのパイロット契約を締結",
            "販売店2社向けに製品デモを実施",
            "物流顧客へ改訂見積を送付",
            "新任営業エンジニアの研修",
        ],
        "marketing": "共同ウェビナーを開催（参加者45名）、展示会に出展",
        "escalations": "重点顧客向け特別価格の承認を早めてほしい",
        "stockout_notes": "保守部品キットが5日間欠品",
        "forecast_notes": "予算確定後に大型案件2件の受注見込み",
        "return": "商談件数がCRMの訪問記録と比べて少ないようです。確認のうえ再提出してください。",
        "ack": "ありがとうございます。パイロットの進捗が良いですね。",
    },
}


def _weekly_content(report, text, seed: int) -> dict:
    blockers = [
        {"tag": tag, "text": words}
        for tag, words in (text["blockers"][seed % 4], text["blockers"][(seed + 1) % 4])
    ]
    return {
        "new_leads": 3 + seed % 5,
        "meetings_held": 2 + seed % 4,
        "opportunities_discovery": 4 + seed % 3,
        "opportunities_proposal": 2 + seed % 2,
        "opportunities_negotiation": 1 + seed % 2,
        "blockers": blockers,
        "priorities": [text["priorities"][(seed + i) % 4] for i in range(3)],
    }


def _monthly_content(distributor, text, seed: int) -> dict:
    units = 80 + 15 * (seed % 4)
    scale = demo_price_scale(distributor.currency)
    price = Decimal("320") if scale == 1 else Decimal(450) * scale  # ¥45,000, Rp4,500,000
    return {
        "currency": distributor.currency,
        "units_sold": units,
        "revenue": str(price * units),
        "leads": 30 + seed % 7,
        "quotes": 10 + seed % 4,
        "orders": 5 + seed % 3,
        "inventory_units": 250 - 10 * (seed % 5),
        "stockouts": seed % 2,
        "stockout_notes": text["stockout_notes"] if seed % 2 else "",
        "forecast_units": 180 + 10 * (seed % 3),
        "forecast_revenue": str(price * (180 + 10 * (seed % 3))),
        "forecast_notes": text["forecast_notes"],
        "marketing_actions": text["marketing"],
        "escalations": text["escalations"] if seed % 3 == 0 else "",
    }


def _reviewer(vendor: Vendor, distributor: Distributor) -> Membership | None:
    if distributor.owner_id:
        return distributor.owner
    return (
        Membership.objects.filter(
            vendor=vendor, role__in=[Role.CHANNEL_MANAGER, Role.VENDOR_ADMIN], is_active=True
        )
        .order_by("role", "id")
        .first()
    )


def _submitter(distributor: Distributor) -> Membership | None:
    return (
        Membership.objects.filter(
            distributor=distributor,
            role__in=[Role.DISTRIBUTOR_USER, Role.DISTRIBUTOR_ADMIN],
            is_active=True,
        )
        .order_by("-role", "id")
        .first()
    )


def _make(vendor, distributor, *, kind, period_start, period_end, due_at, outcome, text, seed):
    """One report with its content, version and review as ``outcome`` says: "acknowledged",
    "late", "waiting", "returned", "missed" or "open" (not yet due)."""
    now = timezone.now()
    report = Report.objects.create(
        vendor=vendor,
        distributor=distributor,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        due_at=due_at,
    )
    if outcome == "open":
        return report
    if outcome == "missed":
        report.missed_at = min(now, due_at + dt.timedelta(days=2))
        report.save(update_fields=["missed_at"])
        return report
    data = (
        _weekly_content(report, text, seed)
        if kind == ReportKind.WEEKLY
        else _monthly_content(distributor, text, seed)
    )
    if kind == ReportKind.WEEKLY:
        WeeklyUpdate.objects.create(vendor=vendor, report=report, **data)
    else:
        MonthlySummary.objects.create(vendor=vendor, report=report, **data)
    late = outcome == "late"
    submitted_at = due_at + (dt.timedelta(hours=26) if late else -dt.timedelta(hours=5 + seed % 40))
    submitted_at = min(submitted_at, now)
    submitter = _submitter(distributor)
    ReportVersion.objects.create(
        vendor=vendor,
        report=report,
        number=1,
        data=data,
        submitted_by=submitter,
        submitted_at=submitted_at,
        was_late=submitted_at > due_at,
    )
    report.submitted_at = report.last_submitted_at = submitted_at
    report.submitted_by = submitter
    report.version_count = 1
    report.status = ReportStatus.SUBMITTED
    reviewer = _reviewer(vendor, distributor)
    if outcome in ("acknowledged", "late", "returned") and reviewer is not None:
        returned = outcome == "returned"
        report.status = ReportStatus.RETURNED if returned else ReportStatus.ACKNOWLEDGED
        report.reviewed_at = min(now, submitted_at + dt.timedelta(hours=20))
        report.reviewed_by = reviewer
        review = ReportReview.objects.create(
            vendor=vendor,
            report=report,
            action=ReportReviewAction.RETURN if returned else ReportReviewAction.ACKNOWLEDGE,
            comment=text["return"] if returned else (text["ack"] if seed % 3 == 0 else ""),
            version_number=1,
            author=reviewer,
        )
        ReportReview.objects.filter(pk=review.pk).update(created_at=report.reviewed_at)
    report.save()
    return report


def _weekly_outcome(index: int, week: int, due_at: dt.datetime) -> str:
    """``week`` 1 is the most recent. A couple wait for review, one is returned, one missed,
    some are late; the rest acknowledged."""
    if due_at > timezone.now():
        return "open"
    if week == 1 and index in (0, 1):
        return "waiting"
    if week == 2 and index == 2:
        return "returned"
    if week == 3 and index == 3:
        return "missed"
    if (index + week) % 5 == 0:
        return "late"
    return "acknowledged"


def demo_seed(vendor: Vendor) -> int:
    """Create the demo reports of ``vendor``'s active distributors that do not exist yet.
    Returns how many reports were created."""
    created = 0
    with tenant_scope(vendor.id), transaction.atomic():
        distributors = list(
            Distributor.objects.filter(vendor=vendor, status=DistributorStatus.ACTIVE)
            .select_related("owner")
            .order_by("id")
        )
        existing = set(
            Report.objects.filter(vendor=vendor).values_list(
                "distributor_id", "kind", "period_start"
            )
        )
        # Due moments from the vendor's real calendar (holidays, closures, time zones).
        calendar = due_calendar_for(vendor)
        for index, distributor in enumerate(distributors):
            text = _TEXT["ja" if distributor.language == "ja" else "en"]
            today = distributor.local_today()
            # Week 1 is the latest week already due (the current one is the schedule's to open).
            latest = today - dt.timedelta(days=today.weekday() + 7)
            if weekly_due(calendar, distributor, latest) > timezone.now():
                latest -= dt.timedelta(weeks=1)
            for week in range(1, WEEKS + 1):
                start = latest - dt.timedelta(weeks=week - 1)
                if (distributor.pk, ReportKind.WEEKLY, start) in existing:
                    continue
                due_at = weekly_due(calendar, distributor, start)
                _make(
                    vendor,
                    distributor,
                    kind=ReportKind.WEEKLY,
                    period_start=start,
                    period_end=start + dt.timedelta(days=6),
                    due_at=due_at,
                    outcome=_weekly_outcome(index, week, due_at),
                    text=text,
                    seed=index * 7 + week,
                )
                created += 1
            month = today.replace(day=1)
            for back in range(1, MONTHS + 1):
                month = (month - dt.timedelta(days=1)).replace(day=1)
                if (distributor.pk, ReportKind.MONTHLY, month) in existing:
                    continue
                due_at = monthly_due(calendar, distributor, month)
                outcome = "open" if due_at > timezone.now() else "acknowledged"
                if outcome != "open" and back == 1 and index == 0:
                    outcome = "waiting"
                _make(
                    vendor,
                    distributor,
                    kind=ReportKind.MONTHLY,
                    period_start=month,
                    period_end=periods.period_end(periods.MONTH, month),
                    due_at=due_at,
                    outcome=outcome,
                    text=text,
                    seed=index * 3 + back,
                )
                created += 1
    # The periods that have just ended (last week, last month) open as the hourly sweep would
    # open them, so the partners' homes show a report to fill in.
    with tenant_scope(vendor.id):
        created += reports_open(vendor=vendor)
    demo_sales_seed(vendor)
    return created


# --- sell-out ----------------------------------------------------------------------------------

_OUTLETS = {
    "ja": ["東京ファクトリー株式会社", "大阪精機工業", "名古屋オートメーション", "横浜ロジスティクス", "福岡テクノサービス"],
    "en": ["Harbour Works", "Metro Assembly", "Lakeside Packaging", "Northgate Electronics", "Sunrise Foods"],
}  # fmt: skip
SALES_MONTHS = 3


def demo_sales_seed(vendor: Vendor) -> int:
    """Sell-out lines for the demo: per active distributor, a few invoices a month over the last
    three months to five outlets (one credit note), written through the bulk service an ERP
    uses. Idempotent: distributors that have sales lines are left alone."""
    from reporting.models import SalesLine
    from reporting.services.sellout import sales_lines_bulk_upsert

    written = 0
    with tenant_scope(vendor.id):
        admin = (
            Membership.objects.filter(vendor=vendor, role=Role.VENDOR_ADMIN, is_active=True)
            .order_by("id")
            .first()
        )
        if admin is None:
            return 0
        distributors = list(
            Distributor.objects.filter(vendor=vendor, status=DistributorStatus.ACTIVE)
            .prefetch_related("product_lines")
            .order_by("id")
        )
        seeded = set(SalesLine.objects.values_list("distributor_id", flat=True).distinct())
        for index, distributor in enumerate(distributors):
            if distributor.pk in seeded:
                continue  # a second run adds nothing (and writes no audit event)
            lines_of = [pl.name for pl in distributor.product_lines.all()] or [""]
            outlets = _OUTLETS["ja" if distributor.language == "ja" else "en"]
            scale = demo_price_scale(distributor.currency)
            today = distributor.local_today()
            lines = []
            for back in range(SALES_MONTHS):
                month = (today.replace(day=1) - dt.timedelta(days=31 * back)).replace(day=1)
                for n in range(4):
                    day = month + dt.timedelta(days=3 + n * 6)
                    if day > today:
                        continue
                    seed = index * 31 + back * 7 + n
                    invoice = f"D{distributor.pk}-{day:%y%m}-{n + 1:02d}"
                    outlet = seed % len(outlets)
                    for line_no in range(1, 2 + seed % 3):
                        quantity = 1 + (seed + line_no) % 9
                        credit = back == 1 and n == 0 and line_no == 1
                        lines.append(
                            {
                                "invoice_number": invoice,
                                "line_number": line_no,
                                "invoice_date": day.isoformat(),
                                "outlet_code": f"C{outlet + 1:03d}",
                                "outlet_name": outlets[outlet],
                                "product_code": f"P-{100 + (seed + line_no) % 7}",
                                "product_name": f"Model {100 + (seed + line_no) % 7}",
                                "product_line": lines_of[(seed + line_no) % len(lines_of)],
                                "quantity": -1 if credit else quantity,
                                "amount": str(
                                    (-1 if credit else quantity) * (Decimal(420) + seed) * scale
                                ),
                                "due_date": (day + dt.timedelta(days=30)).isoformat(),
                            }
                        )
            if lines:
                result = sales_lines_bulk_upsert(
                    vendor=vendor, actor=admin, distributor=distributor, lines=lines
                )
                written += result["created"] + result["updated"]
    return written

"""Scorecard jobs: recompute a period for a vendor when its inputs changed, and nightly;
corrective plans suggested from red KPIs after the nightly run, and their reminders."""

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from partners.models import Vendor
from partners.platform.tasks import TenantTask


@shared_task(name="scorecards.tasks.scorecards_recompute_task", acks_late=True)
def scorecards_recompute_task(vendor_id: int, period_kind: str, period_start: str) -> bool:
    """Compute one period of a vendor's scorecards that was requested (claims the request: a
    second run, or a run while another holds it, does nothing). Not a TenantTask: the claim,
    the computation and the release are transactions of their own, each in the vendor's
    scope, so a request arriving meanwhile is seen."""
    from scorecards.services.recompute import scorecards_recompute_run

    return scorecards_recompute_run(
        vendor_id=vendor_id,
        period_kind=period_kind,
        period_start=dt.date.fromisoformat(period_start),
    )


@shared_task(name="scorecards.tasks.scorecards_vendor_nightly_task", acks_late=True)
def scorecards_vendor_nightly_task(vendor_id: int) -> int:
    """Request one vendor's current and previous month and quarter (coalesced with any
    pending request, so running it twice queues nothing twice)."""
    from scorecards.services.recompute import scorecards_nightly_request

    return scorecards_nightly_request(vendor_id=vendor_id)


@shared_task(name="scorecards.tasks.scorecards_nightly_task")
def scorecards_nightly_task() -> int:
    """Nightly: one request task per active vendor (vendors without KPIs stop there)."""
    with scopes_disabled():
        vendor_ids = list(Vendor.objects.filter(is_active=True).values_list("id", flat=True))
    for vendor_id in vendor_ids:
        scorecards_vendor_nightly_task.delay(vendor_id)
    return len(vendor_ids)


# --- conditional exclusivity --------------------------------------------------------------------


@shared_task(name="scorecards.tasks.exclusivity_vendor_daily_task", acks_late=True)
def exclusivity_vendor_daily_task(vendor_id: int, today: str | None = None) -> dict:
    """One vendor's daily exclusivity work: evaluate the quarter that closed last (once, after
    the rules' delay) and apply the revokes due. Not a TenantTask: the evaluation and the
    revokes are transactions of their own, each in the vendor's scope. Safe to run twice."""
    from scorecards.services.exclusivity import exclusivity_daily

    return exclusivity_daily(
        vendor_id=vendor_id, today=dt.date.fromisoformat(today) if today else None
    )


@shared_task(name="scorecards.tasks.exclusivity_daily_task")
def exclusivity_daily_task() -> int:
    """Daily: one exclusivity task per active vendor."""
    with scopes_disabled():
        vendor_ids = list(Vendor.objects.filter(is_active=True).values_list("id", flat=True))
    for vendor_id in vendor_ids:
        exclusivity_vendor_daily_task.delay(vendor_id)
    return len(vendor_ids)


# --- corrective plans --------------------------------------------------------------------------


@shared_task(base=TenantTask, name="scorecards.tasks.plans_suggest_task", acks_late=True)
def plans_suggest_task(vendor_id: int, month_start: str) -> int:
    """Suggest corrective plans to a vendor's distributors with the same KPI red in a month
    and the month before (a second run suggests nothing more)."""
    from scorecards.services.plans import plan_suggest_from_reds

    vendor = Vendor.objects.get(pk=vendor_id)
    return plan_suggest_from_reds(vendor=vendor, month_start=dt.date.fromisoformat(month_start))


@shared_task(name="scorecards.tasks.plans_suggest_sweep_task")
def plans_suggest_sweep_task() -> int:
    """Daily, after the nightly scorecards: one suggestion task per active vendor for the last
    month that has ended."""
    from partners import periods

    month = periods.add_months(periods.month_start(timezone.now().date()), -1)
    with scopes_disabled():
        vendor_ids = list(Vendor.objects.filter(is_active=True).values_list("id", flat=True))
    for vendor_id in vendor_ids:
        plans_suggest_task.delay(vendor_id, month.isoformat())
    return len(vendor_ids)


@shared_task(base=TenantTask, name="scorecards.tasks.plan_reminders_send_task", acks_late=True)
def plan_reminders_send_task(vendor_id: int) -> int:
    """Queue a vendor's due plan reminders (actions due soon or overdue, reviews due), once
    each."""
    from scorecards.services.plans import plan_reminders_send

    vendor = Vendor.objects.get(pk=vendor_id)
    return plan_reminders_send(vendor=vendor)


@shared_task(name="scorecards.tasks.plan_reminders_sweep_task")
def plan_reminders_sweep_task() -> int:
    """Daily: one reminder task per active vendor (running it twice queues nothing twice)."""
    with scopes_disabled():
        vendor_ids = list(Vendor.objects.filter(is_active=True).values_list("id", flat=True))
    for vendor_id in vendor_ids:
        plan_reminders_send_task.delay(vendor_id)
    return len(vendor_ids)

"""Scorecard jobs: recompute a period for a vendor when its inputs changed, and nightly."""

import datetime as dt

from celery import shared_task
from django_scopes import scopes_disabled

from partners.models import Vendor


@shared_task(name="scorecards.tasks.scorecards_recompute_task", acks_late=True)
def scorecards_recompute_task(vendor_id: int, period_kind: str, period_start: str) -> bool:
    """Compute one period of a vendor's scorecards that was requested (claims the request: a
    second run, or a run while another holds it, does nothing). Not a TenantTask: the claim,
    the computation and the release are transactions of their own, each in the vendor's
    scope, so a request arriving meanwhile is seen."""
    from scorecards.services.runs import scorecards_recompute_run

    return scorecards_recompute_run(
        vendor_id=vendor_id,
        period_kind=period_kind,
        period_start=dt.date.fromisoformat(period_start),
    )


@shared_task(name="scorecards.tasks.scorecards_vendor_nightly_task", acks_late=True)
def scorecards_vendor_nightly_task(vendor_id: int) -> int:
    """Request one vendor's current and previous month and quarter (coalesced with any
    pending request, so running it twice queues nothing twice)."""
    from scorecards.services.runs import scorecards_nightly_request

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

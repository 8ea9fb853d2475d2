"""Recomputing scorecards when their inputs change, with bursts coalesced, and nightly.

``scorecards_recompute_request`` upserts one ``ScorecardRecompute`` row per vendor and period
(however many changes arrive) and, after the transaction commits, queues the worker
(``scorecards.tasks.scorecards_recompute_task``) with a short delay. The worker calls
``scorecards_recompute_run``, which claims the row, computes the period for the whole vendor,
and deletes the row unless it was requested again meanwhile.

The claim, the computation and the finish are three short transactions of their own: a request
arriving while the computation runs moves ``requested_at`` on the committed row, and the finish
sees it (one long transaction would hide it and drop the request).

The worker is enqueued by its task name (``enqueue_on_commit``), so this module does not import
``scorecards.tasks``, which imports it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from partners import periods
from partners.platform.scope import tenant_scope
from partners.platform.tasks import enqueue_on_commit
from scorecards.models import ScorecardRecompute
from scorecards.selectors.policy import scoring_settings
from scorecards.services.compute import scorecards_compute

# Changes within this many seconds are computed in one run.
COALESCE_SECONDS = 30
# A claim older than this belongs to a worker that died (the task time limit is 15 minutes).
CLAIM_EXPIRES = dt.timedelta(minutes=20)
_RECOMPUTE_TASK = "scorecards.tasks.scorecards_recompute_task"


def scorecards_recompute_request(
    *, vendor_id: int, period_kind: str, period_start: dt.date
) -> None:
    """Ask for the vendor's scorecards of one period to be computed again (inside the vendor's
    tenant scope). Safe to call for every change: a pending request absorbs the next ones."""
    now = timezone.now()
    request, created = ScorecardRecompute.objects.get_or_create(
        vendor_id=vendor_id,
        period_kind=period_kind,
        period_start=period_start,
        defaults={"requested_at": now},
    )
    if not created:
        ScorecardRecompute.objects.filter(pk=request.pk).update(requested_at=now)
        if request.claimed_at is None:
            return  # a run is already queued and will see this change
    _queue(vendor_id, period_kind, period_start)


def scorecards_recompute_run(*, vendor_id: int, period_kind: str, period_start: dt.date) -> bool:
    """Claim the vendor's pending recompute of one period, compute it, then delete the request,
    or, when it was requested again during the computation, release it and queue another run.
    Returns False (and does nothing) when there is no request or another worker holds it."""
    now = timezone.now()
    with tenant_scope(vendor_id):
        pending = ScorecardRecompute.objects.filter(
            vendor_id=vendor_id, period_kind=period_kind, period_start=period_start
        )
        claimed = pending.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
        ).update(claimed_at=now)
        if not claimed:
            return False
        # The row is ours (and locked) until this transaction ends: the request time read now
        # is the one this computation answers.
        pk, requested_at = pending.values_list("pk", "requested_at").get()
    try:
        scorecards_compute(vendor_id=vendor_id, period_kind=period_kind, period_start=period_start)
    except Exception:
        with tenant_scope(vendor_id):
            ScorecardRecompute.objects.filter(pk=pk).update(claimed_at=None)
        raise
    with tenant_scope(vendor_id):
        done = ScorecardRecompute.objects.filter(pk=pk, requested_at=requested_at).delete()[0]
        if not done:
            ScorecardRecompute.objects.filter(pk=pk).update(claimed_at=None)
            _queue(vendor_id, period_kind, period_start)
    return True


def _queue(vendor_id: int, period_kind: str, period_start: dt.date) -> None:
    """Queue a run of the worker after the transaction commits, delayed so that a burst of
    changes is computed once."""
    enqueue_on_commit(
        _RECOMPUTE_TASK,
        vendor_id,
        period_kind,
        period_start.isoformat(),
        countdown=COALESCE_SECONDS,
    )


def scorecard_periods_around(day: dt.date, fiscal_start_month: int) -> list[tuple[str, dt.date]]:
    """The current and previous month and fiscal quarter of ``day``."""
    month = periods.month_start(day)
    quarter = periods.quarter_start(day, fiscal_start_month)
    return [
        (periods.MONTH, month),
        (periods.MONTH, periods.add_months(month, -1)),
        (periods.QUARTER, quarter),
        (periods.QUARTER, periods.add_months(quarter, -3)),
    ]


def scorecards_nightly_request(*, vendor_id: int, today: dt.date | None = None) -> int:
    """Request the recompute of the vendor's current and previous month and fiscal quarter
    (reports fall due and sales arrive late, so yesterday's figures move). A vendor without
    KPIs is skipped. Returns the number of periods requested."""
    today = today or timezone.now().date()
    with tenant_scope(vendor_id):
        settings = scoring_settings(vendor_id=vendor_id)
        if not settings.has_kpis:
            return 0
        wanted = scorecard_periods_around(today, settings.fiscal_year_start_month)
        for kind, start in wanted:
            scorecards_recompute_request(vendor_id=vendor_id, period_kind=kind, period_start=start)
    return len(wanted)

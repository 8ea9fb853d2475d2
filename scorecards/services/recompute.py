"""Recomputing scorecards when their inputs change, with bursts coalesced.

``scorecards_recompute_request`` upserts one ``ScorecardRecompute`` row per vendor and period
(however many changes arrive) and, after the transaction commits, queues the worker with a short
delay; the worker (``scorecards.tasks.scorecards_recompute_task``) claims the row, computes the
period for the whole vendor, and deletes the row unless it was requested again meanwhile.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from scorecards.models import ScorecardRecompute

# Changes within this many seconds are computed in one run.
COALESCE_SECONDS = 30


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
    from scorecards.tasks import scorecards_recompute_task

    transaction.on_commit(
        lambda: scorecards_recompute_task.apply_async(
            args=(vendor_id, period_kind, period_start.isoformat()), countdown=COALESCE_SECONDS
        )
    )

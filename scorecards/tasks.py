"""Scorecard jobs: recompute a period for a vendor when its inputs changed, and nightly."""

from celery import shared_task


@shared_task(acks_late=True)
def scorecards_recompute_task(vendor_id: int, period_kind: str, period_start: str) -> None:
    """Not built yet: computed by scorecards.services.compute (arrives with the engine)."""

"""The 30-day launch checklist of a distributor that goes active."""

from __future__ import annotations


def launch_checklist_ensure(*, vendor, actor, distributor, start_date):
    """Create the distributor's launch checklist from the vendor's template, once: calling it
    again for the same distributor returns the existing checklist."""
    return None

"""The vendor's scorecard policy, read by every area of the app."""

from __future__ import annotations

from partners.models import Vendor
from scorecards.models import ScorecardPolicy


def policy_get(*, vendor: Vendor) -> ScorecardPolicy:
    """The vendor's scorecard policy (the defaults, unsaved, when it has none yet: a page view
    never writes one)."""
    return ScorecardPolicy.objects.filter(vendor=vendor).first() or ScorecardPolicy(vendor=vendor)

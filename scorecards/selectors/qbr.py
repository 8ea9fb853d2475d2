"""Reads of QBR meetings (``scorecards.models.qbr``). Whether a QBR was held in a quarter, for
exclusivity, is one of the facts of ``scorecards.selectors.exclusivity_facts``."""

from __future__ import annotations

from django.db.models import QuerySet

from partners.models import Membership, Vendor
from scorecards.models import QbrMeeting


def qbr_meeting_list_for_actor(
    *, vendor: Vendor, actor: Membership, distributor_id: int | None = None
) -> QuerySet[QbrMeeting]:
    """The QBRs held that ``actor`` may read, newest first: all of the vendor's for its staff,
    only its own distributor's for a distributor's people; of one distributor with
    ``distributor_id``."""
    qs = QbrMeeting.objects.filter(vendor=vendor)
    if not actor.is_staff_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    if distributor_id is not None:
        qs = qs.filter(distributor_id=distributor_id)
    return qs.order_by("-held_on", "-id")

"""QBR writes. For now: recording that a quarterly business review was held."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Distributor, Membership, Vendor
from partners.services.audit import audit_record
from scorecards.models import QbrMeeting


def qbr_meeting_record(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    held_on: dt.date | None,
    notes: str = "",
) -> QbrMeeting:
    """Record that a QBR with ``distributor`` was held on ``held_on`` (vendor admins and channel
    managers; not in the future). Audited."""
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers record QBRs."))
    if distributor is None or distributor.vendor_id != vendor.id:
        raise ValidationError({"distributor": _("Choose a distributor of this workspace.")})
    if held_on is None:
        raise ValidationError({"held_on": _("Enter the date the QBR was held.")})
    if held_on > distributor.local_today():
        raise ValidationError({"held_on": _("A QBR cannot be recorded before it is held.")})
    with transaction.atomic():
        meeting = QbrMeeting.objects.create(
            vendor=vendor,
            distributor=distributor,
            held_on=held_on,
            notes=(notes or "").strip(),
            recorded_by=actor.user,
        )
        audit_record(
            vendor=vendor,
            actor=actor,
            action="qbr.meeting.record",
            obj=meeting,
            changes={
                "distributor": [None, distributor.pk],
                "held_on": [None, held_on.isoformat()],
                "recorded_at": [None, timezone.now().isoformat()],
            },
        )
    return meeting

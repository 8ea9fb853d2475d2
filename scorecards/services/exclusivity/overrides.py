"""What people in charge do with a verdict: override its outcome, or hold a revoke."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Membership, Vendor
from partners.services.audit import audit_record
from scorecards.models import ExclusivityVerdict, VerdictOutcome
from scorecards.services.exclusivity.evaluate import _mirror_on_contract, verdict_effective_on


def verdict_override(
    *, vendor: Vendor, actor: Membership, verdict: ExclusivityVerdict, outcome: str, reason: str
) -> ExclusivityVerdict:
    """Replace a verdict's outcome with a written reason (vendor admins only; audited). What
    counts from then on is the override: a revoke overridden is not applied, and the next
    quarter's warnings and streaks read it. An applied revoke cannot be overridden (amend the
    contract instead)."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only vendor admins override exclusivity verdicts."))
    if verdict.vendor_id != vendor.id:
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if outcome not in VerdictOutcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if not reason:
        errors["reason"] = _("Say why the verdict is overridden.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = ExclusivityVerdict.objects.select_for_update().get(pk=verdict.pk)
        if stored.applied_at is not None:
            raise ValidationError(
                {"outcome": _("This revoke has taken effect; amend the contract instead.")}
            )
        before = {
            "overridden_outcome": stored.overridden_outcome,
            "override_reason": stored.override_reason,
        }
        stored.overridden_outcome = "" if outcome == stored.outcome else outcome
        stored.override_reason = reason
        stored.overridden_by = actor.user
        stored.overridden_at = timezone.now()
        if stored.effective_outcome == VerdictOutcome.REVOKE:
            # Overriding to a revoke is the notice: its period runs from today.
            stored.effective_on = max(
                stored.effective_on,
                verdict_effective_on(
                    VerdictOutcome.REVOKE,
                    q_end=stored.quarter_end,
                    notice_days=stored.contract.notice_days,
                    notified_on=timezone.localdate(),
                ),
            )
        stored.save(
            update_fields=[
                "overridden_outcome",
                "override_reason",
                "overridden_by",
                "overridden_at",
                "effective_on",
            ]
        )
        _mirror_on_contract(vendor, [stored])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="exclusivity.verdict.override",
            obj=stored,
            changes={
                "outcome": [verdict.outcome, outcome],
                "overridden_outcome": [before["overridden_outcome"], stored.overridden_outcome],
                "override_reason": [before["override_reason"], reason],
            },
        )
    return stored


def verdict_hold(
    *,
    vendor: Vendor,
    actor: Membership,
    verdict: ExclusivityVerdict,
    reason: str,
    held_until: dt.date | None,
) -> ExclusivityVerdict:
    """Hold a revoke until ``held_until`` while a corrective plan runs (vendor admins and
    channel managers; audited). After that date the revoke takes effect unless overridden."""
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers hold a revoke."))
    if verdict.vendor_id != vendor.id:
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the revoke is held.")
    if held_until is None:
        errors["held_until"] = _("Enter the date the hold ends.")
    elif held_until < timezone.localdate():
        errors["held_until"] = _("The hold must end today or later.")
    if errors or held_until is None:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = ExclusivityVerdict.objects.select_for_update().get(pk=verdict.pk)
        if stored.effective_outcome != VerdictOutcome.REVOKE:
            raise ValidationError({"reason": _("Only a revoke can be held.")})
        if stored.applied_at is not None:
            raise ValidationError(
                {"reason": _("This revoke has taken effect; amend the contract instead.")}
            )
        before: dict[str, Any] = {
            "held_until": stored.held_until,
            "hold_reason": stored.hold_reason,
        }
        stored.held_at = timezone.now()
        stored.held_by = actor.user
        stored.hold_reason = reason
        stored.held_until = held_until
        stored.save(update_fields=["held_at", "held_by", "hold_reason", "held_until"])
        _mirror_on_contract(vendor, [stored])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="exclusivity.verdict.hold",
            obj=stored,
            changes={
                "held_until": [
                    before["held_until"].isoformat() if before["held_until"] else None,
                    held_until.isoformat(),
                ],
                "hold_reason": [before["hold_reason"], reason],
            },
        )
    return stored

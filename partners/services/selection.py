"""Partner selection: the due-diligence checklist a prospect goes through before signing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import (
    Distributor,
    DistributorStatus,
    Membership,
    SelectionChecklist,
    SelectionDecision,
    Vendor,
)
from partners.rules import selection_missing_checks

from .audit import audit_record, changes_between, snapshot


def selection_gate_check(*, distributor: Distributor) -> None:
    """Raise a ValidationError unless this distributor may get a contract: a prospect needs a
    complete, approved selection checklist, or a vendor admin's written override."""
    if distributor.status != DistributorStatus.PROSPECT:
        return
    selection = SelectionChecklist.objects.filter(distributor=distributor).first()
    if selection is None or not selection.clears_contract:
        raise ValidationError(
            _(
                "%(name)s is a prospect whose selection checklist is not complete. Complete and "
                "approve it, or ask a vendor admin to override it with a reason."
            )
            % {"name": distributor.name},
            code="selection_incomplete",
        )


SELECTION_FIELDS = [
    "references_checked",
    "references_note",
    "competing_brands_reviewed",
    "competing_brands_note",
    "sales_people",
    "sales_capacity_confirmed",
    "sales_capacity_note",
    "willing_to_train",
    "training_note",
    "financial_check",
    "financial_note",
    "decision",
    "decision_reason",
]


def _check_can_edit(actor: Membership) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers run partner selection."))


def selection_update(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **fields
) -> SelectionChecklist:
    """Tick checks, write notes and record the decision on a distributor's selection
    checklist (created on first save). Approving needs every check done and a reason;
    rejecting needs a reason. A changed decision records who decided and when."""
    _check_can_edit(actor)
    if distributor.vendor_id != vendor.id:
        raise PermissionDenied
    unknown = set(fields) - set(SELECTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown selection fields: {sorted(unknown)}")
    with transaction.atomic():
        selection, _created = SelectionChecklist.objects.select_for_update().get_or_create(
            vendor=vendor, distributor=distributor
        )
        before = snapshot(selection, SELECTION_FIELDS)
        for name, value in fields.items():
            setattr(selection, name, value)
        if selection.decision_reason is None:
            selection.decision_reason = ""
        selection.decision_reason = selection.decision_reason.strip()
        selection.full_clean(exclude=["vendor", "distributor"], validate_constraints=False)
        errors: dict[str, str] = {}
        if selection.decision == SelectionDecision.APPROVED:
            errors.update(selection_missing_checks(selection))
        if selection.decision != SelectionDecision.PENDING and not selection.decision_reason:
            errors["decision_reason"] = _("Write the reason for the decision.")
        if errors:
            raise ValidationError(errors)
        if selection.decision != before["decision"]:
            decided = selection.decision != SelectionDecision.PENDING
            selection.decided_by = actor.user if decided else None
            selection.decided_at = timezone.now() if decided else None
        selection.save()
        changes = changes_between(before, snapshot(selection, SELECTION_FIELDS))
        if changes or _created:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="selection.update",
                obj=selection,
                changes=changes,
            )
    return selection


def selection_override(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, reason: str
) -> SelectionChecklist:
    """A vendor admin lets a prospect through an incomplete checklist, with a written reason
    (audited and shown on the selection page)."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only a vendor admin may override the selection checklist."))
    if distributor.vendor_id != vendor.id:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the checklist is overridden.")})
    with transaction.atomic():
        selection, _created = SelectionChecklist.objects.select_for_update().get_or_create(
            vendor=vendor, distributor=distributor
        )
        if selection.is_complete:
            raise ValidationError(
                {"reason": _("The checklist is complete and approved; no override is needed.")}
            )
        if selection.is_overridden:
            raise ValidationError({"reason": _("The checklist has already been overridden.")})
        selection.override_reason = reason
        selection.overridden_by = actor.user
        selection.overridden_at = timezone.now()
        selection.save()
        audit_record(
            vendor=vendor,
            actor=actor,
            action="selection.override",
            obj=selection,
            changes={
                "override_reason": [None, reason],
                "missing": [None, sorted(selection_missing_checks(selection))],
            },
        )
    return selection

"""A corrective plan's life: opening it, at most three actions (under a row lock on the plan), and
the review after 30 days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Contract, Distributor, Membership, Role, Vendor
from partners.services.audit import audit_record, changes_between, snapshot
from partners.services.contracts import contract_amend
from scorecards.models import (
    PLAN_MAX_ACTIONS,
    PLAN_REVIEW_DAYS,
    ActionStatus,
    CorrectivePlan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    PlanTrigger,
)
from scorecards.permissions import may_set_status

ACTION_FIELDS = ["text", "owner", "due_on", "status", "done_at"]
REVIEW_FIELDS = ["status", "review_on", "outcome", "outcome_reason", "amendment", "closed_at"]


def _check_manager(actor: Membership | None) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers manage plans."))


def _check_same_vendor(vendor: Vendor, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.vendor_id != vendor.id:
            raise PermissionDenied


def _lock(plan: CorrectivePlan) -> CorrectivePlan:
    """The plan, re-read and locked until the transaction ends (actions are counted and
    reviews decided under this lock, so two requests cannot both add the third action)."""
    return CorrectivePlan.objects.select_for_update().select_related("distributor").get(pk=plan.pk)


def plan_open(
    *,
    vendor: Vendor,
    actor: Membership,
    plan: CorrectivePlan | None = None,
    distributor: Distributor | None = None,
    gap: str = "",
) -> CorrectivePlan:
    """Open a plan: accept a suggested ``plan`` (its gap may be reworded), or open one by hand
    for ``distributor`` with a description of the ``gap``. The review is due 30 days after
    today in the distributor's time zone."""
    _check_manager(actor)
    _check_same_vendor(vendor, plan, distributor)
    gap = (gap or "").strip()
    now = timezone.now()
    if plan is None:
        if distributor is None:
            raise ValidationError({"distributor": _("Choose a distributor.")})
        if not gap:
            raise ValidationError({"gap": _("Say what the gap is.")})
        today = distributor.local_today()
        try:
            with transaction.atomic():
                plan = CorrectivePlan.objects.create(
                    vendor=vendor,
                    distributor=distributor,
                    trigger=PlanTrigger.MANUAL,
                    gap=gap,
                    status=PlanStatus.OPEN,
                    opened_by=actor.user,
                    opened_at=now,
                    review_on=today + dt.timedelta(days=PLAN_REVIEW_DAYS),
                )
        except IntegrityError as exc:
            raise ValidationError(
                {"distributor": _("This distributor already has a plan opened by hand.")}
            ) from exc
        audit_record(
            vendor=vendor,
            actor=actor,
            action="plan.open",
            obj=plan,
            changes={
                "status": [None, plan.status],
                "review_on": [None, str(plan.review_on)],
            },
        )
        return plan
    with transaction.atomic():
        stored = _lock(plan)
        if stored.status != PlanStatus.SUGGESTED:
            raise ValidationError({"status": _("Only a suggested plan can be opened.")})
        before = snapshot(stored, ["status", "gap", "review_on"])
        stored.status = PlanStatus.OPEN
        stored.opened_by = actor.user
        stored.opened_at = now
        stored.review_on = stored.distributor.local_today() + dt.timedelta(days=PLAN_REVIEW_DAYS)
        if gap:
            stored.gap = gap
        stored.save(update_fields=["status", "opened_by", "opened_at", "review_on", "gap"])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="plan.open",
            obj=stored,
            changes=changes_between(before, snapshot(stored, ["status", "gap", "review_on"])),
        )
    return stored


def _clean_action(plan: CorrectivePlan, *, text, owner, due_on, errors: dict) -> str:
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Say what will be done.")
    elif len(text) > 300:
        errors["text"] = _("Keep the action under 300 characters.")
    if owner is None:
        errors["owner"] = _("Choose who owns this action.")
    elif not owner_may_hold(owner, plan.distributor_id):
        errors["owner"] = _("The owner must be vendor staff or a person of this distributor.")
    if due_on is None:
        errors["due_on"] = _("Enter the date the action is due.")
    return text


def owner_may_hold(owner: Membership, distributor_id: int) -> bool:
    """An action belongs to an active vendor person or an active person of the distributor."""
    return owner.is_active and (
        owner.role in Role.staff_roles() or owner.distributor_id == distributor_id
    )


def action_add(
    *,
    vendor: Vendor,
    actor: Membership,
    plan: CorrectivePlan,
    text: str,
    owner: Membership | None,
    due_on: dt.date | None,
) -> PlanAction:
    """Add an action to a suggested or open plan; a plan has at most three. The count is taken
    under a lock on the plan, so two concurrent additions cannot make a fourth."""
    _check_manager(actor)
    _check_same_vendor(vendor, plan, owner)
    with transaction.atomic():
        stored = _lock(plan)
        errors: dict = {}
        if stored.status == PlanStatus.CLOSED:
            errors["plan"] = _("This plan is closed.")
        elif PlanAction.objects.filter(plan=stored).count() >= PLAN_MAX_ACTIONS:
            errors["plan"] = _(
                "A plan has at most three actions. Change or drop one instead of adding another."
            )
        text = _clean_action(stored, text=text, owner=owner, due_on=due_on, errors=errors)
        if errors or owner is None or due_on is None:
            raise ValidationError(errors)
        action = PlanAction.objects.create(
            vendor=vendor, plan=stored, text=text, owner=owner, due_on=due_on
        )
        audit_record(
            vendor=vendor,
            actor=actor,
            action="plan_action.add",
            obj=action,
            changes={k: [None, v] for k, v in snapshot(action, ACTION_FIELDS).items()},
        )
    return action


_UNSET = object()


def action_update(
    *,
    vendor: Vendor,
    actor: Membership,
    action: PlanAction,
    text=_UNSET,
    owner=_UNSET,
    due_on=_UNSET,
    status=_UNSET,
) -> PlanAction:
    """Change an action. Managers change anything; a distributor's person changes only the
    status of an action they own (any other change, or another person's action, is refused
    and changes nothing). Done sets ``done_at``; open or dropped clears it."""
    _check_same_vendor(vendor, action, owner if owner is not _UNSET else None)
    with transaction.atomic():
        plan = _lock(action.plan)
        stored = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
        stored.plan = plan
        wanted = {"text": text, "owner": owner, "due_on": due_on}
        changes_other = any(
            value is not _UNSET
            and (value.pk if isinstance(value, Membership) else value)
            != getattr(stored, "owner_id" if name == "owner" else name)
            for name, value in wanted.items()
        )
        manager = roles.is_editor(actor)
        if not manager and (changes_other or not may_set_status(actor, stored)):
            raise PermissionDenied(_("You may change only the status of actions you own."))
        if plan.status == PlanStatus.CLOSED:
            raise ValidationError({"status": _("This plan is closed.")})
        before = snapshot(stored, ACTION_FIELDS)
        errors: dict = {}
        if changes_other:
            new_text = _clean_action(
                plan,
                text=stored.text if text is _UNSET else text,
                owner=stored.owner if owner is _UNSET else owner,
                due_on=stored.due_on if due_on is _UNSET else due_on,
                errors=errors,
            )
        if status is not _UNSET and status not in ActionStatus.values:
            errors["status"] = _("Choose a status.")
        if errors:
            raise ValidationError(errors)
        if changes_other:
            stored.text = new_text
            if owner is not _UNSET:
                stored.owner = owner
            if due_on is not _UNSET:
                stored.due_on = due_on
        if status is not _UNSET and status != stored.status:
            stored.status = status
            stored.done_at = timezone.now() if status == ActionStatus.DONE else None
        diff = changes_between(before, snapshot(stored, ACTION_FIELDS))
        if diff:
            stored.save()
            audit_record(
                vendor=vendor, actor=actor, action="plan_action.update", obj=stored, changes=diff
            )
    return stored


def plan_review(
    *,
    vendor: Vendor,
    actor: Membership,
    plan: CorrectivePlan,
    outcome: str,
    reason: str,
    review_on: dt.date | None = None,
    contract: Contract | None = None,
    end_line_ids: Iterable[int] = (),
    effective_on: dt.date | None = None,
) -> CorrectivePlan:
    """Record the review of an open plan with its ``outcome`` and ``reason``:

    * ``recovered`` and ``new_route`` close the plan;
    * ``extended`` keeps it open with a later ``review_on``;
    * ``scope_reduced`` ends the chosen scope lines of one of the distributor's contracts
      through ``contract_amend`` (from ``effective_on``, with the same reason) and closes the
      plan with a link to the amendment. A refused amendment leaves the plan as it was."""
    _check_manager(actor)
    _check_same_vendor(vendor, plan, contract)
    reason = (reason or "").strip()
    end_line_ids = [int(pk) for pk in end_line_ids]
    with transaction.atomic():
        stored = _lock(plan)
        today = stored.distributor.local_today()
        errors: dict = {}
        if stored.status != PlanStatus.OPEN:
            errors["outcome"] = _("Only an open plan is reviewed.")
        elif outcome not in PlanOutcome.values:
            errors["outcome"] = _("Choose an outcome.")
        if not reason:
            errors["reason"] = _("Say why.")
        if outcome == PlanOutcome.EXTENDED:
            if review_on is None:
                errors["review_on"] = _("Enter the new review date.")
            elif review_on <= today:
                errors["review_on"] = _("The new review date must be after today.")
        if outcome == PlanOutcome.SCOPE_REDUCED:
            if contract is None or contract.distributor_id != stored.distributor_id:
                errors["contract"] = _("Choose the contract whose scope is reduced.")
            if not end_line_ids:
                errors["end_lines"] = _("Choose the scope lines that end.")
            if effective_on is None:
                errors["effective_on"] = _("Enter the date the change takes effect.")
        if errors:
            raise ValidationError(errors)
        before = snapshot(stored, REVIEW_FIELDS)
        now = timezone.now()
        if outcome == PlanOutcome.SCOPE_REDUCED:
            assert contract is not None and effective_on is not None  # checked above
            try:
                stored.amendment = contract_amend(
                    vendor=vendor,
                    actor=actor,
                    contract=contract,
                    effective_on=effective_on,
                    reason=reason,
                    end_line_ids=end_line_ids,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    mapped = {
                        ("end_lines" if k in ("add_lines", "end_lines") else k): v
                        for k, v in exc.message_dict.items()
                    }
                    raise ValidationError(mapped) from exc
                raise
        if outcome == PlanOutcome.EXTENDED:
            stored.review_on = review_on
        else:
            stored.status = PlanStatus.CLOSED
            stored.closed_at = now
        stored.outcome = outcome
        stored.outcome_reason = reason
        stored.reviewed_by = actor.user
        stored.reviewed_at = now
        stored.save()
        audit_record(
            vendor=vendor,
            actor=actor,
            action="plan.review",
            obj=stored,
            changes=changes_between(before, snapshot(stored, REVIEW_FIELDS)),
        )
    return stored

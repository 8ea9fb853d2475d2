"""Corrective action plans: suggest them from gaps, open them, agree at most three actions,
review them after 30 days, and remind owners and reviewers through the outbox.

* ``plan_suggest_from_reds``: set-based; every distributor with the same KPI red in a month
  and in the month before gets one suggested plan (never two suggested or open plans for one
  distributor and trigger, never a second plan for the same month).
* ``plan_open``: vendor staff accept a suggestion, or open a plan by hand; the review date is
  30 days on, in the distributor's calendar.
* ``action_add`` / ``action_update``: at most three actions per plan, counted under a row lock
  on the plan; a distributor's person changes only the status of actions they own.
* ``plan_review``: recovered and closed, extended to a new review date, scope reduced (through
  ``partners.services.contracts.contract_amend``) or another route to market opened; the
  reason is required.
* ``plan_reminders_send``: actions due within three days or overdue, and reviews that are due,
  each e-mailed once (dedupe keys), in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import periods, roles
from partners.models import (
    Contract,
    Distributor,
    Membership,
    OutboundEmail,
    Role,
    User,
    Vendor,
)
from partners.selectors import relationship_managers
from partners.services.audit import audit_record, audit_record_many, changes_between, snapshot
from partners.services.contracts import contract_amend
from partners.services.outbox import email_queue
from scorecards.models import (
    ACTIVE_PLAN_STATUSES,
    PLAN_MAX_ACTIONS,
    PLAN_REVIEW_DAYS,
    QUALIFYING_OUTCOMES,
    SCORED_STATUSES,
    ActionStatus,
    CorrectivePlan,
    ExclusivityVerdict,
    KpiActual,
    PeriodKind,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    PlanTrigger,
    Rag,
    VerdictOutcome,
)
from scorecards.permissions import may_set_status

ACTION_FIELDS = ["text", "owner", "due_on", "status", "done_at"]
REVIEW_FIELDS = ["status", "review_on", "outcome", "outcome_reason", "amendment", "closed_at"]
DUE_SOON_DAYS = 3


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


# --- suggestions -----------------------------------------------------------------------------------


def red_kpi_gaps(*, vendor: Vendor, month_start: dt.date) -> dict[int, list[dict]]:
    """``{distributor_id: [{kpi, code, name, months, values, attainments}]}``: the KPIs red in
    ``month_start`` and in the month before, for distributors that are scored. One query."""
    previous = periods.add_months(month_start, -1)
    prev_red = KpiActual.objects.filter(
        vendor=vendor,
        distributor_id=OuterRef("distributor_id"),
        kpi_id=OuterRef("kpi_id"),
        period_kind=PeriodKind.MONTH,
        period_start=previous,
        rag=Rag.RED,
    )
    rows = (
        KpiActual.objects.filter(
            vendor=vendor,
            period_kind=PeriodKind.MONTH,
            period_start=month_start,
            rag=Rag.RED,
            distributor__status__in=SCORED_STATUSES,
        )
        .filter(Exists(prev_red))
        .annotate(
            prev_value=prev_red.values("value")[:1],
            prev_base=prev_red.values("base")[:1],
            prev_attainment=prev_red.values("attainment")[:1],
        )
        .order_by("distributor_id", "kpi__position", "kpi_id")
        .values_list(
            "distributor_id",
            "kpi_id",
            "kpi__code",
            "kpi__name",
            "kpi__unit",
            "prev_value",
            "value",
            "prev_base",
            "base",
            "prev_attainment",
            "attainment",
        )  # fmt: skip
    )
    gaps: dict[int, list[dict]] = {}
    for row in rows:
        distributor_id, kpi_id, code, name, unit, prev_value, value = row[:7]
        prev_base, base, prev_att, att = row[7:]
        gaps.setdefault(distributor_id, []).append(
            {
                "kpi": kpi_id,
                "code": code,
                "name": name,
                "months": [previous.isoformat(), month_start.isoformat()],
                "unit": unit,
                "values": [_num(prev_value), _num(value)],
                "bases": [_num(prev_base), _num(base)],
                "attainments": [_num(prev_att), _num(att)],
            }
        )
    return gaps


def _num(value) -> str | None:
    return None if value is None else str(value)


def plan_suggest_from_reds(*, vendor: Vendor, month_start: dt.date) -> int:
    """Suggest a corrective plan to every distributor with the same KPI red in the month of
    ``month_start`` and in the month before. Idempotent: a distributor that already has a
    suggested or open red-KPI plan, or had one for this month, gets nothing new (and the
    unique keys settle a concurrent run). Returns how many plans were suggested now."""
    month_start = periods.month_start(month_start)
    gaps = red_kpi_gaps(vendor=vendor, month_start=month_start)
    if not gaps:
        return 0
    taken = set(
        CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.RED_KPI, distributor_id__in=list(gaps)
        )
        .filter(Q(status__in=ACTIVE_PLAN_STATUSES) | Q(trigger_period=month_start))
        .values_list("distributor_id", flat=True)
    )
    new = [
        CorrectivePlan(
            vendor=vendor,
            distributor_id=distributor_id,
            trigger=PlanTrigger.RED_KPI,
            trigger_period=month_start,
            trigger_details={"kpis": kpis},
            status=PlanStatus.SUGGESTED,
        )
        for distributor_id, kpis in gaps.items()
        if distributor_id not in taken
    ]
    if not new:
        return 0
    with transaction.atomic():
        before = CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.RED_KPI, trigger_period=month_start
        ).count()
        CorrectivePlan.objects.bulk_create(new, ignore_conflicts=True)
        after = CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.RED_KPI, trigger_period=month_start
        ).count()
    return after - before


def plan_suggest_from_verdicts(*, vendor: Vendor, quarter_start: dt.date) -> int:
    """Suggest a corrective plan to every distributor warned on an exclusive line for the
    fiscal quarter starting ``quarter_start`` (the verdict's outcome as people left it: an
    override to another outcome suggests nothing). One plan per distributor, naming each warned
    line and the conditions it missed, linked to the first verdict. Idempotent like the red-KPI
    suggestions (the same unique keys). Returns how many plans were suggested now."""
    warned = (
        ExclusivityVerdict.objects.filter(vendor=vendor, quarter_start=quarter_start)
        .filter(
            Q(overridden_outcome=VerdictOutcome.WARN)
            | Q(overridden_outcome="", outcome=VerdictOutcome.WARN)
        )
        .select_related("scope_line__territory", "scope_line__product_line")
        .order_by("distributor_id", "id")
    )
    _withdraw_recovered(vendor=vendor, quarter_start=quarter_start)
    lines: dict[int, list[dict]] = {}
    first: dict[int, int] = {}
    for verdict in warned:
        first.setdefault(verdict.distributor_id, verdict.pk)
        lines.setdefault(verdict.distributor_id, []).append(
            {
                "verdict": verdict.pk,
                "scope": str(verdict.scope_line),
                "unmet": [
                    item["condition"]
                    for item in verdict.evidence
                    if item.get("checked") and not item.get("met")
                ],
            }
        )
    if not lines:
        return 0
    taken = set(
        CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.WARN_VERDICT, distributor_id__in=list(lines)
        )
        .filter(Q(status__in=ACTIVE_PLAN_STATUSES) | Q(trigger_period=quarter_start))
        .values_list("distributor_id", flat=True)
    )
    new = [
        CorrectivePlan(
            vendor=vendor,
            distributor_id=distributor_id,
            trigger=PlanTrigger.WARN_VERDICT,
            trigger_period=quarter_start,
            trigger_details={"lines": found},
            verdict_id=first[distributor_id],
            status=PlanStatus.SUGGESTED,
        )
        for distributor_id, found in lines.items()
        if distributor_id not in taken
    ]
    if not new:
        return 0
    suggested = CorrectivePlan.objects.filter(
        vendor=vendor, trigger=PlanTrigger.WARN_VERDICT, trigger_period=quarter_start
    )
    with transaction.atomic():
        before = suggested.count()
        CorrectivePlan.objects.bulk_create(new, ignore_conflicts=True)
        return suggested.count() - before


# Two single-table reads matched in memory: a join here is at the planner's mercy (with stale
# statistics after a quarter's verdicts are written it chose a nested loop, plans x verdicts).
_WARNED_LINES_SQL = """
SELECT id, scope_line_id FROM scorecards_exclusivityverdict
 WHERE vendor_id = %(vendor)s AND id = ANY(%(ids)s)
"""
_RECOVERED_LINES_SQL = """
SELECT scope_line_id FROM scorecards_exclusivityverdict
 WHERE vendor_id = %(vendor)s AND quarter_start = %(quarter)s
   AND COALESCE(NULLIF(overridden_outcome, ''), outcome) = ANY(%(outcomes)s)
"""


def _recovered_plan_ids(*, vendor: Vendor, quarter_start: dt.date) -> list[int]:
    """The suggested warning plans of earlier quarters whose every warned line renewed or was
    proposed for scale in the quarter starting ``quarter_start`` (a line whose warned verdict
    is gone does not hold a plan back; a line without a verdict this quarter does). Three reads
    whatever the number of plans (the plans, their warned verdicts' lines, the lines renewed or
    proposed for scale this quarter), matched in memory: no per-plan subquery and no join."""
    plans = list(
        CorrectivePlan.objects.filter(
            vendor=vendor,
            trigger=PlanTrigger.WARN_VERDICT,
            status=PlanStatus.SUGGESTED,
            trigger_period__lt=quarter_start,
        ).values_list("id", "trigger_details")
    )
    named = {
        pk: [int(line["verdict"]) for line in (details or {}).get("lines", [])]
        for pk, details in plans
    }
    # Read even for no plan, so that the evaluation's queries do not depend on the history.
    ids = sorted({v for verdict_ids in named.values() for v in verdict_ids})
    with connection.cursor() as cursor:
        cursor.execute(_WARNED_LINES_SQL, {"vendor": vendor.id, "ids": ids})
        warned_line = dict(cursor.fetchall())
        cursor.execute(
            _RECOVERED_LINES_SQL,
            {"vendor": vendor.id, "quarter": quarter_start, "outcomes": list(QUALIFYING_OUTCOMES)},
        )
        recovered = {row[0] for row in cursor.fetchall()}
    return sorted(
        pk
        for pk, verdict_ids in named.items()
        if all(v not in warned_line or warned_line[v] in recovered for v in verdict_ids)
    )


def _withdraw_recovered(*, vendor: Vendor, quarter_start: dt.date) -> int:
    """Close, as recovered, the suggestions of earlier warnings that nobody opened and whose
    every warned line met its conditions again this quarter (renewed or proposed for scale):
    they no longer call for a plan, and a later warning may suggest a new one. Audited as the
    system's. A few statements whatever the number of plans (three reads, one lock, one
    update, one insert of audit events). Returns how many were closed."""
    ids = _recovered_plan_ids(vendor=vendor, quarter_start=quarter_start)
    if not ids:
        return 0
    fiscal = vendor.fiscal_year_start_month
    quarter = periods.fiscal_quarter_label(quarter_start, fiscal)
    now = timezone.now()
    with transaction.atomic():
        plans = list(
            CorrectivePlan.objects.select_for_update()
            .filter(pk__in=ids, status=PlanStatus.SUGGESTED)
            .order_by("id")
        )
        changes = []
        for plan in plans:
            before = snapshot(plan, REVIEW_FIELDS)
            plan.status = PlanStatus.CLOSED
            plan.outcome = PlanOutcome.RECOVERED
            plan.outcome_reason = (
                f"The warned lines met their conditions again in {quarter}; the suggestion was"
                " closed without being opened."
            )
            plan.trigger_details = {**plan.trigger_details, "recovered_in": quarter}
            plan.closed_at = now
            plan.updated_at = now
            changes.append(changes_between(before, snapshot(plan, REVIEW_FIELDS)))
        CorrectivePlan.objects.bulk_update(
            plans,
            ["status", "outcome", "outcome_reason", "trigger_details", "closed_at", "updated_at"],
            batch_size=500,
        )
        audit_record_many(
            vendor=vendor,
            actor=None,
            action="plan.withdrawn",
            objs=plans,
            changes=changes,
        )
    return len(plans)


# --- opening ---------------------------------------------------------------------------------------


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


# --- actions ---------------------------------------------------------------------------------------


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


# --- review ----------------------------------------------------------------------------------------


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


# --- reminders -------------------------------------------------------------------------------------


def _plan_url(vendor: Vendor, plan_id: int) -> str:
    return settings.SITE_URL + reverse(
        "plan-detail", kwargs={"vendor_slug": vendor.slug, "pk": plan_id}
    )


def _queue_once(*, vendor: Vendor, user: User, key: str, template: str, context: dict) -> bool:
    if not user.is_active or OutboundEmail.objects.filter(dedupe_key=key).exists():
        return False
    email_queue(
        vendor=vendor,
        to=user.email,
        template=template,
        language=user.language or "en",
        dedupe_key=key,
        context=context,
    )
    return True


def plan_reminders_send(*, vendor: Vendor, today: dt.date | None = None) -> int:
    """Queue the reminders due today in one vendor, each once (dedupe key per action or plan,
    kind and date): to an action's owner when it is due within three days and when it is
    overdue, and to the distributor's channel manager (or the vendor admins) when a review is
    due. "Today" is the distributor's own date unless given. Returns how many were queued."""
    horizon = (today or timezone.now().date()) + dt.timedelta(days=DUE_SOON_DAYS + 1)
    queued = 0
    actions = (
        PlanAction.objects.filter(
            vendor=vendor,
            status=ActionStatus.OPEN,
            plan__status=PlanStatus.OPEN,
            due_on__lte=horizon,
        )
        .select_related("plan__distributor", "owner__user")
        .order_by("due_on", "id")
    )
    for action in actions:
        distributor = action.plan.distributor
        day = today or distributor.local_today()
        left = (action.due_on - day).days
        if left > DUE_SOON_DAYS:
            continue
        kind = "overdue" if left < 0 else "due"
        queued += _queue_once(
            vendor=vendor,
            user=action.owner.user,
            key=f"plan-action-{kind}:{action.pk}:{action.due_on.isoformat()}",
            template="plan_action_reminder",
            context={
                "kind": kind,
                "text": action.text,
                "due_on": action.due_on,
                "days_left": left,
                "days_late": -left,
                "distributor_name": distributor.name,
                "plan_url": _plan_url(vendor, action.plan_id),
            },
        )
    plans = (
        CorrectivePlan.objects.filter(vendor=vendor, status=PlanStatus.OPEN, review_on__lte=horizon)
        .select_related("distributor__owner__user")
        .order_by("review_on", "id")
    )
    for plan in plans:
        if not plan.review_due(today or plan.distributor.local_today()):
            continue
        for member in relationship_managers(vendor=vendor, distributor=plan.distributor):
            queued += _queue_once(
                vendor=vendor,
                user=member.user,
                key=f"plan-review-due:{plan.pk}:{plan.review_on}:{member.user_id}",
                template="plan_review_due",
                context={
                    "review_on": plan.review_on,
                    "distributor_name": plan.distributor.name,
                    "plan_url": _plan_url(vendor, plan.pk),
                },
            )
    return queued

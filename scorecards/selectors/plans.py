"""Reads of corrective action plans: the staff list (suggested, open, due for review, closed),
one plan's page, who may own an action, and the plans panel of a distributor's page and a
partner's home.

Vendor staff see every plan; a distributor's people see only their own distributor's plans
once opened (a suggestion is the vendor's to accept first), and another distributor's plan or
action is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format

from partners import periods, roles
from partners.models import Contract, ContractStatus, Distributor, Membership, Role, Vendor
from scorecards.models import (
    ACTIVE_PLAN_STATUSES,
    PLAN_MAX_ACTIONS,
    ActionStatus,
    CorrectivePlan,
    ExclusivityVerdict,
    PlanAction,
    PlanStatus,
    PlanTrigger,
    VerdictOutcome,
)
from scorecards.permissions import may_set_status

PARTNER_STATUSES = (PlanStatus.OPEN, PlanStatus.CLOSED)
LIST_VIEWS = ("suggested", "open", "due", "closed")


def plan_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[CorrectivePlan]:
    """Plans within reach: staff every plan, a distributor's people their own distributor's
    open and closed plans."""
    qs = CorrectivePlan.objects.filter(vendor=vendor)
    if not actor.is_staff_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id, status__in=PARTNER_STATUSES)
    return qs


def plan_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> CorrectivePlan:
    return get_object_or_404(
        plan_list_for_actor(vendor=vendor, actor=actor).select_related("distributor"), pk=pk
    )


def action_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[PlanAction]:
    """Actions of the plans within reach."""
    qs = PlanAction.objects.filter(vendor=vendor)
    if not actor.is_staff_role:
        qs = qs.filter(
            plan__distributor_id=actor.own_distributor_id, plan__status__in=PARTNER_STATUSES
        )
    return qs


def action_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> PlanAction:
    return get_object_or_404(
        action_list_for_actor(vendor=vendor, actor=actor).select_related(
            "plan", "plan__distributor", "owner__user"
        ),
        pk=pk,
    )


def plans_for_verdict(
    *, vendor: Vendor, actor: Membership, verdict: ExclusivityVerdict
) -> QuerySet[CorrectivePlan]:
    """The plans a warning started that name this verdict (the first warned line is the
    plan's ``verdict``; the others are in its ``trigger_details``), within the person's reach;
    for a revoke also the distributor's suggested and open plans (a revoke can be held while
    one runs)."""
    named = Q(verdict_id=verdict.pk) | Q(
        trigger_details__contains={"lines": [{"verdict": verdict.pk}]}
    )
    if verdict.effective_outcome == VerdictOutcome.REVOKE:
        named |= Q(distributor_id=verdict.distributor_id, status__in=ACTIVE_PLAN_STATUSES)
    return (
        plan_list_for_actor(vendor=vendor, actor=actor).filter(named).order_by("-created_at", "-id")
    )


def trigger_when(plan: CorrectivePlan, fiscal_start_month: int) -> str:
    """The period a suggestion came from: the fiscal quarter of an exclusivity warning, the
    month of a red KPI (empty for a plan opened by hand)."""
    if plan.trigger_period is None:
        return ""
    if plan.trigger == PlanTrigger.WARN_VERDICT:
        return periods.fiscal_quarter_label(plan.trigger_period, fiscal_start_month)
    return date_format(plan.trigger_period, "YEAR_MONTH_FORMAT")


def with_trigger_when(vendor: Vendor, plans) -> list[CorrectivePlan]:
    """The plans, each with ``trigger_when`` set (the vendor's fiscal year read once)."""
    fiscal = vendor.fiscal_year_start_month
    plans = list(plans)
    for plan in plans:
        plan.trigger_when = trigger_when(plan, fiscal)
    return plans


def plan_staff_list(
    *, vendor: Vendor, actor: Membership, view: str, today: dt.date | None = None
) -> QuerySet[CorrectivePlan]:
    """The staff list of one view: ``suggested``, ``open`` (soonest review first), ``due``
    (open with the review date reached) or ``closed`` (latest first). One query, the action
    counts annotated."""
    today = today or timezone.localdate()
    qs = (
        plan_list_for_actor(vendor=vendor, actor=actor)
        .select_related("distributor", "distributor__owner__user")
        .annotate(
            action_count=Count("actions"),
            actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
    )
    if view == "suggested":
        return qs.filter(status=PlanStatus.SUGGESTED).order_by("-created_at", "-id")
    if view == "due":
        return qs.filter(status=PlanStatus.OPEN, review_on__lte=today).order_by("review_on", "id")
    if view == "closed":
        return qs.filter(status=PlanStatus.CLOSED).order_by("-closed_at", "-id")
    return qs.filter(status=PlanStatus.OPEN).order_by("review_on", "id")


def plan_counts(*, vendor: Vendor, actor: Membership, today: dt.date | None = None) -> dict:
    """How many plans each view of the staff list holds (one query)."""
    today = today or timezone.localdate()
    return plan_list_for_actor(vendor=vendor, actor=actor).aggregate(
        suggested=Count("id", filter=Q(status=PlanStatus.SUGGESTED)),
        open=Count("id", filter=Q(status=PlanStatus.OPEN)),
        due=Count("id", filter=Q(status=PlanStatus.OPEN, review_on__lte=today)),
        closed=Count("id", filter=Q(status=PlanStatus.CLOSED)),
    )


def owner_choices(*, vendor: Vendor, distributor_id: int) -> QuerySet[Membership]:
    """Who may own an action: active vendor staff and the distributor's active people."""
    return (
        Membership.objects.filter(vendor=vendor, is_active=True)
        .filter(Q(role__in=Role.staff_roles()) | Q(distributor_id=distributor_id))
        .select_related("user")
        .order_by("distributor_id", "user__full_name", "id")
    )


def reducible_contracts(*, vendor: Vendor, distributor_id: int) -> list[Contract]:
    """The distributor's contracts in force with their scope lines still running (for the
    "scope reduced" outcome of a review)."""
    today = timezone.localdate()
    contracts = list(
        Contract.objects.filter(
            vendor=vendor, distributor_id=distributor_id, status=ContractStatus.ACTIVE
        )
        .prefetch_related("scope_lines__territory", "scope_lines__product_line")
        .order_by("-starts_on", "id")
    )
    for contract in contracts:
        contract.running_lines = [  # type: ignore[attr-defined]  # for the template
            line
            for line in contract.scope_lines.all()
            if line.ended_by_id is None and line.ends_on >= today
        ]
    return contracts


@dataclass
class ActionRow:
    action: PlanAction
    can_tick: bool
    overdue: bool


@dataclass
class PlanPage:
    plan: CorrectivePlan
    actions: list[ActionRow]
    can_manage: bool
    can_add: bool
    can_review: bool
    review_due: bool
    today: dt.date
    trigger_lines: list[dict]


def plan_trigger_lines(plan: CorrectivePlan) -> list[dict]:
    """The warned lines of an exclusivity suggestion as the page shows them, each ``scope`` the
    verdict's scope line itself, so its territory and product line are named in the reader's
    language when rendered (the text stored with the suggestion is in the language of the job
    that wrote it, and is only the fallback for a verdict no longer there)."""
    lines = [dict(line) for line in (plan.trigger_details or {}).get("lines", [])]
    ids = [line["verdict"] for line in lines if line.get("verdict")]
    scopes = {
        verdict.pk: verdict.scope_line
        for verdict in ExclusivityVerdict.objects.filter(
            vendor_id=plan.vendor_id, pk__in=ids
        ).select_related("scope_line__territory", "scope_line__product_line")
    }
    for line in lines:
        line["scope"] = scopes.get(line.get("verdict") or 0) or line.get("scope", "")
    return lines


def plan_page(*, vendor: Vendor, actor: Membership, plan: CorrectivePlan) -> PlanPage:
    """One plan with its actions (owners joined) and what the person may do on the page."""
    today = plan.distributor.local_today()
    actions = list(
        action_list_for_actor(vendor=vendor, actor=actor)
        .filter(plan=plan)
        .select_related("owner__user")
        .order_by("due_on", "id")
    )
    manage = roles.is_editor(actor)
    rows = []
    for action in actions:
        action.plan = plan
        rows.append(
            ActionRow(
                action=action,
                can_tick=plan.status != PlanStatus.CLOSED and may_set_status(actor, action),
                overdue=action.status == ActionStatus.OPEN and action.due_on < today,
            )
        )
    with_trigger_when(vendor, [plan])
    return PlanPage(
        plan=plan,
        actions=rows,
        can_manage=manage,
        can_add=manage and plan.status != PlanStatus.CLOSED and len(actions) < PLAN_MAX_ACTIONS,
        can_review=manage and plan.status == PlanStatus.OPEN,
        review_due=plan.review_due(today),
        today=today,
        trigger_lines=plan_trigger_lines(plan) if plan.trigger == PlanTrigger.WARN_VERDICT else [],
    )


PLAN_ACTIONS_PANEL_ITEMS = 10


def partner_plan_actions_panel(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **_kwargs
) -> dict | None:
    """The "Your corrective actions" panel of a partner's home: the open actions of its own
    distributor's open corrective plans (the plans it can open), earliest due first. Nothing
    when there are none, or for anyone but the distributor's own people."""
    if not actor.is_distributor_role or distributor.pk != actor.distributor_id:
        return None
    actions = list(
        action_list_for_actor(vendor=vendor, actor=actor)
        .filter(
            plan__distributor=distributor,
            plan__status=PlanStatus.OPEN,
            status=ActionStatus.OPEN,
        )
        .select_related("plan", "owner__user")
        .order_by("due_on", "id")[: PLAN_ACTIONS_PANEL_ITEMS + 1]
    )
    if not actions:
        return None
    return {
        "actions": actions[:PLAN_ACTIONS_PANEL_ITEMS],
        "more": len(actions) > PLAN_ACTIONS_PANEL_ITEMS,
        "today": distributor.local_today(),
        "actor": actor,
    }


def distributor_plans_panel(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **_kwargs
) -> dict | None:
    """The plans panel of a distributor's page and of a partner's home: the distributor's
    suggested (staff only) and open plans with their actions, and the latest closed one."""
    if actor.is_distributor_role and distributor.pk != actor.distributor_id:
        return None
    plans = list(
        plan_list_for_actor(vendor=vendor, actor=actor)
        .filter(distributor=distributor)
        .annotate(
            action_count=Count("actions"),
            actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .order_by("status", "-created_at", "-id")
    )
    active = [p for p in plans if p.status != PlanStatus.CLOSED]
    closed = [p for p in plans if p.status == PlanStatus.CLOSED][:1]
    if actor.is_distributor_role and not active and not closed:
        return None
    return {
        "distributor": distributor,
        "plans": active,
        "last_closed": closed[0] if closed else None,
        "today": distributor.local_today(),
        "can_open": roles.is_editor(actor)
        and not any(p.trigger == "manual" and p.status != PlanStatus.CLOSED for p in plans),
    }

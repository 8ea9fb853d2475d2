"""Reads for contracts. Every selector takes ``vendor`` and ``actor``: vendor staff see every
contract of the workspace; a distributor's people see their own distributor's contracts only,
and anything else is a 404 like a missing one."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.models import (
    Contract,
    ContractAmendment,
    ContractStatus,
    Membership,
    PerformanceClause,
    ScopeLine,
    Vendor,
)
from partners.selectors.profile import product_line_list_for_actor, territory_list_for_actor


def contract_list_for_actor(
    *,
    vendor: Vendor,
    actor: Membership,
    search: str = "",
    distributor_id=None,
    status: str = "",
    ending_within_days: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Contract]:
    """Contracts the person reaches, newest first, optionally filtered by reference or
    distributor name, distributor, status, and contracts ending within a number of days."""
    qs = (
        Contract.objects.filter(vendor=vendor)
        .select_related("distributor")
        .annotate(
            line_count=Count(
                "scope_lines", filter=Q(scope_lines__ended_by__isnull=True), distinct=True
            ),
            exclusive_count=Count(
                "scope_lines",
                filter=Q(
                    scope_lines__exclusive_from__isnull=False, scope_lines__ended_by__isnull=True
                ),
                distinct=True,
            ),
        )
    )
    qs = qs.order_by("-starts_on", "reference", "id")  # GROUP BY drops the default ordering
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    if search:
        qs = qs.filter(Q(reference__icontains=search) | Q(distributor__name__icontains=search))
    if distributor_id:
        qs = qs.filter(distributor_id=distributor_id)
    if status:
        qs = qs.filter(status=status)
    if ending_within_days:
        today = today or timezone.localdate()
        qs = qs.filter(
            ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=int(ending_within_days))
        )
    return qs


def contract_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Contract:
    return get_object_or_404(contract_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def scope_line_list_for_actor(
    *, vendor: Vendor, actor: Membership, contract_id=None
) -> QuerySet[ScopeLine]:
    """Scope lines (current and past) of the contracts the person reaches."""
    qs = ScopeLine.objects.filter(vendor=vendor).select_related(
        "territory", "product_line", "contract", "distributor"
    )
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    if contract_id:
        qs = qs.filter(contract_id=contract_id)
    return qs


def amendment_list_for_actor(
    *, vendor: Vendor, actor: Membership, contract_id=None
) -> QuerySet[ContractAmendment]:
    """Amendments of the contracts the person reaches, with the lines each ended and added."""
    lines = ScopeLine.objects.select_related("territory", "product_line")
    qs = (
        ContractAmendment.objects.filter(vendor=vendor)
        .select_related("contract", "created_by")
        .prefetch_related(
            Prefetch("ended_lines", queryset=lines), Prefetch("added_lines", queryset=lines)
        )
    )
    if actor.is_distributor_role:
        qs = qs.filter(contract__distributor_id=actor.own_distributor_id)
    if contract_id:
        qs = qs.filter(contract_id=contract_id)
    return qs


def amendment_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ContractAmendment:
    return get_object_or_404(amendment_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def clause_list_for_actor(
    *, vendor: Vendor, actor: Membership, contract_id=None
) -> QuerySet[PerformanceClause]:
    """Performance clauses of the contracts the person reaches."""
    qs = PerformanceClause.objects.filter(vendor=vendor).select_related(
        "contract", "scope_line__territory", "scope_line__product_line"
    )
    if actor.is_distributor_role:
        qs = qs.filter(contract__distributor_id=actor.own_distributor_id)
    if contract_id:
        qs = qs.filter(contract_id=contract_id)
    return qs


def clause_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> PerformanceClause:
    return get_object_or_404(clause_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def contract_detail(*, vendor: Vendor, actor: Membership, contract: Contract) -> dict:
    """Everything the contract page shows: phases (and today's), current and past scope lines,
    clauses and the amendment history."""
    today = contract.distributor.local_today()
    lines = list(scope_line_list_for_actor(vendor=vendor, actor=actor, contract_id=contract.pk))
    return {
        "today": today,
        "phases": contract.phases,
        "current_phase": contract.phase_on(today),
        "current_lines": [line for line in lines if line.ends_on >= today],
        "past_lines": [line for line in lines if line.ends_on < today],
        "clauses": list(clause_list_for_actor(vendor=vendor, actor=actor, contract_id=contract.pk)),
        "amendments": list(
            amendment_list_for_actor(vendor=vendor, actor=actor, contract_id=contract.pk)
        ),
    }


def scope_choices(*, vendor: Vendor, actor: Membership) -> dict:
    """Territories and product lines a scope line may name (the workspace's own)."""
    return {
        "territories": territory_list_for_actor(vendor=vendor, actor=actor),
        "product_lines": product_line_list_for_actor(vendor=vendor, actor=actor).filter(
            is_active=True
        ),
    }


def contract_ids_with_reminders_due(*, vendor: Vendor) -> list[int]:
    """Contracts in force of the open workspace with a reminder due today in their
    distributor's time zone (for the daily sweep; no person is acting)."""
    # Reminders are at most 365 days ahead; a day either side covers every time zone.
    window = (
        timezone.localdate() - dt.timedelta(days=1),
        timezone.localdate() + dt.timedelta(days=366),
    )
    candidates = (
        Contract.objects.filter(vendor=vendor, status=ContractStatus.ACTIVE)
        .annotate(
            deadline=ExpressionWrapper(F("ends_on") - F("notice_days"), output_field=DateField())
        )
        .filter(Q(ends_on__range=window) | Q(deadline__range=window))
        .select_related("distributor")
        .only(
            "id",
            "status",
            "ends_on",
            "notice_days",
            "reminder_days",
            "distributor__time_zone",
        )
    )
    return [c.pk for c in candidates if c.reminders_due(c.distributor.local_today())]


def distributor_contracts_panel(*, vendor, actor, distributor) -> dict:
    """Context for the contracts panel of the distributor page
    (templates/partners/distributor/_contracts.html): its contracts, with the current phase
    and the scope in force today."""
    today = distributor.local_today()
    contracts = list(
        contract_list_for_actor(vendor=vendor, actor=actor, distributor_id=distributor.pk)
    )
    lines = list(
        scope_line_list_for_actor(vendor=vendor, actor=actor)
        .filter(distributor=distributor, starts_on__lte=today, ends_on__gte=today)
        .order_by("territory__name", "product_line__name")
    )
    for contract in contracts:
        contract.current_phase = contract.phase_on(today)  # type: ignore[attr-defined]  # for the template
    return {
        "contracts_panel": {
            "contracts": contracts,
            "current_lines": lines,
            "today": today,
        }
    }

"""Performance clauses of a contract: create, update, delete."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import ClauseKind, Contract, Membership, PerformanceClause, Vendor
from partners.services.audit import audit_record, changes_between, snapshot
from partners.services.contracts.scope import _check_can_edit, _check_same_vendor

CLAUSE_FIELDS = ["kind", "scope_line", "amount", "currency", "rate", "note"]


def _validate_clause(clause: PerformanceClause) -> None:
    errors: dict[str, str] = {}
    contract = clause.contract
    if clause.kind not in ClauseKind.values:
        raise ValidationError({"kind": _("Choose a kind of clause.")})
    if clause.kind == ClauseKind.MIN_REVENUE:
        if clause.scope_line is None:
            errors["scope_line"] = _("Choose the scope line this revenue is for.")
        elif clause.scope_line.contract_id != contract.pk:
            errors["scope_line"] = _("Choose a scope line of this contract.")
        if clause.amount is None:
            errors["amount"] = _("Enter the minimum revenue per quarter.")
        elif Decimal(clause.amount) <= 0:
            errors["amount"] = _("The amount must be more than zero.")
        clause.currency = contract.distributor.currency
        clause.rate = None
    else:
        clause.scope_line = None
        clause.amount = None
        clause.currency = ""
    if clause.kind == ClauseKind.MIN_REPORTING:
        if clause.rate is None:
            errors["rate"] = _("Enter the minimum on-time reporting rate.")
        elif not (Decimal(0) <= Decimal(clause.rate) <= Decimal(100)):
            errors["rate"] = _("A rate is between 0 and 100 percent.")
    elif clause.kind == ClauseKind.QBR_ATTENDANCE:
        clause.rate = None
    if errors:
        raise ValidationError(errors)
    duplicates = PerformanceClause.objects.filter(contract=contract, kind=clause.kind).exclude(
        pk=clause.pk
    )
    if clause.kind == ClauseKind.MIN_REVENUE:
        duplicates = duplicates.filter(scope_line=clause.scope_line)
    if duplicates.exists():
        raise ValidationError({"kind": _("This contract already has this clause.")})


def clause_create(
    *, vendor: Vendor, actor: Membership, contract: Contract, **fields
) -> PerformanceClause:
    """Add a performance clause to a contract (validated so later jobs can check it)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, contract)
    unknown = set(fields) - set(CLAUSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown clause fields: {sorted(unknown)}")
    clause = PerformanceClause(vendor=vendor, contract=contract, **fields)
    with transaction.atomic():
        _validate_clause(clause)
        clause.save()
        audit_record(
            vendor=vendor,
            actor=actor,
            action="contract.clause.create",
            obj=clause,
            changes=changes_between({}, snapshot(clause, ["contract", *CLAUSE_FIELDS])),
        )
    return clause


def clause_update(
    *, vendor: Vendor, actor: Membership, clause: PerformanceClause, **fields
) -> PerformanceClause:
    """Change a performance clause; the same validation as when it was added."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, clause)
    unknown = set(fields) - set(CLAUSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown clause fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = PerformanceClause.objects.select_for_update().get(pk=clause.pk)
        before = snapshot(stored, CLAUSE_FIELDS)
        for name, value in fields.items():
            setattr(clause, name, value)
        _validate_clause(clause)
        clause.save()
        changes = changes_between(before, snapshot(clause, CLAUSE_FIELDS))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="contract.clause.update",
                obj=clause,
                changes=changes,
            )
    return clause


def clause_delete(*, vendor: Vendor, actor: Membership, clause: PerformanceClause) -> None:
    """Remove a performance clause (the audit trail keeps what it said)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, clause)
    with transaction.atomic():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="contract.clause.delete",
            obj=clause,
            changes=changes_between(snapshot(clause, ["contract", *CLAUSE_FIELDS]), {}),
        )
        clause.delete()

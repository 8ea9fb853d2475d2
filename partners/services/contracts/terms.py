"""Contract terms: create and update a contract with its scope lines."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from partners.models import Contract, Distributor, Membership, ScopeLine, Vendor
from partners.services.audit import audit_record, changes_between, snapshot
from partners.services.contracts.scope import (
    LineSpec,
    _build_line,
    _check_can_edit,
    _check_same_vendor,
    _exclusive_from,
    _line_summary,
    _save_line,
    _scope_lock,
)
from partners.services.contracts.term_checks import contract_terms_errors
from partners.services.selection import selection_gate_check

CONTRACT_FIELDS = [
    "reference",
    "status",
    "starts_on",
    "ends_on",
    "auto_renews",
    "renewal_term_months",
    "notice_days",
    "exit_rights",
    "signed_on",
    "launch_ends_on",
    "scale_starts_on",
    "reminder_days",
]


def _validate_terms(contract: Contract) -> None:
    errors = contract_terms_errors(contract)
    if errors:
        raise ValidationError(errors)


def _save_contract(contract: Contract) -> None:
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        if "contract_unique_ref" in str(exc):
            raise ValidationError(
                {"reference": _("Another contract already has this reference.")}
            ) from exc
        raise


def contract_create(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    scope_lines: Iterable = (),
    **terms,
) -> Contract:
    """Add a contract for ``distributor`` with its scope lines.

    A prospect must have cleared selection (``selection_gate_check``). Each line goes through
    the overlap rule; nothing is saved if any line is refused."""
    _check_can_edit(actor)
    unknown = set(terms) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {sorted(unknown)}")
    if distributor is None:
        raise ValidationError({"distributor": _("Choose a distributor.")})
    if distributor.vendor_id != vendor.id:
        raise ValidationError({"distributor": _("Choose a distributor of this workspace.")})
    try:
        selection_gate_check(distributor=distributor)
    except ValidationError as exc:
        raise ValidationError({"distributor": exc.messages}, code="selection_incomplete") from exc
    contract = Contract(vendor=vendor, distributor=distributor, created_by=actor.user, **terms)
    specs = [LineSpec.coerce(s) for s in scope_lines]
    with transaction.atomic():
        _validate_terms(contract)
        _scope_lock(vendor)
        _save_contract(contract)
        lines = [
            _save_line(
                _build_line(
                    vendor=vendor,
                    contract=contract,
                    spec=spec,
                    default_start=contract.starts_on,
                    field="scope_lines",
                ),
                field="scope_lines",
            )
            for spec in specs
        ]
        audit_record(
            vendor=vendor,
            actor=actor,
            action="contract.create",
            obj=contract,
            changes={
                **changes_between({}, snapshot(contract, ["distributor", *CONTRACT_FIELDS])),
                "scope_lines": [None, [_line_summary(line) for line in lines]],
            },
        )
    return contract


def contract_update(
    *,
    vendor: Vendor,
    actor: Membership,
    contract: Contract,
    scope_lines: Iterable | None = None,
    **terms,
) -> Contract:
    """Change a contract's terms and (optionally) correct its scope lines.

    ``scope_lines`` are corrections of what was agreed, not amendments: items with an ``id``
    change that line (or remove it with ``delete``), items without add one. Lines written by an
    amendment, ended by one, or named by a clause cannot be removed here. When the phases move,
    the exclusive periods of every line move with them and are checked again."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, contract)
    unknown = set(terms) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = Contract.objects.select_for_update().get(pk=contract.pk)
        before = snapshot(stored, CONTRACT_FIELDS)
        for name, value in terms.items():
            setattr(contract, name, value)
        if "launch_ends_on" not in terms and contract.starts_on != stored.starts_on:
            contract.launch_ends_on = None  # type: ignore[assignment]  # _validate_terms defaults it
        _validate_terms(contract)
        _scope_lock(vendor)
        existing = {line.pk: line for line in ScopeLine.objects.filter(contract=contract)}
        _save_contract(contract)
        line_changes = []
        specs = [LineSpec.coerce(s) for s in (scope_lines or [])]
        touched: set[int] = set()
        for spec in specs:
            if spec.id is None or not spec.delete:
                continue
            line = existing.get(int(spec.id))
            if line is None:
                raise ValidationError(
                    {"scope_lines": _("That scope line is not in this contract.")}
                )
            if line.added_by_id or line.ended_by_id or line.clauses.exists():
                raise ValidationError(
                    {
                        "scope_lines": _(
                            "%(scope)s has an amendment or a clause; amend the contract to end "
                            "it instead."
                        )
                        % {"scope": str(line)}
                    }
                )
            line_changes.append({"removed": _line_summary(line)})
            line.delete()
            touched.add(line.pk)
            del existing[int(spec.id)]
        for spec in specs:
            if spec.delete:
                continue
            if spec.id is not None:
                line = existing.get(int(spec.id))
                if line is None:
                    raise ValidationError(
                        {"scope_lines": _("That scope line is not in this contract.")}
                    )
                old = _line_summary(line)
                _build_line(
                    vendor=vendor,
                    contract=contract,
                    spec=spec,
                    default_start=line.starts_on,
                    field="scope_lines",
                    line=line,
                )
                touched.add(line.pk)
            else:
                old = None
                line = _build_line(
                    vendor=vendor,
                    contract=contract,
                    spec=spec,
                    default_start=contract.starts_on,
                    field="scope_lines",
                )
            _save_line(line, field="scope_lines")
            if old != _line_summary(line):
                line_changes.append({"before": old, "after": _line_summary(line)})
        outside = ScopeLine.objects.filter(contract=contract).filter(
            Q(starts_on__lt=contract.starts_on) | Q(ends_on__gt=contract.ends_on)
        )
        if outside.exists():
            raise ValidationError(
                {"ends_on": _("Some scope lines fall outside these dates; change them first.")}
            )
        # The phases may have moved: exclusivity follows the conditional phase.
        for line in existing.values():
            if line.pk in touched or line.exclusive_from is None:
                continue
            wanted = _exclusive_from(contract, line.starts_on, line.ends_on, "launch_ends_on")
            if wanted != line.exclusive_from:
                old = _line_summary(line)
                line.exclusive_from = wanted
                _save_line(line, field="launch_ends_on")
                line_changes.append({"before": old, "after": _line_summary(line)})
        changes = changes_between(before, snapshot(contract, CONTRACT_FIELDS))
        if line_changes:
            changes["scope_lines"] = [None, line_changes]
        if changes:
            audit_record(
                vendor=vendor, actor=actor, action="contract.update", obj=contract, changes=changes
            )
    return contract

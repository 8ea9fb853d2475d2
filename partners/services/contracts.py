"""Contracts: terms, scope, amendments, performance clauses, the signed document and reminders.

The rule that matters: two distributors of one vendor never hold overlapping exclusive scope
(same territory and product line, overlapping dates). Three layers keep it:

1. Every write of scope lines takes a transaction-level advisory lock for the vendor
   (``_scope_lock``) before it looks for conflicts, so two concurrent requests are checked one
   after the other, and the second sees what the first wrote.
2. ``_scope_conflict`` looks for a conflict and the service refuses with a message that names
   the conflicting contract and distributor.
3. The exclusion constraint ``scopeline_no_overlapping_exclusive_scope`` refuses overlapping
   exclusive periods whatever the application does; its IntegrityError becomes the same
   ValidationError.

We also refuse to grant *anyone* scope (exclusive or not) that overlaps another distributor's
exclusive scope: exclusivity that another distributor may sell into is exclusive on paper only.
The database constraint cannot express that second rule (it would need "either row exclusive"),
so the advisory lock is what makes it hold under concurrency.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners import roles
from partners.models import (
    AmendmentKind,
    ClauseKind,
    Contract,
    ContractAmendment,
    Distributor,
    Membership,
    OutboundEmail,
    PerformanceClause,
    ProductLine,
    ScopeLine,
    Territory,
    Vendor,
)
from partners.platform.uploads import CONTRACT_KINDS, stored_name, validate_document
from partners.selectors import relationship_managers
from partners.services.contract_terms import contract_terms_errors

from .audit import audit_record, changes_between, snapshot
from .outbox import email_queue
from .selection import selection_gate_check

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
# The first key of the two-key advisory lock: "contract scope" (the second is the vendor id).
_SCOPE_LOCK_CLASS = 0x5C0E


@dataclass
class LineSpec:
    """A scope line as asked for: dates default to the contract's (or the amendment's)."""

    territory: Territory
    product_line: ProductLine
    exclusive: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    id: int | None = None
    delete: bool = False

    @classmethod
    def coerce(cls, value) -> LineSpec:
        if isinstance(value, cls):
            return value
        known = {"territory", "product_line", "exclusive", "starts_on", "ends_on", "id", "delete"}
        return cls(**{k: v for k, v in dict(value).items() if k in known})


def _check_can_edit(actor: Membership | None) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers edit contracts."))


def _check_same_vendor(vendor: Vendor, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.vendor_id != vendor.id:
            raise PermissionDenied


def _scope_lock(vendor: Vendor) -> None:
    """Serialise scope writes of one vendor until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SCOPE_LOCK_CLASS, vendor.id])


def _d(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


# --- the overlap rule ---------------------------------------------------------------------------


def _scope_conflict(line: ScopeLine) -> ScopeLine | None:
    """The first stored line that ``line`` may not coexist with, or None.

    * another distributor's line whose exclusive period overlaps this line's dates;
    * another distributor's line overlapping this line's exclusive period;
    * a line of the same distributor whose exclusive period overlaps this one's (the database
      refuses that too), or a line of the same contract for the same scope and dates.
    """
    same_scope = ScopeLine.objects.filter(
        territory_id=line.territory_id, product_line_id=line.product_line_id
    ).exclude(pk=line.pk)
    overlaps_mine = Q(starts_on__lte=line.ends_on, ends_on__gte=line.starts_on)
    theirs_exclusive_over_mine = Q(
        exclusive_from__isnull=False,
        exclusive_from__lte=line.ends_on,
        ends_on__gte=line.starts_on,
    )
    other = Q(~Q(distributor_id=line.distributor_id) & theirs_exclusive_over_mine)
    same = Q(contract_id=line.contract_id) & overlaps_mine
    if line.exclusive_from is not None:
        overlaps_my_exclusivity = Q(starts_on__lte=line.ends_on, ends_on__gte=line.exclusive_from)
        other |= ~Q(distributor_id=line.distributor_id) & overlaps_my_exclusivity
        same |= Q(
            distributor_id=line.distributor_id,
            exclusive_from__isnull=False,
            exclusive_from__lte=line.ends_on,
            ends_on__gte=line.exclusive_from,
        )
    return (
        same_scope.filter(other | same)
        .select_related("contract", "distributor", "territory", "product_line")
        .order_by("starts_on", "id")
        .first()
    )


def scope_conflict_message(line: ScopeLine, conflict: ScopeLine) -> str:
    """What the person is told: the scope, and the contract and distributor in the way."""
    params = {
        "scope": f"{conflict.territory} × {conflict.product_line}",
        "reference": conflict.contract.reference,
        "distributor": conflict.distributor.name,
        "from": _d(conflict.exclusive_from or conflict.starts_on),
        "until": _d(conflict.ends_on),
    }
    if conflict.distributor_id == line.distributor_id:
        return (
            _(
                "%(scope)s is already in contract %(reference)s of %(distributor)s from "
                "%(from)s to %(until)s."
            )
            % params
        )
    if conflict.is_exclusive:
        return (
            _(
                "%(scope)s is held exclusively by %(distributor)s under contract %(reference)s "
                "from %(from)s to %(until)s."
            )
            % params
        )
    return (
        _(
            "%(scope)s cannot be exclusive: %(distributor)s holds it under contract "
            "%(reference)s from %(from)s to %(until)s."
        )
        % params
    )


def _save_line(line: ScopeLine, *, field: str) -> ScopeLine:
    """Check ``line`` against every other line and save it; refuse with a message naming the
    conflicting contract. Call only while holding ``_scope_lock``."""
    conflict = _scope_conflict(line)
    if conflict is not None:
        raise ValidationError({field: scope_conflict_message(line, conflict)}, code="overlap")
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as exc:
        if "scopeline_no_overlapping_exclusive_scope" not in str(exc):
            raise
        # Only reachable if something wrote without the lock; the message is the same.
        conflict = _scope_conflict(line)
        message = (
            scope_conflict_message(line, conflict)
            if conflict is not None
            else _("Another distributor holds this scope exclusively.")
        )
        raise ValidationError({field: message}, code="overlap") from exc
    return line


def _exclusive_from(contract: Contract, starts_on: dt.date, ends_on: dt.date, field: str):
    """Exclusivity holds from the conditional phase (never during launch)."""
    first = max(starts_on, contract.conditional_starts_on)
    if first > ends_on:
        raise ValidationError(
            {
                field: _(
                    "Exclusivity applies from the conditional phase (%(date)s); this line ends "
                    "before it."
                )
                % {"date": _d(contract.conditional_starts_on)}
            }
        )
    return first


def _build_line(
    *,
    vendor: Vendor,
    contract: Contract,
    spec: LineSpec,
    default_start: dt.date,
    field: str,
    line: ScopeLine | None = None,
) -> ScopeLine:
    if spec.territory is None or spec.product_line is None:
        raise ValidationError({field: _("Choose a territory and a product line.")})
    if spec.territory.vendor_id != vendor.id or spec.product_line.vendor_id != vendor.id:
        raise ValidationError(
            {field: _("Choose a territory and a product line of this workspace.")}
        )
    starts_on = spec.starts_on or default_start
    ends_on = spec.ends_on or contract.ends_on
    if starts_on < contract.starts_on or ends_on > contract.ends_on:
        raise ValidationError(
            {
                field: _("Scope lines must fall within the contract (%(from)s to %(until)s).")
                % {"from": _d(contract.starts_on), "until": _d(contract.ends_on)}
            }
        )
    if ends_on < starts_on:
        raise ValidationError({field: _("A scope line cannot end before it starts.")})
    line = line or ScopeLine(vendor=vendor, contract=contract, distributor=contract.distributor)
    line.territory = spec.territory
    line.product_line = spec.product_line
    line.starts_on = starts_on
    line.ends_on = ends_on
    line.exclusive_from = (
        _exclusive_from(contract, starts_on, ends_on, field) if spec.exclusive else None
    )
    return line


def _line_summary(line: ScopeLine) -> dict | None:
    return {
        "territory": line.territory_id,
        "product_line": line.product_line_id,
        "starts_on": line.starts_on.isoformat(),
        "ends_on": line.ends_on.isoformat(),
        "exclusive_from": line.exclusive_from.isoformat() if line.exclusive_from else None,
    }


# --- contract terms -----------------------------------------------------------------------------


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


# --- amendments ---------------------------------------------------------------------------------


def contract_amend(
    *,
    vendor: Vendor,
    actor: Membership,
    contract: Contract,
    effective_on: dt.date,
    reason: str,
    end_line_ids: Iterable[int] = (),
    add_lines: Iterable = (),
) -> ContractAmendment:
    """Expand or reduce a contract's scope from ``effective_on``.

    Ended lines stop the day before ``effective_on``; added lines start on it. History is
    kept: nothing is deleted. Added lines go through the overlap rule like any other."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, contract)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the scope changes.")
    if effective_on is None:
        errors["effective_on"] = _("Enter the date the change takes effect.")
    elif not (contract.starts_on < effective_on <= contract.ends_on):
        errors["effective_on"] = _(
            "The change must take effect after the contract starts and no later than its end "
            "(%(from)s to %(until)s)."
        ) % {"from": _d(contract.starts_on), "until": _d(contract.ends_on)}
    end_ids = {int(pk) for pk in end_line_ids}
    specs = [LineSpec.coerce(s) for s in add_lines]
    if not end_ids and not specs and not errors:
        errors["add_lines"] = _("Add a scope line or choose one to end.")
    if errors:
        raise ValidationError(errors)
    kind = (
        AmendmentKind.CHANGE
        if end_ids and specs
        else AmendmentKind.EXPAND
        if specs
        else AmendmentKind.REDUCE
    )
    with transaction.atomic():
        _scope_lock(vendor)
        amendment = ContractAmendment.objects.create(
            vendor=vendor,
            contract=contract,
            kind=kind,
            effective_on=effective_on,
            reason=reason,
            created_by=actor.user,
        )
        lines = {
            line.pk: line
            for line in ScopeLine.objects.select_for_update().filter(
                contract=contract, pk__in=end_ids
            )
        }
        ended, added = [], []
        for pk in sorted(end_ids):
            line = lines.get(pk)
            if line is None:
                raise ValidationError({"end_lines": _("That scope line is not in this contract.")})
            if line.ended_by_id or not (line.starts_on < effective_on <= line.ends_on):
                raise ValidationError(
                    {
                        "end_lines": _(
                            "%(scope)s does not run on %(date)s (it runs from %(from)s to "
                            "%(until)s)."
                        )
                        % {
                            "scope": str(line),
                            "date": _d(effective_on),
                            "from": _d(line.starts_on),
                            "until": _d(line.ends_on),
                        }
                    }
                )
            old = _line_summary(line)
            line.ends_on = effective_on - dt.timedelta(days=1)
            if line.exclusive_from and line.exclusive_from > line.ends_on:
                line.exclusive_from = None  # ended before its exclusivity began
            line.ended_by = amendment
            line.save(update_fields=["ends_on", "exclusive_from", "ended_by"])
            ended.append({"before": old, "after": _line_summary(line)})
        for spec in specs:
            line = _build_line(
                vendor=vendor,
                contract=contract,
                spec=spec,
                default_start=effective_on,
                field="add_lines",
            )
            if line.starts_on < effective_on:
                raise ValidationError(
                    {"add_lines": _("Added lines start on or after the effective date.")}
                )
            line.added_by = amendment
            _save_line(line, field="add_lines")
            added.append(_line_summary(line))
        audit_record(
            vendor=vendor,
            actor=actor,
            action="contract.amend",
            obj=contract,
            changes={
                "amendment": [None, amendment.pk],
                "effective_on": [None, effective_on.isoformat()],
                "reason": [None, reason],
                "ended_lines": [None, ended],
                "added_lines": [None, added],
            },
        )
    return amendment


def contract_exclusivity_end(
    *,
    vendor: Vendor,
    actor: Membership | None,
    line: ScopeLine,
    effective_on: dt.date,
    reason: str,
) -> ContractAmendment | None:
    """End the exclusivity of one scope line from ``effective_on``: the exclusive line ends the
    day before and a non-exclusive line for the same territory and product line continues to
    the old end, both recorded by one amendment (the history keeps what was held when).

    Used by the exclusivity verdicts (``actor`` None: the quarterly job, audited as "system";
    otherwise a vendor admin or channel manager). Returns None, changing nothing, when there is
    nothing to end: the line is no longer exclusive on ``effective_on``, already ended by an
    amendment, or does not run on that day."""
    if actor is not None:
        _check_can_edit(actor)
    _check_same_vendor(vendor, line)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the scope changes.")})
    with transaction.atomic():
        _scope_lock(vendor)
        line = (
            ScopeLine.objects.select_for_update()
            .select_related("contract", "territory", "product_line")
            .get(pk=line.pk)
        )
        contract = line.contract
        if (
            line.ended_by_id
            or line.exclusive_from is None
            or line.exclusive_from > effective_on
            or not (line.starts_on < effective_on <= line.ends_on)
            or not (contract.starts_on < effective_on <= contract.ends_on)
        ):
            return None
        amendment = ContractAmendment.objects.create(
            vendor=vendor,
            contract=contract,
            kind=AmendmentKind.CHANGE,
            effective_on=effective_on,
            reason=reason,
            created_by=actor.user if actor is not None else None,
        )
        old = _line_summary(line)
        old_end = line.ends_on
        line.ends_on = effective_on - dt.timedelta(days=1)
        line.ended_by = amendment
        line.save(update_fields=["ends_on", "ended_by"])
        continued = ScopeLine(
            vendor=vendor,
            contract=contract,
            distributor=line.distributor,
            territory=line.territory,
            product_line=line.product_line,
            starts_on=effective_on,
            ends_on=old_end,
            exclusive_from=None,
            added_by=amendment,
        )
        _save_line(continued, field="add_lines")
        audit_record(
            vendor=vendor,
            actor=actor,
            action="contract.amend",
            obj=contract,
            changes={
                "amendment": [None, amendment.pk],
                "effective_on": [None, effective_on.isoformat()],
                "reason": [None, reason],
                "ended_lines": [None, [{"before": old, "after": _line_summary(line)}]],
                "added_lines": [None, [_line_summary(continued)]],
            },
        )
    return amendment


def scope_lines_exclusivity_ending_set(
    *, vendor: Vendor, endings: dict[int, dt.date | None]
) -> int:
    """Record (or, with None, clear) the last exclusive day of scope lines whose exclusivity a
    notified revoke ends later: ``{scope line id: last exclusive day}``. The contract and
    distributor pages then say "exclusive until <day>" until ``contract_exclusivity_end``
    writes the amendment on the day after. Used by the quarterly exclusivity job and by the
    overrides and holds of its verdicts; the verdict is the record (and is audited), this is
    its mirror on the contract, so nothing is audited here. Lines of another vendor, or already
    ended by an amendment, are left alone. One statement. Returns the number of lines
    changed."""
    rows = [
        {"id": int(line_id), "day": day.isoformat() if day else None}
        for line_id, day in endings.items()
    ]
    with connection.cursor() as cursor:  # one statement, even for none (constant queries)
        cursor.execute(
            "UPDATE partners_scopeline sl SET exclusivity_ends_on = e.day"
            "  FROM jsonb_to_recordset(%s::jsonb) AS e(id bigint, day date)"
            " WHERE sl.vendor_id = %s AND sl.id = e.id AND sl.ended_by_id IS NULL"
            "   AND sl.exclusivity_ends_on IS DISTINCT FROM e.day",
            [json.dumps(rows), vendor.id],
        )
        return cursor.rowcount


# --- performance clauses ------------------------------------------------------------------------


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


# --- the signed document ------------------------------------------------------------------------


def contract_document_upload(
    *, vendor: Vendor, actor: Membership, contract: Contract, file
) -> Contract:
    """Store the signed PDF of a contract (checked by content and size; a random name)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, contract)
    try:
        kind = validate_document(file, CONTRACT_KINDS)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}, code=exc.code) from exc
    old_name = contract.document.name
    storage = contract.document.storage
    contract.document.save(stored_name(vendor.id, "contracts", kind), file, save=False)
    new_name = contract.document.name
    try:
        with transaction.atomic():
            contract.document_name = (file.name or "contract.pdf")[-200:]
            contract.document_uploaded_at = timezone.now()
            Contract.objects.filter(pk=contract.pk).update(
                document=new_name,
                document_name=contract.document_name,
                document_uploaded_at=contract.document_uploaded_at,
            )
            audit_record(
                vendor=vendor,
                actor=actor,
                action="contract.document.upload",
                obj=contract,
                changes={"document_name": [None, contract.document_name]},
            )
    except Exception:
        if new_name:
            storage.delete(new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return contract


# --- reminders ----------------------------------------------------------------------------------


def contract_reminders_send(*, vendor: Vendor, contract_id: int, today: dt.date | None = None):
    """Queue the reminders due today for one contract, to its channel manager (or the vendor
    admins). Safe to run twice: each e-mail has a dedupe key per contract, kind, days and
    target date. Returns how many e-mails were newly queued."""
    contract = (
        Contract.objects.select_related("distributor", "distributor__owner__user")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        return 0
    today = today or contract.distributor.local_today()
    queued = 0
    path = reverse("contract-detail", kwargs={"vendor_slug": vendor.slug, "pk": contract.pk})
    for kind, days, target in contract.reminders_due(today):
        for user in [
            m.user for m in relationship_managers(vendor=vendor, distributor=contract.distributor)
        ]:
            key = f"contract-reminder:{contract.pk}:{kind}:{days}:{target.isoformat()}:{user.pk}"
            if OutboundEmail.objects.filter(dedupe_key=key).exists():
                continue
            email_queue(
                vendor=vendor,
                to=user.email,
                template="contract_reminder",
                language=user.language or "en",
                dedupe_key=key,
                context={
                    "kind": kind,
                    "days": days,
                    "days_left": (target - today).days,
                    "target": target,
                    "reference": contract.reference,
                    "distributor_name": contract.distributor.name,
                    "ends_on": contract.ends_on,
                    "notice_deadline": contract.notice_deadline,
                    "auto_renews": contract.auto_renews,
                    "contract_url": f"{settings.SITE_URL}{path}",
                },
            )
            queued += 1
    return queued

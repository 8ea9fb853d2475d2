"""Contract amendments: amend the terms or the scope, and end exclusivity early."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from partners.models import (
    AmendmentKind,
    Contract,
    ContractAmendment,
    Membership,
    ScopeLine,
    Vendor,
)
from partners.services.audit import audit_record
from partners.services.contracts.scope import (
    LineSpec,
    _build_line,
    _check_can_edit,
    _check_same_vendor,
    _d,
    _line_summary,
    _save_line,
    _scope_lock,
)


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

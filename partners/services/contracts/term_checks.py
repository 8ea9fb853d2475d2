"""The checks of a contract's terms taken together (dates, phases, renewal, notice, reminders,
status, reference), in one place for the service that saves a contract and for the forms that
show every error at once.

A form whose field errors stopped it before the service ran still reports the cross-field
errors of the fields that did parse: each check runs when its inputs are there and valid, and
is skipped when one of them is missing or refused (its field already carries an error).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from copy import copy
from typing import Any

from django.utils.translation import gettext as _

from partners.models import Contract, ContractStatus
from partners.models.contracts import LAUNCH_DAYS, default_reminder_days


def contract_terms_errors(contract: Contract, *, invalid: Collection[str] = ()) -> dict[str, str]:
    """The errors of ``contract``'s terms, one message per field, after normalising them in
    place (reference trimmed, launch end defaulted, renewal term cleared when it does not renew,
    reminder days sorted). A check whose inputs are named in ``invalid`` or missing is skipped,
    so its field's own error is not joined by one about a value the reader never gave."""

    def usable(*names: str) -> bool:
        return all(n not in invalid and getattr(contract, n) is not None for n in names)

    errors: dict[str, str] = {}
    if "reference" not in invalid:
        contract.reference = (contract.reference or "").strip()
        if not contract.reference:
            errors["reference"] = _("Enter the contract's reference.")
    dates = usable("starts_on", "ends_on")
    if dates and contract.ends_on <= contract.starts_on:
        errors["ends_on"] = _("The contract must end after it starts.")
        dates = False
    if dates and "launch_ends_on" not in invalid:
        if contract.launch_ends_on is None:
            default_end = contract.starts_on + dt.timedelta(days=LAUNCH_DAYS - 1)
            contract.launch_ends_on = min(default_end, contract.ends_on - dt.timedelta(days=1))
        if not (contract.starts_on <= contract.launch_ends_on < contract.ends_on):
            errors["launch_ends_on"] = _(
                "The launch phase ends on or after the start and before the contract's end."
            )
        elif (
            "scale_starts_on" not in invalid
            and contract.scale_starts_on
            and not (contract.launch_ends_on < contract.scale_starts_on <= contract.ends_on)
        ):
            errors["scale_starts_on"] = _(
                "The scale phase starts after the launch phase and no later than the contract's "
                "end."
            )
    if "auto_renews" not in invalid and "renewal_term_months" not in invalid:
        if contract.auto_renews and not contract.renewal_term_months:
            errors["renewal_term_months"] = _("Say how long each renewal runs.")
        if not contract.auto_renews:
            contract.renewal_term_months = None
    if "notice_days" not in invalid:
        too_long = (
            dates and (contract.notice_days or 0) > (contract.ends_on - contract.starts_on).days
        )
        if contract.notice_days is None or too_long:
            errors["notice_days"] = _("The notice period must be shorter than the contract.")
    if "reminder_days" not in invalid:
        days = contract.reminder_days
        if days is None:
            days = default_reminder_days()
        if any(int(d) < 1 or int(d) > 365 for d in days):
            errors["reminder_days"] = _("Reminders are between 1 and 365 days ahead.")
        contract.reminder_days = sorted({int(d) for d in days}, reverse=True)
    if usable("status"):
        if (
            "signed_on" not in invalid
            and contract.status == ContractStatus.ACTIVE
            and not contract.signed_on
        ):
            errors["signed_on"] = _("A contract in force needs the date it was signed.")
        if contract.status not in ContractStatus.values:
            errors["status"] = _("Choose a status.")
    if (
        contract.reference
        and "reference" not in invalid
        and Contract.objects.filter(reference__iexact=contract.reference)
        .exclude(pk=contract.pk)
        .exists()
    ):
        errors["reference"] = _("Another contract already has this reference.")
    return errors


def contract_terms_check(
    *, contract: Contract | None, terms: Mapping[str, Any], invalid: Collection[str]
) -> dict[str, str]:
    """The cross-field errors of terms that a form or the API parsed only in part: ``terms``
    holds the fields that parsed, ``invalid`` the ones refused. Runs the checks on a copy of
    ``contract`` (or a new one) and returns only errors of fields that have none yet, so a
    first submission shows every error at once. Nothing is saved or changed."""
    draft = copy(contract) if contract is not None else Contract()
    for name, value in terms.items():
        if hasattr(Contract, name) and name != "distributor":
            setattr(draft, name, value)
    return {
        field: message
        for field, message in contract_terms_errors(draft, invalid=invalid).items()
        if field not in invalid
    }

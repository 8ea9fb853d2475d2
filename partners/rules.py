"""Partners' domain rules that both the services (which enforce them) and the selectors (which
draw the pages from them) need: pure functions of an object's state, with no reads or writes.
Who may do what is in ``partners/roles.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from partners.models import Distributor, DistributorStatus, FinancialCheck, SelectionChecklist

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = DistributorStatus

# Where each status may go next; terminated is final.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PROSPECT: (S.ONBOARDING, S.ACTIVE, S.TERMINATED),
    S.ONBOARDING: (S.ACTIVE, S.TERMINATED),
    S.ACTIVE: (S.SUSPENDED, S.TERMINATED),
    S.SUSPENDED: (S.ACTIVE, S.TERMINATED),
    S.TERMINATED: (),
}


def status_choices_for(distributor: Distributor) -> list[tuple[str, StrOrPromise]]:
    """The statuses this distributor may move to next, as (value, label)."""
    return [(s, S(s).label) for s in STATUS_TRANSITIONS[distributor.status]]


def selection_missing_checks(selection: SelectionChecklist) -> dict[str, str]:
    """The checks still open, as {field: message}, in the order of the form."""
    missing = {}
    if not selection.references_checked:
        missing["references_checked"] = _("Check the references first.")
    if not selection.competing_brands_reviewed:
        missing["competing_brands_reviewed"] = _("Review the competing brands first.")
    if not selection.sales_capacity_confirmed:
        missing["sales_capacity_confirmed"] = _("Confirm the sales capacity first.")
    if not selection.willing_to_train:
        missing["willing_to_train"] = _("Confirm that it will train its sales people first.")
    if selection.financial_check not in (FinancialCheck.PASSED, FinancialCheck.CONCERNS):
        missing["financial_check"] = _("The financial check must be passed first.")
    return missing

"""Partner selection: the due-diligence checklist a prospect goes through before signing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.models import Distributor, DistributorStatus, SelectionChecklist


def selection_gate_check(*, distributor: Distributor) -> None:
    """Raise a ValidationError unless this distributor may get a contract: a prospect needs a
    complete, approved selection checklist, or a vendor admin's written override."""
    if distributor.status != DistributorStatus.PROSPECT:
        return
    selection = SelectionChecklist.objects.filter(distributor=distributor).first()
    if selection is None or not selection.clears_contract:
        raise ValidationError(
            _(
                "%(name)s is a prospect whose selection checklist is not complete. Complete and "
                "approve it, or ask a vendor admin to override it with a reason."
            )
            % {"name": distributor.name},
            code="selection_incomplete",
        )

"""Who may change what in a corrective plan, given the object's state: rules that both the plan
services (which enforce them) and the plan selectors (which draw the page's controls) import.
The role facts themselves are in ``partners/roles.py``."""

from __future__ import annotations

from partners import roles
from partners.models import Membership
from scorecards.models import PlanAction


def may_set_status(actor: Membership | None, action: PlanAction) -> bool:
    """Editors set any action's status; a distributor's person only of actions they own."""
    if roles.is_editor(actor):
        return True
    return (
        roles.is_distributor_person(actor)
        and action.owner_id == actor.pk
        and action.plan.distributor_id == actor.distributor_id
    )

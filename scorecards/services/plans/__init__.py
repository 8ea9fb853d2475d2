"""Corrective action plans: suggest them from gaps, open them, agree at most three actions,
review them after 30 days, and remind owners and reviewers through the outbox.

* ``plan_suggest_from_reds``: set-based; every distributor with the same KPI red in a month
  and in the month before gets one suggested plan (never two suggested or open plans for one
  distributor and trigger, never a second plan for the same month).
* ``plan_open``: vendor staff accept a suggestion, or open a plan by hand; the review date is
  30 days on, in the distributor's calendar.
* ``action_add`` / ``action_update``: at most three actions per plan, counted under a row lock
  on the plan; a distributor's person changes only the status of actions they own.
* ``plan_review``: recovered and closed, extended to a new review date, scope reduced (through
  ``partners.services.contracts.contract_amend``) or another route to market opened; the
  reason is required.
* ``plan_reminders_send``: actions due within three days or overdue, and reviews that are due,
  each e-mailed once (dedupe keys), in the recipient's language.

The modules: ``suggestions`` (from reds and from exclusivity verdicts), ``lifecycle``
(opening, actions and the review) and ``reminders``. This package re-exports the public
services.
"""

from __future__ import annotations

from scorecards.services.plans.lifecycle import (
    ACTION_FIELDS,
    REVIEW_FIELDS,
    action_add,
    action_update,
    owner_may_hold,
    plan_open,
    plan_review,
)
from scorecards.services.plans.reminders import DUE_SOON_DAYS, plan_reminders_send
from scorecards.services.plans.suggestions import (
    plan_suggest_from_reds,
    plan_suggest_from_verdicts,
    red_kpi_gaps,
)

__all__ = [
    "ACTION_FIELDS",
    "DUE_SOON_DAYS",
    "REVIEW_FIELDS",
    "action_add",
    "action_update",
    "owner_may_hold",
    "plan_open",
    "plan_reminders_send",
    "plan_review",
    "plan_suggest_from_reds",
    "plan_suggest_from_verdicts",
    "red_kpi_gaps",
]

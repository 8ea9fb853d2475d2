"""Corrective action plans: the underperformance loop of seed 002 ("spot the gap, agree a
corrective action plan of three actions with owners and deadlines, review after 30 days").

A plan is *suggested* by a gap the portal spots (the same KPI red two months running, or an
exclusivity warning) or opened by hand; vendor staff *open* it (the review date is then 30 days
on) and *review* it with an outcome: recovered and closed, extended (a new review date),
scope reduced (through a contract amendment) or another route to market opened. A plan has at
most three actions (``PLAN_MAX_ACTIONS``), each owned by a vendor person or one of the
distributor's people; the service enforces the limit under a row lock on the plan.

Idempotency keys: at most one suggested or open plan per distributor and trigger
(``plan_one_active_per_trigger``), and one plan per distributor, trigger and trigger period
(``plan_unique_trigger_period``: the month of a red-KPI suggestion), so a suggestion that was
reviewed and closed is not suggested again for the same month.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import TenantModel

PLAN_MAX_ACTIONS = 3
PLAN_REVIEW_DAYS = 30


class PlanTrigger(models.TextChoices):
    WARN_VERDICT = "warn_verdict", _("Exclusivity warning")
    RED_KPI = "red_kpi", _("Same KPI red two months running")
    MANUAL = "manual", _("Opened by hand")


class PlanStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


ACTIVE_PLAN_STATUSES = (PlanStatus.SUGGESTED.value, PlanStatus.OPEN.value)


class PlanOutcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered and closed")
    EXTENDED = "extended", _("Extended")
    SCOPE_REDUCED = "scope_reduced", _("Scope reduced")
    NEW_ROUTE = "new_route", _("Another route to market opened")


class CorrectivePlan(TenantModel):
    """A corrective action plan for one distributor.

    ``trigger_details`` says what started it, in data: for a red-KPI suggestion
    ``{"kpis": [{"kpi": id, "code", "name", "unit", "months": [iso, iso], "values": [..],
    "bases": [..], "attainments": [..]}]}`` (``unit`` and ``bases`` only on newer plans); for an exclusivity warning ``{"lines": [{"verdict": id,
    "scope": "territory × product line", "unmet": [condition, ..]}]}`` with ``verdict`` the
    first of them. ``review_on`` is set when the plan opens (30 days on) and moves
    when a review extends it. The last review's ``outcome`` and ``outcome_reason`` stay on the
    plan (every review is also in the audit log); a scope reduction points at its
    ``amendment``."""

    distributor = models.ForeignKey(
        "partners.Distributor",
        verbose_name=_("distributor"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    trigger = models.CharField(_("trigger"), max_length=16, choices=PlanTrigger.choices)
    verdict = models.ForeignKey(
        "scorecards.ExclusivityVerdict",
        verbose_name=_("exclusivity verdict"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        db_index=False,
    )
    trigger_details = models.JSONField(default=dict, blank=True)
    trigger_period = models.DateField(null=True, blank=True)
    gap = models.TextField(_("the gap"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.SUGGESTED
    )
    opened_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=PlanOutcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    amendment = models.ForeignKey(
        "partners.ContractAmendment",
        verbose_name=_("amendment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "trigger"],
                condition=Q(status__in=ACTIVE_PLAN_STATUSES),
                name="plan_one_active_per_trigger",
            ),
            models.UniqueConstraint(
                fields=["vendor", "distributor", "trigger", "trigger_period"],
                condition=Q(trigger_period__isnull=False),
                name="plan_unique_trigger_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(review_on__isnull=False, opened_at__isnull=False),
                name="plan_open_has_review_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | ~Q(outcome_reason=""),
                name="plan_outcome_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="scope_reduced") | Q(amendment__isnull=False),
                name="plan_scope_reduced_has_amendment",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "status", "review_on"], name="plan_vendor_status"),
            models.Index(fields=["vendor", "distributor"], name="plan_vendor_distributor"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_trigger_display()} · {self.created_at:%Y-%m-%d}" if self.created_at else ""
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_PLAN_STATUSES

    def review_due(self, today: dt.date) -> bool:
        return (
            self.status == PlanStatus.OPEN
            and self.review_on is not None
            and self.review_on <= today
        )


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanAction(TenantModel):
    """One of a plan's (at most three) actions: what is done, by whom (a vendor person or one
    of the distributor's people) and by when. ``done_at`` is set when it is ticked done."""

    plan = models.ForeignKey(CorrectivePlan, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "partners.Membership", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False)
                | (~Q(status="done") & Q(done_at__isnull=True)),
                name="planaction_done_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "plan"], name="planaction_vendor_plan"),
            models.Index(fields=["vendor", "status", "due_on"], name="planaction_vendor_due"),
        ]

    def __str__(self) -> str:
        return self.text

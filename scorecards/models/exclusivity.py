"""Conditional exclusivity: each vendor's rules and the quarterly verdict on every exclusive
scope line (seed 002: "exclusivity is earned, not gifted").

What the rules mean, and the choices made where the seeds are silent
--------------------------------------------------------------------
* **Which lines are judged.** Every scope line with exclusivity granted (``exclusive_from`` set)
  of a contract in force, when the line runs on the quarter's last day. A non-exclusive line
  has nothing to renew or revoke and gets no verdict.
* **Launch.** A line is still in launch for a quarter when the contract's launch phase reaches
  into the quarter, or when the line's exclusivity starts after the quarter's first day. A line
  added by an amendment gets a launch of its own: ``launch_days`` from its start. Such a line
  gets "stay in launch": conditional exclusivity is judged on whole quarters only.
* **Revenue of a scope line.** Sales lines name no territory. A sales line counts for a scope
  line of the same distributor when it was matched to the scope's product line on import
  (``SalesLine.product_line``); a sales line matched to no product line counts when its
  ``product_code`` starts with ``ProductLine.code``, or always when that code is blank. A
  distributor holding the same product line in two territories has the same revenue counted
  for both. The threshold is the line's "minimum revenue per quarter" performance clause when
  it has one; otherwise the distributor's base target for the quarter on the vendor's revenue
  KPI (its first revenue KPI, as ``scorecards.metrics`` reads it; a quarter without a quarter
  target uses the sum of its months' targets). Without either, the condition cannot fail and
  the evidence says there was no threshold.
* **Reporting.** Weekly updates on time and monthly summaries handed in are the scorecard
  metrics of the fiscal quarter (``scorecards.metrics``: ``weekly_on_time``,
  ``monthly_review``), measured at the end of the quarter's last day (reports handed in since
  count as handed in); a quarter with none due cannot fail the condition.
* **One fact base.** The verdict and the standing during the quarter read the same selector,
  ``scorecards.selectors.exclusivity_facts.exclusivity_line_facts``: the verdict as of the
  quarter's last day, the standing as of today.
* **QBR held.** A ``QbrMeeting`` of the distributor dated within the quarter.
* **Warnings.** Conditions not met after ``warning_quarters`` quarters in a row already warned
  (or revoked and still pending) give "revoke"; otherwise "warn". ``warning_quarters`` = 0
  revokes at once.
* **Scale.** Conditions met, and the previous ``scale_after_quarters`` - 1 quarters' verdicts
  of the line were all renewals or scale proposals: "propose scale" (a proposal for people to
  act on, with no effect of its own).
* **When a verdict takes effect.** ``effective_on`` is the day after the quarter closes, except
  for a revoke: **a notice period runs from the notice**, so a revoke takes effect no earlier
  than the day the distributor was notified (the day the verdict was judged and its notice
  queued, or the day an override made it a revoke) plus the contract's notice period, whichever
  job or command judged the quarter (the daily job, ``exclusivity_close_quarter``, the demo
  seeder). From the notice the contract says the line stays exclusive until the day before
  (``ScopeLine.exclusivity_ends_on``). On the effective day (or the day after a hold ends,
  ``takes_effect_on``; unless overridden) the daily job, and the close-quarter command, end the
  exclusive line the day before and continue a non-exclusive line for the same scope, through
  a contract amendment written by ``partners.services.contracts.contract_exclusivity_end``.
  So the contract page, the distributor page, the verdict and the standing say the same on
  every day: exclusive until the day before, then amended.
* **Overrides and holds.** A vendor admin may replace the outcome with a written reason; the
  verdict keeps both, and what counts from then on (for the next quarter's warnings and
  streaks and for applying a revoke) is the overridden outcome. A revoke may be held until a
  date while a corrective plan runs; it takes effect after that date unless it was overridden.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import TenantModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ExclusivityRules(TenantModel):
    """How a vendor's exclusive scope lines are judged each fiscal quarter (one row per vendor;
    a vendor without one uses these defaults, from seed 002). ``evaluate_after_days`` leaves
    time after the quarter closes for the last week's update and late sales data before the
    verdicts are computed."""

    launch_days = models.PositiveSmallIntegerField(_("launch lasts (days)"), default=90)
    require_revenue = models.BooleanField(_("revenue of the scope at or above base"), default=True)
    require_weekly_on_time = models.BooleanField(_("weekly updates on time"), default=True)
    weekly_on_time_percent = models.PositiveSmallIntegerField(
        _("weekly updates on time, at least (percent)"), default=90
    )
    require_monthly_summaries = models.BooleanField(
        _("every monthly summary handed in"), default=True
    )
    require_qbr = models.BooleanField(_("QBR held in the quarter"), default=True)
    warning_quarters = models.PositiveSmallIntegerField(
        _("warning quarters before revoking"), default=1
    )
    scale_after_quarters = models.PositiveSmallIntegerField(
        _("propose scale after qualifying quarters in a row"), default=4
    )
    evaluate_after_days = models.PositiveSmallIntegerField(
        _("evaluate this many days after the quarter closes"), default=10
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exclusivity rules")
        verbose_name_plural = _("exclusivity rules")
        constraints = [
            models.UniqueConstraint(fields=["vendor"], name="exclusivityrules_one_per_vendor"),
            models.CheckConstraint(
                condition=models.Q(weekly_on_time_percent__lte=100),
                name="exclusivityrules_percent_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(scale_after_quarters__gte=1),
                name="exclusivityrules_scale_valid",
            ),
        ]


class VerdictOutcome(models.TextChoices):
    STAY_IN_LAUNCH = "launch", _("Stay in launch")
    RENEW = "renew", _("Renew exclusivity")
    WARN = "warn", _("Warn")
    REVOKE = "revoke", _("Revoke exclusivity")
    PROPOSE_SCALE = "scale", _("Propose scale")


QUALIFYING_OUTCOMES = (VerdictOutcome.RENEW.value, VerdictOutcome.PROPOSE_SCALE.value)
WARNED_OUTCOMES = (VerdictOutcome.WARN.value, VerdictOutcome.REVOKE.value)


class ExclusivityVerdict(TenantModel):
    """The verdict on one exclusive scope line for one fiscal quarter (named by its first day):
    exactly one, whatever runs the evaluation and however often (the unique key is the
    idempotency key of the quarterly job).

    ``evidence`` lists each condition checked: ``{"condition", "value", "threshold", "unit",
    "currency", "period_start", "period_end", "met", "checked"}`` (``checked`` false when the
    rules switch the condition off). ``outcome`` is what the rules gave; ``overridden_outcome``
    (blank unless a vendor admin overrode it) is what counts from then on. A revoke is applied
    on ``effective_on`` (``applied_at``, ``applied_amendment``) unless held until a later date
    or overridden. ``notified_at`` marks the notice as queued (one per verdict)."""

    scope_line = models.ForeignKey(
        "partners.ScopeLine", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    contract = models.ForeignKey(
        "partners.Contract", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    quarter_start = models.DateField(_("quarter from"))
    quarter_end = models.DateField(_("quarter to"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=VerdictOutcome.choices)
    conditions_met = models.BooleanField(_("conditions met"))
    evidence = models.JSONField(_("evidence"), default=list)
    effective_on = models.DateField(_("takes effect on"))
    computed_at = models.DateTimeField(_("computed"))
    notified_at = models.DateTimeField(null=True, blank=True)
    overridden_outcome = models.CharField(
        _("overridden outcome"), max_length=8, choices=VerdictOutcome.choices, blank=True
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hold_reason = models.TextField(_("reason for the hold"), blank=True)
    held_until = models.DateField(_("held until"), null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_amendment = models.ForeignKey(
        "partners.ContractAmendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-quarter_start", "distributor_id", "scope_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "scope_line", "quarter_start"],
                name="exclusivityverdict_one_per_line_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(overridden_outcome="") | ~models.Q(override_reason=""),
                name="exclusivityverdict_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "quarter_start"], name="verdict_vendor_quarter"),
            models.Index(
                fields=["vendor", "distributor", "quarter_start"], name="verdict_vendor_dist"
            ),
            models.Index(
                fields=["vendor", "effective_on"],
                condition=models.Q(applied_at__isnull=True),
                name="verdict_vendor_unapplied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_effective_outcome_display()} · {self.quarter_start}"

    @property
    def effective_outcome(self) -> str:
        """What counts: the override when there is one, else what the rules gave."""
        return self.overridden_outcome or self.outcome

    def get_effective_outcome_display(self) -> StrOrPromise:
        return VerdictOutcome(self.effective_outcome).label

    @property
    def is_overridden(self) -> bool:
        return bool(self.overridden_outcome)

    @property
    def takes_effect_on(self):
        """The day a revoke ends the line's exclusivity: ``effective_on``, or the day after its
        hold ends when that is later (the line stays exclusive up to the day before)."""
        day = self.effective_on
        if self.held_until and self.held_until >= day:
            day = self.held_until + dt.timedelta(days=1)
        return day


class ExclusivityRun(TenantModel):
    """A completed evaluation of one vendor's fiscal quarter. The daily job evaluates a closed
    quarter once: it skips a quarter with a run, and a failed run leaves none (it is written in
    the same transaction as the verdicts), so the next day's job tries again."""

    quarter_start = models.DateField()
    verdicts_created = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "quarter_start"], name="exclusivityrun_one_per_quarter"
            )
        ]

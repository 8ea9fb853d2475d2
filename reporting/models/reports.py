"""Weekly updates and monthly summaries: one report per distributor, kind and period.

A ``Report`` is the header (period, due moment, lifecycle, reminder and missed flags); its
content lives in ``WeeklyUpdate`` or ``MonthlySummary`` (the current draft or the latest
submission) and every submission is kept as a ``ReportVersion``. Reviews are ``ReportReview``
rows. Rows are created by the schedule sweep when a period opens, so reminders and missed flags
have a row to claim."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.markets import CURRENCY_CHOICES
from partners.models import TenantModel

MAX_BLOCKERS = 3
MAX_PRIORITIES = 3


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly update")
    MONTHLY = "monthly", _("Monthly summary")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


# A distributor may still edit (and autosave) a report in these states.
EDITABLE_STATUSES = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)
# A reviewer has something to look at in these states.
AWAITING_REVIEW_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
# Something has been handed in (on time or not).
HANDED_IN_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.RESUBMITTED,
    ReportStatus.ACKNOWLEDGED,
    ReportStatus.RETURNED,
)


class OpportunityStage(models.TextChoices):
    DISCOVERY = "discovery", _("Discovery")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")


class WeeklyBlockerTag(models.TextChoices):
    PRICING = "pricing", _("Pricing")
    STOCK = "stock", _("Stock")
    COMPETITOR = "competitor", _("Competitor")
    COMPLIANCE = "compliance", _("Compliance")


class Report(TenantModel):
    """One report a distributor owes for one period.

    Weekly: ``period_start`` is the Monday of the week reported on, ``period_end`` its Sunday;
    the update falls due on the vendor's weekday after it. Monthly: the first and last day of the
    month; the summary falls due by the vendor's business day of the next month. ``due_at`` is
    computed in the distributor's time zone and calendar when the row is created.

    ``submitted_at`` is the first submission (lateness is judged on it); ``missed_at`` is set once
    by the missed-report job when nothing was handed in by the end of the grace period. The
    ``*_sent_at`` columns are claims: a reminder is queued only by the sweep that sets its column.
    """

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.PENDING,
        db_default=ReportStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "partners.Membership",
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "partners.Membership",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version_count = models.PositiveIntegerField(default=0, db_default=0)
    reminder_before_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_due_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(_("flagged missed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "kind", "period_start"],
                name="report_one_per_distributor_kind_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "status", "due_at"], name="report_vendor_status_due"),
            models.Index(fields=["vendor", "due_at"], name="report_vendor_due"),
            models.Index(
                fields=["vendor", "distributor", "kind", "-period_start"],
                name="report_vendor_dist_period",
            ),
            # The review inbox: the waiting queue (oldest due first), the newest periods of
            # every status, and missed reports (small partial indexes; see bench/review_inbox.py).
            models.Index(
                fields=["vendor", "due_at", "id"],
                name="report_vendor_waiting_due",
                condition=Q(status__in=["submitted", "resubmitted"]),
            ),
            models.Index(fields=["vendor", "-period_start", "-id"], name="report_vendor_period"),
            models.Index(
                fields=["vendor", "-due_at"],
                name="report_vendor_missed_due",
                condition=Q(missed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d}"

    @property
    def is_weekly(self) -> bool:
        return self.kind == ReportKind.WEEKLY

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_handed_in(self) -> bool:
        return self.status in HANDED_IN_STATUSES

    @property
    def is_late(self) -> bool:
        """Handed in after the due moment (judged on the first submission)."""
        return self.submitted_at is not None and self.submitted_at > self.due_at

    def is_overdue(self, now) -> bool:
        """Still owed and past its due moment at ``now``: never handed in yet. A report handed
        in and then returned for correction is not overdue (it was judged on its first
        submission); a returned report handed in late keeps its "late" mark instead."""
        return self.is_editable and self.submitted_at is None and now > self.due_at

    @property
    def content(self):
        """The ``WeeklyUpdate`` or ``MonthlySummary`` of this report, or None before a draft."""
        name = "weekly_update" if self.is_weekly else "monthly_summary"
        return getattr(self, name, None)


class WeeklyUpdate(TenantModel):
    """The content of a weekly update: the current draft, or the latest submission.

    Counts are empty in a draft until typed; submission requires them. ``blockers`` is a list of
    up to three ``{"tag": <WeeklyBlockerTag>, "text": str}``; ``priorities`` up to three strings.
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="weekly_update")
    new_leads = models.PositiveIntegerField(_("new leads added"), null=True, blank=True)
    meetings_held = models.PositiveIntegerField(_("meetings held"), null=True, blank=True)
    opportunities_discovery = models.PositiveIntegerField(
        _("open opportunities in discovery"), null=True, blank=True
    )
    opportunities_proposal = models.PositiveIntegerField(
        _("open opportunities in proposal"), null=True, blank=True
    )
    opportunities_negotiation = models.PositiveIntegerField(
        _("open opportunities in negotiation"), null=True, blank=True
    )
    blockers = models.JSONField(_("top blockers"), default=list, blank=True)
    priorities = models.JSONField(_("next week's priorities"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "report"], name="weeklyupdate_one_per_report")
        ]


class MonthlySummary(TenantModel):
    """The content of a monthly summary: sales in the distributor's currency, the conversion
    snapshot, inventory, the 60-90 day forecast, marketing done and issues to escalate."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="monthly_summary")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    units_sold = models.IntegerField(_("units sold"), null=True, blank=True)
    revenue = models.DecimalField(
        _("revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    leads = models.PositiveIntegerField(_("leads"), null=True, blank=True)
    quotes = models.PositiveIntegerField(_("quotes"), null=True, blank=True)
    orders = models.PositiveIntegerField(_("orders"), null=True, blank=True)
    inventory_units = models.PositiveIntegerField(
        _("inventory on hand (units)"), null=True, blank=True
    )
    stockouts = models.PositiveIntegerField(_("stockouts"), null=True, blank=True)
    stockout_notes = models.TextField(_("stockout notes"), blank=True)
    forecast_units = models.PositiveIntegerField(
        _("forecast, next 60-90 days (units)"), null=True, blank=True
    )
    forecast_revenue = models.DecimalField(
        _("forecast, next 60-90 days (revenue)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    forecast_notes = models.TextField(_("forecast notes"), blank=True)
    marketing_actions = models.TextField(_("marketing actions completed"), blank=True)
    escalations = models.TextField(_("issues needing support or escalation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "report"], name="monthlysummary_one_per_report"
            )
        ]


class ReportVersion(TenantModel):
    """One submission of a report, kept as it was handed in (``data`` is the content's fields).
    Numbered from 1; a resubmission after a return adds the next number."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    submitted_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    was_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "report", "number"], name="reportversion_unique_number"
            )
        ]


class ReportReviewAction(models.TextChoices):
    COMMENT = "comment", _("Comment")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    RETURN = "return", _("Returned for correction")


class ReportReview(TenantModel):
    """A reviewer's step on a report: a comment, an acknowledgement, or a return for correction
    (which needs a comment saying what to fix). Never edited."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(_("action"), max_length=12, choices=ReportReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    version_number = models.PositiveIntegerField(null=True, blank=True)
    author = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["vendor", "report"], name="reportreview_vendor_report")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="return") | ~Q(comment=""),
                name="reportreview_return_has_comment",
            )
        ]

"""The vendor's reporting calendar: when weekly updates and monthly summaries fall due, and the
days its distributors do not work (besides their country's public holidays)."""

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES
from partners.models import TenantModel

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ReportingCalendar(TenantModel):
    """One per vendor: the due weekday and local time of weekly updates, the business day and
    local time of monthly summaries, and the reminder, escalation and grace periods.

    Due moments are computed in each distributor's own time zone and business days skip its
    country's public holidays and the vendor's closures (``reporting.calendar``). A vendor
    without a row uses the defaults below."""

    weekly_weekday = models.PositiveSmallIntegerField(
        _("weekly update due on"), choices=WEEKDAY_CHOICES, default=0, db_default=0
    )
    weekly_time = models.TimeField(
        _("weekly update due at (local time)"), default=dt.time(12, 0), db_default=dt.time(12, 0)
    )
    monthly_business_day = models.PositiveSmallIntegerField(
        _("monthly summary due by business day"),
        default=5,
        db_default=5,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_("Counted in the following month, skipping weekends and holidays."),
    )
    monthly_time = models.TimeField(
        _("monthly summary due at (local time)"),
        default=dt.time(18, 0),
        db_default=dt.time(18, 0),
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("reminder before the due time (hours)"),
        default=24,
        db_default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    escalation_hours_after = models.PositiveSmallIntegerField(
        _("escalate to the channel manager after (hours overdue)"),
        default=24,
        db_default=24,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
    )
    grace_days = models.PositiveSmallIntegerField(
        _("missed when nothing is submitted within (days after due)"),
        default=3,
        db_default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("links in reminder e-mails are valid for (days)"),
        default=7,
        db_default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor"], name="reportingcalendar_one_per_vendor"),
        ]

    def __str__(self) -> str:
        return f"reporting calendar of vendor {self.vendor_id}"


class ReportingClosure(TenantModel):
    """Days the vendor declares closed for reporting (a New Year break, a company holiday), for
    every country or one. Business days skip them as they skip public holidays."""

    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to (inclusive)"))
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        db_default="",
        help_text=_("Leave empty for every country."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="reportingclosure_dates_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "start_date"], name="closure_vendor_start"),
        ]

    def __str__(self) -> str:
        return self.name

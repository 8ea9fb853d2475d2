"""Targets (base, stretch, exceed) per distributor, KPI and period; ramp curves per market;
values people enter for KPIs nobody can compute; exchange rates for consolidated views."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES, CURRENCY_CHOICES
from partners.models import TenantModel

from .catalogue import Kpi


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class TargetSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")


class Target(TenantModel):
    """The three levels a distributor should reach on a KPI in a period (a month or a fiscal
    quarter, named by its first day). ``full_*`` are the levels as entered; ``base``, ``stretch``
    and ``exceed`` are what counts, the full levels times ``ramp_percent`` for a new distributor
    still on its market's ramp curve (100 otherwise). For a lower-is-better KPI the levels go
    down: exceed <= stretch <= base."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period from"))
    full_base = models.DecimalField(_("base (full)"), max_digits=18, decimal_places=4)
    full_stretch = models.DecimalField(_("stretch (full)"), max_digits=18, decimal_places=4)
    full_exceed = models.DecimalField(_("exceed (full)"), max_digits=18, decimal_places=4)
    ramp_percent = models.DecimalField(
        _("ramp"), max_digits=5, decimal_places=2, default=100, db_default=100
    )
    base = models.DecimalField(_("base"), max_digits=18, decimal_places=4)
    stretch = models.DecimalField(_("stretch"), max_digits=18, decimal_places=4)
    exceed = models.DecimalField(_("exceed"), max_digits=18, decimal_places=4)
    source = models.CharField(
        max_length=8, choices=TargetSource.choices, default=TargetSource.ENTERED
    )
    updated_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period_start", "kpi_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "kpi", "period_kind", "period_start"],
                name="target_unique_period",
            ),
            models.CheckConstraint(
                condition=models.Q(ramp_percent__gt=0, ramp_percent__lte=100),
                name="target_ramp_percent_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["vendor", "period_kind", "period_start"], name="target_vendor_period"
            ),
            models.Index(fields=["distributor", "period_kind"], name="target_dist_period"),
        ]

    @property
    def is_ramped(self) -> bool:
        return self.ramp_percent < 100


class RampCurve(TenantModel):
    """How fast a new distributor in ``country`` grows into its full targets: ``percents[i]``
    is the share of the full target that counts in its (i+1)-th quarter since it went active
    (the last value holds after that). An empty country is the curve for every other market.
    Example: Japan [25, 50, 75, 100] reaches full base in its fourth quarter."""

    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True, default=""
    )
    percents = models.JSONField(_("percent of full target per quarter"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "country"], name="rampcurve_unique_country")
        ]


class KpiEntry(TenantModel):
    """A value a person enters for an ``entered`` KPI (on-time delivery, quality acceptance,
    seminars held...) for one distributor and month or quarter."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="entries")
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period from"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "kpi", "period_kind", "period_start"],
                name="kpientry_unique_period",
            )
        ]
        indexes = [
            models.Index(
                fields=["vendor", "period_kind", "period_start"], name="kpientry_vendor_period"
            )
        ]


class ExchangeRate(TenantModel):
    """How many units of the vendor's reporting currency one unit of ``currency`` is worth in
    the month starting ``period_start`` (consolidated views convert with the rate of the
    period's months; the latest earlier rate stands in for a month without one)."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    period_start = models.DateField(_("month"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "currency", "period_start"], name="exchangerate_unique"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchangerate_positive"),
        ]

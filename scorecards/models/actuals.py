"""Computed scorecards: one row per distributor, KPI and period (``KpiActual``) and one per
distributor and period (``Scorecard``), written by ``scorecards.services.compute`` for all
distributors of a vendor at once. Computing again gives the same rows (upserts on the unique
keys); ``ScorecardRecompute`` coalesces bursts of changed inputs into one run per period."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import DistributorStatus, TenantModel

from .catalogue import Kpi, KpiFamily, ScorecardTemplate
from .targets import PeriodKind

# Distributors that get scorecards (and so targets): everyone but prospects, who have not
# started, and terminated ones, who have ended.
SCORED_STATUSES: tuple[str, ...] = (
    DistributorStatus.ONBOARDING.value,
    DistributorStatus.ACTIVE.value,
    DistributorStatus.SUSPENDED.value,
)


class Level(models.TextChoices):
    """The highest target level reached (``none``: no target or no value)."""

    NONE = "none", _("No target")
    BELOW = "below", _("Below base")
    BASE = "base", _("Base")
    STRETCH = "stretch", _("Stretch")
    EXCEED = "exceed", _("Exceed")


class Rag(models.TextChoices):
    NONE = "none", _("Not rated")
    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")


class KpiActual(TenantModel):
    """A KPI's value for a distributor and period with the targets it was measured against
    (copied, so a snapshot explains itself), the attainment of base in percent (for a
    lower-is-better KPI, base / value), the level reached and red/amber/green."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="+", db_index=False)
    family = models.CharField(max_length=12, choices=KpiFamily.choices)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    base = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    stretch = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    exceed = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    ramp_percent = models.DecimalField(max_digits=5, decimal_places=2, default=100)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    attainment = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.NONE)
    rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.NONE)
    currency = models.CharField(max_length=3, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "kpi", "period_kind", "period_start"],
                name="kpiactual_unique_period",
            )
        ]
        indexes = [
            models.Index(
                fields=["vendor", "period_kind", "period_start", "rag"],
                name="kpiactual_vendor_period_rag",
            ),
            models.Index(
                fields=["distributor", "kpi", "period_kind", "period_start"],
                name="kpiactual_dist_trend",
            ),
        ]


class Scorecard(TenantModel):
    """A distributor's scorecard for a period: the weighted score (0-100: green counts 2,
    amber 1, red 0, over the rated KPIs' weights), red/amber/green overall and per family, and
    how many KPIs are red."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.NONE)
    commercial_rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.NONE)
    execution_rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.NONE)
    operational_rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.NONE)
    red_count = models.PositiveSmallIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "period_kind", "period_start"],
                name="scorecard_unique_period",
            )
        ]
        indexes = [
            models.Index(
                fields=["vendor", "period_kind", "period_start", "rag"],
                name="scorecard_vendor_period_rag",
            ),
            models.Index(
                fields=["distributor", "period_kind", "period_start"], name="scorecard_dist_trend"
            ),
        ]


class ScorecardRecompute(TenantModel):
    """A pending recompute of one vendor's scorecards for a period. Changes to inputs upsert
    this row (a burst of changes is one row); the worker claims it, computes, and deletes it
    unless it was requested again meanwhile."""

    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    requested_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "period_kind", "period_start"], name="recompute_unique_period"
            )
        ]

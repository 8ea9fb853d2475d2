"""The KPI catalogue of a vendor and the scorecard templates built from it.

A KPI says what is measured, where its value comes from (``source``: computed from reports and
sales lines, or entered by a person), its unit, whether higher or lower is better, how it
aggregates over a period and its weight. A template is a lean set of 6 to 10 KPIs with their
weights; a distributor is scored on the template assigned to it, else the template of its
country, else the vendor's default template.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES
from partners.models import TenantModel

TEMPLATE_MIN_KPIS = 6
TEMPLATE_MAX_KPIS = 10


class KpiFamily(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial")
    EXECUTION = "execution", _("Execution")
    OPERATIONAL = "operational", _("Operational")


class KpiSource(models.TextChoices):
    """Where a KPI's value comes from. Every source but ``entered`` is computed for all
    distributors of a vendor at once (``scorecards.metrics``)."""

    REVENUE = "revenue", _("Revenue (sales lines)")
    REVENUE_GROWTH = "revenue_growth", _("Revenue growth on the same period last year")
    UNITS = "units", _("Units sold (sales lines)")
    NEW_ACCOUNTS = "new_accounts", _("New accounts (outlets first billed)")
    LEAD_TO_QUOTE = "lead_to_quote", _("Conversion, leads to quotes (monthly summaries)")
    QUOTE_TO_ORDER = "quote_to_order", _("Conversion, quotes to orders (monthly summaries)")
    LEAD_TO_ORDER = "lead_to_order", _("Conversion, leads to orders (monthly summaries)")
    PIPELINE_VALUE = "pipeline_value", _("Pipeline value: 60-90 day forecast (monthly summaries)")
    PIPELINE_COVERAGE = "pipeline_coverage", _("Pipeline coverage of next period's base target")
    NEW_LEADS = "new_leads", _("New leads (weekly updates)")
    MEETINGS = "meetings", _("Meetings held (weekly updates)")
    WEEKLY_ON_TIME = "weekly_on_time", _("Weekly updates on time")
    MONTHLY_REVIEW = "monthly_review", _("Monthly summaries handed in")
    ENTERED = "entered", _("Entered by a person")


class KpiUnit(models.TextChoices):
    MONEY = "money", _("Money (distributor's currency)")
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    RATIO = "ratio", _("Ratio")


class KpiDirection(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class KpiAggregation(models.TextChoices):
    """How a KPI's values over a period's months make the period's value (and how a quarter
    target splits into months: a sum by three, the others as they are)."""

    SUM = "sum", _("Sum over the period")
    AVERAGE = "average", _("Average over the period")
    LAST = "last", _("Last value in the period")
    RATE = "rate", _("Rate over the whole period")


def kpi_name_in_language(name: str, name_ja: str = "") -> str:
    """A KPI's name in the active language (see ``Kpi.display_name``)."""
    if name_ja and (get_language() or "en").startswith("ja"):
        return name_ja
    return gettext(name) if name else name


class Kpi(TenantModel):
    """One measure on a vendor's scorecards. ``code`` is the vendor's stable handle (used by
    imports and the API); ``weight`` is the default weight in templates."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    name_ja = models.CharField(_("name in Japanese"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    family = models.CharField(_("family"), max_length=12, choices=KpiFamily.choices)
    source = models.CharField(_("source"), max_length=20, choices=KpiSource.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=KpiUnit.choices)
    direction = models.CharField(
        _("better when"), max_length=6, choices=KpiDirection.choices, default=KpiDirection.HIGHER
    )
    aggregation = models.CharField(_("over a period"), max_length=8, choices=KpiAggregation.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="kpi_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="kpi_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the Japanese name when the vendor gave one,
        else the translation catalogue's (the standard KPIs' English names are msgids)."""
        return kpi_name_in_language(self.name, self.name_ja)

    @property
    def is_computed(self) -> bool:
        return self.source != KpiSource.ENTERED

    @property
    def lower_is_better(self) -> bool:
        return self.direction == KpiDirection.LOWER


class ScorecardTemplate(TenantModel):
    """A set of 6-10 KPIs with weights. ``countries`` lists the markets it applies to by
    default; ``is_default`` marks the vendor's fallback (one per vendor)."""

    name = models.CharField(_("name"), max_length=120)
    countries = ArrayField(
        models.CharField(max_length=2, choices=COUNTRY_CHOICES),
        verbose_name=_("default for countries"),
        default=list,
        blank=True,
    )
    is_default = models.BooleanField(_("default template"), default=False)
    kpis = models.ManyToManyField(Kpi, through="TemplateKpi", related_name="templates")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="template_unique_name"),
            models.UniqueConstraint(
                fields=["vendor"],
                condition=models.Q(is_default=True),
                name="template_one_default_per_vendor",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateKpi(TenantModel):
    """A KPI on a template, with its weight there."""

    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.CASCADE, related_name="template_kpis"
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "kpi"], name="templatekpi_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="templatekpi_weight_positive"
            ),
        ]


class ScorecardAssignment(TenantModel):
    """A template chosen for one distributor, overriding its country's default."""

    distributor = models.OneToOneField(
        "partners.Distributor", on_delete=models.CASCADE, related_name="scorecard_assignment"
    )
    template = models.ForeignKey(ScorecardTemplate, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class ScorecardPolicy(TenantModel):
    """A vendor's scorecard settings: the currency of consolidated views and where amber
    starts (attainment of the base target, in percent; green is at or above base). The fiscal
    year, which quarters follow, is the vendor's (``Vendor.fiscal_year_start_month``)."""

    reporting_currency = models.CharField(_("reporting currency"), max_length=3, default="USD")
    amber_from_percent = models.PositiveSmallIntegerField(
        _("amber from (percent of base)"), default=85
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor"], name="policy_one_per_vendor"),
            models.CheckConstraint(
                condition=models.Q(amber_from_percent__gte=1, amber_from_percent__lte=100),
                name="policy_amber_valid",
            ),
        ]

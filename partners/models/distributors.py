import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import periods
from partners.markets import COUNTRY_CHOICES, CURRENCY_CHOICES

from .base import TenantModel, validate_time_zone


class DistributorStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class Distributor(TenantModel):
    """A company that resells one vendor's products in a market.

    ``name`` is the display name and ``legal_name`` the registered one; both are stored as
    written, Japanese included. Status moves prospect -> onboarding -> active (and on to
    suspended or terminated); every change is kept in ``DistributorStatusChange``.
    """

    name = models.CharField(_("display name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True, db_default="")
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    language = models.CharField(
        _("language"), max_length=8, choices=[("en", _("English")), ("ja", _("Japanese"))]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DistributorStatus.choices,
        default=DistributorStatus.PROSPECT,
        db_default=DistributorStatus.PROSPECT,
    )
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    owner = models.ForeignKey(
        "partners.Membership",
        verbose_name=_("channel manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The vendor person who owns the relationship."),
    )
    territories = models.ManyToManyField(
        "partners.Territory",
        through="partners.DistributorTerritory",
        related_name="distributors",
        blank=True,
    )
    product_lines = models.ManyToManyField(
        "partners.ProductLine",
        through="partners.DistributorProductLine",
        related_name="distributors",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="distributor_unique_name"),
        ]
        indexes = [
            models.Index(fields=["vendor", "country"], name="distributor_vendor_country"),
            models.Index(fields=["vendor", "status"], name="distributor_vendor_status"),
            models.Index(fields=["vendor", "owner"], name="distributor_vendor_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self):
        """The distributor's time zone (the workspace default if the name is unknown)."""
        try:
            return ZoneInfo(self.time_zone)
        except (KeyError, ValueError):
            return timezone.get_default_timezone()

    def local_today(self) -> dt.date:
        """Today's date where the distributor is: its due dates and deadlines count from it."""
        return periods.local_date(timezone.now(), self.zone)


class DistributorTerritory(TenantModel):
    """A territory a distributor covers (its profile; what it may sell is in its contracts)."""

    distributor = models.ForeignKey(
        Distributor, on_delete=models.CASCADE, related_name="territory_links"
    )
    territory = models.ForeignKey(
        "partners.Territory", on_delete=models.CASCADE, related_name="distributor_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "territory"], name="distributorterritory_unique"
            ),
        ]


class DistributorProductLine(TenantModel):
    """A product line of the vendor that a distributor sells."""

    distributor = models.ForeignKey(
        Distributor, on_delete=models.CASCADE, related_name="product_line_links"
    )
    product_line = models.ForeignKey(
        "partners.ProductLine", on_delete=models.CASCADE, related_name="distributor_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "product_line"],
                name="distributorproductline_unique",
            ),
        ]


class ContactRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    SALES_LEAD = "sales_lead", _("Sales lead")
    SALES_REP = "sales_rep", _("Sales rep")
    OPERATIONS = "operations", _("Operations")


class DistributorContact(TenantModel):
    """A person at the distributor and the part they play. Contacts need no login; a contact
    may be linked to the membership of the same person when they have one. Sales leads and
    sales reps are the people whose training coverage is tracked."""

    distributor = models.ForeignKey(Distributor, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    membership = models.ForeignKey(
        "partners.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["vendor", "distributor", "role"], name="contact_vendor_dist_role")
        ]

    def __str__(self) -> str:
        return self.name


class CarriedBrand(TenantModel):
    """Another brand the distributor carries, so conflicts of interest are visible.
    ``competes`` marks a brand that competes with the vendor's own products."""

    distributor = models.ForeignKey(
        Distributor, on_delete=models.CASCADE, related_name="carried_brands"
    )
    brand = models.CharField(_("brand"), max_length=120)
    category = models.CharField(_("category"), max_length=120, blank=True)
    competes = models.BooleanField(_("competes with us"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["brand", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "brand"], name="carriedbrand_unique"
            ),
        ]


class DistributorStatusChange(TenantModel):
    """One step of a distributor's status history: from what, to what, from which date, why
    and by whom. Written only by the status service, never edited."""

    distributor = models.ForeignKey(
        Distributor, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=DistributorStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=DistributorStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [
            models.Index(fields=["vendor", "distributor", "effective_on"], name="statuschange_idx")
        ]

from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# Words the portal's own top-level URLs use; a workspace slug may not take them.
RESERVED_SLUGS = {
    "accounts", "api", "static", "media", "dev", "i18n", "workspaces", "admin", "health",
    "invitations", "favicon.ico", "robots.txt",
}  # fmt: skip


def validate_time_zone(value: str) -> None:
    """A zone name of the IANA database (``Asia/Tokyo``), as ``zoneinfo`` knows it."""
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved; choose another."))


class Vendor(models.Model):
    """A tenant: one company that sells through distributors, with its own people and data.

    The vendor table itself is the directory of tenants and carries no tenant data, so it has
    no row-level security; everything that belongs to a vendor points here with ``vendor_id``.
    It holds the settings every app reads, such as the first month of the fiscal year.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("workspace address"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Use lowercase letters, digits and -.")),
            validate_slug_not_reserved,
        ],
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        db_default="UTC",
        validators=[validate_time_zone],
        help_text=_("Vendor staff read every time in this zone."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication for vendor staff"), default=False
    )
    # Quarters are fiscal quarters counted from this month, in every app (``partners.periods``).
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"), default=1
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="vendor_fiscal_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


if TYPE_CHECKING:
    _ScopedManagerBase = models.Manager
else:
    _ScopedManagerBase = type(ScopedManager(vendor="vendor_id"))


class TenantManager(_ScopedManagerBase):
    """The tenant-scoped manager of django-scopes under a name of its own.

    ``ScopedManager`` builds its class inside a function, where the django-stubs plugin cannot
    find it to type ``objects`` and the reverse managers; this subclass gives it an address.
    """


class TenantModel(models.Model):
    """Base for every row a vendor owns.

    ``objects`` raises unless a tenant scope is open (django-scopes), and the table gets a
    PostgreSQL row-level-security policy on ``vendor_id`` in its migration.
    """

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True

from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES, CURRENCY_CHOICES

from .base import TenantModel


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


class Distributor(TenantModel):
    """A company that resells one vendor's products in a market.

    Names are stored as written, Japanese included. The fuller profile (territories, contacts,
    contracts) hangs off this row.
    """

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    language = models.CharField(
        _("language"), max_length=8, choices=[("en", _("English")), ("ja", _("Japanese"))]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="distributor_unique_name"),
        ]
        indexes = [models.Index(fields=["vendor", "country"], name="distributor_vendor_country")]

    def __str__(self) -> str:
        return self.name

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES

from .base import TenantModel


class NamedInLanguages(models.Model):
    """A catalogue entry named by the vendor in English (``name``) and, optionally, in
    Japanese (``name_ja``); people read the name in their own language, English when the
    Japanese one is blank."""

    name: str  # each catalogue model's own field, which display_name reads
    name_ja = models.CharField(_("name in Japanese"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        if self.name_ja and (get_language() or "en").startswith("ja"):
            return self.name_ja
        return self.name


class ProductLine(NamedInLanguages, TenantModel):
    """A line of the vendor's products that distributors sell (for example "Cobots" or
    "Vision sensors"). Contract scope, sales kit documents and profiles refer to it."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=32, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="productline_unique_name"),
        ]


class Territory(NamedInLanguages, TenantModel):
    """A sales territory the vendor defines: a whole country or a region of one ("Kanto",
    "Greater Bangkok"). The vendor keeps its territories from overlapping each other, so
    exclusivity can be compared territory by territory."""

    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["country", "name", "id"]
        verbose_name_plural = _("territories")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="territory_unique_name"),
        ]

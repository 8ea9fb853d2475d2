"""The record that a quarterly business review was held (the exclusivity rules ask for one each
quarter). It lives here, below ``qbr``, so the rules can read it; the QBR pack, commitments and
the PDF arrive with their issue in ``qbr`` and write this record through
``scorecards.services.qbr``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import TenantModel


class QbrMeeting(TenantModel):
    """A quarterly business review held with one distributor on ``held_on``."""

    distributor = models.ForeignKey(
        "partners.Distributor",
        verbose_name=_("distributor"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["vendor", "distributor", "held_on"], name="qbrmeeting_dist_held")
        ]

    def __str__(self) -> str:
        return f"QBR {self.held_on}"

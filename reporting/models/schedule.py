"""Signed links in reminder e-mails and the secret calendar feed of a distributor's due dates."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import TenantModel


class ReportLink(TenantModel):
    """A signed, expiring link in a reminder e-mail: it opens one report's form for one person.

    Only the SHA-256 of the link's secret is stored (the raw token is only in the e-mail). A
    link works once (``used_at`` is claimed by a conditional update) and until ``expires_at``;
    it stops working when the person's membership is deactivated."""

    report = models.ForeignKey("reporting.Report", on_delete=models.CASCADE, related_name="links")
    membership = models.ForeignKey(
        "partners.Membership", on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["vendor", "report"], name="reportlink_vendor_report")]

    def __str__(self) -> str:
        return f"link to report {self.report_id} for membership {self.membership_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class DueDateFeed(TenantModel):
    """The secret address of a distributor's calendar (ICS) feed of due moments. The token is
    stored as is (the page shows the address); rotating it replaces it, and the old address
    stops working at once."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(_("address changed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor"], name="duedatefeed_one_per_distributor"
            )
        ]

    def __str__(self) -> str:
        return f"due-date feed of distributor {self.distributor_id}"

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TenantModel


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    IMPORTED = "imported", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class ImportBatch(TenantModel):
    """One uploaded distributor spreadsheet, parsed and checked, waiting for the person to
    confirm it.

    Nothing reaches distributors or contacts until the batch is confirmed; until then the file's
    cells live here as JSON (``rows``: ``[{"row": 2, "values": {...}, "errors": {...},
    "plan": {...}}]``). Error messages are stored as codes with parameters and worded when shown,
    so each reader sees them in their own language. ``status`` moves once, from ``preview`` to
    ``imported`` (or ``discarded``); the confirm service claims that move under a row lock, so
    confirming twice imports once.
    """

    uploaded_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8)  # csv or xlsx
    encoding = models.CharField(_("text encoding"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    rows = models.JSONField(default=list)
    ignored_columns = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["vendor", "-created_at"], name="importbatch_vendor_created"),
        ]

    def __str__(self) -> str:
        return self.file_name

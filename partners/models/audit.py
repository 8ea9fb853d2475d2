from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TenantModel


class AuditEvent(TenantModel):
    """One write, recorded by the service that made it: who, when, which object, what changed.

    ``changes`` maps a field name to ``[old, new]``. Rows are never updated or deleted by the
    application."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=254, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["vendor", "-created_at"], name="audit_vendor_created"),
            models.Index(fields=["vendor", "object_type", "object_id"], name="audit_vendor_object"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

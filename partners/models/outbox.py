from django.db import models

from .base import Vendor


class OutboundEmail(models.Model):
    """An e-mail to send, written before anything is sent so a broker outage delays it but never
    loses it. A task delivers it and sets ``sent_at``; a sweep retries what is still unsent.

    Rows of a vendor are visible only inside that vendor's scope (row-level security); rows with
    no vendor (password resets) only outside any vendor scope. ``dedupe_key`` makes "send this
    once" idempotent for jobs that may run twice.
    """

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, null=True, blank=True)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    template = models.CharField(max_length=100)
    language = models.CharField(max_length=8, default="en")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["vendor", "created_at"],
                name="outbox_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

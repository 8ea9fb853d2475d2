"""Thin tasks: ids in, scope opened, a service called. Each is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django_scopes import scopes_disabled

from partners.models import Vendor
from partners.services.outbox import email_deliver, unsent_email_ids
from partners.task_base import TenantTask
from partners.tenancy import tenant_scope


@shared_task(base=TenantTask, name="partners.tasks.vendor_email_deliver_task")
def vendor_email_deliver_task(vendor_id: int, email_id: int) -> bool:
    """Deliver one of a vendor's queued e-mails."""
    return email_deliver(email_id=email_id)


@shared_task(name="partners.tasks.system_email_deliver_task")
def system_email_deliver_task(email_id: int) -> bool:
    """Deliver a queued e-mail that belongs to no workspace (a password reset)."""
    with transaction.atomic():
        return email_deliver(email_id=email_id)


class _EmailDeliver:
    """Chooses the task for an e-mail with or without a vendor."""

    @staticmethod
    def delay(email_id: int, vendor_id: int | None):
        if vendor_id:
            return vendor_email_deliver_task.delay(vendor_id, email_id)
        return system_email_deliver_task.delay(email_id)


email_deliver_task = _EmailDeliver()


@shared_task(name="partners.tasks.outbox_sweep_task")
def outbox_sweep_task() -> int:
    """Re-enqueue every e-mail still unsent a minute after it was queued, vendor by vendor."""
    queued = 0
    with scopes_disabled():
        vendor_ids = list(Vendor.objects.values_list("id", flat=True))
    for vendor_id in vendor_ids:
        with tenant_scope(vendor_id):
            ids = unsent_email_ids()
        for email_id in ids:
            vendor_email_deliver_task.delay(vendor_id, email_id)
        queued += len(ids)
    with transaction.atomic():
        ids = unsent_email_ids()
    for email_id in ids:
        system_email_deliver_task.delay(email_id)
    return queued + len(ids)

"""Thin tasks: ids in, scope opened, a service called. Each is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django_scopes import scopes_disabled

from partners.models import Vendor
from partners.platform.scope import tenant_scope
from partners.platform.tasks import TenantTask
from partners.services.outbox import email_deliver, emails_deliver, unsent_email_ids


@shared_task(base=TenantTask, name="partners.tasks.vendor_email_deliver_task")
def vendor_email_deliver_task(vendor_id: int, email_id: int) -> bool:
    """Deliver one of a vendor's queued e-mails."""
    return email_deliver(email_id=email_id)


@shared_task(name="partners.tasks.system_email_deliver_task")
def system_email_deliver_task(email_id: int) -> bool:
    """Deliver a queued e-mail that belongs to no workspace (a password reset)."""
    with transaction.atomic():
        return email_deliver(email_id=email_id)


@shared_task(base=TenantTask, name="partners.tasks.vendor_emails_deliver_task")
def vendor_emails_deliver_task(vendor_id: int, email_ids: list[int]) -> int:
    """Deliver a batch of a vendor's queued e-mails (those still unsent) over one connection."""
    return emails_deliver(email_ids=email_ids)


@shared_task(name="partners.tasks.system_emails_deliver_task")
def system_emails_deliver_task(email_ids: list[int]) -> int:
    """Deliver a batch of queued e-mails that belong to no workspace."""
    with transaction.atomic():
        return emails_deliver(email_ids=email_ids)


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


# --- contracts ----------------------------------------------------------------------------------


@shared_task(base=TenantTask, name="partners.tasks.contract_reminders_send_task")
def contract_reminders_send_task(vendor_id: int, contract_id: int) -> int:
    """Queue the end and notice-deadline reminders due today for one contract (once each)."""
    from partners.services.contracts import contract_reminders_send

    vendor = Vendor.objects.get(pk=vendor_id)
    return contract_reminders_send(vendor=vendor, contract_id=contract_id)


@shared_task(name="partners.tasks.contract_reminders_sweep_task")
def contract_reminders_sweep_task() -> int:
    """Daily: in every active vendor, find contracts with a reminder due and enqueue one task
    per contract. Running it twice queues each reminder once (the e-mails' dedupe keys)."""
    from partners.selectors.contracts import contract_ids_with_reminders_due

    enqueued = 0
    with scopes_disabled():
        vendors = list(Vendor.objects.filter(is_active=True))
    for vendor in vendors:
        with tenant_scope(vendor.id):
            ids = contract_ids_with_reminders_due(vendor=vendor)
        for contract_id in ids:
            contract_reminders_send_task.delay(vendor.id, contract_id)
        enqueued += len(ids)
    return enqueued

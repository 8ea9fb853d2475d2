"""Thin tasks of the reporting app: ids in, scope opened, a service called. Each is safe to run
twice."""

from celery import shared_task
from django_scopes import scopes_disabled

from partners.models import Vendor
from partners.platform.tasks import TenantTask


@shared_task(base=TenantTask, name="reporting.tasks.reporting_vendor_sweep_task")
def reporting_vendor_sweep_task(vendor_id: int) -> dict:
    """One vendor's schedule: open ended periods, send the reminders and escalations due now,
    flag missed reports. Every effect is claimed, so running it twice sends nothing twice."""
    from reporting.services.schedule import reporting_sweep

    vendor = Vendor.objects.get(pk=vendor_id)
    return reporting_sweep(vendor=vendor)


@shared_task(name="reporting.tasks.reporting_sweep_task")
def reporting_sweep_task() -> int:
    """Hourly: enqueue one schedule sweep per active vendor."""
    with scopes_disabled():
        vendor_ids = list(Vendor.objects.filter(is_active=True).values_list("id", flat=True))
    for vendor_id in vendor_ids:
        reporting_vendor_sweep_task.delay(vendor_id)
    return len(vendor_ids)


@shared_task(base=TenantTask, name="reporting.tasks.sales_upload_validate_task")
def sales_upload_validate_task(vendor_id: int, upload_id: int) -> bool:
    """Check every row of a mapped sales upload (claims it: a second run does nothing)."""
    from reporting.services.sellout import sales_upload_validate

    return sales_upload_validate(vendor=Vendor.objects.get(pk=vendor_id), upload_id=upload_id)


@shared_task(name="reporting.tasks.sales_upload_import_task", acks_late=True)
def sales_upload_import_task(vendor_id: int, upload_id: int) -> bool:
    """Import a confirmed sales upload in batches. Not a TenantTask: each batch opens the
    vendor's scope in its own transaction, so the page sees the progress as it goes. Claims the
    upload: a second run does nothing."""
    from reporting.services.sellout import sales_upload_import

    return sales_upload_import(vendor_id=vendor_id, upload_id=upload_id)

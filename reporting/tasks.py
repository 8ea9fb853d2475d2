"""Thin tasks of the reporting app: ids in, scope opened, a service called. Each is safe to run
twice."""

from celery import shared_task

from partners.models import Vendor
from partners.task_base import TenantTask


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

"""The base class of every tenant task: ids in, the vendor's scope opened, nothing left behind."""

from __future__ import annotations

from celery import Task

from partners.platform.scope import tenant_scope


class TenantTask(Task):
    """A task whose first argument is a vendor id. The task body runs inside that vendor's
    tenant scope (ORM and row-level security) in one transaction; when it returns or fails the
    scope is gone, so the next task on the same worker starts with no tenant."""

    abstract = True

    def __call__(self, vendor_id: int, *args, **kwargs):
        with tenant_scope(vendor_id):
            return super().__call__(vendor_id, *args, **kwargs)

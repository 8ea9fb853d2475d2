"""Row-level security: the third wall. Migrations call these operations for every tenant table.

A policy compares ``vendor_id`` with the transaction-local setting ``app.vendor_id``; when it is
unset, ``NULLIF`` turns it into NULL and the comparison matches nothing (fail closed).
"""

from django.db import migrations

CURRENT_VENDOR = "NULLIF(current_setting('app.vendor_id', true), '')::bigint"
CURRENT_USER = "NULLIF(current_setting('app.user_id', true), '')::bigint"
TENANT_CONDITION = f"vendor_id = {CURRENT_VENDOR}"


def _enable(table: str, using: str, check: str) -> str:
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;"
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;"
        f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check});"
    )


def _disable(table: str) -> str:
    return (
        f"DROP POLICY IF EXISTS tenant_isolation ON {table};"
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;"
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
    )


def EnableTenantRLS(table: str, *, using: str = TENANT_CONDITION, check: str = TENANT_CONDITION):
    """Migration operation: rows of ``table`` are visible and writable only in their vendor."""
    return migrations.RunSQL(_enable(table, using, check), _disable(table))

"""Tenant scope: the second and third walls, opened together.

``tenant_scope(vendor_id)`` opens a transaction, sets ``app.vendor_id`` for that transaction only
(row-level security reads it) and opens the django-scopes scope (tenant managers raise without
it). The middleware (``partners.platform.middleware``), the Celery task base class
(``partners.platform.tasks``) and management commands all go through it.

This module imports nothing of the domain: selectors use ``user_scope`` and the middleware uses
``tenant_scope``, never the other way round.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction
from django_scopes import scope, scopes_disabled

_GUCS = ("app.vendor_id", "app.user_id")


def _get_guc(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [name])
        return cursor.fetchone()[0] or ""


def _set_guc(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def _transaction_settings(**values: str):
    """Set transaction-local settings and restore the outer values when the block ends."""
    nested = connection.in_atomic_block
    with transaction.atomic():
        previous = {name: _get_guc(name) for name in values} if nested else {}
        for name, value in values.items():
            _set_guc(name, value)
        yield
        # A transaction-local setting ends with the outermost transaction. Inside an outer one,
        # put the outer values back; after an error the savepoint rollback does that itself.
        if nested and not connection.needs_rollback:
            for name, value in previous.items():
                _set_guc(name, value)


@contextmanager
def tenant_scope(vendor_id: int, *, user_id: int | None = None):
    """Open vendor ``vendor_id``'s scope in the ORM and in PostgreSQL for the block."""
    if not vendor_id:
        raise ValueError("tenant_scope needs a vendor id")
    gucs = {"app.vendor_id": str(int(vendor_id))}
    if user_id is not None:
        gucs["app.user_id"] = str(int(user_id))
    with _transaction_settings(**gucs), scope(vendor=int(vendor_id)):
        yield


@contextmanager
def user_scope(user_id: int):
    """Let the block read the given person's own memberships across workspaces (and nothing
    else that is tenant-owned)."""
    with _transaction_settings(**{"app.user_id": str(int(user_id))}), scopes_disabled():
        yield


def set_scope_user(user_id: int) -> None:
    """Inside a tenant scope, name the person acting (membership rows of theirs become
    readable across workspaces for the workspace switcher)."""
    _set_guc("app.user_id", str(int(user_id)))


def current_tenant_settings() -> dict[str, str]:
    """What the database connection currently carries (for tests and diagnostics)."""
    return {name: _get_guc(name) for name in _GUCS}

"""PostgreSQL backend that runs application queries as the unprivileged app role.

Every connection logs in as the owner role (the one that runs migrations) and immediately
switches to ``DATABASES["default"]["OPTIONS"]["assume_role"]``: a role that owns no table and
cannot bypass row-level security. Only two kinds of work keep the owner's rights:

* administrative connections Django opens to the ``postgres`` database (creating and dropping the
  test database), and
* code inside :func:`owner_role` (``migrate`` and ``flush``, see partners/management/commands).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections
from django.db.backends.postgresql import base
from django.db.utils import DEFAULT_DB_ALIAS

NO_DB_ALIAS = "__no_db__"  # the alias Django gives administrative connections
_owner_mode: ContextVar[bool] = ContextVar("partnerdesk_owner_mode", default=False)


class DatabaseWrapper(base.DatabaseWrapper):
    def _configure_role(self, connection):
        if self.alias == NO_DB_ALIAS or _owner_mode.get():
            return False
        return super()._configure_role(connection)  # type: ignore[misc]  # not in the stubs


@contextmanager
def owner_role(using: str = DEFAULT_DB_ALIAS):
    """Run the block with the owner's rights (schema changes, grants, truncation)."""
    connection = connections[using]
    app_role = connection.settings_dict["OPTIONS"].get("assume_role")
    token = _owner_mode.set(True)
    try:
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
        yield
    finally:
        _owner_mode.reset(token)
        if connection.connection is not None and app_role:
            with connection.cursor() as cursor:
                cursor.execute(connection.ops.compose_sql("SET ROLE %s", [app_role]))  # type: ignore[attr-defined]  # PostgreSQL only, not in the stubs

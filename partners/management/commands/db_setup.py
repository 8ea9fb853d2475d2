"""Create the two PostgreSQL roles and the database, given a superuser connection.

    manage.py db_setup --admin-url postgres://postgres@127.0.0.1:5432/postgres

The owner role (DATABASE_URL's user) owns the tables and runs migrations; it may create
databases (for the test database) but is no superuser. The app role owns nothing, cannot log in,
cannot bypass row-level security, and is what every request and task runs as. Safe to run again.
"""

from typing import Any

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg import sql


class Command(BaseCommand):
    help = "Create the owner and app roles and the database (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--admin-url", required=True, help="a superuser connection URL")
        parser.add_argument("--owner-password", default="", help="password for the owner role")

    def handle(self, *args, admin_url, owner_password, **options):
        target = dj_database_url.parse(settings.DATABASE_URL)
        owner, dbname = target["USER"], target["NAME"]
        app_role = settings.DATABASE_APP_ROLE
        admin = dj_database_url.parse(admin_url)
        params: dict[str, Any] = {
            "dbname": admin["NAME"] or "postgres",
            "user": admin["USER"] or None,
            "password": admin["PASSWORD"] or None,
            "host": admin["HOST"] or None,
            "port": admin["PORT"] or None,
            "autocommit": True,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [owner]).fetchone()
            if not exists:
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS").format(
                        sql.Identifier(owner)
                    )
                )
            if owner_password:
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(owner), sql.Literal(owner_password)
                    )
                )
            exists = conn.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role]
            ).fetchone()
            if not exists:
                conn.execute(
                    sql.SQL("CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT").format(
                        sql.Identifier(app_role)
                    )
                )
            # The owner switches to the app role on every connection (SET ROLE).
            conn.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(app_role), sql.Identifier(owner))
            )
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]
            ).fetchone()
            if not exists:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(dbname), sql.Identifier(owner)
                    )
                )
        self.stdout.write(
            f"Roles {owner} (owner) and {app_role} (app) and database {dbname} ready."
        )

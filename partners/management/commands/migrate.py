"""``migrate`` as the owner role, then grant the app role what it needs on every table."""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from config.db.base import owner_role


class Command(MigrateCommand):
    def handle(self, *args, **options):
        database = options["database"]
        with owner_role(database):
            result = super().handle(*args, **options)
            connection = connections[database]
            app_role = connection.settings_dict["OPTIONS"].get("assume_role")
            if app_role:
                quoted = connection.ops.quote_name(app_role)
                with connection.cursor() as cursor:
                    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
                    cursor.execute(
                        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                        f"TO {quoted}"
                    )
                    cursor.execute(
                        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"
                    )
        return result

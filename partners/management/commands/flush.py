"""``flush`` truncates tables, which only the owner may do (the app role has no TRUNCATE)."""

from django.core.management.commands.flush import Command as FlushCommand

from config.db.base import owner_role


class Command(FlushCommand):
    def handle(self, **options):
        with owner_role(options["database"]):
            return super().handle(**options)

"""Load the demo workspaces (Kestrel Robotics and Northwind Analytics) and print their logins.

    manage.py demo_data              # create what is missing, then print the logins
    manage.py demo_data --if-empty   # only when the database has no workspace at all (make run)
    manage.py demo_data --logins     # only print the logins table

Safe to run again: an existing demo workspace is left as it is. See partners/demo/seed.py.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from partners.demo.seed import DEMO_VENDORS, demo_load, demo_logins, logins_table
from partners.models import Vendor


def demo_seed_apps(*, log) -> None:
    """Let higher apps add their demo data to each demo workspace: every installed app config
    with a ``demo_module`` attribute gets ``demo_seed(vendor)`` called (which must be
    idempotent), so partners never imports a higher app."""
    modules = [
        import_module(name)
        for config in apps.get_app_configs()
        if (name := getattr(config, "demo_module", None))
    ]
    for spec in DEMO_VENDORS:
        vendor = Vendor.objects.filter(slug=spec.slug).first()
        if vendor is None:
            continue
        for module in modules:
            created = module.demo_seed(vendor)
            if created:
                log(f"  {module.__name__}: {created} added to {spec.name}.")


class Command(BaseCommand):
    help = "Create the demo workspaces (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing unless the database has no workspace yet",
        )
        parser.add_argument(
            "--logins", action="store_true", help="only print the demo logins table"
        )

    def handle(self, *args, if_empty, logins, **options):
        if not logins:
            if if_empty and Vendor.objects.exists():
                self.stdout.write("The database already has workspaces; no demo data loaded.")
            else:
                demo_load(log=self.stdout.write)
                demo_seed_apps(log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(logins_table(demo_logins()))

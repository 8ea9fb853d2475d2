"""Base class for management commands that work inside one workspace."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from partners.models import Vendor
from partners.platform.scope import tenant_scope


class TenantCommand(BaseCommand):
    """``--vendor <slug>`` is required; ``handle_tenant`` runs inside that vendor's scope."""

    def add_arguments(self, parser):
        parser.add_argument("--vendor", required=True, help="workspace slug")

    def handle(self, *args, vendor, **options):
        with scopes_disabled():
            found = Vendor.objects.filter(slug=vendor).first()
        if found is None:
            raise CommandError(f"No workspace with slug {vendor!r}")
        with tenant_scope(found.id):
            return self.handle_tenant(*args, vendor=found, **options)

    def handle_tenant(self, *args, vendor, **options):  # pragma: no cover - abstract
        raise NotImplementedError

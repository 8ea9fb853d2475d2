"""The platform operator's one way into a workspace's data: an audited shell in its scope.

manage.py operator_shell --vendor kestrel --reason "Ticket 4711: wrong currency" [-c CODE]
"""

import getpass

from django.core.management import call_command

from partners.management.tenant_command import TenantCommand
from partners.models import Vendor
from partners.services.audit import audit_record


class Command(TenantCommand):
    help = "Open a Django shell inside one workspace's tenant scope; the access is audited."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--reason", required=True, help="why the operator needs access")
        parser.add_argument("-c", "--command", help="run this code instead of an interactive shell")

    def handle_tenant(self, *args, vendor: Vendor, **options):
        reason, command = options["reason"], options.get("command")
        event = audit_record(
            vendor=vendor,
            actor=None,
            action="operator.access",
            obj=vendor,
            changes={"reason": [None, reason], "operator": [None, getpass.getuser()]},
        )
        event.actor_label = f"operator:{getpass.getuser()}"
        event.save(update_fields=["actor_label"])
        self.stderr.write(f"Operator access to {vendor.slug} recorded in its audit log.")
        call_command("shell", command=command)

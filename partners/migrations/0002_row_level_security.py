from django.db import migrations

from partners.platform.rls import CURRENT_USER, CURRENT_VENDOR, TENANT_CONDITION, EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        EnableTenantRLS("partners_distributor"),
        EnableTenantRLS("partners_invitation"),
        EnableTenantRLS("partners_apitoken"),
        EnableTenantRLS("partners_auditevent"),
        # A person may read their own memberships in every workspace (the workspace switcher);
        # writes stay inside the open workspace.
        EnableTenantRLS(
            "partners_membership",
            using=f"{TENANT_CONDITION} OR user_id = {CURRENT_USER}",
        ),
        # E-mails of a workspace are visible in its scope only; e-mails of no workspace
        # (password resets) only when no workspace scope is open.
        EnableTenantRLS(
            "partners_outboundemail",
            using=f"vendor_id = {CURRENT_VENDOR} OR (vendor_id IS NULL AND {CURRENT_VENDOR} IS NULL)",
            check=f"vendor_id = {CURRENT_VENDOR} OR (vendor_id IS NULL AND {CURRENT_VENDOR} IS NULL)",
        ),
    ]

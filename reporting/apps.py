from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")
    default_auto_field = "django.db.models.BigAutoField"
    # ``manage.py demo_data`` calls ``demo_seed(vendor)`` of this module for each demo vendor.
    demo_module = "reporting.demo.seed"

    def ready(self):
        # Panels this app adds to the distributor page and the homes (partners.platform.panels).
        from reporting import panels  # noqa: F401

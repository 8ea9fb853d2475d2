from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")
    default_auto_field = "django.db.models.BigAutoField"
    # ``manage.py demo_data`` calls ``demo_seed(vendor)`` of this module for each demo vendor.
    demo_module = "scorecards.demo.seed"

    def ready(self):
        # Panels this app adds to the homes and the distributor page (partners.platform.panels), and the
        # reporting events that make scorecards recompute (reporting.events).
        from scorecards import panels, signals_in  # noqa: F401

from django.apps import AppConfig


class QbrConfig(AppConfig):
    name = "qbr"
    default_auto_field = "django.db.models.BigAutoField"

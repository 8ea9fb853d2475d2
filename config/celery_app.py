"""The Celery application. Settings come from Django settings (CELERY_*); the beat schedule is
here, in code: sweeps that find what is due and enqueue one task per unit of work."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("partnerdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "outbox-sweep": {
        "task": "partners.tasks.outbox_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
}

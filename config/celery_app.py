"""The Celery application. Settings come from Django settings (CELERY_*); the beat schedule is
here, in code: sweeps that find what is due and enqueue one task per unit of work."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("partnerdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    """The filesystem broker (used when REDIS_URL is unset) needs its folders to exist."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


app.conf.beat_schedule = {
    "outbox-sweep": {
        "task": "partners.tasks.outbox_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    # Contract end and notice-deadline reminders; each contract is judged in its distributor's
    # time zone, so one run a day (early UTC) covers Asia before its working day.
    "contract-reminders-sweep": {
        "task": "partners.tasks.contract_reminders_sweep_task",
        "schedule": crontab(hour=21, minute=15),
    },
    # Reporting schedule: open ended periods, reminders, escalations and missed flags. Each
    # distributor's due moments are in its own time zone, so the sweep runs every hour.
    "reporting-sweep": {
        "task": "reporting.tasks.reporting_sweep_task",
        "schedule": crontab(minute=7),
    },
    # Scorecards: the current and previous month and fiscal quarter of every vendor, computed
    # again after the day's reports fell due and late sales arrived (early UTC, before Asia's
    # working day starts in earnest).
    "scorecards-nightly": {
        "task": "scorecards.tasks.scorecards_nightly_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Conditional exclusivity: each vendor's last closed fiscal quarter is evaluated once (a
    # few days after its close, the rules say how many), and revokes whose day has come are
    # applied. After the nightly scorecards, so the quarter's figures are fresh.
    "exclusivity-daily": {
        "task": "scorecards.tasks.exclusivity_daily_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Corrective plans: suggested from KPIs red two months running once the nightly scorecards
    # have been computed (the recomputes are queued at 02:30 and run within minutes).
    "plans-suggest": {
        "task": "scorecards.tasks.plans_suggest_sweep_task",
        "schedule": crontab(hour=3, minute=45),
    },
    # Reminders of plan actions due or overdue and reviews due, once a day before Asia's day.
    "plan-reminders-sweep": {
        "task": "scorecards.tasks.plan_reminders_sweep_task",
        "schedule": crontab(hour=21, minute=35),
    },
}

"""The Celery app. Beat runs in its own process; periodic work has its own queue (DESIGN.md)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("si_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.task_routes = {"*.periodic_*": {"queue": "periodic"}}
app.conf.beat_schedule = {
    "core-idempotency-keys-purge": {
        "task": "core.tasks.periodic_idempotency_keys_purge_task",
        "schedule": crontab(minute=17, hour=3),
    },
    # Every day at 07:30; the task itself skips rest days (a make-up Saturday is a working day).
    "cases-deadline-sweep": {
        "task": "cases.tasks.periodic_case_deadlines_sweep_task",
        "schedule": crontab(minute=30, hour=7),
    },
}

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
    # 1 January, 01:30: credit last year's interest to the personal accounts (safe to re-run).
    "registration-account-interest": {
        "task": "registration.tasks.periodic_account_interest_credit_task",
        "schedule": crontab(minute=30, hour=1, day_of_month=1, month_of_year=1),
    },
    # Shared records not compared at receipt (Art. 9), every hour.
    "registration-shared-records-compare": {
        "task": "registration.tasks.periodic_shared_records_compare_task",
        "schedule": crontab(minute=41),
    },
    # Eligibility (Arts. 25-26): the nightly data comparison, then the daily sweeps. Each selects
    # everything due and not yet handled, so a night the scheduler missed is caught up.
    "eligibility-comparison": {
        "task": "eligibility.tasks.periodic_eligibility_comparison_task",
        "schedule": crontab(minute=30, hour=1),
    },
    "eligibility-authentication-sweep": {
        "task": "eligibility.tasks.periodic_eligibility_authentication_sweep_task",
        "schedule": crontab(minute=0, hour=6),
    },
    "eligibility-notice-duty-sweep": {
        "task": "eligibility.tasks.periodic_eligibility_notice_duty_sweep_task",
        "schedule": crontab(minute=45, hour=7),
    },
    # Transfers: deliver the outbox messages whose backoff has passed (and any whose task was lost).
    "transfers-outbox-relay": {
        "task": "transfers.tasks.periodic_outbox_relay_due_task",
        "schedule": 60.0,
    },
    # Benefits: chunks of payment runs whose worker died are queued again; missed instalments
    # are followed up each morning (Art. 46); on the 1st the UI fund's medical contributions
    # for last month (Art. 24). Each selects by state, so a missed run is caught up.
    "benefits-payment-runs-resume": {
        "task": "benefits.tasks.periodic_payment_runs_resume_task",
        "schedule": crontab(minute="*/10"),
    },
    "benefits-instalments-follow-up": {
        "task": "benefits.tasks.periodic_instalments_follow_up_task",
        "schedule": crontab(minute=15, hour=6),
    },
    "benefits-ui-medical-postings": {
        "task": "benefits.tasks.periodic_ui_medical_postings_task",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
}

"""Thin Celery wrappers: the scheduled re-checks and deadline sweeps (config/celery.py)."""

from typing import Any

from celery import shared_task

from core.jobs import job_start
from eligibility.services import authentication, comparison, notice


@shared_task(acks_late=True)
def periodic_eligibility_comparison_task() -> int:
    """Nightly: start the data comparison as a job row (watched, run by a worker)."""
    return job_start(kind=comparison.JOB_KIND, by=None).pk


@shared_task(acks_late=True)
def periodic_eligibility_authentication_sweep_task() -> dict[str, Any]:
    """Daily: open cycles, remind before the end, suspend where the end passed."""
    return authentication.authentication_cycles_sweep()


@shared_task(acks_late=True)
def periodic_eligibility_notice_duty_sweep_task() -> int:
    """Daily: employers' Art. 25 deadlines passed without a report go to the credit log."""
    return notice.notice_duty_sweep()

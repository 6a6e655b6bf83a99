"""Thin Celery wrappers: take ids, call one service."""

from celery import shared_task

from cases import services


@shared_task(acks_late=True)
def periodic_case_deadlines_sweep_task() -> dict[str, int]:
    """Each morning: reminders for cases due within 2 working days, escalation of overdue ones.
    Selects by state, so a missed day is caught up and a re-run changes nothing."""
    return services.case_deadlines_sweep()

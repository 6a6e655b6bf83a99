"""Thin Celery wrappers: take ids, call one service."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core import jobs, services
from core.models import IdempotencyRecord


@shared_task(acks_late=True)
def job_run_task(job_id: int) -> None:
    jobs.job_run(job_id=job_id)


@shared_task(acks_late=True)
def calendar_dependents_recompute_task(year: int) -> None:
    services.calendar_dependents_recompute(year=year)


@shared_task
def periodic_idempotency_keys_purge_task() -> int:
    """Idempotency keys are kept at least 24 hours (IETF draft); we keep them for 48."""
    cutoff = timezone.now() - timedelta(hours=48)
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted

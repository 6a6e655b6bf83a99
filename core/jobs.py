"""Background jobs as rows a person can watch (DESIGN.md "Lessons"): enqueued only after the
transaction that created them commits, progress written as they go, errors kept."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Job, JobStatus

if TYPE_CHECKING:
    from accounts.models import User

# kind -> the function that does the work: (job, report_progress) -> result dict
JobRunner = Callable[[Job, Callable[[int, int], None]], dict[str, Any]]
_runners: dict[str, JobRunner] = {}


def register_job_kind(kind: str, runner: JobRunner) -> None:
    _runners[kind] = runner


def job_start(*, kind: str, by: User | None, params: dict[str, Any] | None = None) -> Job:
    """Create the job row and enqueue it once the surrounding transaction commits."""
    from core import tasks

    if kind not in _runners:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, created_by=by, params=params or {})
        transaction.on_commit(partial(tasks.job_run_task.delay, job.pk))
    return job


def job_progress(*, job_id: int, done: int, total: int) -> None:
    Job.objects.filter(pk=job_id).update(progress_done=done, progress_total=total)


def job_run(*, job_id: int) -> None:
    """Run a queued job once. A second delivery of the same job finds it claimed and does nothing,
    unless the first claim is older than the task time limit (its worker was killed): runners are
    idempotent, so the job then runs again from the start."""
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, started_at__lt=stale)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    try:
        result = _runners[job.kind](job, partial(_report, job.pk))
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            finished_at=timezone.now(),
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.SUCCEEDED, result=result, finished_at=timezone.now()
    )


def _report(job_id: int, done: int, total: int) -> None:
    job_progress(job_id=job_id, done=done, total=total)

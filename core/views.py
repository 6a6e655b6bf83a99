"""Home pages per role, background-job progress, and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from kombu import Connection

from accounts.roles import ROLE_LABELS, Role
from core.models import Job
from core.types import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role lands on the work it does; a person with several roles sees each section."""
    user = request.user
    roles = [role for role in Role if user.has_role(role)]
    context = {
        "roles": roles,
        "role_labels": {role.value: ROLE_LABELS[role] for role in roles},
        "employer": user.employer if user.is_employer_user else None,
        "recent_jobs": Job.objects.filter(created_by=user).order_by("-id")[:5],
    }
    return render(request, "core/home.html", context)


@login_required
def job_detail(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """Progress of a background job; the page polls this partial while the job runs."""
    job = get_object_or_404(Job, pk=job_id)
    if job.created_by_id != request.user.pk and not request.user.has_perm("core.view_job"):
        raise PermissionDenied
    template = "core/partials/job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer; 503 (never a crash) when either does not."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: "ok" if ok else "unavailable" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)

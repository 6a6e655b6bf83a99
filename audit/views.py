"""The audit trail for auditors: filtered, keyset-paginated, and the chain check as a job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit import selectors
from audit.forms import AuditFilterForm
from core.jobs import job_start
from core.types import AuthenticatedHttpRequest

PAGE_SIZE = 50


def _before_id(request: AuthenticatedHttpRequest) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() else None


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_event_list(**{k: v for k, v in filters.items() if v})
    before = _before_id(request)
    if before is not None:
        events = events.filter(id__lt=before)
    page = list(events[: PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "events": page[:PAGE_SIZE],
        "next_before": page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None,
        "query": query.urlencode(),
    }
    return render(request, "audit/event_list.html", context)


@login_required
@permission_required("audit.view_accesslogentry", raise_exception=True)
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = selectors.access_log_list(
        actor=request.GET.get("actor", ""), subject_id=request.GET.get("subject_id", "")
    )
    before = _before_id(request)
    if before is not None:
        entries = entries.filter(id__lt=before)
    page = list(entries[: PAGE_SIZE + 1])
    context = {
        "entries": page[:PAGE_SIZE],
        "next_before": page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None,
    }
    return render(request, "audit/access_log.html", context)


@require_POST
@login_required
@permission_required("audit.verify_audit_chain", raise_exception=True)
def chain_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    job = job_start(kind="audit.verify_chain", by=request.user)
    return redirect("core:job_detail", job_id=job.pk)

"""Eligibility pages: the public report form (no login), the employer portal form, and the
clerks' pages (suspicions queue, investigation, feeds, authentications and their dashboard, the
notice duty and the credit log). Views only call selectors and services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import access_log_record
from core.errors import DomainError, InvalidInputError
from core.jobs import job_start
from core.models import Region
from core.types import AuthenticatedHttpRequest
from eligibility import forms, selectors
from eligibility.charts import share_chart
from eligibility.models import (
    OPEN_SUSPICION_STATUSES,
    FeedChannel,
    FeedKind,
    Investigation,
    ReportChannel,
    ReporterKind,
    StopEventReport,
    SuspicionStatus,
    VerificationCommission,
)
from eligibility.services import authentication, comparison, feeds, investigations, notice
from eligibility.services import suspicions as suspicion_services
from registration.models import Employer, InsuredPerson
from registration.selectors import person_get_by_id_number

PUBLIC_REPORTS_PER_HOUR = 10


def _form_errors(form: Any, exc: Exception) -> None:
    """A service's field errors onto the form; anything else as a form-wide error."""
    fields = getattr(exc, "fields", None) or getattr(exc, "message_dict", None) or {}
    placed = False
    for name, errors in fields.items():
        target = name if name in form.fields else None
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(target, str(error))
            placed = True
    if not placed:
        form.add_error(
            None, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
        )


def _log_people_shown(
    request: AuthenticatedHttpRequest,
    people: Iterable[InsuredPerson | None],
    *,
    purpose: str,
    fields: list[str],
) -> None:
    """Art. 49: a list that shows people is a view of each of them (one entry per person)."""
    shown = {person.pk: person for person in people if person is not None}
    for person in shown.values():
        access_log_record(actor=request.user, subject=person, purpose=purpose, fields=fields)


# --------------------------------------------------------------------------------------------
# Reports (Art. 25): the public form, the employer portal, the counter


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _over_public_limit(request: HttpRequest) -> bool:
    """At most a few reports an hour from one address: a report opens a suspicion for a clerk
    to verify and never stops anything, so this is all the anti-abuse it needs (no captcha)."""
    key = f"eligibility:public-report:{_client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return bool(count > PUBLIC_REPORTS_PER_HOUR)


def report_public(request: HttpRequest) -> HttpResponse:
    """Anyone (a relative, the beneficiary, a neighbour) reports a stop event online."""
    form = forms.StopEventReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # the hidden field: a robot
            return redirect("eligibility:report_public")
        if _over_public_limit(request):
            form.add_error(None, _("Too many reports from this address; please try later."))
        else:
            report = _file_report(
                form,
                request,
                channel=ReportChannel.ONLINE,
                reporter_kind=form.cleaned_data["reporter_kind"],
                by=None,
            )
            if report is not None:
                request.session["eligibility_report"] = report.pk
                return redirect("eligibility:report_received")
    return render(request, "eligibility/report_public.html", {"form": form})


def _file_report(
    form: Any,
    request: HttpRequest,
    *,
    channel: str,
    reporter_kind: str,
    by: Any,
    employer: Employer | None = None,
) -> StopEventReport | None:
    data = form.cleaned_data
    try:
        report, _created = notice.stop_event_report(
            id_number=data["id_number"],
            subject_name=data["subject_name"],
            kind=data["kind"],
            event_date=data["event_date"],
            reporter_kind=reporter_kind,
            reporter_name=data["reporter_name"],
            reporter_phone=data.get("reporter_phone", ""),
            relationship=data.get("relationship", ""),
            employer=employer,
            note=data.get("note", ""),
            channel=channel,
            by=by,
        )
    except (DomainError, ValidationError) as exc:
        _form_errors(form, exc)
        return None
    return report


def report_received(request: HttpRequest) -> HttpResponse:
    """The answer to the reporter: the deadline and whether the report was on time."""
    report_id = request.session.get("eligibility_report")
    if report_id is None:
        return redirect("eligibility:report_public")
    report = get_object_or_404(StopEventReport, pk=report_id)
    return render(request, "eligibility/report_received.html", {"report": report})


@login_required
def report_employer(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employer portal: report an event about one of the employer's people."""
    if request.user.employer_id is None:
        raise PermissionDenied
    employer = Employer.objects.get(pk=request.user.employer_id)
    form = forms.EmployerReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = _file_report(
            form,
            request,
            channel=ReportChannel.EMPLOYER_PORTAL,
            reporter_kind=ReporterKind.EMPLOYER,
            by=request.user,
            employer=employer,
        )
        if report is not None:
            request.session["eligibility_report"] = report.pk
            return redirect("eligibility:report_received")
    return render(request, "eligibility/report_employer.html", {"form": form, "employer": employer})


@login_required
def employer_commissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employer portal: verifications the agency asked this employer for (Art. 26)."""
    if request.user.employer_id is None:
        raise PermissionDenied
    commissions = (
        VerificationCommission.objects.filter(employer_id=request.user.employer_id)
        .select_related("investigation__person", "investigation__stop_event")
        .order_by("status", "due_on", "pk")
    )
    _log_people_shown(
        request,
        (commission.investigation.person for commission in commissions),
        purpose="employer portal: verifications asked of the employer",
        fields=["name"],
    )
    return render(
        request,
        "eligibility/employer_commissions.html",
        {"commissions": commissions, "answer_form": forms.CommissionAnswerForm()},
    )


@login_required
@permission_required("eligibility.add_stopeventreport", raise_exception=True)
def report_counter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A clerk enters a report made at the counter."""
    form = forms.StopEventReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = _file_report(
            form,
            request,
            channel=ReportChannel.COUNTER,
            reporter_kind=form.cleaned_data["reporter_kind"],
            by=request.user,
        )
        if report is not None:
            messages.success(
                request,
                _("Report recorded. Deadline %(deadline)s: %(state)s.")
                % {
                    "deadline": report.deadline.isoformat(),
                    "state": _("on time") if report.is_on_time else _("late"),
                },
            )
            return redirect("eligibility:suspicions")
    return render(request, "eligibility/report_counter.html", {"form": form})


# --------------------------------------------------------------------------------------------
# Suspicions and investigations (Art. 26)


@login_required
@permission_required("eligibility.view_suspicion", raise_exception=True)
def suspicion_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    statuses = {
        "open": [SuspicionStatus.OPEN],
        "investigating": [SuspicionStatus.INVESTIGATING],
        "decided": [SuspicionStatus.CONFIRMED, SuspicionStatus.REFUTED, SuspicionStatus.CLOSED],
    }.get(state, list(OPEN_SUSPICION_STATUSES))
    kind = request.GET.get("kind", "")
    items = list(selectors.suspicion_queue(user=request.user, statuses=statuses, kind=kind)[:200])
    _log_people_shown(
        request,
        (item.person for item in items),
        purpose="eligibility: suspicion queue",
        fields=["name", "id_number(masked)", "awards", "stop events"],
    )
    return render(
        request,
        "eligibility/suspicion_list.html",
        {
            "items": items,
            "state": state,
            "kind": kind,
            "kinds": [choice for choice in FeedKind.choices if choice[0] != "sign_of_life"],
            "states": [
                ("open", _("Awaiting verification")),
                ("investigating", _("Under investigation")),
                ("decided", _("Decided")),
            ],
        },
    )


@login_required
@require_POST
def suspicion_investigate(request: AuthenticatedHttpRequest, suspicion_id: int) -> HttpResponse:
    try:
        investigation = investigations.investigation_open(
            suspicion_id=suspicion_id, by=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("eligibility:suspicions")
    return redirect("eligibility:investigation", investigation.pk)


@login_required
@require_POST
def suspicion_hold(request: AuthenticatedHttpRequest, suspicion_id: int) -> HttpResponse:
    try:
        suspicion_services.suspicion_hold(suspicion_id=suspicion_id, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The award's payments are held until the event is verified."))
    return redirect("eligibility:suspicions")


def _investigation(request: AuthenticatedHttpRequest, investigation_id: int) -> Investigation:
    """The investigation if its case is visible to the user, else 404."""
    try:
        return selectors.investigation_get(user=request.user, investigation_id=investigation_id)
    except Investigation.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("eligibility.view_investigation", raise_exception=True)
def investigation_detail(request: AuthenticatedHttpRequest, investigation_id: int) -> HttpResponse:
    investigation = _investigation(request, investigation_id)
    access_log_record(
        actor=request.user,
        subject=investigation.person,
        purpose="eligibility investigation",
        fields=["name", "id_number"],
    )
    return render(
        request,
        "eligibility/investigation_detail.html",
        _investigation_context(request, investigation),
    )


def _investigation_context(
    request: AuthenticatedHttpRequest,
    investigation: Any,
    commission_form: Any = None,
    conclude_form: Any = None,
) -> dict[str, Any]:
    employers = list(
        Employer.objects.filter(employments__person=investigation.person)
        .distinct()
        .values_list("pk", "name")
    )
    decision = investigation.case.decisions.order_by("-pk").first()
    user = request.user
    can_approve = bool(
        decision is not None
        and decision.status == "proposed"
        and decision.maker_id != user.pk
        and (user.has_perm("cases.review_case") or user.has_perm("cases.supervise_case"))
    )
    return {
        "investigation": investigation,
        "suspicions": investigation.suspicions.select_related(
            "award", "feed_record", "report", "debt", "hold"
        ).order_by("pk"),
        "reports": investigation.stop_event.reports.order_by("submitted_at"),
        "commissions": investigation.commissions.select_related("employer").order_by("pk"),
        "commission_form": commission_form
        or forms.CommissionForm(
            employers=employers,
            initial={"due_on": timezone.localdate() + timedelta(days=14)},
        ),
        "answer_form": forms.CommissionAnswerForm(),
        "conclude_form": conclude_form or forms.ConcludeForm(),
        "decision": decision,
        "can_approve": can_approve,
        "can_act": user.has_perm("eligibility.investigate")
        and investigation.is_open
        and investigation.case.assignee_id == user.pk,
    }


@login_required
@require_POST
def investigation_commission(
    request: AuthenticatedHttpRequest, investigation_id: int
) -> HttpResponse:
    investigation = _investigation(request, investigation_id)
    employers = list(
        Employer.objects.filter(employments__person=investigation.person)
        .distinct()
        .values_list("pk", "name")
    )
    form = forms.CommissionForm(request.POST, employers=employers)
    if form.is_valid():
        data = form.cleaned_data
        try:
            investigations.commission_request(
                investigation_id=investigation.pk,
                party_kind=data["party_kind"],
                party_name=data["party_name"],
                employer_id=data["employer"],
                request=data["request"],
                due_on=data["due_on"],
                by=request.user,
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Verification commissioned."))
            return redirect("eligibility:investigation", investigation.pk)
    context = _investigation_context(request, investigation, commission_form=form)
    return render(request, "eligibility/investigation_detail.html", context, status=400)


@login_required
@require_POST
def commission_answer(request: AuthenticatedHttpRequest, commission_id: int) -> HttpResponse:
    commission = get_object_or_404(VerificationCommission, pk=commission_id)
    is_party = request.user.employer_id is not None and (
        request.user.employer_id == commission.employer_id
    )
    if not is_party:
        _investigation(request, commission.investigation_id)
    form = forms.CommissionAnswerForm(request.POST)
    if form.is_valid():
        try:
            investigations.commission_answer(
                commission_id=commission.pk,
                answer=form.cleaned_data["answer"],
                confirms=form.cleaned_data["confirms"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Give the answer."))
    if is_party:
        return redirect("eligibility:employer_commissions")
    return redirect("eligibility:investigation", commission.investigation_id)


@login_required
@require_POST
def investigation_conclude(
    request: AuthenticatedHttpRequest, investigation_id: int
) -> HttpResponse:
    investigation = _investigation(request, investigation_id)
    form = forms.ConcludeForm(request.POST)
    if form.is_valid():
        try:
            decision = investigations.investigation_conclude(
                investigation_id=investigation.pk,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                by=request.user,
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            if decision.status == "effective":
                messages.success(request, _("The conclusion is effective."))
            else:
                messages.success(request, _("The conclusion waits for a second person's approval."))
            return redirect("eligibility:investigation", investigation.pk)
    context = _investigation_context(request, investigation, conclude_form=form)
    return render(request, "eligibility/investigation_detail.html", context, status=400)


@login_required
@require_POST
def investigation_approve(request: AuthenticatedHttpRequest, investigation_id: int) -> HttpResponse:
    """The second pair of eyes approves the proposed conclusion (Art. 37)."""
    from cases.services import decision_approve

    investigation = _investigation(request, investigation_id)
    decision = investigation.case.decisions.filter(status="proposed").first()
    if decision is None:
        messages.error(request, _("No conclusion awaits approval."))
    else:
        try:
            decision_approve(decision_id=decision.pk, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Approved."))
    return redirect("eligibility:investigation", investigation.pk)


# --------------------------------------------------------------------------------------------
# Feeds (Art. 8)


@login_required
@permission_required("eligibility.view_feedbatch", raise_exception=True)
def feed_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.FeedImportForm()
    batches = list(selectors.feed_batches(user=request.user)[:100])
    runs = comparison_runs()
    return render(
        request,
        "eligibility/feed_list.html",
        {"form": form, "batches": batches, "runs": runs},
    )


def comparison_runs() -> list[Any]:
    from eligibility.models import ComparisonRun

    return list(ComparisonRun.objects.order_by("-started_at")[:10])


@login_required
@permission_required("eligibility.add_feedbatch", raise_exception=True)
def feed_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.FeedImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = feeds.feed_file_parse(upload.read())
            result = feeds.feed_batch_receive(
                kind=form.cleaned_data["kind"],
                records=records,
                channel=FeedChannel.FILE,
                by=request.user,
                file_name=upload.name,
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            batch = result.batch
            messages.success(
                request,
                _(
                    "%(accepted)s records kept, %(duplicates)s already received, "
                    "%(rejected)s rejected."
                )
                % {
                    "accepted": batch.records_accepted,
                    "duplicates": batch.records_duplicate,
                    "rejected": batch.records_rejected,
                },
            )
            return redirect("eligibility:feed_batch", batch.pk)
    batches = list(selectors.feed_batches(user=request.user)[:100])
    return render(
        request,
        "eligibility/feed_list.html",
        {"form": form, "batches": batches, "runs": comparison_runs()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("eligibility.view_feedbatch", raise_exception=True)
def feed_batch(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(selectors.feed_batches(user=request.user), pk=batch_id)
    return render(
        request,
        "eligibility/feed_batch.html",
        {"batch": batch, "errors": batch.errors.all()[:1000]},
    )


@login_required
@require_POST
@permission_required("eligibility.investigate", raise_exception=True)
def comparison_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Run the data comparison now (it also runs every night)."""
    job = job_start(kind=comparison.JOB_KIND, by=request.user)
    return redirect("core:job_detail", job.pk)


# --------------------------------------------------------------------------------------------
# Authentications (Art. 26)


@login_required
@permission_required("eligibility.view_authenticationcycle", raise_exception=True)
def authentication_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    state = request.GET.get("state", "due_soon")
    cycles = list(selectors.cycles_for(user=request.user, state=state, today=today)[:200])
    _log_people_shown(
        request,
        (cycle.person for cycle in cycles),
        purpose="eligibility: authentication cycles",
        fields=["name", "id_number(masked)", "authentications"],
    )
    counts = selectors.cycles_for(user=request.user, state="all", today=today).aggregate(
        total=Count("pk"),
        suspended=Count("pk", filter=Q(suspended_at__isnull=False)),
        overdue=Count("pk", filter=Q(suspended_at__isnull=True, due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=30))),
    )
    return render(
        request,
        "eligibility/authentication_list.html",
        {
            "cycles": cycles,
            "counts": counts,
            "state": state,
            "states": [
                ("due_soon", _("Due within 30 days")),
                ("overdue", _("Past due, not yet suspended")),
                ("suspended", _("Payment suspended")),
                ("all", _("All")),
            ],
            "form": forms.CounterAuthenticationForm(initial={"verified_on": today}),
        },
    )


@login_required
@permission_required("eligibility.add_authentication", raise_exception=True)
def authentication_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A clerk records a counter visit or a home visit."""
    form = forms.CounterAuthenticationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = person_get_by_id_number(data["id_number"], user=request.user)
        if person is None:
            form.add_error("id_number", _("Nobody with this ID number is registered here."))
        else:
            try:
                result = authentication.authentication_record(
                    person_id=person.pk,
                    channel=data["channel"],
                    verified_on=data["verified_on"],
                    by=request.user,
                )
            except InvalidInputError as exc:
                _form_errors(form, exc)
            else:
                text = _("%(name)s verified. Next due %(due)s.") % {
                    "name": person.name,
                    "due": result.due_on.isoformat() if result.due_on else "—",
                }
                if result.resumed:
                    text += " " + _("Payment resumes, with the months missed paid as arrears.")
                messages.success(request, text)
                return redirect("eligibility:authentications")
    return render(request, "eligibility/authentication_record.html", {"form": form})


@login_required
@permission_required("eligibility.view_authentication", raise_exception=True)
def authentication_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The share of beneficiaries verified without coming in, by region and month."""
    today = timezone.localdate()
    since = date(today.year - 1, today.month, 1)
    region_id = _int(request.GET.get("region"))
    rows = selectors.remote_share(user=request.user, since=since, region_id=region_id)
    regions = Region.objects.filter(pk__in={row.region.pk for row in rows}).order_by("code")
    chart_rows = rows if region_id or len(regions) <= 1 else []
    return render(
        request,
        "eligibility/dashboard.html",
        {
            "rows": rows,
            "regions": list(regions),
            "region_id": region_id,
            "chart": share_chart(chart_rows) if chart_rows else None,
            "all_regions": Region.objects.filter(pooled_regions__isnull=False)
            .distinct()
            .order_by("code"),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# The notice duty (Art. 25) and the credit log (Art. 45)


@login_required
@permission_required("eligibility.view_stopevent", raise_exception=True)
def notice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    state = request.GET.get("state", selectors.NoticeState.OVERDUE)
    events = list(
        selectors.stop_events_for(user=request.user, state=state, today=today).order_by(
            "deadline", "pk"
        )[:200]
    )
    _log_people_shown(
        request,
        (event.person for event in events),
        purpose="eligibility: notice duty",
        fields=["name", "stop events"],
    )
    return render(
        request,
        "eligibility/notice_list.html",
        {
            "events": events,
            "state": state,
            "today": today,
            "states": [
                (selectors.NoticeState.OVERDUE, _("Deadline passed, not reported")),
                (selectors.NoticeState.PENDING, _("Deadline not yet passed")),
                (selectors.NoticeState.LATE, _("Reported late")),
                (selectors.NoticeState.ON_TIME, _("Reported on time")),
            ],
        },
    )


@login_required
@permission_required("eligibility.view_creditrecord", raise_exception=True)
def credit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    records = list(selectors.credit_records_for(user=request.user)[:200])
    _log_people_shown(
        request,
        (record.person for record in records if record.employer_id is None),
        purpose="eligibility: credit records",
        fields=["name", "credit records"],
    )
    return render(request, "eligibility/credit_list.html", {"records": records})

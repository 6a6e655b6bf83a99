"""Clerk worklists and case pages, the employer's own cases, and the public 办事指南.

Views validate a form, call the same service the API would, show a DomainError as a message,
and redirect. They hold no rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from audit.services import access_log_record
from cases import selectors, services
from cases.clock import sla_dates
from cases.forms import (
    ApprovalForm,
    AssignForm,
    AssistanceForm,
    DecisionForm,
    HomeVisitDoneForm,
    HomeVisitForm,
    MaterialUploadForm,
    NoteForm,
    ReasonsForm,
    ReturnForm,
    SupplementRequestForm,
    WorklistFilterForm,
)
from cases.models import (
    OPEN_STATUSES,
    ApplicantKind,
    ApprovalLevel,
    Case,
    CaseStatus,
    Decision,
    DecisionStatus,
    staff_pooling_region_id,
)
from cases.selectors import Worklist, WorklistFilters
from cases.services.special import HOME_VISIT_ITEM
from core.errors import DomainError, InvalidInputError
from core.models import Agency
from core.types import AuthenticatedHttpRequest


def _worklist_titles() -> dict[str, str]:
    return {
        Worklist.MINE: _("My cases"),
        Worklist.QUEUE: _("Team queue"),
        Worklist.DUE_SOON: _("Due soon"),
        Worklist.OVERDUE: _("Overdue"),
        Worklist.SUPPLEMENT: _("Awaiting supplement"),
        Worklist.REVIEW: _("Awaiting my review"),
    }


def _parse_cursor(value: str) -> selectors.Cursor | None:
    """`<1|0>.<deadline>.<id>`: where the next page starts (anything else: the first page)."""
    try:
        priority, day, pk = value.split(".", 2)
        if priority not in ("0", "1"):
            return None
        return priority == "1", date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _branches(user: User) -> QuerySet[Agency]:
    region_id = staff_pooling_region_id(user)
    agencies = Agency.objects.order_by("code")
    if region_id is None:
        return agencies
    return agencies.filter(Q(region__pooling_region_id=region_id) | Q(region_id=region_id))


def _default_worklist(user: User) -> str:
    if user.has_perm("cases.handle_case"):
        return Worklist.MINE
    if user.has_perm("cases.review_case"):
        return Worklist.REVIEW
    if user.has_perm("cases.supervise_case"):
        return Worklist.OVERDUE
    return Worklist.QUEUE


def _tabs(user: User) -> list[str]:
    """A clerk's own lists first; reviewers and supervisors, who handle no cases, skip them."""
    if user.has_perm("cases.handle_case"):
        return list(Worklist.ALL)
    return [key for key in Worklist.ALL if key != Worklist.MINE]


@login_required
def worklist(request: AuthenticatedHttpRequest, worklist: str = "") -> HttpResponse:
    """My cases, the team queue, due soon, overdue, awaiting supplement, awaiting my review."""
    user = request.user
    if not user.has_perm("cases.view_case"):
        raise PermissionDenied
    if not worklist:
        return redirect("cases:worklist", worklist=_default_worklist(user))
    if worklist not in Worklist.ALL:
        raise Http404
    dates = sla_dates()
    form = WorklistFilterForm(request.GET or None, branches=_branches(user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = WorklistFilters(
        item=data.get("item"),
        status=data.get("status") or "",
        sla=data.get("sla") or "",
        channel=data.get("channel") or "",
        branch_id=data["branch"].pk if data.get("branch") else None,
        assistance_only=bool(data.get("assistance")),
        q=data.get("q") or "",
    )
    after = _parse_cursor(request.GET.get("after", ""))
    rows, following = selectors.worklist_page(user, worklist, dates, filters, after)
    query = request.GET.copy()
    query.pop("after", None)
    next_url = None
    if following is not None:
        query["after"] = f"{int(following[0])}.{following[1].isoformat()}.{following[2]}"
        next_url = f"?{query.urlencode()}"
        query.pop("after")
    titles = _worklist_titles()
    context = {
        "worklist": worklist,
        "title": titles[worklist],
        "tabs": [(key, titles[key]) for key in _tabs(user)],
        "counts": selectors.worklist_counts(user, dates),
        "rows": rows,
        "form": form,
        "next_url": next_url,
        "first_url": f"?{query.urlencode()}" if after else None,
        "notifications": selectors.notifications_unread(user),
        "today": dates.today,
        "can_claim": user.has_perm("cases.handle_case"),
    }
    return render(request, "cases/worklist.html", context)


def _clerks(case: Case) -> QuerySet[User]:
    region = case.pooling_region_id
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="handle_case",
            groups__permissions__content_type__app_label="cases",
        )
        .filter(Q(agency__region__pooling_region_id=region) | Q(agency__region_id=region))
        .distinct()
        .order_by("username")
    )


def _actions(
    case: Case, user: User, pending: Decision | None, has_request: bool
) -> dict[str, bool]:
    handler = user.has_perm("cases.handle_case")
    mine = handler and case.assignee_id == user.pk
    applicant = case.is_employer_user(user)
    is_open = case.status in OPEN_STATUSES
    status = case.status
    return {
        "claim": handler and is_open and case.assignee_id is None,
        "accept": mine and status == CaseStatus.SUBMITTED,
        "review": mine and status == CaseStatus.ACCEPTED,
        "supplement_request": mine
        and not has_request
        and pending is None
        and status in (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW),
        "supplement_receive": (mine or applicant) and status == CaseStatus.AWAITING_SUPPLEMENT,
        "upload": (mine and is_open) or (applicant and status == CaseStatus.AWAITING_SUPPLEMENT),
        "propose": mine
        and pending is None
        and status in (CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW)
        and case.item.code != HOME_VISIT_ITEM,
        "close": mine and status == CaseStatus.DECIDED,
        "reject": mine and status in (CaseStatus.SUBMITTED, CaseStatus.AWAITING_SUPPLEMENT),
        "withdraw": is_open
        and (mine or applicant or (handler and user.has_perm("cases.supervise_case"))),
        "assign": is_open and user.has_perm("cases.supervise_case"),
        "home_visit": handler and is_open and case.item.code != HOME_VISIT_ITEM,
        "home_visit_done": mine and is_open and case.item.code == HOME_VISIT_ITEM,
    }


@login_required
def case_detail(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    """The case: deadline, applicant and proxy, materials, decisions, timeline, and the actions
    the user may take now."""
    user = request.user
    dates = sla_dates()
    try:
        case = selectors.case_get_for_detail(user, case_number, dates)
    except Case.DoesNotExist:
        raise Http404 from None
    is_applicant = case.is_employer_user(user)
    if case.applicant_kind == ApplicantKind.PERSON and not is_applicant:
        access_log_record(
            actor=user,
            subject=case,
            purpose="case handling 经办",
            fields=["applicant_id_number", "applicant_name"],
        )
    decisions = list(case.decisions.all())
    pending = next((d for d in decisions if d.status == DecisionStatus.PROPOSED), None)
    request_ = selectors.supplement_request_of(case)
    actions = _actions(case, user, pending, request_ is not None)
    approval_level = services.approval_level_for(pending, user) if pending is not None else None
    clerks = _clerks(case) if actions["assign"] or actions["home_visit"] else User.objects.none()
    upload_materials = selectors.materials_for_upload(case, user, request_)
    assistance = services.assistance_for(case.applicant_id_number)
    selectors_unread = [
        n.pk for n in selectors.notifications_unread(user, limit=50) if n.case_id == case.pk
    ]
    if selectors_unread:
        services.notifications_mark_read(by=user, notification_ids=selectors_unread)
    context = {
        "case": case,
        "is_applicant": is_applicant,
        "show_full_id": case.assignee_id == user.pk,
        "decisions": decisions,
        "pending": pending,
        "approval_level": approval_level,
        "approval_level_label": ApprovalLevel(approval_level).label if approval_level else "",
        "supplement": request_,
        "actions": actions,
        "assistance": assistance,
        "required_materials": list(case.item.materials.all()),
        "forms": {
            "supplement": SupplementRequestForm(item=case.item, auto_id="supplement_%s"),
            "upload": MaterialUploadForm(materials=upload_materials, auto_id="upload_%s"),
            "decision": DecisionForm(
                initial={"legal_basis": case.item.legal_basis}, auto_id="decision_%s"
            ),
            "approve": ApprovalForm(initial={"level": approval_level or ""}, auto_id="approve_%s"),
            "return": ReturnForm(auto_id="return_%s"),
            "reject": ReasonsForm(auto_id="reject_%s"),
            "withdraw": NoteForm(auto_id="withdraw_%s"),
            "assign": AssignForm(clerks=clerks, auto_id="assign_%s"),
            "home_visit": HomeVisitForm(
                clerks=clerks, initial={"assignee": user.pk}, auto_id="visit_%s"
            ),
            "home_visit_done": HomeVisitDoneForm(auto_id="visited_%s"),
        },
        "today": dates.today,
    }
    return render(request, "cases/case_detail.html", context)


Action = Callable[[AuthenticatedHttpRequest, Case], str]


def _claim(request: AuthenticatedHttpRequest, case: Case) -> str:
    services.case_claim(case_id=case.pk, by=request.user)
    return _("You claimed the case.")


def _accept(request: AuthenticatedHttpRequest, case: Case) -> str:
    services.case_accept(case_id=case.pk, by=request.user, note=request.POST.get("note", ""))
    return _("The case was accepted.")


def _review(request: AuthenticatedHttpRequest, case: Case) -> str:
    services.case_review_start(case_id=case.pk, by=request.user)
    return _("Review started.")


def _supplement_request(request: AuthenticatedHttpRequest, case: Case) -> str:
    form = SupplementRequestForm(request.POST, item=case.item)
    data = _valid(form)
    services.supplement_request(
        case_id=case.pk,
        material_ids=[m.pk for m in data["materials"]],
        note=data["note"],
        by=request.user,
    )
    return _("The applicant was told everything that is missing.")


def _supplement_receive(request: AuthenticatedHttpRequest, case: Case) -> str:
    services.supplement_receive(case_id=case.pk, by=request.user, note=request.POST.get("note", ""))
    return _("The supplement was received; the clock runs again.")


def _upload(request: AuthenticatedHttpRequest, case: Case) -> str:
    materials = selectors.materials_for_upload(case, request.user)
    form = MaterialUploadForm(request.POST, request.FILES, materials=materials)
    data = _valid(form)
    services.material_add(
        case_id=case.pk,
        item_material_id=data["item_material"].pk,
        upload=data["file"],
        by=request.user,
    )
    return _("The file was added.")


def _propose(request: AuthenticatedHttpRequest, case: Case) -> str:
    data = _valid(DecisionForm(request.POST))
    decision = services.decision_propose(
        case_id=case.pk,
        outcome=data["outcome"],
        reasons=data["reasons"],
        legal_basis=data["legal_basis"],
        amount=data["amount"],
        by=request.user,
    )
    if decision.status == DecisionStatus.EFFECTIVE:
        return _("The decision is effective.")
    return _("The decision awaits approval by another person (Art. 37).")


def _close(request: AuthenticatedHttpRequest, case: Case) -> str:
    services.case_close(case_id=case.pk, by=request.user, note=request.POST.get("note", ""))
    return _("The case was closed.")


def _reject(request: AuthenticatedHttpRequest, case: Case) -> str:
    data = _valid(ReasonsForm(request.POST))
    services.case_reject(case_id=case.pk, reasons=data["reasons"], by=request.user)
    return _("The application was not accepted; the reasons and remedies are recorded.")


def _withdraw(request: AuthenticatedHttpRequest, case: Case) -> str:
    data = _valid(NoteForm(request.POST))
    services.case_withdraw(case_id=case.pk, by=request.user, note=data["note"])
    return _("The case was withdrawn.")


def _assign(request: AuthenticatedHttpRequest, case: Case) -> str:
    data = _valid(AssignForm(request.POST, clerks=_clerks(case)))
    services.case_assign(
        case_id=case.pk, assignee=data["assignee"], by=request.user, note=data["note"]
    )
    return _("The case was assigned to %(name)s.") % {"name": data["assignee"]}


def _home_visit(request: AuthenticatedHttpRequest, case: Case) -> str:
    data = _valid(HomeVisitForm(request.POST, clerks=_clerks(case)))
    visit = services.home_visit_arrange(
        case_id=case.pk,
        address=data["address"],
        assignee=data["assignee"],
        scheduled_for=data["scheduled_for"],
        contact_phone=data["contact_phone"],
        note=data["note"],
        by=request.user,
    )
    return _("Home visit %(number)s was arranged.") % {"number": visit.case_number}


def _home_visit_done(request: AuthenticatedHttpRequest, case: Case) -> str:
    data = _valid(HomeVisitDoneForm(request.POST))
    services.home_visit_complete(case_id=case.pk, outcome=data["outcome"], by=request.user)
    return _("The home visit was recorded.")


ACTIONS: dict[str, Action] = {
    "claim": _claim,
    "accept": _accept,
    "review": _review,
    "supplement-request": _supplement_request,
    "supplement-receive": _supplement_receive,
    "upload": _upload,
    "propose": _propose,
    "close": _close,
    "reject": _reject,
    "withdraw": _withdraw,
    "assign": _assign,
    "home-visit": _home_visit,
    "home-visit-done": _home_visit_done,
}


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        raise InvalidInputError(_("Please correct the form."), fields=fields)
    data: dict[str, Any] = form.cleaned_data
    return data


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, InvalidInputError) and exc.fields:
        details = "; ".join(
            " ".join(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
            for msgs in exc.fields.values()
        )
        return f"{exc.message} {details}"
    return exc.message


def _back(request: AuthenticatedHttpRequest, case: Case) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("cases:detail", case_number=case.case_number)


@require_POST
@login_required
def case_action(request: AuthenticatedHttpRequest, case_number: str, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("item"), case_number=case_number
    )
    try:
        messages.success(request, handler(request, case))
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return _back(request, case)


@require_POST
@login_required
def decision_verdict(
    request: AuthenticatedHttpRequest, case_number: str, decision_id: int, verdict: str
) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), case_number=case_number)
    decision = get_object_or_404(Decision, pk=decision_id, case=case)
    try:
        if verdict == "approve":
            data = _valid(ApprovalForm(request.POST))
            result = services.decision_approve(
                decision_id=decision.pk,
                by=request.user,
                level=data["level"] or None,
                note=data["note"],
            )
            messages.success(
                request,
                _("The decision is effective.")
                if result.status == DecisionStatus.EFFECTIVE
                else _("Your approval was recorded; the next level is still needed."),
            )
        elif verdict == "return":
            data = _valid(ReturnForm(request.POST))
            services.decision_return(decision_id=decision.pk, by=request.user, note=data["note"])
            messages.success(request, _("The decision was returned to its maker."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("cases:detail", case_number=case.case_number)


@login_required
def material_download(
    request: AuthenticatedHttpRequest, case_number: str, material_id: int
) -> FileResponse:
    """Materials are never served from the web root: only here, to users who may see the case,
    and every download is in the access log (Art. 49)."""
    case = get_object_or_404(Case.objects.visible_to(request.user), case_number=case_number)
    material = get_object_or_404(case.materials.select_related("item_material"), pk=material_id)
    access_log_record(
        actor=request.user,
        subject=case,
        purpose="material download 材料下载",
        fields=[material.item_material.code],
    )
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("notification") if v.isdigit()]
    services.notifications_mark_read(by=request.user, notification_ids=ids or None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("cases:worklist_home")


@login_required
def employer_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employer portal: its own cases and their deadlines, nothing else."""
    if request.user.employer_id is None:
        raise PermissionDenied
    rows = selectors.employer_case_list(request.user, sla_dates())
    return render(request, "cases/portal.html", {"rows": rows})


@login_required
def assistance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark a person elderly or disabled and needing assistance (Art. 30)."""
    if not request.user.has_perm("cases.handle_case"):
        raise PermissionDenied
    form = AssistanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.assistance_mark(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Recorded for %(name)s.") % {"name": profile.name})
            return redirect(reverse("cases:assistance"))
    return render(request, "cases/assistance.html", {"form": form})


def guide_list(request: Any) -> HttpResponse:
    """办事指南: every service item, public."""
    items = selectors.service_items_public()
    return render(request, "cases/guide_list.html", {"items": items})


def guide_detail(request: Any, code: str) -> HttpResponse:
    """One item's guide: what to bring, told once and completely (一次性告知); what the agency
    fetches itself; the time limit and where it comes from; the channels; the legal basis; and
    the remedies."""
    item = get_object_or_404(selectors.service_items_public(), code=code)
    materials = list(item.materials.all())
    context = {
        "item": item,
        "to_bring": [m for m in materials if not m.fetched_by_agency],
        "fetched": [m for m in materials if m.fetched_by_agency],
        "remedies": services.remedy_notice_text(),
    }
    return render(request, "cases/guide_detail.html", context)

"""Clerk pages (search, person, employer, discrepancies), the rights record (Art. 32) and the
employer portal (增员 / 减员, one at a time or by file). Views only call selectors and services;
every view of a person's data leaves an access-log entry (Art. 49)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import access_log_record
from core.errors import DomainError
from core.masking import mask_account_number
from core.types import AuthenticatedHttpRequest
from registration import forms, selectors
from registration.models import (
    Discrepancy,
    DiscrepancyStatus,
    Employer,
    EmployerUpload,
    Employment,
    Enrolment,
    InsuredPerson,
)
from registration.services import comparison, uploads
from registration.services import employments as emp
from registration.views_support import (
    benefits_for,
    cases_for_employer,
    cases_for_person,
    employer_required,
    rights_record_context,
)


def can_unmask(user: Any) -> bool:
    """Full ID and bank-account numbers only for roles that handle registrations (Art. 49)."""
    return bool(user.has_perm("registration.view_unmasked_identifiers"))


@login_required
def employer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    employers = Employer.objects.visible_to(request.user).select_related("region")[:100]
    return render(request, "registration/employer_list.html", {"employers": employers})


@login_required
@permission_required("registration.view_insuredperson", raise_exception=True)
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find persons by ID number or name, employers by credit code or name."""
    form = forms.SearchForm(request.GET or None)
    people: Any = []
    employers: Any = []
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        people = list(selectors.person_search(user=request.user, query=query))
        employers = list(selectors.employer_search(user=request.user, query=query))
        for person in people:
            access_log_record(
                actor=request.user, subject=person, purpose="search result", fields=["name"]
            )
    return render(
        request,
        "registration/search.html",
        {"form": form, "people": people, "employers": employers, "searched": form.is_bound},
    )


@login_required
def person_detail(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """A person's registration: enrolments, employments, contributions, account, cases."""
    if request.user.employer_id is not None or not request.user.has_perm(
        "registration.view_insuredperson"
    ):
        raise PermissionDenied  # employers see their employees in the portal, persons /my-record/
    person = get_object_or_404(
        InsuredPerson.objects.visible_to(request.user).select_related("region"), pk=person_id
    )
    unmasked = can_unmask(request.user)
    access_log_record(
        actor=request.user,
        subject=person,
        purpose="clerk: person page",
        fields=[
            "id_number" if unmasked else "id_number(masked)",
            "contributions",
            "account",
            "benefits",
        ],
    )
    context = {
        "person": person,
        "id_number": person.id_number if unmasked else person.masked_id_number,
        "enrolments": Enrolment.objects.filter(person=person).select_related("employer", "region"),
        "employments": Employment.objects.filter(person=person).select_related("employer"),
        "history": selectors.contribution_history(person_id=person.pk),
        "recent": person.contributions.select_related("employer").order_by("-month", "-id")[:24],
        "entries": selectors.account_entries(person_id=person.pk),
        "balance": selectors.account_balance(person_id=person.pk),
        "cases": cases_for_person(person),
        "benefits": benefits_for(person),
    }
    return render(request, "registration/person_detail.html", context)


@login_required
def employer_detail(request: AuthenticatedHttpRequest, employer_id: int) -> HttpResponse:
    """An employer's registration, its current employees and its cases."""
    employer = get_object_or_404(
        Employer.objects.visible_to(request.user).select_related("region"), pk=employer_id
    )
    unmasked = can_unmask(request.user)
    employees = selectors.employees_of(employer=employer)[:500]
    access_log_record(
        actor=request.user,
        subject=employer,
        purpose="employer page",
        fields=["bank_account" if unmasked else "bank_account(masked)", "employees"],
    )
    return render(
        request,
        "registration/employer_detail.html",
        {
            "employer": employer,
            "bank_account": employer.bank_account
            if unmasked
            else mask_account_number(employer.bank_account),
            "employees": employees,
            "arrears": employer.arrears.all(),
            "arrears_total": selectors.employer_arrears_total(employer_id=employer.pk),
            "cases": cases_for_employer(employer),
            "is_own": request.user.employer_id == employer.pk,
        },
    )


def _rights_person(request: AuthenticatedHttpRequest, person_id: int | None) -> InsuredPerson:
    if person_id is None:
        person = InsuredPerson.objects.filter(user=request.user).first()
        if person is None:
            raise Http404
        return person
    if request.user.employer_id is not None:
        raise PermissionDenied
    return get_object_or_404(InsuredPerson.objects.visible_to(request.user), pk=person_id)


def _rights_record(request: AuthenticatedHttpRequest, person_id: int | None) -> HttpResponse:
    person = _rights_person(request, person_id)
    access_log_record(
        actor=request.user,
        subject=person,
        purpose="rights record (Art. 32)" + (" by the person" if person_id is None else ""),
        fields=["contributions", "account", "benefits"],
    )
    return render(request, "registration/rights_record.html", rights_record_context(person))


@login_required
def rights_record(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """The printable 权益记录单 a clerk gives a person, free of charge (Art. 32)."""
    return _rights_record(request, person_id)


@login_required
def my_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's own rights record (Art. 32)."""
    return _rights_record(request, None)


@login_required
def rights_record_pdf(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    from registration.pdf import rights_record_pdf_bytes

    person = _rights_person(request, person_id if person_id else None)
    access_log_record(
        actor=request.user,
        subject=person,
        purpose="rights record PDF (Art. 32)",
        fields=["contributions", "account", "benefits"],
    )
    response = HttpResponse(rights_record_pdf_bytes(person), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rights-record-{person.pk}.pdf"'
    return response


@login_required
@permission_required("registration.view_discrepancy", raise_exception=True)
def discrepancy_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The Art. 9 queue: differences between declared and shared data."""
    status = request.GET.get("status", DiscrepancyStatus.OPEN)
    items = (
        Discrepancy.objects.visible_to(request.user)
        .filter(status=status)
        .select_related("shared_record", "employer", "person")[:200]
    )
    return render(
        request,
        "registration/discrepancy_list.html",
        {
            "items": items,
            "status": status,
            "statuses": DiscrepancyStatus.choices,
            "form": forms.DiscrepancyResolveForm(),
        },
    )


@login_required
@permission_required("registration.change_discrepancy", raise_exception=True)
@require_POST
def discrepancy_resolve(request: AuthenticatedHttpRequest, discrepancy_id: int) -> HttpResponse:
    item = get_object_or_404(Discrepancy.objects.visible_to(request.user), pk=discrepancy_id)
    form = forms.DiscrepancyResolveForm(request.POST)
    if form.is_valid():
        try:
            comparison.discrepancy_resolve(
                discrepancy_id=item.pk,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("The discrepancy is closed."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give an outcome and a note."))
    return redirect("registration:discrepancy_list")


# --- employer portal -------------------------------------------------------------------------


@employer_required
def portal_employees(request: AuthenticatedHttpRequest) -> HttpResponse:
    employer = request.user.employer
    assert employer is not None  # noqa: S101 - employer_required guarantees it
    access_log_record(
        actor=request.user,
        subject=employer,
        purpose="employer portal: employee list",
        fields=["employees: name, id_number(masked), base"],
    )
    return render(
        request,
        "registration/portal_employees.html",
        {
            "employer": employer,
            "employees": selectors.employees_of(employer=employer)[:2000],
            "uploads": EmployerUpload.objects.filter(employer=employer).defer("content")[:10],
        },
    )


def _columns() -> dict[str, str]:
    return dict(emp.COLUMN_LABELS)


@employer_required
def portal_employee_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """增员 of one person: registers them if new, starts employment and enrolments."""
    form = forms.EmployeeAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = emp.StartRow(
            row=1,
            id_number=data["id_number"],
            name=data["name"],
            start_date=data["start_date"],
            contribution_base=data["contribution_base"],
            phone=data["phone"],
        )
        try:
            emp.employments_start(
                employer_id=request.user.employer_id or 0, rows=[row], by=request.user
            )
        except emp.RowsInvalidError as exc:
            form.add_row_errors(exc.errors, _columns())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": data["name"]})
            return redirect("registration:portal_employees")
    return render(
        request, "registration/portal_form.html", {"form": form, "title": _("Add an employee")}
    )


def _own_open_employment(request: AuthenticatedHttpRequest, employment_id: int) -> Employment:
    return get_object_or_404(
        Employment.objects.select_related("person"),
        pk=employment_id,
        employer_id=request.user.employer_id,
        end_date__isnull=True,
    )


@employer_required
def portal_employment_end(request: AuthenticatedHttpRequest, employment_id: int) -> HttpResponse:
    """减员 of one person, with the reason."""
    employment = _own_open_employment(request, employment_id)
    form = forms.EmploymentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = emp.EndRow(
            row=1,
            id_number=employment.person.id_number,
            end_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
        )
        try:
            emp.employments_end(employer_id=employment.employer_id, rows=[row], by=request.user)
        except emp.RowsInvalidError as exc:
            form.add_row_errors(exc.errors, _columns())
        else:
            messages.success(request, _("The employment has ended."))
            return redirect("registration:portal_employees")
    return render(
        request,
        "registration/portal_form.html",
        {
            "form": form,
            "title": _("End the employment of %(name)s") % {"name": employment.person.name},
        },
    )


@employer_required
def portal_base_change(request: AuthenticatedHttpRequest, employment_id: int) -> HttpResponse:
    employment = _own_open_employment(request, employment_id)
    form = forms.BaseChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        month: date = form.cleaned_data["effective_month"]
        row = emp.BaseRow(
            row=1,
            id_number=employment.person.id_number,
            effective_month=month,
            contribution_base=form.cleaned_data["contribution_base"],
        )
        try:
            emp.employments_base_change(
                employer_id=employment.employer_id, rows=[row], by=request.user
            )
        except emp.RowsInvalidError as exc:
            form.add_row_errors(exc.errors, _columns())
        else:
            messages.success(request, _("The contribution base was changed."))
            return redirect("registration:portal_employees")
    return render(
        request,
        "registration/portal_form.html",
        {
            "form": form,
            "title": _("Change the contribution base of %(name)s")
            % {"name": employment.person.name},
            "current_base": employment.contribution_base,
        },
    )


@employer_required
def portal_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX file of thousands of rows; it is checked and saved in the
    background, all rows or none."""
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = uploads.upload_start(
            employer_id=request.user.employer_id or 0,
            kind=form.cleaned_data["kind"],
            filename=file.name,
            content=file.read(),
            by=request.user,
        )
        return redirect("registration:upload_detail", upload_id=upload.pk)
    return render(request, "registration/portal_upload.html", {"form": form})


def _own_upload(request: AuthenticatedHttpRequest, upload_id: int) -> EmployerUpload:
    return get_object_or_404(
        EmployerUpload.objects.select_related("job"),
        pk=upload_id,
        employer_id=request.user.employer_id,
    )


@employer_required
def portal_upload_detail(request: AuthenticatedHttpRequest, upload_id: int) -> HttpResponse:
    upload = _own_upload(request, upload_id)
    return render(request, "registration/upload_detail.html", {"upload": upload})


@employer_required
def portal_upload_status(request: AuthenticatedHttpRequest, upload_id: int) -> HttpResponse:
    """The progress partial the upload page polls while the job runs."""
    upload = _own_upload(request, upload_id)
    return render(request, "registration/partials/upload_status.html", {"upload": upload})


@employer_required
def portal_upload_errors_csv(request: AuthenticatedHttpRequest, upload_id: int) -> HttpResponse:
    """The error report as a spreadsheet: row, column, what is wrong (Chinese / English)."""
    upload = _own_upload(request, upload_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行 row", "列 column", "问题 problem"])
    for error in upload.errors:
        writer.writerow([error["row"], error["column"], error["message"]])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="upload-{upload.pk}-errors.csv"'
    return response


@employer_required
def portal_template_csv(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """An empty file with the right column names (Chinese, as employers' files have them)."""
    if kind not in uploads.REQUIRED:
        raise Http404
    buffer = io.StringIO()
    csv.writer(buffer).writerow(uploads.template_headers(kind))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="template-{kind}.csv"'
    return response

"""Pages that file registration applications as cases: an employer's online registration (no
login), an employer's change or cancellation, a person's registration at the counter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.identity import normalize_credit_code
from core.types import AuthenticatedHttpRequest
from registration import forms
from registration.models import Employer
from registration.services import applications
from registration.views_support import employer_required


def _file_errors(form: forms.AccessibleForm, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, DomainError):
        form.add_error(None, exc.message)
    else:
        form.add_error(None, str(exc))
    form.link_errors()


def employer_apply(request: HttpRequest) -> HttpResponse:
    """Online registration of an employer whose registration record was not shared (Art. 6)."""
    form = forms.EmployerApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = applications.employer_registration_file(
                credit_code=data["credit_code"],
                name=data["name"],
                employer_type=data["employer_type"],
                legal_representative=data["legal_representative"],
                address=data["address"],
                region=data["region"],
                handler_id_number=data["handler_id_number"],
                handler_name=data["handler_name"],
                username=data["username"],
                password=data["password"],
                bank_name=data["bank_name"],
                bank_account=data["bank_account"],
            )
        except (DomainError, ValidationError) as exc:
            _file_errors(form, exc)
        else:
            return render(request, "registration/employer_applied.html", {"case": case})
    return render(request, "registration/employer_apply.html", {"form": form})


@require_POST
def employer_apply_check_code(request: HttpRequest) -> HttpResponse:
    """The form checks the code at once (htmx, on leaving the field)."""
    value = request.POST.get("credit_code", "")
    try:
        code = normalize_credit_code(value)
    except ValidationError as exc:
        return HttpResponse(format_html('<span class="field-error">{}</span>', exc.messages[0]))
    if Employer.objects.filter(credit_code=code).exists():
        message = _("This code is already registered; sign in with the employer's account.")
        return HttpResponse(format_html('<span class="field-error">{}</span>', message))
    return HttpResponse(format_html('<span class="hint">{}</span>', _("The code is valid.")))


@employer_required
def employer_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply to change the registration (Art. 10): a case with a 10-working-day limit."""
    form = forms.EmployerChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.changes():
            form.add_error(None, _("Fill in at least one field to change."))
        else:
            try:
                case = applications.employer_change_file(
                    employer_id=request.user.employer_id or 0,
                    changes=form.changes(),
                    by=request.user,
                )
            except (DomainError, ValidationError, ValueError) as exc:
                _file_errors(form, exc)
            else:
                messages.success(
                    request, _("Application %(number)s was filed.") % {"number": case.case_number}
                )
                return redirect("registration:portal_employees")
    return render(
        request,
        "registration/application_form.html",
        {"form": form, "title": _("Change the registration")},
    )


@employer_required
def employer_cancel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply to cancel the registration (Art. 10): refused while arrears are outstanding."""
    form = forms.EmployerCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = applications.employer_cancel_file(
                employer_id=request.user.employer_id or 0,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _file_errors(form, exc)
        else:
            messages.success(
                request, _("Application %(number)s was filed.") % {"number": case.case_number}
            )
            return redirect("registration:portal_employees")
    return render(
        request,
        "registration/application_form.html",
        {"form": form, "title": _("Cancel the registration")},
    )


@login_required
@permission_required("registration.view_unmasked_identifiers", raise_exception=True)
def person_register_counter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A clerk files a person's registration received at the counter (Art. 6, 10 working days)."""
    form = forms.PersonRegistrationForm(request.POST or None)
    agency = request.user.agency
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if agency is None:
            form.add_error(None, _("Your account belongs to no agency."))
        else:
            try:
                case = applications.person_registration_file(
                    region=agency.region,
                    channel="counter",
                    by=request.user,
                    received_by=agency,
                    **data,
                )
            except (DomainError, ValidationError) as exc:
                _file_errors(form, exc)
            else:
                messages.success(
                    request, _("Application %(number)s was filed.") % {"number": case.case_number}
                )
                return redirect("registration:search")
    return render(
        request,
        "registration/application_form.html",
        {"form": form, "title": _("Register a person (counter)")},
    )

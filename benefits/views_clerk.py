"""Clerk pages: claims with their calculation and decision letter, awards, payment runs (with
the progress bar, the totals chart and the bank-file layout), overpayments with their letter.

Views parse a form, call one service and redirect; a DomainError is shown as a message. Every
list starts from `.visible_to(user)`; viewing a person's award leaves an access-log entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import access_log_record
from benefits import forms_clerk as forms
from benefits import selectors
from benefits.models import (
    Award,
    AwardStatus,
    Claim,
    ClaimKind,
    ClaimStatus,
    Debt,
    PaymentRun,
)
from benefits.services import adjustments, awards, bankfile, claims, debts, runs
from benefits.services.bankfile import bank_file_path
from benefits.services.calculations import calculation_reproduce, steps_of
from core.errors import DomainError, InvalidInputError
from core.types import AuthenticatedHttpRequest

VIEW_CLAIMS = "benefits.view_claim"


def _error(request: AuthenticatedHttpRequest, exc: DomainError) -> None:
    fields = getattr(exc, "fields", None) or {}
    detail = "; ".join(
        f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in fields.items() if msgs
    )
    messages.error(request, f"{exc.message} {detail}".strip())


def _run(
    request: AuthenticatedHttpRequest, action: Callable[[], Any], done: str, back: str
) -> HttpResponseRedirect:
    try:
        action()
    except DomainError as exc:
        _error(request, exc)
    except ObjectDoesNotExist:
        raise Http404 from None
    else:
        messages.success(request, done)
    return redirect(back)


# ---------------------------------------------------------------------------------------------
# claims


@login_required
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Claims of the user's pooling region, newest first, by status."""
    status = request.GET.get("status", "")
    listed = selectors.claims_for_clerk(user=request.user, status=status)
    return render(
        request,
        "benefits/claims/list.html",
        {
            "claims": listed,
            "status": status,
            "statuses": ClaimStatus.choices,
            "kinds": ClaimKind.choices,
        },
    )


@login_required
@permission_required("cases.handle_case", raise_exception=True)
def claim_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """File a claim at the counter: the case is filed with the engine (its clock starts)."""
    kind = request.POST.get("kind") or request.GET.get("kind") or ClaimKind.PENSION
    if kind not in ClaimKind.values:
        raise Http404
    form = forms.ClaimFileForm(request.POST or None, kind=kind, initial={"token": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = request.user.agency
        if agency is None:
            messages.error(request, _("Only a clerk of an agency can file a claim."))
        else:
            try:
                claim = claims.claim_file(
                    kind=kind,
                    person_id_number=data["person_id_number"],
                    channel=data["channel"],
                    received_by=agency,
                    by=request.user,
                    inputs=form.inputs(),
                    payee_name=data.get("payee_name", ""),
                    payee_bank=data.get("payee_bank", ""),
                    payee_account=data.get("payee_account", ""),
                    applicant_id_number=data.get("applicant_id_number", ""),
                    applicant_name=data.get("applicant_name", ""),
                    reference=f"benefits:claim:{data['token']}",
                )
            except InvalidInputError as exc:
                for field, problems in exc.fields.items():
                    form.add_error(field if field in form.fields else None, problems or exc.message)
            except DomainError as exc:
                _error(request, exc)
            else:
                messages.success(
                    request,
                    _("The claim was filed as case %(case)s.") % {"case": claim.case.case_number},
                )
                return redirect("benefits:claim_detail", claim.pk)
    return render(
        request,
        "benefits/claims/new.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": ClaimKind(kind).label,
            "kinds": ClaimKind.choices,
        },
    )


def _claim_for(user: Any, claim_id: int) -> Claim:
    try:
        return selectors.claim_get(user=user, claim_id=claim_id)
    except Claim.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_detail(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    """The claim: its case and clock, the calculation with every step and rule, the decision
    and its approvals, the awards it created, and what the user may do now."""
    claim = _claim_for(request.user, claim_id)
    access_log_record(
        actor=request.user,
        subject=claim.person,
        purpose="benefit claim 待遇申领",
        fields=["name"],
    )
    context = selectors.claim_context(user=request.user, claim=claim)
    latest = context["calculation"]
    context.update(
        {
            "steps": steps_of(latest) if latest else [],
            "reproduced": calculation_reproduce(latest) if latest else None,
            "note_form": forms.NoteForm(),
            "return_form": forms.ReturnForm(),
        }
    )
    return render(request, "benefits/claims/detail.html", context)


@login_required
@require_POST
def claim_action(request: AuthenticatedHttpRequest, claim_id: int, action: str) -> HttpResponse:
    claim = _claim_for(request.user, claim_id)
    back = reverse("benefits:claim_detail", args=[claim.pk])
    user = request.user
    note = request.POST.get("note", "")
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "accept": (
            lambda: claims.claim_accept(claim_id=claim.pk, by=user),
            _("The claim was accepted."),
        ),
        "calculate": (
            lambda: claims.claim_calculate(claim_id=claim.pk, by=user),
            _("The claim was calculated."),
        ),
        "propose": (
            lambda: claims.claim_decision_propose(claim_id=claim.pk, by=user),
            _("The decision was proposed."),
        ),
        "approve": (
            lambda: claims.claim_decision_approve(claim_id=claim.pk, by=user, note=note),
            _("You approved the decision."),
        ),
        "return": (
            lambda: claims.claim_decision_return(claim_id=claim.pk, by=user, note=note),
            _("The decision went back to the maker."),
        ),
    }
    if action not in actions:
        raise Http404
    work, done = actions[action]
    return _run(request, work, done, back)


@login_required
@permission_required(VIEW_CLAIMS, raise_exception=True)
def claim_letter(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    """The decision letter (待遇核定决定书): outcome, reasons, the calculation, the legal basis and
    the notice of the right to reconsideration and litigation (Art. 52). Printable."""
    claim = _claim_for(request.user, claim_id)
    context = selectors.claim_context(user=request.user, claim=claim)
    decision = context["effective"]
    if decision is None:
        raise Http404
    calculation = getattr(decision, "benefit_calculation", None)
    access_log_record(
        actor=request.user,
        subject=claim.person,
        purpose="decision letter 决定书",
        fields=["name"],
    )
    context.update(
        {
            "decision": decision,
            "calculation": calculation,
            "steps": steps_of(calculation) if calculation else [],
        }
    )
    return render(request, "benefits/claims/letter.html", context)


# ---------------------------------------------------------------------------------------------
# awards


@login_required
@permission_required("benefits.view_award", raise_exception=True)
def award_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    listed = selectors.awards_for_clerk(user=request.user, query=query, status=status)
    return render(
        request,
        "benefits/awards/list.html",
        {"awards": listed, "q": query, "status": status, "statuses": AwardStatus.choices},
    )


@login_required
@permission_required("benefits.view_award", raise_exception=True)
def award_detail(request: AuthenticatedHttpRequest, award_id: int) -> HttpResponse:
    award = get_object_or_404(Award.objects.visible_to(request.user), pk=award_id)
    access_log_record(
        actor=request.user,
        subject=award.person,
        purpose="award 待遇",
        fields=["name", "payee_account"],
    )
    context = selectors.award_context(award)
    context.update(
        {
            "hold_form": forms.HoldForm(),
            "stop_form": forms.StopForm(),
            "note_form": forms.NoteForm(),
        }
    )
    return render(request, "benefits/awards/detail.html", context)


@login_required
@require_POST
def award_action(request: AuthenticatedHttpRequest, award_id: int, action: str) -> HttpResponse:
    award = get_object_or_404(Award.objects.visible_to(request.user), pk=award_id)
    back = reverse("benefits:award_detail", args=[award.pk])
    user = request.user
    post = request.POST
    if action in ("hold", "suspend"):
        form = forms.HoldForm(post)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return redirect(back)
        service = awards.award_hold if action == "hold" else awards.award_suspend
        return _run(
            request,
            lambda: service(award_id=award.pk, by=user, **form.cleaned_data),
            _("Payments are held.") if action == "hold" else _("The award is suspended."),
            back,
        )
    if action == "release":
        hold_id = int(post.get("hold", "0") or 0)
        return _run(
            request,
            lambda: awards.award_hold_release(hold_id=hold_id, by=user, note=post.get("note", "")),
            _("The hold was released."),
            back,
        )
    if action == "resume":
        return _run(
            request,
            lambda: awards.award_resume(award_id=award.pk, by=user, note=post.get("note", "")),
            _("The award is active again; held months are paid in the next run."),
            back,
        )
    if action == "stop":
        stop = forms.StopForm(post)
        if not stop.is_valid():
            messages.error(request, _("Give the date, the cause and the evidence."))
            return redirect(back)
        data = stop.cleaned_data
        return _run(
            request,
            lambda: awards.award_stop(
                award_id=award.pk,
                stop_date=data["stop_date"],
                cause=data["cause"],
                evidence=data["evidence"],
                reported_on=data.get("reported_on"),
                by=user,
            ),
            _("The award was stopped; any later month paid became an overpayment."),
            back,
        )
    raise Http404


# ---------------------------------------------------------------------------------------------
# payment runs


@login_required
@permission_required("benefits.view_paymentrun", raise_exception=True)
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The region's runs with a chart of their totals, and the form to start the next one."""
    form = forms.RunStartForm(request.POST or None)
    if request.method == "POST":
        region = selectors.user_region(request.user)
        if region is None:
            messages.error(request, _("Start a run from an agency of its pooling region."))
        elif form.is_valid():
            try:
                run = runs.payment_run_start(
                    region=region, period=form.cleaned_data["period"], by=request.user
                )
            except DomainError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The payment run was started."))
                return redirect("benefits:run_detail", run.pk)
    listed = list(PaymentRun.objects.visible_to(request.user).select_related("region")[:36])
    return render(
        request,
        "benefits/runs/list.html",
        {"runs": listed, "form": form, "chart": selectors.run_chart(listed)},
    )


def _run_for(user: Any, run_id: int) -> PaymentRun:
    return get_object_or_404(
        PaymentRun.objects.visible_to(user).select_related(
            "region", "job", "started_by", "approved_by"
        ),
        pk=run_id,
    )


@login_required
@permission_required("benefits.view_paymentrun", raise_exception=True)
def run_detail(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request.user, run_id)
    return render(
        request,
        "benefits/runs/detail.html",
        {
            **selectors.run_context(run),
            "reconcile_form": forms.ReconciliationForm(),
            "layout": bankfile.__doc__,
        },
    )


@login_required
@require_POST
def run_action(request: AuthenticatedHttpRequest, run_id: int, action: str) -> HttpResponse:
    run = _run_for(request.user, run_id)
    back = reverse("benefits:run_detail", args=[run.pk])
    user = request.user
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "approve": (
            lambda: _approve_and_release(run.pk, user),
            _("The run was approved; the bank file is being written."),
        ),
        "resume": (
            lambda: runs.payment_run_resume(run_id=run.pk, by=user),
            _("The unfinished chunks were queued again."),
        ),
        "rerun": (
            lambda: runs.payment_run_rerun(run_id=run.pk, by=user),
            _("The run is being built again."),
        ),
    }
    if action == "reconcile":
        form = forms.ReconciliationForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the bank's file."))
            return redirect(back)
        upload = form.cleaned_data["file"]
        return _run(
            request,
            lambda: bankfile.reconciliation_import(
                run_id=run.pk, file_name=upload.name, content=upload.read(), by=user
            ),
            _("The bank's result was imported."),
            back,
        )
    if action not in actions:
        raise Http404
    work, done = actions[action]
    return _run(request, work, done, back)


def _approve_and_release(run_id: int, user: Any) -> None:
    runs.payment_run_approve(run_id=run_id, by=user)
    bankfile.payment_run_release(run_id=run_id, by=user)


@login_required
@permission_required("benefits.view_paymentrun", raise_exception=True)
def run_file(request: AuthenticatedHttpRequest, run_id: int) -> FileResponse:
    """The released bank file, for the bank (access logged: it holds account numbers)."""
    run = _run_for(request.user, run_id)
    if not request.user.has_perm("benefits.approve_paymentrun") or not run.file_name:
        raise Http404
    path = bank_file_path(run)
    if not path.exists():
        raise Http404
    access_log_record(
        actor=request.user, subject=run, purpose="bank file 代发文件", fields=["payee_account"]
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=run.file_name,
        content_type="text/csv; charset=gb18030",
    )


# ---------------------------------------------------------------------------------------------
# overpayments


@login_required
@permission_required("benefits.view_debt", raise_exception=True)
def debt_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    listed = selectors.debts_for_clerk(user=request.user, status=status)
    return render(request, "benefits/debts/list.html", {"debts": listed, "status": status})


def _debt_for(user: Any, debt_id: int) -> Debt:
    return get_object_or_404(
        Debt.objects.visible_to(user).select_related("person", "award", "region"), pk=debt_id
    )


@login_required
@permission_required("benefits.view_debt", raise_exception=True)
def debt_detail(request: AuthenticatedHttpRequest, debt_id: int) -> HttpResponse:
    debt = _debt_for(request.user, debt_id)
    access_log_record(
        actor=request.user, subject=debt.person, purpose="overpayment 多享受待遇", fields=["name"]
    )
    context = selectors.debt_context(debt)
    context.update(
        {
            "repayment_form": forms.RepaymentForm(),
            "instalment_form": forms.InstalmentForm(),
            "offset_benefit_form": forms.OffsetBenefitForm(),
            "offset_account_form": forms.OffsetAccountForm(),
            "write_off_form": forms.WriteOffForm(),
            "referral_form": forms.ReferralForm(),
            "outcome_form": forms.ReferralOutcomeForm(),
        }
    )
    return render(request, "benefits/debts/detail.html", context)


@login_required
@require_POST
def debt_action(request: AuthenticatedHttpRequest, debt_id: int, action: str) -> HttpResponse:
    debt = _debt_for(request.user, debt_id)
    back = reverse("benefits:debt_detail", args=[debt.pk])
    user = request.user
    post = request.POST
    form_classes: dict[str, type[Any]] = {
        "repay": forms.RepaymentForm,
        "instalments": forms.InstalmentForm,
        "offset_benefit": forms.OffsetBenefitForm,
        "offset_account": forms.OffsetAccountForm,
        "write_off": forms.WriteOffForm,
        "refer": forms.ReferralForm,
        "outcome": forms.ReferralOutcomeForm,
    }
    data: dict[str, Any] = {}
    if action in form_classes:
        form = form_classes[action](post)
        if not form.is_valid():
            messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors})
            return redirect(back)
        data = form.cleaned_data
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "order": (
            lambda: debts.debt_repayment_order(debt_id=debt.pk, by=user),
            _("The repayment order was issued."),
        ),
        "repay": (
            lambda: debts.debt_repayment_record(debt_id=debt.pk, by=user, **data),
            _("The repayment was recorded."),
        ),
        "instalments": (
            lambda: debts.debt_instalments_agree(debt_id=debt.pk, by=user, **data),
            _("The instalment agreement was recorded."),
        ),
        "offset_benefit": (
            lambda: debts.debt_offset_benefit_start(
                debt_id=debt.pk, award_id=data["award"], by=user
            ),
            _("Later payments of the award will be offset, capped per payment."),
        ),
        "offset_stop": (
            lambda: debts.debt_offset_benefit_stop(debt_id=debt.pk, by=user),
            _("Offsetting stopped."),
        ),
        "offset_account": (
            lambda: debts.debt_offset_account(debt_id=debt.pk, by=user, amount=data.get("amount")),
            _("The personal account was offset."),
        ),
        "write_off": (
            lambda: debts.debt_write_off(debt_id=debt.pk, by=user, **data),
            _("The overpayment was written off."),
        ),
        "refer": (
            lambda: debts.fraud_referral_record(person=debt.person, debt=debt, by=user, **data),
            _("The referral to the administrative department was recorded."),
        ),
        "outcome": (
            lambda: debts.fraud_referral_outcome_record(
                referral_id=debt.fraud_referrals.get().pk, by=user, **data
            ),
            _("The department's decision was recorded."),
        ),
    }
    if action not in actions:
        raise Http404
    work, done = actions[action]
    return _run(request, work, done, back)


@login_required
@permission_required("benefits.view_debt", raise_exception=True)
def debt_letter(request: AuthenticatedHttpRequest, debt_id: int) -> HttpResponse:
    """The repayment order (责令退回通知书, Art. 46) with the Art. 52 remedies. Printable."""
    debt = _debt_for(request.user, debt_id)
    if debt.letter_issued_at is None:
        raise Http404
    from cases.services import remedy_notice_text

    return render(
        request,
        "benefits/debts/letter.html",
        {**selectors.debt_context(debt), "remedy": remedy_notice_text()},
    )


# ---------------------------------------------------------------------------------------------
# adjustments


@login_required
@permission_required("benefits.approve_paymentrun", raise_exception=True)
def adjustment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The annual adjustment: a percentage and/or a flat amount, applied set-based."""
    form = forms.AdjustmentForm(request.POST or None)
    region = selectors.user_region(request.user)
    if request.method == "POST" and form.is_valid() and region is not None:
        data = form.cleaned_data
        try:
            done = adjustments.award_adjustment_apply(
                region=region,
                kinds=data["kinds"],
                effective_month=data["effective_month"],
                percent=data["percent"],
                flat_amount=data.get("flat_amount") or Decimal("0"),
                legal_basis=data["legal_basis"],
                by=request.user,
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("%(n)s awards were adjusted.") % {"n": done.awards_adjusted}
            )
            return redirect("benefits:adjustments")
    return render(
        request,
        "benefits/adjustments.html",
        {"form": form, "adjustments": selectors.adjustments_for(request.user)},
    )

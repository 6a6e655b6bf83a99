"""Clerk pages (worklist, application, detail with timeline and amounts, mismatch queue) and the
portal page where a person or employer follows a transfer (Art. 16). Views validate a form, call
the same service as the API, show a DomainError as a message, and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import access_log_record
from core.errors import DomainError, InvalidInputError
from core.types import AuthenticatedHttpRequest
from transfers import selectors
from transfers.forms import ApplicationForm, CompleteForm, FilterForm, NoteForm, RefuseForm
from transfers.models import OutboxMessage, Transfer, TransferStatus
from transfers.services import relay
from transfers.services import steps as step_services


def _staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_perm("transfers.view_transfer"):
        raise PermissionDenied


@login_required
def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    form = FilterForm(request.GET or {"status": TransferStatus.OPEN})
    status, waiting = TransferStatus.OPEN, False
    if form.is_valid():
        status = form.cleaned_data["status"]
        waiting = form.cleaned_data["waiting_on_us"]
    rows = selectors.transfer_list_for_clerk(
        user=request.user, status=status, waiting_on_us=waiting
    )[:200]
    return render(
        request,
        "transfers/list.html",
        {
            "rows": rows,
            "form": form,
            "can_apply": request.user.has_perm("transfers.handle_transfer"),
            "mismatches": selectors.mismatch_queue(user=request.user).count(),
        },
    )


@login_required
def transfer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("transfers.handle_transfer") or request.user.agency is None:
        raise PermissionDenied
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            transfer = step_services.transfer_apply(
                other_region=data.pop("other_region"),
                agency=request.user.agency,
                by=request.user,
                **data,
            )
        except InvalidInputError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Application %(ref)s received.") % {"ref": transfer.reference}
            )
            return redirect(_detail_url(transfer))
    return render(request, "transfers/new.html", {"form": form})


def _detail_url(transfer: Transfer) -> str:
    url = reverse("transfers:detail", args=[transfer.reference])
    return f"{url}?side={transfer.side}"


@login_required
def transfer_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    try:
        transfer = selectors.transfer_get(
            user=request.user, reference=reference, side=request.GET.get("side")
        )
    except Transfer.DoesNotExist:
        raise Http404 from None
    if transfer.person is not None:
        access_log_record(actor=request.user, subject=transfer.person, purpose="transfers: detail")
    is_staff = request.user.has_perm("transfers.view_transfer")
    steps = list(transfer.steps.all())
    current = next((s for s in steps if s.number == transfer.current_step), None)
    pending_decision = None
    if current is not None and current.case is not None:
        pending_decision = current.case.decisions.filter(status="proposed").first()
    return render(
        request,
        "transfers/detail.html" if is_staff else "transfers/portal_detail.html",
        {
            "transfer": transfer,
            "steps": steps,
            "current": current,
            "our_turn": bool(
                current is not None
                and current.side == transfer.side
                and current.status == "open"
                and transfer.is_open
            ),
            "pending_decision": pending_decision,
            "package": selectors.latest_package(transfer),
            "outbox": selectors.outbox_for(transfer) if is_staff else [],
            "inbox": transfer.partner.inbox.filter(reference=transfer.reference)
            if is_staff
            else [],
            "can_handle": request.user.has_perm("transfers.handle_transfer"),
            "can_approve": request.user.has_perm("cases.review_case")
            or request.user.has_perm("cases.supervise_case"),
            "complete_form": CompleteForm(),
            "refuse_form": RefuseForm(),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def step_action(
    request: AuthenticatedHttpRequest, reference: str, number: int, action: str
) -> HttpResponseRedirect:
    _staff(request)
    try:
        row = step_services.transfer_for_step(reference, number)
        transfer = Transfer.objects.visible_to(request.user).get(pk=row.pk)
    except Transfer.DoesNotExist:
        raise Http404 from None
    try:
        if action == "complete":
            form = CompleteForm(request.POST)
            if not form.is_valid():
                raise InvalidInputError(
                    _("Check the amounts."),
                    fields={name: [str(e) for e in errors] for name, errors in form.errors.items()},
                )
            step_services.transfer_step_complete(
                transfer_id=transfer.pk, number=number, by=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Step %(n)s completed or sent for approval.") % {"n": number}
            )
        elif action == "approve":
            step_services.transfer_step_approve(
                transfer_id=transfer.pk, number=number, by=request.user
            )
            messages.success(request, _("Approved."))
        elif action == "refuse":
            refuse = RefuseForm(request.POST)
            reasons = refuse.cleaned_data["reasons"] if refuse.is_valid() else ""
            step_services.transfer_step_refuse(
                transfer_id=transfer.pk, number=number, reasons=reasons, by=request.user
            )
            messages.success(request, _("The step was refused; the partner is told."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(_detail_url(transfer))


@login_required
@require_POST
def reconciliation(request: AuthenticatedHttpRequest, reference: str) -> HttpResponseRedirect:
    _staff(request)
    try:
        transfer = selectors.transfer_get(
            user=request.user, reference=reference, side=request.POST.get("side")
        )
    except Transfer.DoesNotExist:
        raise Http404 from None
    form = NoteForm(request.POST)
    try:
        step_services.reconciliation_accept(
            transfer_id=transfer.pk,
            note=form.cleaned_data["note"] if form.is_valid() else "",
            by=request.user,
        )
        messages.success(request, _("The difference is accepted; the intake may complete."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(_detail_url(transfer))


@login_required
def mismatch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    rows = [
        (row, selectors.latest_package(row))
        for row in selectors.mismatch_queue(user=request.user)[:200]
    ]
    return render(request, "transfers/mismatches.html", {"rows": rows})


@login_required
@require_POST
def message_retry(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponseRedirect:
    if not request.user.has_perm("transfers.handle_transfer"):
        raise PermissionDenied
    visible = Transfer.objects.visible_to(request.user).values("pk")
    message = OutboxMessage.objects.filter(pk=message_id, transfer__in=visible).first()
    if message is None or message.transfer is None:
        raise Http404
    result = relay.outbox_relay(message_id=message.pk, force=True)
    if result is not None and result.status == "delivered":
        messages.success(request, _("The message was delivered."))
    else:
        messages.error(request, _("The partner still does not answer; it will be tried again."))
    return HttpResponseRedirect(_detail_url(message.transfer))


@login_required
def portal(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.transfers_for_portal(user=request.user)[:100]
    return render(request, "transfers/portal.html", {"rows": rows})

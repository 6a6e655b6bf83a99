"""A case's way through the agency: claim, accept, review, supplement, close, reject, withdraw.

Each service locks the case, re-checks its state, writes, and records the step (Art. 38).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import handlers
from cases.clock import case_deadline, receipt_date
from cases.errors import (
    CaseAlreadyClaimedError,
    CaseStateError,
    SupplementAlreadyRequestedError,
    SupplementMaterialNotCataloguedError,
)
from cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEventKind,
    CasePause,
    CaseStatus,
    DecisionStatus,
    ItemMaterial,
    Notification,
    NotificationKind,
    SupplementRequest,
)
from cases.services._steps import (
    require_assignee,
    require_perm,
    require_status,
    status_change,
    step_record,
)
from core.calendar import WorkingCalendar
from core.errors import InvalidInputError, PermissionDeniedError

if TYPE_CHECKING:
    from accounts.models import User

# What closing a pause changes on the case (_close_pause, deadline_recompute).
CLOCK_FIELDS = ("deadline", "deadline_provisional", "clock_stopped_on", "escalated_at")


def case_lock(*, case_id: int, by: User) -> Case:
    """The case, locked for this transaction, if `by` may see it (else DoesNotExist: 404)."""
    return Case.objects.visible_to(by).select_for_update(of=("self",)).get(pk=case_id)


def case_claim(*, case_id: int, by: User) -> Case:
    """Take an unassigned case from the team queue. Two clerks claiming at once: one wins, the
    other is told who has it (a conditional update, not a read-then-write)."""
    require_perm(by, "cases.handle_case")
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_status(case, *OPEN_STATUSES)
        claimed = Case.objects.filter(pk=case.pk, assignee__isnull=True).update(
            assignee=by, updated_at=timezone.now()
        )
        if not claimed:
            holder = case.assignee
            if holder is not None and holder.pk == by.pk:
                return case
            raise CaseAlreadyClaimedError(
                _("%(name)s already has this case.") % {"name": holder or "?"}
            )
        case.assignee = by
        step_record(
            case=case,
            kind=CaseEventKind.CLAIMED,
            actor=by,
            action="cases.case.claim",
            changes={"assignee": [None, by.username]},
        )
    return case


def case_assign(*, case_id: int, assignee: User, by: User, note: str = "") -> Case:
    """A supervisor gives a case to a clerk (or moves it to another)."""
    require_perm(by, "cases.supervise_case")
    if not assignee.has_perm("cases.handle_case") or not assignee.is_active:
        raise InvalidInputError(
            _("%(name)s cannot handle cases.") % {"name": assignee},
            fields={"assignee": [_("Choose an active clerk.")]},
        )
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_status(case, *OPEN_STATUSES)
        if not Case.objects.visible_to(assignee).filter(pk=case.pk).exists():
            raise InvalidInputError(
                _("%(name)s works in another pooling region.") % {"name": assignee},
                fields={"assignee": [_("Choose a clerk of this region.")]},
            )
        before = case.assignee.username if case.assignee else None
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        step_record(
            case=case,
            kind=CaseEventKind.ASSIGNED,
            actor=by,
            action="cases.case.assign",
            changes={"assignee": [before, assignee.username]},
            note=note,
        )
        Notification.objects.get_or_create(
            recipient=assignee, case=case, kind=NotificationKind.ASSIGNED, due_date=case.deadline
        )
    return case


def _assignee_step(
    *,
    case_id: int,
    by: User,
    allowed: tuple[CaseStatus, ...],
    to: CaseStatus,
    kind: CaseEventKind,
    action: str,
    note: str = "",
) -> Case:
    """A step only the assigned clerk takes: lock, check the assignee and the state, move on."""
    require_perm(by, "cases.handle_case")
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_assignee(case, by)
        require_status(case, *allowed)
        status_change(case, to=to, kind=kind, action=action, by=by, note=note)
    return case


def case_accept(*, case_id: int, by: User, note: str = "") -> Case:
    """受理: the application is within the agency's remit and complete enough to examine."""
    return _assignee_step(
        case_id=case_id,
        by=by,
        allowed=(CaseStatus.SUBMITTED,),
        to=CaseStatus.ACCEPTED,
        kind=CaseEventKind.ACCEPTED,
        action="cases.case.accept",
        note=note,
    )


def case_review_start(*, case_id: int, by: User) -> Case:
    return _assignee_step(
        case_id=case_id,
        by=by,
        allowed=(CaseStatus.ACCEPTED,),
        to=CaseStatus.IN_REVIEW,
        kind=CaseEventKind.REVIEW_STARTED,
        action="cases.case.review_start",
    )


def supplement_request(
    *, case_id: int, material_ids: list[int], note: str = "", by: User
) -> SupplementRequest:
    """一次性告知: ask once, listing everything missing. Only materials the item catalogues, and
    never one the agency fetches itself (Arts. 8-9, 31). Pauses the clock when the case's policy
    says so."""
    require_perm(by, "cases.handle_case")
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_assignee(case, by)
        require_status(case, CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW)
        if SupplementRequest.objects.filter(case=case).exists():
            raise SupplementAlreadyRequestedError(
                _(
                    "The applicant was already told once what is missing (一次性告知); a second "
                    "request is not allowed."
                )
            )
        if case.decisions.filter(status=DecisionStatus.PROPOSED).exists():
            raise CaseStateError(_("A decision is awaiting approval; return it first."))
        materials = list(case.item.materials.filter(pk__in=material_ids))
        _check_requestable(material_ids, materials)
        request = SupplementRequest.objects.create(case=case, note=note, requested_by=by)
        request.materials.set(materials)
        today = timezone.localdate()
        CasePause.objects.create(
            case=case, started_on=today, stops_clock=case.clock_pauses_for_supplement
        )
        if case.clock_pauses_for_supplement:
            case.clock_stopped_on = today
        status_change(
            case,
            to=CaseStatus.AWAITING_SUPPLEMENT,
            kind=CaseEventKind.SUPPLEMENT_REQUESTED,
            action="cases.case.supplement_request",
            by=by,
            note=note,
            extra_fields=["clock_stopped_on"] if case.clock_pauses_for_supplement else [],
            changes={
                "materials": [None, [m.code for m in materials]],
                "clock_paused": [None, case.clock_pauses_for_supplement],
            },
            data={
                "materials": [m.name for m in materials],
                "materials_en": [m.name_en for m in materials],
                "clock_paused": case.clock_pauses_for_supplement,
            },
        )
    return request


def _check_requestable(material_ids: list[int], found: list[ItemMaterial]) -> None:
    if not material_ids:
        raise InvalidInputError(
            _("List every missing material."),
            fields={"materials": [_("Choose at least one material.")]},
        )
    if len(found) != len(set(material_ids)):
        raise SupplementMaterialNotCataloguedError(
            _("Art. 31: only materials this item's catalogue lists may be asked for."),
            fields={"materials": [_("Not in this item's catalogue.")]},
        )
    fetched = [m.display_name for m in found if m.fetched_by_agency]
    if fetched:
        raise SupplementMaterialNotCataloguedError(
            _("The agency fetches these itself from shared data; do not ask for them: %(names)s")
            % {"names": ", ".join(fetched)},
            fields={"materials": fetched},
        )


def supplement_receive(*, case_id: int, by: User, note: str = "") -> Case:
    """The applicant handed in the supplement: the clock runs again from the day after receipt,
    and the deadline moves by the working days the clock stood still."""
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        _require_handler_or_applicant(case, by)
        require_status(case, CaseStatus.AWAITING_SUPPLEMENT)
        received = receipt_date(timezone.now())
        before_deadline = case.deadline
        paused = _close_pause(case, received)
        SupplementRequest.objects.filter(case=case).update(received_at=timezone.now())
        status_change(
            case,
            to=CaseStatus.IN_REVIEW,
            kind=CaseEventKind.SUPPLEMENT_RECEIVED,
            action="cases.case.supplement_receive",
            by=by,
            note=note,
            extra_fields=CLOCK_FIELDS,
            changes={"deadline": [before_deadline, case.deadline]},
            data={"paused_working_days": paused, "deadline": case.deadline.isoformat()},
        )
        if case.assignee_id is not None and case.assignee_id != by.pk:
            Notification.objects.get_or_create(
                recipient_id=case.assignee_id,
                case=case,
                kind=NotificationKind.SUPPLEMENT_RECEIVED,
                due_date=case.deadline,
            )
    return case


def _close_pause(case: Case, ended_on: date) -> int:
    """End the open pause; recompute the deadline from receipt and every clock-stopping pause.
    Returns the working days this pause stopped the clock."""
    pause = case.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        return 0
    calendar = WorkingCalendar()
    pause.ended_on = max(ended_on, pause.started_on)
    counted = calendar.working_days_between(pause.started_on, pause.ended_on).days
    pause.working_days = counted if pause.stops_clock else 0
    pause.save(update_fields=["ended_on", "working_days"])
    deadline_recompute(case, calendar)
    case.clock_stopped_on = None
    return pause.working_days


def deadline_recompute(case: Case, calendar: WorkingCalendar | None = None) -> bool:
    """Set the case's deadline from its receipt date, limit and clock-stopping pauses. A deadline
    moved past today is no longer overdue, so its escalation mark is cleared. True if changed."""
    pauses = [(p.started_on, p.ended_on) for p in case.pauses.all() if p.stops_clock and p.ended_on]
    result = case_deadline(
        received_on=case.received_on,
        working_days=case.time_limit_working_days,
        pauses=pauses,
        calendar=calendar,
    )
    changed = (result.date, result.provisional) != (case.deadline, case.deadline_provisional)
    case.deadline, case.deadline_provisional = result.date, result.provisional
    if case.escalated_at is not None and result.date >= timezone.localdate():
        case.escalated_at = None
    return changed


def _require_handler_or_applicant(case: Case, by: User) -> None:
    if case.is_employer_user(by):
        return
    require_perm(by, "cases.handle_case")
    require_assignee(case, by)


def case_close(*, case_id: int, by: User, note: str = "") -> Case:
    """After the decision is notified: the case file is closed (the clock already stopped)."""
    return _assignee_step(
        case_id=case_id,
        by=by,
        allowed=(CaseStatus.DECIDED,),
        to=CaseStatus.CLOSED,
        kind=CaseEventKind.CLOSED,
        action="cases.case.close",
        note=note,
    )


def case_reject(*, case_id: int, reasons: str, by: User) -> Case:
    """不予受理: the application cannot be accepted. The reasons and the remedies (Art. 52) are
    recorded; the owning app is told."""
    from cases.services.decisions import remedy_notice_text

    require_perm(by, "cases.handle_case")
    if not reasons.strip():
        raise InvalidInputError(
            _("Give the reasons."), fields={"reasons": [_("This field is required.")]}
        )
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_assignee(case, by)
        require_status(case, CaseStatus.SUBMITTED, CaseStatus.AWAITING_SUPPLEMENT)
        _finish(
            case,
            by=by,
            status=CaseStatus.REJECTED,
            kind=CaseEventKind.REJECTED,
            action="cases.case.reject",
            note=reasons.strip(),
            data={"remedies": remedy_notice_text()},
        )
    return case


def case_withdraw(*, case_id: int, by: User, note: str = "") -> Case:
    """The applicant withdraws (in the portal, or at the counter through the clerk)."""
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        if not case.is_employer_user(by):
            require_perm(by, "cases.handle_case")
            if case.assignee_id != by.pk and not by.has_perm("cases.supervise_case"):
                raise PermissionDeniedError(_("Only the assigned clerk records a withdrawal."))
        require_status(case, *OPEN_STATUSES)
        case.decisions.filter(status=DecisionStatus.PROPOSED).update(status=DecisionStatus.RETURNED)
        _finish(
            case,
            by=by,
            status=CaseStatus.WITHDRAWN,
            kind=CaseEventKind.WITHDRAWN,
            action="cases.case.withdraw",
            note=note,
        )
    return case


def _finish(
    case: Case,
    *,
    by: User,
    status: CaseStatus,
    kind: CaseEventKind,
    action: str,
    note: str,
    data: dict[str, object] | None = None,
) -> None:
    today = timezone.localdate()
    if case.clock_stopped_on is not None or case.pauses.filter(ended_on__isnull=True).exists():
        _close_pause(case, today)
    case.completed_on = today
    status_change(
        case,
        to=status,
        kind=kind,
        action=action,
        by=by,
        note=note,
        extra_fields=["completed_on", *CLOCK_FIELDS],
        data=data,
    )
    handler = handlers.handler_for(case.item.code)
    if handler is not None and handler.on_finished is not None:
        handler.on_finished(case)

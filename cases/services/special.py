"""Special groups (Art. 30): people who need assistance, and home visits (上门服务)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record, changes_between, snapshot
from cases.errors import ApplicantInvalidError
from cases.models import (
    OPEN_STATUSES,
    AssistanceProfile,
    Case,
    CaseEventKind,
    CaseStatus,
    Channel,
    HomeVisit,
    Notification,
    NotificationKind,
)
from cases.services._steps import require_assignee, require_perm, require_status, step_record
from cases.services.filing import case_file
from cases.services.workflow import case_accept, case_lock
from core import crypto
from core.errors import InvalidInputError
from core.identity import parse_citizen_id

if TYPE_CHECKING:
    from accounts.models import User

HOME_VISIT_ITEM = "home_visit"
PROFILE_FIELDS = ["name", "is_elderly", "is_disabled", "needs_assistance", "note"]


def assistance_mark(
    *,
    id_number: str,
    name: str,
    is_elderly: bool,
    is_disabled: bool,
    needs_assistance: bool,
    note: str = "",
    by: User,
) -> AssistanceProfile:
    """Mark a person as elderly or disabled and needing assistance; every case of theirs shows
    it, and the clerk can arrange proxy handling or a home visit."""
    require_perm(by, "cases.handle_case")
    try:
        citizen = parse_citizen_id(id_number)
    except ValidationError as exc:
        raise ApplicantInvalidError(
            "; ".join(exc.messages), fields={"id_number": exc.messages}
        ) from exc
    with transaction.atomic():
        digest = crypto.blind_index(citizen.number, purpose="id_number")
        profile = AssistanceProfile.objects.select_for_update().filter(id_hash=digest).first()
        before = snapshot(profile, PROFILE_FIELDS) if profile else {}
        profile = profile or AssistanceProfile(id_number=citizen.number, recorded_by=by)
        profile.name = name.strip()
        profile.is_elderly, profile.is_disabled = is_elderly, is_disabled
        profile.needs_assistance, profile.note = needs_assistance, note.strip()
        profile.save()
        audit_event_record(
            actor=by,
            action="cases.assistance.mark",
            target=profile,
            changes=changes_between(before, snapshot(profile, PROFILE_FIELDS)),
        )
    return profile


def assistance_for(id_number: str) -> AssistanceProfile | None:
    if not id_number:
        return None
    digest = crypto.blind_index(id_number.upper(), purpose="id_number")
    return AssistanceProfile.objects.filter(id_hash=digest).first()


def home_visit_arrange(
    *,
    case_id: int,
    address: str,
    assignee: User,
    scheduled_for: date | None = None,
    contact_phone: str = "",
    note: str = "",
    by: User,
) -> Case:
    """上门服务: a case of its own (item home_visit) with its own deadline and an assigned
    clerk, linked to the case it serves. The applicant and proxy carry over."""
    require_perm(by, "cases.handle_case")
    if not address.strip():
        raise InvalidInputError(
            _("Give the address to visit."), fields={"address": [_("This field is required.")]}
        )
    if not assignee.has_perm("cases.handle_case"):
        raise InvalidInputError(
            _("%(name)s cannot handle cases.") % {"name": assignee},
            fields={"assignee": [_("Choose an active clerk.")]},
        )
    with transaction.atomic():
        served = case_lock(case_id=case_id, by=by)
        require_status(served, *OPEN_STATUSES)
        visit_case = case_file(
            item_code=HOME_VISIT_ITEM,
            channel=served.channel
            if served.channel in (Channel.ONLINE, Channel.API)
            else Channel.COUNTER,
            received_by=served.received_by,
            by=by,
            applicant_id_number=served.applicant_id_number,
            applicant_name=served.applicant_name,
            person=served.person,
            employer=served.employer,
            proxy=served.proxy,
            parent=served,
            assignee=assignee,
            payload={"note": note},
        )
        HomeVisit.objects.create(
            case=visit_case,
            address=address.strip(),
            contact_phone=contact_phone,
            scheduled_for=scheduled_for,
        )
        step_record(
            case=served,
            kind=CaseEventKind.HOME_VISIT_ARRANGED,
            actor=by,
            action="cases.home_visit.arrange",
            changes={"home_visit": [None, visit_case.case_number]},
            note=note,
            data={"home_visit": visit_case.case_number, "assignee": str(assignee)},
        )
        Notification.objects.get_or_create(
            recipient=assignee,
            case=visit_case,
            kind=NotificationKind.ASSIGNED,
            due_date=visit_case.deadline,
        )
    return visit_case


def home_visit_complete(*, case_id: int, outcome: str, by: User) -> Case:
    """The visit took place: its outcome is recorded and the visit case is decided."""
    from cases.models import DecisionOutcome
    from cases.services.decisions import decision_propose

    if not outcome.strip():
        raise InvalidInputError(
            _("Record what was done."), fields={"outcome": [_("This field is required.")]}
        )
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_assignee(case, by)
        visit = HomeVisit.objects.select_for_update().get(case=case)
        visit.visited_at, visit.outcome = timezone.now(), outcome.strip()
        visit.save(update_fields=["visited_at", "outcome"])
        step_record(
            case=case,
            kind=CaseEventKind.HOME_VISIT_DONE,
            actor=by,
            action="cases.home_visit.complete",
            note=visit.outcome,
        )
        if case.status == CaseStatus.SUBMITTED:
            case_accept(case_id=case.pk, by=by)
        decision_propose(
            case_id=case.pk,
            outcome=DecisionOutcome.GRANTED,
            reasons=visit.outcome,
            legal_basis=case.item.legal_basis,
            by=by,
        )
        case.refresh_from_db()
    return case

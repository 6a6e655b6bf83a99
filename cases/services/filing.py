"""Filing a case: how every duty app lodges an application with the engine.

Arts. 6, 10, 16, 18, 20, 22, 24: the clock starts on receipt; Art. 29: the channel is recorded;
Art. 30: proxy handling is recorded on the case; 同城通办: any branch of the pooling region may
receive it, and the case belongs to the region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from cases import handlers
from cases.clock import case_deadline, receipt_date
from cases.errors import (
    AgencyOutsideRegionError,
    ApplicantInvalidError,
    ChannelNotOfferedError,
    ProxyNotValidError,
    ServiceItemUnknownError,
)
from cases.models import (
    ApplicantKind,
    Case,
    CaseEventKind,
    CaseStatus,
    PriorityReason,
    ProxyAuthorisation,
    ServiceItem,
)
from cases.services._steps import step_record
from core.calendar import WorkingCalendar
from core.identity import parse_citizen_id
from core.models import Agency
from registration.selectors import person_get_by_id_number

if TYPE_CHECKING:
    from accounts.models import User
    from registration.models import Employer, InsuredPerson


@dataclass(frozen=True)
class ProxyInput:
    """A new authorisation: the agent, the scope and validity, and the evidence (Art. 30)."""

    agent_name: str
    agent_id_number: str
    relationship: str
    valid_from: date
    valid_until: date
    evidence: str
    scope_item_codes: list[str] = field(default_factory=list)
    scope_note: str = ""
    agent_phone: str = ""


def case_file(
    *,
    item_code: str,
    channel: str,
    received_by: Agency,
    by: User | None,
    submitted_at: datetime | None = None,
    applicant_id_number: str = "",
    applicant_name: str = "",
    person: InsuredPerson | None = None,
    employer: Employer | None = None,
    proxy: ProxyInput | ProxyAuthorisation | None = None,
    payload: dict[str, Any] | None = None,
    reference: str | None = None,
    parent: Case | None = None,
    assignee: User | None = None,
    priority_reason: str = "",
) -> Case:
    """File an application. A person applicant is an InsuredPerson (`person`) or, before they
    are registered, an `applicant_id_number` and name; a registered person is linked by the ID
    number either way. `employer` is the employer applicant, or the employer a person's
    application came through. A `priority_reason` (PriorityReason, e.g. "military": Art. 17 ¶2)
    puts the case at the head of every worklist. The same `reference` again returns the case
    filed the first time."""
    if priority_reason and priority_reason not in PriorityReason.values:
        raise ValueError(f"unknown priority reason {priority_reason!r}")
    if reference:
        existing = Case.objects.filter(reference=reference).first()
        if existing is not None:
            return existing
    item = ServiceItem.objects.active().filter(code=item_code).first()
    if item is None:
        raise ServiceItemUnknownError(
            _("There is no active service item %(code)s.") % {"code": item_code}
        )
    if channel not in item.channels:
        raise ChannelNotOfferedError(
            _("%(item)s is not offered through the channel %(channel)s.")
            % {"item": item.display_name, "channel": channel}
        )
    if person is not None and not applicant_id_number:
        applicant_id_number, applicant_name = person.id_number, applicant_name or person.name
    kind, id_number, name = _applicant(applicant_id_number, applicant_name, employer)
    if kind == ApplicantKind.PERSON and person is None:
        person = person_get_by_id_number(id_number)
    elif person is not None and person.id_number != id_number:
        raise ApplicantInvalidError(
            _("The ID number is not the insured person's."),
            fields={"applicant_id_number": [_("It differs from the insured person's.")]},
        )
    region_id = _pooling_region_id(received_by, employer)
    handler = handlers.handler_for(item.code)
    if handler is not None and handler.validate_payload is not None:
        handler.validate_payload(payload or {})

    submitted_at = submitted_at or timezone.now()
    calendar = WorkingCalendar()
    received_on = receipt_date(submitted_at, calendar)
    deadline = case_deadline(
        received_on=received_on,
        working_days=item.time_limit_working_days,
        pauses=[],
        calendar=calendar,
    )
    try:
        with transaction.atomic():
            proxy_row = _proxy(proxy, id_number, name, item.code, received_on, by)
            case = Case.objects.create(
                case_number=_next_case_number(received_on),
                item=item,
                reference=reference or "",
                applicant_kind=kind,
                applicant_id_number=id_number,
                applicant_name=name,
                person=person if kind == ApplicantKind.PERSON else None,
                employer=employer,
                proxy=proxy_row,
                channel=channel,
                received_by=received_by,
                pooling_region_id=region_id,
                parent=parent,
                submitted_at=submitted_at,
                received_on=received_on,
                time_limit_working_days=item.time_limit_working_days,
                clock_pauses_for_supplement=item.clock_pauses_for_supplement,
                deadline=deadline.date,
                deadline_provisional=deadline.provisional,
                is_priority=bool(priority_reason),
                priority_reason=priority_reason,
                status=CaseStatus.SUBMITTED,
                assignee=assignee,
                filed_by=by if by is not None and by.is_authenticated else None,
                payload=payload or {},
            )
            step_record(
                case=case,
                kind=CaseEventKind.FILED,
                actor=by,
                action="cases.case.file",
                to_status=CaseStatus.SUBMITTED,
                changes={
                    "item": [None, item.code],
                    "channel": [None, channel],
                    "received_by": [None, received_by.code],
                    "submitted_at": [None, submitted_at.isoformat()],
                    "received_on": [None, received_on.isoformat()],
                    "deadline": [None, deadline.date.isoformat()],
                    "proxy": [None, proxy_row.pk if proxy_row else None],
                    **({"priority_reason": [None, priority_reason]} if priority_reason else {}),
                },
                data={
                    "deadline": deadline.date.isoformat(),
                    "provisional": deadline.provisional,
                    "proxy": str(proxy_row) if proxy_row else "",
                    "priority_reason": priority_reason,
                },
                # The timeline starts when the applicant submitted, not when a system relayed it.
                occurred_at=min(submitted_at, timezone.now()),
            )
    except IntegrityError:
        if reference:  # a concurrent request filed the same reference first
            return Case.objects.get(reference=reference)
        raise
    return case


def _applicant(
    id_number: str, name: str, employer: Employer | None
) -> tuple[ApplicantKind, str, str]:
    if id_number:
        try:
            citizen = parse_citizen_id(id_number)
        except ValidationError as exc:
            raise ApplicantInvalidError(
                "; ".join(exc.messages), fields={"applicant_id_number": exc.messages}
            ) from exc
        if not name.strip():
            raise ApplicantInvalidError(
                _("Give the applicant's name."),
                fields={"applicant_name": [_("This field is required.")]},
            )
        return ApplicantKind.PERSON, citizen.number, name.strip()
    if employer is None:
        raise ApplicantInvalidError(
            _("A case needs an applicant: a person's ID number and name, or an employer."),
            fields={"applicant_id_number": [_("This field is required.")]},
        )
    return ApplicantKind.EMPLOYER, "", employer.name


def _pooling_region_id(agency: Agency, employer: Employer | None) -> int:
    """同城通办: the receiving branch's pooling region; an employer must belong to it."""
    region = agency.region
    region_id: int = region.pooling_region_id or region.pk
    if employer is not None:
        employer_region = employer.region
        if (employer_region.pooling_region_id or employer_region.pk) != region_id:
            raise AgencyOutsideRegionError(
                _(
                    "%(employer)s belongs to another pooling region; %(agency)s cannot receive "
                    "its application."
                )
                % {"employer": employer.name, "agency": agency.name}
            )
    return region_id


def _proxy(
    proxy: ProxyInput | ProxyAuthorisation | None,
    principal_id: str,
    principal_name: str,
    item_code: str,
    on: date,
    by: User | None,
) -> ProxyAuthorisation | None:
    if proxy is None:
        return None
    if isinstance(proxy, ProxyInput):
        proxy = proxy_authorisation_record(
            principal_id_number=principal_id,
            principal_name=principal_name,
            proxy=proxy,
            by=by,
        )
    elif principal_id and proxy.principal_id_number != principal_id:
        raise ProxyNotValidError(_("The authorisation was given by another person."))
    if not proxy.covers(item_code, on):
        raise ProxyNotValidError(
            _(
                "The agent's authorisation does not cover this item on %(date)s (valid "
                "%(start)s to %(end)s)."
            )
            % {"date": on, "start": proxy.valid_from, "end": proxy.valid_until}
        )
    return proxy


def proxy_authorisation_record(
    *, principal_id_number: str, principal_name: str, proxy: ProxyInput, by: User | None
) -> ProxyAuthorisation:
    """Record an authorisation (授权代办, Art. 30): who, for whom, for what, until when, on
    what evidence. Both ID numbers are validated (GB 11643)."""
    fields: dict[str, list[str]] = {}
    for label, number in (("principal_id_number", principal_id_number),):
        if not number:
            fields[label] = [_("A proxy acts for a person: give the principal's ID number.")]
    try:
        agent = parse_citizen_id(proxy.agent_id_number)
    except ValidationError as exc:
        fields["agent_id_number"] = exc.messages
        agent = None
    if proxy.valid_until < proxy.valid_from:
        fields["valid_until"] = [_("The authorisation ends before it starts.")]
    if not proxy.evidence.strip():
        fields["evidence"] = [_("Describe the written authorisation and how it was checked.")]
    if fields or agent is None:
        raise ProxyNotValidError(_("The authorisation is incomplete."), fields=fields)
    with transaction.atomic():
        row = ProxyAuthorisation.objects.create(
            principal_id_number=principal_id_number,
            principal_name=principal_name,
            agent_name=proxy.agent_name.strip(),
            agent_id_number=agent.number,
            agent_phone=proxy.agent_phone,
            relationship=proxy.relationship,
            scope_item_codes=list(proxy.scope_item_codes),
            scope_note=proxy.scope_note,
            valid_from=proxy.valid_from,
            valid_until=proxy.valid_until,
            evidence=proxy.evidence.strip(),
            recorded_by=by if by is not None and by.is_authenticated else None,
        )
        audit_event_record(
            actor=by,
            action="cases.proxy.record",
            target=row,
            changes={
                "agent_name": [None, row.agent_name],
                "relationship": [None, row.relationship],
                "scope_item_codes": [None, row.scope_item_codes],
                "valid_from": [None, row.valid_from],
                "valid_until": [None, row.valid_until],
            },
            note=row.evidence,
        )
    return row


def _next_case_number(received_on: date) -> str:
    """SB + receipt date + a 7-digit number from a database sequence (unique, gap-tolerant)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_number_seq')")
        (number,) = cursor.fetchone()
    return f"SB{received_on:%Y%m%d}{number % 10_000_000:07d}"

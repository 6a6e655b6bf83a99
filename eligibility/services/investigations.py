"""Investigations (Art. 26): a suspicion becomes a case of the case engine, with its clock,
assignment and four-eyes decision. The clerk may commission the employer or a third party to
verify. The decision takes effect through the case engine (cases.handlers): confirmed, every
award the event touches stops from the event date and benefits creates the overpayment debts
(Art. 46); refuted, the holds are released and an eligibility suspension lifted. Either way the
verdict is kept (Verification), and automated runs never overturn it.

The decision is framed as the case engine frames every decision, on the beneficiary's
entitlement: "granted" = still entitled (refuted), "denied" = no longer entitled (confirmed),
with the remedies of Art. 52.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from audit.services import audit_event_record
from core.errors import InvalidInputError
from core.models import Agency
from eligibility import awards
from eligibility.errors import InvestigationStateError, SuspicionStateError
from eligibility.models import (
    OPEN_SUSPICION_STATUSES,
    CommissionParty,
    CommissionStatus,
    Investigation,
    InvestigationOutcome,
    Suspicion,
    SuspicionAction,
    SuspicionStatus,
    Verification,
    VerificationCommission,
)
from eligibility.services.comparison import overpaid_refresh

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case, Decision

ITEM_CODE = "eligibility_investigation"
LEGAL_BASIS = "社会保险经办条例 第二十五条、第二十六条"
REG = "社会保险经办条例"


def investigation_item_ensure() -> None:
    """The catalogue item investigations are filed under, if the catalogue lacks it. Art. 26
    sets no time limit: 20 working days is the agency's own target, marked as such."""
    from cases.models import ServiceItem
    from cases.services import service_item_define

    if ServiceItem.objects.filter(code=ITEM_CODE).exists():
        return
    service_item_define(
        code=ITEM_CODE,
        name="待遇领取资格调查核实",
        name_en="Investigation of benefit eligibility",
        owner_app="eligibility",
        legal_basis=f"{REG} 第二十六条",
        time_limit_working_days=20,
        time_limit_is_statutory=False,
        time_limit_source=f"{REG} 第二十六条（无法定天数；本机构服务承诺时限）",
        channels=["counter", "api", "online"],
        materials=[],
        valid_from=date(2023, 12, 1),
        clock_pauses_for_supplement=False,
        by=None,
    )


def _agency_for(by: User, region_id: int) -> Agency:
    if by.agency_id is not None:
        return Agency.objects.select_related("region").get(pk=by.agency_id)
    agency = Agency.objects.filter(region_id=region_id).order_by("pk").first()
    if agency is None:
        raise InvestigationStateError("该统筹区没有经办机构 / no agency in this pooling region")
    return agency


def investigation_open(*, suspicion_id: int, by: User) -> Investigation:
    """Open the investigation of a suspicion's event (all its open suspicions join it), filed
    with the case engine and assigned to the clerk who opened it."""
    from cases.services import case_accept, case_file

    _require(by)
    with transaction.atomic():
        suspicion = (
            Suspicion.objects.visible_to(by)
            .select_for_update(of=("self",))
            .select_related("person", "award")
            .get(pk=suspicion_id)
        )
        if suspicion.investigation_id is not None:
            return suspicion.investigation  # type: ignore[return-value]
        if not suspicion.is_open or suspicion.stop_event_id is None:
            raise SuspicionStateError("该疑点已处理 / this suspicion was already decided")
        existing = Investigation.objects.filter(
            stop_event_id=suspicion.stop_event_id, concluded_at__isnull=True
        ).first()
        if existing is not None:
            _attach(existing)
            return existing
        person = suspicion.person
        attempt = Investigation.objects.filter(stop_event_id=suspicion.stop_event_id).count() + 1
        case = case_file(
            item_code=ITEM_CODE,
            channel="counter",
            received_by=_agency_for(by, suspicion.award.region_id),
            by=by,
            applicant_id_number=person.id_number,
            applicant_name=person.name,
            payload={"stop_event": suspicion.stop_event_id, "suspicion": suspicion.pk},
            reference=f"eligibility:stop_event:{suspicion.stop_event_id}:{attempt}",
            assignee=by,
        )
        case = case_accept(
            case_id=case.pk, by=by, note="依职权调查 / investigation on the agency's own motion"
        )
        investigation = Investigation.objects.create(
            stop_event_id=suspicion.stop_event_id,
            person=person,
            case=case,
            opened_by=by,
            opened_at=timezone.now(),
        )
        _attach(investigation)
        audit_event_record(
            actor=by,
            action="eligibility.investigation.open",
            target=investigation,
            changes={"case": case.case_number, "suspicion": suspicion.pk},
        )
    return investigation


def _attach(investigation: Investigation) -> None:
    Suspicion.objects.filter(
        stop_event_id=investigation.stop_event_id, status__in=OPEN_SUSPICION_STATUSES
    ).update(investigation=investigation, status=SuspicionStatus.INVESTIGATING)


def _require(by: User) -> None:
    from core.errors import PermissionDeniedError

    if not by.has_perm("eligibility.investigate"):
        raise PermissionDeniedError(
            "您没有调查核实的权限 / you may not investigate", permission="eligibility.investigate"
        )


def _open_investigation(investigation_id: int, by: User) -> Investigation:
    from cases.models import Case

    investigation = Investigation.objects.select_for_update().get(pk=investigation_id)
    if not Case.objects.visible_to(by).filter(pk=investigation.case_id).exists():
        raise Investigation.DoesNotExist
    if not investigation.is_open:
        raise InvestigationStateError("调查已结束 / the investigation is concluded")
    return investigation


def commission_request(
    *,
    investigation_id: int,
    party_kind: str,
    party_name: str,
    request: str,
    due_on: date,
    by: User,
    employer_id: int | None = None,
) -> VerificationCommission:
    """Art. 26: entrust the employer or a third party to verify."""
    _require(by)
    fields: dict[str, list[str]] = {}
    if party_kind not in CommissionParty.values:
        fields["party_kind"] = ["请选择委托对象 / choose who verifies"]
    if party_kind == CommissionParty.EMPLOYER and employer_id is None:
        fields["employer"] = ["请选择用人单位 / choose the employer"]
    if not party_name.strip() and party_kind == CommissionParty.THIRD_PARTY:
        fields["party_name"] = ["请填写受托方 / name the party"]
    if not request.strip():
        fields["request"] = ["请说明核实事项 / say what to verify"]
    if due_on < timezone.localdate():
        fields["due_on"] = ["答复期限不能早于今天 / the answer date cannot be in the past"]
    if fields:
        raise InvalidInputError("委托有误 / the commission has invalid fields", fields=fields)
    with transaction.atomic():
        investigation = _open_investigation(investigation_id, by)
        if party_kind == CommissionParty.EMPLOYER and not party_name.strip():
            from registration.models import Employer

            party_name = Employer.objects.values_list("name", flat=True).get(pk=employer_id or 0)
        commission = VerificationCommission.objects.create(
            investigation=investigation,
            party_kind=party_kind,
            employer_id=employer_id if party_kind == CommissionParty.EMPLOYER else None,
            party_name=party_name.strip(),
            request=request.strip(),
            due_on=due_on,
            requested_by=by,
            requested_at=timezone.now(),
        )
        audit_event_record(
            actor=by,
            action="eligibility.commission.request",
            target=commission,
            changes={"party": commission.party_name, "due_on": due_on},
        )
    return commission


def commission_answer(
    *, commission_id: int, answer: str, confirms: bool | None, by: User
) -> VerificationCommission:
    """Record what the commissioned party found (the clerk enters it; an employer user may
    answer its own commission from the portal)."""
    if not answer.strip():
        raise InvalidInputError("请填写核实结果 / give the answer", fields={"answer": ["required"]})
    with transaction.atomic():
        commission = VerificationCommission.objects.select_for_update().get(pk=commission_id)
        is_party = by.employer_id is not None and by.employer_id == commission.employer_id
        if not is_party:
            _require(by)
        if commission.status != CommissionStatus.REQUESTED:
            raise InvestigationStateError("已答复 / already answered")
        commission.answer = answer.strip()
        commission.answer_confirms = confirms
        commission.status = CommissionStatus.ANSWERED
        commission.answered_at = timezone.now()
        commission.answered_by = by
        commission.save()
        audit_event_record(
            actor=by,
            action="eligibility.commission.answer",
            target=commission,
            changes={"confirms": confirms},
        )
    return commission


def investigation_conclude(
    *, investigation_id: int, outcome: str, reasons: str, by: User
) -> Decision:
    """Propose the conclusion as the case's decision. It takes effect when the case engine
    says so (at once, or after the approvals the amount at stake needs, Art. 37)."""
    from cases.models import DecisionOutcome
    from cases.services import decision_propose

    _require(by)
    if outcome not in InvestigationOutcome.values:
        raise InvalidInputError(
            "结论无效 / choose confirmed or refuted", fields={"outcome": [outcome]}
        )
    with transaction.atomic():
        investigation = _open_investigation(investigation_id, by)
        at_stake: Decimal | None = None
        open_ids = list(
            investigation.suspicions.filter(status__in=OPEN_SUSPICION_STATUSES).values_list(
                "pk", flat=True
            )
        )
        overpaid_refresh(open_ids)
        if outcome == InvestigationOutcome.CONFIRMED:
            at_stake = investigation.suspicions.filter(
                status__in=OPEN_SUSPICION_STATUSES
            ).aggregate(total=Sum("overpaid_amount"))["total"] or Decimal("0")
        return decision_propose(
            case_id=investigation.case_id,
            outcome=(
                DecisionOutcome.DENIED
                if outcome == InvestigationOutcome.CONFIRMED
                else DecisionOutcome.GRANTED
            ),
            reasons=reasons,
            legal_basis=LEGAL_BASIS,
            amount=at_stake,
            by=by,
        )


def investigation_on_decided(case: Case, decision: Decision) -> None:
    """cases.handlers on_decided: the decision is effective; apply it (same transaction)."""
    from cases.models import DecisionOutcome

    investigation = Investigation.objects.select_for_update().get(case=case)
    confirmed = decision.outcome == DecisionOutcome.DENIED
    maker = decision.maker
    event = investigation.stop_event
    now = timezone.now()
    for suspicion in investigation.suspicions.select_for_update().filter(
        status__in=OPEN_SUSPICION_STATUSES
    ):
        if confirmed:
            _confirm(suspicion, maker, event.reported_on)
        else:
            _refute(suspicion, maker)
        suspicion.decided_at = now
        suspicion.save(update_fields=["status", "decided_at", "debt"])
    outcome = InvestigationOutcome.CONFIRMED if confirmed else InvestigationOutcome.REFUTED
    investigation.outcome = outcome
    investigation.concluded_at = now
    investigation.save(update_fields=["outcome", "concluded_at"])
    Verification.objects.create(
        person_id=investigation.person_id,
        kind=event.kind,
        event_date=event.event_date,
        outcome=outcome,
        investigation=investigation,
        note=decision.reasons,
        decided_by=maker,
        decided_at=now,
    )
    audit_event_record(
        actor=maker,
        action="eligibility.investigation.conclude",
        target=investigation,
        changes={"outcome": outcome, "decision": decision.pk},
    )


def _confirm(suspicion: Suspicion, by: User, reported_on: date | None) -> None:
    from benefits.models import Award

    status = Award.objects.filter(pk=suspicion.award_id).values_list("status", flat=True).get()
    suspicion.status = SuspicionStatus.CONFIRMED
    if status not in awards.DRAWING_STATUSES:  # stopped meanwhile (e.g. another event)
        return
    result = awards.award_stop(
        award_id=suspicion.award_id,
        stop_date=suspicion.event_date,
        cause=f"{suspicion.get_kind_display()} {suspicion.event_date.isoformat()}",
        by=by,
        evidence=awards.suspicion_evidence(suspicion.pk),
        reported_on=reported_on,
    )
    suspicion.debt = result.debt


def _refute(suspicion: Suspicion, by: User) -> None:
    from benefits.models import Award, AwardHold

    suspicion.status = SuspicionStatus.REFUTED
    if suspicion.hold_id is None:
        return
    hold = AwardHold.objects.get(pk=suspicion.hold_id)
    if hold.released_at is not None:
        return
    if hold.kind == "hold":
        awards.award_hold_release(
            hold_id=hold.pk, note="核实无误，解除暂扣 / refuted: hold released", by=by
        )
    elif suspicion.action == SuspicionAction.SUSPENDED:
        status = Award.objects.filter(pk=suspicion.award_id).values_list("status", flat=True).get()
        if status == "suspended":
            awards.award_resume(
                award_id=suspicion.award_id,
                note="核实无误，恢复发放 / refuted: payment resumes",
                by=by,
            )


def investigation_on_finished(case: Case) -> None:
    """The case ended without a decision (withdrawn): its suspicions wait in the queue again,
    still held, and a new investigation may be opened."""
    investigation = Investigation.objects.select_for_update().filter(case=case).first()
    if investigation is None or not investigation.is_open:
        return
    investigation.suspicions.filter(status=SuspicionStatus.INVESTIGATING).update(
        status=SuspicionStatus.OPEN, investigation=None
    )
    investigation.concluded_at = timezone.now()
    investigation.save(update_fields=["concluded_at"])

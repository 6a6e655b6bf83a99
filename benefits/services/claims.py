"""Claims: filed with the case engine, computed here, decided by maker-checker there.

1. `claim_file` files the case (cases.services.case_file, with the catalogue's item code and a
   reference, so filing twice files once) and keeps the claim's inputs.
2. `claim_accept` takes the case and accepts it (受理).
3. `claim_calculate` computes it (benefits.services.calculations) and keeps the calculation:
   rule version, input snapshot, policy figures, every step with its rule, amounts.
4. `claim_decision_propose` proposes the decision on the case with that calculation's outcome,
   reasons, legal basis and amount (Art. 37 levels are the case engine's: four eyes by amount).
5. When the decision takes effect the case engine calls `claim_on_decided` inside its
   transaction: a grant creates the awards the calculation planned (the payment run pays them).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from benefits.errors import CalculationMissingError, ClaimStateError
from benefits.models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    DecisionCalculation,
)
from benefits.services.awards import AwardSpec, award_create
from benefits.services.calculations import compute, source_dict, step_dict
from benefits.services.common import require_perm
from core.errors import InvalidInputError

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case, Decision
    from core.models import Agency
    from registration.models import Employer

# The catalogue item each claim kind is filed under (cases/catalogue_seed.py, and
# benefits/catalogue.py for the work-injury items the catalogue does not have yet).
ITEM_CODES: dict[str, str] = {
    ClaimKind.PENSION: "pension_claim",
    ClaimKind.UNEMPLOYMENT: "unemployment_benefit",
    ClaimKind.MATERNITY: "maternity_allowance",
    ClaimKind.SURVIVORS: "survivor_benefits",
    ClaimKind.MEDICAL_REIMBURSEMENT: "medical_manual_reimbursement",
    ClaimKind.WI_REIMBURSEMENT: "work_injury_reimbursement",
    ClaimKind.TRAINING_SUBSIDY: "training_subsidy",
    ClaimKind.WI_DISABILITY: "work_injury_disability_benefits",
    ClaimKind.WI_DEATH: "work_injury_death_benefits",
    ClaimKind.WI_APPRAISAL: "work_injury_capacity_appraisal",
    ClaimKind.WI_DEVICE: "work_injury_assistive_device",
    ClaimKind.WI_LEAVE_EXTENSION: "work_injury_leave_extension",
    ClaimKind.WI_RECURRENCE: "work_injury_recurrence",
}
KIND_OF_ITEM = {code: kind for kind, code in ITEM_CODES.items()}
# Kinds whose grant pays money: their decision must carry the calculation.
MONEY_KINDS = frozenset(ITEM_CODES) - {
    ClaimKind.WI_APPRAISAL,
    ClaimKind.WI_DEVICE,
    ClaimKind.WI_LEAVE_EXTENSION,
    ClaimKind.WI_RECURRENCE,
}


def claim_file(
    *,
    kind: str,
    person_id_number: str,
    channel: str,
    received_by: Agency,
    by: User,
    inputs: dict[str, Any],
    payee_name: str = "",
    payee_bank: str = "",
    payee_account: str = "",
    applicant_id_number: str = "",
    applicant_name: str = "",
    employer: Employer | None = None,
    reference: str | None = None,
) -> Claim:
    """File a claim: the case with the engine (its clock starts on receipt) and the claim
    beside it. The applicant is the insured person unless given (a survivor, an employer)."""
    from cases.services import case_file
    from registration.selectors import person_get_by_id_number

    if kind not in ITEM_CODES:
        raise InvalidInputError(_("Unknown claim kind."), fields={"kind": [kind]})
    person = person_get_by_id_number(person_id_number)
    if person is None:
        message = _("No insured person has this ID number.")
        raise InvalidInputError(message, fields={"person_id_number": [message]})
    if ClaimKind(kind) in MONEY_KINDS and not payee_account.strip():
        message = _("The bank account the benefit is paid into is required.")
        raise InvalidInputError(message, fields={"payee_account": [message]})
    reference = reference or f"benefits:claim:{uuid.uuid4()}"
    with transaction.atomic():
        existing = Claim.objects.filter(case__reference=reference).first()
        if existing is not None:
            return existing
        case = case_file(
            item_code=ITEM_CODES[kind],
            channel=channel,
            received_by=received_by,
            by=by,
            applicant_id_number=applicant_id_number or person.id_number,
            applicant_name=applicant_name or person.name,
            employer=employer,
            payload={"benefits_claim_kind": kind},
            reference=reference,
        )
        claim = Claim.objects.create(
            case=case,
            kind=kind,
            person=person,
            region_id=case.pooling_region_id,
            inputs={
                **inputs,
                "payee_name": payee_name.strip() or person.name,
                "payee_bank": payee_bank.strip(),
            },
            payee_account=payee_account.strip(),
            created_by=by,
        )
        audit_event_record(
            actor=by,
            action="benefits.claim.file",
            target=claim,
            changes={"kind": kind, "case": case.case_number, "inputs": claim.inputs},
        )
    return claim


def claim_accept(*, claim_id: int, by: User) -> Claim:
    """Take the claim's case (if nobody has it) and accept it (受理)."""
    from cases.models import CaseStatus
    from cases.services import case_accept, case_claim

    claim = Claim.objects.select_related("case").get(pk=claim_id)
    if claim.case.assignee_id is None:
        case_claim(case_id=claim.case_id, by=by)
    if claim.case.status == CaseStatus.SUBMITTED:
        case_accept(case_id=claim.case_id, by=by)
    return claim


def claim_inputs_update(*, claim_id: int, inputs: dict[str, Any], by: User) -> Claim:
    """Correct the inputs before a decision is proposed (the old calculation stays kept)."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        _require_open(claim)
        before = dict(claim.inputs)
        claim.inputs = {**claim.inputs, **inputs}
        claim.save(update_fields=["inputs", "updated_at"])
        audit_event_record(
            actor=by,
            action="benefits.claim.inputs",
            target=claim,
            changes={"inputs": [before, claim.inputs]},
        )
    return claim


def _require_open(claim: Claim) -> None:
    if claim.status not in (ClaimStatus.FILED, ClaimStatus.CALCULATED):
        raise ClaimStateError(
            _("The claim is “%(status)s”.") % {"status": ClaimStatus(claim.status).label},
            status=claim.status,
        )


def claim_calculate(*, claim_id: int, by: User) -> DecisionCalculation:
    """Compute the claim and keep the whole calculation (reproducible: rule version, inputs,
    policy figures and steps are stored with the amounts)."""
    require_perm(by, "cases.handle_case")
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("case__pooling_region", "person")
            .get(pk=claim_id)
        )
        _require_open(claim)
        computed = compute(claim)
        calculation = DecisionCalculation.objects.create(
            claim=claim,
            rule_version=computed.rule_version,
            inputs=computed.inputs,
            sources=[source_dict(value) for value in computed.sources],
            steps=[step_dict(step) for step in computed.steps],
            is_eligible=computed.is_eligible,
            reasons=computed.reasons,
            legal_basis=computed.legal_basis[:300],
            monthly_amount=computed.monthly_amount,
            one_off_amount=computed.one_off_amount,
            start_month=computed.start_month,
            end_month=computed.end_month,
            awards_planned=computed.awards,
            computed_by=by,
        )
        claim.status = ClaimStatus.CALCULATED
        claim.save(update_fields=["status", "updated_at"])
        audit_event_record(
            actor=by,
            action="benefits.claim.calculate",
            target=claim,
            changes={
                "calculation": calculation.pk,
                "rule_version": calculation.rule_version,
                "eligible": calculation.is_eligible,
                "monthly_amount": calculation.monthly_amount,
                "one_off_amount": calculation.one_off_amount,
            },
        )
    return calculation


def claim_decision_propose(
    *, claim_id: int, by: User, calculation_id: int | None = None
) -> Decision:
    """The maker proposes the decision the latest calculation gives (granted or denied, with
    its reasons, legal basis and amount); the case engine decides which approvals it needs."""
    from cases.models import DecisionOutcome
    from cases.services import decision_propose

    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.status != ClaimStatus.CALCULATED:
            raise ClaimStateError(_("Calculate the claim before proposing a decision."))
        calculations = claim.calculations.filter(decision__isnull=True)
        if calculation_id is not None:
            calculations = calculations.filter(pk=calculation_id)
        calculation = calculations.order_by("-computed_at", "-id").select_for_update().first()
        if calculation is None:
            raise CalculationMissingError(_("There is no calculation to propose."))
        outcome = DecisionOutcome.GRANTED if calculation.is_eligible else DecisionOutcome.DENIED
        amount = calculation.decision_amount if calculation.is_eligible else None
        claim.status = ClaimStatus.PROPOSED
        claim.save(update_fields=["status", "updated_at"])
        decision = decision_propose(
            case_id=claim.case_id,
            outcome=outcome,
            reasons=calculation.reasons,
            legal_basis=calculation.legal_basis,
            amount=amount if isinstance(amount, Decimal) else None,
            by=by,
        )
        # The decision may already be effective (no approval needed): on_decided ran and
        # linked nothing yet, so it found the calculation by its claim; link it now too.
        DecisionCalculation.objects.filter(pk=calculation.pk).update(decision=decision)
    return decision


def claim_decision_approve(*, claim_id: int, by: User, note: str = "") -> Decision:
    """The checker approves the claim's pending decision at the level it needs (Art. 37)."""
    from cases.models import DecisionStatus
    from cases.services import decision_approve

    claim = Claim.objects.get(pk=claim_id)
    pending = claim.case.decisions.filter(status=DecisionStatus.PROPOSED).first()
    if pending is None:
        raise ClaimStateError(_("No decision on this claim is awaiting approval."))
    return decision_approve(decision_id=pending.pk, by=by, note=note)


def claim_decision_return(*, claim_id: int, by: User, note: str) -> Decision:
    """The checker sends the claim's pending decision back to the maker with the reason
    (Art. 37); the claim is open again, to be calculated and proposed anew."""
    from cases.models import DecisionStatus
    from cases.services import decision_return

    with transaction.atomic():
        claim = Claim.objects.get(pk=claim_id)
        pending = claim.case.decisions.filter(status=DecisionStatus.PROPOSED).first()
        if pending is None:
            raise ClaimStateError(_("No decision on this claim is awaiting approval."))
        # The case first, then the claim: the order decision_approve -> claim_on_decided takes.
        decision = decision_return(decision_id=pending.pk, by=by, note=note)
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        before = claim.status
        claim.status = ClaimStatus.CALCULATED
        claim.save(update_fields=["status", "updated_at"])
        audit_event_record(
            actor=by,
            action="benefits.claim.return",
            target=claim,
            changes={"status": [before, claim.status], "decision": decision.pk},
            note=note,
        )
    return decision


# ---------------------------------------------------------------------------------------------
# the case engine's call-backs


def claim_on_decided(case: Case, decision: Decision) -> None:
    """Inside the deciding transaction: a granted decision creates the awards its calculation
    planned; a decision without the calculation (proposed elsewhere) is refused for a money
    claim, so no benefit is granted without its reproducible calculation."""
    from cases.models import DecisionOutcome

    claim = Claim.objects.select_for_update().filter(case=case).first()
    if claim is None:
        return
    calculation = (
        DecisionCalculation.objects.filter(decision=decision).first()
        or claim.calculations.filter(decision__isnull=True).order_by("-computed_at", "-id").first()
    )
    granted = decision.outcome == DecisionOutcome.GRANTED
    if granted and claim.kind in MONEY_KINDS:
        if calculation is None or not calculation.is_eligible:
            raise CalculationMissingError(
                _("A benefit is granted from its claim page, with its calculation.")
            )
        expected = calculation.decision_amount
        if decision.amount != expected:
            raise CalculationMissingError(
                _("The decision's amount %(amount)s is not the calculated %(expected)s.")
                % {"amount": decision.amount, "expected": expected}
            )
    if calculation is not None and calculation.decision_id is None:
        DecisionCalculation.objects.filter(pk=calculation.pk).update(decision=decision)
    claim.status = ClaimStatus.GRANTED if granted else ClaimStatus.DENIED
    claim.save(update_fields=["status", "updated_at"])
    if granted and calculation is not None:
        for planned in calculation.awards_planned:
            award_create(
                person=claim.person,
                region=case.pooling_region,
                spec=AwardSpec(
                    kind=planned["kind"],
                    scheme=planned["scheme"],
                    frequency=planned["frequency"],
                    amount=Decimal(planned["amount"]),
                    start_month=date.fromisoformat(planned["start_month"]),
                    end_month=date.fromisoformat(planned["end_month"])
                    if planned.get("end_month")
                    else None,
                    payee_name=claim.inputs.get("payee_name") or claim.person.name,
                    payee_bank=claim.inputs.get("payee_bank", ""),
                    payee_account=claim.payee_account,
                    note=f"{case.case_number}",
                ),
                by=decision.maker,
                claim=claim,
            )
    audit_event_record(
        actor=None,
        action="benefits.claim.decide",
        target=claim,
        changes={"status": claim.status, "decision": decision.pk, "awards": claim.awards.count()},
    )


def claim_on_finished(case: Case) -> None:
    """Not accepted or withdrawn: the claim is closed with the case."""
    Claim.objects.filter(case=case).update(status=ClaimStatus.CLOSED, updated_at=timezone.now())


def claim_payload_validate(payload: dict[str, Any]) -> None:
    kind = payload.get("benefits_claim_kind")
    if kind is not None and kind not in ITEM_CODES:
        raise InvalidInputError(_("Unknown claim kind."), fields={"benefits_claim_kind": [kind]})


def handlers_register() -> None:
    """Called from BenefitsConfig.ready(): the case engine calls back for every benefits item."""
    from cases import handlers

    for code in ITEM_CODES.values():
        handlers.register(
            code,
            on_decided=claim_on_decided,
            on_finished=claim_on_finished,
            validate_payload=claim_payload_validate,
        )

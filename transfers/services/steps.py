"""Applying for a transfer and working its steps (Arts. 12-17).

Each of our steps is a case of the case engine. The clerk's "complete" proposes the case's
decision (with the amount that moves, so the four-eyes levels of Art. 37 apply); the decision's
taking effect (cases.handlers on_decided) is the one place a step's effect happens: the contact
letter, the funds sent, or the intake. A refusal goes the same way with a denied decision, or a
case not accepted (on_finished). Steps without a catalogue item take effect at once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from cases.models import CaseStatus, DecisionOutcome, DecisionStatus
from cases.services import case_accept, case_claim, case_reject, decision_approve, decision_propose
from core.errors import PermissionDeniedError
from core.identity import parse_citizen_id
from core.models import Agency, Region
from core.money import money
from registration.models import AccountEntryKind
from registration.selectors import enrolment_active_in, person_get_by_id_number
from registration.services.accounts import account_post
from registration.services.contributions import contribution_history_transfer_in
from registration.services.enrolments import enrolments_transfer_out
from transfers import checks
from transfers.amounts import package_compute
from transfers.errors import (
    AmountsChangedError,
    NotEnrolledAtNewPlaceError,
    NotTransferableError,
    PersonNotRegisteredHereError,
    ReconciliationMismatchError,
    ResidentPensionStartedError,
    StepNotOursError,
    TransferAlreadyOpenError,
    TransferInvalidError,
    TransferStateError,
)
from transfers.models import (
    MessageKind,
    Reconciliation,
    StepStatus,
    Transfer,
    TransferPackage,
    TransferStatus,
    TransferStep,
)
from transfers.procedures import (
    INSURANCE_TYPE,
    LEGAL_BASIS,
    NEEDS_ENROLMENT_AT_NEW_PLACE,
    PENSION_KINDS,
    Side,
    StepAction,
    TransferKind,
    application_side,
    steps_for,
)
from transfers.services.common import (
    new_reference,
    step_block,
    step_get,
    step_open_ours,
    step_open_partner,
    steps_create,
    transfer_block,
    transfer_lock,
)
from transfers.services.messages import outbox_write
from transfers.services.partners import partner_for_region, pooling_region_of, serves_locally

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case, Decision

NEVER_MOVE = {"WORK_INJURY", "MATERNITY", "work_injury", "maternity"}


def _require(by: User, permission: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDeniedError(
            _("You do not have the permission this action needs."), permission=permission
        )


def transfer_apply(
    *,
    kind: str,
    id_number: str,
    name: str,
    other_region: Region,
    agency: Agency,
    by: User,
    channel: str = "counter",
    submitted_at: datetime | None = None,
    is_military: bool = False,
    military_organ: str = "",
    military_document: str = "",
    receiving_benefits: bool = False,
) -> Transfer:
    """A person applies for a transfer. Pension: at the new region after enrolling there (66号
    Art. 8); medical and unemployment: at the old region. Military transfers go first (Art. 17).
    Refused with nothing saved: work injury and maternity (Art. 15), a resident pension already
    being paid (Art. 12 ¶2), a region no partner serves, a person unknown here."""
    if not by.is_api_client:
        _require(by, "transfers.handle_transfer")
    if kind in NEVER_MOVE:
        raise NotTransferableError(
            _(
                "Work-injury and maternity insurance do not move (Art. 15): the old enrolment "
                "ends and the person enrols anew at the new place."
            )
        )
    if kind not in TransferKind.values:
        raise TransferInvalidError(
            _("Choose what moves."), fields={"kind": [_("Not a transfer kind.")]}
        )
    fields: dict[str, list[str]] = {}
    try:
        number = parse_citizen_id(id_number).number
    except ValidationError as exc:
        fields["id_number"] = exc.messages
    if not name.strip():
        fields["name"] = [_("This field is required.")]
    if is_military and not (military_organ.strip() and military_document.strip()):
        fields["military_document"] = [
            _("Record the military organ and its transfer document (Art. 17).")
        ]
    ours = pooling_region_of(agency.region)
    other = pooling_region_of(other_region)
    if other.pk == ours.pk:
        fields["other_region"] = [_("A transfer moves between two pooling regions.")]
    if fields:
        raise TransferInvalidError(_("The application is incomplete."), fields=fields)
    side = application_side(kind)
    insurance_type = INSURANCE_TYPE[kind]
    if not serves_locally(ours):
        raise StepNotOursError(
            _("This deployment is not registered as serving %(region)s.")
            % {"region": ours.display_name}
        )
    partner = partner_for_region(other)
    person = person_get_by_id_number(number)
    if person is None:
        raise PersonNotRegisteredHereError(
            _("The person is not registered here: register them first (Art. 6).")
        )
    if kind == TransferKind.PENSION_RESIDENT:
        started = checks.benefits_started(person.pk, insurance_type)
        if receiving_benefits or started is not None:
            raise ResidentPensionStartedError(
                _(
                    "The resident pension is already being paid, so it no longer moves "
                    "(Art. 12 ¶2)."
                ),
                started=started.isoformat() if started else None,
            )
    if kind in NEEDS_ENROLMENT_AT_NEW_PLACE and not enrolment_active_in(
        person_id=person.pk, insurance_type=insurance_type, pooling_region_id=ours.pk
    ):
        raise NotEnrolledAtNewPlaceError(
            _(
                "The person applies after enrolling and contributing at the new place "
                "(国办发〔2009〕66号 Art. 8): no active enrolment here."
            )
        )
    from_region, to_region = (other, ours) if side == Side.IN else (ours, other)
    submitted = submitted_at or timezone.now()
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                reference=new_reference(ours.code, timezone.localtime(submitted).date()),
                side=side,
                kind=kind,
                insurance_type=insurance_type,
                person=person,
                id_number=number,
                name=name.strip(),
                from_region=from_region,
                to_region=to_region,
                local_region=ours,
                partner=partner,
                is_military=is_military,
                military_organ=military_organ.strip(),
                military_document=military_document.strip(),
                applied_on=timezone.localtime(submitted).date(),
            )
            steps = steps_create(transfer)
            step_open_ours(
                transfer, steps[1], agency=agency, by=by, channel=channel, submitted_at=submitted
            )
            audit_event_record(
                actor=by,
                action="transfers.transfer.apply",
                target=transfer,
                changes={
                    "kind": [None, kind],
                    "from": [None, from_region.code],
                    "to": [None, to_region.code],
                    "military": [None, is_military],
                },
            )
    except IntegrityError as exc:
        if "transfer_one_open_per_person" not in str(exc):
            raise
        raise TransferAlreadyOpenError(_("This person already has this transfer open.")) from None
    return transfer


def _our_open_step(transfer: Transfer, number: int) -> TransferStep:
    if transfer.status != TransferStatus.OPEN:
        raise TransferStateError(
            _("The transfer is %(status)s.") % {"status": TransferStatus(transfer.status).label}
        )
    step = step_get(transfer, number)
    if step.side != transfer.side:
        raise StepNotOursError(_("The partner agency handles this step."))
    if step.status != StepStatus.OPEN:
        raise TransferStateError(
            _("Step %(number)s is not open (%(status)s).")
            % {"number": number, "status": StepStatus(step.status).label}
        )
    return step


REASONS = {
    StepAction.ACCEPT: "审核通过，发出联系函 / application checked; contact letter sent",
    StepAction.SEND: "转出参保缴费信息和资金 / record and funds transferred",
    StepAction.INTAKE: "核对资金无误，办结转入 / amounts checked; transfer completed",
}


def transfer_step_complete(
    *,
    transfer_id: int,
    number: int,
    by: User,
    funds_received: Decimal | None = None,
    account_amount: Decimal | None = None,
    note: str = "",
) -> TransferStep:
    """Finish our step: propose the step case's decision (with the amount that moves). The step
    takes effect when the decision does; a mismatch of the amounts stops the intake."""
    _require(by, "transfers.handle_transfer")
    mismatch: str | None = None
    with transaction.atomic():
        transfer = transfer_lock(transfer_id)
        step = _our_open_step(transfer, number)
        amount = _prepare(transfer, step, funds_received, account_amount)
        if isinstance(amount, str):
            mismatch = amount
        elif step.case is None:
            _effect(
                transfer,
                step,
                granted=True,
                reasons=note or REASONS[StepAction(step.action)],
                by=by,
            )
        else:
            _case_decide(step.case, by=by, amount=amount, note=note, transfer=transfer, step=step)
    if mismatch is not None:  # recorded above and committed: a clerk resolves it
        raise ReconciliationMismatchError(mismatch)
    return TransferStep.objects.select_related("transfer", "case").get(pk=step.pk)


def _prepare(
    transfer: Transfer,
    step: TransferStep,
    funds_received: Decimal | None,
    account_amount: Decimal | None,
) -> Decimal | str | None:
    """Check and pin the figures the decision rests on. Returns the decision's amount, or a
    mismatch text (already recorded) that stops the intake."""
    if step.action == StepAction.ACCEPT:
        return None
    if transfer.person_id is None:
        raise PersonNotRegisteredHereError(
            _("The person is not registered here; refuse the step with the reason.")
        )
    if step.action == StepAction.SEND:
        if transfer.kind == TransferKind.PENSION_RESIDENT and checks.benefits_started(
            transfer.person_id, transfer.insurance_type
        ):
            raise ResidentPensionStartedError(
                _("The resident pension is already being paid here: refuse the transfer.")
            )
        return _package_create(transfer, account_amount).total
    received_package = transfer.packages.order_by("-revision").first()
    if received_package is None:
        raise TransferStateError(_("No record and funds were received yet."))
    package = received_package
    received = money(funds_received) if funds_received is not None else package.total
    package.funds_received = received
    package.save(update_fields=["funds_received"])
    if transfer.reconciliation == Reconciliation.ACCEPTED:
        return received
    problems = []
    if transfer.reconciliation == Reconciliation.MISMATCH:
        problems.append(transfer.reconciliation_note)
    elif received != package.total:
        problems.append(
            _("Declared %(declared)s; received %(received)s.")
            % {"declared": package.total, "received": received}
        )
    if problems:
        transfer.reconciliation = Reconciliation.MISMATCH
        transfer.reconciliation_note = "\n".join(problems)
        transfer.save(update_fields=["reconciliation", "reconciliation_note", "updated_at"])
        audit_event_record(
            actor=None,
            action="transfers.transfer.mismatch",
            target=transfer,
            changes={"declared": str(package.total), "received": str(received)},
            note=transfer.reconciliation_note,
        )
        return _("The amounts do not agree; the transfer waits for a clerk: %(note)s") % {
            "note": transfer.reconciliation_note
        }
    return received


def _package_create(transfer: Transfer, account_amount: Decimal | None) -> TransferPackage:
    """Pin what the old region sends: a new revision each time the step is proposed."""
    assert transfer.person_id is not None  # noqa: S101 - checked by the callers
    figures = package_compute(
        kind=transfer.kind,
        person_id=transfer.person_id,
        pooling_region_id=transfer.local_region_id,
        account_amount=account_amount,
    )
    last = transfer.packages.order_by("-revision").values_list("revision", flat=True).first()
    return TransferPackage.objects.create(
        transfer=transfer,
        revision=(last or 0) + 1,
        rule=figures.rule,
        history=figures.history,
        months=figures.months,
        pooled_base_total=figures.pooled_base_total,
        pooled_fund=figures.pooled_fund,
        account_balance=figures.account_balance,
        total=figures.total,
    )


def _case_decide(
    case: Case,
    *,
    by: User,
    amount: Decimal | None,
    note: str,
    transfer: Transfer,
    step: TransferStep,
    outcome: str = DecisionOutcome.GRANTED,
) -> None:
    if case.assignee_id is None:
        case_claim(case_id=case.pk, by=by)
    case.refresh_from_db()
    if case.status == CaseStatus.SUBMITTED:
        case_accept(case_id=case.pk, by=by)
    decision_propose(
        case_id=case.pk,
        outcome=outcome,
        reasons=note or REASONS[StepAction(step.action)],
        legal_basis=LEGAL_BASIS[transfer.kind],
        amount=amount,
        by=by,
    )


def transfer_step_approve(*, transfer_id: int, number: int, by: User, note: str = "") -> Any:
    """Approve the step's pending decision at the next level it needs (Art. 37), through the
    case engine; the step takes effect when the last level approves."""
    step = TransferStep.objects.select_related("case").get(transfer_id=transfer_id, number=number)
    decision = (
        step.case.decisions.filter(status=DecisionStatus.PROPOSED).first() if step.case else None
    )
    if decision is None:
        raise TransferStateError(_("No decision on this step is awaiting approval."))
    return decision_approve(decision_id=decision.pk, by=by, note=note)


def transfer_step_refuse(*, transfer_id: int, number: int, reasons: str, by: User) -> TransferStep:
    """Refuse our step with reasons (a case not accepted, or a denied decision); the partner is
    told, and the person sees the reasons."""
    _require(by, "transfers.handle_transfer")
    if not reasons.strip():
        raise TransferInvalidError(
            _("Give the reasons."), fields={"reasons": [_("This field is required.")]}
        )
    with transaction.atomic():
        transfer = transfer_lock(transfer_id)
        step = _our_open_step(transfer, number)
        case = step.case
        if case is None:
            _effect(transfer, step, granted=False, reasons=reasons, by=by)
        else:
            if case.assignee_id is None:
                case_claim(case_id=case.pk, by=by)
            case.refresh_from_db()
            if case.status == CaseStatus.SUBMITTED:
                case_reject(case_id=case.pk, reasons=reasons, by=by)
            else:
                decision_propose(
                    case_id=case.pk,
                    outcome=DecisionOutcome.DENIED,
                    reasons=reasons,
                    legal_basis=LEGAL_BASIS[transfer.kind],
                    by=by,
                )
    return TransferStep.objects.get(pk=step.pk)


def on_step_decided(case: Case, decision: Decision) -> None:
    """cases.handlers: a step's decision took effect (inside the deciding transaction)."""
    step = TransferStep.objects.filter(case=case).first()
    if step is None:
        return
    transfer = transfer_lock(step.transfer_id)
    step = step_get(transfer, step.number)
    _effect(
        transfer,
        step,
        granted=decision.outcome == DecisionOutcome.GRANTED,
        reasons=decision.reasons,
        by=decision.maker,
        amount=decision.amount,
    )


def on_step_finished(case: Case) -> None:
    """cases.handlers: a step's case ended without a decision (not accepted or withdrawn)."""
    step = TransferStep.objects.filter(case=case).first()
    if step is None:
        return
    transfer = transfer_lock(step.transfer_id)
    step = step_get(transfer, step.number)
    if step.status != StepStatus.OPEN:
        return
    last = case.events.order_by("-occurred_at", "-pk").first()
    reasons = (last.note if last else "") or CaseStatus(case.status).label
    _effect(transfer, step, granted=False, reasons=str(reasons), by=None)


def _effect(
    transfer: Transfer,
    step: TransferStep,
    *,
    granted: bool,
    reasons: str,
    by: User | None,
    amount: Decimal | None = None,
) -> None:
    if step.status != StepStatus.OPEN or transfer.status != TransferStatus.OPEN:
        raise TransferStateError(_("This step is no longer open."))
    if not granted:
        _refuse(transfer, step, reasons, by)
        return
    action = StepAction(step.action)
    if action == StepAction.ACCEPT:
        _effect_accept(transfer, step, by)
    elif action == StepAction.SEND:
        _effect_send(transfer, step, by, amount)
    else:
        _effect_intake(transfer, step, by, amount)


def _step_done(step: TransferStep, status: StepStatus = StepStatus.DONE) -> None:
    step.status = status
    step.finished_at = timezone.now()
    step.save(update_fields=["status", "finished_at"])


def _next(transfer: Transfer, step: TransferStep) -> TransferStep | None:
    numbers = [spec.number for spec in steps_for(transfer.kind) if spec.number > step.number]
    return step_get(transfer, numbers[0]) if numbers else None


def _effect_accept(transfer: Transfer, step: TransferStep, by: User | None) -> None:
    """Pension step 1: the contact letter (同意接收函) goes to the old region."""
    _step_done(step)
    following = _next(transfer, step)
    if following is not None:
        step_open_partner(transfer, following, started_on=timezone.localdate())
    outbox_write(
        partner=transfer.partner,
        transfer=transfer,
        kind=MessageKind.CONTACT_LETTER,
        payload={
            "from_side": transfer.side,
            "transfer": transfer_block(transfer),
            "step": step_block(step),
        },
    )
    audit_event_record(actor=by, action="transfers.transfer.accept", target=transfer)


def _effect_send(
    transfer: Transfer, step: TransferStep, by: User | None, amount: Decimal | None
) -> None:
    """The old region sends the record and the funds; its enrolment ends as transferred out.
    A decision made on the case page (not through "complete") gets its figures computed now,
    and its amount must be theirs."""
    if transfer.person_id is None:
        raise PersonNotRegisteredHereError(
            _("The person is not registered here; refuse the step with the reason.")
        )
    package = transfer.packages.order_by("-revision").first() or _package_create(transfer, None)
    if amount is not None and amount != package.total:
        raise AmountsChangedError(
            _("The decision's amount %(amount)s is not the computed total %(total)s.")
            % {"amount": amount, "total": package.total}
        )
    fresh = package_compute(
        kind=transfer.kind,
        person_id=transfer.person_id,
        pooling_region_id=transfer.local_region_id,
        account_amount=package.account_balance,
    )
    if (fresh.total, fresh.months) != (package.total, package.months):
        raise AmountsChangedError(
            _(
                "The record changed since the amounts were proposed (%(then)s, now %(now)s): "
                "return the decision and complete the step again."
            )
            % {"then": package.total, "now": fresh.total}
        )
    enrolments_transfer_out(
        person_id=transfer.person_id,
        insurance_type=transfer.insurance_type,
        pooling_region_id=transfer.local_region_id,
        on=timezone.localdate(),
        by=by,
    )
    if transfer.kind in PENSION_KINDS and package.account_balance > 0:
        account_post(
            person_id=transfer.person_id,
            kind=AccountEntryKind.TRANSFER_OUT,
            amount=package.account_balance,
            reference=f"transfer:{transfer.reference}",
            by=by,
            note=f"养老保险关系转出 {transfer.reference} → {transfer.to_region.code}",
        )
    _step_done(step)
    following = _next(transfer, step)
    if following is not None:
        step_open_partner(transfer, following, started_on=timezone.localdate())
    outbox_write(
        partner=transfer.partner,
        transfer=transfer,
        kind=MessageKind.PACKAGE,
        payload={
            "from_side": transfer.side,
            "transfer": transfer_block(transfer),
            "step": step_block(step),
            "package": {
                "revision": package.revision,
                "rule": package.rule,
                "history": package.history,
                "months": package.months,
                "pooled_base_total": str(package.pooled_base_total),
                "pooled_fund": str(package.pooled_fund),
                "account_balance": str(package.account_balance),
                "total": str(package.total),
            },
        },
    )
    audit_event_record(
        actor=by,
        action="transfers.transfer.send",
        target=transfer,
        changes={
            "pooled_fund": [None, package.pooled_fund],
            "account_balance": [None, package.account_balance],
            "total": [None, package.total],
        },
    )


def _effect_intake(
    transfer: Transfer, step: TransferStep, by: User | None, amount: Decimal | None
) -> None:
    """The new region credits the history and the account and completes the transfer. The
    decision's amount is what arrived; it must be what was declared, unless a clerk accepted
    the difference."""
    package = transfer.packages.order_by("-revision").first()
    if package is None or transfer.person_id is None:
        raise TransferStateError(_("No record and funds were received yet."))
    if package.funds_received is None:
        package.funds_received = amount if amount is not None else package.total
        package.save(update_fields=["funds_received"])
    if transfer.reconciliation == Reconciliation.MISMATCH or (
        package.funds_received != package.total
        and transfer.reconciliation != Reconciliation.ACCEPTED
    ):
        raise ReconciliationMismatchError(
            transfer.reconciliation_note
            or _("Declared %(declared)s; received %(received)s.")
            % {"declared": package.total, "received": package.funds_received}
        )
    loader = by or transfer.partner.service_user
    contribution_history_transfer_in(
        external_id=f"transfer-in:{transfer.reference}:r{package.revision}",
        person_id=transfer.person_id,
        insurance_type=transfer.insurance_type,
        history=package.history,
        region=transfer.local_region,
        by=loader,
    )
    if transfer.kind in PENSION_KINDS and package.account_balance > 0:
        account_post(
            person_id=transfer.person_id,
            kind=AccountEntryKind.TRANSFER_IN,
            amount=package.account_balance,
            reference=f"transfer:{transfer.reference}",
            by=by,
            note=f"养老保险关系转入 {transfer.reference} ← {transfer.from_region.code}",
        )
    _step_done(step)
    transfer.status = TransferStatus.COMPLETED
    transfer.completed_at = timezone.now()
    if transfer.reconciliation == Reconciliation.NOT_YET:
        transfer.reconciliation = Reconciliation.MATCHED
    transfer.save(update_fields=["status", "completed_at", "reconciliation", "updated_at"])
    received = package.funds_received if package.funds_received is not None else package.total
    outbox_write(
        partner=transfer.partner,
        transfer=transfer,
        kind=MessageKind.INTAKE_RESULT,
        payload={
            "from_side": transfer.side,
            "step": step_block(step),
            "result": {
                "funds_received": str(received),
                "pooled_fund": str(package.pooled_fund),
                "account_balance": str(package.account_balance),
                "months": package.months,
                "reconciliation": transfer.reconciliation,
                "note": transfer.reconciliation_note,
            },
        },
    )
    audit_event_record(
        actor=by,
        action="transfers.transfer.complete",
        target=transfer,
        changes={"funds_received": [None, received], "months": [None, package.months]},
    )


def _refuse(transfer: Transfer, step: TransferStep, reasons: str, by: User | None) -> None:
    _step_done(step, StepStatus.REFUSED)
    step.note = reasons
    step.save(update_fields=["note"])
    transfer.status = TransferStatus.REFUSED
    transfer.refusal_reasons = reasons
    fields = ["status", "refusal_reasons", "updated_at"]
    funds_sent = transfer.steps.filter(
        action=StepAction.SEND, side=Side.OUT, status=StepStatus.DONE
    ).exists()
    if transfer.side == Side.IN and funds_sent:
        transfer.reconciliation = Reconciliation.MISMATCH
        transfer.reconciliation_note = _("Refused after the funds arrived: return them.")
        fields += ["reconciliation", "reconciliation_note"]
    transfer.save(update_fields=fields)
    partner_knows = not (step.number == 1 and step.side == application_side(transfer.kind))
    if partner_knows:
        outbox_write(
            partner=transfer.partner,
            transfer=transfer,
            kind=MessageKind.REFUSAL,
            payload={"from_side": transfer.side, "step": step_block(step), "reasons": reasons},
        )
    audit_event_record(actor=by, action="transfers.transfer.refuse", target=transfer, note=reasons)


def reconciliation_accept(*, transfer_id: int, note: str, by: User) -> Transfer:
    """A clerk checked a difference with the partner and accepts the amounts that arrived; the
    intake may then complete (the note says why, for the audit trail)."""
    _require(by, "transfers.resolve_reconciliation")
    if not note.strip():
        raise TransferInvalidError(
            _("Say why the difference is accepted."),
            fields={"note": [_("This field is required.")]},
        )
    with transaction.atomic():
        transfer = transfer_lock(transfer_id)
        if transfer.reconciliation != Reconciliation.MISMATCH:
            raise TransferStateError(_("There is no difference to resolve."))
        before = transfer.reconciliation
        transfer.reconciliation = Reconciliation.ACCEPTED
        transfer.reconciliation_note = f"{transfer.reconciliation_note}\n{note.strip()}".strip()
        transfer.save(update_fields=["reconciliation", "reconciliation_note", "updated_at"])
        audit_event_record(
            actor=by,
            action="transfers.transfer.reconciliation_accept",
            target=transfer,
            changes={"reconciliation": [before, transfer.reconciliation]},
            note=note,
        )
    return transfer


def steps_recompute_for_year(year: int) -> int:
    """After a calendar year is entered: our steps take their case's recomputed deadline."""
    from django.db.models import F, OuterRef, Subquery

    from cases.models import Case

    stale = TransferStep.objects.filter(case__isnull=False).exclude(
        deadline=F("case__deadline"), deadline_provisional=F("case__deadline_provisional")
    )
    cases = Case.objects.filter(pk=OuterRef("case_id"))
    return stale.update(
        deadline=Subquery(cases.values("deadline")[:1]),
        deadline_provisional=Subquery(cases.values("deadline_provisional")[:1]),
    )


def transfer_for_step(transfer_reference: str, number: int) -> Transfer:
    """The row (in or out) whose side handles step `number` of this reference."""
    rows = list(Transfer.objects.filter(reference=transfer_reference))
    if not rows:
        raise Transfer.DoesNotExist
    kind = rows[0].kind
    spec = next((s for s in steps_for(kind) if s.number == number), None)
    if spec is None:
        raise TransferStateError(_("There is no step %(number)s.") % {"number": number})
    for row in rows:
        if row.side == spec.side:
            return row
    raise StepNotOursError(_("The partner agency handles this step."))

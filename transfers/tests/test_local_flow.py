"""A pension transfer between two regions this deployment serves: the same outbox, inbox and
steps as between two deployments, delivered in process."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from registration.models import AccountEntry, EnrolmentStatus, InsuranceType
from registration.selectors import account_balance, contribution_months
from transfers.models import (
    InboxMessage,
    OutboxMessage,
    OutboxStatus,
    Reconciliation,
    StepStatus,
    Transfer,
    TransferStatus,
)
from transfers.procedures import Side, TransferKind
from transfers.services import steps
from transfers.tests.conftest import at

pytestmark = pytest.mark.django_db


def apply(mover, gz, gz_agency, region, **extra):
    return steps.transfer_apply(
        kind=TransferKind.PENSION_EMP_INTER_AREA,
        id_number=mover.id_number,
        name=mover.name,
        other_region=region,
        agency=gz_agency,
        by=gz["clerk"],
        **extra,
    )


def run_pension_transfer(mover, bj, gz, gz_agency, region, capture, funds_received=None):
    with capture(execute=True):
        incoming = apply(mover, gz, gz_agency, region, submitted_at=at(2026, 2, 13))
    with capture(execute=True):
        steps.transfer_step_complete(transfer_id=incoming.pk, number=1, by=gz["clerk"])
    outgoing = Transfer.objects.get(reference=incoming.reference, side=Side.OUT)
    with capture(execute=True):
        steps.transfer_step_complete(transfer_id=outgoing.pk, number=2, by=bj["clerk"])
        steps.transfer_step_approve(transfer_id=outgoing.pk, number=2, by=bj["reviewer"])
        steps.transfer_step_approve(transfer_id=outgoing.pk, number=2, by=bj["supervisor"])
    return incoming, outgoing


def test_a_pension_transfer_runs_its_three_steps_in_process(
    mover, bj, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks
):
    incoming, outgoing = run_pension_transfer(
        mover, bj, gz, gz_agency, region, django_capture_on_commit_callbacks
    )
    incoming.refresh_from_db()
    assert incoming.current_step == 3
    package = incoming.packages.get()
    assert package.pooled_fund == Decimal("86400.00")
    assert package.account_balance == Decimal("65000.00")
    assert package.total == Decimal("151400.00")
    assert package.recomputed_pooled_fund == Decimal("86400.00")
    assert package.months == 120
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(
            transfer_id=incoming.pk,
            number=3,
            by=gz["clerk"],
            funds_received=Decimal("151400.00"),
        )
        steps.transfer_step_approve(transfer_id=incoming.pk, number=3, by=gz["reviewer"])
        steps.transfer_step_approve(transfer_id=incoming.pk, number=3, by=gz["supervisor"])
    incoming.refresh_from_db()
    outgoing.refresh_from_db()
    assert (incoming.status, incoming.reconciliation) == (
        TransferStatus.COMPLETED,
        Reconciliation.MATCHED,
    )
    assert (outgoing.status, outgoing.reconciliation) == (
        TransferStatus.COMPLETED,
        Reconciliation.MATCHED,
    )
    assert list(incoming.steps.values_list("status", flat=True)) == [StepStatus.DONE] * 3
    assert list(outgoing.steps.values_list("status", flat=True)) == [StepStatus.DONE] * 3
    # One database holds both regions: the history is already here, so it is not doubled,
    # and the account goes out and back in.
    assert (
        contribution_months(person_id=mover.pk, insurance_type=InsuranceType.PENSION_EMPLOYEE)
        == 120
    )
    kinds = dict(AccountEntry.objects.filter(account__person=mover).values_list("kind", "amount"))
    assert kinds["transfer_out"] == Decimal("-65000.00")
    assert kinds["transfer_in"] == Decimal("65000.00")
    assert account_balance(person_id=mover.pk) == Decimal("65000.00")
    old = mover.enrolments.get(region=region)
    assert old.status == EnrolmentStatus.TRANSFERRED_OUT
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}
    assert InboxMessage.objects.count() == 3


def test_step_deadlines_are_fifteen_working_days_across_spring_festival(
    mover, bj, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incoming = apply(mover, gz, gz_agency, region, submitted_at=at(2026, 2, 13))
    step = incoming.steps.get(number=1)
    # working-days.md example 6: received Fri 2026-02-13, 15 WD -> Thu 2026-03-12.
    assert (step.started_on, step.deadline) == (date(2026, 2, 13), date(2026, 3, 12))
    assert step.case.deadline == date(2026, 3, 12)
    assert step.case.item.code == "pension_transfer_accept"


def test_a_mismatch_stops_the_intake_until_a_clerk_accepts_it(
    mover, bj, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks
):
    from transfers.errors import ReconciliationMismatchError
    from transfers.selectors import mismatch_queue

    incoming, outgoing = run_pension_transfer(
        mover, bj, gz, gz_agency, region, django_capture_on_commit_callbacks
    )
    with pytest.raises(ReconciliationMismatchError):
        steps.transfer_step_complete(
            transfer_id=incoming.pk, number=3, by=gz["clerk"], funds_received=Decimal("150000")
        )
    incoming.refresh_from_db()
    assert incoming.reconciliation == Reconciliation.MISMATCH
    assert "150000.00" in incoming.reconciliation_note
    assert incoming.status == TransferStatus.OPEN
    assert list(mismatch_queue(user=gz["clerk"])) == [incoming]
    assert not incoming.steps.get(number=3).case.decisions.exists()
    steps.reconciliation_accept(
        transfer_id=incoming.pk, note="差额为银行手续费，已与北京核实", by=gz["clerk"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(
            transfer_id=incoming.pk, number=3, by=gz["clerk"], funds_received=Decimal("150000")
        )
        steps.transfer_step_approve(transfer_id=incoming.pk, number=3, by=gz["reviewer"])
        steps.transfer_step_approve(transfer_id=incoming.pk, number=3, by=gz["supervisor"])
    incoming.refresh_from_db()
    outgoing.refresh_from_db()
    assert (incoming.status, incoming.reconciliation) == (
        TransferStatus.COMPLETED,
        Reconciliation.ACCEPTED,
    )
    # The old region reconciles too: what arrived differs from what it sent.
    assert (outgoing.status, outgoing.reconciliation) == (
        TransferStatus.COMPLETED,
        Reconciliation.MISMATCH,
    )
    assert "151400.00" in outgoing.reconciliation_note


def test_a_resident_pension_already_paid_is_refused(
    region, other_region, gz, gz_agency, local_partner
):
    from transfers import checks
    from transfers.errors import ResidentPensionStartedError
    from transfers.tests.conftest import RESIDENT_ID, person_with_history

    person = person_with_history(
        number=RESIDENT_ID, name="李居民", region=region, insurance_type="pension_resident"
    )
    with pytest.raises(ResidentPensionStartedError):
        steps.transfer_apply(
            kind=TransferKind.PENSION_RESIDENT,
            id_number=RESIDENT_ID,
            name="李居民",
            other_region=region,
            agency=gz_agency,
            by=gz["clerk"],
            receiving_benefits=True,
        )

    def started(person_id):
        return date(2020, 2, 1) if person_id == person.pk else None

    checks.register_benefits_started_check("pension_resident", started)
    try:
        with pytest.raises(ResidentPensionStartedError) as refused:
            steps.transfer_apply(
                kind=TransferKind.PENSION_RESIDENT,
                id_number=RESIDENT_ID,
                name="李居民",
                other_region=region,
                agency=gz_agency,
                by=gz["clerk"],
            )
    finally:
        checks.unregister_benefits_started_check("pension_resident", started)
    assert refused.value.code == "resident_pension_benefits_started"
    assert refused.value.extra["started"] == "2020-02-01"
    assert Transfer.objects.count() == 0


def test_work_injury_and_maternity_do_not_move(mover, gz, gz_agency, region, local_partner):
    from transfers.errors import NotTransferableError

    for kind in ("WORK_INJURY", "maternity"):
        with pytest.raises(NotTransferableError):
            steps.transfer_apply(
                kind=kind,
                id_number=mover.id_number,
                name=mover.name,
                other_region=region,
                agency=gz_agency,
                by=gz["clerk"],
            )


def test_a_pension_application_needs_enrolment_at_the_new_place(
    region, gz, gz_agency, local_partner
):
    from transfers.errors import NotEnrolledAtNewPlaceError
    from transfers.tests.conftest import PERSON_ID, person_with_history

    person = person_with_history(number=PERSON_ID, name="张转移", region=region)
    with pytest.raises(NotEnrolledAtNewPlaceError):
        apply(person, gz, gz_agency, region)


def test_the_old_region_refusing_ends_the_transfer_on_both_sides(
    mover, bj, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incoming = apply(mover, gz, gz_agency, region)
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(transfer_id=incoming.pk, number=1, by=gz["clerk"])
    outgoing = Transfer.objects.get(reference=incoming.reference, side=Side.OUT)
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_refuse(
            transfer_id=outgoing.pk, number=2, reasons="已开始领取养老金", by=bj["clerk"]
        )
    incoming.refresh_from_db()
    outgoing.refresh_from_db()
    assert (outgoing.status, incoming.status) == (TransferStatus.REFUSED, TransferStatus.REFUSED)
    assert incoming.refusal_reasons == "已开始领取养老金"
    assert incoming.steps.get(number=2).status == StepStatus.REFUSED
    assert outgoing.steps.get(number=2).case.status == "rejected"


def test_a_second_open_application_is_refused(
    mover, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks
):
    from transfers.errors import TransferAlreadyOpenError

    apply(mover, gz, gz_agency, region)
    with pytest.raises(TransferAlreadyOpenError):
        apply(mover, gz, gz_agency, region)


def test_military_transfers_come_first(mover, region, other_region, gz, gz_agency, local_partner):
    from transfers.selectors import transfer_list_for_clerk
    from transfers.tests.conftest import SOLDIER_ID, enrol, person_with_history

    ordinary = apply(mover, gz, gz_agency, region, submitted_at=at(2026, 1, 5))
    soldier = person_with_history(number=SOLDIER_ID, name="王退役", region=region)
    enrol(soldier, other_region, InsuranceType.PENSION_EMPLOYEE, date(2025, 6, 1))
    military = steps.transfer_apply(
        kind=TransferKind.PENSION_EMP_INTER_AREA,
        id_number=SOLDIER_ID,
        name="王退役",
        other_region=region,
        agency=gz_agency,
        by=gz["clerk"],
        submitted_at=at(2026, 3, 2),
        is_military=True,
        military_organ="某部队政治工作部",
        military_document="军人退役基本养老保险参保缴费凭证 2026-017",
    )
    listed = list(transfer_list_for_clerk(user=gz["clerk"]))
    assert listed == [military, ordinary]
    assert listed[1].current_deadline < listed[0].current_deadline
    # The step's case heads the case engine's worklists too, ahead of an earlier deadline.
    from cases.clock import sla_dates
    from cases.selectors import Worklist, WorklistFilters, worklist_page

    military_case = military.steps.get(number=1).case
    ordinary_case = ordinary.steps.get(number=1).case
    assert (military_case.is_priority, military_case.priority_reason) == (True, "military")
    assert not ordinary_case.is_priority
    assert ordinary_case.deadline < military_case.deadline
    rows, _following = worklist_page(gz["clerk"], Worklist.QUEUE, sla_dates(), WorklistFilters())
    assert rows == [military_case, ordinary_case]


def test_a_medical_transfer_takes_ten_working_days_out_and_five_in(
    region, other_region, bj, gz, local_partner, django_capture_on_commit_callbacks
):
    from transfers.tests.conftest import PERSON_ID, person_with_history

    person = person_with_history(
        number=PERSON_ID,
        name="张转移",
        region=region,
        insurance_type=InsuranceType.MEDICAL_EMPLOYEE,
        balance=Decimal(0),
    )
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = steps.transfer_apply(
            kind=TransferKind.MED_EMP,
            id_number=PERSON_ID,
            name="张转移",
            other_region=other_region,
            agency=bj["clerk"].agency,
            by=bj["clerk"],
            submitted_at=at(2026, 2, 13),
        )
    assert outgoing.side == Side.OUT
    assert outgoing.steps.get(number=1).deadline == date(2026, 3, 5)  # 10 WD
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(
            transfer_id=outgoing.pk, number=1, by=bj["clerk"], account_amount=Decimal("1234.50")
        )
    incoming = Transfer.objects.get(reference=outgoing.reference, side=Side.IN)
    intake = incoming.steps.get(number=2)
    assert intake.case.item.code == "medical_transfer_in"
    assert intake.case.time_limit_working_days == 5
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(transfer_id=incoming.pk, number=2, by=gz["clerk"])
    incoming.refresh_from_db()
    outgoing.refresh_from_db()
    assert incoming.status == outgoing.status == TransferStatus.COMPLETED
    assert outgoing.reconciliation == Reconciliation.MATCHED
    assert incoming.packages.get().account_balance == Decimal("1234.50")
    assert person.enrolments.get().status == EnrolmentStatus.TRANSFERRED_OUT


def test_a_step_decided_on_the_case_page_takes_effect_with_the_right_amount(
    mover, bj, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks
):
    from cases import services as case_services
    from transfers.errors import AmountsChangedError

    with django_capture_on_commit_callbacks(execute=True):
        incoming = apply(mover, gz, gz_agency, region)
        steps.transfer_step_complete(transfer_id=incoming.pk, number=1, by=gz["clerk"])
    outgoing = Transfer.objects.get(reference=incoming.reference, side=Side.OUT)
    case = outgoing.steps.get(number=2).case
    case_services.case_claim(case_id=case.pk, by=bj["clerk"])
    case_services.case_accept(case_id=case.pk, by=bj["clerk"])

    def decide(amount):
        decision = case_services.decision_propose(
            case_id=case.pk,
            outcome="granted",
            reasons="转出",
            legal_basis="国办发〔2009〕66号",
            amount=amount,
            by=bj["clerk"],
        )
        case_services.decision_approve(decision_id=decision.pk, by=bj["reviewer"])
        case_services.decision_approve(decision_id=decision.pk, by=bj["supervisor"])
        return decision

    with pytest.raises(AmountsChangedError):
        decide(Decimal("100000.00"))
    assert outgoing.steps.get(number=2).status == StepStatus.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        case.decisions.update(status="returned")
        decide(Decimal("151400.00"))
    incoming.refresh_from_db()
    assert incoming.current_step == 3
    assert incoming.packages.get().total == Decimal("151400.00")


def test_entering_a_calendar_year_moves_the_step_deadlines_with_their_cases(
    mover, gz, gz_agency, region, local_partner
):
    from cases.models import Case

    transfer = apply(mover, gz, gz_agency, region)
    step = transfer.steps.get(number=1)
    Case.objects.filter(pk=step.case_id).update(
        deadline=date(2030, 1, 2), deadline_provisional=True
    )
    assert steps.steps_recompute_for_year(2030) == 1
    step.refresh_from_db()
    assert (step.deadline, step.deadline_provisional) == (date(2030, 1, 2), True)


def test_an_unemployment_transfer_files_its_two_steps_as_cases(
    region, other_region, bj, gz, local_partner, django_capture_on_commit_callbacks
):
    from transfers.tests.conftest import PERSON_ID, person_with_history

    person = person_with_history(
        number=PERSON_ID,
        name="张失业",
        region=region,
        insurance_type=InsuranceType.UNEMPLOYMENT,
        balance=Decimal(0),
    )
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = steps.transfer_apply(
            kind=TransferKind.UI_INTER_AREA,
            id_number=PERSON_ID,
            name="张失业",
            other_region=other_region,
            agency=bj["clerk"].agency,
            by=bj["clerk"],
            submitted_at=at(2026, 2, 13),
        )
    out_step = outgoing.steps.get(number=1)
    assert out_step.case.item.code == "unemployment_transfer_out"
    assert not out_step.case.item.time_limit_is_statutory  # Art. 14 names no number of days
    assert out_step.deadline == out_step.case.deadline == date(2026, 3, 5)  # 10 WD
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(transfer_id=outgoing.pk, number=1, by=bj["clerk"])
    out_step.refresh_from_db()
    assert out_step.case.status == "decided"
    assert out_step.case.decisions.get().legal_basis.startswith("社会保险经办条例第十四条")
    incoming = Transfer.objects.get(reference=outgoing.reference, side=Side.IN)
    intake = incoming.steps.get(number=2)
    assert intake.case.item.code == "unemployment_transfer_in"
    assert intake.case.time_limit_working_days == 5
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(transfer_id=incoming.pk, number=2, by=gz["clerk"])
    incoming.refresh_from_db()
    outgoing.refresh_from_db()
    assert incoming.status == outgoing.status == TransferStatus.COMPLETED
    assert incoming.packages.get().months == 120
    # One database holds both regions: the months are not doubled, and they still add up.
    months = contribution_months(person_id=person.pk, insurance_type=InsuranceType.UNEMPLOYMENT)
    assert months == 120
    assert person.enrolments.get().status == EnrolmentStatus.TRANSFERRED_OUT

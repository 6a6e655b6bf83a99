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

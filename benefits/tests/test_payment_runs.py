"""The monthly payment run: one payment per award and month, set-based, re-runnable; offsets
capped; approval by another person; a bank file that adds up; the bank's answer imported."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from benefits.errors import (
    PaymentRunExistsError,
    PaymentRunSelfApprovalError,
    PaymentRunStateError,
    ReconciliationInvalidError,
)
from benefits.models import (
    AwardStatus,
    Debt,
    DebtEntryKind,
    DebtStatus,
    Payment,
    PaymentResend,
    PaymentRunStatus,
    PaymentStatus,
)
from benefits.services import bankfile, runs
from benefits.services.awards import award_hold, award_hold_release, award_resume, award_suspend
from benefits.tests.factories import (
    assert_money_adds_up,
    award,
    awards,
    read_bank_file,
)
from core.errors import PermissionDeniedError
from core.models import JobStatus
from core.policy import PolicyParameterMissingError

pytestmark = pytest.mark.django_db

MARCH = date(2025, 3, 1)
APRIL = date(2025, 4, 1)


def test_a_run_pays_each_active_award_once_and_keeps_the_totals(region, pay, small_chunks):
    paid = awards(region, 5, amount="3000.00")
    award(region, start=date(2025, 5, 1))  # not started yet
    award(region, end_month=date(2025, 2, 1))  # ended
    award(region, status=AwardStatus.STOPPED, stopped_on=date(2025, 1, 31))

    run = pay(region, MARCH, release=False, chunk_size=2)

    assert run.status == PaymentRunStatus.BUILT
    assert run.chunks_total == 3
    assert [c.awards for c in run.chunks.order_by("number")] == [2, 2, 1]
    assert run.job.progress_total == 5
    assert sorted(Payment.objects.values_list("award_id", flat=True)) == [a.pk for a in paid]
    assert run.payments_count == 5
    assert run.gross_total == run.net_total == Decimal("15000.00")
    assert run.job.status == JobStatus.SUCCEEDED
    assert run.job.percent == 100
    assert_money_adds_up(run)


def test_a_second_start_for_the_same_region_and_month_is_refused(region, pay, clerk2):
    awards(region, 2)
    run = pay(region, MARCH, release=False)

    with pytest.raises(PaymentRunExistsError) as refused:
        runs.payment_run_start(region=region, period=date(2025, 3, 15), by=clerk2)

    assert refused.value.status_code == 409
    assert refused.value.extra["run"] == run.pk


def test_running_a_built_run_again_inserts_nothing(
    region, pay, clerk, small_chunks, django_capture_on_commit_callbacks
):
    awards(region, 5)
    run = pay(region, MARCH, release=False, chunk_size=2)
    before = list(Payment.objects.order_by("pk").values_list("pk", "net"))

    with django_capture_on_commit_callbacks(execute=True):
        runs.payment_run_rerun(run_id=run.pk, by=clerk)

    run.refresh_from_db()
    assert run.status == PaymentRunStatus.BUILT
    assert run.generation == 2
    assert list(Payment.objects.order_by("pk").values_list("pk", "net")) == before
    assert run.payments_count == 5
    assert all(chunk.runs == 2 for chunk in run.chunks.all())
    assert_money_adds_up(run)


def test_a_chunk_delivered_twice_changes_nothing(region, pay, small_chunks):
    awards(region, 4)
    run = pay(region, MARCH, release=False, chunk_size=2)

    assert [c.awards for c in run.chunks.order_by("number")] == [2, 2]
    again = runs.payment_run_chunk(run_id=run.pk, number=1)

    assert again is None  # the run is built: a late duplicate does nothing
    assert Payment.objects.count() == 4
    assert_money_adds_up(run)


def test_the_next_month_is_a_new_run_with_new_payments(region, pay):
    awards(region, 3)
    march = pay(region, MARCH)
    april = pay(region, APRIL)

    assert Payment.objects.count() == 6
    assert set(Payment.objects.values_list("period", flat=True)) == {MARCH, APRIL}
    assert_money_adds_up(march, april)


def test_the_starter_cannot_approve_the_run(region, pay, make_user):
    from accounts.roles import Role

    both = make_user(Role.SUPERVISOR, username="startsandapproves")
    awards(region, 1)
    run = runs.payment_run_start(region=region, period=MARCH, by=both)
    runs.payment_run_finalise(run_id=run.pk)
    runs.payment_run_chunk(run_id=run.pk, number=1)
    run.refresh_from_db()

    with pytest.raises(PaymentRunSelfApprovalError) as refused:
        runs.payment_run_approve(run_id=run.pk, by=both)

    assert refused.value.status_code == 403


def test_a_clerk_cannot_approve_and_a_building_run_cannot_be_approved(
    region, clerk2, supervisor, clerk
):
    awards(region, 1)
    run = runs.payment_run_start(region=region, period=MARCH, by=clerk)

    with pytest.raises(PermissionDeniedError):
        runs.payment_run_approve(run_id=run.pk, by=clerk2)
    with pytest.raises(PaymentRunStateError):
        runs.payment_run_approve(run_id=run.pk, by=supervisor)


def test_release_writes_a_bank_file_that_adds_up_to_the_run(region, pay):
    awards(region, 3, amount="3719.14")
    run = pay(region, MARCH)

    header, lines, trailer = read_bank_file(run)

    assert run.status == PaymentRunStatus.RELEASED
    assert header[:5] == ["H", "SIPAY1", "110000", "2025-03", str(run.pk)]
    assert [line[0] for line in lines] == ["D", "D", "D"]
    assert lines[0][4] == "6222020200112233445"
    assert lines[0][5] == "3719.14"
    assert lines[0][8] == "pension 基本养老金"
    assert trailer == ["T", "3", "11157.42"]
    assert AuditEvent.objects.filter(action="benefits.payment_run.release").count() == 1
    assert_money_adds_up(run)


def test_offsets_are_capped_per_payment_and_settle_the_debt(region, pay, caps, clerk):
    from benefits.services.debts import debt_offset_benefit_start, debt_record

    pension = award(region, amount="3000.00")
    debt = debt_record(
        person=pension.person,
        amount=Decimal("1000.00"),
        cause="incorrect_amount",
        cause_note="paid twice in error",
        by=clerk,
    )
    debt_offset_benefit_start(debt_id=debt.pk, award_id=pension.pk, by=clerk)

    march = pay(region, MARCH)
    april = pay(region, APRIL)

    first, second = Payment.objects.order_by("period")
    # Art. 46 with the region's cap of 20%: 600.00 of 3,000.00, then the 400.00 left.
    assert (first.gross, first.deductions, first.net) == (
        Decimal("3000.00"),
        Decimal("600.00"),
        Decimal("2400.00"),
    )
    assert (second.deductions, second.net) == (Decimal("400.00"), Decimal("2600.00"))
    debt.refresh_from_db()
    assert debt.status == DebtStatus.SETTLED
    assert debt.outstanding == 0
    assert list(debt.entries.values_list("kind", "amount")) == [
        (DebtEntryKind.OFFSET_BENEFIT, Decimal("600.00")),
        (DebtEntryKind.OFFSET_BENEFIT, Decimal("400.00")),
    ]
    assert march.deductions_total == Decimal("600.00")
    assert_money_adds_up(march, april)


def test_an_amount_cap_applies_when_it_is_smaller(region, pay, caps, clerk):
    from benefits.services.debts import debt_offset_benefit_start, debt_record
    from benefits.tests.factories import policy

    policy("offset_cap_amount", "250.00", region)
    pension = award(region, amount="3000.00")
    debt = debt_record(
        person=pension.person,
        amount=Decimal("1000.00"),
        cause="other",
        cause_note="x",
        by=clerk,
    )
    debt_offset_benefit_start(debt_id=debt.pk, award_id=pension.pk, by=clerk)

    run = pay(region, MARCH)

    assert Payment.objects.get().deductions == Decimal("250.00")
    assert_money_adds_up(run)


def test_a_region_with_offsetting_debts_and_no_cap_cannot_start(region, clerk, caps):
    from benefits.services.debts import debt_offset_benefit_start, debt_record

    pension = award(region)
    debt = debt_record(
        person=pension.person, amount=Decimal("10.00"), cause="other", cause_note="x", by=clerk
    )
    debt_offset_benefit_start(debt_id=debt.pk, award_id=pension.pk, by=clerk)
    caps.delete()

    with pytest.raises(PolicyParameterMissingError):
        runs.payment_run_start(region=region, period=MARCH, by=clerk)


def test_held_and_suspended_awards_are_built_held_and_paid_after_release(region, pay, clerk):
    held, suspended, _normal = awards(region, 3)
    hold = award_hold(award_id=held.pk, reason="eligibility check", by=clerk)
    award_suspend(award_id=suspended.pk, reason="death reported", by=clerk)

    march = pay(region, MARCH)

    assert march.held_count == 2
    assert march.payments_count == 1
    assert Payment.objects.filter(status=PaymentStatus.HELD).count() == 2
    _h, lines, _t = read_bank_file(march)
    assert len(lines) == 1

    award_hold_release(hold_id=hold.pk, by=clerk)
    award_resume(award_id=suspended.pk, by=clerk)
    april = pay(region, APRIL)

    _h, lines, _t = read_bank_file(april)
    periods = sorted(line[7] for line in lines)
    assert periods == ["2025-03", "2025-03", "2025-04", "2025-04", "2025-04"]
    assert april.payments_count == 5
    assert_money_adds_up(march, april)


def test_reconciliation_marks_paid_requeues_temporary_returns_and_holds_others(region, pay, clerk):
    _first, _second, third = awards(region, 3)
    march = pay(region, MARCH)
    p1, p2, p3 = Payment.objects.order_by("award_id")
    content = (
        "reference,result,amount,reason_code,reason\n"
        f"P{p1.pk},PAID,3000.00,,\n"
        f"P{p2.pk},RETURNED,3000.00,TECHNICAL,银行系统故障\n"
        f"P{p3.pk},RETURNED,3000.00,ACCOUNT_CLOSED,账户已销户\n"
    ).encode()

    record = bankfile.reconciliation_import(
        run_id=march.pk, file_name="recon.csv", content=content, by=clerk
    )
    again = bankfile.reconciliation_import(
        run_id=march.pk, file_name="recon.csv", content=content, by=clerk
    )

    assert again.pk == record.pk
    assert (record.paid, record.returned, record.requeued, record.held) == (1, 2, 1, 1)
    march.refresh_from_db()
    assert march.status == PaymentRunStatus.RECONCILED
    assert (march.paid_total, march.returned_total) == (Decimal("3000.00"), Decimal("6000.00"))
    third.refresh_from_db()
    assert third.is_held

    april = pay(region, APRIL)
    _h, lines, _t = read_bank_file(april)
    references = sorted(line[1][0] for line in lines)
    assert references == ["P", "P", "R"]  # two April payments (third held) and one re-send
    resend = PaymentResend.objects.get()
    assert resend.run_id == april.pk
    assert resend.payment_id == p2.pk
    assert_money_adds_up(march, april)


def test_a_wrong_reconciliation_file_imports_nothing(region, pay, clerk):
    awards(region, 2)
    run = pay(region, MARCH)
    p1, _p2 = Payment.objects.order_by("pk")
    content = (
        "reference,result,amount,reason_code,reason\n"
        f"P{p1.pk},PAID,3000.00,,\n"
        "P999999,PAID,1.00,,\n"
        f"P{p1.pk},LOST,3000.00,,\n"
    ).encode()

    with pytest.raises(ReconciliationInvalidError) as refused:
        bankfile.reconciliation_import(
            run_id=run.pk, file_name="bad.csv", content=content, by=clerk
        )

    assert set(refused.value.fields) == {"line 3", "line 4"}
    assert not Payment.objects.filter(status=PaymentStatus.PAID).exists()


def test_no_payment_after_the_stop_date_and_sent_ones_become_an_overpayment(region, pay, clerk):
    from benefits.services.awards import award_stop

    pension = award(region, amount="3000.00")
    award(region)
    pay(region, MARCH)
    pay(region, APRIL)
    may = pay(region, date(2025, 5, 1), release=False)  # built, not yet released

    result = award_stop(
        award_id=pension.pk,
        stop_date=date(2025, 3, 5),
        cause="death",
        by=clerk,
        reported_on=date(2025, 6, 20),
    )

    # benefit-rules.md (i): died 2025-03-05; March was due, April was paid (overpaid); May was
    # built but not sent, so it is cancelled, not owed.
    debt = result.debt
    assert debt is not None
    assert debt.amount == Decimal("3000.00")
    assert [p.period for p in debt.periods.all()] == [APRIL]
    assert debt.cause == "late_report"
    assert result.reported_late
    may_payment = Payment.objects.get(award=pension, period=date(2025, 5, 1))
    assert may_payment.status == PaymentStatus.CANCELLED
    may.refresh_from_db()
    assert may.payments_count == 1
    june = pay(region, date(2025, 6, 1))
    assert not Payment.objects.filter(award=pension, period=date(2025, 6, 1)).exists()
    assert Debt.objects.count() == 1
    runs.payment_run_approve(run_id=may.pk, by=_other_supervisor())
    assert_money_adds_up(may, june)


def _other_supervisor():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    user = User.objects.create(username="supervisor-other", agency_id=None, is_staff=True)
    user.groups.add(Group.objects.get(name=Role.SUPERVISOR.value))
    return user


def test_many_holds_in_one_pass_take_unsent_payments_out_of_their_run(region, pay):
    from benefits.services.awards import award_holds_open_many

    first, second, _third = awards(region, 3)
    march = pay(region, MARCH, release=False)

    made = award_holds_open_many(
        holds=[(first.pk, "suspicion:1"), (second.pk, "suspicion:2")], reason="death feed"
    )

    assert set(made) == {"suspicion:1", "suspicion:2"}
    march.refresh_from_db()
    assert march.payments_count == 1
    assert march.held_count == 2
    assert Payment.objects.filter(status=PaymentStatus.HELD).count() == 2
    first.refresh_from_db()
    assert first.is_held


def test_a_stale_building_run_is_queued_again(region, clerk):
    from datetime import timedelta

    from django.utils import timezone

    awards(region, 2)
    run = runs.payment_run_start(region=region, period=MARCH, by=clerk)  # never dispatched

    queued = runs.payment_runs_resume_stale(now=timezone.now() + timedelta(minutes=11))

    assert queued == 1
    run.refresh_from_db()
    assert run.status == PaymentRunStatus.BUILT  # eager: the chunk ran when queued
    assert_money_adds_up(run)

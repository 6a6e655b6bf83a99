"""Overpayment recovery (Art. 46): the order, repayments, instalments and their follow-up,
offsets against the personal account, write-off by another person, fraud referral (Arts. 44,
55); each debt's balance = amount − repayments − offsets ≥ 0."""

from datetime import date
from decimal import Decimal

import pytest

from benefits.errors import DebtOverRepaymentError, DebtStateError
from benefits.models import (
    DebtEntryKind,
    DebtStatus,
    FraudReferralStatus,
    InstalmentPlanStatus,
    InstalmentStatus,
)
from benefits.services import bankfile, debts
from benefits.services.awards import award_stop
from benefits.tests.factories import account, assert_money_adds_up, award
from core.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def overpaid(region, pay, clerk):
    """benefit-rules.md (i): a pensioner of 3,000 a month died on 2025-03-05; April, May and
    June were paid: 9,000 overpaid."""
    pension = award(region, amount="3000.00")
    runs = [pay(region, date(2025, month, 1)) for month in (3, 4, 5, 6)]
    result = award_stop(
        award_id=pension.pk,
        stop_date=date(2025, 3, 5),
        cause="death",
        by=clerk,
        reported_on=date(2025, 6, 20),
    )
    result.debt.runs = runs
    return result.debt


def test_a_stop_reported_late_creates_the_worked_example_debt(overpaid):
    assert overpaid.amount == Decimal("9000.00")
    assert [p.period.month for p in overpaid.periods.order_by("period")] == [4, 5, 6]
    assert overpaid.cause == "late_report"
    assert_money_adds_up(*overpaid.runs)


def test_repayment_in_full_settles_and_more_is_refused(overpaid, clerk):
    debts.debt_repayment_order(debt_id=overpaid.pk, by=clerk)
    with pytest.raises(DebtOverRepaymentError):
        debts.debt_repayment_record(
            debt_id=overpaid.pk, amount=Decimal("9000.01"), reference="R1", by=clerk
        )
    debts.debt_repayment_record(
        debt_id=overpaid.pk, amount=Decimal("9000.00"), reference="R1", by=clerk
    )

    overpaid.refresh_from_db()
    assert overpaid.status == DebtStatus.SETTLED
    assert overpaid.outstanding == 0
    assert overpaid.letter_issued_at is not None
    assert_money_adds_up()


def test_instalments_are_followed_up_and_a_defaulted_plan_returns_to_the_order(overpaid, clerk):
    plan = debts.debt_instalments_agree(
        debt_id=overpaid.pk, count=6, first_due=date(2025, 7, 15), by=clerk
    )
    amounts = list(plan.instalments.values_list("amount", flat=True))
    assert amounts == [Decimal("1500.00")] * 6  # the worked example's option B
    debts.debt_repayment_record(
        debt_id=overpaid.pk, amount=Decimal("1500.00"), reference="I1", by=clerk
    )

    first = debts.instalments_follow_up(today=date(2025, 8, 20))
    again = debts.instalments_follow_up(today=date(2025, 8, 20))
    later = debts.instalments_follow_up(today=date(2025, 9, 20))

    assert first == {"missed": 1, "defaulted": 0}
    assert again == {"missed": 0, "defaulted": 0}
    assert later == {"missed": 1, "defaulted": 1}
    plan.refresh_from_db()
    overpaid.refresh_from_db()
    assert plan.status == InstalmentPlanStatus.DEFAULTED
    assert overpaid.status == DebtStatus.ORDERED
    statuses = list(plan.instalments.values_list("status", flat=True))
    assert statuses[:3] == [InstalmentStatus.PAID, InstalmentStatus.MISSED, InstalmentStatus.MISSED]
    assert_money_adds_up()


def test_offset_against_the_personal_account(overpaid, clerk):
    account(overpaid.person, "5000.00")

    entry = debts.debt_offset_account(debt_id=overpaid.pk, by=clerk)

    assert (entry.kind, entry.amount) == (DebtEntryKind.OFFSET_ACCOUNT, Decimal("5000.00"))
    from registration.selectors import account_balance

    assert account_balance(person_id=overpaid.person_id) == 0
    overpaid.refresh_from_db()
    assert overpaid.outstanding == Decimal("4000.00")
    with pytest.raises(DebtStateError):
        debts.debt_offset_account(debt_id=overpaid.pk, by=clerk)
    assert_money_adds_up()


def test_write_off_needs_a_supervisor_who_did_not_record_it(overpaid, clerk, supervisor):
    with pytest.raises(PermissionDeniedError):
        debts.debt_write_off(debt_id=overpaid.pk, reason="no estate", by=clerk)

    debts.debt_write_off(debt_id=overpaid.pk, reason="no estate", by=supervisor)

    overpaid.refresh_from_db()
    assert overpaid.status == DebtStatus.WRITTEN_OFF
    assert overpaid.outstanding == 0
    assert_money_adds_up()


def test_fraud_is_referred_and_the_departments_decision_recorded(overpaid, clerk):
    referral = debts.fraud_referral_record(
        person=overpaid.person,
        debt=overpaid,
        department="北京市人力资源和社会保障局",
        grounds="forged proof of life",
        evidence="certificate no. 123",
        by=clerk,
    )
    debts.fraud_referral_outcome_record(
        referral_id=referral.pk,
        outcome="责令退回并处罚款18,000元",
        by=clerk,
        department_reference="京人社罚〔2025〕1号",
    )

    referral.refresh_from_db()
    overpaid.refresh_from_db()
    assert referral.status == FraudReferralStatus.DECIDED
    assert overpaid.is_fraud_suspected
    # The agency imposes no fine: the debt is still what was overpaid.
    assert overpaid.amount == Decimal("9000.00")


def test_a_bank_return_of_an_overpaid_month_reduces_the_debt(region, pay, clerk):
    pension = award(region, amount="3000.00")
    march = pay(region, date(2025, 3, 1))
    april = pay(region, date(2025, 4, 1))
    result = award_stop(award_id=pension.pk, stop_date=date(2025, 3, 5), cause="death", by=clerk)
    april_payment = pension.payments.get(period=date(2025, 4, 1))

    bankfile.reconciliation_import(
        run_id=april.pk,
        file_name="r.csv",
        by=clerk,
        content=(
            "reference,result,amount,reason_code,reason\n"
            f"P{april_payment.pk},RETURNED,3000.00,ACCOUNT_CLOSED,销户\n"
        ).encode(),
    )

    result.debt.refresh_from_db()
    assert result.debt.outstanding == 0
    assert result.debt.status == DebtStatus.SETTLED
    assert list(result.debt.entries.values_list("kind", flat=True)) == [DebtEntryKind.BANK_RETURN]
    assert_money_adds_up(march, april)


def test_an_offset_taken_from_a_payment_cancelled_by_a_stop_is_reversed(region, pay, clerk, caps):
    pension = award(region, amount="3000.00")
    debt = debts.debt_record(
        person=pension.person,
        amount=Decimal("1000.00"),
        cause="incorrect_amount",
        cause_note="paid twice",
        by=clerk,
    )
    debts.debt_offset_benefit_start(debt_id=debt.pk, award_id=pension.pk, by=clerk)
    march = pay(region, date(2025, 3, 1), release=False)  # 600 deducted, not yet released
    debt.refresh_from_db()
    assert debt.outstanding == Decimal("400.00")

    award_stop(award_id=pension.pk, stop_date=date(2025, 2, 20), cause="death", by=clerk)

    debt.refresh_from_db()
    assert debt.outstanding == Decimal("1000.00")
    assert debt.status == DebtStatus.ORDERED  # offsetting cannot go on after the stop
    kinds = list(debt.entries.values_list("kind", "amount"))
    assert kinds == [
        (DebtEntryKind.OFFSET_BENEFIT, Decimal("600.00")),
        (DebtEntryKind.OFFSET_REVERSAL, Decimal("-600.00")),
    ]
    march.refresh_from_db()
    assert march.payments_count == 0
    assert_money_adds_up(march)

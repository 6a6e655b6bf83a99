"""Test data for benefits: awards in bulk, policy figures, and the money checks every payment
test ends with."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from benefits.models import (
    Award,
    AwardAmount,
    AwardKind,
    AwardStatus,
    Debt,
    DebtStatus,
    Frequency,
    Payment,
    PaymentResend,
    PaymentRun,
    PaymentStatus,
    Scheme,
)
from benefits.services.bankfile import ENCODING, bank_file_path
from core.models import PolicyParameter
from registration.tests.factories import person as make_person

ACCOUNT = "6222020200112233445"


def policy(key, value, region=None, valid_from=date(2020, 1, 1)):
    return PolicyParameter.objects.create(
        key=key, value=str(value), region=region, valid_from=valid_from, source="test"
    )


def awards(region, n, *, amount="3000.00", start=date(2025, 1, 1), person=None, **fields):
    """`n` monthly pension awards (spread over a few people), bulk-inserted with history."""
    people = [person] if person else [make_person(region, name=f"领取人{i}") for i in range(3)]
    rows = [
        Award(
            person=people[i % len(people)],
            region=region,
            kind=fields.get("kind", AwardKind.PENSION),
            scheme=fields.get("scheme", Scheme.PENSION),
            frequency=fields.get("frequency", Frequency.MONTHLY),
            amount=Decimal(amount),
            amount_from=start,
            start_month=start,
            end_month=fields.get("end_month"),
            status=fields.get("status", AwardStatus.ACTIVE),
            stopped_on=fields.get("stopped_on"),
            payee_name=people[i % len(people)].name,
            payee_bank="中国工商银行",
            payee_account=ACCOUNT,
        )
        for i in range(n)
    ]
    created = Award.objects.bulk_create(rows)
    AwardAmount.objects.bulk_create(
        AwardAmount(award=a, effective_month=start, amount=a.amount, reason="initial")
        for a in created
    )
    return created


def award(region, **fields):
    return awards(region, 1, **fields)[0]


def read_bank_file(run):
    """(header, detail rows, trailer) of a released run's file."""
    text = bank_file_path(run).read_bytes().decode(ENCODING)
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:-1], rows[-1]


def assert_money_adds_up(*runs):
    """run total = sum of its payments = bank file total; nothing paid after a stop date;
    every debt owes its amount less its ledger, never below zero."""
    for run in runs:
        run.refresh_from_db()
        payments = Payment.objects.filter(bank_run=run).exclude(status=PaymentStatus.CANCELLED)
        sums = payments.aggregate(g=Sum("gross"), d=Sum("deductions"), n=Sum("net"))
        resent = PaymentResend.objects.filter(run=run).exclude(
            status=PaymentStatus.CANCELLED
        ).aggregate(a=Sum("amount"))["a"] or Decimal("0")
        net = (sums["n"] or Decimal("0")) + resent
        assert run.net_total == net, (run, run.net_total, net)
        assert run.gross_total - run.deductions_total == run.net_total
        assert run.deductions_total == (sums["d"] or Decimal("0"))
        if run.file_name:
            header, lines, trailer = read_bank_file(run)
            file_total = sum((Decimal(line[5]) for line in lines), Decimal("0"))
            assert trailer == ["T", str(len(lines)), f"{file_total:.2f}"]
            assert header[6:] == [str(len(lines)), f"{file_total:.2f}"]
            assert file_total == run.net_total == run.file_total
            assert len(lines) == run.file_count
    late = Payment.objects.filter(
        award__stopped_on__isnull=False, debt_period__isnull=True
    ).exclude(status=PaymentStatus.CANCELLED)
    for payment in late.select_related("award"):
        assert payment.period <= payment.award.stopped_on or payment.status in (
            PaymentStatus.RETURNED,
        ), payment
    for debt in Debt.objects.all():
        ledger = debt.entries.aggregate(t=Sum("amount"))["t"] or Decimal("0")
        assert debt.outstanding == debt.amount - ledger >= 0, debt
        if debt.status in (DebtStatus.SETTLED, DebtStatus.WRITTEN_OFF):
            assert debt.outstanding == 0


def run_of(region, period):
    return PaymentRun.objects.get(region=region, period=period)


def contributions(
    person, months, *, start=date(1990, 1, 1), insurance_type="pension_employee", base="8000.00"
):
    """`months` monthly contribution records from `start` (registration's table, test data)."""
    from benefits.services.common import month_add
    from registration.models import ContributionRecord

    ContributionRecord.objects.bulk_create(
        ContributionRecord(
            person=person,
            insurance_type=insurance_type,
            month=month_add(start, n),
            region=person.region,
            base=Decimal(base),
            employer_amount=Decimal(base) * Decimal("0.16"),
            personal_amount=Decimal(base) * Decimal("0.08"),
            source="collection",
        )
        for n in range(months)
    )


def account(person, amount):
    from registration.services.accounts import account_post

    account_post(
        person_id=person.pk,
        kind="transfer_in",
        amount=Decimal(amount),
        reference=f"test-balance-{person.pk}",
        by=None,
        year=2024,
    )


def pension_policies(region):
    policy("average_monthly_wage", "8000.00", region)
    policy("pension_divisor_strategy", "INTERPOLATE_MONTHLY_1DP", region)

"""The 12% rule (国办发〔2009〕66号 Art. 4) on the worked example of benefit-rules.md (f)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from registration.models import ContributionKind, ContributionRecord, ContributionSource
from transfers.amounts import history_recompute, package_compute, pooled_fund
from transfers.procedures import TransferKind
from transfers.tests.conftest import PERSON_ID, add_records, person_with_history

pytestmark = pytest.mark.django_db


def test_the_worked_example_moves_86400_pooled_plus_the_account(region):
    person = person_with_history(number=PERSON_ID, name="张转移", region=region)
    figures = package_compute(
        kind=TransferKind.PENSION_EMP_INTER_AREA, person_id=person.pk, pooling_region_id=region.pk
    )
    assert figures.pooled_base_total == Decimal("720000.00")
    assert figures.pooled_fund == Decimal("86400.00")
    assert figures.account_balance == Decimal("65000.00")
    assert figures.total == Decimal("151400.00")
    assert figures.months == 120
    assert [(y.year, y.months, y.base_total) for y in figures.years][:1] == [
        (2015, 12, Decimal("72000.00"))
    ]
    assert len(figures.history) == 120


def test_a_part_year_counts_by_its_months_and_years_before_1998_do_not(region):
    person = person_with_history(
        number=PERSON_ID, name="张转移", region=region, years=range(1996, 1998), balance=Decimal(0)
    )
    add_records(person, region, [date(1998, month, 1) for month in (1, 2, 3)])
    figures = package_compute(
        kind=TransferKind.PENSION_EMP_INTER_AREA, person_id=person.pk, pooling_region_id=region.pk
    )
    # 1998: January to March only; 1996-1997 move with the record but not in the 12% sum.
    assert figures.months == 27
    assert figures.pooled_base_total == Decimal("18000.00")
    assert figures.pooled_fund == Decimal("2160.00")


def test_a_reversed_record_does_not_count(region):
    person = person_with_history(
        number=PERSON_ID, name="张转移", region=region, years=range(2024, 2025)
    )
    original = ContributionRecord.objects.filter(person=person).order_by("month").first()
    ContributionRecord.objects.create(
        person=person,
        insurance_type=original.insurance_type,
        month=original.month,
        region=region,
        base=-original.base,
        employer_amount=-original.employer_amount,
        personal_amount=-original.personal_amount,
        source=ContributionSource.CORRECTION,
        kind=ContributionKind.REVERSAL,
        reverses=original,
    )
    figures = package_compute(
        kind=TransferKind.PENSION_EMP_INTER_AREA, person_id=person.pk, pooling_region_id=region.pk
    )
    assert figures.months == 11
    assert figures.pooled_fund == Decimal("7920.00")


def test_records_of_another_region_stay_there(region, other_region):
    person = person_with_history(
        number=PERSON_ID, name="张转移", region=region, years=range(2015, 2024)
    )
    add_records(person, other_region, [date(2024, month, 1) for month in range(1, 13)])
    figures = package_compute(
        kind=TransferKind.PENSION_EMP_INTER_AREA, person_id=person.pk, pooling_region_id=region.pk
    )
    assert figures.months == 108


def test_pooled_fund_rounds_half_up_to_the_fen():
    assert pooled_fund(Decimal("0.0625")) == Decimal("0.01")  # 0.0075 -> 0.01
    assert pooled_fund(Decimal("4321.04")) == Decimal("518.52")  # 518.5248


def test_the_receiver_recomputes_the_rule_from_the_history():
    history = [{"month": f"2024-{m:02d}", "base": "6000.00"} for m in range(1, 13)]
    assert history_recompute(TransferKind.PENSION_EMP_INTER_AREA, history) == (
        12,
        Decimal("72000.00"),
        Decimal("8640.00"),
    )
    assert history_recompute(TransferKind.MED_EMP, history)[2] == Decimal("0.00")


def test_the_resident_scheme_moves_only_the_account(region):
    person = person_with_history(
        number=PERSON_ID, name="张转移", region=region, insurance_type="pension_resident"
    )
    figures = package_compute(
        kind=TransferKind.PENSION_RESIDENT, person_id=person.pk, pooling_region_id=region.pk
    )
    assert (figures.pooled_fund, figures.account_balance) == (Decimal("0.00"), Decimal("65000.00"))

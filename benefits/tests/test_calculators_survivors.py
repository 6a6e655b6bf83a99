"""Survivor benefits on a pension participant's death (benefit-rules.md (h)): the three worked
examples, the month brackets, the cap under five years and the one-funeral-subsidy rule."""

from decimal import Decimal
from fractions import Fraction

import pytest

from benefits.calculators.survivors import survivor_benefits


def test_working_person_21_years_3_months():
    result = survivor_benefits(monthly_income=Decimal("4500"), contribution_months=21 * 12 + 3)
    assert result.months == Fraction(61, 4)  # 15.25
    assert result.survivor_benefit == Decimal("68625.00")
    assert result.funeral_subsidy == Decimal("9000.00")


def test_retiree_32_years_6_years_of_pension():
    result = survivor_benefits(
        monthly_income=Decimal("4500"),
        contribution_months=32 * 12,
        is_retiree=True,
        pension_months_received=6 * 12,
    )
    assert result.months == 18
    assert result.survivor_benefit == Decimal("81000.00")
    assert result.funeral_subsidy == Decimal("9000.00")


def test_retiree_with_25_years_of_pension_gets_the_minimum_9():
    result = survivor_benefits(
        monthly_income=Decimal("4500"),
        contribution_months=32 * 12,
        is_retiree=True,
        pension_months_received=25 * 12,
    )
    assert result.months == 9
    assert result.survivor_benefit == Decimal("40500.00")


def test_pension_time_counts_to_the_month():
    # 人社部发〔2021〕18号 Art. 5 as quoted with its case 1: 28y9m contributions -> at most 22.75;
    # 3y6m of pension -> 19.25; 2,818.5 × 19.25 = 54,256.125 -> 54,256.13; funeral 5,637.
    result = survivor_benefits(
        monthly_income=Decimal("2818.5"),
        contribution_months=28 * 12 + 9,
        is_retiree=True,
        pension_months_received=3 * 12 + 6,
    )
    assert result.months == Fraction(77, 4)
    assert result.survivor_benefit == Decimal("54256.13")
    assert result.funeral_subsidy == Decimal("5637.00")


@pytest.mark.parametrize(
    ("months", "n"),
    [
        (0, Fraction(3)),
        (59, Fraction(3)),
        (60, Fraction(6)),
        (119, Fraction(6)),
        (120, Fraction(9)),
        (180, Fraction(9)),
        (181, Fraction(9) + Fraction(1, 12)),
        (192, Fraction(10)),
        (360, Fraction(24)),
        (420, Fraction(24)),  # years above 30 count as 30
    ],
)
def test_month_brackets_for_a_working_person(months, n):
    assert survivor_benefits(monthly_income=Decimal("1"), contribution_months=months).months == n


def test_under_five_years_the_benefits_do_not_exceed_own_contributions():
    result = survivor_benefits(
        monthly_income=Decimal("4500"),
        contribution_months=30,
        own_contributions_total=Decimal("12000"),
    )
    # 9,000 + 13,500 = 22,500 > 12,000: the 抚恤金 gives way first.
    assert result.funeral_subsidy == Decimal("9000.00")
    assert result.survivor_benefit == Decimal("3000.00")
    assert result.total == Decimal("12000.00")


def test_only_one_funeral_subsidy():
    result = survivor_benefits(
        monthly_income=Decimal("4500"),
        contribution_months=21 * 12 + 3,
        is_funeral_already_paid=True,
    )
    assert result.funeral_subsidy == Decimal("0.00")
    assert result.total == Decimal("68625.00")

"""The shared pieces: half-up money, months, ages, and the decision snapshot."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from benefits.calculators.common import Age, YearMonth, money, snapshot
from benefits.calculators.pension import DivisorStrategy, PensionInput


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Decimal("2.345"), "2.35"),
        (Decimal("2.344999"), "2.34"),
        (Decimal("-2.345"), "-2.35"),
        (Fraction(217, 200), "1.09"),  # 1.085 exactly
        (Fraction(1, 3), "0.33"),
        (Fraction(-217, 200), "-1.09"),
    ],
)
def test_money_rounds_half_up(value, rounded):
    assert money(value) == Decimal(rounded)


def test_year_month_arithmetic():
    assert YearMonth(2030, 5).plus(17) == YearMonth(2031, 10)
    assert YearMonth(2031, 10).plus(-36) == YearMonth(2028, 10)
    assert YearMonth(2031, 10).months_since(YearMonth(2030, 5)) == 17
    assert str(YearMonth(2025, 2)) == "2025-02"
    assert YearMonth.parse("2025-02") == YearMonth(2025, 2)
    assert YearMonth(2024, 2).on_day(31) == date(2024, 2, 29)


def test_age():
    assert Age.from_months(725) == Age(60, 5)
    assert Age(60, 5).zh == "60岁5个月"
    assert str(Age(63)) == "63y"


def test_snapshot_is_json_ready_and_exact():
    inputs = PensionInput(
        retirement_age=Age(60, 3),
        contribution_months=360,
        min_contribution_months=180,
        average_contribution_index=Decimal("1.2"),
        local_average_monthly_wage=Decimal("8000.00"),
        personal_account_balance=Decimal("150000.00"),
        divisor_strategy=DivisorStrategy.INTERPOLATE_MONTHLY_1DP,
    )
    assert snapshot(inputs) == {
        "retirement_age": "60y3m",
        "contribution_months": 360,
        "min_contribution_months": 180,
        "average_contribution_index": "1.2",
        "local_average_monthly_wage": "8000.00",
        "personal_account_balance": "150000.00",
        "divisor_strategy": "INTERPOLATE_MONTHLY_1DP",
        "transitional_pension": "0.00",
    }

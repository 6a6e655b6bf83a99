"""Maternity allowance (benefit-rules.md (e)): the worked table at an employer average of 9,000."""

from decimal import Decimal

import pytest

from benefits.calculators.common import CalculationInputError
from benefits.calculators.maternity import MaternityCase, maternity_allowance


@pytest.mark.parametrize(
    ("case", "extra", "days", "amount"),
    [
        (MaternityCase.NORMAL, 0, 98, "29400.00"),
        (MaternityCase.DIFFICULT, 0, 113, "33900.00"),
        (MaternityCase.DIFFICULT, 1, 128, "38400.00"),
        (MaternityCase.MISCARRIAGE_EARLY, 0, 15, "4500.00"),
        (MaternityCase.MISCARRIAGE_LATE, 0, 42, "12600.00"),
        (MaternityCase.NORMAL, 2, 128, "38400.00"),  # triplets: 98 + 2 × 15
    ],
)
def test_worked_table(case, extra, days, amount):
    result = maternity_allowance(
        employer_average_monthly_wage=Decimal("9000"), case=case, extra_infants=extra
    )
    assert result.days == days
    assert result.daily_rate == Decimal("300.00")
    assert result.amount == Decimal(amount)


def test_provincial_extra_days_are_added():
    result = maternity_allowance(
        employer_average_monthly_wage=Decimal("9000"),
        case=MaternityCase.NORMAL,
        provincial_extra_days=60,
    )
    assert result.days == 158
    assert result.amount == Decimal("47400.00")


def test_daily_rate_is_rounded_to_the_fen_before_multiplying():
    result = maternity_allowance(
        employer_average_monthly_wage=Decimal("10000"), case=MaternityCase.NORMAL
    )
    assert result.daily_rate == Decimal("333.33")
    assert result.amount == Decimal("32666.34")


@pytest.mark.parametrize("case", [MaternityCase.MISCARRIAGE_EARLY, MaternityCase.MISCARRIAGE_LATE])
def test_extra_infants_with_a_miscarriage_is_bad_input(case):
    with pytest.raises(CalculationInputError) as error:
        maternity_allowance(
            employer_average_monthly_wage=Decimal("9000"), case=case, extra_infants=1
        )
    assert error.value.field == "extra_infants"

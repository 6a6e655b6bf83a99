"""Basic pension (benefit-rules.md (a)): every row of the divisor table, the month-level strategy,
worked examples 1 and 2, and the refusal below the minimum period."""

from datetime import date
from decimal import Decimal

import pytest

from benefits.calculators.common import Age, CalculationInputError
from benefits.calculators.pension import (
    DivisorStrategy,
    PensionInput,
    months_divisor,
    pension_calculate,
    pension_estimate,
)
from benefits.calculators.retirement import RetirementCategory

INTERPOLATE = DivisorStrategy.INTERPOLATE_MONTHLY_1DP
FLOOR = DivisorStrategy.FLOOR_WHOLE_YEAR

# 国发〔2005〕38号 annex as printed in benefit-rules.md (a).
TABLE = [
    (40, 233), (41, 230), (42, 226), (43, 223), (44, 220), (45, 216), (46, 212), (47, 208),
    (48, 204), (49, 199), (50, 195), (51, 190), (52, 185), (53, 180), (54, 175), (55, 170),
    (56, 164), (57, 158), (58, 152), (59, 145), (60, 139), (61, 132), (62, 125), (63, 117),
    (64, 109), (65, 101), (66, 93), (67, 84), (68, 75), (69, 65), (70, 56),
]  # fmt: skip


@pytest.mark.parametrize(("age", "months"), TABLE)
@pytest.mark.parametrize("strategy", [INTERPOLATE, FLOOR])
def test_every_row_of_the_divisor_table(age, months, strategy):
    assert months_divisor(Age(age), strategy) == Decimal(months)


@pytest.mark.parametrize(
    ("age", "interpolated"),
    [((60, 1), "138.4"), ((50, 1), "194.6"), ((60, 3), "137.3")],
)
def test_month_level_divisors(age, interpolated):
    assert months_divisor(Age(*age), INTERPOLATE) == Decimal(interpolated)


def test_floor_strategy_uses_the_completed_age():
    assert months_divisor(Age(60, 3), FLOOR) == Decimal(139)
    assert months_divisor(Age(62, 11), FLOOR) == Decimal(125)


@pytest.mark.parametrize("age", [Age(39, 11), Age(70, 1), Age(71)])
def test_ages_outside_the_table_are_refused(age):
    with pytest.raises(CalculationInputError) as error:
        months_divisor(age, INTERPOLATE)
    assert error.value.field == "retirement_age"


def _pension(age=None, months=360, balance="150000", strategy=FLOOR, minimum=180, **kw):
    return pension_calculate(
        PensionInput(
            retirement_age=age or Age(60),
            contribution_months=months,
            min_contribution_months=minimum,
            average_contribution_index=Decimal("1.2"),
            local_average_monthly_wage=Decimal("8000"),
            personal_account_balance=Decimal(balance),
            divisor_strategy=strategy,
            **kw,
        )
    )


def test_worked_example_1():
    result = _pension()
    assert result.is_eligible
    assert result.indexed_wage == Decimal("9600.00")
    assert result.base_pension == Decimal("2640.00")
    assert result.account_pension == Decimal("1079.14")
    assert result.total == Decimal("3719.14")


def test_worked_example_1_with_30_years_5_months():
    assert _pension(months=30 * 12 + 5).base_pension == Decimal("2676.67")


@pytest.mark.parametrize(
    ("age", "strategy", "account"),
    [
        (Age(55), INTERPOLATE, "882.35"),
        (Age(50), INTERPOLATE, "769.23"),
        (Age(60, 3), INTERPOLATE, "1092.50"),
        (Age(60, 3), FLOOR, "1079.14"),
    ],
)
def test_worked_example_2_divisors(age, strategy, account):
    assert _pension(age=age, strategy=strategy).account_pension == Decimal(account)


def test_below_the_minimum_it_refuses_and_states_the_shortfall():
    result = _pension(months=15 * 12 - 7)
    assert not result.is_eligible
    assert result.shortfall_months == 7
    assert result.base_pension is result.account_pension is result.total is None
    assert result.steps[-1].value == "7"


def test_exactly_the_minimum_is_enough():
    result = _pension(months=16 * 12, minimum=16 * 12)
    assert result.is_eligible
    assert result.shortfall_months == 0


def test_transitional_pension_is_added_to_the_total():
    result = _pension(transitional_pension=Decimal("300.00"))
    assert result.total == Decimal("4019.14")


def test_every_step_has_a_rule():
    assert all(step.rule for step in _pension().steps)


def test_estimate_at_statutory_age_uses_the_month_level_divisor():
    # Man born 1965-09: m = 8, delay 8 // 4 + 1 = 3, so 60y3m in 2025-12.
    estimate = pension_estimate(
        birth_date=date(1965, 9, 1),
        category=RetirementCategory.MALE,
        contribution_months=360,
        average_contribution_index=Decimal("1.2"),
        local_average_monthly_wage=Decimal("8000"),
        personal_account_balance=Decimal("150000"),
    )
    assert estimate.retirement.statutory_age == Age(60, 3)
    assert estimate.pension.months_divisor == Decimal("137.3")
    assert estimate.pension.account_pension == Decimal("1092.50")
    assert estimate.pension.base_pension == Decimal("2640.00")
    labels = [step.label_en for step in estimate.steps]
    assert labels.count("Minimum contribution period") == 1
    assert labels[0] == "Original statutory age"
    assert labels[-1] == "Monthly basic pension"


def test_estimate_refuses_more_contribution_months_than_a_working_life():
    with pytest.raises(CalculationInputError) as error:
        pension_estimate(
            birth_date=date(1964, 1, 1),
            category=RetirementCategory.MALE,
            contribution_months=(60 - 16) * 12 + 1,
            average_contribution_index=Decimal("1"),
            local_average_monthly_wage=Decimal("8000"),
            personal_account_balance=Decimal("0"),
        )
    assert error.value.field == "contribution_months"

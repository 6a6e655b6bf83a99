"""Unemployment insurance (benefit-rules.md (c)): eligibility, the duration bands and their
boundaries, carried-over months with the 24-month cap, the amount and the medical contribution."""

from datetime import date
from decimal import Decimal

import pytest

from benefits.calculators.common import CalculationInputError, YearMonth
from benefits.calculators.unemployment import (
    Refusal,
    unemployment_benefit,
    unemployment_entitlement,
    unemployment_medical_contribution,
)


@pytest.mark.parametrize(
    ("months", "eligible", "max_months"),
    [
        (0, False, 0),
        (11, False, 0),
        (12, True, 12),
        (59, True, 12),
        (60, True, 18),
        (119, True, 18),
        (120, True, 24),
        (400, True, 24),
    ],
)
def test_duration_bands(months, eligible, max_months):
    result = unemployment_entitlement(contribution_months=months)
    assert result.is_eligible is eligible
    assert result.max_months == max_months


def test_worked_example_seven_years_three_months():
    assert unemployment_entitlement(contribution_months=7 * 12 + 3).max_months == 18


def test_worked_example_carry_over_within_the_cap():
    # 12 unused months, then 2 more contribution years: 12 + 12 = 24.
    result = unemployment_entitlement(contribution_months=24, carried_over_months=12)
    assert result.new_months == 12
    assert result.max_months == 24


@pytest.mark.parametrize(
    ("months", "carried", "max_months"),
    [(60, 12, 24), (120, 24, 24), (60, 6, 24), (12, 5, 17)],
)
def test_carry_over_is_capped_at_24(months, carried, max_months):
    result = unemployment_entitlement(contribution_months=months, carried_over_months=carried)
    assert result.max_months == max_months


def test_unused_months_can_be_drawn_after_less_than_a_year_of_new_work():
    result = unemployment_entitlement(contribution_months=8, carried_over_months=6)
    assert result.is_eligible
    assert result.new_months == 0
    assert result.max_months == 6


def test_leaving_by_choice_or_not_registering_refuses():
    result = unemployment_entitlement(
        contribution_months=100, is_involuntary=False, is_registered=False
    )
    assert not result.is_eligible
    assert result.refusals == (Refusal.VOLUNTARY_LEAVING, Refusal.NOT_REGISTERED)
    assert result.max_months == 0


def test_carried_over_months_above_24_are_bad_input():
    with pytest.raises(CalculationInputError) as error:
        unemployment_entitlement(contribution_months=12, carried_over_months=25)
    assert error.value.field == "carried_over_months"


def test_amount_and_period_from_registration_day():
    entitlement = unemployment_entitlement(contribution_months=7 * 12 + 3)
    benefit = unemployment_benefit(
        entitlement=entitlement,
        monthly_amount=Decimal("2241"),
        registration_date=date(2025, 3, 10),
    )
    assert benefit.monthly_amount == Decimal("2241.00")
    assert benefit.months == 18
    assert benefit.total == Decimal("40338.00")
    assert benefit.first_day == date(2025, 3, 10)
    assert benefit.last_day == date(2026, 9, 9)


def test_amount_below_the_minimum_living_standard_is_refused():
    entitlement = unemployment_entitlement(contribution_months=24)
    with pytest.raises(CalculationInputError) as error:
        unemployment_benefit(
            entitlement=entitlement,
            monthly_amount=Decimal("900"),
            minimum_living_standard=Decimal("1000"),
        )
    assert error.value.field == "monthly_amount"


def test_no_benefit_without_eligibility():
    with pytest.raises(CalculationInputError):
        unemployment_benefit(
            entitlement=unemployment_entitlement(contribution_months=11),
            monthly_amount=Decimal("2000"),
        )


def test_the_fund_pays_the_monthly_medical_contribution():
    posting = unemployment_medical_contribution(
        period=YearMonth(2025, 4), contribution_base=Decimal("4200.00"), rate=Decimal("0.09")
    )
    assert posting.amount == Decimal("378.00")
    assert posting.payer == "unemployment_fund"
    assert "第四十八条" in posting.steps[0].rule

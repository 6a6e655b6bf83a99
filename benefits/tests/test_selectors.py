"""The regional figures the calculators take, read from effective-dated policy parameters."""

from datetime import date
from decimal import Decimal

import pytest

from benefits import selectors
from benefits.calculators.common import Age
from benefits.calculators.pension import DivisorStrategy, PensionInput, pension_calculate
from benefits.calculators.work_injury import SurvivorScaling
from core.models import PolicyParameter
from core.policy import KNOWN_KEYS, PolicyParameterMissingError

pytestmark = pytest.mark.django_db


def _set(key, value, valid_from=date(2025, 1, 1), region=None):
    PolicyParameter.objects.create(
        key=key, value=value, valid_from=valid_from, region=region, source="test"
    )


def test_benefit_keys_are_registered():
    for key in selectors.POLICY_KEYS:
        assert key in KNOWN_KEYS


def test_pension_policy_reads_the_regions_strategy_over_the_national_one(region):
    _set("average_monthly_wage", "8000.00", region=region)
    _set("pension_divisor_strategy", "FLOOR_WHOLE_YEAR")
    _set("pension_divisor_strategy", "INTERPOLATE_MONTHLY_1DP", date(2025, 6, 1), region)

    before = selectors.pension_policy_get(region=region, on=date(2025, 5, 31))
    after = selectors.pension_policy_get(region=region, on=date(2025, 6, 1))

    assert before.divisor_strategy is DivisorStrategy.FLOOR_WHOLE_YEAR
    assert after.divisor_strategy is DivisorStrategy.INTERPOLATE_MONTHLY_1DP
    assert after.local_average_monthly_wage == Decimal("8000.00")
    assert [source.key for source in after.sources] == [
        "average_monthly_wage",
        "pension_divisor_strategy",
    ]
    # Worked example 2, 60y3m: the region's strategy decides 1,092.50 or 1,079.14.
    for policy, account in ((before, "1079.14"), (after, "1092.50")):
        result = pension_calculate(
            PensionInput(
                retirement_age=Age(60, 3),
                contribution_months=360,
                min_contribution_months=180,
                average_contribution_index=Decimal("1.2"),
                local_average_monthly_wage=policy.local_average_monthly_wage,
                personal_account_balance=Decimal("150000"),
                divisor_strategy=policy.divisor_strategy,
            )
        )
        assert result.account_pension == Decimal(account)


def test_an_unknown_strategy_is_refused(region):
    _set("average_monthly_wage", "8000.00")
    _set("pension_divisor_strategy", "ROUND_TO_NEAREST")
    with pytest.raises(PolicyParameterMissingError):
        selectors.pension_policy_get(region=region, on=date(2025, 6, 1))


def test_a_missing_figure_is_refused_not_guessed(region):
    with pytest.raises(PolicyParameterMissingError):
        selectors.unemployment_policy_get(region=region, on=date(2025, 6, 1))


def test_unemployment_policy(region):
    _set("ui_monthly_amount", "2241.00", region=region)
    _set("ui_medical_contribution_base", "4200.00", region=region)
    _set("ui_medical_contribution_rate", "0.09")
    policy = selectors.unemployment_policy_get(region=region, on=date(2025, 6, 1))
    assert policy.monthly_amount == Decimal("2241.00")
    assert policy.medical_contribution_rate == Decimal("0.09")


def test_work_injury_policy_without_a_minimum_wage(region):
    _set("wi_average_monthly_wage", "7000.00", region=region)
    _set("national_urban_disposable_income", "51821")
    _set("wi_survivor_scaling", "PRO_RATA")
    policy = selectors.work_injury_policy_get(region=region, on=date(2025, 6, 1))
    assert policy.local_average_monthly_wage == Decimal("7000.00")
    assert policy.national_disposable_income == Decimal("51821")
    assert policy.minimum_monthly_wage is None
    assert policy.survivor_scaling is SurvivorScaling.PRO_RATA


def test_survivor_policy(region):
    _set("province_monthly_urban_disposable_income", "4500.00", region=region)
    assert selectors.survivor_policy_get(
        region=region, on=date(2025, 6, 1)
    ).monthly_income == Decimal("4500.00")


def test_maternity_divisor_defaults_to_30(region):
    assert selectors.maternity_policy_get(region=region, on=date(2025, 6, 1)).daily_divisor == 30
    _set("maternity_daily_divisor", "30.4", region=region)
    assert selectors.maternity_policy_get(
        region=region, on=date(2025, 6, 1)
    ).daily_divisor == Decimal("30.4")

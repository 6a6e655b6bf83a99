"""Reads for benefits: the regional and yearly figures the pure calculators take as arguments.

Each figure is an effective-dated policy parameter (core.policy): the value in force on the date
of the event (retirement, injury, death, registration) for the person's region, else its parent's,
else the national row. A decision stores the `sources` beside its snapshot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from benefits.calculators.maternity import DEFAULT_DAILY_DIVISOR
from benefits.calculators.pension import DivisorStrategy
from benefits.calculators.work_injury import SurvivorScaling
from core.models import Region
from core.policy import (
    PolicyParameterMissingError,
    PolicyValue,
    policy_value,
    register_key,
)

# The pension's 计发基数 is the foundation's key "average_monthly_wage".
PENSION_BASE_WAGE = "average_monthly_wage"
PENSION_DIVISOR_STRATEGY = "pension_divisor_strategy"
UI_MONTHLY_AMOUNT = "ui_monthly_amount"
UI_MEDICAL_BASE = "ui_medical_contribution_base"
UI_MEDICAL_RATE = "ui_medical_contribution_rate"
WI_AVERAGE_WAGE = "wi_average_monthly_wage"
MINIMUM_MONTHLY_WAGE = "minimum_monthly_wage"
NATIONAL_DISPOSABLE_INCOME = "national_urban_disposable_income"
WI_SURVIVOR_SCALING = "wi_survivor_scaling"
SURVIVOR_MONTHLY_INCOME = "province_monthly_urban_disposable_income"
MATERNITY_DAILY_DIVISOR = "maternity_daily_divisor"

POLICY_KEYS: dict[str, tuple[str, str]] = {
    PENSION_DIVISOR_STRATEGY: (
        "choice",
        "How the months-divisor table is read for ages with months: INTERPOLATE_MONTHLY_1DP or "
        "FLOOR_WHOLE_YEAR (计发月数; benefit-rules.md (a))",
    ),
    UI_MONTHLY_AMOUNT: (
        "decimal",
        "Unemployment benefit per month, yuan; not below the minimum living standard "
        "(失业保险金标准; SIL Art. 47)",
    ),
    UI_MEDICAL_BASE: (
        "decimal",
        "Monthly base of the medical contribution the UI fund pays for a beneficiary, yuan "
        "(SIL Art. 48)",
    ),
    UI_MEDICAL_RATE: (
        "decimal",
        "Rate of that medical contribution, e.g. 0.09 (SIL Art. 48; 经办条例 Art. 24)",
    ),
    WI_AVERAGE_WAGE: (
        "decimal",
        "Pooling-area prior-year average monthly wage for work injury, yuan: own-wage floor and "
        "cap, funeral grant, nursing allowance (工伤保险条例 Arts. 34, 39, 64)",
    ),
    MINIMUM_MONTHLY_WAGE: (
        "decimal",
        "Local minimum monthly wage, yuan: work-injury allowance top-up (工伤保险条例 Arts. 35-36)",
    ),
    NATIONAL_DISPOSABLE_INCOME: (
        "decimal",
        "Prior-year national urban per-capita disposable income, yuan a year: work-injury death "
        "grant (工伤保险条例 Art. 39); national row",
    ),
    WI_SURVIVOR_SCALING: (
        "choice",
        "How capped work-injury survivor pensions are scaled: PRO_RATA (工伤保险条例 Art. 39)",
    ),
    SURVIVOR_MONTHLY_INCOME: (
        "decimal",
        "Province's prior-year monthly urban per-capita disposable income, yuan: funeral subsidy "
        "and 抚恤金 (人社部发〔2021〕18号)",
    ),
    MATERNITY_DAILY_DIVISOR: (
        "decimal",
        "Days the employer's average monthly wage is divided by for the daily maternity "
        "allowance; 30 when not set (benefit-rules.md (e))",
    ),
}


def register_policy_keys() -> None:
    """Declare the parameters benefits reads, so the admin knows and checks them."""
    for key, (kind, description) in POLICY_KEYS.items():
        register_key(key, kind, description)


def _choice[E: enum.StrEnum](choices: type[E], value: PolicyValue) -> E:
    try:
        return choices(value.value)
    except ValueError:
        allowed = ", ".join(choice.value for choice in choices)
        raise PolicyParameterMissingError(
            f"policy parameter {value.key} is {value.value!r}, not one of {allowed}",
            key=value.key,
        ) from None


@dataclass(frozen=True)
class PensionPolicy:
    local_average_monthly_wage: Decimal
    divisor_strategy: DivisorStrategy
    sources: tuple[PolicyValue, ...]


def pension_policy_get(*, region: Region | None, on: date) -> PensionPolicy:
    """计发基数 and the divisor strategy in force at retirement (benefit-rules.md (a))."""
    wage = policy_value(PENSION_BASE_WAGE, on=on, region=region)
    strategy = policy_value(PENSION_DIVISOR_STRATEGY, on=on, region=region)
    return PensionPolicy(wage.as_decimal(), _choice(DivisorStrategy, strategy), (wage, strategy))


@dataclass(frozen=True)
class UnemploymentPolicy:
    monthly_amount: Decimal
    medical_contribution_base: Decimal
    medical_contribution_rate: Decimal
    sources: tuple[PolicyValue, ...]


def unemployment_policy_get(*, region: Region | None, on: date) -> UnemploymentPolicy:
    """The monthly benefit and the medical contribution the fund pays (SIL Arts. 47-48)."""
    amount = policy_value(UI_MONTHLY_AMOUNT, on=on, region=region)
    base = policy_value(UI_MEDICAL_BASE, on=on, region=region)
    rate = policy_value(UI_MEDICAL_RATE, on=on, region=region)
    return UnemploymentPolicy(
        amount.as_decimal(), base.as_decimal(), rate.as_decimal(), (amount, base, rate)
    )


@dataclass(frozen=True)
class WorkInjuryPolicy:
    local_average_monthly_wage: Decimal
    national_disposable_income: Decimal
    minimum_monthly_wage: Decimal | None
    survivor_scaling: SurvivorScaling
    sources: tuple[PolicyValue, ...]


def work_injury_policy_get(*, region: Region | None, on: date) -> WorkInjuryPolicy:
    """Average wage, national income, minimum wage and survivor scaling (工伤保险条例)."""
    wage = policy_value(WI_AVERAGE_WAGE, on=on, region=region)
    income = policy_value(NATIONAL_DISPOSABLE_INCOME, on=on, region=region)
    scaling = policy_value(WI_SURVIVOR_SCALING, on=on, region=region)
    sources = [wage, income, scaling]
    try:
        minimum = policy_value(MINIMUM_MONTHLY_WAGE, on=on, region=region)
    except PolicyParameterMissingError:
        minimum_wage = None  # no top-up can be computed; the award states it
    else:
        minimum_wage = minimum.as_decimal()
        sources.append(minimum)
    return WorkInjuryPolicy(
        wage.as_decimal(),
        income.as_decimal(),
        minimum_wage,
        _choice(SurvivorScaling, scaling),
        tuple(sources),
    )


@dataclass(frozen=True)
class SurvivorPolicy:
    monthly_income: Decimal
    sources: tuple[PolicyValue, ...]


def survivor_policy_get(*, region: Region | None, on: date) -> SurvivorPolicy:
    """The province's prior-year monthly urban income at the death (人社部发〔2021〕18号)."""
    income = policy_value(SURVIVOR_MONTHLY_INCOME, on=on, region=region)
    return SurvivorPolicy(income.as_decimal(), (income,))


@dataclass(frozen=True)
class MaternityPolicy:
    daily_divisor: Decimal
    sources: tuple[PolicyValue, ...]


def maternity_policy_get(*, region: Region | None, on: date) -> MaternityPolicy:
    """The daily divisor for the maternity allowance: the region's, else the common 30."""
    try:
        divisor = policy_value(MATERNITY_DAILY_DIVISOR, on=on, region=region)
    except PolicyParameterMissingError:
        return MaternityPolicy(DEFAULT_DAILY_DIVISOR, ())
    return MaternityPolicy(divisor.as_decimal(), (divisor,))

"""Enterprise employee basic pension at retirement: base pension plus personal-account pension.

Legal basis (benefit-rules.md (a)): SIL Art. 15-16; 国发〔2005〕38号 §6 and its annex (计发月数).
Regional figures (the 计发基数 and how to read the divisor table for ages that are not whole years)
come in as arguments; benefits.selectors reads them from the effective-dated policy parameters.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from benefits.calculators.common import (
    ZERO,
    Age,
    CalculationInputError,
    Step,
    fmt_money,
    money,
    years_months_en,
    years_months_zh,
)
from benefits.calculators.retirement import ART_1 as RETIREMENT_ART_1
from benefits.calculators.retirement import (
    RetirementCategory,
    RetirementResult,
    statutory_retirement,
)

RULE_VERSION = "pension@2006-01-01/1"  # 国发〔2005〕38号 §6 and annex; SIL Arts. 15-16

GF_2005_38 = "国发〔2005〕38号 第六条"
GF_2005_38_ANNEX = "国发〔2005〕38号 附件（个人账户养老金计发月数表）"
SIL_16 = "社会保险法 第十六条; 国务院关于渐进式延迟法定退休年龄的办法 第二条"
SIL_15 = "社会保险法 第十五条"

# 国发〔2005〕38号 annex: months divisor (计发月数) by age at retirement in whole years.
# Age 47: most sources give 208, one gives 207 (benefit-rules.md (a)); it only affects special
# early retirement.
DIVISOR_TABLE: dict[int, int] = {
    40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 208,
    48: 204, 49: 199, 50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170,
    56: 164, 57: 158, 58: 152, 59: 145, 60: 139, 61: 132, 62: 125, 63: 117,
    64: 109, 65: 101, 66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
}  # fmt: skip
DIVISOR_MIN_AGE = min(DIVISOR_TABLE)
DIVISOR_MAX_AGE = max(DIVISOR_TABLE)
BASE_PENSION_RATE_PER_YEAR = Decimal("0.01")  # 国发〔2005〕38号 §6: 缴费每满1年发给1%


class DivisorStrategy(enum.StrEnum):
    """How a province reads the table for an age that is not whole years (e.g. 60y3m).

    UNVERIFIED nationally (benefit-rules.md (a)): Jinan and a Sichuan case (2025) interpolate by
    month and round to one decimal (60y1m -> 138.4); older guidance uses the completed age.
    """

    INTERPOLATE_MONTHLY_1DP = "INTERPOLATE_MONTHLY_1DP"
    FLOOR_WHOLE_YEAR = "FLOOR_WHOLE_YEAR"


# The public estimator's national default: after 2025 nearly every statutory age has months, and the
# month-level table is what the provinces that have answered (Jinan, Sichuan, 2025) use.
DEFAULT_DIVISOR_STRATEGY = DivisorStrategy.INTERPOLATE_MONTHLY_1DP


def months_divisor(age: Age, strategy: DivisorStrategy) -> Decimal:
    """计发月数 for a retirement age (国发〔2005〕38号 annex; the strategy is regional)."""
    if not DIVISOR_MIN_AGE <= age.years <= DIVISOR_MAX_AGE or (
        age.years == DIVISOR_MAX_AGE and age.months
    ):
        raise CalculationInputError(
            "retirement_age",
            f"the divisor table covers ages {DIVISOR_MIN_AGE} to {DIVISOR_MAX_AGE}, not {age}",
            f"计发月数表只适用于{DIVISOR_MIN_AGE}至{DIVISOR_MAX_AGE}岁，不适用于{age.zh}",
        )
    whole = Decimal(DIVISOR_TABLE[age.years])
    if strategy is DivisorStrategy.FLOOR_WHOLE_YEAR or age.months == 0:
        return whole
    # Linear between this year and the next, rounded half-up to one decimal:
    # 60y1m = 139 − 7 × 1/12 = 138.42 -> 138.4; 60y3m = 139 − 7 × 3/12 = 137.25 -> 137.3.
    drop = whole - DIVISOR_TABLE[age.years + 1]
    exact = whole - drop * age.months / 12
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PensionInput:
    retirement_age: Age
    contribution_months: int  # actual + deemed (视同缴费), counted to the month
    min_contribution_months: int  # for the year statutory age is reached (retirement.py)
    average_contribution_index: Decimal  # 平均缴费指数
    local_average_monthly_wage: (
        Decimal  # 计发基数: local prior-year average monthly wage (regional)
    )
    personal_account_balance: Decimal  # at retirement
    divisor_strategy: DivisorStrategy  # regional
    transitional_pension: Decimal = ZERO  # 过渡性养老金: provincial formula, computed elsewhere


@dataclass(frozen=True)
class PensionResult:
    inputs: PensionInput
    is_eligible: bool
    shortfall_months: int
    months_divisor: Decimal
    indexed_wage: Decimal | None
    base_pension: Decimal | None
    account_pension: Decimal | None
    transitional_pension: Decimal | None
    total: Decimal | None
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


def pension_calculate(inputs: PensionInput) -> PensionResult:
    """Monthly basic pension at retirement, or a refusal stating the contribution shortfall."""
    _check(inputs)
    divisor = months_divisor(inputs.retirement_age, inputs.divisor_strategy)
    months, minimum = inputs.contribution_months, inputs.min_contribution_months
    steps = [
        Step(
            "累计缴费年限（含视同）",
            "Contribution period (incl. deemed)",
            f"{years_months_en(months)} ({months})",
            SIL_16,
            value_zh=f"{years_months_zh(months)}（{months}个月）",
        ),
        Step(
            "最低缴费年限",
            "Minimum contribution period",
            f"{years_months_en(minimum)} ({minimum})",
            SIL_16,
            value_zh=f"{years_months_zh(minimum)}（{minimum}个月）",
        ),
    ]
    # SIL Art. 16: below the minimum there is no monthly pension; the person may keep paying.
    if months < minimum:
        shortfall = minimum - months
        steps.append(
            Step(
                "不符合按月领取条件：尚差缴费月数",
                "Not eligible for a monthly pension: months short",
                str(shortfall),
                SIL_16,
                f"{minimum} − {months}",
            )
        )
        return PensionResult(
            inputs, False, shortfall, divisor, None, None, None, None, None, tuple(steps)
        )

    wage = inputs.local_average_monthly_wage
    # 国发〔2005〕38号 §6: indexed average monthly contribution wage = 计发基数 × average index.
    indexed = money(wage * inputs.average_contribution_index)
    # 国发〔2005〕38号 §6: base pension = (wage + indexed wage) / 2 × years × 1%, years to the
    # month (benefit-rules.md (a): 计算到月).
    base = money(
        Fraction(wage + indexed) / 2 * Fraction(months, 12) * Fraction(BASE_PENSION_RATE_PER_YEAR)
    )
    # 国发〔2005〕38号 §6 and annex: account pension = account balance / months divisor.
    account = money(Fraction(inputs.personal_account_balance) / Fraction(divisor))
    transitional = money(inputs.transitional_pension)
    # SIL Art. 15: basic pension = pooled (base) pension + account pension (+ transitional).
    total = base + account + transitional
    years = (Decimal(months) / 12).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    steps += [
        Step(
            "指数化月平均缴费工资",
            "Indexed average monthly contribution wage",
            fmt_money(indexed),
            GF_2005_38,
            f"{fmt_money(wage)} × {inputs.average_contribution_index}",
        ),
        Step(
            "基础养老金",
            "Base pension",
            fmt_money(base),
            GF_2005_38,
            f"({fmt_money(wage)} + {fmt_money(indexed)}) / 2 × {years} × 1%",
        ),
        Step(
            "计发月数",
            "Months divisor",
            f"{divisor}",
            f"{GF_2005_38_ANNEX}; {inputs.divisor_strategy.value}",
            f"{inputs.retirement_age}",
        ),
        Step(
            "个人账户养老金",
            "Personal-account pension",
            fmt_money(account),
            GF_2005_38,
            f"{fmt_money(inputs.personal_account_balance)} / {divisor}",
        ),
    ]
    if transitional:
        steps.append(
            Step(
                "过渡性养老金",
                "Transitional pension",
                fmt_money(transitional),
                "国发〔2005〕38号 第六条（省级办法）",
            )
        )
    parts = [fmt_money(base), fmt_money(account)] + (
        [fmt_money(transitional)] if transitional else []
    )
    steps.append(
        Step(
            "基本养老金月标准", "Monthly basic pension", fmt_money(total), SIL_15, " + ".join(parts)
        )
    )
    return PensionResult(
        inputs, True, 0, divisor, indexed, base, account, transitional, total, tuple(steps)
    )


def _check(inputs: PensionInput) -> None:
    checks = [
        (
            "contribution_months",
            inputs.contribution_months >= 0,
            "must not be negative",
            "不能为负数",
        ),
        (
            "average_contribution_index",
            inputs.average_contribution_index > 0,
            "must be more than 0",
            "必须大于0",
        ),
        (
            "local_average_monthly_wage",
            inputs.local_average_monthly_wage > 0,
            "must be more than 0",
            "必须大于0",
        ),
        (
            "personal_account_balance",
            inputs.personal_account_balance >= 0,
            "must not be negative",
            "不能为负数",
        ),
    ]
    for field, ok, message_en, message_zh in checks:
        if not ok:
            raise CalculationInputError(field, message_en, message_zh)


# A person starts work at 16 at the earliest (劳动法 第十五条), so no more contribution months than
# the months between 16 and retirement can be real.
MIN_WORKING_AGE = Age(16)


@dataclass(frozen=True)
class PensionEstimate:
    retirement: RetirementResult
    pension: PensionResult

    @property
    def steps(self) -> tuple[Step, ...]:
        """How the retirement age was reached (办法 Art. 1), then the pension's own steps."""
        age_steps = tuple(step for step in self.retirement.steps if step.rule == RETIREMENT_ART_1)
        return age_steps + self.pension.steps


def pension_estimate(
    *,
    birth_date: date,
    category: RetirementCategory,
    contribution_months: int,
    average_contribution_index: Decimal,
    local_average_monthly_wage: Decimal,
    personal_account_balance: Decimal,
    divisor_strategy: DivisorStrategy = DEFAULT_DIVISOR_STRATEGY,
) -> PensionEstimate:
    """The pension of a person who retires at the statutory month (the public estimator)."""
    retirement = statutory_retirement(birth_date, category)
    working_months = retirement.statutory_age.total_months - MIN_WORKING_AGE.total_months
    if contribution_months > working_months:
        raise CalculationInputError(
            "contribution_months",
            f"more than the {working_months} months between age 16 and retirement",
            f"超过了16岁至退休之间的{working_months}个月",
        )
    pension = pension_calculate(
        PensionInput(
            retirement_age=retirement.statutory_age,
            contribution_months=contribution_months,
            min_contribution_months=retirement.min_contribution_months,
            average_contribution_index=average_contribution_index,
            local_average_monthly_wage=local_average_monthly_wage,
            personal_account_balance=personal_account_balance,
            divisor_strategy=divisor_strategy,
        )
    )
    return PensionEstimate(retirement, pension)

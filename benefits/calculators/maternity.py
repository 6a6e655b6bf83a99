"""Maternity allowance (生育津贴): the leave days for the case × the employer's average daily wage.

Legal basis (benefit-rules.md (e)): SIL Art. 56; 女职工劳动保护特别规定 (2012) Arts. 7-8.
The divisor of 30 (daily rate = monthly average / 30) is the common local formula (UNVERIFIED),
so it is an argument with that default; provincial extra leave days are an argument too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from benefits.calculators.common import CalculationInputError, Step, fmt_money, money

RULE_VERSION = "maternity@2012-04-28/1"  # 女职工劳动保护特别规定 (2012) Arts. 7-8; SIL Art. 56

ART_7 = "女职工劳动保护特别规定 第七条"
ART_8 = "社会保险法 第五十六条; 女职工劳动保护特别规定 第八条"
DAILY_RATE_RULE = "地方通行算法：月平均工资 ÷ 30（各地可能不同）"

NORMAL_BIRTH_DAYS = 98  # Art. 7 ¶1: 女职工生育享受98天产假
DIFFICULT_BIRTH_EXTRA_DAYS = 15  # Art. 7 ¶1: 难产的，增加产假15天
EXTRA_INFANT_DAYS = 15  # Art. 7 ¶1: 生育多胞胎的，每多生育1个婴儿，增加产假15天
MISCARRIAGE_EARLY_DAYS = 15  # Art. 7 ¶2: 怀孕未满4个月流产的，享受15天产假
MISCARRIAGE_LATE_DAYS = 42  # Art. 7 ¶2: 怀孕满4个月流产的，享受42天产假
DEFAULT_DAILY_DIVISOR = Decimal(30)


class MaternityCase(enum.StrEnum):
    NORMAL = "normal"
    DIFFICULT = "difficult"
    MISCARRIAGE_EARLY = "miscarriage_early"  # before 4 months of pregnancy
    MISCARRIAGE_LATE = "miscarriage_late"  # at 4 months or later

    @property
    def is_birth(self) -> bool:
        return self in (MaternityCase.NORMAL, MaternityCase.DIFFICULT)


def maternity_leave_days(case: MaternityCase, extra_infants: int = 0) -> int:
    """Statutory leave days for the case (女职工劳动保护特别规定 Art. 7)."""
    if extra_infants < 0:
        raise CalculationInputError("extra_infants", "must not be negative", "不能为负数")
    if not case.is_birth and extra_infants:
        raise CalculationInputError(
            "extra_infants",
            "must be 0 for a miscarriage",
            "流产时多胞胎增加的婴儿数必须为0",
        )
    if case is MaternityCase.MISCARRIAGE_EARLY:
        return MISCARRIAGE_EARLY_DAYS
    if case is MaternityCase.MISCARRIAGE_LATE:
        return MISCARRIAGE_LATE_DAYS
    days = NORMAL_BIRTH_DAYS + EXTRA_INFANT_DAYS * extra_infants
    return days + (DIFFICULT_BIRTH_EXTRA_DAYS if case is MaternityCase.DIFFICULT else 0)


@dataclass(frozen=True)
class MaternityResult:
    case: MaternityCase
    extra_infants: int
    statutory_days: int
    provincial_extra_days: int
    days: int
    daily_rate: Decimal
    amount: Decimal
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


_CASE_ZH = {
    MaternityCase.NORMAL: "顺产",
    MaternityCase.DIFFICULT: "难产",
    MaternityCase.MISCARRIAGE_EARLY: "怀孕未满4个月流产",
    MaternityCase.MISCARRIAGE_LATE: "怀孕满4个月流产",
}
_CASE_EN = {
    MaternityCase.NORMAL: "normal birth",
    MaternityCase.DIFFICULT: "difficult birth",
    MaternityCase.MISCARRIAGE_EARLY: "miscarriage before 4 months",
    MaternityCase.MISCARRIAGE_LATE: "miscarriage at 4 months or later",
}


def maternity_allowance(
    *,
    employer_average_monthly_wage: Decimal,
    case: MaternityCase,
    extra_infants: int = 0,
    provincial_extra_days: int = 0,
    daily_divisor: Decimal = DEFAULT_DAILY_DIVISOR,
) -> MaternityResult:
    """Maternity allowance = days × the employer's prior-year average monthly wage / 30."""
    if employer_average_monthly_wage <= 0:
        raise CalculationInputError(
            "employer_average_monthly_wage", "must be more than 0", "必须大于0"
        )
    if provincial_extra_days < 0:
        raise CalculationInputError("provincial_extra_days", "must not be negative", "不能为负数")
    statutory = maternity_leave_days(case, extra_infants)
    days = statutory + provincial_extra_days
    # The daily rate is the step the rule names, so it is rounded to the fen before multiplying;
    # the decision page then shows a product that adds up.
    daily = money(employer_average_monthly_wage / daily_divisor)
    amount = money(daily * days)
    wage = fmt_money(employer_average_monthly_wage)
    formula = f"98 + 15 × {extra_infants}" if case.is_birth else ""
    if case is MaternityCase.DIFFICULT:
        formula += " + 15"
    steps = [
        Step(
            f"产假天数（{_CASE_ZH[case]}）",
            f"Leave days ({_CASE_EN[case]})",
            str(statutory),
            ART_7,
            formula,
        ),
    ]
    if provincial_extra_days:
        steps.append(
            Step(
                "地方延长生育假天数",
                "Provincial extra leave days",
                str(provincial_extra_days),
                "省级人口与计划生育条例",
            )
        )
    steps += [
        Step(
            "日津贴标准",
            "Daily rate",
            fmt_money(daily),
            f"{ART_8}; {DAILY_RATE_RULE}",
            f"{wage} / {daily_divisor}",
        ),
        Step(
            "生育津贴",
            "Maternity allowance",
            fmt_money(amount),
            ART_8,
            f"{fmt_money(daily)} × {days}",
        ),
    ]
    return MaternityResult(
        case, extra_infants, statutory, provincial_extra_days, days, daily, amount, tuple(steps)
    )

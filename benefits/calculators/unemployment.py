"""Unemployment insurance: eligibility, the maximum months, the amount, the medical contributions.

Legal basis (benefit-rules.md (c)): SIL Arts. 45-48 and 50; 失业保险条例 (UIR) Arts. 14, 17, 18;
经办条例 Art. 24. The monthly amount and the medical contribution figures are regional arguments.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from benefits.calculators.common import (
    CalculationInputError,
    Step,
    YearMonth,
    fmt_money,
    fmt_percent,
    money,
    years_months_en,
    years_months_zh,
)

RULE_VERSION = "unemployment@2011-07-01/1"  # SIL (2010, in force 2011-07-01) Arts. 45-48; UIR

SIL_45 = "社会保险法 第四十五条; 失业保险条例 第十四条"
SIL_46 = "社会保险法 第四十六条; 失业保险条例 第十七条"
SIL_47 = "社会保险法 第四十七条; 失业保险条例 第十八条"
SIL_48 = "社会保险法 第四十八条; 社会保险经办条例 第二十四条"
SIL_50 = "社会保险法 第五十条"
# 失业保险金申领发放办法 (劳动和社会保障部令第8号) 第十五条(二). VERIFIED (secondary): quoted
# identically on several stored pages; not in benefit-rules.md.
CLAIM_RULES_15 = "失业保险金申领发放办法 第十五条"

MIN_CONTRIBUTION_MONTHS = 12  # SIL Art. 45(1): 缴纳失业保险费满一年
MAX_COMBINED_MONTHS = 24  # SIL Art. 46: 合并计算，最长不超过二十四个月

# SIL Art. 46: 满一年不足五年 -> 12; 满五年不足十年 -> 18; 十年以上 -> 24 (以上 includes 10:
# 民法典 Art. 1259).
DURATION_BANDS: tuple[tuple[int, int], ...] = (
    (10 * 12, 24),
    (5 * 12, 18),
    (1 * 12, 12),
)


class Refusal(enum.StrEnum):
    TOO_FEW_CONTRIBUTIONS = "too_few_contributions"  # SIL Art. 45(1)
    VOLUNTARY_LEAVING = "voluntary_leaving"  # SIL Art. 45(2)
    NOT_REGISTERED = "not_registered"  # SIL Art. 45(3)


def maximum_months(contribution_months: int) -> int:
    """Longest benefit period for one spell's contributions (SIL Art. 46); 0 below a year."""
    for at_least, months in DURATION_BANDS:
        if contribution_months >= at_least:
            return months
    return 0


@dataclass(frozen=True)
class UnemploymentEntitlement:
    contribution_months: int
    carried_over_months: int
    is_eligible: bool
    refusals: tuple[Refusal, ...]
    new_months: int  # from this spell's contributions
    max_months: int  # new + carried over, capped at 24; 0 when not eligible
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


def unemployment_entitlement(
    *,
    contribution_months: int,
    carried_over_months: int = 0,
    is_involuntary: bool = True,
    is_registered: bool = True,
) -> UnemploymentEntitlement:
    """Eligibility and the maximum months of unemployment benefit (SIL Arts. 45-46)."""
    if contribution_months < 0:
        raise CalculationInputError("contribution_months", "must not be negative", "不能为负数")
    if not 0 <= carried_over_months <= MAX_COMBINED_MONTHS:
        raise CalculationInputError(
            "carried_over_months", "must be between 0 and 24", "必须在0至24之间"
        )
    new_months = maximum_months(contribution_months)
    steps = [
        Step(
            "累计缴费时间",
            "Cumulative contributions",
            years_months_en(contribution_months),
            SIL_46,
            value_zh=years_months_zh(contribution_months),
        ),
        Step(
            "本次缴费可领取期限（月）",
            "Months from this period's contributions",
            str(new_months),
            SIL_46,
            "≥120 → 24; ≥60 → 18; ≥12 → 12; <12 → 0",
        ),
    ]
    refusals: list[Refusal] = []
    # SIL Art. 45(1) needs a full year; a person who found work while on benefit and lost it
    # within a year may still draw the months left from the last spell (申领发放办法 Art. 15(二)).
    if new_months == 0 and carried_over_months == 0:
        refusals.append(Refusal.TOO_FEW_CONTRIBUTIONS)
    if not is_involuntary:
        refusals.append(Refusal.VOLUNTARY_LEAVING)
    if not is_registered:
        refusals.append(Refusal.NOT_REGISTERED)
    eligible = not refusals
    combined = min(MAX_COMBINED_MONTHS, new_months + carried_over_months) if eligible else 0
    if carried_over_months:
        steps.append(
            Step(
                "前次失业尚未领取的月数",
                "Unused months from the last spell",
                str(carried_over_months),
                f"{SIL_46}; {CLAIM_RULES_15}",
            )
        )
    if eligible:
        steps.append(
            Step(
                "最长领取期限（月）",
                "Maximum months of benefit",
                str(combined),
                SIL_46,
                f"min(24, {new_months} + {carried_over_months})",
            )
        )
    else:
        steps.append(
            Step(
                "不符合领取条件",
                "Not eligible",
                ", ".join(refusals),
                SIL_45,
                f"{contribution_months} < {MIN_CONTRIBUTION_MONTHS}"
                if Refusal.TOO_FEW_CONTRIBUTIONS in refusals
                else "",
            )
        )
    return UnemploymentEntitlement(
        contribution_months=contribution_months,
        carried_over_months=carried_over_months,
        is_eligible=eligible,
        refusals=tuple(refusals),
        new_months=new_months,
        max_months=combined,
        steps=tuple(steps),
    )


@dataclass(frozen=True)
class UnemploymentBenefit:
    entitlement: UnemploymentEntitlement
    monthly_amount: Decimal
    months: int
    total: Decimal
    first_day: date | None
    last_day: date | None
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


def unemployment_benefit(
    *,
    entitlement: UnemploymentEntitlement,
    monthly_amount: Decimal,
    registration_date: date | None = None,
    minimum_living_standard: Decimal | None = None,
) -> UnemploymentBenefit:
    """The monthly amount (a regional figure) over the entitled months, from registration day."""
    if not entitlement.is_eligible:
        raise CalculationInputError(
            "contribution_months", "the person is not eligible", "不符合领取失业保险金条件"
        )
    amount = money(monthly_amount)
    # SIL Art. 47: the province sets it, never below the urban minimum living standard (低保).
    if minimum_living_standard is not None and amount < minimum_living_standard:
        raise CalculationInputError(
            "monthly_amount",
            f"{amount} is below the minimum living standard {minimum_living_standard}",
            f"{amount}低于城市居民最低生活保障标准{minimum_living_standard}",
        )
    months = entitlement.max_months
    total = amount * months
    steps = [
        *entitlement.steps,
        Step("失业保险金月标准", "Monthly unemployment benefit", fmt_money(amount), SIL_47),
        Step(
            "最长可领取总额",
            "Most that can be paid",
            fmt_money(total),
            SIL_46,
            f"{fmt_money(amount)} × {months}",
        ),
    ]
    first = last = None
    if registration_date is not None:
        # SIL Art. 50 ¶3: benefit runs from the day of unemployment registration, month by month.
        first = registration_date
        last = _months_after(registration_date, months) - timedelta(days=1)
        steps.append(
            Step(
                "领取期间",
                "Benefit period",
                f"{first.isoformat()} – {last.isoformat()}",
                SIL_50,
            )
        )
    return UnemploymentBenefit(entitlement, amount, months, total, first, last, tuple(steps))


def _months_after(day: date, months: int) -> date:
    return YearMonth.of(day).plus(months).on_day(day.day)


@dataclass(frozen=True)
class MedicalContributionPosting:
    """One month's basic medical insurance contribution that the UI fund pays for the person."""

    period: YearMonth
    contribution_base: Decimal
    rate: Decimal
    amount: Decimal
    payer: str  # always the unemployment insurance fund: the person pays nothing (SIL Art. 48)
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


UI_FUND = "unemployment_fund"


def unemployment_medical_contribution(
    *, period: YearMonth, contribution_base: Decimal, rate: Decimal
) -> MedicalContributionPosting:
    """The monthly medical contribution the UI fund pays (SIL Art. 48; 经办条例 Art. 24).

    The base and rate are regional (local medical insurance rules); the person pays nothing.
    """
    if contribution_base < 0:
        raise CalculationInputError("contribution_base", "must not be negative", "不能为负数")
    if not 0 <= rate < 1:
        raise CalculationInputError("rate", "must be between 0 and 1", "必须在0至1之间")
    amount = money(contribution_base * rate)
    steps = (
        Step(
            "失业保险基金代缴基本医疗保险费",
            "Medical insurance contribution paid by the UI fund",
            fmt_money(amount),
            SIL_48,
            f"{fmt_money(contribution_base)} × {fmt_percent(rate)}",
        ),
    )
    return MedicalContributionPosting(period, contribution_base, rate, amount, UI_FUND, steps)

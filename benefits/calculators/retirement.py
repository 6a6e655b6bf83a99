"""Statutory retirement age and month under the gradual reform, and the minimum contribution months.

Legal basis (benefit-rules.md (b)): 全国人大常委会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13,
in force 2025-01-01) and its annex 国务院关于渐进式延迟法定退休年龄的办法 (the 办法), Arts. 1-3.
The law counts in months: the day of birth never matters.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from benefits.calculators.common import Age, Step, YearMonth, years_months_en, years_months_zh

RULE_VERSION = "retirement@2025-01-01/1"  # 办法 (2024-09-13) Arts. 1-3, in force 2025-01-01

ART_1 = "国务院关于渐进式延迟法定退休年龄的办法 第一条"
ART_2 = "国务院关于渐进式延迟法定退休年龄的办法 第二条"
ART_3 = "国务院关于渐进式延迟法定退休年龄的办法 第三条"

REFORM_IN_FORCE = YearMonth(2025, 1)
FLEXIBLE_MAX_MONTHS = 36  # 办法 Art. 3: early or delayed by at most three years


class RetirementCategory(enum.StrEnum):
    MALE = "male"  # 男职工, original age 60
    FEMALE_55 = "female_55"  # 原法定退休年龄为五十五周岁的女职工 (management and technical posts)
    FEMALE_50 = "female_50"  # 原法定退休年龄为五十周岁的女职工 (women workers)

    @property
    def label_zh(self) -> str:
        return {
            "male": "男职工（原退休年龄60岁）",
            "female_55": "女职工（原退休年龄55岁）",
            "female_50": "女职工（原退休年龄50岁）",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "male": "Man (original age 60)",
            "female_55": "Woman, original age 55",
            "female_50": "Woman, original age 50",
        }[self.value]


@dataclass(frozen=True)
class ReformSchedule:
    original_age: int  # years
    step_months: int  # one month of delay for every `step_months` months of birth
    max_delay_months: int
    first_cohort: YearMonth  # the first birth month whose original retirement falls in 2025-01


# 办法 Art. 1: men and women of original age 55 are delayed one month every four months, up to 63
# and 58 (36 months); women of original age 50 one month every two months, up to 55 (60 months).
REFORM: dict[RetirementCategory, ReformSchedule] = {
    RetirementCategory.MALE: ReformSchedule(60, 4, 36, YearMonth(1965, 1)),
    RetirementCategory.FEMALE_55: ReformSchedule(55, 4, 36, YearMonth(1970, 1)),
    RetirementCategory.FEMALE_50: ReformSchedule(50, 2, 60, YearMonth(1975, 1)),
}

# 办法 Art. 2: from 2030-01-01 the minimum rises from 15 years by six months a year to 20 years.
MIN_CONTRIBUTION_BASE_MONTHS = 15 * 12
MIN_CONTRIBUTION_FINAL_MONTHS = 20 * 12
MIN_CONTRIBUTION_FIRST_RISE_YEAR = 2030
MIN_CONTRIBUTION_RISE_PER_YEAR = 6


def min_contribution_months(year: int) -> int:
    """Minimum contribution months for a monthly pension, by the year statutory age is reached.

    办法 Art. 2 (and SIL Art. 16 before 2030): 15 years up to 2029, then +6 months a year from 2030,
    20 years from 2039.
    """
    rises = max(0, year - MIN_CONTRIBUTION_FIRST_RISE_YEAR + 1)
    return min(
        MIN_CONTRIBUTION_FINAL_MONTHS,
        MIN_CONTRIBUTION_BASE_MONTHS + MIN_CONTRIBUTION_RISE_PER_YEAR * rises,
    )


@dataclass(frozen=True)
class RetirementResult:
    birth_date: date
    category: RetirementCategory
    original_age: Age
    original_month: YearMonth
    delay_months: int
    statutory_age: Age
    retirement_month: YearMonth
    min_contribution_months: int
    is_flexible_available: bool  # False for people whose statutory month came before the reform
    earliest_month: YearMonth
    latest_month: YearMonth
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION

    @property
    def retirement_date(self) -> date:
        """Birth day-of-month in the retirement month, clamped to its end (benefit-rules.md (b))."""
        return self.retirement_month.on_day(self.birth_date.day)

    def age_in(self, month: YearMonth) -> Age:
        """The person's age in whole months in `month` (e.g. a flexible retirement month)."""
        return Age.from_months(month.months_since(YearMonth.of(self.birth_date)))


def statutory_retirement(birth_date: date, category: RetirementCategory) -> RetirementResult:
    """Statutory retirement age and month, minimum contribution months, flexible window."""
    schedule = REFORM[category]
    birth = YearMonth.of(birth_date)
    original_age = Age(schedule.original_age)
    original_month = birth.plus(original_age.total_months)
    # 办法 Art. 1 and annexes 1-3 (benefit-rules.md (b), exact algorithm): m counts the months from
    # the first delayed cohort; every started step of `step_months` adds one month, up to the max.
    m = birth.months_since(schedule.first_cohort)
    delay = 0 if m < 0 else min(schedule.max_delay_months, m // schedule.step_months + 1)
    statutory_age = Age.from_months(original_age.total_months + delay)
    retirement_month = original_month.plus(delay)
    minimum = min_contribution_months(retirement_month.year)

    # 办法 Art. 3: early retirement up to 36 months, never before the original age; delay up to
    # 36 months by agreement. Both are institutions of the reform: nobody whose statutory month
    # came before 2025-01 had them.
    flexible = retirement_month >= REFORM_IN_FORCE
    if flexible:
        earliest = max(original_month, retirement_month.plus(-FLEXIBLE_MAX_MONTHS))
        latest = retirement_month.plus(FLEXIBLE_MAX_MONTHS)
    else:
        earliest = latest = retirement_month

    steps = [
        Step(
            "原法定退休年龄",
            "Original statutory age",
            str(original_age),
            ART_1,
            value_zh=original_age.zh,
        ),
        Step("原退休年月", "Original retirement month", str(original_month), ART_1),
        Step(
            "延迟月数",
            "Months of delay",
            str(delay),
            ART_1,
            f"min({schedule.max_delay_months}, {m} // {schedule.step_months} + 1)"
            if m >= 0
            else f"{birth} < {schedule.first_cohort}: 0",
        ),
        Step(
            "法定退休年龄",
            "Statutory retirement age",
            str(statutory_age),
            ART_1,
            value_zh=statutory_age.zh,
        ),
        Step("法定退休年月", "Statutory retirement month", str(retirement_month), ART_1),
        Step(
            "最低缴费年限",
            "Minimum contribution period",
            f"{years_months_en(minimum)} ({minimum})",
            ART_2,
            f"{retirement_month.year}",
            value_zh=f"{years_months_zh(minimum)}（{minimum}个月）",
        ),
    ]
    if flexible:
        steps += [
            Step(
                "弹性提前退休最早年月",
                "Earliest flexible (early) retirement month",
                str(earliest),
                ART_3,
                f"max({original_month}, {retirement_month} − 36)",
            ),
            Step(
                "弹性延迟退休最晚年月",
                "Latest flexible (delayed) retirement month",
                str(latest),
                ART_3,
                f"{retirement_month} + 36",
            ),
        ]
    else:
        steps.append(
            Step(
                "弹性退休：不适用（法定退休年月早于2025年1月）",
                "Flexible retirement: not available (statutory month before 2025-01)",
                str(retirement_month),
                ART_3,
            )
        )
    return RetirementResult(
        birth_date=birth_date,
        category=category,
        original_age=original_age,
        original_month=original_month,
        delay_months=delay,
        statutory_age=statutory_age,
        retirement_month=retirement_month,
        min_contribution_months=minimum,
        is_flexible_available=flexible,
        earliest_month=earliest,
        latest_month=latest,
        steps=tuple(steps),
    )

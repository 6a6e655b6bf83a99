"""Survivor benefits on the death of a pension participant: funeral subsidy and 抚恤金 (one-off).

Legal basis (benefit-rules.md (h)): SIL Arts. 17 and 49; 经办条例 Art. 19; 企业职工基本养老保险遗属
待遇暂行办法 (人社部发〔2021〕18号, in force 2021-09-01) Arts. 4-5. The province's prior-year
monthly urban per-capita disposable income is a regional argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from benefits.calculators.common import (
    ZERO,
    CalculationInputError,
    Step,
    fmt_money,
    money,
    years_months_en,
    years_months_zh,
)

RULE_VERSION = "survivors@2021-09-01/1"  # 人社部发〔2021〕18号

ART_4 = "人社部发〔2021〕18号 第四条"
ART_5 = "人社部发〔2021〕18号 第五条"
SIL_49 = "社会保险法 第四十九条第二款"

FUNERAL_MONTHS = 2  # Art. 4: 本省上一年度城镇居民月人均可支配收入的2倍

# Art. 5(1), in twelfths of a month (contribution years count to the month, so one extra month of
# contributions above 15 years adds 1/12 of a month): <5y -> 3; 5-<10y -> 6; 10-15y -> 9;
# above 15y +1 a year; years above 30 count as 30 (24 at most).
_TWELFTHS = 12
_FLOOR_TWELFTHS = 9 * _TWELFTHS  # also the retiree minimum (Art. 5(2))


def survivor_months_twelfths(contribution_months: int) -> int:
    """抚恤金 months × 12 for a working person (Art. 5(1)); exact, so 15.25 is 183."""
    if contribution_months < 5 * 12:
        return 3 * _TWELFTHS
    if contribution_months < 10 * 12:
        return 6 * _TWELFTHS
    if contribution_months <= 15 * 12:
        return _FLOOR_TWELFTHS
    return _FLOOR_TWELFTHS + min(contribution_months, 30 * 12) - 15 * 12


@dataclass(frozen=True)
class SurvivorResult:
    monthly_income: Decimal
    contribution_months: int
    is_retiree: bool
    pension_months_received: int
    months: Fraction  # N, the number of months of income paid as 抚恤金
    funeral_subsidy: Decimal
    survivor_benefit: Decimal  # 抚恤金
    total: Decimal
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION

    @property
    def months_decimal(self) -> Decimal:
        """N to four places for display (15.25; 15.0833)."""
        return _four_places(self.months)


def _four_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))


def survivor_benefits(
    *,
    monthly_income: Decimal,
    contribution_months: int,
    is_retiree: bool = False,
    pension_months_received: int = 0,
    own_contributions_total: Decimal | None = None,
    is_funeral_already_paid: bool = False,
) -> SurvivorResult:
    """Funeral subsidy and 抚恤金 for the survivors of a working person or a retiree (Arts. 4-5).

    `contribution_months` is actual + deemed, in service. `pension_months_received` counts to the
    month (Art. 5: 缴费年限和领取基本养老金时间计算到月). `own_contributions_total` caps the benefit
    of a working person with under five years. `is_funeral_already_paid`: SIL Art. 49 ¶2 allows one
    funeral subsidy across pension, work injury and unemployment.
    """
    if monthly_income <= 0:
        raise CalculationInputError("monthly_income", "must be more than 0", "必须大于0")
    if contribution_months < 0 or pension_months_received < 0:
        raise CalculationInputError("contribution_months", "must not be negative", "不能为负数")
    income = fmt_money(monthly_income)
    most = survivor_months_twelfths(contribution_months)
    years_zh, years_en = years_months_zh(contribution_months), years_months_en(contribution_months)
    steps = [
        Step(
            "缴费年限（含视同）",
            "Contribution period (incl. deemed)",
            years_en,
            ART_5,
            value_zh=years_zh,
        ),
        Step(
            "最高发放月数" if is_retiree else "抚恤金发放月数",
            "Most months" if is_retiree else "Months of income",
            str(_four_places(Fraction(most, 12)).normalize()),
            ART_5,
            _months_formula(contribution_months),
        ),
    ]
    twelfths = most
    if is_retiree:
        # Art. 5(2): 每领取1年基本养老金减少1个月，发放月数最低为9个月 (counted to the month).
        twelfths = max(_FLOOR_TWELFTHS, most - pension_months_received)
        steps.append(
            Step(
                "抚恤金发放月数（每领取1年养老金减1个月，最低9个月）",
                "Months of income (less 1 a year of pension received, at least 9)",
                str(_four_places(Fraction(twelfths, 12)).normalize()),
                ART_5,
                f"max(9, {_four_places(Fraction(most, 12)).normalize()} − "
                f"{pension_months_received}/12)",
            )
        )
    months = Fraction(twelfths, 12)
    benefit = money(Fraction(monthly_income) * months)
    steps.append(
        Step(
            "抚恤金",
            "Survivor benefit (抚恤金)",
            fmt_money(benefit),
            ART_5,
            f"{income} × {_four_places(months).normalize()}",
        )
    )
    if is_funeral_already_paid:
        funeral = ZERO
        steps.append(
            Step(
                "丧葬补助金：已由工伤或失业保险支付，不重复支付",
                "Funeral subsidy: already paid by work-injury or unemployment insurance",
                fmt_money(funeral),
                SIL_49,
            )
        )
    else:
        funeral = money(monthly_income * FUNERAL_MONTHS)
        steps.append(
            Step("丧葬补助金", "Funeral subsidy", fmt_money(funeral), ART_4, f"{income} × 2")
        )
    if (
        not is_retiree
        and contribution_months < 5 * 12
        and own_contributions_total is not None
        and benefit + funeral > own_contributions_total
    ):
        # Art. 5(1) (benefit-rules.md (h)): under five years, the survivor benefits together may
        # not exceed the person's own contributions; the 抚恤金 gives way first, then the funeral
        # subsidy.
        cap = money(own_contributions_total)
        benefit = max(ZERO, cap - funeral)
        funeral = min(funeral, cap)
        steps.append(
            Step(
                "缴费不满5年：遗属待遇不超过本人缴费之和",
                "Under 5 years: capped at the person's own contributions",
                f"{fmt_money(funeral)} + {fmt_money(benefit)}",
                ART_5,
                f"≤ {fmt_money(cap)}",
            )
        )
    total = funeral + benefit
    steps.append(Step("遗属待遇合计", "Survivor benefits, total", fmt_money(total), ART_4))
    return SurvivorResult(
        monthly_income=monthly_income,
        contribution_months=contribution_months,
        is_retiree=is_retiree,
        pension_months_received=pension_months_received,
        months=months,
        funeral_subsidy=funeral,
        survivor_benefit=benefit,
        total=total,
        steps=tuple(steps),
    )


def _months_formula(contribution_months: int) -> str:
    if contribution_months <= 15 * 12:
        return "<5y → 3; 5–10y → 6; 10–15y → 9"
    counted = min(contribution_months, 30 * 12)
    years, months = divmod(counted - 15 * 12, 12)
    return f"9 + {years}" + (f" + {months}/12" if months else "")

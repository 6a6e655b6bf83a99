"""Work-injury insurance: own wage, disability grant and allowance, death, nursing allowance.

Legal basis (benefit-rules.md (d)): 工伤保险条例 (WIR, 2010 revision) Arts. 34-37, 39 and 64, all
read in the primary text. The pooling-area average wage, the minimum wage, the national disposable
income and how to scale capped survivor pensions are regional or yearly arguments.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from benefits.calculators.common import (
    CalculationInputError,
    Step,
    fmt_money,
    fmt_percent,
    money,
)

RULE_VERSION = "work_injury@2011-01-01/1"  # 工伤保险条例 (2010 revision, in force 2011-01-01)

WIR = "工伤保险条例"
WIR_64 = f"{WIR} 第六十四条"
WIR_39 = f"{WIR} 第三十九条"
WIR_34 = f"{WIR} 第三十四条"

WAGE_FLOOR_RATE = Decimal("0.60")  # WIR Art. 64: 低于统筹地区职工平均工资60%的，按60%计算
WAGE_CAP_RATE = Decimal("3.00")  # WIR Art. 64: 高于300%的，按300%计算


class AllowancePayer(enum.StrEnum):
    FUND = "fund"  # 工伤保险基金 (levels 1-4, WIR Art. 35)
    EMPLOYER = "employer"  # 用人单位 (levels 5-6, WIR Art. 36)


@dataclass(frozen=True)
class DisabilityLevel:
    grant_months: int  # 一次性伤残补助金: months of own wage
    allowance_rate: Decimal | None  # 伤残津贴: share of own wage a month; None for levels 7-10
    payer: AllowancePayer | None
    article: str


# WIR Arts. 35 (levels 1-4), 36 (5-6), 37 (7-10).
LEVELS: dict[int, DisabilityLevel] = {
    1: DisabilityLevel(27, Decimal("0.90"), AllowancePayer.FUND, f"{WIR} 第三十五条"),
    2: DisabilityLevel(25, Decimal("0.85"), AllowancePayer.FUND, f"{WIR} 第三十五条"),
    3: DisabilityLevel(23, Decimal("0.80"), AllowancePayer.FUND, f"{WIR} 第三十五条"),
    4: DisabilityLevel(21, Decimal("0.75"), AllowancePayer.FUND, f"{WIR} 第三十五条"),
    5: DisabilityLevel(18, Decimal("0.70"), AllowancePayer.EMPLOYER, f"{WIR} 第三十六条"),
    6: DisabilityLevel(16, Decimal("0.60"), AllowancePayer.EMPLOYER, f"{WIR} 第三十六条"),
    7: DisabilityLevel(13, None, None, f"{WIR} 第三十七条"),
    8: DisabilityLevel(11, None, None, f"{WIR} 第三十七条"),
    9: DisabilityLevel(9, None, None, f"{WIR} 第三十七条"),
    10: DisabilityLevel(7, None, None, f"{WIR} 第三十七条"),
}


@dataclass(frozen=True)
class WageUsed:
    own_monthly_wage: Decimal
    floor: Decimal
    cap: Decimal
    wage: Decimal
    steps: tuple[Step, ...]


def wage_used(*, own_monthly_wage: Decimal, local_average_monthly_wage: Decimal) -> WageUsed:
    """本人工资: the 12-month average contribution wage held between 60% and 300% (WIR Art. 64)."""
    if own_monthly_wage < 0:
        raise CalculationInputError("own_monthly_wage", "must not be negative", "不能为负数")
    if local_average_monthly_wage <= 0:
        raise CalculationInputError(
            "local_average_monthly_wage", "must be more than 0", "必须大于0"
        )
    floor = money(local_average_monthly_wage * WAGE_FLOOR_RATE)
    cap = money(local_average_monthly_wage * WAGE_CAP_RATE)
    own = money(own_monthly_wage)
    wage = min(max(own, floor), cap)
    average = fmt_money(local_average_monthly_wage)
    steps = (
        Step("本人工资（申报）", "Own monthly wage (reported)", fmt_money(own), WIR_64),
        Step("下限（60%）", "Floor (60%)", fmt_money(floor), WIR_64, f"{average} × 60%"),
        Step("上限（300%）", "Cap (300%)", fmt_money(cap), WIR_64, f"{average} × 300%"),
        Step(
            "计算采用的本人工资",
            "Own wage used",
            fmt_money(wage),
            WIR_64,
            f"min(max({fmt_money(own)}, {fmt_money(floor)}), {fmt_money(cap)})",
        ),
    )
    return WageUsed(own, floor, cap, wage, steps)


@dataclass(frozen=True)
class DisabilityResult:
    level: int
    wage_used: Decimal
    one_off_grant: Decimal
    monthly_allowance: Decimal | None
    allowance_payer: AllowancePayer | None
    minimum_wage_top_up: Decimal  # what the payer adds to reach the local minimum wage
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


def work_injury_disability(
    *,
    level: int,
    own_monthly_wage: Decimal,
    local_average_monthly_wage: Decimal,
    minimum_monthly_wage: Decimal | None = None,
) -> DisabilityResult:
    """One-off disability grant and monthly disability allowance for a level (WIR Arts. 35-37)."""
    if level not in LEVELS:
        raise CalculationInputError("level", "must be 1 to 10", "伤残等级必须为一级至十级")
    rule = LEVELS[level]
    wage = wage_used(
        own_monthly_wage=own_monthly_wage, local_average_monthly_wage=local_average_monthly_wage
    )
    grant = money(wage.wage * rule.grant_months)
    steps = [
        *wage.steps,
        Step(
            "一次性伤残补助金",
            "One-off disability grant",
            fmt_money(grant),
            rule.article,
            f"{fmt_money(wage.wage)} × {rule.grant_months}",
        ),
    ]
    allowance = None
    top_up = Decimal("0.00")
    if rule.allowance_rate is not None:
        allowance = money(wage.wage * rule.allowance_rate)
        payer_zh = "工伤保险基金" if rule.payer is AllowancePayer.FUND else "用人单位"
        steps.append(
            Step(
                f"伤残津贴（按月，{payer_zh}支付）",
                f"Monthly disability allowance (paid by the {rule.payer})",
                fmt_money(allowance),
                rule.article,
                f"{fmt_money(wage.wage)} × {fmt_percent(rule.allowance_rate)}",
            )
        )
        # Arts. 35-36: below the local minimum wage, the fund (1-4) or employer (5-6) makes it up.
        if minimum_monthly_wage is not None and allowance < minimum_monthly_wage:
            top_up = money(minimum_monthly_wage) - allowance
            allowance = money(minimum_monthly_wage)
            steps.append(
                Step(
                    "补足至当地最低工资标准",
                    "Topped up to the local minimum wage",
                    fmt_money(allowance),
                    rule.article,
                    f"+ {fmt_money(top_up)}",
                )
            )
        if rule.payer is AllowancePayer.EMPLOYER:
            steps.append(
                Step(
                    "五级、六级：用人单位难以安排工作的，才按月发给伤残津贴",
                    "Levels 5-6: paid only when the employer cannot arrange suitable work",
                    "",
                    rule.article,
                )
            )
    else:
        steps.append(
            Step("七至十级：无伤残津贴", "Levels 7-10: no monthly allowance", "", rule.article)
        )
    return DisabilityResult(level, wage.wage, grant, allowance, rule.payer, top_up, tuple(steps))


# --- Death at work (WIR Art. 39) -------------------------------------------------------------

FUNERAL_GRANT_MONTHS = 6  # 丧葬补助金为6个月的统筹地区上年度职工月平均工资
DEATH_GRANT_YEARS = 20  # 一次性工亡补助金标准为上一年度全国城镇居民人均可支配收入的20倍
SPOUSE_RATE = Decimal("0.40")  # 配偶每月40%
OTHER_DEPENDANT_RATE = Decimal("0.30")  # 其他亲属每人每月30%
LONE_OR_ORPHAN_EXTRA = Decimal("0.10")  # 孤寡老人或者孤儿每人每月在上述标准的基础上增加10%


class DependantKind(enum.StrEnum):
    SPOUSE = "spouse"
    OTHER = "other"  # child, parent and other dependants the deceased supported


class SurvivorScaling(enum.StrEnum):
    """How each survivor pension shrinks when their sum exceeds the deceased's wage.

    WIR Art. 39 sets only the cap; the method is provincial (UNVERIFIED). Pro-rata is the default.
    """

    PRO_RATA = "PRO_RATA"


@dataclass(frozen=True)
class Dependant:
    kind: DependantKind
    is_lone_elderly_or_orphan: bool = False  # 孤寡老人或者孤儿: +10%
    name: str = ""

    @property
    def rate(self) -> Decimal:
        base = SPOUSE_RATE if self.kind is DependantKind.SPOUSE else OTHER_DEPENDANT_RATE
        return base + (LONE_OR_ORPHAN_EXTRA if self.is_lone_elderly_or_orphan else 0)


@dataclass(frozen=True)
class DeathResult:
    wage_used: Decimal
    funeral_grant: Decimal
    death_grant: Decimal | None  # None for a level 1-4 worker who died after the injury leave
    survivor_pensions: tuple[Decimal, ...]  # monthly, in the order of the dependants given
    survivor_pensions_total: Decimal
    is_capped: bool
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


def work_injury_death(
    *,
    own_monthly_wage: Decimal,
    local_average_monthly_wage: Decimal,
    national_disposable_income: Decimal,
    dependants: tuple[Dependant, ...] | list[Dependant] = (),
    scaling: SurvivorScaling = SurvivorScaling.PRO_RATA,
    is_level_1_4_after_leave: bool = False,
) -> DeathResult:
    """Funeral grant, survivor pensions (capped) and the one-off death grant (WIR Art. 39)."""
    if national_disposable_income <= 0:
        raise CalculationInputError(
            "national_disposable_income", "must be more than 0", "必须大于0"
        )
    wage = wage_used(
        own_monthly_wage=own_monthly_wage, local_average_monthly_wage=local_average_monthly_wage
    )
    funeral = money(local_average_monthly_wage * FUNERAL_GRANT_MONTHS)
    steps = [
        *wage.steps,
        Step(
            "丧葬补助金",
            "Funeral grant",
            fmt_money(funeral),
            WIR_39,
            f"{fmt_money(local_average_monthly_wage)} × {FUNERAL_GRANT_MONTHS}",
        ),
    ]
    shares = [money(wage.wage * dependant.rate) for dependant in dependants]
    for dependant, share in zip(dependants, shares, strict=True):
        is_spouse = dependant.kind is DependantKind.SPOUSE
        extra_zh = "（孤寡老人或孤儿+10%）" if dependant.is_lone_elderly_or_orphan else ""
        extra_en = " (lone elderly or orphan +10%)" if dependant.is_lone_elderly_or_orphan else ""
        steps.append(
            Step(
                f"供养亲属抚恤金：{'配偶' if is_spouse else '其他亲属'}{extra_zh}",
                f"Survivor pension: {'spouse' if is_spouse else 'other dependant'}{extra_en}",
                fmt_money(share),
                WIR_39,
                f"{fmt_money(wage.wage)} × {fmt_percent(dependant.rate)}",
            )
        )
    uncapped = sum(shares, Decimal("0.00"))
    capped = uncapped > wage.wage
    if capped:
        # WIR Art. 39(2): 核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资.
        shares = _scale_pro_rata(shares, wage.wage)
        steps.append(
            Step(
                "抚恤金之和超过本人工资，按比例压减",
                "Sum exceeds the deceased's wage: scaled down pro rata",
                " / ".join(fmt_money(share) for share in shares),
                f"{WIR_39}; {scaling.value}",
                f"{fmt_money(uncapped)} > {fmt_money(wage.wage)}",
            )
        )
    total = sum(shares, Decimal("0.00"))
    if dependants:
        steps.append(
            Step(
                "供养亲属抚恤金合计（按月）",
                "Survivor pensions, monthly total",
                fmt_money(total),
                WIR_39,
            )
        )
    death_grant = None
    if is_level_1_4_after_leave:
        # WIR Art. 39 ¶3: a level 1-4 worker who dies after the leave gets only (1) and (2).
        steps.append(
            Step(
                "一至四级伤残职工停工留薪期满后死亡：无一次性工亡补助金",
                "Level 1-4 worker who died after the injury leave: no death grant",
                "",
                WIR_39,
            )
        )
    else:
        death_grant = money(national_disposable_income * DEATH_GRANT_YEARS)
        steps.append(
            Step(
                "一次性工亡补助金",
                "One-off death grant",
                fmt_money(death_grant),
                WIR_39,
                f"{fmt_money(national_disposable_income)} × {DEATH_GRANT_YEARS}",
            )
        )
    return DeathResult(wage.wage, funeral, death_grant, tuple(shares), total, capped, tuple(steps))


def _scale_pro_rata(shares: list[Decimal], cap: Decimal) -> list[Decimal]:
    """Shares in proportion summing exactly to `cap` (largest remainder, so never above it)."""
    total = sum(shares, Decimal(0))
    exact = [Fraction(share) * Fraction(cap) / Fraction(total) for share in shares]
    cents = [int(value * 100) for value in exact]  # floor: shares are positive
    left = int(Fraction(cap) * 100) - sum(cents)
    by_remainder = sorted(
        range(len(exact)), key=lambda i: (exact[i] * 100 - cents[i], -i), reverse=True
    )
    for i in by_remainder[:left]:
        cents[i] += 1
    return [Decimal(cent) / 100 for cent in cents]


# --- Nursing allowance (WIR Art. 34) -----------------------------------------------------------


class CareLevel(enum.StrEnum):
    FULL = "full"  # 生活完全不能自理: 50%
    MOST = "most"  # 生活大部分不能自理: 40%
    PART = "part"  # 生活部分不能自理: 30%


NURSING_RATES: dict[CareLevel, Decimal] = {
    CareLevel.FULL: Decimal("0.50"),
    CareLevel.MOST: Decimal("0.40"),
    CareLevel.PART: Decimal("0.30"),
}


@dataclass(frozen=True)
class NursingResult:
    care_level: CareLevel
    monthly_amount: Decimal
    steps: tuple[Step, ...]
    rule_version: str = RULE_VERSION


def nursing_allowance(
    *, care_level: CareLevel, local_average_monthly_wage: Decimal
) -> NursingResult:
    """生活护理费, monthly: 50/40/30% of the pooling-area prior-year average wage (WIR Art. 34)."""
    rate = NURSING_RATES[care_level]
    amount = money(local_average_monthly_wage * rate)
    step = Step(
        "生活护理费（按月）",
        "Nursing allowance, monthly",
        fmt_money(amount),
        WIR_34,
        f"{fmt_money(local_average_monthly_wage)} × {fmt_percent(rate)}",
    )
    return NursingResult(care_level, amount, (step,))

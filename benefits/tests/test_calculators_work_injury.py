"""Work-injury insurance (benefit-rules.md (d)): every level of the table, the own-wage floor and
cap, the minimum-wage top-up, and the death example with capped survivor pensions."""

from decimal import Decimal

import pytest

from benefits.calculators.common import CalculationInputError
from benefits.calculators.work_injury import (
    AllowancePayer,
    CareLevel,
    Dependant,
    DependantKind,
    nursing_allowance,
    wage_used,
    work_injury_death,
    work_injury_disability,
)

FUND, EMPLOYER = AllowancePayer.FUND, AllowancePayer.EMPLOYER

# Own wage 8,000 within the 4,200-21,000 band of a 7,000 average: months × 8,000 and % × 8,000.
LEVELS = [
    (1, "216000.00", "7200.00", FUND),  # 27 months, 90%
    (2, "200000.00", "6800.00", FUND),  # 25, 85%
    (3, "184000.00", "6400.00", FUND),  # 23, 80%
    (4, "168000.00", "6000.00", FUND),  # 21, 75%
    (5, "144000.00", "5600.00", EMPLOYER),  # 18, 70%
    (6, "128000.00", "4800.00", EMPLOYER),  # 16, 60%
    (7, "104000.00", None, None),  # 13
    (8, "88000.00", None, None),  # 11
    (9, "72000.00", None, None),  # 9
    (10, "56000.00", None, None),  # 7
]


@pytest.mark.parametrize(("level", "grant", "allowance", "payer"), LEVELS)
def test_every_level(level, grant, allowance, payer):
    result = work_injury_disability(
        level=level, own_monthly_wage=Decimal("8000"), local_average_monthly_wage=Decimal("7000")
    )
    assert result.wage_used == Decimal("8000.00")
    assert result.one_off_grant == Decimal(grant)
    assert result.monthly_allowance == (Decimal(allowance) if allowance else None)
    assert result.allowance_payer == payer


def test_worked_examples_level_7_and_level_3():
    level7 = work_injury_disability(
        level=7, own_monthly_wage=Decimal("8000"), local_average_monthly_wage=Decimal("7000")
    )
    level3 = work_injury_disability(
        level=3, own_monthly_wage=Decimal("8000"), local_average_monthly_wage=Decimal("7000")
    )
    assert level7.one_off_grant == Decimal("104000.00")
    assert (level3.one_off_grant, level3.monthly_allowance) == (
        Decimal("184000.00"),
        Decimal("6400.00"),
    )


@pytest.mark.parametrize(
    ("own", "used"),
    [
        ("0", "4200.00"),  # below 60% of 7,000
        ("4199.99", "4200.00"),
        ("4200", "4200.00"),
        ("4200.01", "4200.01"),
        ("21000", "21000.00"),
        ("21000.01", "21000.00"),  # above 300%
        ("50000", "21000.00"),
    ],
)
def test_own_wage_floor_and_cap(own, used):
    result = wage_used(own_monthly_wage=Decimal(own), local_average_monthly_wage=Decimal("7000"))
    assert result.wage == Decimal(used)


def test_floor_and_cap_reach_the_grant():
    result = work_injury_disability(
        level=1, own_monthly_wage=Decimal("3000"), local_average_monthly_wage=Decimal("7000")
    )
    assert result.one_off_grant == Decimal("113400.00")  # 27 × 4,200
    assert result.monthly_allowance == Decimal("3780.00")  # 90% × 4,200


def test_allowance_below_the_minimum_wage_is_topped_up():
    result = work_injury_disability(
        level=6,
        own_monthly_wage=Decimal("3000"),
        local_average_monthly_wage=Decimal("5000"),
        minimum_monthly_wage=Decimal("2420"),
    )
    # 60% × 3,000 = 1,800, below 2,420: the employer pays the 620 difference.
    assert result.monthly_allowance == Decimal("2420.00")
    assert result.minimum_wage_top_up == Decimal("620.00")
    assert result.allowance_payer == EMPLOYER


@pytest.mark.parametrize("level", [0, 11])
def test_levels_outside_1_to_10_are_bad_input(level):
    with pytest.raises(CalculationInputError) as error:
        work_injury_disability(
            level=level, own_monthly_wage=Decimal(1), local_average_monthly_wage=Decimal(1)
        )
    assert error.value.field == "level"


def test_death_example():
    result = work_injury_death(
        own_monthly_wage=Decimal("8000"),
        local_average_monthly_wage=Decimal("7000"),
        national_disposable_income=Decimal("51821"),
        dependants=[
            Dependant(DependantKind.SPOUSE),
            Dependant(DependantKind.OTHER),
            Dependant(DependantKind.OTHER, is_lone_elderly_or_orphan=True),
        ],
    )
    assert result.funeral_grant == Decimal("42000.00")
    assert result.death_grant == Decimal("1036420.00")
    # 3,200 + 2,400 + 3,200 = 8,800 > 8,000: capped, scaled pro rata.
    assert result.is_capped
    assert result.survivor_pensions_total == Decimal("8000.00")
    assert result.survivor_pensions == (
        Decimal("2909.09"),
        Decimal("2181.82"),
        Decimal("2909.09"),
    )


def test_survivor_pensions_under_the_cap_are_not_scaled():
    result = work_injury_death(
        own_monthly_wage=Decimal("8000"),
        local_average_monthly_wage=Decimal("7000"),
        national_disposable_income=Decimal("51821"),
        dependants=[Dependant(DependantKind.SPOUSE), Dependant(DependantKind.OTHER)],
    )
    assert not result.is_capped
    assert result.survivor_pensions == (Decimal("3200.00"), Decimal("2400.00"))


def test_pro_rata_shares_never_exceed_the_wage():
    result = work_injury_death(
        own_monthly_wage=Decimal("7777.77"),
        local_average_monthly_wage=Decimal("7000"),
        national_disposable_income=Decimal("51821"),
        dependants=[Dependant(DependantKind.OTHER, True) for _ in range(3)],
    )
    assert result.survivor_pensions_total == Decimal("7777.77")


def test_level_1_to_4_worker_dying_after_the_leave_gets_no_death_grant():
    result = work_injury_death(
        own_monthly_wage=Decimal("8000"),
        local_average_monthly_wage=Decimal("7000"),
        national_disposable_income=Decimal("51821"),
        is_level_1_4_after_leave=True,
    )
    assert result.death_grant is None
    assert result.funeral_grant == Decimal("42000.00")


@pytest.mark.parametrize(
    ("care", "amount"),
    [(CareLevel.FULL, "3500.00"), (CareLevel.MOST, "2800.00"), (CareLevel.PART, "2100.00")],
)
def test_nursing_allowance(care, amount):
    result = nursing_allowance(care_level=care, local_average_monthly_wage=Decimal("7000"))
    assert result.monthly_amount == Decimal(amount)

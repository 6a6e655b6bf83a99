"""Retirement age and month under the gradual reform (benefit-rules.md (b)): every boundary row,
the worked examples, the minimum-years table and the flexible window. Numbers are the rules'."""

from datetime import date

import pytest

from benefits.calculators.common import Age, YearMonth
from benefits.calculators.retirement import (
    RULE_VERSION,
    RetirementCategory,
    min_contribution_months,
    statutory_retirement,
)

MALE, F55, F50 = (
    RetirementCategory.MALE,
    RetirementCategory.FEMALE_55,
    RetirementCategory.FEMALE_50,
)


@pytest.mark.parametrize(
    ("category", "birth", "delay", "age", "month"),
    [
        (MALE, "1964-12", 0, (60, 0), "2024-12"),
        (MALE, "1965-01", 1, (60, 1), "2025-02"),
        (MALE, "1965-04", 1, (60, 1), "2025-05"),
        (MALE, "1965-05", 2, (60, 2), "2025-07"),
        (MALE, "1976-08", 35, (62, 11), "2039-07"),
        (MALE, "1976-09", 36, (63, 0), "2039-09"),
        (F55, "1970-01", 1, (55, 1), "2025-02"),
        (F55, "1981-09", 36, (58, 0), "2039-09"),
        (F50, "1975-01", 1, (50, 1), "2025-02"),
        (F50, "1984-10", 59, (54, 11), "2039-09"),
        (F50, "1984-11", 60, (55, 0), "2039-11"),
    ],
)
def test_boundary_table_of_the_reform(category, birth, delay, age, month):
    year, mon = map(int, birth.split("-"))
    result = statutory_retirement(date(year, mon, 15), category)
    assert result.delay_months == delay
    assert result.statutory_age == Age(*age)
    assert str(result.retirement_month) == month


@pytest.mark.parametrize(
    ("category", "birth", "delay", "age", "original", "month"),
    [
        (MALE, date(1970, 5, 20), 17, (61, 5), "2030-05", "2031-10"),
        (F50, date(1978, 3, 10), 20, (51, 8), "2028-03", "2029-11"),
        (F55, date(1972, 12, 1), 9, (55, 9), "2027-12", "2028-09"),
    ],
)
def test_worked_examples(category, birth, delay, age, original, month):
    result = statutory_retirement(birth, category)
    assert result.delay_months == delay
    assert result.statutory_age == Age(*age)
    assert str(result.original_month) == original
    assert str(result.retirement_month) == month


def test_the_man_born_1970_05_needs_sixteen_years():
    assert statutory_retirement(date(1970, 5, 20), MALE).min_contribution_months == 16 * 12


@pytest.mark.parametrize(
    ("year", "years", "months"),
    [
        (2025, 15, 0),
        (2029, 15, 0),
        (2030, 15, 6),
        (2031, 16, 0),
        (2032, 16, 6),
        (2033, 17, 0),
        (2034, 17, 6),
        (2035, 18, 0),
        (2036, 18, 6),
        (2037, 19, 0),
        (2038, 19, 6),
        (2039, 20, 0),
        (2050, 20, 0),
    ],
)
def test_minimum_contribution_table(year, years, months):
    assert min_contribution_months(year) == years * 12 + months


def test_flexible_early_and_late_for_the_man_born_1970_05():
    result = statutory_retirement(date(1970, 5, 20), MALE)
    # new 2031-10; minus 36 months is 2028-10, before the original 2030-05, so 2030-05.
    assert result.earliest_month == YearMonth(2030, 5)
    assert result.latest_month == YearMonth(2034, 10)
    assert result.is_flexible_available


def test_flexible_early_is_three_years_when_the_original_age_does_not_bind():
    # Woman (original 50) born 1984-11: 55y in 2039-11; 36 months earlier is 2036-11, after 2034-11.
    result = statutory_retirement(date(1984, 11, 3), F50)
    assert result.earliest_month == YearMonth(2036, 11)
    assert result.latest_month == YearMonth(2042, 11)


def test_people_retiring_before_the_reform_have_no_flexible_window():
    result = statutory_retirement(date(1964, 12, 31), MALE)
    assert not result.is_flexible_available
    assert result.earliest_month == result.latest_month == YearMonth(2024, 12)


def test_day_of_birth_does_not_matter():
    first = statutory_retirement(date(1970, 5, 1), MALE)
    last = statutory_retirement(date(1970, 5, 31), MALE)
    assert first.retirement_month == last.retirement_month == YearMonth(2031, 10)


def test_retirement_date_is_the_birth_day_clamped_to_month_end():
    # Man born 1965-01-31 retires in 2025-02, which has 28 days.
    assert statutory_retirement(date(1965, 1, 31), MALE).retirement_date == date(2025, 2, 28)
    assert statutory_retirement(date(1970, 5, 20), MALE).retirement_date == date(2031, 10, 20)


def test_every_step_cites_its_rule_and_the_version_is_recorded():
    result = statutory_retirement(date(1970, 5, 20), MALE)
    assert result.rule_version == RULE_VERSION
    assert all("办法" in step.rule for step in result.steps)
    age_step = next(s for s in result.steps if s.label_en == "Statutory retirement age")
    assert age_step.display_value("zh-hans") == "61岁5个月"


def test_age_in_a_flexible_month():
    result = statutory_retirement(date(1970, 5, 20), MALE)
    assert result.age_in(YearMonth(2030, 5)) == Age(60)

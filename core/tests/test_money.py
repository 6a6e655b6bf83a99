from decimal import Decimal
from fractions import Fraction

from core.money import money


def test_half_up_at_the_fen():
    assert money(Decimal("1079.135")) == Decimal("1079.14")
    assert money(Decimal("2.345")) == Decimal("2.35")
    assert money(Decimal("-2.345")) == Decimal("-2.35")


def test_fraction_is_divided_exactly_before_rounding():
    # benefit-rules.md (a): 150,000 / 139 = 1,079.14; 150,000 / 137.3 = 1,092.50.
    assert money(Fraction(150000, 139)) == Decimal("1079.14")
    assert money(Fraction(1500000, 1373)) == Decimal("1092.50")


def test_integers():
    assert money(29400) == Decimal("29400.00")

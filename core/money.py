"""Money: Decimal yuan with two places, rounded half-up at the step the rule names (DESIGN.md).

Never float. Exact fractions (a balance divided by a months divisor) are rounded once, here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def money(value: Decimal | Fraction | int) -> Decimal:
    """Round to the fen, half-up. A Fraction is divided exactly first, so nothing is lost."""
    if isinstance(value, Fraction):
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        # Decimal division keeps 28 significant digits: exact to the fen for any amount we hold.
        return quotient.quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)

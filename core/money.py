"""Money: Decimal yuan with two places, rounded half-up at the step the rule names (DESIGN.md).

Never float. Exact fractions (a balance divided by a months divisor) are rounded once, here."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def money(value: Decimal | Fraction | int) -> Decimal:
    """Round to the fen, half-up. A Fraction is divided exactly first, so nothing is lost."""
    if isinstance(value, Fraction):
        # Exact: round the rational number itself, never a 28-digit approximation of it.
        cents = value * 100
        whole = math.floor(abs(cents) + Fraction(1, 2))
        return (Decimal(whole if cents >= 0 else -whole) / 100).quantize(CENT)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)

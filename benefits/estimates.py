"""What the public estimators share between the API and the pages: input limits and error text.

The API (api.py) and the pages (views.py) validate the same ranges and call the same pure
calculators, so the two cannot drift apart.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone, translation

from benefits.calculators.common import CalculationInputError

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_CONTRIBUTION_MONTHS = 600  # 50 years: more than a working life from 16 to 66
MAX_MONEY = Decimal("9999999999.99")
MAX_WAGE = Decimal("1000000.00")  # a month
MAX_CONTRIBUTION_INDEX = Decimal("3")  # contribution base is capped at 300% of the average wage
MIN_CONTRIBUTION_INDEX = Decimal("0.0001")
MAX_EXTRA_INFANTS = 9
MAX_CARRIED_OVER_MONTHS = 24


def latest_birth_date() -> date:
    return timezone.localdate()


def error_message(error: CalculationInputError) -> str:
    """The calculator's refusal in the language of the request."""
    return error.message(translation.get_language() or "zh-hans")

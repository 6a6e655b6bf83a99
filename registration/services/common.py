"""Helpers the registration services share: the contribution-base range (money: core.money)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.models import Region
from core.money import money
from core.policy import PolicyParameterMissingError, policy_decimal

# Contribution base floor and cap: 60% and 300% of the local average wage (国办发〔2019〕13号;
# UNVERIFIED in regulation/: benefit-rules.md does not cover it). Applied where the region has
# an "average_monthly_wage" in force; without one, any positive base is accepted.
BASE_FLOOR_SHARE = Decimal("0.60")
BASE_CAP_SHARE = Decimal("3.00")


def base_range(region: Region, on: date) -> tuple[Decimal, Decimal] | None:
    """The allowed contribution base (floor, cap) for a region on a date, or None if unknown."""
    try:
        average = policy_decimal("average_monthly_wage", on=on, region=region)
    except PolicyParameterMissingError:
        return None
    # Rounded half-up at the step the rule names: the floor and cap themselves.
    return money(average * BASE_FLOOR_SHARE), money(average * BASE_CAP_SHARE)


def first_of_month(day: date) -> date:
    return day.replace(day=1)

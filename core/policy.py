"""Effective-dated policy parameters, read through one service (DESIGN.md: never constants).

The value in force for a region on a date is the row with the latest `valid_from` not after the
date, looking first at the region itself, then its parents, then the national row (region null).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from core.errors import DomainError
from core.models import PolicyParameter, Region

# The keys the code reads, with what they mean; the admin shows these and checks values' kinds.
KNOWN_KEYS: dict[str, tuple[str, str]] = {
    "average_monthly_wage": (
        "decimal",
        "Local prior-year average monthly wage, yuan (计发基数; benefit-rules.md (a))",
    ),
    "account_interest_rate": ("decimal", "Personal pension account interest rate, e.g. 0.0262"),
}


class PolicyParameterMissingError(DomainError):
    code = "policy_parameter_missing"
    status_code = 409


@dataclass(frozen=True)
class PolicyValue:
    key: str
    value: str
    valid_from: date
    region_code: str | None
    source: str

    def as_decimal(self) -> Decimal:
        try:
            return Decimal(self.value)
        except InvalidOperation:
            raise PolicyParameterMissingError(
                f"policy parameter {self.key} is not a number: {self.value!r}"
            ) from None


def register_key(key: str, kind: str, description: str) -> None:
    """Apps declare the parameters they read (from AppConfig.ready())."""
    KNOWN_KEYS[key] = (kind, description)


def _region_chain(region: Region | None) -> list[int | None]:
    chain: list[int | None] = []
    while region is not None:
        chain.append(region.pk)
        region = region.parent
    return [*chain, None]


def policy_value(key: str, *, on: date, region: Region | None = None) -> PolicyValue:
    """The value of `key` in force on `on` for `region` (or nationally)."""
    chain = _region_chain(region)
    rows = list(
        PolicyParameter.objects.filter(key=key, valid_from__lte=on)
        .filter(region_id__in=[pk for pk in chain if pk is not None])
        .order_by("-valid_from")
        .select_related("region")
    ) + list(
        PolicyParameter.objects.filter(key=key, valid_from__lte=on, region__isnull=True).order_by(
            "-valid_from"
        )[:1]
    )
    for region_id in chain:
        for row in rows:
            if row.region_id == region_id:
                return PolicyValue(
                    key,
                    row.value,
                    row.valid_from,
                    row.region.code if row.region else None,
                    row.source,
                )
    where = region.code if region else "national"
    raise PolicyParameterMissingError(
        f"没有{on.isoformat()}有效的政策参数 {key}（{where}） / "
        f"no value of policy parameter {key} in force on {on.isoformat()} for {where}",
        key=key,
        on=on.isoformat(),
    )


def policy_decimal(key: str, *, on: date, region: Region | None = None) -> Decimal:
    return policy_value(key, on=on, region=region).as_decimal()

"""Test data for eligibility: feed records, persons (through registration's factories)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from registration.tests.factories import employer, hire, id_number, person

__all__ = ["employer", "feed_record", "hire", "id_number", "person"]

_references = itertools.count(1)


def feed_record(
    number: str, event_date: date | str, *, source: str = "civil_affairs", **extra: Any
) -> dict[str, Any]:
    """One feed record as a sender writes it."""
    return {
        "source": source,
        "source_reference": extra.pop("source_reference", f"REF-{next(_references):06d}"),
        "id_number": number,
        "event_date": event_date if isinstance(event_date, str) else event_date.isoformat(),
        **extra,
    }


def beneficiary(region, *, number: str | None = None, kind: str = "pension", **fields: Any):
    """A person drawing a monthly award (3,000 a month from January 2025 by default)."""
    from benefits.tests.factories import award

    number = number or id_number(birth="19500101")
    someone = person(region, number=number, name=fields.pop("name", "张三"))
    scheme = fields.pop("scheme", "unemployment" if kind == "unemployment" else "pension")
    return someone, award(region, person=someone, kind=kind, scheme=scheme, **fields)

"""The one place eligibility touches awards: reads of who is a beneficiary, and the benefits
services that hold, release, suspend, resume and stop an award (benefits/__init__.py).

Eligibility never writes the benefits tables itself and never computes a payment: an arrears
payment on resumption and the overpayment debts on a stop are the benefits services' work.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import TYPE_CHECKING, Any

from eligibility.errors import AwardServiceMissingError

if TYPE_CHECKING:
    from accounts.models import User

# Award statuses in which the person still draws (or would draw) the benefit.
DRAWING_STATUSES = ("active", "suspended")
# Reasons written on the holds and suspensions eligibility opens; a release looks for its own.
HOLD_REASON_SUSPICION = "eligibility:suspicion"
SUSPENSION_REASON_AUTHENTICATION = "eligibility:authentication_overdue"
SUSPENSION_REASON_DEATH = "eligibility:official_death_record"


def _service(name: str) -> Any:
    try:
        services: Any = importlib.import_module("benefits.services")
    except ImportError:  # pragma: no cover - the benefits services are not installed yet
        services = None
    function = getattr(services, name, None)
    if function is None:
        raise AwardServiceMissingError(
            f"benefits.services.{name} is not available / 待遇服务{name}尚未提供"
        )
    return function


def award_table() -> str:
    from benefits.models import Award

    return str(Award._meta.db_table)


def payment_table() -> str:
    from benefits.models import Payment

    return str(Payment._meta.db_table)


def drawing_award_ids(person_id: int) -> list[int]:
    from benefits.models import Award

    return list(
        Award.objects.filter(person_id=person_id, status__in=DRAWING_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def is_beneficiary(person_id: int) -> bool:
    from benefits.models import Award

    return Award.objects.filter(
        person_id=person_id, status__in=DRAWING_STATUSES, frequency="monthly"
    ).exists()


def award_hold(*, award_id: int, reason: str, evidence: str, by: User | None) -> None:
    """Hold the award's payments from the next run (Art. 26: held, not stopped)."""
    _service("award_hold")(award_id=award_id, reason=reason, evidence=evidence, by=by)


def awards_hold_many(*, award_ids: list[int], reason: str, evidence: str, by: User | None) -> int:
    """Hold many awards at once: the benefits set-based service when it offers one."""
    try:
        bulk = _service("awards_hold_many")
    except AwardServiceMissingError:
        for award_id in award_ids:
            award_hold(award_id=award_id, reason=reason, evidence=evidence, by=by)
        return len(award_ids)
    return int(bulk(award_ids=award_ids, reason=reason, evidence=evidence, by=by))


def award_hold_release(*, award_id: int, reason: str, note: str, by: User | None) -> None:
    _service("award_hold_release")(award_id=award_id, reason=reason, note=note, by=by)


def award_suspend(*, award_id: int, reason: str, evidence: str, by: User | None) -> None:
    _service("award_suspend")(award_id=award_id, reason=reason, evidence=evidence, by=by)


def award_resume(*, award_id: int, reason: str, note: str, by: User | None) -> Any:
    """Resume a suspended award; benefits pays the months missed as arrears."""
    return _service("award_resume")(award_id=award_id, reason=reason, note=note, by=by)


def award_stop(*, award_id: int, stop_date: date, cause: str, by: User | None) -> Any:
    """Stop an award from the event date; benefits creates the overpayment debts (Art. 46)."""
    return _service("award_stop")(award_id=award_id, stop_date=stop_date, cause=cause, by=by)

"""Whether a person already receives a benefit of a type (Art. 12 ¶2: a resident pension moves
only before benefits start; 国办发〔2009〕66号 Art. 2: people receiving a pension do not transfer).

The benefits app owns awards; it registers its check here from its AppConfig.ready():

    from transfers.checks import register_benefits_started_check
    register_benefits_started_check("pension_resident", lambda person_id: first_payment_date)

Until one is registered, the clerk's declaration on the application is the evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

BenefitsStarted = Callable[[int], date | None]
_checks: dict[str, list[BenefitsStarted]] = {}


def register_benefits_started_check(insurance_type: str, check: BenefitsStarted) -> None:
    _checks.setdefault(insurance_type, [])
    if check not in _checks[insurance_type]:
        _checks[insurance_type].append(check)


def unregister_benefits_started_check(insurance_type: str, check: BenefitsStarted) -> None:
    if check in _checks.get(insurance_type, []):
        _checks[insurance_type].remove(check)


def benefits_started(person_id: int, insurance_type: str) -> date | None:
    """The date benefits of this type started for the person, if any check knows one."""
    for check in _checks.get(insurance_type, []):
        started = check(person_id)
        if started is not None:
            return started
    return None

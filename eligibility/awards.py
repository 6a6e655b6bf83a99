"""The one place eligibility touches awards: reads of who is a beneficiary, and the benefits
services that hold, release, suspend, resume and stop an award (benefits/__init__.py).

Eligibility never computes a payment: arrears on resumption and the overpayment debts on a stop
are the benefits services' work. It never writes the benefits tables itself: the nightly
comparison holds awards through benefits' set-based award_holds_open_many.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import connection

from benefits.services import awards as benefit_awards

if TYPE_CHECKING:
    from accounts.models import User
    from benefits.models import Award
    from benefits.services.awards import StopResult

# Award statuses in which the person still draws (or would draw) the benefit.
DRAWING_STATUSES = ("active", "suspended")
# Reasons written on the holds and suspensions eligibility opens; a release looks for its own.
HOLD_REASON_SUSPICION = "eligibility:suspicion"
SUSPENSION_REASON_AUTHENTICATION = "eligibility:authentication_overdue"
SUSPENSION_REASON_DEATH = "eligibility:official_death_record"


def award_table() -> str:
    from benefits.models import Award

    return str(Award._meta.db_table)


def is_beneficiary(person_id: int) -> bool:
    from benefits.models import Award

    return Award.objects.filter(
        person_id=person_id, status__in=DRAWING_STATUSES, frequency="monthly"
    ).exists()


def award_hold(*, award_id: int, reason: str, evidence: str, by: User | None) -> int:
    """Hold the award's payments from the next run (Art. 26: held, not stopped); the hold id."""
    hold = benefit_awards.award_hold(award_id=award_id, reason=reason, evidence=evidence, by=by)
    return int(hold.pk)


def suspicion_evidence(suspicion_id: int) -> str:
    """The evidence written on a hold or suspension eligibility opens for a suspicion."""
    return f"eligibility:suspicion:{suspicion_id}"


def awards_hold_for_suspicions(suspicions: list[tuple[int, int]], *, reason: str) -> int:
    """Hold, in one pass, the awards of these (suspicion id, award id) pairs for the nightly
    comparison: one hold per suspicion through benefits' set-based award_holds_open_many (the
    same rows as award_hold), its id written back on the suspicion. The number of holds."""
    from eligibility.models import Suspicion

    made = benefit_awards.award_holds_open_many(
        holds=[(award_id, suspicion_evidence(pk)) for pk, award_id in suspicions],
        reason=reason,
        by=None,
    )
    holds = [
        (pk, made[suspicion_evidence(pk)])
        for pk, _award in suspicions
        if suspicion_evidence(pk) in made  # an award that ended meanwhile is not held
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Suspicion._meta.db_table} s SET hold_id = x.hold_id
                FROM unnest(%s::bigint[], %s::bigint[]) AS x(id, hold_id)
                WHERE s.id = x.id""",  # noqa: S608 - our table
            [[pk for pk, _hold in holds], [hold_id for _pk, hold_id in holds]],
        )
    return len(holds)


def award_hold_release(*, hold_id: int, note: str, by: User | None) -> None:
    benefit_awards.award_hold_release(hold_id=hold_id, note=note, by=by)


def award_suspend(*, award_id: int, reason: str, evidence: str, by: User | None) -> int:
    """Suspend the award (payments built and held); the suspension's hold id."""
    hold = benefit_awards.award_suspend(award_id=award_id, reason=reason, evidence=evidence, by=by)
    return int(hold.pk)


def award_resume(*, award_id: int, note: str, by: User | None) -> Award:
    """Resume a suspended award; benefits pays the months missed as arrears."""
    return benefit_awards.award_resume(award_id=award_id, note=note, by=by)


def award_stop(
    *,
    award_id: int,
    stop_date: date,
    cause: str,
    by: User | None,
    evidence: str = "",
    reported_on: date | None = None,
) -> StopResult:
    """Stop an award from the event date; benefits creates the overpayment debt (Art. 46)."""
    return benefit_awards.award_stop(
        award_id=award_id,
        stop_date=stop_date,
        cause=cause,
        by=by,
        evidence=evidence,
        reported_on=reported_on,
    )

"""The one place eligibility touches awards: reads of who is a beneficiary, and the benefits
services that hold, release, suspend, resume and stop an award (benefits/__init__.py).

Eligibility never computes a payment: arrears on resumption and the overpayment debts on a stop
are the benefits services' work. The one write it makes to the benefits tables itself is
`awards_hold_for_suspicions`, the set-based twin of award_hold the nightly comparison needs
(a hold per award would be a per-row loop over a population), until benefits offers one.
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
    function = getattr(_services_module(), name, None)
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


def award_hold(*, award_id: int, reason: str, evidence: str, by: User | None) -> int:
    """Hold the award's payments from the next run (Art. 26: held, not stopped); the hold id."""
    hold = _service("award_hold")(award_id=award_id, reason=reason, evidence=evidence, by=by)
    return int(hold.pk)


def awards_hold_for_suspicions(cursor: Any, *, table: str, reason: str) -> int:
    """Hold, in one pass, the awards of the suspicions listed in `table` (columns id, award_id):
    each suspicion its own hold, whose id is written back on it. The set-based twin of
    benefits' award_hold for the nightly comparison, which would otherwise hold awards one by
    one: the same rows (an open hold of kind "hold", Award.is_held, the award's unsent payments
    held and their runs' totals kept right). benefits.services.awards_hold_many replaces it
    when benefits offers one."""
    bulk = getattr(_services_module(), "awards_hold_many", None)
    if bulk is not None:  # pragma: no cover - not offered by benefits yet
        return int(bulk(cursor=cursor, table=table, reason=reason))
    from benefits.models import Award, AwardHold, Payment, PaymentRun
    from eligibility.models import Suspicion

    holds, suspicions = AwardHold._meta.db_table, Suspicion._meta.db_table
    cursor.execute(
        f"""WITH made AS (
                INSERT INTO {holds} (award_id, kind, reason, evidence, opened_at, release_note)
                SELECT t.award_id, 'hold', %s, 'eligibility:suspicion:' || t.id, now(), ''
                FROM {table} t
                RETURNING id, award_id, evidence)
            UPDATE {suspicions} s SET hold_id = made.id
            FROM made, {table} t
            WHERE s.id = t.id AND made.award_id = t.award_id
              AND made.evidence = 'eligibility:suspicion:' || t.id""",  # noqa: S608
        [reason],
    )
    held = int(cursor.rowcount)
    cursor.execute(
        f"""UPDATE {Award._meta.db_table} a SET is_held = true
            FROM (SELECT DISTINCT award_id FROM {table}) t
            WHERE a.id = t.award_id AND NOT a.is_held"""  # noqa: S608
    )
    cursor.execute(
        f"""UPDATE {Payment._meta.db_table} p SET status = 'held', bank_run_id = NULL
            FROM (SELECT DISTINCT award_id FROM {table}) t
            WHERE p.award_id = t.award_id AND p.status = 'pending'
              AND (p.bank_run_id IS NULL OR p.bank_run_id IN (
                   SELECT id FROM {PaymentRun._meta.db_table}
                   WHERE status NOT IN ('released', 'reconciled')))
            RETURNING p.bank_run_id, p.run_id"""  # noqa: S608
    )
    runs = {run_id for row in cursor.fetchall() for run_id in row if run_id is not None}
    if runs:
        from benefits.services.runs import run_totals_refresh

        for run_id in sorted(runs):
            if not PaymentRun.objects.filter(
                pk=run_id, status__in=("released", "reconciled")
            ).exists():
                run_totals_refresh(run_id=run_id)
    return held


def _services_module() -> Any:
    """benefits.services, or its awards module while the package exports nothing yet."""
    for name in ("benefits.services", "benefits.services.awards"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover
            continue
        if hasattr(module, "award_hold"):
            return module
    return None


def award_hold_release(*, hold_id: int, note: str, by: User | None) -> None:
    _service("award_hold_release")(hold_id=hold_id, note=note, by=by)


def award_suspend(*, award_id: int, reason: str, evidence: str, by: User | None) -> int:
    """Suspend the award (payments built and held); the suspension's hold id."""
    hold = _service("award_suspend")(award_id=award_id, reason=reason, evidence=evidence, by=by)
    return int(hold.pk)


def award_resume(*, award_id: int, note: str, by: User | None) -> Any:
    """Resume a suspended award; benefits pays the months missed as arrears."""
    return _service("award_resume")(award_id=award_id, note=note, by=by)


def award_stop(
    *,
    award_id: int,
    stop_date: date,
    cause: str,
    by: User | None,
    evidence: str = "",
    reported_on: date | None = None,
) -> Any:
    """Stop an award from the event date; benefits creates the overpayment debt (Art. 46)."""
    return _service("award_stop")(
        award_id=award_id,
        stop_date=stop_date,
        cause=cause,
        by=by,
        evidence=evidence,
        reported_on=reported_on,
    )

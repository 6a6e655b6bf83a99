"""Awards: creating them from decisions, and holding, suspending, resuming and stopping them
(Arts. 25-26). The names here are the interface other apps (eligibility) call.

Periods: a payment for a month is due when the month began on or before the stop date. The
worked example of benefit-rules.md (i): a pensioner who died on 2025-03-05 was overpaid April,
May and June; March was due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from benefits.errors import AwardStateError, HoldNotOpenError
from benefits.models import (
    AmountReason,
    Award,
    AwardAmount,
    AwardHold,
    AwardStatus,
    Debt,
    DebtCause,
    DebtEntryKind,
    DebtPeriod,
    DebtStatus,
    Frequency,
    HoldKind,
    Payment,
    PaymentResend,
    PaymentRun,
    PaymentRunStatus,
    PaymentStatus,
)
from benefits.services.common import month_start, require_perm, table
from core import calendar

if TYPE_CHECKING:
    from accounts.models import User
    from benefits.models import Claim
    from core.models import Region
    from registration.models import InsuredPerson

# Art. 25: the employer, beneficiary or relatives report a stop event within 20 working days.
STOP_REPORT_WORKING_DAYS = 20
RELEASED = (PaymentRunStatus.RELEASED, PaymentRunStatus.RECONCILED)


@dataclass(frozen=True)
class AwardSpec:
    """One award a granted decision creates."""

    kind: str
    scheme: str
    frequency: str
    amount: Decimal
    start_month: date
    end_month: date | None
    payee_name: str
    payee_bank: str
    payee_account: str  # plaintext; stored encrypted
    note: str = ""


def award_create(
    *,
    person: InsuredPerson,
    region: Region,
    spec: AwardSpec,
    by: User | None,
    claim: Claim | None = None,
) -> Award:
    """Create an award and its first amount. Months whose payment run already exists get
    their payment now (arrears), so the next bank file carries them (Arts. 18-24)."""
    start = month_start(spec.start_month)
    end = start if spec.frequency == Frequency.ONE_OFF else spec.end_month
    with transaction.atomic():
        award = Award.objects.create(
            person=person,
            claim=claim,
            region=region,
            kind=spec.kind,
            scheme=spec.scheme,
            frequency=spec.frequency,
            amount=spec.amount,
            amount_from=start,
            start_month=start,
            end_month=month_start(end) if end else None,
            payee_name=spec.payee_name,
            payee_bank=spec.payee_bank,
            payee_account=spec.payee_account,
            note=spec.note[:300],
            created_by=by,
        )
        AwardAmount.objects.create(
            award=award, effective_month=start, amount=spec.amount, reason=AmountReason.INITIAL
        )
        arrears = _arrears_create(award)
        audit_event_record(
            actor=by,
            action="benefits.award.create",
            target=award,
            changes={
                "kind": spec.kind,
                "amount": str(spec.amount),
                "start_month": start.isoformat(),
                "end_month": award.end_month.isoformat() if award.end_month else None,
                "payee_account": award.masked_account,
                "arrears_months": arrears,
            },
        )
    return award


def _arrears_create(award: Award) -> int:
    """Payments for the award's months whose run was already started (ON CONFLICT: a chunk
    that got there first keeps its payment). They wait for the next bank file."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table(Payment)}
                    (award_id, run_id, bank_run_id, period, gross, deductions, net, status,
                     offset_debt_id, return_reason_code, return_reason, created_at)
                SELECT a.id, NULL, NULL, r.period, a.amount, 0, a.amount, 'pending', NULL,
                       '', '', now()
                FROM {table(Award)} a JOIN {table(PaymentRun)} r ON r.region_id = a.region_id
                WHERE a.id = %s AND r.period >= a.start_month
                  AND (a.end_month IS NULL OR r.period <= a.end_month)
                ON CONFLICT (award_id, period) DO NOTHING""",  # noqa: S608
            [award.pk],
        )
        return int(cursor.rowcount)


def _lock(award_id: int) -> Award:
    return Award.objects.select_for_update().get(pk=award_id)


def _open(award: Award, *allowed: AwardStatus) -> None:
    if award.status not in allowed:
        raise AwardStateError(
            _("This is not possible while the award is “%(status)s”.")
            % {"status": AwardStatus(award.status).label},
            status=award.status,
        )


def _refresh_held(award: Award) -> None:
    award.is_held = award.holds.filter(released_at__isnull=True, kind=HoldKind.HOLD).exists()
    award.save(update_fields=["is_held"])


def award_hold(*, award_id: int, reason: str, evidence: str = "", by: User | None) -> AwardHold:
    """Hold an award's payments (e.g. while eligibility is checked, Art. 26): the run still
    builds them, held, and sends nothing until the hold is released."""
    _require(by)
    with transaction.atomic():
        award = _lock(award_id)
        _open(award, AwardStatus.ACTIVE, AwardStatus.SUSPENDED)
        hold = AwardHold.objects.create(
            award=award,
            kind=HoldKind.HOLD,
            reason=reason[:300],
            evidence=evidence[:300],
            opened_by=by,
        )
        _refresh_held(award)
        _hold_unsent(award)
        audit_event_record(
            actor=by,
            action="benefits.award.hold",
            target=award,
            changes={"hold": hold.pk, "reason": reason, "evidence": evidence},
        )
    return hold


def award_hold_release(*, hold_id: int, note: str = "", by: User | None) -> AwardHold:
    """Release a hold. Held payments (and returned ones) of the award go into the next run's
    bank file when no hold or suspension remains."""
    _require(by)
    with transaction.atomic():
        award_id = AwardHold.objects.filter(pk=hold_id).values_list("award_id", flat=True).get()
        award = _lock(award_id)
        hold = AwardHold.objects.select_for_update().get(pk=hold_id)
        if hold.kind != HoldKind.HOLD or not hold.is_open:
            raise HoldNotOpenError(_("This hold is not open."))
        _release(hold, note, by)
        _refresh_held(award)
        queued = _requeue_if_free(award)
        audit_event_record(
            actor=by,
            action="benefits.award.hold_release",
            target=award,
            changes={"hold": hold.pk, "queued_payments": queued},
            note=note,
        )
    return hold


def award_suspend(*, award_id: int, reason: str, evidence: str = "", by: User | None) -> AwardHold:
    """Art. 25: a stop event was reported and is being verified; the award is suspended, its
    payments built and held, not stopped."""
    _require(by)
    with transaction.atomic():
        award = _lock(award_id)
        _open(award, AwardStatus.ACTIVE)
        hold = AwardHold.objects.create(
            award=award,
            kind=HoldKind.SUSPENSION,
            reason=reason[:300],
            evidence=evidence[:300],
            opened_by=by,
        )
        award.status = AwardStatus.SUSPENDED
        award.status_since = timezone.localdate()
        award.save(update_fields=["status", "status_since"])
        _hold_unsent(award)
        audit_event_record(
            actor=by,
            action="benefits.award.suspend",
            target=award,
            changes={
                "status": [AwardStatus.ACTIVE, AwardStatus.SUSPENDED],
                "reason": reason,
                "evidence": evidence,
            },
        )
    return hold


def award_resume(*, award_id: int, note: str = "", by: User | None) -> Award:
    """End a suspension (the event was not confirmed): the award is active again and the
    payments held meanwhile are paid in the next run (the arrears)."""
    _require(by)
    with transaction.atomic():
        award = _lock(award_id)
        _open(award, AwardStatus.SUSPENDED)
        for hold in award.holds.select_for_update().filter(
            kind=HoldKind.SUSPENSION, released_at__isnull=True
        ):
            _release(hold, note, by)
        award.status = AwardStatus.ACTIVE
        award.status_since = timezone.localdate()
        award.save(update_fields=["status", "status_since"])
        queued = _requeue_if_free(award)
        audit_event_record(
            actor=by,
            action="benefits.award.resume",
            target=award,
            changes={
                "status": [AwardStatus.SUSPENDED, AwardStatus.ACTIVE],
                "arrears_payments": queued,
            },
            note=note,
        )
    return award


def _release(hold: AwardHold, note: str, by: User | None) -> None:
    hold.released_at = timezone.now()
    hold.released_by = by
    hold.release_note = note[:300]
    hold.save(update_fields=["released_at", "released_by", "release_note"])


def _hold_unsent(award: Award) -> None:
    """Payments built but not yet in a released bank file are held too (taken out of their
    run's bank file)."""
    unsent = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(award=award, status=PaymentStatus.PENDING)
        .exclude(bank_run__status__in=RELEASED)
    )
    runs = {p.bank_run_id for p in unsent if p.bank_run_id is not None}
    Payment.objects.filter(pk__in=[p.pk for p in unsent]).update(
        status=PaymentStatus.HELD, bank_run=None
    )
    _refresh_runs(runs)


def _requeue_if_free(award: Award) -> int:
    """No hold or suspension left: held payments wait for the next bank file, and payments the
    bank returned are sent again."""
    if award.status != AwardStatus.ACTIVE or award.is_held:
        return 0
    queued = Payment.objects.filter(award=award, status=PaymentStatus.HELD).update(
        status=PaymentStatus.PENDING, bank_run=None
    )
    returned = Payment.objects.filter(award=award, status=PaymentStatus.RETURNED).exclude(
        debt_period__isnull=False
    )
    for payment in returned.select_for_update(of=("self",)):
        PaymentResend.objects.create(payment=payment, amount=payment.net)
        payment.status = PaymentStatus.RESENT
        payment.save(update_fields=["status"])
        queued += 1
    return queued


def _refresh_runs(run_ids: set[int]) -> None:
    from benefits.services.runs import run_totals_refresh

    for run_id in sorted(run_ids):
        run_totals_refresh(run_id=run_id)


def _require(by: User | None) -> None:
    """Eligibility's automated checks call these as the system (by=None); people need the
    permission."""
    if by is not None:
        require_perm(by, "benefits.hold_award")


# ---------------------------------------------------------------------------------------------
# stop


@dataclass(frozen=True)
class StopResult:
    award: Award
    debt: Debt | None
    cancelled_payments: int
    report_deadline: date
    reported_late: bool


def award_stop(
    *,
    award_id: int,
    stop_date: date,
    cause: str,
    by: User | None,
    evidence: str = "",
    reported_on: date | None = None,
) -> StopResult:
    """Art. 25: a verified stop event stops the award from the event date. Payments for later
    months not yet sent are cancelled; those already sent or paid become an overpayment debt
    automatically (Art. 46), periods listed. `reported_on` (default today) is compared with the
    reporting deadline, event date + 20 working days, which is kept as evidence."""
    _require(by)
    reported_on = reported_on or timezone.localdate()
    deadline = calendar.add_working_days(stop_date, STOP_REPORT_WORKING_DAYS)
    late = reported_on > deadline.date
    with transaction.atomic():
        award = _lock(award_id)
        _open(award, AwardStatus.ACTIVE, AwardStatus.SUSPENDED)
        before = award.status
        for hold in award.holds.select_for_update().filter(released_at__isnull=True):
            _release(hold, _("Award stopped"), by)
        award.status = AwardStatus.STOPPED
        award.status_since = timezone.localdate()
        award.stopped_on = stop_date
        award.stop_cause = cause[:300]
        award.is_held = False
        award.end_month = max(month_start(stop_date), award.start_month)
        award.save(
            update_fields=[
                "status",
                "status_since",
                "stopped_on",
                "stop_cause",
                "is_held",
                "end_month",
            ]
        )
        later = Payment.objects.select_for_update(of=("self",)).filter(
            award=award, period__gt=stop_date
        )
        cancelled = _cancel_unsent(award, list(later.select_related("bank_run")))
        debt = _overpayment_create(award, stop_date, cause, late, deadline.date, by)
        _offsetting_end(award, by)
        audit_event_record(
            actor=by,
            action="benefits.award.stop",
            target=award,
            changes={
                "status": [before, AwardStatus.STOPPED],
                "stopped_on": stop_date.isoformat(),
                "cause": cause,
                "evidence": evidence,
                "report_deadline": deadline.date.isoformat(),
                "report_deadline_provisional": deadline.provisional,
                "reported_on": reported_on.isoformat(),
                "cancelled_payments": cancelled,
                "overpayment": debt.pk if debt else None,
            },
        )
    return StopResult(award, debt, cancelled, deadline.date, late)


def person_awards_stop(
    *,
    person_id: int,
    stop_date: date,
    cause: str,
    by: User | None,
    evidence: str = "",
    reported_on: date | None = None,
) -> list[StopResult]:
    """Stop every active or suspended award of a person (e.g. a verified death, Art. 25)."""
    results = []
    for award_id in (
        Award.objects.filter(
            person_id=person_id, status__in=[AwardStatus.ACTIVE, AwardStatus.SUSPENDED]
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        results.append(
            award_stop(
                award_id=award_id,
                stop_date=stop_date,
                cause=cause,
                by=by,
                evidence=evidence,
                reported_on=reported_on,
            )
        )
    return results


def _cancel_unsent(award: Award, later: list[Payment]) -> int:
    """Later months not yet with the bank are cancelled; their offsets are reversed."""
    cancelled = 0
    runs: set[int] = set()
    for payment in later:
        sent = payment.bank_run is not None and payment.bank_run.status in RELEASED
        if payment.status in (PaymentStatus.HELD, PaymentStatus.SETTLED) or (
            payment.status == PaymentStatus.PENDING and not sent
        ):
            if payment.bank_run_id is not None:
                runs.add(payment.bank_run_id)
            if payment.run_id is not None and payment.status == PaymentStatus.HELD:
                runs.add(payment.run_id)
            _offset_reverse(payment)
            payment.status = PaymentStatus.CANCELLED
            payment.save(update_fields=["status"])
            cancelled += 1
    # A returned payment queued to be sent again is not sent after a stop.
    for resend in (
        PaymentResend.objects.select_for_update(of=("self",))
        .filter(payment__in=later, status=PaymentStatus.PENDING)
        .select_related("run")
    ):
        if resend.run is None or resend.run.status not in RELEASED:
            resend.status = PaymentStatus.CANCELLED
            resend.save(update_fields=["status"])
            if resend.run_id is not None:
                runs.add(resend.run_id)
    _refresh_runs({run_id for run_id in runs if _not_released(run_id)})
    return cancelled


def _not_released(run_id: int) -> bool:
    return not PaymentRun.objects.filter(pk=run_id, status__in=RELEASED).exists()


def _offset_reverse(payment: Payment) -> None:
    if payment.deductions <= 0 or payment.offset_debt_id is None:
        return
    from benefits.services.debts import debt_entry_post

    debt_entry_post(
        debt_id=payment.offset_debt_id,
        kind=DebtEntryKind.OFFSET_REVERSAL,
        amount=-payment.deductions,
        reference=f"reversal:P{payment.pk}",
        note=_("The payment the offset was taken from was cancelled."),
        by=None,
        payment=payment,
    )


def _overpaid(award: Award, stop_date: date) -> list[tuple[Payment, Decimal]]:
    """Months after the stop date whose money went out: sent, paid, or re-sent in a released
    file. Returned money (not sent again) came back and is not owed."""
    overpaid: list[tuple[Payment, Decimal]] = []
    payments = (
        Payment.objects.filter(award=award, period__gt=stop_date, debt_period__isnull=True)
        .select_related("bank_run")
        .order_by("period")
    )
    for payment in payments:
        sent = payment.bank_run is not None and payment.bank_run.status in RELEASED
        if payment.status == PaymentStatus.PAID or (
            payment.status == PaymentStatus.PENDING and sent
        ):
            overpaid.append((payment, payment.gross))
        elif payment.status == PaymentStatus.RESENT:
            out = payment.resends.filter(
                run__status__in=RELEASED, status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]
            ).exists()
            if out:
                overpaid.append((payment, payment.gross))
        elif payment.status == PaymentStatus.SETTLED and sent:
            overpaid.append((payment, payment.gross))  # all of it went to another debt
    return overpaid


def _overpayment_create(
    award: Award, stop_date: date, cause: str, late: bool, deadline: date, by: User | None
) -> Debt | None:
    overpaid = _overpaid(award, stop_date)
    if not overpaid:
        return None
    amount = sum((gross for _p, gross in overpaid), Decimal("0"))
    debt = Debt.objects.create(
        person_id=award.person_id,
        award=award,
        region_id=award.region_id,
        cause=DebtCause.LATE_REPORT if late else DebtCause.STOP_EVENT,
        cause_note=(
            _("Paid after the stop event of %(date)s (%(cause)s); reporting deadline %(deadline)s.")
            % {"date": stop_date.isoformat(), "cause": cause, "deadline": deadline.isoformat()}
        )[:500],
        amount=amount,
        outstanding=amount,
        created_by=by,
    )
    DebtPeriod.objects.bulk_create(
        DebtPeriod(debt=debt, payment=payment, period=payment.period, amount=gross)
        for payment, gross in overpaid
    )
    audit_event_record(
        actor=by,
        action="benefits.debt.create",
        target=debt,
        changes={
            "amount": str(amount),
            "cause": debt.cause,
            "award": award.pk,
            "periods": [p.period.isoformat() for p, _g in overpaid],
        },
    )
    return debt


def _offsetting_end(award: Award, by: User | None) -> None:
    """Debts offset against this award's payments cannot go on: back to a repayment order."""
    for debt in Debt.objects.select_for_update().filter(
        offset_award=award, status=DebtStatus.OFFSETTING
    ):
        debt.status = DebtStatus.ORDERED
        debt.save(update_fields=["status"])
        audit_event_record(
            actor=by,
            action="benefits.debt.offset_end",
            target=debt,
            changes={"status": [DebtStatus.OFFSETTING, DebtStatus.ORDERED], "award": award.pk},
        )


__all__ = [
    "AwardSpec",
    "StopResult",
    "award_create",
    "award_hold",
    "award_hold_release",
    "award_holds_open_many",
    "award_resume",
    "award_stop",
    "award_suspend",
    "person_awards_stop",
]


def award_holds_open_many(
    *, holds: list[tuple[int, str]], reason: str, by: User | None = None
) -> dict[str, int]:
    """The set-based award_hold for a nightly comparison (one hold per (award_id, evidence)
    pair, in one transaction): the same rows as award_hold (an open hold, Award.is_held, the
    awards' unsent payments held, their runs' totals kept right). Returns {evidence: hold id}.
    Awards that are not active or suspended are skipped."""
    if not holds:
        return {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""WITH wanted(award_id, evidence) AS (SELECT * FROM unnest(%s::bigint[], %s::text[])),
                    locked AS (
                        SELECT a.id FROM {table(Award)} a
                        WHERE a.id IN (SELECT award_id FROM wanted)
                          AND a.status IN ('active', 'suspended')
                        ORDER BY a.id FOR UPDATE),
                    made AS (
                        INSERT INTO {table(AwardHold)}
                            (award_id, kind, reason, evidence, opened_by_id, opened_at,
                             release_note)
                        SELECT w.award_id, 'hold', %s, w.evidence, %s, now(), ''
                        FROM wanted w JOIN locked l ON l.id = w.award_id
                        RETURNING id, award_id, evidence)
                SELECT id, award_id, evidence FROM made""",  # noqa: S608
            [
                [a for a, _e in holds],
                [e for _a, e in holds],
                reason[:300],
                by.pk if by is not None else None,
            ],
        )
        made = cursor.fetchall()
        award_ids = sorted({row[1] for row in made})
        cursor.execute(
            f"UPDATE {table(Award)} SET is_held = true WHERE id = ANY(%s)",  # noqa: S608
            [award_ids],
        )
        cursor.execute(
            f"""WITH unsent AS (
                    SELECT p.id, p.bank_run_id AS old_run, p.run_id
                    FROM {table(Payment)} p
                    WHERE p.award_id = ANY(%s) AND p.status = 'pending'
                      AND (p.bank_run_id IS NULL OR p.bank_run_id IN (
                           SELECT id FROM {table(PaymentRun)}
                           WHERE status NOT IN ('released', 'reconciled')))
                    FOR UPDATE)
                UPDATE {table(Payment)} p SET status = 'held', bank_run_id = NULL
                FROM unsent u WHERE p.id = u.id
                RETURNING u.old_run, u.run_id""",  # noqa: S608
            [award_ids],
        )
        runs = {run_id for row in cursor.fetchall() for run_id in row if run_id is not None}
        _refresh_runs({run_id for run_id in runs if _not_released(run_id)})
        audit_event_record(
            actor=by,
            action="benefits.award.hold_many",
            changes={"holds": len(made), "awards": len(award_ids), "reason": reason},
        )
    return {evidence: hold_id for hold_id, _award, evidence in made}

"""The monthly payment run (Arts. 18-24 pay; Art. 40 the expenditure account; Art. 46 offsets).

How it runs (DESIGN.md "Time and scale", "Lessons"):

1. `payment_run_start` takes a transaction-scoped advisory lock keyed on region and month, refuses
   a second run for the same region and month (PaymentRunExistsError, 409; UNIQUE(region, period)
   backs the lock), splits the region's payable awards into id ranges of `chunk_size` awards
   (one Celery task each: at most one task per 1,000 awards), creates a core Job row for the
   progress bar, and enqueues the chunks once its transaction commits.
2. `payment_run_chunk` builds one id range in one transaction with one statement:
   INSERT ... SELECT ... ON CONFLICT (award_id, period) DO NOTHING, deducting active offsets with
   the per-payment cap pinned on the run, writing the offsets to the debts' ledgers and reducing
   what the debts owe, all from the rows actually inserted (RETURNING). A retried, duplicated or
   re-run chunk inserts nothing and deducts nothing twice; a worker killed mid-chunk leaves
   nothing (its transaction never commits).
3. The chunk that finds every chunk of the current generation done calls
   `payment_run_finalise`, which (under the run's row lock) attaches payments waiting for a bank
   file (released holds, arrears), keeps the totals and marks the run built.
4. A supervisor who did not start the run approves it (`payment_run_approve`); releasing it
   writes the bank file (benefits.services.bankfile) and the bank's answer is imported there too.

`payment_run_resume` re-enqueues the chunks a killed worker left; `payment_run_rerun` executes
every chunk again (it inserts nothing for payments that exist) and builds the totals again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from benefits import tasks
from benefits.errors import PaymentRunExistsError, PaymentRunSelfApprovalError, PaymentRunStateError
from benefits.models import (
    Award,
    AwardAmount,
    AwardStatus,
    Debt,
    DebtEntry,
    DebtStatus,
    Payment,
    PaymentResend,
    PaymentRun,
    PaymentRunChunk,
    PaymentRunStatus,
    PaymentStatus,
)
from benefits.services.common import month_start, require_perm, table
from core.models import Job, JobStatus, Region
from core.policy import PolicyParameterMissingError, policy_decimal

if TYPE_CHECKING:
    from accounts.models import User

JOB_KIND = "benefits.payment_run"
OFFSET_CAP_RATIO = "offset_cap_ratio"
OFFSET_CAP_AMOUNT = "offset_cap_amount"
# DESIGN.md budget: at most one Celery task per 1,000 awards (tests lower it to see chunks).
MIN_CHUNK_SIZE = 1_000
# Advisory-lock namespace for payment runs ("BE" in the top bits), so no other lock collides.
_LOCK_NAMESPACE = 0xBE << 48


def default_chunk_size() -> int:
    return int(getattr(settings, "BENEFITS_PAYMENT_CHUNK_SIZE", 20_000))


def run_lock_key(region_id: int, period: date) -> int:
    """One bigint per (region, month) for pg_try_advisory_xact_lock."""
    return _LOCK_NAMESPACE | (region_id << 20) | (period.year * 12 + period.month - 1)


def _payable_filter() -> str:
    """The awards a run pays for a month: in the region, payable (active, or suspended: held),
    started and not ended. A stopped award has its end month set to the stop month."""
    return (
        "a.region_id = %(region)s AND a.status IN ('active', 'suspended')"
        " AND a.start_month <= %(period)s"
        " AND (a.end_month IS NULL OR a.end_month >= %(period)s)"
    )


# ---------------------------------------------------------------------------------------------
# start


def payment_run_start(
    *, region: Region, period: date, by: User, chunk_size: int | None = None
) -> PaymentRun:
    """Start the payment run of `region` for the month of `period`: one per region and month."""
    require_perm(by, "benefits.start_paymentrun")
    period = month_start(period)
    size = chunk_size or default_chunk_size()
    if size < MIN_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be at least {MIN_CHUNK_SIZE} awards")
    return _start(region=region, period=period, by=by, size=size)


def _start(*, region: Region, period: date, by: User, size: int) -> PaymentRun:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s)", [run_lock_key(region.pk, period)]
                )
                (locked,) = cursor.fetchone()
            existing = PaymentRun.objects.filter(region=region, period=period).first()
            if not locked or existing is not None:
                raise _exists(region, period, existing)
            ratio, cap = _offset_caps(region, period)
            run = PaymentRun.objects.create(
                region=region,
                period=period,
                started_by=by,
                chunk_size=size,
                offset_cap_ratio=ratio,
                offset_cap_amount=cap,
            )
            chunks = _chunks_create(run, size)
            job = Job.objects.create(
                kind=JOB_KIND,
                created_by=by,
                status=JobStatus.RUNNING,
                started_at=timezone.now(),
                params={"payment_run": run.pk, "region": region.code, "period": f"{period:%Y-%m}"},
                progress_total=sum(chunk.awards for chunk in chunks),
                message=_("Payment run %(region)s %(period)s")
                % {"region": region.code, "period": f"{period:%Y-%m}"},
            )
            run.job = job
            run.chunks_total = len(chunks)
            run.save(update_fields=["job", "chunks_total"])
            audit_event_record(
                actor=by,
                action="benefits.payment_run.start",
                target=run,
                changes={
                    "region": region.code,
                    "period": f"{period:%Y-%m}",
                    "chunks": len(chunks),
                    "awards": job.progress_total,
                    "offset_cap_ratio": ratio,
                    "offset_cap_amount": cap,
                },
            )
            transaction.on_commit(partial(_dispatch, run.pk, [c.number for c in chunks]))
    except IntegrityError:
        # UNIQUE(region, period) caught a start the lock did not (another session committed it).
        raise _exists(region, period, None) from None
    return run


def _exists(region: Region, period: date, run: PaymentRun | None) -> PaymentRunExistsError:
    return PaymentRunExistsError(
        _("The payment run of %(region)s for %(period)s has already been started.")
        % {"region": region.code, "period": f"{period:%Y-%m}"},
        run=run.pk if run is not None else None,
    )


def _offset_caps(region: Region, period: date) -> tuple[Decimal | None, Decimal | None]:
    """Art. 46 leaves the cap on an offset per payment to local policy: a share of the payment
    ("offset_cap_ratio") and/or an amount ("offset_cap_amount"), pinned on the run. A region
    with offsetting debts and neither figure cannot start its run (fail loudly, never deduct a
    whole benefit)."""
    values: list[Decimal | None] = []
    for key in (OFFSET_CAP_RATIO, OFFSET_CAP_AMOUNT):
        try:
            values.append(policy_decimal(key, on=period, region=region))
        except PolicyParameterMissingError:
            values.append(None)
    ratio, cap = values
    if ratio is None and cap is None:
        offsetting = Debt.objects.filter(
            status=DebtStatus.OFFSETTING, offset_award__region=region
        ).exists()
        if offsetting:
            raise PolicyParameterMissingError(
                _(
                    "No offset cap (%(ratio)s or %(amount)s) is in force for %(region)s, but "
                    "overpayments there are being offset against benefits (Art. 46)."
                )
                % {"ratio": OFFSET_CAP_RATIO, "amount": OFFSET_CAP_AMOUNT, "region": region.code},
                key=OFFSET_CAP_RATIO,
            )
    return ratio, cap


def _chunks_create(run: PaymentRun, size: int) -> list[PaymentRunChunk]:
    """Id ranges of `size` payable awards each, read in one pass in id order. The last range
    is open-ended, so an award created while the run builds is not missed."""
    # Every `size`-th award starts a range; the last award (no next one) gives the count. A
    # lookahead of one row, where count(*) OVER () would hold every award until the end (at a
    # million awards it spilled to disk and took longer than the scan).
    sql = f"""
        SELECT id, rn FROM (
            SELECT a.id, row_number() OVER (ORDER BY a.id) - 1 AS rn,
                   lead(a.id) OVER (ORDER BY a.id) IS NULL AS is_last
            FROM {table(Award)} a WHERE {_payable_filter()}
        ) numbered WHERE rn %% %(size)s = 0 OR is_last ORDER BY id"""  # noqa: S608 - our tables
    with connection.cursor() as cursor:
        cursor.execute(sql, {"region": run.region_id, "period": run.period, "size": size})
        rows = cursor.fetchall()
    if not rows:
        return []
    total = int(rows[-1][1]) + 1  # the last row in id order is the last award
    lows = [int(award_id) for award_id, rn in rows if rn % size == 0]
    highs = [*lows[1:], 2**63 - 1]
    chunks = [
        PaymentRunChunk(
            run=run,
            number=number,
            low_id=0 if number == 1 else low,
            high_id=high,
            awards=min(size, total - (number - 1) * size),
        )
        for number, (low, high) in enumerate(zip(lows, highs, strict=True), start=1)
    ]
    return PaymentRunChunk.objects.bulk_create(chunks)


def _dispatch(run_id: int, numbers: list[int]) -> None:
    """Enqueue one task per chunk (after commit); no chunk at all: finalise at once."""
    if not numbers:
        tasks.payment_run_finalise_task.delay(run_id)
        return
    for number in numbers:
        tasks.payment_run_chunk_task.delay(run_id, number)


# ---------------------------------------------------------------------------------------------
# one chunk


@dataclass(frozen=True)
class ChunkResult:
    inserted: int
    gross: Decimal
    deductions: Decimal
    held: int
    held_gross: Decimal


def chunk_statement() -> str:
    """The chunk's one statement. Shared with the benchmark, which times the same arithmetic as
    a single INSERT ... SELECT, and whose EXPLAIN shows the id-range index scan."""
    return f"""
    WITH src AS (
        SELECT a.id AS award_id,
               -- The amount in force for the month: the row's own, or its history before it.
               CASE WHEN a.amount_from <= %(period)s THEN a.amount
                    ELSE COALESCE((SELECT h.amount FROM {table(AwardAmount)} h
                                   WHERE h.award_id = a.id AND h.effective_month <= %(period)s
                                   ORDER BY h.effective_month DESC, h.id DESC LIMIT 1), 0)
               END AS gross,
               (a.status = 'suspended' OR a.is_held) AS held,
               d.id AS debt_id, d.outstanding
        FROM {table(Award)} a
        LEFT JOIN {table(Debt)} d ON d.offset_award_id = a.id AND d.status = 'offsetting'
        WHERE {_payable_filter()} AND a.id >= %(low)s AND a.id < %(high)s
    ), priced AS (
        -- Art. 46: offset against later benefits, capped per payment by the regional figures
        -- (LEAST ignores a cap that is not set). ROUND on numeric rounds half away from zero,
        -- i.e. half-up for these positive amounts. Held payments deduct nothing until paid.
        SELECT award_id, gross, held, debt_id,
               CASE WHEN held OR debt_id IS NULL THEN 0
                    ELSE LEAST(outstanding, gross,
                               ROUND(gross * %(cap_ratio)s::numeric, 2),
                               %(cap_amount)s::numeric)
               END AS deduction
        FROM src
    ), ins AS (
        INSERT INTO {table(Payment)}
            (award_id, run_id, bank_run_id, period, gross, deductions, net, status,
             offset_debt_id, return_reason_code, return_reason, created_at)
        SELECT award_id, %(run)s, CASE WHEN held THEN NULL ELSE %(run)s END, %(period)s,
               gross, deduction, gross - deduction,
               CASE WHEN held THEN 'held' WHEN gross - deduction = 0 THEN 'settled'
                    ELSE 'pending' END,
               CASE WHEN deduction > 0 THEN debt_id END, '', '', now()
        FROM priced
        ON CONFLICT (award_id, period) DO NOTHING
        RETURNING id, gross, deductions, status, offset_debt_id
    ), offsets AS (
        INSERT INTO {table(DebtEntry)}
            (debt_id, kind, amount, payment_id, reference, note, recorded_at)
        SELECT offset_debt_id, 'offset_benefit', deductions, id, '', '', now()
        FROM ins WHERE deductions > 0
        RETURNING debt_id, amount
    ), debts AS (
        UPDATE {table(Debt)} d
        SET outstanding = d.outstanding - o.total,
            status = CASE WHEN d.outstanding - o.total = 0 THEN 'settled' ELSE d.status END,
            settled_at = CASE WHEN d.outstanding - o.total = 0 THEN now() ELSE d.settled_at END
        FROM (SELECT debt_id, SUM(amount) AS total FROM offsets GROUP BY debt_id) o
        WHERE d.id = o.debt_id
        RETURNING d.id
    )
    SELECT COUNT(*), COALESCE(SUM(gross), 0), COALESCE(SUM(deductions), 0),
           COUNT(*) FILTER (WHERE status = 'held'),
           COALESCE(SUM(gross) FILTER (WHERE status = 'held'), 0),
           (SELECT COUNT(*) FROM debts)
    FROM ins"""  # noqa: S608 - table names are ours, values are parameters


def chunk_params(run: PaymentRun, chunk: PaymentRunChunk) -> dict[str, Any]:
    return {
        "run": run.pk,
        "region": run.region_id,
        "period": run.period,
        "low": chunk.low_id,
        "high": chunk.high_id,
        "cap_ratio": run.offset_cap_ratio,
        "cap_amount": run.offset_cap_amount,
    }


def payment_run_chunk(*, run_id: int, number: int) -> ChunkResult | None:
    """Build one chunk in one transaction (see the module docstring). Returns None when the
    run is past building (a late duplicate delivery)."""
    with transaction.atomic():
        chunk = PaymentRunChunk.objects.select_related("run").get(run_id=run_id, number=number)
        run = chunk.run
        if run.status != PaymentRunStatus.BUILDING:
            return None
        with connection.cursor() as cursor:
            # A 20,000-row statement: compiling it (JIT) would cost more than running it.
            cursor.execute("SET LOCAL jit = off")
            # The chunk's commit need not wait for its WAL flush: a chunk lost in a database
            # crash loses its done mark with it (same transaction) and is simply run again, and
            # finalise's synchronous commit flushes every chunk before the run can be approved.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Lock the debts this range offsets first (pk order), so a repayment recorded at the
            # same moment waits and the deduction reads what is owed now.
            cursor.execute(
                f"SELECT id FROM {table(Debt)} WHERE status = 'offsetting'"  # noqa: S608
                " AND offset_award_id >= %s AND offset_award_id < %s ORDER BY id FOR UPDATE",
                [chunk.low_id, chunk.high_id],
            )
            cursor.execute(chunk_statement(), chunk_params(run, chunk))
            inserted, gross, deductions, held, held_gross, _debts = cursor.fetchone()
        result = ChunkResult(int(inserted), gross, deductions, int(held), held_gross)
        PaymentRunChunk.objects.filter(pk=chunk.pk).update(
            done_at=timezone.now(),
            generation=run.generation,
            runs=chunk.runs + 1,
            inserted=chunk.inserted + result.inserted,
            gross=chunk.gross + result.gross,
            deductions=chunk.deductions + result.deductions,
            held=chunk.held + result.held,
            held_gross=chunk.held_gross + result.held_gross,
        )
        if run.job_id is not None:
            done = PaymentRunChunk.objects.filter(run=run, generation=run.generation).aggregate(
                n=Sum("awards")
            )["n"]
            Job.objects.filter(pk=run.job_id).update(progress_done=done or 0)
    if (
        not PaymentRunChunk.objects.filter(run_id=run_id)
        .exclude(generation=run.generation)
        .exists()
    ):
        payment_run_finalise(run_id=run_id)
    return result


# ---------------------------------------------------------------------------------------------
# finalise, resume, re-run


def payment_run_finalise(*, run_id: int) -> PaymentRun:
    """Mark the run built once every chunk of its generation is done; keep the totals. Attaches
    the region's payments waiting for a bank file (released holds, arrears) and re-sends."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        if run.status != PaymentRunStatus.BUILDING:
            return run
        if PaymentRunChunk.objects.filter(run=run).exclude(generation=run.generation).exists():
            return run
        attached = _attach_waiting(run)
        totals = run_totals(run)
        for name, value in totals.items():
            setattr(run, name, value)
        run.status = PaymentRunStatus.BUILT
        run.built_at = timezone.now()
        run.save(update_fields=[*totals, "status", "built_at"])
        if run.job_id is not None:
            Job.objects.filter(pk=run.job_id).update(
                status=JobStatus.SUCCEEDED,
                finished_at=timezone.now(),
                progress_done=run.payments_count,
                progress_total=run.payments_count,
                result={
                    "payments": run.payments_count,
                    "gross": str(run.gross_total),
                    "deductions": str(run.deductions_total),
                    "net": str(run.net_total),
                    "held": run.held_count,
                },
            )
        audit_event_record(
            actor=None,
            action="benefits.payment_run.build",
            target=run,
            changes={**{k: str(v) for k, v in totals.items()}, "attached": attached},
        )
    return run


def _attach_waiting(run: PaymentRun) -> int:
    """Payments of the region released from a hold, or built outside a run (arrears), and
    returned payments queued to be sent again, go into this run's bank file."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table(Payment)} p SET bank_run_id = %s
                FROM {table(Award)} a
                WHERE p.bank_run_id IS NULL AND p.status = 'pending'
                  AND a.id = p.award_id AND a.region_id = %s""",  # noqa: S608
            [run.pk, run.region_id],
        )
        attached = cursor.rowcount
        cursor.execute(
            f"""UPDATE {table(PaymentResend)} r SET run_id = %s
                FROM {table(Payment)} p, {table(Award)} a
                WHERE r.run_id IS NULL AND r.status = 'pending'
                  AND p.id = r.payment_id AND a.id = p.award_id AND a.region_id = %s""",  # noqa: S608
            [run.pk, run.region_id],
        )
        return int(attached) + int(cursor.rowcount)


def run_totals(run: PaymentRun) -> dict[str, Any]:
    """What the run carries to the bank: its payments (bank_run) and the re-sent ones. These
    totals are the bank file's: run total = sum of its payments = bank file total. Payments the
    run built but held are counted apart (held_count, held_total: what the chunks held)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COUNT(*), COALESCE(SUM(gross), 0), COALESCE(SUM(deductions), 0)
                FROM {table(Payment)} WHERE bank_run_id = %s AND status <> 'cancelled'""",  # noqa: S608
            [run.pk],
        )
        count, gross, deductions = cursor.fetchone()
        cursor.execute(
            f"""SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM {table(PaymentResend)}
                WHERE run_id = %s AND status <> 'cancelled'""",  # noqa: S608
            [run.pk],
        )
        resent, resent_amount = cursor.fetchone()
    held = Payment.objects.filter(run=run, status=PaymentStatus.HELD).aggregate(
        n=Count("id"), g=Sum("gross")
    )  # the partial index payment_held serves this
    return {
        "payments_count": int(count) + int(resent),
        "gross_total": gross + resent_amount,
        "deductions_total": deductions,
        "net_total": gross + resent_amount - deductions,
        "held_count": held["n"] or 0,
        "held_total": held["g"] or Decimal("0"),
    }


def payment_run_resume(*, run_id: int, by: User | None = None) -> list[int]:
    """Enqueue again the chunks of a building run not yet done in its generation (a worker was
    killed, a message lost). Running a chunk twice is harmless, so this may always be called."""
    run = PaymentRun.objects.get(pk=run_id)
    if run.status != PaymentRunStatus.BUILDING:
        return []
    numbers = list(
        PaymentRunChunk.objects.filter(run=run)
        .exclude(generation=run.generation)
        .order_by("number")
        .values_list("number", flat=True)
    )
    _dispatch(run.pk, numbers)
    return numbers


def payment_run_rerun(*, run_id: int, by: User) -> PaymentRun:
    """Execute every chunk of a built (not yet approved) run again: payments that exist are not
    inserted again, offsets are not deducted twice, and the run is built afresh."""
    require_perm(by, "benefits.start_paymentrun")
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        if run.status not in (PaymentRunStatus.BUILDING, PaymentRunStatus.BUILT):
            raise PaymentRunStateError(
                _("Only a run that has not been approved can be run again."), status=run.status
            )
        run.status = PaymentRunStatus.BUILDING
        run.generation += 1
        run.save(update_fields=["status", "generation"])
        if run.job_id is not None:
            Job.objects.filter(pk=run.job_id).update(
                status=JobStatus.RUNNING, progress_done=0, finished_at=None
            )
        audit_event_record(
            actor=by,
            action="benefits.payment_run.rerun",
            target=run,
            changes={"generation": run.generation},
        )
        numbers = list(run.chunks.order_by("number").values_list("number", flat=True))
        transaction.on_commit(partial(_dispatch, run.pk, numbers))
    return run


# ---------------------------------------------------------------------------------------------
# approval


def payment_run_approve(*, run_id: int, by: User, note: str = "") -> PaymentRun:
    """A supervisor other than the person who started the run approves it before its bank file
    is released (Art. 37: no self-approval on money)."""
    require_perm(by, "benefits.approve_paymentrun")
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        if run.status != PaymentRunStatus.BUILT:
            raise PaymentRunStateError(
                _("Only a built run can be approved; this one is “%(status)s”.")
                % {"status": PaymentRunStatus(run.status).label},
                status=run.status,
            )
        if run.started_by_id == by.pk:
            raise PaymentRunSelfApprovalError(
                _("You started this payment run; another supervisor must approve it.")
            )
        run.status = PaymentRunStatus.APPROVED
        run.approved_by = by
        run.approved_at = timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        audit_event_record(
            actor=by,
            action="benefits.payment_run.approve",
            target=run,
            changes={
                "status": [PaymentRunStatus.BUILT, PaymentRunStatus.APPROVED],
                "net_total": str(run.net_total),
                "payments": run.payments_count,
            },
            note=note,
        )
    return run


def run_totals_refresh(*, run_id: int) -> PaymentRun:
    """Keep a run's totals right after payments of it were cancelled or moved (a stop before
    its bank file was released). Call inside the caller's transaction."""
    run = PaymentRun.objects.select_for_update().get(pk=run_id)
    if run.status in (PaymentRunStatus.RELEASED, PaymentRunStatus.RECONCILED):
        raise PaymentRunStateError(_("The run's bank file was already released."))
    if run.status == PaymentRunStatus.BUILDING:
        return run  # finalise computes them
    totals = run_totals(run)
    for name, value in totals.items():
        setattr(run, name, value)
    run.save(update_fields=list(totals))
    return run


def payable_awards_count(*, region: Region, period: date) -> int:
    """How many awards a run for the month would pay (for the start page)."""
    period = month_start(period)
    return (
        Award.objects.filter(
            region=region,
            status__in=[AwardStatus.ACTIVE, AwardStatus.SUSPENDED],
            start_month__lte=period,
        )
        .exclude(end_month__lt=period)
        .count()
    )


# A building run whose chunks have made no progress for this long had its worker killed or its
# messages lost (the broker redelivers only after its visibility timeout).
STALE_AFTER_MINUTES = 10


def payment_runs_resume_stale(*, now: Any = None) -> int:
    """Re-enqueue the missing chunks of building runs that have not progressed for a while."""
    from datetime import timedelta

    from django.db.models import Max

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=STALE_AFTER_MINUTES)
    resumed = 0
    for run in PaymentRun.objects.filter(status=PaymentRunStatus.BUILDING).annotate(
        last=Max("chunks__done_at")
    ):
        last = run.last or run.started_at  # type: ignore[attr-defined]
        if last < cutoff:
            resumed += len(payment_run_resume(run_id=run.pk))
    return resumed

"""Thin Celery wrappers: take ids, call one service. Every one is safe to run twice
(acks_late with reject-on-worker-lost in settings; the effects' idempotency is in the database)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from benefits import services


@shared_task(acks_late=True)
def payment_run_chunk_task(run_id: int, number: int) -> int | None:
    result = services.runs.payment_run_chunk(run_id=run_id, number=number)
    return None if result is None else result.inserted


@shared_task(acks_late=True)
def payment_run_finalise_task(run_id: int) -> None:
    services.runs.payment_run_finalise(run_id=run_id)


@shared_task(acks_late=True)
def payment_run_bank_file_task(run_id: int) -> None:
    services.bankfile.bank_file_write(run_id=run_id)


@shared_task(acks_late=True)
def periodic_payment_runs_resume_task() -> int:
    """Every few minutes: re-enqueue chunks of runs whose worker was killed (nothing is lost if
    the broker dropped the message; a duplicate chunk inserts nothing)."""
    return services.runs.payment_runs_resume_stale()


@shared_task(acks_late=True)
def periodic_instalments_follow_up_task() -> dict[str, int]:
    """Each morning: instalments past due and unpaid are marked missed; plans past their limit
    default and their debts go back to a repayment order (Art. 46)."""
    return services.debts.instalments_follow_up()


@shared_task(acks_late=True)
def periodic_ui_medical_postings_task() -> dict[str, Any]:
    """On the 1st: the UI fund's medical contributions for last month's beneficiaries."""
    return services.ui_medical.ui_medical_postings_for_last_month()

"""Thin Celery wrappers: take ids, call one service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from transfers import conf
from transfers.models import OutboxStatus
from transfers.services import relay


@shared_task(bind=True, acks_late=True, max_retries=None)
def outbox_message_relay_task(self: Any, message_id: int) -> str:
    """Deliver one outbox message. While the partner is down, retry after the row's backoff;
    delays beyond TRANSFERS_CELERY_RETRY_MAX_SECONDS (and every retry in eager mode) are left to
    the beat sweep, which reads the schedule from the database (DESIGN.md: no long countdowns)."""
    message = relay.outbox_relay(message_id=message_id)
    if message is None or message.status != OutboxStatus.PENDING:
        return "done" if message is not None else "skipped"
    delay = relay.backoff_seconds(message.attempts)
    if self.request.is_eager or delay > conf.celery_retry_max_seconds():
        return "scheduled"
    raise self.retry(countdown=delay)


@shared_task
def periodic_outbox_relay_due_task() -> dict[str, int]:
    """Every minute: attempt the messages whose next attempt is due (and any whose task was
    lost)."""
    return relay.outbox_relay_due()

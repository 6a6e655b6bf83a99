"""Relaying the outbox: deliver each message once, retry with backoff while a partner is down.

Delivery: over HTTPS to a remote partner, signed (transfers.signing); in process to a LOCAL
partner (a region this deployment serves), through the same inbox. The outcome of each attempt
is written on the row (attempts, last error, the partner's response and its headers):
- 2xx: delivered (a duplicate answer counts: the partner already has it);
- 4xx: the partner refused the message itself (bad signature, unknown transfer): FAILED, for a
  clerk to see, never retried by itself;
- anything else (connection refused, timeout, 5xx): still PENDING, next attempt after
  base × 2^(attempts-1) seconds, at most TRANSFERS_RETRY_MAX_SECONDS.
A row is claimed with SELECT … FOR UPDATE SKIP LOCKED, so the Celery task and the beat sweep
never deliver the same message at the same moment; the receiver's (sender, message id) key
makes any second delivery harmless anyway.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from transfers import conf, signing
from transfers.models import OutboxMessage, OutboxStatus, PartnerAgency, PartnerStatus

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/v1/transfers/messages"


@dataclass(frozen=True)
class Attempt:
    status: int | None  # None: no answer at all (connection refused, timeout)
    body: dict[str, Any] | None
    headers: dict[str, str]
    request_headers: dict[str, str]
    error: str = ""


def backoff_seconds(attempts: int) -> int:
    """The wait after the `attempts`-th failed attempt: 10, 20, 40, … seconds, capped."""
    return int(min(conf.retry_base_seconds() * 2 ** max(attempts - 1, 0), conf.retry_max_seconds()))


def outbox_relay(*, message_id: int, force: bool = False) -> OutboxMessage | None:
    """Attempt one message if it is due (or `force`: an operator's "retry now"). Returns the
    row after the attempt, or None when it was not due, already delivered, or being attempted
    by another worker."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .select_related("partner")
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None or (not force and message.next_attempt_at > now):
            return None
        attempt = _deliver(message)
        _record(message, attempt, now)
    return message


def _record(message: OutboxMessage, attempt: Attempt, now: datetime) -> None:
    message.attempts += 1
    message.last_attempt_at = now
    message.request_headers = attempt.request_headers
    message.response_status = attempt.status
    message.response_body = attempt.body
    message.response_headers = attempt.headers
    if attempt.status is not None and 200 <= attempt.status < 300:
        message.status = OutboxStatus.DELIVERED
        message.delivered_at = now
        message.last_error = ""
    elif attempt.status is not None and 400 <= attempt.status < 500:
        message.status = OutboxStatus.FAILED
        message.last_error = attempt.error or json.dumps(attempt.body, ensure_ascii=False)[:2000]
    else:
        message.next_attempt_at = now + timedelta(seconds=backoff_seconds(message.attempts))
        message.last_error = attempt.error[:2000]
        logger.warning(
            "transfer message %s to %s not delivered (attempt %s): %s; next at %s",
            message.message_id,
            message.partner.code,
            message.attempts,
            attempt.error,
            message.next_attempt_at.isoformat(),
        )
    message.save()


def _deliver(message: OutboxMessage) -> Attempt:
    partner = message.partner
    if partner.status == PartnerStatus.LOCAL:
        return _deliver_locally(message)
    if partner.status != PartnerStatus.ACTIVE:
        return Attempt(None, None, {}, {}, error=f"partner {partner.code} is {partner.status}")
    return _deliver_http(message, partner)


def _deliver_locally(message: OutboxMessage) -> Attempt:
    """A region this deployment serves: the same inbox, in process, in this transaction."""
    from transfers.services.messages import message_receive
    from transfers.services.partners import partner_for_region

    transfer = message.transfer
    sender = partner_for_region(transfer.local_region) if transfer else message.partner
    receipt = message_receive(partner=sender, body=message.body, headers={"transport": "local"})
    return Attempt(receipt.status, receipt.body, {}, {"transport": "local"})


def _deliver_http(message: OutboxMessage, partner: PartnerAgency) -> Attempt:
    body = message.body_text.encode()
    sender = partner.our_key_id or conf.key_id()
    headers = signing.sign(
        sender=sender,
        recipient=partner.code,
        method="POST",
        path=MESSAGES_PATH,
        message_id=str(message.message_id),
        body=body,
    )
    request = urllib.request.Request(  # noqa: S310 - the URL is the registered partner's
        partner.base_url + MESSAGES_PATH,
        data=body,
        method="POST",
        headers={**headers, "Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - http(s) only, checked at registration
            request, timeout=conf.http_timeout_seconds()
        ) as response:
            return _answer(
                partner, response.status, response.read(), dict(response.headers), headers
            )
    except urllib.error.HTTPError as exc:
        return _answer(partner, exc.code, exc.read(), dict(exc.headers), headers)
    except (OSError, TimeoutError) as exc:
        return Attempt(None, None, {}, headers, error=f"{type(exc).__name__}: {exc}")


def _answer(
    partner: PartnerAgency,
    status: int,
    raw: bytes,
    headers: dict[str, str],
    request_headers: dict[str, str],
) -> Attempt:
    try:
        body = json.loads(raw.decode() or "{}")
    except ValueError:
        body = {"raw": raw.decode(errors="replace")[:2000]}
    if 200 <= status < 300:
        # The partner signs its answers: an unsigned or forged 2xx is not a delivery.
        try:
            signing.verify(
                headers={name: headers.get(name, "") for name in signing.SIGNED_HEADERS},
                public_key=partner.public_key,
                recipient=request_headers[signing.H_KEY_ID],
                method="RESPONSE",
                path=str(status),
                body=raw,
            )
        except signing.SignatureError as exc:
            return Attempt(None, body, headers, request_headers, error=f"response: {exc.message}")
    return Attempt(status, body, headers, request_headers, error="" if status < 400 else str(body))


def outbox_relay_due(*, force: bool = False, limit: int = 200) -> dict[str, int]:
    """The beat sweep: attempt every pending message that is due (or all, with `force`)."""
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    if not force:
        due = due.filter(Q(next_attempt_at__lte=timezone.now()))
    counts = {"attempted": 0, "delivered": 0, "failed": 0, "pending": 0}
    for pk in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        message = outbox_relay(message_id=pk, force=force)
        if message is None:
            continue
        counts["attempted"] += 1
        counts[str(message.status)] = counts.get(str(message.status), 0) + 1
    return counts

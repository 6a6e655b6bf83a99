"""The transactional outbox and the idempotent inbox (DESIGN.md "Lessons").

outbox_write runs inside the business transaction: the message commits with the change it
reports, or not at all; the relay task is enqueued only after the commit. message_receive keeps
every delivery's request and response; a second delivery of one (sender, message id) gets the
first response back and changes nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from core.api import error_body
from core.errors import DomainError
from transfers.errors import MessageInvalidError
from transfers.models import (
    InboxMessage,
    InboxStatus,
    MessageKind,
    OutboxMessage,
    PartnerAgency,
    Transfer,
)


def outbox_write(
    *, partner: PartnerAgency, transfer: Transfer | None, kind: str, payload: dict[str, Any]
) -> OutboxMessage:
    """Queue a message to a partner, in the caller's transaction; relayed once it commits."""
    from transfers import tasks

    if not connection.in_atomic_block:
        raise RuntimeError("outbox_write must run inside the business transaction")
    message_id = uuid.uuid4()
    body = {
        "message_id": str(message_id),
        "kind": kind,
        "reference": transfer.reference if transfer is not None else "",
        "sent_at": timezone.now().isoformat(),
        **payload,
    }
    message = OutboxMessage.objects.create(
        message_id=message_id,
        partner=partner,
        transfer=transfer,
        kind=kind,
        body_text=json.dumps(body, ensure_ascii=False, sort_keys=True, default=str),
    )
    transaction.on_commit(partial(tasks.outbox_message_relay_task.delay, message.pk))
    return message


@dataclass(frozen=True)
class Receipt:
    status: int
    body: dict[str, Any]
    duplicate: bool = False


def message_receive(
    *, partner: PartnerAgency, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Receipt:
    """Process one message from a partner, once. Business refusals are answers (kept, 4xx);
    a duplicate gets the stored answer again."""
    from transfers.services import inbound

    try:
        message_id = uuid.UUID(str(body.get("message_id", "")))
    except ValueError:
        raise MessageInvalidError(
            "The message needs a message_id (UUID).", fields={"message_id": ["Not a UUID."]}
        ) from None
    kind = str(body.get("kind", ""))
    if kind not in MessageKind.values:
        raise MessageInvalidError(
            f"Unknown message kind {kind!r}.", fields={"kind": [f"One of {MessageKind.values}."]}
        )
    stored = _stored(partner, message_id)
    if stored is not None:
        return stored
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # two deliveries at once: one waits here
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    [f"transfers-inbox:{partner.pk}:{message_id}"],
                )
            stored = _stored(partner, message_id)
            if stored is not None:
                return stored
            result = inbound.HANDLERS[kind](partner, body)
            response = {"status": "processed", "message_id": str(message_id), **result}
            InboxMessage.objects.create(
                partner=partner,
                message_id=message_id,
                kind=kind,
                reference=str(body.get("reference", ""))[:40],
                body_text=text,
                request_headers=headers or {},
                status=InboxStatus.PROCESSED,
                response_status=200,
                response_body=response,
            )
            return Receipt(200, response)
    except DomainError as exc:
        answer = error_body(exc.code, exc.message, getattr(exc, "fields", None))
        answer["message_id"] = str(message_id)
        try:
            with transaction.atomic():
                InboxMessage.objects.create(
                    partner=partner,
                    message_id=message_id,
                    kind=kind,
                    reference=str(body.get("reference", ""))[:40],
                    body_text=text,
                    request_headers=headers or {},
                    status=InboxStatus.REJECTED,
                    response_status=exc.status_code,
                    response_body=answer,
                )
        except IntegrityError:
            stored = _stored(partner, message_id)
            if stored is not None:
                return stored
            raise
        return Receipt(exc.status_code, answer)


def _stored(partner: PartnerAgency, message_id: uuid.UUID) -> Receipt | None:
    inbox = InboxMessage.objects.filter(partner=partner, message_id=message_id).first()
    if inbox is None:
        return None
    InboxMessage.objects.filter(pk=inbox.pk).update(duplicates=F("duplicates") + 1)
    return Receipt(inbox.response_status, {**inbox.response_body, "duplicate": True}, True)

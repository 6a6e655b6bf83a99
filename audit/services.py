"""Writing the audit trail and the access log. Every service calls these inside its transaction,
so a change and its audit row commit together or not at all (audit fails closed)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import AccessLogEntry, ActorKind, AuditEvent
from core import context

if TYPE_CHECKING:
    from accounts.models import User

GENESIS_HASH = "0" * 64
# One chain: writers take this transaction-scoped lock so no two events claim the same predecessor.
_CHAIN_LOCK_KEY = 0x5A_0A_0D_17


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _actor_fields(actor: User | None) -> tuple[str, str]:
    if actor is None or not actor.is_authenticated:
        client = context.current().client_id
        return (
            (f"client:{client}", ActorKind.API_CLIENT) if client else ("system", ActorKind.SYSTEM)
        )
    if actor.is_api_client or context.current().client_id:  # incl. employer-bound clients
        return actor.username, ActorKind.API_CLIENT
    return actor.username, ActorKind.USER


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's content, in a canonical JSON form."""
    content = json.dumps(
        {"prev": prev_hash, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(content.encode()).hexdigest()


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_label,
        "actor_kind": event.actor_kind,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "changes": event.changes,
        "note": event.note,
        "ip": event.ip,
        "request_id": event.request_id,
    }


def audit_event_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event to the chained trail (Art. 38). Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_event_record must run inside the business transaction")
    label, kind = _actor_fields(actor)
    request = context.current()
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=label,
        actor_kind=kind,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes={key: _json_safe(value) for key, value in (changes or {}).items()},
        note=note,
        ip=request.ip,
        request_id=request.request_id,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event.prev_hash = last or GENESIS_HASH
    event.hash = event_hash(event.prev_hash, hashed_fields(event))
    event.save(force_insert=True)
    return event


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields' values, JSON-safe, with sensitive fields masked (never plaintext)."""
    from core.fields import EncryptedField

    values: dict[str, Any] = {}
    for name in fields:
        model_field = instance._meta.get_field(name)
        if isinstance(model_field, EncryptedField):
            values[name] = model_field.mask(getattr(instance, name))
        elif isinstance(model_field, models.ForeignKey):
            values[name] = getattr(instance, model_field.attname)
        else:
            values[name] = _json_safe(getattr(instance, name))
    return values


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def access_log_record(
    *,
    actor: User | None,
    subject: models.Model,
    purpose: str,
    fields: Iterable[str] = (),
) -> AccessLogEntry:
    """Record that `actor` viewed `subject`'s personal data, and why (Art. 49)."""
    label, _kind = _actor_fields(actor)
    request = context.current()
    with transaction.atomic():
        return AccessLogEntry.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=label,
            subject_type=subject._meta.label,
            subject_id=str(subject.pk),
            subject_repr=str(subject)[:200],
            purpose=purpose,
            fields=list(fields),
            ip=request.ip,
            request_id=request.request_id,
        )

"""Reading the audit trail: filtered lists for auditors, and the chain verification."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from audit.models import AccessLogEntry, AuditEvent
from audit.services import GENESIS_HASH, event_hash, hashed_fields


def audit_event_list(
    *,
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    action: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(actor_label=actor)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if action:
        events = events.filter(action__startswith=action)
    if since:
        events = events.filter(occurred_at__gte=since)
    if until:
        events = events.filter(occurred_at__lt=until)
    return events.order_by("-id")


def access_log_list(*, actor: str = "", subject_id: str = "") -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.all()
    if actor:
        entries = entries.filter(actor_label=actor)
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    return entries.order_by("-id")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first event whose link is broken
    reason: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def audit_chain_verify(
    *, progress: Callable[[int, int], None] | None = None, chunk: int = 5000
) -> ChainReport:
    """Walk the chain in id order; report the first broken link (Art. 38: no tampered records)."""
    total = AuditEvent.objects.count()
    previous, checked, last_id = GENESIS_HASH, 0, 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:chunk])
        if not batch:
            return ChainReport(checked, None, "")
        for event in batch:
            if event.prev_hash != previous:
                return ChainReport(
                    checked, event.pk, "link to the previous event is broken (removed or reordered)"
                )
            if event_hash(event.prev_hash, hashed_fields(event)) != event.hash:
                return ChainReport(checked, event.pk, "content does not match its hash (altered)")
            previous, checked, last_id = event.hash, checked + 1, event.pk
        if progress is not None:
            progress(checked, total)

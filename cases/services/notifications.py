"""Staff notifications: read marks (the sweep and the workflow create them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from cases.models import Notification

if TYPE_CHECKING:
    from accounts.models import User


def notifications_mark_read(*, by: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())

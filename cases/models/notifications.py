"""Notifications to staff: deadline reminders, escalations, assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within 2 working days")
    OVERDUE = "overdue", _("Overdue, escalated to you")
    ASSIGNED = "assigned", _("Assigned to you")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplement received")
    APPROVAL_REQUESTED = "approval_requested", _("Awaiting your approval")
    DECISION_RETURNED = "decision_returned", _("Decision returned to you")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="case_notifications"
    )
    case = models.ForeignKey(Case, models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind)
    # The deadline the notice is about: a moved deadline may be reminded of again, a re-run not.
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "case", "kind", "due_date"],
                name="notification_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.case_id}"

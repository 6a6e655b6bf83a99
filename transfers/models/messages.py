"""Inter-agency messages: a transactional outbox and an idempotent inbox (DESIGN.md)."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedField


def _hidden(value: str | None) -> str:
    return "…" if value else ""


class EncryptedJSONMixin:
    """Message bodies carry ID numbers: stored encrypted (Art. 49), read as JSON."""

    body_text: str

    @property
    def body(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.body_text) if self.body_text else {}
        return value

    @body.setter
    def body(self, value: dict[str, Any]) -> None:
        self.body_text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class MessageKind(models.TextChoices):
    CONTACT_LETTER = "contact_letter", _("Contact letter (同意接收函)")
    PACKAGE = "package", _("Record and funds")
    INTAKE_RESULT = "intake_result", _("Transfer completed")
    REFUSAL = "refusal", _("Refusal")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Refused by the partner: needs a clerk")


class OutboxMessage(EncryptedJSONMixin, models.Model):
    """A message written in the same transaction as the change it reports, relayed afterwards
    by a task. `message_id` is the receiver's deduplication key; request and response are kept."""

    message_id = models.UUIDField(_("message id"), unique=True)
    partner = models.ForeignKey("transfers.PartnerAgency", models.PROTECT, related_name="outbox")
    transfer = models.ForeignKey(
        "transfers.Transfer", models.PROTECT, related_name="outbox", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind)
    body_text = EncryptedField(_("body"), purpose="transfer_message", masker=_hidden)
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    request_headers = models.JSONField(default=dict, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutboxStatus.values), name="outbox_status"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id} ({self.status})"


class InboxStatus(models.TextChoices):
    PROCESSED = "processed", _("Processed")
    REJECTED = "rejected", _("Rejected")


class InboxMessage(EncryptedJSONMixin, models.Model):
    """A message received from a partner. Unique (sender, message id): a second delivery finds
    the first and gets its stored response, with no second effect."""

    partner = models.ForeignKey("transfers.PartnerAgency", models.PROTECT, related_name="inbox")
    message_id = models.UUIDField(_("message id"))
    kind = models.CharField(_("kind"), max_length=20)
    reference = models.CharField(_("transfer reference"), max_length=40, blank=True)
    body_text = EncryptedField(_("body"), purpose="transfer_message", masker=_hidden)
    request_headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=InboxStatus)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    duplicates = models.PositiveIntegerField(_("duplicate deliveries"), default=0)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        constraints = [
            models.UniqueConstraint(fields=["partner", "message_id"], name="inbox_once"),
            models.CheckConstraint(condition=Q(status__in=InboxStatus.values), name="inbox_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id} from {self.partner_id}"

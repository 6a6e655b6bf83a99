"""The append-only audit trail (Art. 38) and the personal-data access log (Art. 49).

PostgreSQL itself refuses UPDATE and DELETE on both tables (migration 0002); each audit event
carries a SHA-256 hash chained to the one before, so `manage.py verify_audit` finds any row that
was changed, removed or reordered behind the application's back.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    USER = "user", _("User")
    API_CLIENT = "api_client", _("API client")
    SYSTEM = "system", _("System")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the trail outlives accounts; never cascade into it
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    actor_kind = models.CharField(_("actor kind"), max_length=16, choices=ActorKind)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        permissions = [("verify_audit_chain", "Can verify the audit hash chain")]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor_label", "occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_kind__in=ActorKind.values), name="audit_actor_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"


class AccessLogEntry(models.Model):
    """Who viewed whose personal data, when, and for what purpose (Art. 49)."""

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("viewer"),
    )
    actor_label = models.CharField(_("viewer"), max_length=150)
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record id"), max_length=64)
    subject_repr = models.CharField(_("record"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200)
    fields = models.JSONField(_("fields shown"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.actor_label} viewed {self.subject_repr} ({self.purpose})"

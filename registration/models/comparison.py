"""Declared versus shared data (Arts. 8-9): records other authorities share, and the
differences from what employers and persons declared, queued for a clerk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField

if TYPE_CHECKING:
    from accounts.models import User


class SharedRecordKind(models.TextChoices):
    BUSINESS_CHANGED = "business_changed", _("Business registration changed 工商变更")
    BUSINESS_DEREGISTERED = "business_deregistered", _("Business deregistered 工商注销")
    DEATH = "death", _("Death 死亡")
    HUKOU_CHANGED = "hukou_changed", _("Hukou changed 户籍变更")


class SharedRecord(models.Model):
    """One record shared by the registration authority, public security or civil affairs."""

    reference = models.CharField(_("sender's reference"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=SharedRecordKind)
    credit_code = models.CharField(_("credit code"), max_length=18, blank=True)
    id_number = EncryptedField(_("ID number"), purpose="id_number", blank=True)
    id_number_hash = BlindIndexField(
        source="id_number", purpose="id_number", null=True, blank=True, db_index=True
    )
    event_date = models.DateField(_("date of the event"))
    data = models.JSONField(_("shared data"), default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    compared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("shared record")
        verbose_name_plural = _("shared records")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SharedRecordKind.values), name="shared_record_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class DiscrepancyStatus(models.TextChoices):
    OPEN = "open", _("Open 待处理")
    RESOLVED = "resolved", _("Resolved 已处理")
    DISMISSED = "dismissed", _("No action needed 无需处理")


class DiscrepancyQuerySet(models.QuerySet["Discrepancy"]):
    def visible_to(self, user: User) -> DiscrepancyQuerySet:
        """Staff of the pooling region the employer or person belongs to."""
        if not user.is_authenticated or not user.has_perm("registration.view_discrepancy"):
            return self.none()
        if user.agency is None:
            return self
        pooling = user.agency.region.pooling_region_id
        return self.filter(
            Q(employer__region__pooling_region_id=pooling)
            | Q(person__region__pooling_region_id=pooling)
        )


class Discrepancy(models.Model):
    """A difference between a declared value and a shared one, for a clerk to act on (Art. 9)."""

    shared_record = models.ForeignKey(SharedRecord, models.PROTECT, related_name="discrepancies")
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, null=True, blank=True, related_name="+"
    )
    field = models.CharField(_("what differs"), max_length=40)
    declared = models.CharField(_("declared"), max_length=300, blank=True)
    shared = models.CharField(_("shared"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DiscrepancyStatus, default=DiscrepancyStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.CharField(_("note"), max_length=500, blank=True)

    objects = DiscrepancyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        constraints = [
            models.UniqueConstraint(
                fields=["shared_record", "field"], name="discrepancy_once_per_field"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DiscrepancyStatus.values), name="discrepancy_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.declared} / {self.shared}"

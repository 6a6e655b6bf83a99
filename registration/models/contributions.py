"""Contribution records (Art. 11): a big, append-only table fed in batches by the collection
authority. Corrections are a reversal plus a new entry, never an edit (DESIGN.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registration.models.persons import InsuranceType


class ContributionSource(models.TextChoices):
    COLLECTION = "collection", _("Collection authority 税务征收")
    BACK_PAYMENT = "back_payment", _("Back payment 补缴")
    TRANSFER_IN = "transfer_in", _("Transfer in 转入")
    CORRECTION = "correction", _("Correction 更正")


class ContributionKind(models.TextChoices):
    ENTRY = "entry", _("Entry 记账")
    REVERSAL = "reversal", _("Reversal 冲销")


class ContributionBatchStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted 已接收")
    PARTIAL = "partial", _("Partly accepted 部分接收")
    REJECTED = "rejected", _("Rejected 未接收")


class ContributionBatch(models.Model):
    """One delivery from the collection authority, idempotent by the sender's batch id."""

    external_id = models.CharField(_("batch id"), max_length=64, unique=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=ContributionBatchStatus)
    records_received = models.PositiveIntegerField(default=0)
    records_loaded = models.PositiveIntegerField(default=0)
    records_rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("contribution batch")
        verbose_name_plural = _("contribution batches")

    def __str__(self) -> str:
        return self.external_id


class ContributionBatchError(models.Model):
    """A record of a batch that was not loaded, and why (the sender corrects and resends it)."""

    batch = models.ForeignKey(ContributionBatch, models.CASCADE, related_name="errors")
    line = models.PositiveIntegerField()
    field = models.CharField(max_length=40)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.field}"


class ContributionRecord(models.Model):
    """One month of one insurance type for one person. Never updated or deleted: a correction is
    a reversal row (negated amounts, `reverses` set) plus a new entry."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="contributions"
    )
    insurance_type = models.CharField(max_length=20, choices=InsuranceType)
    month = models.DateField(_("month"))  # the first day of the contribution month
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    base = models.DecimalField(_("contribution base"), max_digits=12, decimal_places=2)
    employer_amount = models.DecimalField(_("employer part"), max_digits=12, decimal_places=2)
    personal_amount = models.DecimalField(_("personal part"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=16, choices=ContributionSource)
    kind = models.CharField(max_length=8, choices=ContributionKind, default=ContributionKind.ENTRY)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    batch = models.ForeignKey(
        ContributionBatch, models.PROTECT, null=True, blank=True, related_name="records"
    )
    line = models.PositiveIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "insurance_type"]
        verbose_name = _("contribution record")
        verbose_name_plural = _("contribution records")
        constraints = [
            # The natural key of a delivered record: a resent batch line is the same record.
            models.UniqueConstraint(fields=["batch", "line"], name="contribution_batch_line"),
            models.CheckConstraint(
                condition=Q(kind="entry", reverses__isnull=True)
                | Q(kind="reversal", reverses__isnull=False),
                name="contribution_reversal_points_back",
            ),
            models.CheckConstraint(
                condition=Q(insurance_type__in=InsuranceType.values), name="contribution_type"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ContributionSource.values), name="contribution_source"
            ),
        ]
        indexes = [
            # Cumulative months per person and type: an index-only range scan per person.
            models.Index(
                fields=["person", "insurance_type", "month"], name="contribution_person_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.insurance_type} {self.month:%Y-%m} {self.kind}"

"""Records other authorities share about beneficiaries (Art. 8): deaths, imprisonments,
emigrations, re-employment, benefits received in another region, and signs of life."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField
from core.masking import mask_id_number


class FeedKind(models.TextChoices):
    DEATH = "death", _("Death")
    IMPRISONMENT = "imprisonment", _("Imprisonment")
    EMIGRATION = "emigration", _("Emigration or hukou cancellation")
    REEMPLOYMENT = "reemployment", _("Re-employment (new contributions)")
    DOUBLE_RECEIPT = "double_receipt", _("Same benefit received in another region")
    # Not a stop event: a hospital visit or similar shows the person alive (Art. 26).
    SIGN_OF_LIFE = "sign_of_life", _("Sign of life (hospital visit and the like)")


# The kinds that open a suspicion; a sign of life satisfies the authentication cycle instead.
STOP_KINDS = (
    FeedKind.DEATH,
    FeedKind.IMPRISONMENT,
    FeedKind.EMIGRATION,
    FeedKind.REEMPLOYMENT,
    FeedKind.DOUBLE_RECEIPT,
)


class FeedSource(models.TextChoices):
    """Art. 8: the authorities that share; an official register is the authority's own."""

    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs (民政)")
    PUBLIC_SECURITY = "public_security", _("Public security (公安)")
    HEALTH = "health", _("Health (卫生健康)")
    JUSTICE = "justice", _("Justice and prisons (司法)")
    TAX = "tax", _("Tax authority (税务)")
    MEDICAL_SECURITY = "medical_security", _("Medical security (医保)")
    OTHER_AGENCY = "other_agency", _("Another region's agency")
    OTHER = "other", _("Other")


# Death registers that count as official: a hit on them may suspend payment at once.
OFFICIAL_DEATH_SOURCES = (FeedSource.CIVIL_AFFAIRS, FeedSource.PUBLIC_SECURITY, FeedSource.HEALTH)


class FeedChannel(models.TextChoices):
    API = "api", _("API")
    FILE = "file", _("File imported by a clerk")
    DERIVED = "derived", _("Derived from contribution records")


class FeedBatch(models.Model):
    """One delivery: what came in, how much was kept, and who sent it."""

    kind = models.CharField(_("kind"), max_length=20, choices=FeedKind)
    channel = models.CharField(_("channel"), max_length=8, choices=FeedChannel)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    records_received = models.PositiveIntegerField(_("received"), default=0)
    records_accepted = models.PositiveIntegerField(_("accepted"), default=0)
    records_duplicate = models.PositiveIntegerField(_("already received"), default=0)
    records_rejected = models.PositiveIntegerField(_("rejected"), default=0)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("feed batch")
        verbose_name_plural = _("feed batches")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedKind.values), name="feed_batch_kind"),
            models.CheckConstraint(
                condition=Q(channel__in=FeedChannel.values), name="feed_batch_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class FeedRecordError(models.Model):
    """A record of a batch that was not kept, and why; the sender corrects and resends it."""

    batch = models.ForeignKey(FeedBatch, models.CASCADE, related_name="errors")
    index = models.PositiveIntegerField(_("index"))  # position in the batch, from 0
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True)
    field = models.CharField(_("field"), max_length=40)
    message = models.CharField(_("message"), max_length=300)

    class Meta:
        ordering = ["batch", "index", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id}[{self.index}] {self.field}"


class FeedRecord(models.Model):
    """One event about one person. Idempotent by (kind, source, source reference); the ID number
    is encrypted and matched through its keyed hash, the same one registration keeps."""

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(FeedBatch, models.PROTECT, related_name="records")
    kind = models.CharField(_("kind"), max_length=20, choices=FeedKind)
    source = models.CharField(_("source"), max_length=20, choices=FeedSource)
    source_reference = models.CharField(_("source reference"), max_length=100)
    id_number = EncryptedField(_("citizen ID number"), purpose="id_number")
    id_number_hash = BlindIndexField(source="id_number", purpose="id_number", db_index=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    event_date = models.DateField(_("date of the event"))
    data = models.JSONField(_("further data"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"))
    # Set by the comparison run that matched this record: a re-run skips it.
    compared_at = models.DateTimeField(_("compared at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("feed record")
        verbose_name_plural = _("feed records")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "source_reference"], name="feed_record_source_reference"
            ),
            models.CheckConstraint(condition=Q(kind__in=FeedKind.values), name="feed_record_kind"),
            models.CheckConstraint(
                condition=Q(source__in=FeedSource.values), name="feed_record_source"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(compared_at__isnull=True), name="feed_record_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source}:{self.source_reference}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

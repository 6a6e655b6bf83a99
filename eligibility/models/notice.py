"""The Art. 25 notice duty: an event that stops benefits must be reported within 20 working days
by the employer, the beneficiary or a relative. A StopEvent is the event itself (known from a
report or from data comparison), with its deadline; StopEventReports are what people told us."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField
from core.masking import mask_id_number

NOTICE_WORKING_DAYS = 20  # Art. 25: 自情形发生之日起20个工作日内


class StopEventKind(models.TextChoices):
    DEATH = "death", _("Death")
    IMPRISONMENT = "imprisonment", _("Imprisonment")
    EMIGRATION = "emigration", _("Emigration or hukou cancellation")
    REEMPLOYMENT = "reemployment", _("Re-employment")
    DOUBLE_RECEIPT = "double_receipt", _("Same benefit received in another region")
    OTHER = "other", _("Other reason to stop benefits")


class DutyHolder(models.TextChoices):
    """Who had to report (Art. 25): the employer while the person worked for one, otherwise the
    beneficiary or, for a death, the relatives."""

    EMPLOYER = "employer", _("The employer")
    BENEFICIARY = "beneficiary", _("The beneficiary or relatives")


class KnownFrom(models.TextChoices):
    REPORT = "report", _("A report")
    DATA_COMPARISON = "data_comparison", _("Data comparison")


class StopEvent(models.Model):
    """One event that stops a person's benefits, with the reporting deadline that runs from it.
    The daily sweep finds those past their deadline without a report (`reported_on` null)."""

    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="stop_events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=StopEventKind)
    event_date = models.DateField(_("date of the event"))
    deadline = models.DateField(_("reporting deadline"))
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    duty_holder = models.CharField(_("duty to report"), max_length=12, choices=DutyHolder)
    employer = models.ForeignKey(
        "registration.Employer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="stop_events",
        verbose_name=_("employer"),
    )
    known_from = models.CharField(_("known from"), max_length=16, choices=KnownFrom)
    feed_record = models.ForeignKey(
        "eligibility.FeedRecord", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The first report received; on time when received on or before the deadline.
    first_report = models.ForeignKey(
        "eligibility.StopEventReport", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("stop event")
        verbose_name_plural = _("stop events")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "event_date"], name="stop_event_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StopEventKind.values), name="stop_event_kind"
            ),
            models.CheckConstraint(
                condition=Q(duty_holder__in=DutyHolder.values), name="stop_event_duty_holder"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("event_date")), name="stop_event_deadline_after"
            ),
        ]
        indexes = [
            models.Index(
                fields=["deadline"], condition=Q(reported_on__isnull=True), name="stop_event_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} {self.event_date}"

    @property
    def is_reported_on_time(self) -> bool | None:
        return None if self.reported_on is None else self.reported_on <= self.deadline


class ReporterKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    BENEFICIARY = "beneficiary", _("The beneficiary")
    RELATIVE = "relative", _("A relative")
    OTHER = "other", _("Someone else")


class ReportChannel(models.TextChoices):
    ONLINE = "online", _("Online form")
    EMPLOYER_PORTAL = "employer_portal", _("Employer portal")
    API = "api", _("API")
    COUNTER = "counter", _("Service counter")


class StopEventReport(models.Model):
    """What someone told the agency (Art. 25). It never stops anything by itself: it opens a
    suspicion that a clerk verifies (Art. 26)."""

    id_number = EncryptedField(_("ID number of the person concerned"), purpose="id_number")
    id_number_hash = BlindIndexField(source="id_number", purpose="id_number", db_index=True)
    subject_name = models.CharField(_("name of the person concerned"), max_length=100)
    person = models.ForeignKey(
        "registration.InsuredPerson",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="stop_event_reports",
    )
    kind = models.CharField(_("event"), max_length=20, choices=StopEventKind)
    event_date = models.DateField(_("date of the event"))
    reporter_kind = models.CharField(_("reported by"), max_length=12, choices=ReporterKind)
    reporter_name = models.CharField(_("reporter's name"), max_length=100)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ReportChannel)
    note = models.TextField(_("details"), blank=True)
    # The sender's own reference (API): the same reference again is the same report.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("reporting deadline"))
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    is_on_time = models.BooleanField(_("on time"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    stop_event = models.ForeignKey(
        StopEvent, models.PROTECT, null=True, blank=True, related_name="reports"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("stop-event report")
        verbose_name_plural = _("stop-event reports")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"],
                condition=~Q(reference=""),
                name="stop_event_report_reference",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StopEventKind.values), name="stop_event_report_kind"
            ),
            models.CheckConstraint(
                condition=Q(reporter_kind__in=ReporterKind.values),
                name="stop_event_report_reporter",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=ReportChannel.values), name="stop_event_report_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_name} {self.event_date}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

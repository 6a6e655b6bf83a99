"""Shared kernel: regions and agencies, the working-day calendar, policy parameters, jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """Records named in Chinese first, with an English name for the English interface."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")


class Region(BilingualNameMixin, models.Model):
    """An administrative division (GB/T 2260, 6 digits); pooling regions carry the funds."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The pooling region (统筹区) whose fund this region belongs to; a pooling region: itself.
    pooling_region = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="pooled_regions"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[1-9][0-9]{5}$"), name="region_code"),
            models.CheckConstraint(
                condition=Q(level__in=RegionLevel.values), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_pooling_region(self) -> bool:
        return self.pooling_region_id == self.pk


class AgencyLine(models.TextChoices):
    """Art. 4 and 60: which department's line an agency works in."""

    HRSS = "hrss", _("Human resources and social security (pension, work injury, unemployment)")
    MEDICAL = "medical", _("Medical security (medical, maternity)")


class Agency(BilingualNameMixin, models.Model):  # type: ignore[django-manager-missing]
    """A social insurance handling agency (Art. 60) or one of its branches (网点)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="agencies")
    line = models.CharField(_("line"), max_length=16, choices=AgencyLine, default=AgencyLine.HRSS)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("parent agency"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(condition=Q(line__in=AgencyLine.values), name="agency_line"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.parent_id is not None


class CalendarYear(models.Model):
    """A year whose official holiday notice was entered; years without a row are provisional."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=300)
    notice_url = models.URLField(_("notice URL"), blank=True)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    MAKEUP_WORKDAY = "makeup", _("Make-up working day (调休上班)")


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday week in an official year (working-days.md §1)."""

    date = models.DateField(_("date"), primary_key=True)
    year = models.ForeignKey(CalendarYear, models.CASCADE, related_name="days")
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind)
    name = models.CharField(_("holiday"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CalendarDayKind.values), name="calendar_day_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PolicyParameter(models.Model):
    """An effective-dated policy figure (average wage, rate, divisor strategy…) for a region.

    A row with no region applies nationally; a region's own row wins over its parent's.
    """

    key = models.CharField(_("key"), max_length=80)
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="policy_parameters"
    )
    valid_from = models.DateField(_("valid from"))
    value = models.CharField(_("value"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["key", "region__code", "-valid_from"]
        verbose_name = _("policy parameter")
        verbose_name_plural = _("policy parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "region", "valid_from"],
                name="policy_parameter_unique_per_date",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["key", "valid_from"])]

    def __str__(self) -> str:
        where = self.region.code if self.region is not None else "CN"
        return f"{self.key}@{where} from {self.valid_from}: {self.value}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A background job a person can watch: what, for whom, status, progress, error (DESIGN.md)."""

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus, default=JobStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class IdempotencyState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class IdempotencyRecord(models.Model):
    """One Idempotency-Key per client: the request's fingerprint and the response it got."""

    client = models.CharField(max_length=120)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=IdempotencyState)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_per_client"),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.client}:{self.key} ({self.state})"

"""Suspicions on awards and their investigation (Art. 26).

A suspicion is one award of a person about whom a stop event is known, with its evidence (a feed
record or a report). Its award is held from the next payment run until a clerk verifies the event
in an investigation case; confirmed, the award stops from the event date and benefits creates the
overpayment (Art. 46); refuted, the hold is released. A clerk's verdict is kept as a
Verification: automated runs never re-open or re-hold what a clerk refuted for the same event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eligibility.models.notice import StopEventKind

if TYPE_CHECKING:
    from accounts.models import User


class SuspicionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting verification")
    INVESTIGATING = "investigating", _("Under investigation")
    CONFIRMED = "confirmed", _("Confirmed: award stopped")
    REFUTED = "refuted", _("Refuted: payment released")
    CLOSED = "closed", _("Closed: the award ended otherwise")


OPEN_SUSPICION_STATUSES = (SuspicionStatus.OPEN, SuspicionStatus.INVESTIGATING)


class SuspicionAction(models.TextChoices):
    """What the automated run (or the report) did to the award when the suspicion opened."""

    HELD = "held", _("Payments held")
    SUSPENDED = "suspended", _("Suspended at once (official death record)")
    NONE = "none", _("Nothing yet (awaiting a clerk)")


class SuspicionQuerySet(models.QuerySet["Suspicion"]):
    def visible_to(self, user: User) -> SuspicionQuerySet:
        """The one scoping rule: staff with the permission see their agency's pooling region
        (all, for provincial staff without an agency); nobody else sees suspicions."""
        if not user.is_authenticated or not user.has_perm("eligibility.view_suspicion"):
            return self.none()
        if user.agency_id is None:
            return self
        from core.models import Agency

        row = (
            Agency.objects.filter(pk=user.agency_id)
            .values_list("region__pooling_region_id", "region_id")
            .get()
        )
        pooling = row[0] or row[1]
        return self.filter(
            Q(award__region__pooling_region_id=pooling) | Q(award__region_id=pooling)
        )


class Suspicion(models.Model):
    id = models.BigAutoField(primary_key=True)
    award = models.ForeignKey("benefits.Award", models.PROTECT, related_name="suspicions")
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="suspicions"
    )
    kind = models.CharField(_("event"), max_length=20, choices=StopEventKind)
    event_date = models.DateField(_("date of the event"))
    feed_record = models.ForeignKey(
        "eligibility.FeedRecord",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suspicions",
        db_index=False,  # the unique (award, feed_record) index serves lookups by award
    )
    report = models.ForeignKey(
        "eligibility.StopEventReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suspicions",
    )
    stop_event = models.ForeignKey(
        "eligibility.StopEvent",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suspicions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SuspicionStatus, default=SuspicionStatus.OPEN
    )
    action = models.CharField(_("automatic action"), max_length=12, choices=SuspicionAction)
    hold = models.ForeignKey(
        "benefits.AwardHold", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Evidence at opening: payments for months after the event date that went out.
    overpaid_amount = models.DecimalField(
        _("paid after the event"), max_digits=14, decimal_places=2, default=0
    )
    overpaid_months = models.PositiveSmallIntegerField(_("months paid after the event"), default=0)
    opened_at = models.DateTimeField(_("opened at"))
    investigation = models.ForeignKey(
        "eligibility.Investigation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suspicions",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    debt = models.ForeignKey(
        "benefits.Debt", models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SuspicionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("suspicion")
        verbose_name_plural = _("suspicions")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "feed_record"],
                condition=Q(feed_record__isnull=False),
                name="suspicion_once_per_feed_record",
            ),
            models.UniqueConstraint(
                fields=["award", "report"],
                condition=Q(report__isnull=False),
                name="suspicion_once_per_report",
            ),
            models.CheckConstraint(
                condition=Q(feed_record__isnull=False) | Q(report__isnull=False),
                name="suspicion_has_evidence",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuspicionStatus.values), name="suspicion_status"
            ),
            models.CheckConstraint(
                condition=Q(action__in=SuspicionAction.values), name="suspicion_action"
            ),
        ]
        indexes = [
            models.Index(
                fields=["opened_at"],
                condition=Q(status__in=["open", "investigating"]),
                name="suspicion_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"Suspicion {self.pk} {self.kind} on award {self.award_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_SUSPICION_STATUSES


class InvestigationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed: the person is no longer entitled")
    REFUTED = "refuted", _("Refuted: the person is still entitled")


class Investigation(models.Model):
    """Art. 26 调查: one stop event of one person, investigated as a case of the case engine
    (its clock, assignment, decision with four eyes and remedies). Its suspicions are the
    person's awards the event touches."""

    stop_event = models.ForeignKey(
        "eligibility.StopEvent", models.PROTECT, related_name="investigations"
    )
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="investigations"
    )
    case = models.OneToOneField(
        "cases.Case", models.PROTECT, related_name="eligibility_investigation"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    # Blank while open, and when the case ended without a decision (withdrawn).
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=InvestigationOutcome, blank=True
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        permissions = [
            ("investigate", "Can open investigations and propose their conclusion (Art. 26)"),
        ]
        constraints = [
            # One investigation at a time per event; a withdrawn one may be opened again.
            models.UniqueConstraint(
                fields=["stop_event"],
                condition=Q(concluded_at__isnull=True),
                name="investigation_one_open_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"Investigation {self.pk} of {self.stop_event}"

    @property
    def is_open(self) -> bool:
        return self.concluded_at is None


class CommissionParty(models.TextChoices):
    EMPLOYER = "employer", _("The employer")
    THIRD_PARTY = "third_party", _("A third party (community, hospital, police station…)")


class CommissionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ANSWERED = "answered", _("Answered")


class VerificationCommission(models.Model):
    """Art. 26: the agency may entrust the employer or a third party to verify."""

    investigation = models.ForeignKey(Investigation, models.PROTECT, related_name="commissions")
    party_kind = models.CharField(_("commissioned"), max_length=12, choices=CommissionParty)
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    party_name = models.CharField(_("name of the party"), max_length=200)
    request = models.TextField(_("what to verify"))
    due_on = models.DateField(_("answer by"))
    status = models.CharField(
        _("status"), max_length=12, choices=CommissionStatus, default=CommissionStatus.REQUESTED
    )
    answer = models.TextField(_("answer"), blank=True)
    answer_confirms = models.BooleanField(_("the event is confirmed"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["investigation", "requested_at"]
        verbose_name = _("commissioned verification")
        verbose_name_plural = _("commissioned verifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(party_kind="third_party") | Q(employer__isnull=False),
                name="commission_employer_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_name} for investigation {self.investigation_id}"


class Verification(models.Model):
    """A clerk's verdict on a stop event (person, kind, event date). Automated runs read it:
    a refuted event is never re-opened or re-held on the strength of a record of that event."""

    person = models.ForeignKey("registration.InsuredPerson", models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=20, choices=StopEventKind)
    event_date = models.DateField(_("date of the event"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=InvestigationOutcome)
    investigation = models.ForeignKey(
        Investigation, models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        indexes = [models.Index(fields=["person", "kind", "event_date"], name="verification_key")]

    def __str__(self) -> str:
        return f"{self.outcome} {self.kind} of {self.person_id} on {self.event_date}"


class ComparisonRun(models.Model):
    """One data-comparison run (Art. 26), watched by clerks; its job row shows the progress.
    `contributions_high_id` is how far new contribution records were read (signs of life and
    re-employment)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    job = models.ForeignKey("core.Job", models.SET_NULL, null=True, blank=True, related_name="+")
    records_compared = models.PositiveIntegerField(default=0)
    suspicions_opened = models.PositiveIntegerField(default=0)
    awards_held = models.PositiveIntegerField(default=0)
    awards_suspended = models.PositiveIntegerField(default=0)
    skipped_refuted = models.PositiveIntegerField(default=0)
    signs_of_life = models.PositiveIntegerField(default=0)
    contributions_high_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("comparison run")
        verbose_name_plural = _("comparison runs")

    def __str__(self) -> str:
        return f"Comparison {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"

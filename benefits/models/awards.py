"""Awards: ongoing monthly entitlements (and one-off grants paid through the same run).

An award is a person's entitlement of one kind: amount, start, end and status, each with its
effective date. The amount in force is kept on the row for the payment run's single pass and its
history in AwardAmount (the annual adjustment adds a row; nothing is overwritten without one).
Holds and suspensions (Arts. 25-26) are rows with an opening and a release; stopping is final.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models.scoping import RegionScopedQuerySet
from core.fields import EncryptedField
from core.masking import mask_account_number


class Scheme(models.TextChoices):
    """The fund that pays (Art. 2); SIL Art. 49 ¶2 looks across pension, WI and UI."""

    PENSION = "pension", _("Basic pension")
    WORK_INJURY = "work_injury", _("Work injury")
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    MATERNITY = "maternity", _("Maternity")
    MEDICAL = "medical", _("Medical")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ONE_OFF = "one_off", _("One-off")


class AwardKind(models.TextChoices):
    PENSION = "pension", _("Basic pension")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit")
    MATERNITY_ALLOWANCE = "maternity_allowance", _("Maternity allowance")
    WI_DISABILITY_GRANT = "wi_disability_grant", _("One-off disability grant")
    WI_DISABILITY_ALLOWANCE = "wi_disability_allowance", _("Disability allowance")
    WI_FUNERAL_GRANT = "wi_funeral_grant", _("Work-injury funeral grant")
    WI_DEATH_GRANT = "wi_death_grant", _("One-off work-injury death grant")
    WI_SURVIVOR_PENSION = "wi_survivor_pension", _("Work-injury survivor pension")
    WI_REIMBURSEMENT = "wi_reimbursement", _("Work-injury cost reimbursement")
    FUNERAL_SUBSIDY = "funeral_subsidy", _("Funeral subsidy")
    SURVIVOR_BENEFIT = "survivor_benefit", _("Survivors' benefit (抚恤金)")
    MEDICAL_REIMBURSEMENT = "medical_reimbursement", _("Medical cost reimbursement")
    TRAINING_SUBSIDY = "training_subsidy", _("Vocational training subsidy")


# SIL Art. 49 ¶2: survivors receive one funeral subsidy, whichever scheme pays it. The database
# holds the rule (award_one_funeral_subsidy_per_death), so no race can pay two.
FUNERAL_KINDS = (AwardKind.FUNERAL_SUBSIDY, AwardKind.WI_FUNERAL_GRANT)


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")  # Art. 25: pending verification; payments held
    STOPPED = "stopped", _("Stopped")  # Arts. 25-26: a verified stop event; final
    ENDED = "ended", _("Ended")  # the entitlement ran its course (end month reached)


class AwardQuerySet(RegionScopedQuerySet["Award"]):
    """Award.objects.visible_to(user): the scoping rule (benefits.models.scoping)."""


class Award(models.Model):
    """A person's entitlement of one kind (Arts. 18-24), paid by the monthly payment run."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("registration.InsuredPerson", models.PROTECT, related_name="awards")
    claim = models.ForeignKey(
        "benefits.Claim", models.PROTECT, null=True, blank=True, related_name="awards"
    )
    # The pooling region whose fund pays and whose payment run carries it.
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=32, choices=AwardKind)
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency)
    # The amount per payment in force from `amount_from`; earlier months read AwardAmount.
    amount = models.DecimalField(_("amount per payment"), max_digits=14, decimal_places=2)
    amount_from = models.DateField(_("amount in force from"))
    start_month = models.DateField(_("first month"))  # the first day of a month
    end_month = models.DateField(_("last month"), null=True, blank=True)  # inclusive
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus, default=AwardStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    # True while a hold is open (AwardHold): payments are built but held, not sent (Art. 26).
    is_held = models.BooleanField(_("payments held"), default=False)
    stopped_on = models.DateField(_("stopped from"), null=True, blank=True)
    stop_cause = models.CharField(_("stop cause"), max_length=300, blank=True)
    payee_name = models.CharField(_("payee"), max_length=100)
    payee_bank = models.CharField(_("bank"), max_length=100)
    payee_account = EncryptedField(
        _("account number"), purpose="bank_account", masker=mask_account_number
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AwardQuerySet.as_manager()  # .visible_to(user): the scoping rule

    class Meta:
        ordering = ["-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        permissions = [
            ("hold_award", "Can hold, suspend, release, resume and stop awards"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AwardKind.values), name="award_kind"),
            models.CheckConstraint(condition=Q(scheme__in=Scheme.values), name="award_scheme"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="award_frequency"
            ),
            models.CheckConstraint(condition=Q(status__in=AwardStatus.values), name="award_status"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="award_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(frequency=Frequency.ONE_OFF) | Q(end_month=F("start_month")),
                name="award_one_off_is_one_month",
            ),
            models.CheckConstraint(
                condition=~Q(status=AwardStatus.STOPPED) | Q(stopped_on__isnull=False),
                name="award_stopped_has_date",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind__in=[kind.value for kind in FUNERAL_KINDS]),
                name="award_one_funeral_subsidy_per_death",
            ),
        ]
        indexes = [
            # The payment run's chunks walk one region's awards by id range.
            models.Index(fields=["region", "id"], name="award_region_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def masked_account(self) -> str:
        return mask_account_number(self.payee_account)


class AmountReason(models.TextChoices):
    INITIAL = "initial", _("Initial decision")
    ADJUSTMENT = "adjustment", _("Annual adjustment")
    CORRECTION = "correction", _("Correction")


class AwardAmount(models.Model):
    """The amount of an award from a month on: the history behind Award.amount."""

    id = models.BigAutoField(primary_key=True)
    award = models.ForeignKey(Award, models.PROTECT, related_name="amounts", db_index=False)
    effective_month = models.DateField(_("from month"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=16, choices=AmountReason)
    adjustment = models.ForeignKey(
        "benefits.AwardAdjustment", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["award", "effective_month", "id"]
        verbose_name = _("award amount")
        verbose_name_plural = _("award amounts")
        constraints = [
            # An adjustment applies once per award, however often it is run.
            models.UniqueConstraint(
                fields=["award", "adjustment"],
                condition=Q(adjustment__isnull=False),
                name="award_amount_adjustment_once",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_positive"),
        ]
        indexes = [models.Index(fields=["award", "effective_month"], name="award_amount_month")]

    def __str__(self) -> str:
        return f"{self.award_id} from {self.effective_month}: {self.amount}"


class HoldKind(models.TextChoices):
    HOLD = "hold", _("Payment hold")  # e.g. eligibility being verified, a returned payment
    SUSPENSION = "suspension", _("Suspension")  # Art. 25: stop event reported, not verified


class AwardHold(models.Model):
    """A hold or suspension: payments are built but not sent until it is released."""

    id = models.BigAutoField(primary_key=True)
    award = models.ForeignKey(Award, models.PROTECT, related_name="holds")
    kind = models.CharField(_("kind"), max_length=16, choices=HoldKind)
    reason = models.CharField(_("reason"), max_length=300)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_note = models.CharField(_("release note"), max_length=300, blank=True)

    class Meta:
        ordering = ["award", "-opened_at", "-id"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HoldKind.values), name="hold_kind"),
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(kind="suspension", released_at__isnull=True),
                name="hold_one_open_suspension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.award_id}"

    @property
    def is_open(self) -> bool:
        return self.released_at is None


class AwardAdjustment(models.Model):
    """An annual adjustment (e.g. the pension increase): a percentage and/or a flat amount,
    applied set-based to the awards of the chosen kinds in a region from a month on."""

    id = models.BigAutoField(primary_key=True)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    kinds = models.JSONField(_("award kinds"))
    effective_month = models.DateField(_("from month"))
    percent = models.DecimalField(_("percentage"), max_digits=7, decimal_places=4, default=0)
    flat_amount = models.DecimalField(_("flat amount"), max_digits=10, decimal_places=2, default=0)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    awards_adjusted = models.PositiveIntegerField(default=0)
    monthly_increase_total = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["-effective_month", "-id"]
        verbose_name = _("award adjustment")
        verbose_name_plural = _("award adjustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(flat_amount__gte=0),
                name="adjustment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Adjustment {self.pk} {self.region_id} from {self.effective_month}"


class UiMedicalPosting(models.Model):
    """Art. 24 ¶2 / SIL Art. 48: the medical insurance contribution the UI fund pays each month
    for a person drawing unemployment benefit. One per award and month (safe to re-run)."""

    id = models.BigAutoField(primary_key=True)
    award = models.ForeignKey(Award, models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="+", db_index=False
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", db_index=False)
    period = models.DateField(_("month"))
    contribution_base = models.DecimalField(max_digits=12, decimal_places=2)
    rate = models.DecimalField(max_digits=6, decimal_places=4)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "award"]
        verbose_name = _("UI-paid medical contribution")
        verbose_name_plural = _("UI-paid medical contributions")
        constraints = [
            models.UniqueConstraint(fields=["award", "period"], name="ui_medical_once_a_month"),
        ]
        indexes = [models.Index(fields=["region", "period"], name="ui_medical_region_period")]

    def __str__(self) -> str:
        return f"{self.award_id} {self.period:%Y-%m}: {self.amount}"

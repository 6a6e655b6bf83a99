"""Overpayments and their recovery (Art. 46), and fraud referrals (Arts. 44, 55).

A debt is what a person received without entitlement: its cause, the periods (DebtPeriod, one row
per overpaid payment), the amount. Its ledger (DebtEntry) records each repayment, offset against a
later benefit, offset against the personal account, bank return and write-off; `outstanding` is
amount − the ledger's sum and the database keeps it between 0 and the amount.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models.scoping import RegionScopedQuerySet


class DebtCause(models.TextChoices):
    STOP_EVENT = "stop_event", _("Paid after a stop event (Art. 25)")
    LATE_REPORT = "late_report", _("Stop event reported late (Art. 25)")
    INCORRECT_AMOUNT = "incorrect_amount", _("Amount paid in error")
    FRAUD = "fraud", _("Obtained by fraud (Art. 55)")
    OTHER = "other", _("Other")


class DebtStatus(models.TextChoices):
    DETECTED = "detected", _("Detected")
    ORDERED = "ordered", _("Repayment ordered")
    INSTALMENTS = "instalments", _("Instalment agreement")
    OFFSETTING = "offsetting", _("Offset against later benefits")
    SETTLED = "settled", _("Settled")
    WRITTEN_OFF = "written_off", _("Written off")


OPEN_DEBT_STATUSES = (
    DebtStatus.DETECTED,
    DebtStatus.ORDERED,
    DebtStatus.INSTALMENTS,
    DebtStatus.OFFSETTING,
)


class DebtQuerySet(RegionScopedQuerySet["Debt"]):
    """Debt.objects.visible_to(user): the scoping rule (benefits.models.scoping)."""


class Debt(models.Model):
    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("registration.InsuredPerson", models.PROTECT, related_name="debts")
    # The award that was overpaid (null for a debt recorded by hand without one).
    award = models.ForeignKey(
        "benefits.Award", models.PROTECT, null=True, blank=True, related_name="debts"
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    cause = models.CharField(_("cause"), max_length=24, choices=DebtCause)
    cause_note = models.CharField(_("explanation"), max_length=500)
    amount = models.DecimalField(_("amount overpaid"), max_digits=14, decimal_places=2)
    outstanding = models.DecimalField(_("outstanding"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=DebtStatus, default=DebtStatus.DETECTED
    )
    # While offsetting: the award whose later payments are reduced (at most one debt per award).
    offset_award = models.ForeignKey(
        "benefits.Award",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    is_fraud_suspected = models.BooleanField(_("fraud suspected"), default=False)
    letter_issued_at = models.DateTimeField(_("repayment order issued"), null=True, blank=True)
    repay_by = models.DateField(_("repay by"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    objects = DebtQuerySet.as_manager()  # .visible_to(user): the scoping rule

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("overpayment")
        verbose_name_plural = _("overpayments")
        permissions = [
            (
                "manage_debt",
                "Can order repayment, agree instalments and offsets, record repayments",
            ),
            ("write_off_debt", "Can write off an overpayment"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cause__in=DebtCause.values), name="debt_cause"),
            models.CheckConstraint(condition=Q(status__in=DebtStatus.values), name="debt_status"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="debt_amount_positive"),
            models.CheckConstraint(
                condition=Q(outstanding__gte=0) & Q(outstanding__lte=F("amount")),
                name="debt_outstanding_within_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["settled", "written_off"]) | Q(outstanding=0),
                name="debt_closed_owes_nothing",
            ),
            models.CheckConstraint(
                condition=~Q(status="offsetting") | Q(offset_award__isnull=False),
                name="debt_offsetting_names_award",
            ),
            # One offsetting debt per award: the payment run deducts for it set-based.
            models.UniqueConstraint(
                fields=["offset_award"],
                condition=Q(status="offsetting"),
                name="debt_one_offsetting_per_award",
            ),
        ]

    def __str__(self) -> str:
        return f"Overpayment {self.pk} ({self.status}, {self.outstanding} of {self.amount})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DEBT_STATUSES


class DebtPeriod(models.Model):
    """One overpaid payment in a debt (a payment belongs to at most one debt)."""

    id = models.BigAutoField(primary_key=True)
    debt = models.ForeignKey(Debt, models.PROTECT, related_name="periods")
    payment = models.OneToOneField(
        "benefits.Payment", models.PROTECT, null=True, blank=True, related_name="debt_period"
    )
    period = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["debt", "period"]

    def __str__(self) -> str:
        return f"{self.debt_id} {self.period:%Y-%m} {self.amount}"


class DebtEntryKind(models.TextChoices):
    REPAYMENT = "repayment", _("Repayment")
    OFFSET_BENEFIT = "offset_benefit", _("Offset against a benefit payment")
    OFFSET_REVERSAL = "offset_reversal", _("Offset reversed (payment cancelled)")
    OFFSET_ACCOUNT = "offset_account", _("Offset against the personal account")
    BANK_RETURN = "bank_return", _("Overpaid payment returned by the bank")
    WRITE_OFF = "write_off", _("Write-off")


class DebtEntry(models.Model):
    """The debt's own ledger. `amount` reduces what is owed (a reversal is negative)."""

    id = models.BigAutoField(primary_key=True)
    debt = models.ForeignKey(Debt, models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=DebtEntryKind)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    payment = models.ForeignKey(
        "benefits.Payment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    instalment = models.ForeignKey(
        "benefits.Instalment", models.PROTECT, null=True, blank=True, related_name="entries"
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["debt", "recorded_at", "id"]
        verbose_name = _("debt entry")
        verbose_name_plural = _("debt entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DebtEntryKind.values), name="debt_entry_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="offset_reversal", amount__lt=0)
                | (~Q(kind="offset_reversal") & Q(amount__gt=0)),
                name="debt_entry_sign",
            ),
            # A payment is offset once and reversed at most once: re-runs add nothing.
            models.UniqueConstraint(
                fields=["payment", "kind"],
                condition=Q(payment__isnull=False),
                name="debt_entry_once_per_payment",
            ),
            models.UniqueConstraint(
                fields=["debt", "kind", "reference"],
                condition=~Q(reference=""),
                name="debt_entry_reference_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debt_id} {self.kind} {self.amount}"


class InstalmentPlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DEFAULTED = "defaulted", _("Defaulted")
    CANCELLED = "cancelled", _("Cancelled")


class InstalmentPlan(models.Model):
    """Art. 46: an agreement to repay in instalments where a lump sum is difficult."""

    id = models.BigAutoField(primary_key=True)
    debt = models.ForeignKey(Debt, models.PROTECT, related_name="instalment_plans")
    count = models.PositiveSmallIntegerField(_("instalments"))
    first_due = models.DateField(_("first due"))
    agreed_on = models.DateField(_("agreed on"))
    status = models.CharField(
        max_length=16, choices=InstalmentPlanStatus, default=InstalmentPlanStatus.ACTIVE
    )
    missed_limit = models.PositiveSmallIntegerField(
        _("missed instalments before default"), default=2
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=2), name="instalment_plan_two_or_more"),
            models.UniqueConstraint(
                fields=["debt"], condition=Q(status="active"), name="instalment_plan_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} for debt {self.debt_id}"


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Instalment(models.Model):
    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(InstalmentPlan, models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=16, choices=InstalmentStatus, default=InstalmentStatus.DUE)
    missed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
        ]
        indexes = [
            models.Index(fields=["due_date"], name="instalment_due", condition=Q(status="due")),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.number} {self.due_date} {self.amount}"


class FraudReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    DECIDED = "decided", _("Decided by the department")
    CLOSED = "closed", _("Closed without penalty")


class FraudReferral(models.Model):
    """Arts. 44 and 55: suspected fraud goes to the administrative department, which decides
    the return order and any fine (2-5 times); the agency records the referral and the outcome,
    never imposes a fine itself."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="fraud_referrals"
    )
    debt = models.ForeignKey(
        Debt, models.PROTECT, null=True, blank=True, related_name="fraud_referrals"
    )
    department = models.CharField(_("referred to"), max_length=200)
    grounds = models.TextField(_("grounds"))
    evidence = models.TextField(_("evidence"))
    amount_involved = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(
        max_length=16, choices=FraudReferralStatus, default=FraudReferralStatus.REFERRED
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    department_reference = models.CharField(_("department's reference"), max_length=100, blank=True)
    outcome = models.TextField(_("department's decision"), blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at"]
        verbose_name = _("fraud referral")
        verbose_name_plural = _("fraud referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FraudReferralStatus.values), name="fraud_referral_status"
            ),
            models.UniqueConstraint(
                fields=["debt"],
                condition=Q(debt__isnull=False),
                name="fraud_referral_once_per_debt",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.department}"

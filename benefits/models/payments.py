"""The monthly payment run and its payments.

One run per region and month (UNIQUE(region, period)); one payment per award and month
(UNIQUE(award, period)): the two keys that make a re-run, a retried task or a killed worker
harmless. A payment is first carried to the bank by its `bank_run`; a returned payment that is
sent again travels as a PaymentResend in a later run, so every run's bank-file total stays the
sum of its own lines for ever.

Partitioning (DESIGN.md "Time and scale"): Payment is append-mostly and keyed by period; its
unique key already contains `period`, so it can become a table partitioned by period with the
primary key widened to (id, period).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models.scoping import RegionScopedQuerySet


class PaymentRunStatus(models.TextChoices):
    BUILDING = "building", _("Building")  # chunk tasks are creating the payments
    BUILT = "built", _("Built")  # every chunk done; totals kept; awaiting approval
    APPROVED = "approved", _("Approved")  # a supervisor (not the starter) approved it
    RELEASED = "released", _("Released")  # the bank file was produced and released
    RECONCILED = "reconciled", _("Reconciled")  # the bank's result was imported


class PaymentRunQuerySet(RegionScopedQuerySet["PaymentRun"]):
    """PaymentRun.objects.visible_to(user): the scoping rule (benefits.models.scoping)."""


class PaymentRun(models.Model):
    """One region's payments for one month."""

    id = models.BigAutoField(primary_key=True)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    period = models.DateField(_("month"))  # the first day of the month paid
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentRunStatus, default=PaymentRunStatus.BUILDING
    )
    job = models.ForeignKey("core.Job", models.SET_NULL, null=True, blank=True, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    # Pinned at start (policy "offset_cap_ratio" / "offset_cap_amount" in force for the month).
    offset_cap_ratio = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    offset_cap_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    chunk_size = models.PositiveIntegerField(default=10_000)
    chunks_total = models.PositiveIntegerField(default=0)
    # A re-run executes every chunk again (inserting nothing that exists); the run is built
    # again when every chunk has run in the current generation.
    generation = models.PositiveIntegerField(default=1)
    # Totals of the payments this run built (held ones included, counted apart).
    payments_count = models.PositiveBigIntegerField(default=0)
    gross_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    deductions_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    net_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    held_count = models.PositiveBigIntegerField(default=0)
    held_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    # The bank file: every line it carries, fixed when released.
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_count = models.PositiveBigIntegerField(default=0)
    file_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    # The bank's answer.
    paid_count = models.PositiveBigIntegerField(default=0)
    paid_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    returned_count = models.PositiveBigIntegerField(default=0)
    returned_total = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    objects = PaymentRunQuerySet.as_manager()  # .visible_to(user): the scoping rule

    class Meta:
        ordering = ["-period", "region"]
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        permissions = [
            ("start_paymentrun", "Can start a payment run and import the bank's reconciliation"),
            ("approve_paymentrun", "Can approve and release a payment run (not one's own)"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="payment_run_once_a_month"),
            models.CheckConstraint(
                condition=Q(status__in=PaymentRunStatus.values), name="payment_run_status"
            ),
            models.CheckConstraint(
                condition=Q(net_total=F("gross_total") - F("deductions_total")),
                name="payment_run_net_is_gross_less_deductions",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} {self.region_id} {self.period:%Y-%m} ({self.status})"


class PaymentRunChunk(models.Model):
    """An id range of the region's awards: one Celery task, one transaction."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(PaymentRun, models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    low_id = models.BigIntegerField()  # inclusive
    high_id = models.BigIntegerField()  # exclusive
    awards = models.PositiveIntegerField(default=0)  # active awards in the range at start
    done_at = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=0)  # the run generation it last ran in
    runs = models.PositiveIntegerField(default=0)  # how often it was executed (re-runs)
    inserted = models.PositiveIntegerField(default=0)
    gross = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    deductions = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    held = models.PositiveIntegerField(default=0)
    held_gross = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="payment_chunk_number"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.number} [{self.low_id}, {self.high_id})"


class PaymentStatus(models.TextChoices):
    """Stored states. "Sent" is not stored: a pending payment whose bank run was released is
    with the bank (selectors.payment_state), so releasing a million lines updates no row."""

    PENDING = "pending", _("Awaiting the bank file")
    HELD = "held", _("Held")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned by the bank")
    RESENT = "resent", _("Returned, sent again")
    CANCELLED = "cancelled", _("Cancelled")
    SETTLED = "settled", _("Nothing to transfer (fully offset)")


class Payment(models.Model):
    """One award's payment for one month (UNIQUE(award, period))."""

    id = models.BigAutoField(primary_key=True)
    award = models.ForeignKey(
        "benefits.Award", models.PROTECT, related_name="payments", db_index=False
    )  # the unique (award, period) index serves it
    # The run that built it (null: built outside a run, e.g. arrears of a new award).
    # `run` and `bank_run` are not database foreign keys: checking them costs a quarter of a
    # million-payment run (bench/bench_benefits.py); the run engine is their only writer and
    # runs are never deleted. `award` keeps its foreign key.
    run = models.ForeignKey(
        PaymentRun,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        db_index=False,
        db_constraint=False,
    )
    # The run whose bank file carries it the first time (null while held or not yet attached).
    bank_run = models.ForeignKey(
        PaymentRun,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_payments",
        db_constraint=False,
    )
    period = models.DateField(_("month"))
    gross = models.DecimalField(_("gross"), max_digits=14, decimal_places=2)
    deductions = models.DecimalField(_("offset deducted"), max_digits=14, decimal_places=2)
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=PaymentStatus)
    # The overpayment debt the deduction went to (Art. 46 offset against later benefits).
    offset_debt = models.ForeignKey(
        "benefits.Debt",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    return_reason_code = models.CharField(max_length=16, blank=True)
    return_reason = models.CharField(max_length=200, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["award", "period"], name="payment_once_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_status"
            ),
            models.CheckConstraint(
                condition=Q(deductions__gte=0)
                & Q(deductions__lte=F("gross"))
                & Q(net=F("gross") - F("deductions")),
                name="payment_net_is_gross_less_deductions",
            ),
        ]
        indexes = [
            # Held, released or arrears payments waiting for the next bank file: a small set.
            models.Index(
                fields=["id"],
                name="payment_unattached",
                condition=Q(bank_run__isnull=True, status="pending"),
            ),
            models.Index(fields=["run"], name="payment_held", condition=Q(status="held")),
            models.Index(
                fields=["offset_debt"],
                name="payment_offset_debt",
                condition=Q(offset_debt__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk} {self.award_id} {self.period:%Y-%m} ({self.status})"


class PaymentResend(models.Model):
    """A returned payment sent again in a later run's bank file."""

    id = models.BigAutoField(primary_key=True)
    payment = models.ForeignKey(Payment, models.PROTECT, related_name="resends")
    run = models.ForeignKey(
        PaymentRun, models.PROTECT, null=True, blank=True, related_name="resends"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(max_length=16, choices=PaymentStatus, default=PaymentStatus.PENDING)
    return_reason_code = models.CharField(max_length=16, blank=True)
    return_reason = models.CharField(max_length=200, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "run"], name="payment_resend_once_per_run"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_resend_positive"),
        ]

    def __str__(self) -> str:
        return f"Resend {self.pk} of {self.payment_id}"


class ReconciliationImport(models.Model):
    """A bank reconciliation file imported for a run (the same file twice imports once)."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(PaymentRun, models.PROTECT, related_name="reconciliations")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    lines = models.PositiveIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    requeued = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "sha256"], name="reconciliation_file_once"),
        ]

    def __str__(self) -> str:
        return f"Reconciliation {self.file_name} for run {self.run_id}"

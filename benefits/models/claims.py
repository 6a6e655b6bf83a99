"""Claims (Arts. 18-24) and the calculation each decision rests on.

A claim is the benefits side of a case filed with the case engine (cases.services.case_file): the
case carries the clock, materials and the maker-checker decision; the claim carries what benefits
needs to compute (its inputs) and the calculation the clerk saw (DecisionCalculation: rule version,
input snapshot, policy figures, steps, amounts), so the same numbers come out years later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models.scoping import RegionScopedQuerySet
from core.fields import EncryptedField
from core.masking import mask_account_number
from core.models import TimeStampedModel


class ClaimKind(models.TextChoices):
    """What is claimed; `ITEM_CODES` names the catalogue item each is filed under."""

    PENSION = "pension", _("Basic pension")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit")
    MATERNITY = "maternity", _("Maternity allowance")
    WI_DISABILITY = "wi_disability", _("Work-injury disability benefits")
    WI_DEATH = "wi_death", _("Work-injury death benefits")
    WI_REIMBURSEMENT = "wi_reimbursement", _("Work-injury manual reimbursement")
    SURVIVORS = "survivors", _("Funeral subsidy and survivors' benefit")
    MEDICAL_REIMBURSEMENT = "medical_reimbursement", _("Manual medical reimbursement")
    TRAINING_SUBSIDY = "training_subsidy", _("Vocational training subsidy")
    WI_APPRAISAL = "wi_appraisal", _("Labour-capacity appraisal")
    WI_DEVICE = "wi_device", _("Assistive-device confirmation")
    WI_LEAVE_EXTENSION = "wi_leave_extension", _("Extension of paid injury leave")
    WI_RECURRENCE = "wi_recurrence", _("Confirmation of a recurring injury")


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Filed")  # the case is with the agency; nothing computed yet
    CALCULATED = "calculated", _("Calculated")  # a calculation exists, no decision proposed
    PROPOSED = "proposed", _("Decision proposed")  # awaiting the case engine's approvals
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
    CLOSED = "closed", _("Closed without decision")  # not accepted or withdrawn


class ClaimQuerySet(RegionScopedQuerySet["Claim"]):
    """Claim.objects.visible_to(user): the scoping rule (benefits.models.scoping)."""


class Claim(TimeStampedModel):
    """One application for a benefit; the case engine's case is its clock and its decision."""

    id = models.BigAutoField(primary_key=True)
    case = models.OneToOneField(
        "cases.Case", models.PROTECT, related_name="benefit_claim", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ClaimKind)
    # The insured person the benefit rests on (for survivors' claims: the deceased).
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="benefit_claims"
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus, default=ClaimStatus.FILED
    )
    # The clerk's inputs as entered (never the account number: that is encrypted below).
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    payee_account = EncryptedField(
        _("account number"), blank=True, purpose="bank_account", masker=mask_account_number
    )  # copied to the awards a grant creates
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ClaimQuerySet.as_manager()  # .visible_to(user): the scoping rule

    class Meta:
        ordering = ["-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        permissions = [("view_claim_calculation", "Can see claims and their calculations")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind"),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status"),
        ]
        indexes = [models.Index(fields=["person", "kind"], name="claim_person_kind")]

    def __str__(self) -> str:
        return f"Claim {self.pk} {self.kind} ({self.status})"

    @property
    def masked_account(self) -> str:
        return mask_account_number(self.payee_account)


class DecisionCalculation(models.Model):
    """What a decision was computed from: reproducible years later (DESIGN.md "Lessons")."""

    id = models.BigAutoField(primary_key=True)
    claim = models.ForeignKey(Claim, models.PROTECT, related_name="calculations")
    # Set when the clerk proposes the decision with this calculation (cases.Decision).
    decision = models.OneToOneField(
        "cases.Decision",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="benefit_calculation",
    )
    rule_version = models.CharField(_("rule version"), max_length=120)
    inputs = models.JSONField(_("input snapshot"))
    sources = models.JSONField(_("policy figures used"), default=list, blank=True)
    steps = models.JSONField(_("steps"), default=list)
    is_eligible = models.BooleanField(_("eligible"))
    reasons = models.TextField(_("reasons"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    # What the decision grants: a monthly amount, a one-off amount, or neither (Art. 21 items).
    monthly_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    one_off_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    start_month = models.DateField(null=True, blank=True)
    end_month = models.DateField(null=True, blank=True)
    # The awards a grant creates, as the calculation planned them (kind, amounts, months, payee).
    awards_planned = models.JSONField(default=list, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["claim", "-computed_at", "-id"]
        verbose_name = _("decision calculation")
        verbose_name_plural = _("decision calculations")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gte=0),
                name="calculation_monthly_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(one_off_amount__isnull=True) | Q(one_off_amount__gte=0),
                name="calculation_one_off_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Calculation {self.pk} of claim {self.claim_id} ({self.rule_version})"

    @property
    def decision_amount(self) -> object:
        """The amount the decision states (it sets the four-eyes levels, Art. 37)."""
        if self.one_off_amount is not None:
            return self.one_off_amount
        return self.monthly_amount

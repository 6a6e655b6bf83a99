"""Transfers (Arts. 12-17): one row per side; a deployment serving both regions holds both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField
from core.masking import mask_id_number
from core.models import TimeStampedModel
from transfers.procedures import Side, StepAction, TransferKind

if TYPE_CHECKING:
    from accounts.models import User


class TransferStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


class Reconciliation(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet reconciled")
    MATCHED = "matched", _("Amounts agree")
    MISMATCH = "mismatch", _("Amounts differ: a clerk must resolve")
    ACCEPTED = "accepted", _("Difference accepted by a clerk")


class TransferQuerySet(models.QuerySet["Transfer"]):
    def visible_to(self, user: User) -> TransferQuerySet:
        """The one scoping rule: staff see their pooling region's side; a person sees their own
        transfers, an employer user those of people it employs (Art. 16: progress for the
        employer and the individual); API clients see their agency's region, or all."""
        if not user.is_authenticated:
            return self.none()
        if user.employer_id is not None:
            from registration.models import Employment

            employed = Employment.objects.filter(
                person_id=OuterRef("person_id"), employer_id=user.employer_id
            )
            return self.filter(Exists(employed))
        if user.is_api_client:
            from accounts.models import ApiClient

            region = (
                ApiClient.objects.filter(user=user, agency__isnull=False)
                .values_list("agency__region__pooling_region_id", "agency__region_id")
                .first()
            )
            return self if region is None else self.filter(local_region_id=region[0] or region[1])
        if user.has_perm("transfers.view_transfer"):
            if user.agency_id is None:
                return self
            region = user.agency.region if user.agency else None
            pooling = region.pooling_region_id or region.pk if region else None
            return self.filter(local_region_id=pooling)
        return self.filter(person__user=user)


class Transfer(TimeStampedModel):
    """One side of a transfer. `reference` is shared by both sides; (reference, side) is unique,
    so a deployment that serves both regions keeps two rows and works them like two agencies."""

    reference = models.CharField(_("reference"), max_length=40)
    side = models.CharField(_("our side"), max_length=3, choices=Side)
    kind = models.CharField(_("kind"), max_length=32, choices=TransferKind)
    insurance_type = models.CharField(_("insurance type"), max_length=20)
    # The person as registered here; the old region may not know them (then it refuses).
    person = models.ForeignKey(
        "registration.InsuredPerson",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("insured person"),
    )
    id_number = EncryptedField(_("citizen ID number"), purpose="id_number")
    id_number_hash = BlindIndexField(source="id_number", purpose="id_number", db_index=True)
    name = models.CharField(_("name"), max_length=100)
    from_region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="+", verbose_name=_("to")
    )
    # Our side's pooling region (from_region on the OUT side, to_region on the IN side).
    local_region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    partner = models.ForeignKey("transfers.PartnerAgency", models.PROTECT, related_name="transfers")
    # Art. 17: transfers between military insurance and social insurance are handled first.
    is_military = models.BooleanField(_("military transfer"), default=False)
    military_organ = models.CharField(_("military organ"), max_length=200, blank=True)
    military_document = models.CharField(
        _("military organ's transfer document"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus, default=TransferStatus.OPEN
    )
    current_step = models.PositiveSmallIntegerField(_("current step"), default=1)
    reconciliation = models.CharField(
        _("reconciliation"),
        max_length=16,
        choices=Reconciliation,
        default=Reconciliation.NOT_YET,
    )
    reconciliation_note = models.TextField(_("reconciliation note"), blank=True)
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    applied_on = models.DateField(_("applied on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-is_military", "-created_at", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        permissions = [
            ("handle_transfer", "Can handle transfers: apply, complete and refuse steps"),
            ("resolve_reconciliation", "Can resolve a transfer's fund mismatch"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference", "side"], name="transfer_reference_side"),
            # One open transfer per person, kind and side, whatever the race.
            models.UniqueConstraint(
                fields=["id_number_hash", "kind", "side"],
                condition=Q(status="open"),
                name="transfer_one_open_per_person",
            ),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="transfer_side"),
            models.CheckConstraint(condition=Q(kind__in=TransferKind.values), name="transfer_kind"),
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values), name="transfer_status"
            ),
            models.CheckConstraint(
                condition=Q(reconciliation__in=Reconciliation.values),
                name="transfer_reconciliation",
            ),
            models.CheckConstraint(
                condition=~Q(from_region=models.F("to_region")), name="transfer_between_regions"
            ),
        ]
        indexes = [models.Index(fields=["local_region", "status", "is_military"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.side})"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_open(self) -> bool:
        return self.status == TransferStatus.OPEN


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Not started")
    OPEN = "open", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class TransferStep(models.Model):
    """A step of the procedure on this side's copy: our own steps carry their case (and its
    deadline); the partner's steps carry what the partner reported in its messages."""

    transfer = models.ForeignKey(Transfer, models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    side = models.CharField(_("handled by"), max_length=3, choices=Side)
    action = models.CharField(_("action"), max_length=16, choices=StepAction)
    item_code = models.CharField(_("service item"), max_length=60, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_step",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus, default=StepStatus.WAITING
    )
    started_on = models.DateField(_("received on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["transfer", "number"]
        verbose_name = _("transfer step")
        verbose_name_plural = _("transfer steps")
        constraints = [
            models.UniqueConstraint(fields=["transfer", "number"], name="transfer_step_once"),
            models.CheckConstraint(
                condition=Q(status__in=StepStatus.values), name="transfer_step_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id} step {self.number} ({self.status})"

    @property
    def is_ours(self) -> bool:
        return self.side == self.transfer.side


class TransferPackage(models.Model):
    """The record and the amounts one transfer sends (OUT) or received (IN), with the inputs and
    the rule they came from, so the same numbers come out years later (DESIGN.md)."""

    transfer = models.ForeignKey(Transfer, models.PROTECT, related_name="packages")
    revision = models.PositiveSmallIntegerField(default=1)
    rule = models.CharField(_("rule"), max_length=300)
    history = models.JSONField(_("contribution history"), default=list)
    months = models.PositiveIntegerField(_("contribution months"))
    pooled_base_total = models.DecimalField(max_digits=16, decimal_places=2)
    pooled_fund = models.DecimalField(_("pooled fund"), max_digits=14, decimal_places=2)
    account_balance = models.DecimalField(_("personal account"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    # IN side: what the old region declared vs. what we recompute and what actually arrived.
    recomputed_pooled_fund = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    funds_received = models.DecimalField(
        _("funds received"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transfer", "revision"]
        verbose_name = _("transfer package")
        verbose_name_plural = _("transfer packages")
        constraints = [
            models.UniqueConstraint(fields=["transfer", "revision"], name="package_revision"),
            models.CheckConstraint(
                condition=Q(total=models.F("pooled_fund") + models.F("account_balance")),
                name="package_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id} r{self.revision}: {self.total}"

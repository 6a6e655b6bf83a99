"""The personal pension account (个人账户, Art. 11): a ledger whose balance is the sum of its
entries. Nothing is ever edited: a mistake is put right by a further entry."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PersonalAccount(TimeStampedModel):
    person = models.OneToOneField(
        "registration.InsuredPerson", models.PROTECT, related_name="personal_account"
    )
    # The pooling region whose interest rate applies (policy "account_interest_rate").
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("personal account")
        verbose_name_plural = _("personal accounts")

    def __str__(self) -> str:
        return f"account of {self.person_id}"


class AccountEntryKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Personal contributions 个人缴费")
    INTEREST = "interest", _("Interest 利息")
    TRANSFER_IN = "transfer_in", _("Transfer in 转入")
    TRANSFER_OUT = "transfer_out", _("Transfer out 转出")
    DEDUCTION = "deduction", _("Deduction 扣减")
    CORRECTION = "correction", _("Correction 更正")


class AccountEntry(models.Model):
    """A signed amount in the account, attributed to a year (`year`: the year it counts in for
    interest). Unique keys make every posting safe to run twice."""

    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(PersonalAccount, models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=AccountEntryKind)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # What the entry came from, one of: a contribution batch (its personal parts of one year),
    # a contribution record (a reversal), or another system's reference (transfer, offset).
    batch = models.ForeignKey(
        "registration.ContributionBatch", models.PROTECT, null=True, blank=True, related_name="+"
    )
    contribution = models.ForeignKey(
        "registration.ContributionRecord",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=True,
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    rate = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("account entry")
        verbose_name_plural = _("account entries")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year", "kind"],
                condition=Q(kind="interest"),
                name="account_interest_once_a_year",
            ),
            models.UniqueConstraint(
                fields=["account", "batch", "year"],
                condition=Q(batch__isnull=False),
                name="account_batch_posting_once",
            ),
            models.UniqueConstraint(
                fields=["contribution"],
                condition=Q(contribution__isnull=False),
                name="account_contribution_posting_once",
            ),
            models.UniqueConstraint(
                fields=["account", "kind", "reference"],
                condition=~Q(reference=""),
                name="account_reference_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccountEntryKind.values), name="account_entry_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year} {self.kind} {self.amount}"

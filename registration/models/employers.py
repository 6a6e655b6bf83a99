"""Employers (Art. 6) and what they owe before they may cancel (Art. 10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField
from core.identity import validate_credit_code
from core.masking import mask_account_number
from core.models import TimeStampedModel

if TYPE_CHECKING:
    from accounts.models import User


class EmployerType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise 企业")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution 事业单位")
    GOVERNMENT = "government", _("Government organ 机关")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation 社会团体")
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business 个体工商户")
    OTHER = "other", _("Other 其他")


class EmployerStatus(models.TextChoices):
    ACTIVE = "active", _("Active 正常")
    CHANGE_PENDING = "change_pending", _("Change pending 变更中")
    CANCEL_PENDING = "cancel_pending", _("Cancellation pending 注销中")
    CANCELLED = "cancelled", _("Cancelled 已注销")


class EmployerChannel(models.TextChoices):
    MARKET = "market", _("Market registration feed 市场监管同步登记")
    ONLINE = "online", _("Online application 网上申请")


class EmployerQuerySet(models.QuerySet["Employer"]):
    def visible_to(self, user: User) -> EmployerQuerySet:
        """The one scoping rule: an employer user sees only its own employer; staff see the
        employers of their agency's pooling region (all, for provincial staff without an agency);
        API clients are provincial systems and see all."""
        if not user.is_authenticated:
            return self.none()
        if user.employer_id is not None:
            return self.filter(pk=user.employer_id)
        if user.is_api_client:
            return self
        if not user.has_perm("registration.view_employer"):
            return self.none()
        if user.agency is not None:
            return self.filter(region__pooling_region_id=user.agency.region.pooling_region_id)
        return self


class Employer(TimeStampedModel):  # type: ignore[django-manager-missing]  # ApiClient.employer (swappable)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(
        _("type"), max_length=32, choices=EmployerType, default=EmployerType.ENTERPRISE
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="employers")
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = EncryptedField(
        _("bank account"), blank=True, purpose="bank_account", masker=mask_account_number
    )
    bank_account_hash = BlindIndexField(
        source="bank_account", purpose="bank_account", null=True, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EmployerStatus, default=EmployerStatus.ACTIVE
    )
    channel = models.CharField(
        _("registered through"), max_length=16, choices=EmployerChannel, default="market"
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmployerStatus.values), name="employer_status"
            ),
            models.CheckConstraint(condition=Q(type__in=EmployerType.values), name="employer_type"),
        ]
        indexes = [
            # The name search (name__icontains is UPPER(name) LIKE UPPER('%…%')): a trigram
            # index on that expression serves any part of a name of three characters or more.
            GinIndex(
                OpClass(Upper("name"), name="gin_trgm_ops"),
                name="employer_name_trgm",
                fastupdate=False,  # see InsuredPerson: no pending list for searches to scan
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ArrearsKind(models.TextChoices):
    """What an employer may owe before it may cancel its registration (Art. 10)."""

    CONTRIBUTIONS = "contributions", _("Unpaid contributions 欠缴社会保险费")
    LATE_FEES = "late_fees", _("Late fees 滞纳金")
    FINES = "fines", _("Fines 罚款")


class EmployerArrears(TimeStampedModel):
    """The outstanding balance of one kind for one employer, as the collection authority last
    reported it (its ledger is the source of truth; we keep its latest word and when it said it)."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="arrears")
    kind = models.CharField(_("kind"), max_length=16, choices=ArrearsKind)
    amount = models.DecimalField(_("outstanding"), max_digits=14, decimal_places=2)
    as_of = models.DateField(_("as of"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("employer arrears")
        verbose_name_plural = _("employer arrears")
        constraints = [
            models.UniqueConstraint(fields=["employer", "kind"], name="arrears_one_per_kind"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="arrears_not_negative"),
            models.CheckConstraint(condition=Q(kind__in=ArrearsKind.values), name="arrears_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.kind} {self.amount}"

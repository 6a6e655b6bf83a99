"""Employers and insured persons (Arts. 6-11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
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


class Employer(TimeStampedModel):
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

    def __str__(self) -> str:
        return self.name

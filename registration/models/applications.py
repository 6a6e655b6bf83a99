"""Applications handled as cases (Arts. 6, 10): what was applied for, kept here so personal
and bank data stay encrypted (the case keeps only a reference to this row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedField
from core.masking import mask_account_number


class ApplicationKind(models.TextChoices):
    EMPLOYER_REGISTER = "employer_register", _("Employer registration 单位参保登记")
    EMPLOYER_CHANGE = "employer_change", _("Change of registration 变更登记")
    EMPLOYER_CANCEL = "employer_cancel", _("Cancellation 注销登记")
    PERSON_REGISTER = "person_register", _("Individual registration 个人参保登记")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending 办理中")
    APPLIED = "applied", _("Approved and applied 已办结")
    REFUSED = "refused", _("Refused or withdrawn 未通过")


class RegistrationApplication(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicationKind)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus, default=ApplicationStatus.PENDING
    )
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The case that handles it (cases.Case.case_number; no foreign key, so the two apps migrate
    # independently). The case's `reference` is "registration:application:<pk>".
    case_number = models.CharField(_("case number"), max_length=20, blank=True, db_index=True)
    # Non-sensitive fields applied for (names, addresses, codes, the chosen username).
    data = models.JSONField(default=dict, blank=True)
    bank_account = EncryptedField(
        _("bank account"), blank=True, purpose="bank_account", masker=mask_account_number
    )
    id_number = EncryptedField(_("ID number"), blank=True, purpose="id_number")
    password_hash = models.CharField(max_length=200, blank=True)  # never a plaintext password
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("registration application")
        verbose_name_plural = _("registration applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ApplicationKind.values), name="application_kind"
            ),
            # One pending change or cancellation per employer at a time (Art. 10 states).
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(status="pending", employer__isnull=False),
                name="application_one_pending_per_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

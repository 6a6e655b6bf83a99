"""The registry of partner agencies: who we exchange transfers with, and how to reach them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", _("Active (over the API)")
    LOCAL = "local", _("Local (regions this deployment serves itself)")
    SUSPENDED = "suspended", _("Suspended")


class PartnerAgency(TimeStampedModel):
    """Another deployment (or, with status LOCAL, this one) and the pooling regions it serves.

    `code` is the partner's key id: it signs its requests under it. `our_key_id` is the id it
    knows us by. A LOCAL partner has no URL or key: messages to its regions are delivered in
    process, through the same outbox and inbox."""

    code = models.CharField(_("key id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    regions = models.ManyToManyField(
        "core.Region", related_name="transfer_partners", verbose_name=_("pooling regions")
    )
    base_url = models.URLField(_("base URL"), blank=True)
    public_key = models.CharField(
        _("public key"),
        max_length=200,
        blank=True,
        help_text=_("The partner's Ed25519 public key, base64 (32 bytes)."),
    )
    our_key_id = models.CharField(_("our key id"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PartnerStatus, default=PartnerStatus.ACTIVE
    )
    # The account that messages from this partner act as (audit trail, case filing).
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="transfer_partner"
    )
    # An OAuth2 client that may deliver for this partner (a platform relaying for it).
    api_client = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_partner",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PartnerStatus.values), name="partner_status"
            ),
            models.CheckConstraint(
                condition=Q(status=PartnerStatus.LOCAL) | (~Q(base_url="") & ~Q(public_key="")),
                name="partner_remote_has_url_and_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_local(self) -> bool:
        return self.status == PartnerStatus.LOCAL

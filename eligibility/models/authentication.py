"""Proof that a beneficiary is alive and still entitled (Art. 26: 数据比对 and 自助认证).

Each beneficiary has a cycle (12 months, say: a regional policy parameter). Any authentication
satisfies it: a sign of life from data comparison, a self-service check (face recognition, the
app), a counter visit, a clerk's home visit. No authentication by the end: payment is suspended,
and resumes with arrears when the person authenticates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuthenticationChannel(models.TextChoices):
    DATA_COMPARISON = "data_comparison", _("Data comparison")
    SELF_SERVICE = "self_service", _("Self-service (face recognition, app)")
    COUNTER = "counter", _("Counter visit")
    HOME_VISIT = "home_visit", _("Home visit by a clerk")


# Verified without coming in: the share agencies report (nationally over 70%).
REMOTE_CHANNELS = (AuthenticationChannel.DATA_COMPARISON, AuthenticationChannel.SELF_SERVICE)


class Authentication(models.Model):
    """One proof of life. Idempotent by (channel, reference) when the sender gives one."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(
        "registration.InsuredPerson", models.PROTECT, related_name="authentications"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=AuthenticationChannel)
    method = models.CharField(_("how"), max_length=40, blank=True)  # face, app, hospital visit…
    verified_on = models.DateField(_("verified on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    feed_record = models.ForeignKey(
        "eligibility.FeedRecord", models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-verified_on", "-id"]
        verbose_name = _("authentication")
        verbose_name_plural = _("authentications")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"],
                condition=~Q(reference=""),
                name="authentication_reference",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=AuthenticationChannel.values),
                name="authentication_channel",
            ),
        ]
        indexes = [models.Index(fields=["verified_on", "person"], name="authentication_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.channel} {self.verified_on}"


class AuthenticationCycle(models.Model):
    """A beneficiary's current cycle: when they were last verified, and by when they must be
    verified again. `suspended_at` is set while payment is suspended because the cycle ran out;
    only this app's own suspension is lifted by a later authentication."""

    person = models.OneToOneField(
        "registration.InsuredPerson", models.PROTECT, related_name="authentication_cycle"
    )
    last_verified_on = models.DateField(_("last verified on"))
    last_channel = models.CharField(
        _("last verified through"), max_length=16, choices=AuthenticationChannel, blank=True
    )
    cycle_months = models.PositiveSmallIntegerField(_("cycle (months)"))
    due_on = models.DateField(_("verify again by"))
    suspended_at = models.DateTimeField(_("payment suspended at"), null=True, blank=True)
    is_active = models.BooleanField(_("beneficiary"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("authentication cycle")
        verbose_name_plural = _("authentication cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("last_verified_on")), name="cycle_due_after"
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(is_active=True), name="cycle_due"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} due {self.due_on}"


class AuthenticationReminder(models.Model):
    """A reminder before the cycle ends: one per person and due date, so re-runs send once.
    Written as an outbox row; the messaging relay sends it and sets `sent_at`."""

    person = models.ForeignKey("registration.InsuredPerson", models.PROTECT, related_name="+")
    due_on = models.DateField(_("verify by"))
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "due_on"], name="reminder_once_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} remind for {self.due_on}"

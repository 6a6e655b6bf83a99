"""The credit log (Art. 45): dishonest acts of employers and individuals, with their basis and
evidence. Kept here for now; the supervision work extends it (exports, the serious list)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CreditSubject(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    PERSON = "person", _("Individual")


class CreditAct(models.TextChoices):
    STOP_EVENT_NOT_REPORTED = (
        "stop_event_not_reported",
        _("Did not report an event that stops benefits within 20 working days"),
    )


class CreditRecord(models.Model):
    """One act on record. `key` names what it rests on, so a sweep that runs twice (or catches
    up after missed days) records it once."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    subject_kind = models.CharField(_("subject"), max_length=10, choices=CreditSubject)
    employer = models.ForeignKey(
        "registration.Employer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_records",
        verbose_name=_("employer"),
    )
    person = models.ForeignKey(
        "registration.InsuredPerson",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_records",
        verbose_name=_("person"),
    )
    act = models.CharField(_("act"), max_length=40, choices=CreditAct)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    evidence = models.JSONField(_("evidence"), default=dict)
    occurred_on = models.DateField(_("date of the act"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    stop_event = models.ForeignKey(
        "eligibility.StopEvent",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_records",
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_kind="employer", employer__isnull=False)
                | Q(subject_kind="person", person__isnull=False),
                name="credit_record_has_subject",
            ),
            models.CheckConstraint(condition=Q(act__in=CreditAct.values), name="credit_act"),
        ]

    def __str__(self) -> str:
        return f"{self.act} {self.subject_kind} {self.occurred_on}"

"""Decisions with reasons and remedies (Art. 52), approved in tiers by other people (Art. 37)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    EFFECTIVE = "effective", _("Effective")
    RETURNED = "returned", _("Returned to the maker")


class ApprovalLevel(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")


class Decision(models.Model):
    """A maker's decision on a case. Effective at once, or after the approvals it needs."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome)
    reasons = models.TextField(_("reasons"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Art. 52: every decision notice tells the applicant how to challenge it.
    remedy_notice = models.TextField(_("remedies"))
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus, default=DecisionStatus.PROPOSED
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("maker")
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    # The approval levels this decision needs, pinned with the thresholds in force when it was
    # proposed (DESIGN.md: a decision is pinned to the policy version it started with).
    needs_reviewer = models.BooleanField(_("needs a reviewer"))
    needs_supervisor = models.BooleanField(_("needs a supervisor"))
    policy_snapshot = models.JSONField(default=dict, blank=True)
    effective_at = models.DateTimeField(_("effective at"), null=True, blank=True)

    class Meta:
        ordering = ["case", "proposed_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values), name="decision_outcome"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="decision_status"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decision_amount_not_negative",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
            models.CheckConstraint(
                condition=Q(needs_supervisor=False) | Q(needs_reviewer=True),
                name="decision_supervisor_after_reviewer",
            ),
            # One live decision per case: a proposal or the effective decision.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["proposed", "effective"]),
                name="decision_one_live_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome} ({self.status})"

    @property
    def required_levels(self) -> list[str]:
        levels = []
        if self.needs_reviewer:
            levels.append(ApprovalLevel.REVIEWER.value)
        if self.needs_supervisor:
            levels.append(ApprovalLevel.SUPERVISOR.value)
        return levels


class ApprovalVerdict(models.TextChoices):
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")


class Approval(models.Model):
    decision = models.ForeignKey(Decision, models.PROTECT, related_name="approvals")
    level = models.CharField(_("level"), max_length=16, choices=ApprovalLevel)
    verdict = models.CharField(_("verdict"), max_length=16, choices=ApprovalVerdict)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("approver")
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["decision", "at", "pk"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            # No repeat approver: one person gives at most one verdict on a decision.
            models.UniqueConstraint(
                fields=["decision", "approver"], name="approval_no_repeat_approver"
            ),
            models.UniqueConstraint(fields=["decision", "level"], name="approval_one_per_level"),
            models.CheckConstraint(
                condition=Q(level__in=ApprovalLevel.values), name="approval_level"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=ApprovalVerdict.values), name="approval_verdict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.level} {self.verdict}"

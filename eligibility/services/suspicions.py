"""Suspicions opened by reports (Art. 25), and a clerk's hold on one (Art. 26).

A report from a known sender (a clerk at the counter, an employer in its portal, a government
system through the API) holds the award's payments at once. An online report from an anonymous
member of the public opens the suspicion without a hold: anyone could report anyone, so nothing
happens to the payment until a clerk looks at it (and may hold it from the queue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from audit.services import audit_event_record
from eligibility import awards
from eligibility.errors import SuspicionStateError
from eligibility.models import (
    ReportChannel,
    StopEventReport,
    Suspicion,
    SuspicionAction,
    SuspicionStatus,
    Verification,
)
from eligibility.services.comparison import DEATH_CAUSED_KINDS, overpaid_refresh

if TYPE_CHECKING:
    from accounts.models import User

# Channels whose sender is known and accountable: their reports hold payment at once.
HOLDING_CHANNELS = (ReportChannel.COUNTER, ReportChannel.EMPLOYER_PORTAL, ReportChannel.API)


def _drawing_awards(report: StopEventReport) -> list[int]:
    from benefits.models import Award

    awards_of_person = Award.objects.filter(
        person_id=report.person_id, status__in=awards.DRAWING_STATUSES, frequency="monthly"
    ).exclude(end_month__lte=report.event_date)
    if report.kind == "death":
        awards_of_person = awards_of_person.exclude(kind__in=DEATH_CAUSED_KINDS)
    if report.kind == "reemployment":
        awards_of_person = awards_of_person.filter(scheme="unemployment")
    return list(awards_of_person.order_by("pk").values_list("pk", flat=True))


def suspicions_open_for_report(*, report: StopEventReport) -> int:
    """A suspicion on each award the reported event touches, unless a clerk already refuted
    that very event. Runs inside the report's transaction."""
    if report.person_id is None:
        return 0
    refuted = Verification.objects.filter(
        person_id=report.person_id,
        kind=report.kind,
        event_date=report.event_date,
        outcome="refuted",
    ).exists()
    if refuted:
        return 0
    from benefits.models import Award

    holding = report.channel in HOLDING_CHANNELS
    opened: list[int] = []
    for award_id in _drawing_awards(report):
        status = Award.objects.filter(pk=award_id).values_list("status", flat=True).get()
        action = SuspicionAction.HELD if holding and status == "active" else SuspicionAction.NONE
        suspicion = Suspicion.objects.create(
            award_id=award_id,
            person_id=report.person_id,
            kind=report.kind,
            event_date=report.event_date,
            report=report,
            stop_event=report.stop_event,
            action=action,
            opened_at=timezone.now(),
        )
        if action == SuspicionAction.HELD:
            suspicion.hold_id = awards.award_hold(
                award_id=award_id,
                reason=awards.HOLD_REASON_SUSPICION,
                evidence=awards.suspicion_evidence(suspicion.pk),
                by=None,
            )
            suspicion.save(update_fields=["hold"])
        opened.append(suspicion.pk)
    overpaid_refresh(opened)
    return len(opened)


def suspicion_hold(*, suspicion_id: int, by: User) -> Suspicion:
    """A clerk holds the payments of an award an unverified report is about (Art. 26)."""
    with transaction.atomic():
        suspicion = Suspicion.objects.visible_to(by).select_for_update().get(pk=suspicion_id)
        if not suspicion.is_open or suspicion.hold_id is not None:
            raise SuspicionStateError(
                "该疑点已暂扣或已处理 / this suspicion is already held or decided"
            )
        suspicion.hold_id = awards.award_hold(
            award_id=suspicion.award_id,
            reason=awards.HOLD_REASON_SUSPICION,
            evidence=awards.suspicion_evidence(suspicion.pk),
            by=by,
        )
        suspicion.action = SuspicionAction.HELD
        suspicion.save(update_fields=["hold", "action"])
        audit_event_record(
            actor=by,
            action="eligibility.suspicion.hold",
            target=suspicion,
            changes={"hold": suspicion.hold_id},
        )
    return suspicion


def suspicion_close_if_award_ended(*, suspicion: Suspicion) -> bool:
    """An award stopped or ended by other means: its open suspicion has nothing left to do."""
    from benefits.models import Award

    status = Award.objects.filter(pk=suspicion.award_id).values_list("status", flat=True).get()
    if status in awards.DRAWING_STATUSES or not suspicion.is_open:
        return False
    suspicion.status = SuspicionStatus.CLOSED
    suspicion.decided_at = timezone.now()
    suspicion.save(update_fields=["status", "decided_at"])
    return True

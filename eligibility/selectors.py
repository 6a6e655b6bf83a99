"""Eligibility reads: permission-scoped querysets for the clerk pages and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F, Q, QuerySet

from core.models import Agency, Region
from eligibility.models import (
    REMOTE_CHANNELS,
    Authentication,
    AuthenticationCycle,
    CreditRecord,
    FeedBatch,
    Investigation,
    StopEvent,
    StopEventReport,
    Suspicion,
)
from registration.models import InsuredPerson

if TYPE_CHECKING:
    from accounts.models import User


def pooling_region_id(user: User) -> int | None:
    """The pooling region of a staff member's agency (None: provincial staff, who see all)."""
    if user.agency_id is None:
        return None
    row = (
        Agency.objects.filter(pk=user.agency_id)
        .values_list("region__pooling_region_id", "region_id")
        .get()
    )
    return int(row[0] or row[1])


def _person_scope(user: User, prefix: str = "person__") -> Q:
    pooling = pooling_region_id(user)
    if pooling is None:
        return Q()
    return Q(**{f"{prefix}region__pooling_region_id": pooling}) | Q(
        **{f"{prefix}region_id": pooling}
    )


def suspicion_states_for_report(report: StopEventReport) -> list[dict[str, Any]]:
    """Where the verification of a report stands: one entry per suspicion it opened."""
    return [
        {"award_kind": kind, "status": status}
        for kind, status in report.suspicions.order_by("pk").values_list("award__kind", "status")
    ]


def suspicion_queue(*, user: User, statuses: Sequence[str], kind: str = "") -> QuerySet[Suspicion]:
    """The clerk's queue: the region's suspicions in these states, oldest first."""
    suspicions = Suspicion.objects.visible_to(user).filter(status__in=statuses)
    if kind:
        suspicions = suspicions.filter(kind=kind)
    return suspicions.select_related(
        "person", "award", "feed_record", "report", "stop_event", "investigation__case"
    ).order_by("opened_at", "pk")


def investigation_get(*, user: User, investigation_id: int) -> Investigation:
    """An investigation whose case the user may see (the case engine's scoping rule)."""
    from cases.models import Case

    return (
        Investigation.objects.select_related("person", "stop_event", "case", "opened_by")
        .filter(case__in=Case.objects.visible_to(user))
        .get(pk=investigation_id)
    )


def feed_batches(*, user: User) -> QuerySet[FeedBatch]:
    """Deliveries are national data: every clerk with the permission sees the list."""
    if not user.has_perm("eligibility.view_feedbatch"):
        return FeedBatch.objects.none()
    return FeedBatch.objects.select_related("received_by").order_by("-id")


class NoticeState:
    PENDING = "pending"  # the deadline has not passed and nobody reported yet
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"  # the deadline passed and nobody reported


def stop_events_for(*, user: User, state: str, today: date) -> QuerySet[StopEvent]:
    """The notice-duty list; the state is computed from the dates at query time."""
    if not user.has_perm("eligibility.view_stopevent"):
        return StopEvent.objects.none()
    events = StopEvent.objects.filter(_person_scope(user))
    conditions = {
        NoticeState.PENDING: Q(reported_on__isnull=True, deadline__gte=today),
        NoticeState.OVERDUE: Q(reported_on__isnull=True, deadline__lt=today),
        NoticeState.ON_TIME: Q(reported_on__lte=F("deadline")),
        NoticeState.LATE: Q(reported_on__gt=F("deadline")),
    }
    if state in conditions:
        events = events.filter(conditions[state])
    return events.select_related("person", "employer", "first_report").prefetch_related(
        "credit_records"
    )


def credit_records_for(*, user: User) -> QuerySet[CreditRecord]:
    if not user.has_perm("eligibility.view_creditrecord"):
        return CreditRecord.objects.none()
    pooling = pooling_region_id(user)
    records = CreditRecord.objects.select_related("employer", "person", "stop_event")
    if pooling is None:
        return records
    return records.filter(
        Q(employer__region__pooling_region_id=pooling)
        | Q(employer__region_id=pooling)
        | Q(person__region__pooling_region_id=pooling)
        | Q(person__region_id=pooling)
    )


def cycles_for(*, user: User, state: str, today: date) -> QuerySet[AuthenticationCycle]:
    if not user.has_perm("eligibility.view_authenticationcycle"):
        return AuthenticationCycle.objects.none()
    cycles = AuthenticationCycle.objects.filter(_person_scope(user), is_active=True)
    if state == "suspended":
        cycles = cycles.filter(suspended_at__isnull=False)
    elif state == "overdue":
        cycles = cycles.filter(suspended_at__isnull=True, due_on__lt=today)
    elif state == "due_soon":
        cycles = cycles.filter(due_on__gte=today, due_on__lte=today + timedelta(days=30))
    return cycles.select_related("person").order_by("due_on", "pk")


def person_authentications(*, person: InsuredPerson) -> QuerySet[Authentication]:
    return Authentication.objects.filter(person=person).order_by("-verified_on", "-pk")


@dataclass(frozen=True)
class ShareRow:
    region: Region
    month: date
    verified: int
    remote: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.remote / self.verified, 1) if self.verified else 0.0


def remote_share(*, user: User, since: date, region_id: int | None = None) -> list[ShareRow]:
    """Beneficiaries verified without coming in (data comparison and self-service), by
    pooling region and month: of the people verified in a month, those verified at least once
    remotely. The figure agencies report (nationally over 70%). One aggregate query."""
    pooling = pooling_region_id(user)
    wanted = region_id if pooling is None else pooling
    where = "AND coalesce(r.pooling_region_id, r.id) = %s" if wanted is not None else ""
    params: list[Any] = [list(map(str, REMOTE_CHANNELS)), since]
    if wanted is not None:
        params.append(wanted)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT coalesce(r.pooling_region_id, r.id) AS region,
                       date_trunc('month', a.verified_on)::date AS month,
                       count(DISTINCT a.person_id),
                       count(DISTINCT a.person_id) FILTER (WHERE a.channel = ANY(%s))
                FROM {Authentication._meta.db_table} a
                JOIN {InsuredPerson._meta.db_table} p ON p.id = a.person_id
                JOIN {Region._meta.db_table} r ON r.id = p.region_id
                WHERE a.verified_on >= %s {where}
                GROUP BY 1, 2 ORDER BY 1, 2""",  # noqa: S608 - our tables, fixed fragments
            params,
        )
        rows = cursor.fetchall()
    regions = Region.objects.in_bulk({row[0] for row in rows})
    return [
        ShareRow(regions[region], month, total, remote) for region, month, total, remote in rows
    ]

"""The daily deadline sweep and the recomputation of provisional deadlines.

Sweep (Arts. 16, 53; DESIGN.md "Lessons"): it selects by state, `deadline <= horizon` for
reminders and `deadline < today and not yet escalated` for escalations, so a day the scheduler
missed is caught the next time; notifications are unique per (recipient, case, kind, deadline),
so running it twice notifies once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from cases.clock import sla_dates
from cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEventKind,
    Notification,
    NotificationKind,
)
from cases.services._steps import step_record
from cases.services.workflow import deadline_recompute
from core.calendar import WorkingCalendar

logger = logging.getLogger(__name__)
BATCH = 500


def case_deadlines_sweep(*, today: date | None = None, force: bool = False) -> dict[str, int]:
    """Remind assignees of cases due within 2 working days; escalate overdue cases to the
    supervisors of their pooling region. Runs on working days (a make-up Saturday included)."""
    calendar = WorkingCalendar()
    today = today or timezone.localdate()
    if not force and not calendar.is_working_day(today):
        return {"skipped": 1, "reminded": 0, "escalated": 0}
    dates = sla_dates(today, calendar)
    supervisors = _supervisors_by_region()
    reminded = _remind(dates.today, dates.horizon, supervisors)
    escalated = _escalate(dates.today, supervisors)
    logger.info("case sweep %s: %s reminded, %s escalated", today, reminded, escalated)
    return {"skipped": 0, "reminded": reminded, "escalated": escalated}


def _running() -> Q:
    return Q(status__in=OPEN_STATUSES, clock_stopped_on__isnull=True)


def _remind(today: date, horizon: date, supervisors: dict[int | None, list[int]]) -> int:
    due = Case.objects.filter(_running(), deadline__gte=today, deadline__lte=horizon)
    rows = list(
        due.order_by("pk").values_list("pk", "assignee_id", "pooling_region_id", "deadline")
    )
    count = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        already = set(
            Notification.objects.filter(
                kind=NotificationKind.DUE_SOON, case_id__in=[row[0] for row in batch]
            ).values_list("case_id", "due_date")
        )
        recipients = {
            pk: [assignee] if assignee else _for_region(supervisors, region)
            for pk, assignee, region, deadline in batch
            if (pk, deadline) not in already
        }
        fresh = {pk: deadline for pk, _a, _r, deadline in batch if recipients.get(pk)}
        with transaction.atomic():
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=recipient,
                        case_id=pk,
                        kind=NotificationKind.DUE_SOON,
                        due_date=deadline,
                    )
                    for pk, deadline in fresh.items()
                    for recipient in recipients[pk]
                ],
                ignore_conflicts=True,
            )
            for case in Case.objects.filter(pk__in=list(fresh)).order_by("pk").select_for_update():
                step_record(
                    case=case,
                    kind=CaseEventKind.DUE_SOON,
                    actor=None,
                    action="cases.case.remind",
                    data={"deadline": case.deadline.isoformat()},
                )
                count += 1
    return count


def _escalate(today: date, supervisors: dict[int | None, list[int]]) -> int:
    calendar = WorkingCalendar()
    count = 0
    while True:
        with transaction.atomic():
            # skip_locked: a clerk working on a case right now is not waited for; the case is
            # picked up by the next batch or the next run.
            batch = list(
                Case.objects.filter(_running(), deadline__lt=today, escalated_at__isnull=True)
                .select_for_update(skip_locked=True)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return count
            now = timezone.now()
            Case.objects.filter(pk__in=[c.pk for c in batch]).update(escalated_at=now)
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=recipient,
                        case=case,
                        kind=NotificationKind.OVERDUE,
                        due_date=case.deadline,
                    )
                    for case in batch
                    for recipient in _for_region(supervisors, case.pooling_region_id)
                ],
                ignore_conflicts=True,
            )
            for case in batch:
                step_record(
                    case=case,
                    kind=CaseEventKind.ESCALATED,
                    actor=None,
                    action="cases.case.escalate",
                    changes={"escalated_at": [None, now]},
                    data={
                        "deadline": case.deadline.isoformat(),
                        "working_days_late": calendar.working_days_between(
                            case.deadline, today
                        ).days,
                    },
                )
            count += len(batch)


def _supervisors_by_region() -> dict[int | None, list[int]]:
    """Active supervisors by the pooling region of their agency (None: provincial staff)."""
    permission = Permission.objects.filter(
        content_type__app_label="cases", codename="supervise_case"
    ).first()
    if permission is None:
        return {}
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .values_list("pk", "agency__region__pooling_region_id", "agency__region_id", "agency_id")
        .distinct()
    )
    by_region: dict[int | None, list[int]] = defaultdict(list)
    for pk, pooling, region, agency in users:
        by_region[None if agency is None else (pooling or region)].append(pk)
    return dict(by_region)


def _for_region(supervisors: dict[int | None, list[int]], region_id: int | None) -> list[int]:
    """The region's own supervisors; provincial ones when the region has none."""
    return supervisors.get(region_id) or supervisors.get(None, [])


def cases_recompute_for_year(year: int) -> int:
    """Registered with core.calendar: the year's official notice was entered, so provisional
    deadlines that reach into it are computed again (working-days.md §4). Returns how many
    changed; each change is a step on the case's timeline."""
    changed = 0
    candidates = (
        Case.objects.filter(
            deadline_provisional=True, received_on__year__lte=year, deadline__year__gte=year
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    calendar = WorkingCalendar()
    for pk in list(candidates):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            before = (case.deadline, case.deadline_provisional)
            for pause in case.pauses.filter(ended_on__isnull=False, stops_clock=True):
                if pause.ended_on is None:
                    continue
                days = calendar.working_days_between(pause.started_on, pause.ended_on)
                if pause.working_days != days.days:
                    pause.working_days = days.days
                    pause.save(update_fields=["working_days"])
            if not deadline_recompute(case, calendar):
                continue
            case.save(
                update_fields=["deadline", "deadline_provisional", "escalated_at", "updated_at"]
            )
            step_record(
                case=case,
                kind=CaseEventKind.DEADLINE_RECOMPUTED,
                actor=None,
                action="cases.case.deadline_recompute",
                changes={
                    "deadline": [before[0], case.deadline],
                    "deadline_provisional": [before[1], case.deadline_provisional],
                },
                note=f"official calendar {year} entered",
                data={"year": year, "deadline": case.deadline.isoformat()},
            )
            changed += 1
    return changed

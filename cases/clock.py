"""The case clock in working days: receipt date, deadline with pauses, the SLA horizon.

Pure computations over core.calendar (working-days.md); the services store what they return.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from core.calendar import WorkingCalendar

# The sweep reminds assignees of cases due within this many working days (issue: 2 WD).
DUE_SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class CaseDeadline:
    date: date
    provisional: bool
    paused_working_days: int


def office_hours_end() -> time | None:
    """settings.OFFICE_HOURS_END ("17:30"); empty means every submission counts the same day."""
    value = str(getattr(settings, "OFFICE_HOURS_END", "") or "").strip()
    if not value:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def receipt_date(submitted_at: datetime, calendar: WorkingCalendar | None = None) -> date:
    """The date an application counts as received (working-days.md §1.6, local practice made
    configurable): a submission on a rest day, or on a working day after office hours, counts
    from the next working day. The raw submission time is kept on the case beside it."""
    calendar = calendar or WorkingCalendar()
    local = timezone.localtime(submitted_at)
    day = local.date()
    closing = office_hours_end()
    if closing is None:
        return day
    if not calendar.is_working_day(day) or local.time() >= closing:
        return calendar.next_working_day(day)
    return day


def case_deadline(
    *,
    received_on: date,
    working_days: int,
    pauses: Iterable[tuple[date, date | None]],
    calendar: WorkingCalendar | None = None,
) -> CaseDeadline:
    """The last day to finish: `working_days` after receipt, the receipt day not counted
    (民法典 Art. 201 by analogy; 经办条例 Arts. 6, 10, 18, 20, 22, 24:
    "自收到申请之日起N个工作日内办理完毕"),
    moved by the working days of each closed pause that stops the clock. A pause from S to E
    stops working days S < d <= E: the agency used day S, the clock runs again from E + 1."""
    calendar = calendar or WorkingCalendar()
    paused, provisional = 0, False
    for started, ended in pauses:
        if ended is None:
            continue
        count = calendar.working_days_between(started, ended)
        paused += max(count.days, 0)
        provisional = provisional or count.provisional
    deadline = calendar.add_working_days(received_on, working_days + paused)
    return CaseDeadline(deadline.date, deadline.provisional or provisional, paused)


@dataclass(frozen=True)
class SlaDates:
    today: date
    horizon: date  # cases with a deadline on or before this are due soon


def sla_dates(today: date | None = None, calendar: WorkingCalendar | None = None) -> SlaDates:
    calendar = calendar or WorkingCalendar()
    today = today or timezone.localdate()
    return SlaDates(today, calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).date)

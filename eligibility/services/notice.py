"""The Art. 25 notice duty: reports of events that stop benefits, their 20-working-day deadline,
and the daily sweep that writes a credit record (Art. 45) where an employer's deadline passed
without a report.

A report counts as made on the local calendar day it was submitted, whatever the hour: the
period ends at 24:00 of its last day (民法典 Art. 203), and an online form is open at night.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from audit.services import audit_event_record
from core.calendar import Deadline, WorkingCalendar
from core.errors import InvalidInputError
from core.identity import EARLIEST_BIRTH, parse_citizen_id
from eligibility.models import (
    CreditAct,
    CreditRecord,
    CreditSubject,
    DutyHolder,
    ReportChannel,
    ReporterKind,
    StopEvent,
    StopEventKind,
    StopEventReport,
)
from eligibility.models.notice import NOTICE_WORKING_DAYS, KnownFrom
from registration.models import Employer, Employment, InsuredPerson
from registration.selectors import person_get_by_id_number

if TYPE_CHECKING:
    from accounts.models import User

LEGAL_BASIS = "社会保险经办条例 第二十五条、第四十五条 / Regulation Arts. 25 and 45"
# A report and a data-comparison record of the same event may differ by a few days (the date of
# death on a certificate and in the register); within this window they are one event.
SAME_EVENT_WINDOW = timedelta(days=31)


def notice_deadline(event_date: date, calendar: WorkingCalendar | None = None) -> Deadline:
    """Art. 25: the event date + 20 working days (the event day itself not counted)."""
    return (calendar or WorkingCalendar()).add_working_days(event_date, NOTICE_WORKING_DAYS)


def duty_holder_for(person_id: int, on: date) -> tuple[str, int | None]:
    """The employer the person worked for on the event date has the duty; otherwise the
    beneficiary (or, for a death, the relatives)."""
    employer_id = (
        Employment.objects.filter(person_id=person_id, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date", "-id")
        .values_list("employer_id", flat=True)
        .first()
    )
    if employer_id is None:
        return DutyHolder.BENEFICIARY, None
    return DutyHolder.EMPLOYER, employer_id


def _check(
    id_number: str,
    subject_name: str,
    kind: str,
    event_date: date,
    reporter_kind: str,
    reporter_name: str,
    channel: str,
    today: date,
) -> str:
    fields: dict[str, list[str]] = {}
    number = ""
    try:
        number = parse_citizen_id(id_number).number
    except ValidationError as exc:
        fields["id_number"] = exc.messages
    if not subject_name.strip():
        fields["subject_name"] = ["姓名不能为空 / the name is required"]
    if kind not in StopEventKind.values:
        fields["kind"] = ["事件类型无效 / unknown kind of event"]
    if event_date > today:
        fields["event_date"] = ["事件日期不能晚于今天 / the event date cannot be in the future"]
    elif event_date < EARLIEST_BIRTH:
        fields["event_date"] = ["事件日期早于1900年 / the event date is before 1900"]
    if reporter_kind not in ReporterKind.values:
        fields["reporter_kind"] = ["报告人类型无效 / unknown kind of reporter"]
    if not reporter_name.strip():
        fields["reporter_name"] = ["报告人姓名不能为空 / the reporter's name is required"]
    if channel not in ReportChannel.values:
        fields["channel"] = ["渠道无效 / unknown channel"]
    if fields:
        raise InvalidInputError("报告有误 / the report has invalid fields", fields=fields)
    return number


def stop_event_report(
    *,
    id_number: str,
    subject_name: str,
    kind: str,
    event_date: date,
    reporter_kind: str,
    reporter_name: str,
    channel: str,
    by: User | None,
    reporter_phone: str = "",
    relationship: str = "",
    employer: Employer | None = None,
    note: str = "",
    reference: str = "",
    submitted_at: datetime | None = None,
) -> tuple[StopEventReport, bool]:
    """Record a report of an event that stops benefits (Art. 25), with its deadline and whether
    it came on time. It never stops anything by itself: a suspicion opens for a clerk to verify
    (Art. 26). An employer reports about its own people only. The same channel and reference
    again returns the first report (created False)."""
    submitted_at = submitted_at or timezone.now()
    received_on = timezone.localtime(submitted_at).date()
    number = _check(
        id_number,
        subject_name,
        kind,
        event_date,
        reporter_kind,
        reporter_name,
        channel,
        received_on,
    )
    if reference:
        existing = StopEventReport.objects.filter(channel=channel, reference=reference).first()
        if existing is not None:
            return existing, False
    from eligibility.services import suspicions

    deadline = notice_deadline(event_date)
    person = person_get_by_id_number(number)
    if employer is not None and not _works_or_worked_for(employer, person):
        message = gettext("Nobody with this ID number works or worked for you.")
        raise InvalidInputError(message, fields={"id_number": [message]})
    with transaction.atomic():
        report = StopEventReport.objects.create(
            id_number=number,
            subject_name=subject_name.strip(),
            person=person,
            kind=kind,
            event_date=event_date,
            reporter_kind=reporter_kind,
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            relationship=relationship.strip(),
            employer=employer,
            channel=channel,
            note=note.strip(),
            reference=reference,
            submitted_at=submitted_at,
            received_on=received_on,
            deadline=deadline.date,
            deadline_provisional=deadline.provisional,
            is_on_time=received_on <= deadline.date,
            recorded_by=by if by is not None and by.is_authenticated else None,
        )
        if person is not None:
            event = _stop_event_for_report(report, person, deadline)
            report.stop_event = event
            report.save(update_fields=["stop_event"])
        audit_event_record(
            actor=by,
            action="eligibility.stop_event_report.receive",
            target=report,
            changes={
                "kind": kind,
                "event_date": event_date,
                "reporter_kind": reporter_kind,
                "channel": channel,
                "deadline": deadline.date,
                "on_time": report.is_on_time,
                "person": person.pk if person else None,
            },
        )
        if person is not None:
            suspicions.suspicions_open_for_report(report=report)
    return report, True


def _works_or_worked_for(employer: Employer, person: InsuredPerson | None) -> bool:
    """An employer reports events of its own people only, present or past."""
    return (
        person is not None and Employment.objects.filter(employer=employer, person=person).exists()
    )


def _stop_event_for_report(
    report: StopEventReport, person: InsuredPerson, deadline: Deadline
) -> StopEvent:
    """The event this report is about: one already known within a month of the date, or new.
    The first report on an event is the one its duty is judged by."""
    event = (
        StopEvent.objects.select_for_update()
        .filter(
            person=person,
            kind=report.kind,
            event_date__gte=report.event_date - SAME_EVENT_WINDOW,
            event_date__lte=report.event_date + SAME_EVENT_WINDOW,
        )
        .order_by("event_date", "pk")
        .first()
    )
    if event is None:
        holder, employer_id = duty_holder_for(person.pk, report.event_date)
        event, _created = StopEvent.objects.get_or_create(
            person=person,
            kind=report.kind,
            event_date=report.event_date,
            defaults={
                "deadline": deadline.date,
                "deadline_provisional": deadline.provisional,
                "duty_holder": holder,
                "employer_id": employer_id,
                "known_from": KnownFrom.REPORT,
            },
        )
    if event.first_report_id is None:
        event.first_report = report
        event.reported_on = report.received_on
        event.save(update_fields=["first_report", "reported_on"])
    return event


def stop_events_from_feed(cursor: Any, *, hits_table: str, calendar: WorkingCalendar) -> int:
    """Set-based: a StopEvent for every (person, kind, event date) in `hits_table` (columns
    person_id, kind, event_date, feed_record_id) not known yet, with its deadline and duty
    holder, and linked to a report already received on it. Returns how many were new."""
    cursor.execute(f"SELECT DISTINCT event_date FROM {hits_table}")  # noqa: S608 - our table
    deadlines = [
        (day, result.date, result.provisional)
        for (day,) in cursor.fetchall()
        for result in [notice_deadline(day, calendar)]
    ]
    if not deadlines:
        return 0
    values = ", ".join(["(%s::date, %s::date, %s::boolean)"] * len(deadlines))
    params = [value for row in deadlines for value in row]
    events = StopEvent._meta.db_table
    employments = Employment._meta.db_table
    cursor.execute(
        f"""INSERT INTO {events} (person_id, kind, event_date, deadline, deadline_provisional,
                duty_holder, employer_id, known_from, feed_record_id, created_at)
            SELECT DISTINCT ON (h.person_id, h.kind, h.event_date)
                   h.person_id, h.kind, h.event_date, d.deadline, d.provisional,
                   CASE WHEN e.employer_id IS NULL THEN %s ELSE %s END, e.employer_id, %s,
                   h.feed_record_id, now()
            FROM {hits_table} h
            JOIN (VALUES {values}) AS d(event_date, deadline, provisional)
              ON d.event_date = h.event_date
            LEFT JOIN LATERAL (
                SELECT employer_id FROM {employments} m
                WHERE m.person_id = h.person_id AND m.start_date <= h.event_date
                  AND (m.end_date IS NULL OR m.end_date >= h.event_date)
                ORDER BY m.start_date DESC, m.id DESC LIMIT 1
            ) e ON true
            WHERE NOT EXISTS (
                SELECT 1 FROM {events} x
                WHERE x.person_id = h.person_id AND x.kind = h.kind
                  AND x.event_date BETWEEN h.event_date - %s AND h.event_date + %s)
            ORDER BY h.person_id, h.kind, h.event_date, h.feed_record_id
            ON CONFLICT ON CONSTRAINT stop_event_once DO NOTHING""",  # noqa: S608 - our tables
        [
            DutyHolder.BENEFICIARY,
            DutyHolder.EMPLOYER,
            KnownFrom.DATA_COMPARISON,
            *params,
            SAME_EVENT_WINDOW.days,
            SAME_EVENT_WINDOW.days,
        ],
    )
    return int(cursor.rowcount)


def notice_duty_sweep(*, today: date | None = None) -> int:
    """Art. 25 + 45: for every event whose deadline is past (deadline < today) without a report
    on time, where the duty was the employer's, write one credit record. Selecting everything
    overdue and not yet recorded means a day the scheduler missed is caught up on the next run,
    and the unique key means a second run records nothing twice. Returns how many were new."""
    today = today or timezone.localdate()
    events = StopEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {CreditRecord._meta.db_table} (key, subject_kind, employer_id, act,
                    legal_basis, evidence, occurred_on, recorded_at, stop_event_id)
                SELECT 'eligibility:stop_event:' || e.id, %s, e.employer_id, %s, %s,
                       jsonb_build_object(
                           'stop_event', e.id, 'person', e.person_id, 'kind', e.kind,
                           'event_date', e.event_date, 'deadline', e.deadline,
                           'reported_on', e.reported_on, 'known_from', e.known_from,
                           'feed_record', e.feed_record_id),
                       e.deadline + 1, now(), e.id
                FROM {events} e
                WHERE e.deadline < %s
                  AND (e.reported_on IS NULL OR e.reported_on > e.deadline)
                  AND e.duty_holder = %s AND e.employer_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM {CreditRecord._meta.db_table} c
                                  WHERE c.stop_event_id = e.id)
                ON CONFLICT (key) DO NOTHING""",  # noqa: S608 - our tables
            [
                CreditSubject.EMPLOYER,
                CreditAct.STOP_EVENT_NOT_REPORTED,
                LEGAL_BASIS,
                today,
                DutyHolder.EMPLOYER,
            ],
        )
        written = int(cursor.rowcount)
        if written:
            audit_event_record(
                actor=None,
                action="eligibility.notice_duty.sweep",
                changes={"credit_records": written, "today": today},
            )
    return written


def stop_events_recompute_for_year(year: int) -> int:
    """A year's holiday notice was entered: recompute the provisional deadlines (and whether
    each report was on time). Returns how many rows changed."""
    calendar = WorkingCalendar()
    changed = 0
    with transaction.atomic():
        for event in StopEvent.objects.select_for_update().filter(deadline_provisional=True):
            result = notice_deadline(event.event_date, calendar)
            if (result.date, result.provisional) != (event.deadline, event.deadline_provisional):
                event.deadline, event.deadline_provisional = result.date, result.provisional
                event.save(update_fields=["deadline", "deadline_provisional"])
                changed += 1
        reports: Iterable[StopEventReport] = StopEventReport.objects.select_for_update().filter(
            deadline_provisional=True
        )
        for report in reports:
            result = notice_deadline(report.event_date, calendar)
            if (result.date, result.provisional) != (report.deadline, report.deadline_provisional):
                report.deadline, report.deadline_provisional = result.date, result.provisional
                report.is_on_time = report.received_on <= result.date
                report.save(update_fields=["deadline", "deadline_provisional", "is_on_time"])
                changed += 1
    return changed

"""Authentication cycles (Art. 26: 数据比对 and 自助认证).

Any proof of life renews the beneficiary's cycle: a self-service check reported by the external
platform, a sign of life found by data comparison, a counter visit, a clerk's home visit. Before
the cycle ends the person is reminded (once per cycle); when it ends without one, payment is
suspended, not stopped; a later authentication resumes it, and benefits pays the missed months
as arrears. Only the suspension this app opened is lifted: a clerk's own hold or suspension, or a
stop, stays as the clerk left it.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from audit.services import audit_event_record
from core.errors import InvalidInputError
from core.identity import parse_citizen_id
from core.models import Region
from core.policy import PolicyParameterMissingError, policy_decimal
from eligibility import awards
from eligibility.errors import PersonUnknownError
from eligibility.models import Authentication, AuthenticationChannel, AuthenticationCycle
from eligibility.models.authentication import AuthenticationReminder
from registration.models import InsuredPerson
from registration.selectors import person_get_by_id_number

if TYPE_CHECKING:
    from accounts.models import User

CYCLE_KEY = "authentication_cycle_months"
REMINDER_KEY = "authentication_reminder_days"
DEFAULT_CYCLE_MONTHS = 12
DEFAULT_REMINDER_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def cycle_months(region: Region | None, on: date) -> int:
    try:
        return max(1, int(policy_decimal(CYCLE_KEY, on=on, region=region)))
    except PolicyParameterMissingError:
        return DEFAULT_CYCLE_MONTHS


def reminder_days(region: Region | None, on: date) -> int:
    try:
        return max(0, int(policy_decimal(REMINDER_KEY, on=on, region=region)))
    except PolicyParameterMissingError:
        return DEFAULT_REMINDER_DAYS


@dataclass(frozen=True)
class AuthenticationResult:
    authentication: Authentication
    created: bool
    due_on: date | None
    resumed: int


def authentication_receive(
    *,
    id_number: str,
    channel: str,
    verified_at: datetime,
    by: User | None,
    method: str = "",
    source: str = "",
    reference: str = "",
) -> AuthenticationResult:
    """An authentication for the person with this ID number (the external platform's answer)."""
    try:
        number = parse_citizen_id(id_number).number
    except ValidationError as exc:
        raise InvalidInputError(
            "身份证号码无效 / the ID number is invalid", fields={"id_number": exc.messages}
        ) from exc
    person = person_get_by_id_number(number)
    if person is None:
        raise PersonUnknownError(
            "没有以此身份证号码登记的人员 / nobody is registered with this ID number"
        )
    return authentication_record(
        person_id=person.pk,
        channel=channel,
        verified_on=timezone.localtime(verified_at).date(),
        method=method,
        source=source,
        reference=reference,
        by=by,
    )


def authentication_record(
    *,
    person_id: int,
    channel: str,
    verified_on: date,
    by: User | None,
    method: str = "",
    source: str = "",
    reference: str = "",
    evidence: dict[str, Any] | None = None,
) -> AuthenticationResult:
    """Record one proof of life and renew the cycle; idempotent by (channel, reference)."""
    if channel not in AuthenticationChannel.values:
        raise InvalidInputError("渠道无效 / unknown channel", fields={"channel": [channel]})
    if verified_on > timezone.localdate():
        raise InvalidInputError(
            "认证日期不能晚于今天 / the date cannot be in the future",
            fields={"verified_on": [verified_on.isoformat()]},
        )
    with transaction.atomic():
        if reference:
            existing = Authentication.objects.filter(channel=channel, reference=reference).first()
            if existing is not None:
                cycle = AuthenticationCycle.objects.filter(person_id=existing.person_id).first()
                return AuthenticationResult(existing, False, cycle.due_on if cycle else None, 0)
        person = InsuredPerson.objects.select_related("region").get(pk=person_id)
        record = Authentication.objects.create(
            person=person,
            channel=channel,
            method=method[:40],
            verified_on=verified_on,
            reference=reference,
            source=source[:100],
            evidence=evidence or {},
            recorded_at=timezone.now(),
            recorded_by=by if by is not None and by.is_authenticated else None,
        )
        cycle, resumed = _cycle_renew(person, verified_on, channel, by)
        audit_event_record(
            actor=by,
            action="eligibility.authentication.record",
            target=record,
            changes={
                "channel": channel,
                "verified_on": verified_on,
                "due_on": cycle.due_on if cycle else None,
                "resumed_awards": resumed,
            },
        )
    return AuthenticationResult(record, True, cycle.due_on if cycle else None, resumed)


def _cycle_renew(
    person: InsuredPerson, verified_on: date, channel: str, by: User | None
) -> tuple[AuthenticationCycle | None, int]:
    """Move the cycle on from this verification; resume this app's own suspension."""
    cycle = AuthenticationCycle.objects.select_for_update().filter(person=person).first()
    if cycle is None:
        if not awards.is_beneficiary(person.pk):
            return None, 0
        months = cycle_months(person.region, verified_on)
        cycle = AuthenticationCycle.objects.create(
            person=person,
            last_verified_on=verified_on,
            last_channel=channel,
            cycle_months=months,
            due_on=add_months(verified_on, months),
        )
        return cycle, 0
    if verified_on > cycle.last_verified_on:
        months = cycle_months(person.region, verified_on)
        cycle.last_verified_on, cycle.last_channel = verified_on, channel
        cycle.cycle_months, cycle.due_on = months, add_months(verified_on, months)
    resumed = 0
    if cycle.suspended_at is not None and cycle.due_on >= timezone.localdate():
        resumed = _resume(person.pk)
        cycle.suspended_at = None
    cycle.save()
    return cycle, resumed


def _resume(person_id: int) -> int:
    """Resume the awards this app suspended for an overdue authentication, with arrears. The
    system resumes (the authentication is the cause), whoever reported the authentication."""
    from benefits.models import AwardHold

    suspended = (
        AwardHold.objects.filter(
            award__person_id=person_id,
            kind="suspension",
            released_at__isnull=True,
            reason=awards.SUSPENSION_REASON_AUTHENTICATION,
        )
        .order_by("award_id")
        .values_list("award_id", flat=True)
    )
    resumed = 0
    for award_id in list(suspended):
        awards.award_resume(award_id=award_id, note="认证恢复 / authenticated again", by=None)
        resumed += 1
    return resumed


def _region_values(key: str, today: date) -> tuple[str, list[Any]]:
    """A VALUES list of (region_id, figure) for every region, for set-based SQL."""
    regions = list(Region.objects.select_related("parent"))
    reader = cycle_months if key == CYCLE_KEY else reminder_days
    rows = [(region.pk, reader(region, today)) for region in regions]
    if not rows:
        return "(VALUES (NULL::bigint, NULL::integer))", []
    return "(VALUES " + ", ".join(["(%s::bigint, %s::integer)"] * len(rows)) + ")", [
        value for row in rows for value in row
    ]


def authentication_cycles_sweep(*, today: date | None = None) -> dict[str, int]:
    """The daily run: open cycles for new beneficiaries (from the award's first month; for an
    award older than a cycle, first seen now, from today: nobody is suspended for a cycle the
    agency never tracked), close
    those of people who no longer draw a benefit, remind before the end (once per cycle), and
    suspend where the end passed without an authentication. Everything due by today and not yet
    handled is selected, so a missed day is caught up."""
    today = today or timezone.localdate()
    opened = _cycles_open(today)
    reminded = _reminders(today)
    suspended = _suspend_overdue(today)
    return {"opened": opened, "reminded": reminded, "suspended": suspended}


def _cycles_open(today: date) -> int:
    months_sql, months_params = _region_values(CYCLE_KEY, today)
    cycles = AuthenticationCycle._meta.db_table
    persons = InsuredPerson._meta.db_table
    award_table = awards.award_table()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {cycles} (person_id, last_verified_on, last_channel, cycle_months,
                    due_on, is_active, updated_at)
                SELECT a.person_id, s.start, '', m.months,
                       (s.start + make_interval(months => m.months))::date, true, now()
                FROM (SELECT person_id, min(start_month) AS first_month FROM {award_table}
                      WHERE status IN ('active', 'suspended') AND frequency = 'monthly'
                      GROUP BY person_id) a
                JOIN {persons} p ON p.id = a.person_id
                JOIN {months_sql} AS m(region_id, months) ON m.region_id = p.region_id
                CROSS JOIN LATERAL (SELECT CASE
                    WHEN a.first_month + make_interval(months => m.months) > %s::date
                    THEN a.first_month ELSE %s::date END AS start) s
                ON CONFLICT (person_id) DO NOTHING""",  # noqa: S608 - our tables
            [*months_params, today, today],
        )
        opened = int(cursor.rowcount)
        cursor.execute(
            f"""UPDATE {cycles} c SET is_active = false, updated_at = now()
                WHERE c.is_active AND NOT EXISTS (
                    SELECT 1 FROM {award_table} a WHERE a.person_id = c.person_id
                      AND a.status IN ('active', 'suspended') AND a.frequency = 'monthly')""",  # noqa: S608
        )
        cursor.execute(
            f"""UPDATE {cycles} c SET is_active = true, updated_at = now()
                WHERE NOT c.is_active AND EXISTS (
                    SELECT 1 FROM {award_table} a WHERE a.person_id = c.person_id
                      AND a.status IN ('active', 'suspended') AND a.frequency = 'monthly')""",  # noqa: S608
        )
    return opened


def _reminders(today: date) -> int:
    days_sql, days_params = _region_values(REMINDER_KEY, today)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {AuthenticationReminder._meta.db_table} (person_id, due_on, created_at)
                SELECT c.person_id, c.due_on, now()
                FROM {AuthenticationCycle._meta.db_table} c
                JOIN {InsuredPerson._meta.db_table} p ON p.id = c.person_id
                JOIN {days_sql} AS r(region_id, days) ON r.region_id = p.region_id
                WHERE c.is_active AND c.suspended_at IS NULL
                  AND c.due_on >= %s AND c.due_on - r.days <= %s
                ON CONFLICT ON CONSTRAINT reminder_once_per_cycle DO NOTHING""",  # noqa: S608
            [*days_params, today, today],
        )
        return int(cursor.rowcount)


def _suspend_overdue(today: date) -> int:
    """Cycles that ended before today with no authentication: suspend each drawing award."""
    overdue = list(
        AuthenticationCycle.objects.filter(
            is_active=True, suspended_at__isnull=True, due_on__lt=today
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    suspended = 0
    for cycle_id in overdue:
        with transaction.atomic():
            cycle = (
                AuthenticationCycle.objects.select_for_update()
                .filter(pk=cycle_id, is_active=True, suspended_at__isnull=True, due_on__lt=today)
                .first()
            )
            if cycle is None:  # authenticated meanwhile, or another run got here first
                continue
            for award_id in _awards_to_suspend(cycle.person_id):
                awards.award_suspend(
                    award_id=award_id,
                    reason=awards.SUSPENSION_REASON_AUTHENTICATION,
                    evidence=f"认证到期{cycle.due_on.isoformat()} / authentication due "
                    f"{cycle.due_on.isoformat()}",
                    by=None,
                )
                suspended += 1
            cycle.suspended_at = timezone.now()
            cycle.save(update_fields=["suspended_at", "updated_at"])
            audit_event_record(
                actor=None,
                action="eligibility.authentication_cycle.expire",
                target=cycle,
                changes={"due_on": cycle.due_on, "today": today},
            )
    return suspended


def _awards_to_suspend(person_id: int) -> list[int]:
    from benefits.models import Award

    return list(
        Award.objects.filter(person_id=person_id, status="active", frequency="monthly")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def cycles_renew(rows: list[tuple[int, date]], channel: str, today: date) -> int:
    """Set-based: renew the cycles of these (person, verified on) pairs where the date is later
    than the last verification; resume what this app suspended for those now back in time."""
    if not rows:
        return 0
    latest: dict[int, date] = {}
    for person_id, verified_on in rows:
        if verified_on > latest.get(person_id, date.min):
            latest[person_id] = verified_on
    months_sql, months_params = _region_values(CYCLE_KEY, today)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {AuthenticationCycle._meta.db_table} c
                SET last_verified_on = x.verified_on, last_channel = %s,
                    cycle_months = m.months,
                    due_on = (x.verified_on + make_interval(months => m.months))::date,
                    updated_at = now()
                FROM unnest(%s::bigint[], %s::date[]) AS x(person_id, verified_on)
                JOIN {InsuredPerson._meta.db_table} p ON p.id = x.person_id
                JOIN {months_sql} AS m(region_id, months) ON m.region_id = p.region_id
                WHERE c.person_id = x.person_id AND x.verified_on > c.last_verified_on
                RETURNING c.id, c.person_id, c.suspended_at IS NOT NULL, c.due_on""",  # noqa: S608
            [channel, list(latest), list(latest.values()), *months_params],
        )
        renewed = cursor.fetchall()
    for cycle_id, person_id, was_suspended, due_on in renewed:
        if was_suspended and due_on >= today:
            with transaction.atomic():
                cycle = AuthenticationCycle.objects.select_for_update().get(pk=cycle_id)
                if cycle.suspended_at is None:
                    continue
                _resume(person_id)
                cycle.suspended_at = None
                cycle.save(update_fields=["suspended_at", "updated_at"])
    return len(renewed)

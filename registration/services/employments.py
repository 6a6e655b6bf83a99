"""增员 / 减员: an employer adds employees, ends employments and changes contribution bases.

One code path for every channel: a form, the payroll API and a file upload all build rows and
call the same check and apply functions, so a single row and ten thousand obey the same rules.
A set of rows is all-or-nothing: any error saves nothing, and every error names its row and
column (Chinese / English) so the person who sent the file can fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.services import audit_event_record
from core.errors import DomainError
from core.identity import parse_citizen_id
from registration.errors import EnrolmentAlreadyActiveError
from registration.models import (
    EMPLOYEE_INSURANCE_TYPES,
    Employer,
    EmployerStatus,
    Employment,
    EmploymentBaseChange,
    EmploymentEndReason,
    Enrolment,
    EnrolmentStatus,
    InsuredPerson,
    PersonStatus,
    RegistrationChannel,
)
from registration.services.common import base_range, first_of_month
from registration.services.persons import id_number_hash

if TYPE_CHECKING:
    from accounts.models import User

Progress = Callable[[int, int], None]
MINIMUM_WORKING_AGE = 16  # 劳动法 Art. 15: no employment under 16


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str  # "中文 / English"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowsInvalidError(DomainError):
    """Some rows are wrong; nothing was saved. `errors` says which and why."""

    code = "rows_invalid"
    status_code = 400

    def __init__(self, errors: Sequence[RowError]) -> None:
        first = errors[0]
        super().__init__(
            f"{len(errors)}处错误，未保存 / {len(errors)} error(s), nothing saved: "
            f"row {first.row} {first.column}: {first.message}",
            errors=[error.as_dict() for error in errors],
        )
        self.errors = list(errors)


@dataclass
class StartRow:
    row: int
    id_number: str
    name: str
    start_date: date | None
    contribution_base: Decimal | None
    phone: str = ""
    ethnicity: str = ""
    # Filled by the check: the normalised number, its hash, and the registered person if any.
    citizen_number: str = field(default="", init=False)
    hash: str = field(default="", init=False)
    birth_date: date | None = field(default=None, init=False)
    sex: str = field(default="", init=False)
    person: InsuredPerson | None = field(default=None, init=False)


@dataclass
class EndRow:
    row: int
    id_number: str
    end_date: date | None
    reason: str
    employment: Employment | None = field(default=None, init=False)


@dataclass
class BaseRow:
    row: int
    id_number: str
    effective_month: date | None
    contribution_base: Decimal | None
    employment: Employment | None = field(default=None, init=False)


COLUMN_LABELS = {
    "id_number": "身份证号码 ID number",
    "name": "姓名 name",
    "start_date": "参保日期 start date",
    "contribution_base": "缴费基数 contribution base",
    "end_date": "减员日期 end date",
    "reason": "减员原因 reason",
    "effective_month": "起始月份 from month",
}


def _error(row: int, column: str, zh: str, en: str) -> RowError:
    return RowError(row, COLUMN_LABELS.get(column, column), f"{zh} / {en}")


def _employer_errors(employer: Employer) -> list[RowError]:
    if employer.status in (EmployerStatus.CANCELLED, EmployerStatus.CANCEL_PENDING):
        return [_error(0, "employer", "单位已注销或正在注销", "the employer is cancelled")]
    return []


class _BaseRanges:
    """base_range per date, read once per check (thousands of rows share a few dates)."""

    def __init__(self, employer: Employer) -> None:
        self.employer = employer
        self.cache: dict[date, tuple[Decimal, Decimal] | None] = {}

    def on(self, day: date) -> tuple[Decimal, Decimal] | None:
        if day not in self.cache:
            self.cache[day] = base_range(self.employer.region, day)
        return self.cache[day]


def _check_base(row: int, base: Decimal | None, ranges: _BaseRanges, on: date) -> list[RowError]:
    if base is None:
        return [_error(row, "contribution_base", "缴费基数必填", "the base is required")]
    if base <= 0 or base.as_tuple().exponent < -2:  # type: ignore[operator]
        return [
            _error(
                row,
                "contribution_base",
                "缴费基数须为正数，最多两位小数",
                "the base must be positive, with at most two decimals",
            )
        ]
    bounds = ranges.on(on)
    if bounds is not None and not bounds[0] <= base <= bounds[1]:
        low, high = bounds
        return [
            _error(
                row,
                "contribution_base",
                f"缴费基数须在{low}至{high}元之间",
                f"the base must be between {low} and {high} yuan",
            )
        ]
    return []


def _duplicates(rows: Sequence[StartRow | EndRow | BaseRow], key: str) -> list[RowError]:
    seen: dict[str, int] = {}
    errors = []
    for row in rows:
        value = getattr(row, key)
        if not value:
            continue
        if value in seen:
            errors.append(
                _error(
                    row.row,
                    "id_number",
                    f"与第{seen[value]}行重复",
                    f"the same person as in row {seen[value]}",
                )
            )
        else:
            seen[value] = row.row
    return errors


def employments_start_check(
    *, employer: Employer, rows: Sequence[StartRow], progress: Progress | None = None
) -> list[RowError]:
    """Every reason a set of 增员 rows cannot be saved (empty when all can)."""
    errors = _employer_errors(employer)
    ranges = _BaseRanges(employer)
    today = timezone.localdate()
    latest_start = today + timedelta(days=31)
    for number, row in enumerate(rows, 1):
        try:
            citizen = parse_citizen_id(row.id_number)
        except ValidationError as exc:
            errors.append(RowError(row.row, COLUMN_LABELS["id_number"], exc.messages[0]))
            citizen = None
        if citizen is not None:
            row.citizen_number = citizen.number
            row.hash = id_number_hash(citizen.number)
            row.birth_date, row.sex = citizen.birth_date, citizen.sex
        if not row.name.strip():
            errors.append(_error(row.row, "name", "姓名必填", "the name is required"))
        if row.start_date is None:
            errors.append(
                _error(row.row, "start_date", "参保日期必填", "the start date is required")
            )
        elif row.start_date > latest_start:
            errors.append(
                _error(
                    row.row,
                    "start_date",
                    "参保日期不能晚于下月",
                    "the start date may be at most one month ahead",
                )
            )
        elif citizen is not None and row.start_date < _add_years(
            citizen.birth_date, MINIMUM_WORKING_AGE
        ):
            errors.append(
                _error(
                    row.row,
                    "start_date",
                    "参保日期时未满16周岁",
                    "the person is under 16 on the start date",
                )
            )
        errors += _check_base(row.row, row.contribution_base, ranges, row.start_date or today)
        if progress is not None and number % 500 == 0:
            progress(number, len(rows))
    errors += _duplicates(rows, "hash")
    errors += _check_against_records(employer, [row for row in rows if row.hash])
    return sorted(errors, key=lambda error: error.row)


def _check_against_records(employer: Employer, rows: Sequence[StartRow]) -> list[RowError]:
    by_hash: dict[str, InsuredPerson] = {}
    hashes = [row.hash for row in rows]
    for chunk in _chunks(hashes, 5000):
        by_hash.update(
            (person.id_number_hash, person)
            for person in InsuredPerson.objects.filter(id_number_hash__in=chunk)
        )
    person_ids = [person.pk for person in by_hash.values()]
    employed_here: set[int] = set()
    enrolled: set[int] = set()
    for chunk_ids in _chunks(person_ids, 5000):
        employed_here.update(
            Employment.objects.filter(
                person_id__in=chunk_ids, employer=employer, end_date__isnull=True
            ).values_list("person_id", flat=True)
        )
        enrolled.update(
            Enrolment.objects.filter(
                person_id__in=chunk_ids,
                insurance_type__in=EMPLOYEE_INSURANCE_TYPES,
                status=EnrolmentStatus.ACTIVE,
            ).values_list("person_id", flat=True)
        )
    errors = []
    for row in rows:
        person = by_hash.get(row.hash)
        row.person = person
        if person is None:
            continue
        if person.status != PersonStatus.ACTIVE:
            errors.append(
                _error(
                    row.row,
                    "id_number",
                    "该人员已死亡或已注销登记",
                    "this person is deceased or their registration is cancelled",
                )
            )
        elif person.name != row.name.strip():
            errors.append(
                _error(
                    row.row,
                    "name",
                    "姓名与登记的姓名不一致",
                    "the name differs from the registered name",
                )
            )
        elif person.pk in employed_here:
            errors.append(
                _error(
                    row.row,
                    "id_number",
                    "该人员已在本单位在职",
                    "already employed by this employer",
                )
            )
        elif person.pk in enrolled:
            # Never name the other employer: employer A must not learn about employer B.
            errors.append(
                _error(
                    row.row,
                    "id_number",
                    "该人员仍在其他单位参保，须原单位先办理减员",
                    "still enrolled through another employer, which must end that employment first",
                )
            )
    return errors


def employments_start(
    *,
    employer_id: int,
    rows: Sequence[StartRow],
    by: User,
    channel: str = RegistrationChannel.EMPLOYER,
    progress: Progress | None = None,
) -> list[Employment]:
    """增员: register new persons, start the employments and the enrolments in every employee
    insurance type (SIL Arts. 10, 23, 33, 44, 53; Art. 6 for the registration). All or nothing."""
    with transaction.atomic():
        # One writer per employer at a time, so two uploads cannot both pass the check.
        employer = Employer.objects.select_for_update().select_related("region").get(pk=employer_id)
        errors = employments_start_check(employer=employer, rows=rows, progress=progress)
        if errors:
            raise RowsInvalidError(errors)
        new_people = [
            InsuredPerson(
                id_number=row.citizen_number,
                name=row.name.strip(),
                birth_date=cast(date, row.birth_date),  # set by the check above
                sex=row.sex,
                phone=row.phone,
                ethnicity=row.ethnicity,
                region=employer.region,
                channel=channel,
            )
            for row in rows
            if row.person is None
        ]
        created = iter(InsuredPerson.objects.bulk_create(new_people, batch_size=2000))
        people = [row.person or next(created) for row in rows]
        employments = Employment.objects.bulk_create(
            [
                Employment(
                    person=person,
                    employer=employer,
                    start_date=cast(date, row.start_date),  # checked above
                    contribution_base=cast(Decimal, row.contribution_base),
                )
                for row, person in zip(rows, people, strict=True)
            ],
            batch_size=2000,
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # Every employee type for every new employment, in one statement.
                cursor.execute(
                    f"""INSERT INTO {Enrolment._meta.db_table}
                          (person_id, insurance_type, region_id, employer_id, employment_id,
                           start_date, status, created_at, updated_at)
                        SELECT em.person_id, t.insurance_type, %s, em.employer_id, em.id,
                               em.start_date, %s, now(), now()
                        FROM {Employment._meta.db_table} em
                        CROSS JOIN unnest(%s::text[]) AS t(insurance_type)
                        WHERE em.id = ANY(%s)""",  # noqa: S608 - table names are ours
                    [
                        employer.region_id,
                        EnrolmentStatus.ACTIVE,
                        [str(kind) for kind in EMPLOYEE_INSURANCE_TYPES],
                        [employment.pk for employment in employments],
                    ],
                )
        except IntegrityError:
            # Another request enrolled one of these people between our check and our insert.
            raise EnrolmentAlreadyActiveError(
                "该人员已有在职参保关系 / the person already has an active enrolment"
            ) from None
        audit_event_record(
            actor=by,
            action="registration.employment.start",
            target=employments[0] if len(employments) == 1 else employer,
            changes={
                "employer": employer.pk,
                "employments": [employment.pk for employment in employments],
                "new_persons": len(new_people),
                "channel": channel,
            },
        )
    return employments


def _open_employments(employer: Employer, hashes: list[str]) -> dict[str, Employment]:
    found: dict[str, Employment] = {}
    for chunk in _chunks(hashes, 5000):
        found.update(
            (employment.person.id_number_hash, employment)
            for employment in Employment.objects.filter(
                employer=employer, end_date__isnull=True, person__id_number_hash__in=chunk
            ).select_related("person")
        )
    return found


def _hash_rows(rows: Sequence[EndRow | BaseRow]) -> tuple[list[RowError], dict[int, str]]:
    errors, hashes = [], {}
    for row in rows:
        try:
            hashes[row.row] = id_number_hash(parse_citizen_id(row.id_number).number)
        except ValidationError as exc:
            errors.append(RowError(row.row, COLUMN_LABELS["id_number"], exc.messages[0]))
    return errors, hashes


def _not_employed_here(row: int) -> RowError:
    return _error(
        row, "id_number", "本单位没有该人员的在职记录", "no current employment with this employer"
    )


def employments_end_check(*, employer: Employer, rows: Sequence[EndRow]) -> list[RowError]:
    errors, hashes = _hash_rows(rows)
    open_by_hash = _open_employments(employer, list(hashes.values()))
    for row in rows:
        if row.row not in hashes:
            continue
        row.employment = open_by_hash.get(hashes[row.row])
        if row.employment is None:
            errors.append(_not_employed_here(row.row))
        if row.reason not in EmploymentEndReason.values:
            errors.append(
                _error(row.row, "reason", "减员原因无效", "the reason is not one of the list")
            )
        if row.end_date is None:
            errors.append(_error(row.row, "end_date", "减员日期必填", "the end date is required"))
        elif row.employment is not None and row.end_date < row.employment.start_date:
            errors.append(
                _error(
                    row.row,
                    "end_date",
                    f"减员日期早于参保日期{row.employment.start_date}",
                    f"the end date is before the start date {row.employment.start_date}",
                )
            )
    errors += _duplicates(
        [EndRow(row.row, hashes.get(row.row, ""), None, "") for row in rows], "id_number"
    )
    return sorted(errors, key=lambda error: error.row)


def employments_end(*, employer_id: int, rows: Sequence[EndRow], by: User) -> list[Employment]:
    """减员: end employments with their reasons, and the enrolments they carried. The reason is
    kept for the unemployment claim (EmploymentEndReason, INVOLUNTARY_END_REASONS)."""
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer_id)
        errors = employments_end_check(employer=employer, rows=rows)
        if errors:
            raise RowsInvalidError(errors)
        ended = []
        for row in rows:
            if row.employment is None:  # the check above found it; unreachable otherwise
                raise RowsInvalidError([_not_employed_here(row.row)])
            row.employment.end_date = row.end_date
            row.employment.end_reason = row.reason
            ended.append(row.employment)
        Employment.objects.bulk_update(ended, ["end_date", "end_reason"], batch_size=2000)
        with connection.cursor() as cursor:
            # The enrolments end with their employment: one statement for any number of rows.
            cursor.execute(
                f"""UPDATE {Enrolment._meta.db_table} AS en
                    SET status = %s, end_date = em.end_date, updated_at = now()
                    FROM {Employment._meta.db_table} AS em
                    WHERE en.employment_id = em.id AND en.status = %s AND em.id = ANY(%s)""",  # noqa: S608 - table names are ours
                [EnrolmentStatus.ENDED, EnrolmentStatus.ACTIVE, [e.pk for e in ended]],
            )
        audit_event_record(
            actor=by,
            action="registration.employment.end",
            target=ended[0] if len(ended) == 1 else employer,
            changes={
                "employments": [[e.pk, str(e.end_date), e.end_reason] for e in ended],
            },
        )
    return ended


def employments_base_check(*, employer: Employer, rows: Sequence[BaseRow]) -> list[RowError]:
    errors, hashes = _hash_rows(rows)
    ranges = _BaseRanges(employer)
    open_by_hash = _open_employments(employer, list(hashes.values()))
    for row in rows:
        if row.row in hashes:
            row.employment = open_by_hash.get(hashes[row.row])
            if row.employment is None:
                errors.append(_not_employed_here(row.row))
        if row.effective_month is None:
            errors.append(
                _error(row.row, "effective_month", "起始月份必填", "the month is required")
            )
        elif row.employment is not None and row.effective_month < first_of_month(
            row.employment.start_date
        ):
            errors.append(
                _error(
                    row.row,
                    "effective_month",
                    "起始月份早于参保日期",
                    "the month is before the employment started",
                )
            )
        errors += _check_base(
            row.row, row.contribution_base, ranges, row.effective_month or timezone.localdate()
        )
    errors += _duplicates(
        [BaseRow(row.row, hashes.get(row.row, ""), None, None) for row in rows], "id_number"
    )
    return sorted(errors, key=lambda error: error.row)


def employments_base_change(
    *, employer_id: int, rows: Sequence[BaseRow], by: User
) -> list[EmploymentBaseChange]:
    """Change contribution bases from a month on; the history of bases is kept."""
    with transaction.atomic():
        employer = Employer.objects.select_for_update().select_related("region").get(pk=employer_id)
        errors = employments_base_check(employer=employer, rows=rows)
        if errors:
            raise RowsInvalidError(errors)
        changes = []
        employments = []
        for row in rows:
            if row.employment is None or row.contribution_base is None or not row.effective_month:
                raise RowsInvalidError([_not_employed_here(row.row)])  # the check found them
            changes.append(
                EmploymentBaseChange(
                    employment=row.employment,
                    effective_month=first_of_month(row.effective_month),
                    previous_base=row.employment.contribution_base,
                    contribution_base=row.contribution_base,
                    created_by=by,
                )
            )
            row.employment.contribution_base = row.contribution_base
            employments.append(row.employment)
        EmploymentBaseChange.objects.bulk_create(changes, batch_size=2000)
        Employment.objects.bulk_update(employments, ["contribution_base"], batch_size=2000)
        audit_event_record(
            actor=by,
            action="registration.employment.change_base",
            target=employments[0] if len(employments) == 1 else employer,
            changes={
                "bases": [
                    [c.employment_id, str(c.previous_base), str(c.contribution_base)]
                    for c in changes
                ]
            },
        )
    return changes


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _chunks[T](items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]

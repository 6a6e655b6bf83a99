"""Registration reads. Other apps use these (never the tables directly):

- person_get_by_id_number(id_number): the person with this citizen ID number, or None;
- contribution_months(person_id=, insurance_type=, until=): cumulative contribution months;
- contribution_months_by_person(person_ids, insurance_type): the same for many people at once;
- account_balance(person_id=, year=): the personal-account balance (sum of the ledger);
- employment_last_ended(person_id=): the latest ended employment, whose `end_reason` and
  `ended_involuntarily` the unemployment claim reads;
- employer_arrears_total(employer_id=): what an employer owes (Art. 10);
- enrolment_active_in(person_id=, insurance_type=, pooling_region_id=): whether the person is
  enrolled in that pooling region now.

The writes other apps use are in registration.services: accounts.account_post (transfer in or
out, deduction/offset under Art. 46; idempotent by reference), contributions.contribution_batch_
receive, contributions.contribution_history_transfer_in (a history a relationship transfer
brought: no second account credit, months already held skipped), enrolments.enrolments_transfer_
out, persons.person_register.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from core.identity import parse_citizen_id
from registration.models import (
    AccountEntry,
    ContributionKind,
    ContributionRecord,
    Employer,
    EmployerArrears,
    Employment,
    Enrolment,
    EnrolmentStatus,
    InsuredPerson,
)
from registration.services.persons import id_number_hash

if TYPE_CHECKING:
    from accounts.models import User


def person_get_by_id_number(id_number: str, *, user: User | None = None) -> InsuredPerson | None:
    """The person with this ID number (visible to `user`, when given), or None. An invalid
    number finds nobody."""
    try:
        number = parse_citizen_id(id_number).number
    except Exception:
        return None
    people = InsuredPerson.objects.all() if user is None else InsuredPerson.objects.visible_to(user)
    return people.filter(id_number_hash=id_number_hash(number)).select_related("region").first()


def person_search(*, user: User, query: str) -> QuerySet[InsuredPerson]:
    """Clerk search: an exact ID number (through its hash), or a name."""
    query = query.strip()
    people = InsuredPerson.objects.visible_to(user).select_related("region")
    if len(query) == 18 and query[:17].isdigit():
        return people.filter(id_number_hash=id_number_hash(query))
    return people.filter(name__icontains=query)[:50] if query else people.none()


def employer_search(*, user: User, query: str) -> QuerySet[Employer]:
    """Clerk search: a credit code or a name."""
    query = query.strip()
    employers = Employer.objects.visible_to(user).select_related("region")
    if not query:
        return employers.none()
    return employers.filter(Q(credit_code=query.upper()) | Q(name__icontains=query))[:50]


def _counted(person_ids: list[int] | int, insurance_type: str, until: date | None) -> QuerySet:  # type: ignore[type-arg]
    records = ContributionRecord.objects.filter(
        insurance_type=insurance_type, kind=ContributionKind.ENTRY, reversal__isnull=True
    )
    if isinstance(person_ids, int):
        records = records.filter(person_id=person_ids)
    else:
        records = records.filter(person_id__in=person_ids)
    if until is not None:
        records = records.filter(month__lte=until)
    return records


def contribution_months(*, person_id: int, insurance_type: str, until: date | None = None) -> int:
    """Cumulative contribution months of one type: distinct months with an entry that was not
    reversed (a back payment for a month already paid does not count twice)."""
    return int(_counted(person_id, insurance_type, until).values("month").distinct().count())


def contribution_months_by_person(
    person_ids: list[int], insurance_type: str, until: date | None = None
) -> dict[int, int]:
    """contribution_months for many people in one query."""
    rows = (
        _counted(person_ids, insurance_type, until)
        .values("person_id")
        .annotate(months=Count("month", distinct=True))
    )
    return {row["person_id"]: row["months"] for row in rows}


def contribution_history(*, person_id: int) -> list[dict[str, object]]:
    """Per year and type: months paid, total base, employer and personal parts (Art. 32)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT EXTRACT(YEAR FROM c.month)::integer AS year, c.insurance_type,
                       COUNT(DISTINCT c.month) FILTER (
                         WHERE c.kind = 'entry' AND r.id IS NULL) AS months,
                       SUM(c.base), SUM(c.employer_amount), SUM(c.personal_amount)
                FROM {ContributionRecord._meta.db_table} c
                LEFT JOIN {ContributionRecord._meta.db_table} r ON r.reverses_id = c.id
                WHERE c.person_id = %s
                GROUP BY 1, 2 ORDER BY 1 DESC, 2""",  # noqa: S608 - table name is ours
            [person_id],
        )
        return [
            {
                "year": year,
                "insurance_type": kind,
                "months": months,
                "base": base,
                "employer_amount": employer,
                "personal_amount": personal,
            }
            for year, kind, months, base, employer, personal in cursor.fetchall()
        ]


def account_balance(*, person_id: int, year: int | None = None) -> Decimal:
    """The personal-account balance: the sum of its entries (up to the end of `year`, if given).
    Zero for a person without an account."""
    entries = AccountEntry.objects.filter(account__person_id=person_id)
    if year is not None:
        entries = entries.filter(year__lte=year)
    total = entries.aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def account_entries(*, person_id: int) -> QuerySet[AccountEntry]:
    return AccountEntry.objects.filter(account__person_id=person_id).order_by("year", "id")


def employment_last_ended(*, person_id: int) -> Employment | None:
    """The person's most recently ended employment (its end_reason feeds the unemployment
    claim: Employment.ended_involuntarily)."""
    return (
        Employment.objects.filter(person_id=person_id, end_date__isnull=False)
        .select_related("employer")
        .order_by("-end_date", "-id")
        .first()
    )


def employer_arrears_total(*, employer_id: int) -> Decimal:
    total = EmployerArrears.objects.filter(employer_id=employer_id).aggregate(t=Sum("amount"))["t"]
    return total if total is not None else Decimal("0.00")


def enrolment_active_in(*, person_id: int, insurance_type: str, pooling_region_id: int) -> bool:
    """Whether the person has an active enrolment of this type in the pooling region (a pension
    transfer is applied for after enrolling at the new place, 国办发〔2009〕66号 Art. 8)."""
    return Enrolment.objects.filter(
        person_id=person_id,
        insurance_type=insurance_type,
        region__pooling_region_id=pooling_region_id,
        status=EnrolmentStatus.ACTIVE,
    ).exists()


def employees_of(*, employer: Employer, current_only: bool = True) -> QuerySet[Employment]:
    employments = Employment.objects.filter(employer=employer).select_related("person")
    if current_only:
        employments = employments.filter(end_date__isnull=True)
    return employments.order_by("person__name", "pk")

"""Fixtures: Beijing and Guangzhou served by this deployment (a LOCAL partner), staff of each,
and a person who worked 2015-2024 in Beijing at a base of 6,000 a month (benefit-rules.md (f))."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from stdnum.cn import ric

from accounts.roles import Role
from core.models import Agency, Region
from registration.models import (
    AccountEntry,
    AccountEntryKind,
    ContributionRecord,
    ContributionSource,
    Enrolment,
    EnrolmentStatus,
    InsuranceType,
    InsuredPerson,
    PersonalAccount,
    RegistrationChannel,
)
from transfers.services.partners import partner_register

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def id_number(base17: str) -> str:
    return base17 + ric.calc_check_digit(base17 + "0")


PERSON_ID = id_number("11010519850315001")
SOLDIER_ID = id_number("11010819900101003")
RESIDENT_ID = id_number("11010519600101002")


@pytest.fixture
def gz_agency(other_region: Region) -> Agency:
    return Agency.objects.create(code="GZ", name="广州市社会保险经办机构", region=other_region)


@pytest.fixture
def local_partner(region: Region, other_region: Region) -> Any:
    return partner_register(
        code="LOCAL",
        name="本系统（北京、广州）",
        region_codes=[region.code, other_region.code],
        local=True,
        by=None,
    )


@pytest.fixture
def bj(make_user: Any) -> dict[str, Any]:
    return {
        "clerk": make_user(Role.CLERK, username="bj_clerk"),
        "reviewer": make_user(Role.REVIEWER, username="bj_reviewer"),
        "supervisor": make_user(Role.SUPERVISOR, username="bj_supervisor"),
    }


@pytest.fixture
def gz(make_user: Any, gz_agency: Agency) -> dict[str, Any]:
    return {
        "clerk": make_user(Role.CLERK, username="gz_clerk", agency=gz_agency),
        "reviewer": make_user(Role.REVIEWER, username="gz_reviewer", agency=gz_agency),
        "supervisor": make_user(Role.SUPERVISOR, username="gz_supervisor", agency=gz_agency),
    }


def person_with_history(
    *,
    number: str,
    name: str,
    region: Region,
    insurance_type: str = InsuranceType.PENSION_EMPLOYEE,
    years: range = range(2015, 2025),
    base: Decimal = Decimal("6000.00"),
    balance: Decimal = Decimal("65000.00"),
) -> InsuredPerson:
    """A person with monthly records in `region` for `years`, and an account balance."""
    person = InsuredPerson.objects.create(
        id_number=number,
        name=name,
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        sex="male" if int(number[16]) % 2 else "female",
        region=region,
        channel=RegistrationChannel.COUNTER,
    )
    ContributionRecord.objects.bulk_create(
        ContributionRecord(
            person=person,
            insurance_type=insurance_type,
            month=date(year, month, 1),
            region=region,
            base=base,
            employer_amount=base * Decimal("0.16"),
            personal_amount=base * Decimal("0.08"),
            source=ContributionSource.COLLECTION,
        )
        for year in years
        for month in range(1, 13)
    )
    Enrolment.objects.create(
        person=person,
        insurance_type=insurance_type,
        region=region,
        start_date=date(years[0], 1, 1),
        end_date=date(years[-1], 12, 31),
        status=EnrolmentStatus.ENDED,
    )
    if balance:
        account = PersonalAccount.objects.create(person=person, region=region)
        AccountEntry.objects.create(
            account=account,
            kind=AccountEntryKind.CONTRIBUTION,
            year=years[-1],
            amount=balance,
        )
    return person


def add_records(
    person: InsuredPerson,
    region: Region,
    months: list[date],
    insurance_type: str = InsuranceType.PENSION_EMPLOYEE,
    base: Decimal = Decimal("6000.00"),
) -> None:
    ContributionRecord.objects.bulk_create(
        ContributionRecord(
            person=person,
            insurance_type=insurance_type,
            month=month,
            region=region,
            base=base,
            employer_amount=base * Decimal("0.16"),
            personal_amount=base * Decimal("0.08"),
            source=ContributionSource.COLLECTION,
        )
        for month in months
    )


def enrol(person: InsuredPerson, region: Region, insurance_type: str, start: date) -> Enrolment:
    return Enrolment.objects.create(
        person=person, insurance_type=insurance_type, region=region, start_date=start
    )


@pytest.fixture
def mover(region: Region, other_region: Region) -> InsuredPerson:
    """Worked in Beijing 2015-2024 at 6,000; now enrolled in Guangzhou."""
    person = person_with_history(number=PERSON_ID, name="张转移", region=region)
    enrol(person, other_region, InsuranceType.PENSION_EMPLOYEE, date(2025, 1, 1))
    return person

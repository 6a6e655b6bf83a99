"""Fixtures for the case engine: staff of each role, an employer, and a filing helper."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from stdnum.cn import ric

from accounts.roles import Role
from cases import services
from core.demo import credit_code
from core.models import Agency, Region, RegionLevel
from registration.models import Employer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def id_number(base17: str) -> str:
    return base17 + ric.calc_check_digit(base17 + "0")


PERSON_ID = id_number("11010519800101001")
PERSON2_ID = id_number("11010819750505002")
AGENT_ID = id_number("11010519850202003")


@pytest.fixture
def branch(region: Region, agency: Agency) -> Agency:
    """A service branch of the same pooling region (同城通办)."""
    county = Region.objects.create(
        code="110105",
        name="朝阳区",
        name_en="Chaoyang",
        level=RegionLevel.COUNTY,
        parent=region,
        pooling_region=region,
    )
    return Agency.objects.create(code="BJ-CY", name="朝阳网点", region=county, parent=agency)


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK, username="clerk", full_name="王经办")


@pytest.fixture
def clerk2(make_user):
    return make_user(Role.CLERK, username="clerk2", full_name="赵经办")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, username="reviewer", full_name="李复核")


@pytest.fixture
def reviewer2(make_user):
    return make_user(Role.REVIEWER, username="reviewer2", full_name="钱复核")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR, username="supervisor", full_name="张主管")


@pytest.fixture
def employer(region: Region) -> Employer:
    return Employer.objects.create(
        credit_code=credit_code("91110105MA01TQWX1"),
        name="北京测试科技有限公司",
        legal_representative="李明",
        address="北京市朝阳区",
        region=region,
    )


@pytest.fixture
def employer_user(make_user, employer):
    return make_user(Role.EMPLOYER, username="hr", employer=employer, full_name="周人事")


@pytest.fixture
def file_case(agency, clerk):
    """File a case as the counter clerk; keyword arguments override the defaults."""

    def file(item_code: str = "unemployment_benefit", **overrides: Any):
        kwargs: dict[str, Any] = {
            "item_code": item_code,
            "channel": "counter",
            "received_by": agency,
            "by": clerk,
            "submitted_at": at(2025, 3, 3),
            "applicant_id_number": PERSON_ID,
            "applicant_name": "张三",
        }
        kwargs.update(overrides)
        return services.case_file(**kwargs)

    return file


@pytest.fixture
def claimed_case(file_case, clerk):
    """An accepted case in the clerk's hands."""

    def make(item_code: str = "unemployment_benefit", **overrides: Any):
        case = file_case(item_code, **overrides)
        services.case_claim(case_id=case.pk, by=clerk)
        services.case_accept(case_id=case.pk, by=clerk)
        case.refresh_from_db()
        return case

    return make

"""Demo data for `make run`: every app adds its part, so a newcomer sees each feature working.

Demo only: `seed_demo` refuses to run unless DJANGO_DEMO is on, and production never sets it.
Running it twice changes nothing (every record is found by its natural key first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group
from stdnum.cn import uscc

from accounts.roles import Role
from core.models import Agency, AgencyLine, PolicyParameter, Region, RegionLevel

if TYPE_CHECKING:
    from accounts.models import User

DEMO_PASSWORD = "Demo-Pass-2026"  # noqa: S105 - published demo credential, README lists it
GOV_CLIENT_ID = "demo-gov-system"
GOV_CLIENT_SECRET = "demo-gov-secret"  # noqa: S105 - published demo credential, README lists it
# The demo employer's payroll software: an employer-bound client with the "employer" scope only.
PAYROLL_CLIENT_ID = "demo-payroll"
PAYROLL_CLIENT_SECRET = "demo-payroll-secret"  # noqa: S105 - published demo credential (README)

DEMO_ACCOUNTS: list[tuple[str, Role, str]] = [
    ("clerk", Role.CLERK, "王经办 Wang (clerk)"),
    ("clerk2", Role.CLERK, "赵经办 Zhao (clerk)"),
    ("reviewer", Role.REVIEWER, "李复核 Li (reviewer)"),
    ("supervisor", Role.SUPERVISOR, "张主管 Zhang (supervisor)"),
    ("auditor", Role.AUDITOR, "陈审计 Chen (auditor)"),
    ("sysadmin", Role.SYSTEM_ADMIN, "刘系统 Liu (system administrator)"),
    ("secadmin", Role.SECURITY_ADMIN, "孙安全 Sun (security administrator)"),
    ("employer", Role.EMPLOYER, "周人事 Zhou (HR, 北京示范科技有限公司)"),
]


@dataclass
class DemoContext:
    """What earlier seeders made, for later ones to use."""

    regions: dict[str, Region] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


Seeder = Callable[[DemoContext], None]
_seeders: list[tuple[int, str, Seeder]] = []


def register_seeder(order: int, name: str, seeder: Seeder) -> None:
    if name not in {existing for _o, existing, _s in _seeders}:
        _seeders.append((order, name, seeder))


def seeders() -> list[tuple[str, Seeder]]:
    return [(name, seeder) for _order, name, seeder in sorted(_seeders, key=lambda s: s[0])]


def credit_code(base17: str) -> str:
    """A unified social credit code with a correct check character (GB 32100)."""
    return base17 + uscc.calc_check_digit(base17)


REGIONS = [
    # code, name, English, level, parent, pooling region
    ("110000", "北京市", "Beijing", RegionLevel.PROVINCE, None, "110000"),
    ("110105", "朝阳区", "Chaoyang District", RegionLevel.COUNTY, "110000", "110000"),
    ("110108", "海淀区", "Haidian District", RegionLevel.COUNTY, "110000", "110000"),
    ("440000", "广东省", "Guangdong", RegionLevel.PROVINCE, None, None),
    ("440100", "广州市", "Guangzhou", RegionLevel.PREFECTURE, "440000", "440100"),
    ("440106", "天河区", "Tianhe District", RegionLevel.COUNTY, "440100", "440100"),
    ("440300", "深圳市", "Shenzhen", RegionLevel.PREFECTURE, "440000", "440300"),
]

AGENCIES = [
    (
        "BJ-SI",
        "北京市社会保险基金管理中心",
        "Beijing Social Insurance Fund Management Centre",
        "110000",
        None,
    ),
    ("BJ-SI-CY", "北京市朝阳区社会保险经办服务网点", "Chaoyang service branch", "110105", "BJ-SI"),
    ("BJ-SI-HD", "北京市海淀区社会保险经办服务网点", "Haidian service branch", "110108", "BJ-SI"),
    (
        "GZ-SI",
        "广州市社会保险基金管理中心",
        "Guangzhou Social Insurance Fund Management Centre",
        "440100",
        None,
    ),
    (
        "SZ-SI",
        "深圳市社会保险基金管理局",
        "Shenzhen Social Insurance Fund Administration",
        "440300",
        None,
    ),
]


def seed_regions_and_agencies(ctx: DemoContext) -> None:
    for code, name, name_en, level, parent, _pooling in REGIONS:
        region, _created = Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": level,
                "parent": ctx.regions.get(parent or ""),
            },
        )
        ctx.regions[code] = region
    for code, *_rest, pooling in REGIONS:
        if pooling and ctx.regions[code].pooling_region_id is None:
            Region.objects.filter(code=code).update(pooling_region=ctx.regions[pooling])
            ctx.regions[code].refresh_from_db()
    for code, name, name_en, region_code, parent in AGENCIES:
        agency, _created = Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "region": ctx.regions[region_code],
                "line": AgencyLine.HRSS,
                "parent": ctx.agencies.get(parent or ""),
            },
        )
        ctx.agencies[code] = agency


# Illustrative figures for the demo only (benefit-rules.md: "made up unless a source is named").
DEMO_POLICY = [
    ("average_monthly_wage", "110000", date(2024, 1, 1), "11297.00"),
    ("average_monthly_wage", "110000", date(2025, 1, 1), "11761.00"),
    ("average_monthly_wage", "440100", date(2025, 1, 1), "9875.00"),
    ("average_monthly_wage", "440300", date(2025, 1, 1), "11620.00"),
    ("account_interest_rate", "", date(2024, 1, 1), "0.0262"),
]


def seed_policy(ctx: DemoContext) -> None:
    for key, region_code, valid_from, value in DEMO_POLICY:
        PolicyParameter.objects.get_or_create(
            key=key,
            region=ctx.regions.get(region_code),
            valid_from=valid_from,
            defaults={"value": value, "source": "演示数据 demo figure (illustrative)"},
        )


def seed_accounts(ctx: DemoContext) -> None:
    from accounts.models import ApiClient, User
    from accounts.scopes import AGENCY_SCOPES, EMPLOYER_SCOPE
    from accounts.services import api_client_create
    from registration.models import Employer

    employer = Employer.objects.filter(credit_code=credit_code("91110105MA01DEMX1")).first()
    for username, role, full_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            is_employer = role == Role.EMPLOYER
            user = User(
                username=username,
                full_name=full_name,
                is_staff=not is_employer,
                agency=None if is_employer else ctx.agencies["BJ-SI"],
                employer=employer if is_employer else None,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role.value))
        ctx.users[username] = user
    if not ApiClient.objects.filter(client_id=GOV_CLIENT_ID).exists():
        api_client_create(
            name="演示政务系统 Demo government system",
            client_id=GOV_CLIENT_ID,
            client_secret=GOV_CLIENT_SECRET,
            scopes=AGENCY_SCOPES,
            agency_id=ctx.agencies["BJ-SI"].pk,
            by=None,
        )
    if employer is not None and not ApiClient.objects.filter(client_id=PAYROLL_CLIENT_ID).exists():
        api_client_create(
            name="北京示范科技有限公司工资软件 Demo payroll software",
            client_id=PAYROLL_CLIENT_ID,
            client_secret=PAYROLL_CLIENT_SECRET,
            scopes=[EMPLOYER_SCOPE],
            agency_id=None,
            employer_id=employer.pk,
            by=None,
        )


register_seeder(10, "regions and agencies", seed_regions_and_agencies)
register_seeder(20, "policy parameters", seed_policy)
register_seeder(40, "accounts and API client", seed_accounts)

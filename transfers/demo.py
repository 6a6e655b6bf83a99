"""Demo transfers for `make run`: Beijing, Guangzhou and Shenzhen are served by this one
deployment (a LOCAL partner), so the messages take the in-process path.

- a pension transfer Beijing -> Guangzhou: Guangzhou accepted and sent the contact letter;
  step 2 (compute and send the funds) waits for the Beijing clerk ("clerk");
- a medical transfer Beijing -> Shenzhen, applied for in Beijing, step 1 waiting;
- a military transfer Guangzhou -> Beijing, applied for in Beijing: first in the list (Art. 17).
A Guangzhou clerk ("clerk_gz", the demo password) works the Guangzhou side. Running it twice
changes nothing: people are found by ID number, transfers by person and kind.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.cn import ric

from accounts.roles import Role
from core.demo import DEMO_PASSWORD, DemoContext
from core.models import Agency, Region
from registration.models import Enrolment, EnrolmentStatus, InsuranceType, InsuredPerson
from registration.services.contributions import contribution_batch_receive
from registration.services.persons import id_number_hash, person_register
from transfers.models import OutboxMessage, OutboxStatus, Transfer
from transfers.procedures import TransferKind
from transfers.services import relay, steps
from transfers.services.partners import partner_register

PEOPLE = [
    # base17 (region, birth, sequence), name, home region, history region, type, years
    ("11010519820611031", "赵迁移", "110000", InsuranceType.PENSION_EMPLOYEE, range(2015, 2025)),
    ("11010819900304042", "钱医保", "110000", InsuranceType.MEDICAL_EMPLOYEE, range(2019, 2025)),
    ("44010619880909051", "孙退役", "440100", InsuranceType.PENSION_EMPLOYEE, range(2016, 2024)),
]


def _number(base17: str) -> str:
    return base17 + ric.calc_check_digit(base17 + "0")


def seed_transfers(ctx: DemoContext) -> None:
    clerk = ctx.users.get("clerk")
    try:
        bj, gz, sz = (ctx.regions[code] for code in ("110000", "440100", "440300"))
        bj_si, gz_si = ctx.agencies["BJ-SI"], ctx.agencies["GZ-SI"]
    except KeyError:
        return
    if clerk is None:
        return
    partner_register(
        code="LOCAL",
        name="本系统（北京、广州、深圳） / this deployment",
        region_codes=[bj.code, gz.code, sz.code],
        local=True,
        by=None,
    )
    clerk_gz = _gz_clerk(gz_si)
    people = [_person(ctx, *spec, clerk=clerk) for spec in PEOPLE]
    today = timezone.localdate()
    _enrol(people[0], gz, InsuranceType.PENSION_EMPLOYEE, today.replace(day=1))
    _enrol(people[2], bj, InsuranceType.PENSION_EMPLOYEE, today.replace(day=1))

    pension = _apply(people[0], TransferKind.PENSION_EMP_INTER_AREA, bj, gz_si, clerk_gz, ago=3)
    if pension is not None:
        steps.transfer_step_complete(transfer_id=pension.pk, number=1, by=clerk_gz)
        _deliver()
    _apply(people[1], TransferKind.MED_EMP, sz, bj_si, clerk, ago=2)
    _apply(
        people[2],
        TransferKind.PENSION_EMP_INTER_AREA,
        gz,
        bj_si,
        clerk,
        ago=1,
        is_military=True,
        military_organ="南部战区某部政治工作部",
        military_document="军人退役基本养老保险关系转移接续信息表 2025-0173",
    )


def _gz_clerk(agency: Agency) -> Any:
    from accounts.models import User

    user = User.objects.filter(username="clerk_gz").first()
    if user is None:
        user = User(username="clerk_gz", full_name="黄经办 Huang (clerk, Guangzhou)", is_staff=True)
        user.agency = agency
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=Role.CLERK))
    return user


def _person(
    ctx: DemoContext,
    base17: str,
    name: str,
    region_code: str,
    insurance_type: str,
    years: range,
    *,
    clerk: Any,
) -> InsuredPerson:
    number = _number(base17)
    region = ctx.regions[region_code]
    existing = InsuredPerson.objects.filter(id_number_hash=id_number_hash(number)).first()
    if existing is not None:
        return existing
    person, _created = person_register(
        id_number=number, name=name, region=region, channel="counter", by=clerk
    )
    base = Decimal("6000.00")
    records = [
        {
            "line": line,
            "id_number": number,
            "insurance_type": insurance_type,
            "month": f"{year}-{month:02d}",
            "base": str(base),
            "employer_amount": str(base * Decimal("0.16")),
            "personal_amount": str(base * Decimal("0.08")),
            "source": "collection",
            "credit_code": "",
            "region_code": region_code,
        }
        for line, (year, month) in enumerate(
            ((year, month) for year in years for month in range(1, 13)), start=1
        )
    ]
    contribution_batch_receive(
        external_id=f"DEMO-TRANSFER-{base17}", records=records, region=region, by=clerk
    )
    Enrolment.objects.create(
        person=person,
        insurance_type=insurance_type,
        region=region,
        start_date=date(years[0], 1, 1),
        end_date=date(years[-1], 12, 31),
        status=EnrolmentStatus.ENDED,
    )
    return person


def _enrol(person: InsuredPerson, region: Region, insurance_type: str, start: date) -> None:
    if not Enrolment.objects.filter(
        person=person, insurance_type=insurance_type, status=EnrolmentStatus.ACTIVE
    ).exists():
        Enrolment.objects.create(
            person=person, insurance_type=insurance_type, region=region, start_date=start
        )


def _apply(
    person: InsuredPerson,
    kind: str,
    other: Region,
    agency: Agency,
    by: Any,
    *,
    ago: int,
    **extra: Any,
) -> Transfer | None:
    if Transfer.objects.filter(person=person, kind=kind).exists():
        return None
    submitted = timezone.now() - timedelta(days=ago)
    return steps.transfer_apply(
        kind=kind,
        id_number=person.id_number,
        name=person.name,
        other_region=other,
        agency=agency,
        by=by,
        submitted_at=submitted,
        **extra,
    )


def _deliver() -> None:
    """Local messages go through the outbox like any other; deliver them now, in process."""
    for pk in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list(
        "pk", flat=True
    ):
        relay.outbox_relay(message_id=pk, force=True)

"""Demo employers, people, employments, contributions and account ledgers (`make run`)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from accounts.models import User
from core.demo import DemoContext, credit_code
from core.money import money
from registration.models import (
    Employer,
    EmployerType,
    Employment,
    InsuredPerson,
    SharedRecordKind,
)
from registration.services.accounts import account_interest_credit_year
from registration.services.comparison import shared_record_receive
from registration.services.contributions import contribution_batch_receive
from registration.services.employments import StartRow, employments_start
from registration.services.persons import id_number_hash

DEMO_EMPLOYERS = [
    (
        "91110105MA01DEMX1",
        "北京示范科技有限公司",
        EmployerType.ENTERPRISE,
        "李明",
        "110105",
        "北京市朝阳区建国路88号",
    ),
    (
        "12110108MB0123456",
        "北京市海淀示范医院",
        EmployerType.PUBLIC_INSTITUTION,
        "王芳",
        "110108",
        "北京市海淀区中关村大街1号",
    ),
    (
        "91440106MA5CXY123",
        "广州示范制造有限公司",
        EmployerType.ENTERPRISE,
        "陈伟",
        "440106",
        "广州市天河区天河路385号",
    ),
]


def seed_employers(ctx: DemoContext) -> None:
    for base, name, kind, representative, region_code, address in DEMO_EMPLOYERS:
        employer, _created = Employer.objects.get_or_create(
            credit_code=credit_code(base),
            defaults={
                "name": name,
                "type": kind,
                "legal_representative": representative,
                "address": address,
                "region": ctx.regions[region_code],
                "bank_name": "中国工商银行",
                "bank_account": "6222020200112233"
                + base[-3:].replace("X", "0").replace("M", "1")[:3],
            },
        )
        ctx.extra.setdefault("employers", []).append(employer)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"]
DEMO_YEARS = (2024, 2025)  # interest is credited for these; contributions run to last month
# Rates for the demo's contribution amounts: pension 16% employer / 8% personal (benefit-rules.md
# (a), UNVERIFIED there); medical and unemployment illustrative only.
DEMO_RATES = {
    "pension_employee": (Decimal("0.16"), Decimal("0.08")),
    "medical_employee": (Decimal("0.09"), Decimal("0.02")),
    "unemployment": (Decimal("0.005"), Decimal("0.005")),
}


def _demo_id_number(region_code: str, number: int) -> str:
    birth = date(1970 + number % 30, 1 + number % 12, 1 + number % 27)
    body = f"{region_code}{birth:%Y%m%d}{100 + number:03d}"
    return body + ric.calc_check_digit(body + "0")


def seed_people(ctx: DemoContext) -> None:
    """About 40 people employed by the demo employers, their enrolments, monthly contributions
    from January 2024 to last month through the batch path, and account interest. Idempotent:
    people are found by ID number, batches by their id, interest by (account, year)."""
    employers = ctx.extra.get("employers") or list(Employer.objects.order_by("pk")[:3])
    clerk = ctx.users.get("clerk") or User.objects.filter(is_staff=True).first()
    if not employers or clerk is None:
        return
    today = timezone.localdate()
    number = 0
    for index, employer in enumerate(employers):
        hr = employer.users.first() or clerk
        rows: list[StartRow] = []
        for _position in range((16, 14, 10)[index % 3]):
            number += 1
            name = SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)]
            id_number = _demo_id_number(employer.region.code, number)
            if InsuredPerson.objects.filter(id_number_hash=id_number_hash(id_number)).exists():
                continue
            rows.append(
                StartRow(
                    row=len(rows) + 2,
                    id_number=id_number,
                    name=name,
                    start_date=date(2024, 1, 1),
                    contribution_base=Decimal(8000 + (number % 12) * 1000),
                )
            )
        if rows:
            employments_start(employer_id=employer.pk, rows=rows, by=hr)
    months = [
        date(year, month, 1)
        for year in range(2024, today.year + 1)
        for month in range(1, 13)
        if date(year, month, 1) < today.replace(day=1)
    ]
    employments = list(
        Employment.objects.filter(employer__in=employers, end_date__isnull=True).select_related(
            "person", "employer"
        )
    )
    for month in months:  # one batch per month, as the collection authority sends them
        records = [
            _demo_record(employment, month, kind, rates)
            for employment in employments
            for kind, rates in DEMO_RATES.items()
        ]
        for line, record in enumerate(records, 1):
            record["line"] = line
        if records:
            contribution_batch_receive(
                external_id=f"DEMO-{month:%Y%m}",
                records=records,
                region=employers[0].region,
                by=clerk,
            )
    _credit_interest(clerk)
    _seed_person_login(ctx)
    _seed_shared_records(employers[0], clerk)


def _credit_interest(by: User | None) -> None:
    today = timezone.localdate()
    for year in DEMO_YEARS:
        if year < today.year:
            account_interest_credit_year(year=year, by=by)


def seed_account_interest(ctx: DemoContext) -> None:
    """Last of all: the demo years' interest for accounts other apps' demos opened after the
    people were seeded (transfers in, benefits). Once per (account, year), so a second run of
    the demo credits nothing."""
    _credit_interest(ctx.users.get("clerk"))


def _demo_record(
    employment: Employment, month: date, kind: str, rates: tuple[Decimal, Decimal]
) -> dict[str, object]:
    base = employment.contribution_base
    employer_rate, personal_rate = rates
    return {
        "id_number": employment.person.id_number,
        "insurance_type": kind,
        "month": f"{month:%Y-%m}",
        "base": str(base),
        # Rounded half-up to the fen per record (DESIGN.md: money rule).
        "employer_amount": str(money(base * employer_rate)),
        "personal_amount": str(money(base * personal_rate)),
        "source": "collection",
        "credit_code": employment.employer.credit_code,
        "region_code": employment.employer.region.code,
    }


def _seed_person_login(ctx: DemoContext) -> None:
    """A login for one demo person, to see their own rights record (Art. 32)."""
    from core.demo import DEMO_PASSWORD

    person = InsuredPerson.objects.filter(user__isnull=True).order_by("pk").first()
    if User.objects.filter(username="person").exists() or person is None:
        return
    user = User(username="person", full_name=f"{person.name} (insured person)", is_staff=False)
    user.set_password(DEMO_PASSWORD)
    user.save()
    InsuredPerson.objects.filter(pk=person.pk).update(user=user)


def _seed_shared_records(employer: Employer, clerk: User) -> None:
    shared_record_receive(
        reference="DEMO-SAMR-CHANGE-1",
        kind=SharedRecordKind.BUSINESS_CHANGED,
        event_date=date(2025, 6, 1),
        credit_code=employer.credit_code,
        data={"address": "北京市朝阳区建国路99号"},
        by=clerk,
    )

"""Test data: valid ID numbers and credit codes, employers, persons, employments."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from stdnum.cn import ric

from core.demo import credit_code
from registration.models import Employer, InsuredPerson, RegistrationChannel
from registration.services.employments import StartRow, employments_start
from registration.services.persons import person_register

_sequence = itertools.count(1)


def id_number(birth: str = "19900101", region: str = "110105", *, female: bool = False) -> str:
    """A valid citizen ID number (GB 11643), unique per call."""
    number = next(_sequence)
    seq = (number * 2) % 1000 + (0 if female else 1)  # odd: male, even: female
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def employer(region, name: str = "测试单位", base: str | None = None) -> Employer:
    base = base or f"91110105MA{next(_sequence):07d}"
    return Employer.objects.create(
        credit_code=credit_code(base),
        name=name,
        legal_representative="张三",
        address="北京市",
        region=region,
        bank_name="中国工商银行",
        bank_account="6222020200112233445",
    )


def person(region, name: str = "李四", number: str | None = None, by=None) -> InsuredPerson:
    created, _ = person_register(
        id_number=number or id_number(),
        name=name,
        region=region,
        channel=RegistrationChannel.COUNTER,
        by=by,
    )
    return created


def hire(employer_obj, by, *, number: str | None = None, name: str = "王五", base="8000.00"):
    rows = [
        StartRow(
            row=1,
            id_number=number or id_number(),
            name=name,
            start_date=date(2024, 1, 1),
            contribution_base=Decimal(base),
        )
    ]
    return employments_start(employer_id=employer_obj.pk, rows=rows, by=by)[0]

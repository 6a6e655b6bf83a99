"""Registration benchmarks.

1. contribution_batch_1m: one million contribution records (10,000 persons × 100 months) through
   the batch path (`contribution_batch_receive`: resolve ID numbers, COPY into staging, check
   every row in SQL, INSERT ... SELECT ... ON CONFLICT, post the personal parts to the accounts),
   against PostgreSQL COPY of the same rows, already resolved, straight into the table. Target:
   within 3× of COPY.
2. employer_upload_10k: check and save a 10,000-row 增员 CSV (register persons, employments, five
   enrolments each) as the upload job does; no baseline, target in seconds.

BENCH_REGISTRATION_PERSONS and BENCH_REGISTRATION_MONTHS scale the first one down for a quick run.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date

from django.db import connection, transaction

from bench.harness import Result, timed

PERSONS = int(os.environ.get("BENCH_REGISTRATION_PERSONS", "10000"))
MONTHS = int(os.environ.get("BENCH_REGISTRATION_MONTHS", "100"))
UPLOAD_ROWS = int(os.environ.get("BENCH_REGISTRATION_UPLOAD_ROWS", "10000"))


def _id_number(region: str, number: int) -> str:
    from stdnum.cn import ric

    birth = date(1960 + number % 40, 1 + number % 12, 1 + number % 28)
    body = f"{region}{birth:%Y%m%d}{number % 1000:03d}"
    # Make numbers unique past 1000 per birth date by varying the region's county digits.
    body = f"{body[:4]}{(number // 1000) % 100:02d}{body[6:]}"
    return body + ric.calc_check_digit(body + "0")


def _setup() -> tuple[object, object, object]:
    from accounts.models import User
    from core.models import Region, RegionLevel
    from registration.models import Employer

    region, _created = Region.objects.get_or_create(
        code="110000", defaults={"name": "北京市", "level": RegionLevel.PROVINCE}
    )
    user, _created = User.objects.get_or_create(username="bench-registration")
    from core.demo import credit_code

    employer, _created = Employer.objects.get_or_create(
        credit_code=credit_code("91110105MA0BENCH1"),
        defaults={
            "name": "基准测试单位",
            "legal_representative": "x",
            "address": "x",
            "region": region,
        },
    )
    return region, user, employer


def _clean() -> None:
    from registration.models import (
        AccountEntry,
        ContributionBatch,
        ContributionRecord,
        EmployerUpload,
        Employment,
        EmploymentBaseChange,
        Enrolment,
        InsuredPerson,
        PersonalAccount,
    )

    tables = [
        model._meta.db_table
        for model in (
            AccountEntry,
            PersonalAccount,
            ContributionRecord,
            ContributionBatch,
            EmploymentBaseChange,
            Enrolment,
            Employment,
            EmployerUpload,
        )
    ]
    tables.append(InsuredPerson._meta.db_table)
    with connection.cursor() as cursor:
        # The benchmark database only: CASCADE empties whatever else points at these rows.
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def _persons(region: object, count: int) -> list[tuple[int, str]]:
    """Register `count` persons set-based (bulk), returning (id, ID number)."""
    from registration.models import InsuredPerson

    numbers = [_id_number("110105", n) for n in range(count)]
    from core.identity import parse_citizen_id

    people = []
    for number in numbers:
        citizen = parse_citizen_id(number)
        people.append(
            InsuredPerson(
                id_number=number,
                name="测试",
                birth_date=citizen.birth_date,
                sex=citizen.sex,
                region=region,  # type: ignore[misc]
                channel="shared_data",
            )
        )
    created = InsuredPerson.objects.bulk_create(people, batch_size=5000)
    return [(person.pk, person.id_number) for person in created]


def _records(people: list[tuple[int, str]], months: int, code: str) -> list[dict[str, object]]:
    records = []
    line = 0
    for month_index in range(months):
        month = f"{2015 + month_index // 12}-{1 + month_index % 12:02d}"
        for _person_id, number in people:
            line += 1
            records.append(
                {
                    "line": line,
                    "id_number": number,
                    "insurance_type": "pension_employee",
                    "month": month,
                    "base": "8000.00",
                    "employer_amount": "1280.00",
                    "personal_amount": "640.00",
                    "source": "collection",
                    "credit_code": code,
                }
            )
    return records


def _copy_baseline(
    people: list[tuple[int, str]], months: int, employer_id: int, region_id: int, batch_id: int
) -> None:
    """The physical limit: the same rows, already resolved to ids, COPYed into the table."""
    from registration.models import ContributionRecord

    buffer = io.StringIO()
    write = csv.writer(buffer).writerow
    line = 0
    for month_index in range(months):
        month = f"{2015 + month_index // 12}-{1 + month_index % 12:02d}-01"
        for person_id, _number in people:
            line += 1
            write(
                (
                    person_id,
                    "pension_employee",
                    month,
                    employer_id,
                    region_id,
                    "8000.00",
                    "1280.00",
                    "640.00",
                    "collection",
                    "entry",
                    batch_id,
                    line,
                    "2026-01-01 00:00:00+00",
                )
            )
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(
            f"""COPY {ContributionRecord._meta.db_table}
                (person_id, insurance_type, month, employer_id, region_id, base, employer_amount,
                 personal_amount, source, kind, batch_id, line, recorded_at)
                FROM STDIN WITH (FORMAT csv)""",
            buffer,
        )


def _bench_batch() -> Result:
    from registration.models import ContributionBatch, ContributionRecord
    from registration.services.contributions import contribution_batch_receive

    region, user, employer = _setup()
    _clean()
    people = _persons(region, PERSONS)
    records = _records(people, MONTHS, employer.credit_code)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {ContributionRecord._meta.db_table}")
    with timed() as batch_path:
        batch, _created = contribution_batch_receive(
            external_id="BENCH-1M",
            records=records,
            region=region,
            by=user,  # type: ignore[arg-type]
        )
    assert batch.records_loaded == len(records), batch.records_rejected
    loaded = len(records)
    del records
    # Baseline: same table, same indexes and foreign keys, emptied first.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_accountentry")
        cursor.execute(f"TRUNCATE {ContributionRecord._meta.db_table} CASCADE")
    baseline_batch = ContributionBatch.objects.create(
        external_id="BENCH-COPY", received_by=user, status="accepted"
    )
    with timed() as copy_path:
        _copy_baseline(
            people,
            MONTHS,
            employer.pk,  # type: ignore[attr-defined]
            region.pk,  # type: ignore[attr-defined]
            baseline_batch.pk,
        )
    print(
        f"BENCH detail contribution_batch rows={loaded} batch_path={batch_path():.2f}s "
        f"copy={copy_path():.2f}s ({loaded / batch_path():,.0f} rows/s through the batch path)",
        flush=True,
    )
    return Result(f"contribution_batch_{loaded // 1000}k", batch_path(), copy_path(), target=3.0)


def _bench_upload() -> Result:
    from core.models import Job
    from registration.models import EmployerUpload, Employment
    from registration.services.uploads import JOB_KIND, upload_run

    _region, user, employer = _setup()
    _clean()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["身份证号码", "姓名", "参保日期", "缴费基数"])
    for number in range(UPLOAD_ROWS):
        writer.writerow([_id_number("110108", number), "员工", "2024-01-01", "9000"])
    content = buffer.getvalue().encode("utf-8")
    upload = EmployerUpload.objects.create(
        employer=employer,
        kind="start",
        filename="bench.csv",
        content=content,
        sha256="bench",
        uploaded_by=user,
    )
    job = Job.objects.create(kind=JOB_KIND, params={"upload_id": upload.pk})
    with timed() as elapsed:
        result = upload_run(job, lambda done, total: None)
    assert result["saved"] == UPLOAD_ROWS, result
    assert Employment.objects.filter(employer=employer).count() == UPLOAD_ROWS
    return Result(f"employer_upload_{UPLOAD_ROWS // 1000}k", elapsed(), 0.0, target=60.0)


def run() -> list[Result]:
    results = [_bench_batch(), _bench_upload()]
    _clean()
    return results

"""Registration services: persons, employments, enrolments, contributions, accounts, Art. 10."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.roles import Role
from audit.models import AuditEvent
from core.models import PolicyParameter
from registration import selectors
from registration.errors import (
    AccountBalanceInsufficientError,
    ContributionAlreadyReversedError,
    EmployerHasArrearsError,
    EnrolmentAlreadyActiveError,
)
from registration.models import (
    AccountEntry,
    AccountEntryKind,
    ContributionKind,
    ContributionRecord,
    EmployerStatus,
    Employment,
    EmploymentEndReason,
    Enrolment,
    EnrolmentStatus,
    InsuranceType,
    InsuredPerson,
    RegistrationChannel,
)
from registration.services.accounts import account_post
from registration.services.contributions import contribution_batch_receive, contribution_correct
from registration.services.employers import (
    employer_arrears_report,
    employer_cancel_apply,
    employer_cancel_check,
)
from registration.services.employments import (
    EndRow,
    RowsInvalidError,
    StartRow,
    employments_end,
    employments_start,
)
from registration.services.persons import person_register
from registration.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK)


@pytest.fixture
def hr(make_user, region):
    employer = factories.employer(region)
    return make_user(Role.EMPLOYER, employer=employer)


def test_id_number_is_the_key_and_birth_date_and_sex_come_from_it(region, clerk):
    number = factories.id_number("19850214", female=True)
    person, created = person_register(
        id_number=number, name="赵六", region=region, channel="counter", by=clerk
    )
    again, created_again = person_register(
        id_number=number.lower(), name="赵六", region=region, channel="counter", by=clerk
    )
    assert (created, created_again) == (True, False)
    assert again.pk == person.pk
    assert (person.birth_date, person.sex) == (date(1985, 2, 14), "female")
    stored = connection.cursor()
    stored.execute("SELECT id_number FROM registration_insuredperson WHERE id = %s", [person.pk])
    assert number not in stored.fetchone()[0]  # encrypted at rest


def test_a_declared_birth_date_or_sex_must_agree_with_the_id_number(region, clerk):
    number = factories.id_number("19850214")
    with pytest.raises(ValidationError) as error:
        person_register(
            id_number=number,
            name="赵六",
            region=region,
            channel="counter",
            by=clerk,
            birth_date=date(1985, 2, 15),
            sex="female",
        )
    assert set(error.value.message_dict) == {"birth_date", "sex"}
    with pytest.raises(ValidationError) as error:
        person_register(
            id_number="110105199001011234", name="x", region=region, channel="x", by=clerk
        )
    assert "id_number" in error.value.message_dict
    assert InsuredPerson.objects.count() == 0


def test_hiring_registers_the_person_and_enrols_every_employee_type(hr):
    employment = factories.hire(hr.employer, hr)
    assert employment.person.channel == RegistrationChannel.EMPLOYER
    types = set(
        Enrolment.objects.filter(employment=employment, status="active").values_list(
            "insurance_type", flat=True
        )
    )
    assert types == {
        "pension_employee",
        "medical_employee",
        "work_injury",
        "unemployment",
        "maternity",
    }
    assert AuditEvent.objects.filter(action="registration.employment.start").count() == 1


def test_ending_an_employment_keeps_its_reason_and_ends_the_enrolments(hr):
    employment = factories.hire(hr.employer, hr)
    employments_end(
        employer_id=hr.employer_id,
        rows=[
            EndRow(
                row=1,
                id_number=employment.person.id_number,
                end_date=date(2025, 3, 31),
                reason=EmploymentEndReason.CONTRACT_EXPIRED,
            )
        ],
        by=hr,
    )
    ended = selectors.employment_last_ended(person_id=employment.person_id)
    assert ended.end_reason == "contract_expired"
    assert ended.ended_involuntarily
    assert not Enrolment.objects.filter(person=employment.person, status="active").exists()
    assert set(Enrolment.objects.values_list("end_date", flat=True)) == {date(2025, 3, 31)}


def test_one_bad_row_saves_nothing_and_names_the_row(hr):
    good = factories.id_number()
    rows = [
        StartRow(1 + 1, good, "甲", date(2024, 1, 1), Decimal("8000")),
        StartRow(3, "110105199001011234", "乙", date(2024, 1, 1), Decimal("8000")),
        StartRow(4, factories.id_number(), "", date(2024, 1, 1), Decimal("-1")),
    ]
    with pytest.raises(RowsInvalidError) as error:
        employments_start(employer_id=hr.employer_id, rows=rows, by=hr)
    report = [(e.row, e.column) for e in error.value.errors]
    assert (3, "身份证号码 ID number") in report
    assert (4, "姓名 name") in report
    assert (4, "缴费基数 contribution base") in report
    assert all(row != 2 for row, _column in report)
    assert InsuredPerson.objects.count() == 0
    assert Employment.objects.count() == 0


def test_a_person_enrolled_through_another_employer_is_refused_without_naming_it(
    hr, region, make_user
):
    employment = factories.hire(hr.employer, hr)
    other = make_user(Role.EMPLOYER, employer=factories.employer(region, name="另一单位"))
    with pytest.raises(RowsInvalidError) as error:
        factories.hire(other.employer, other, number=employment.person.id_number, name="王五")
    message = error.value.errors[0].message
    assert "其他单位" in message
    assert hr.employer.name not in message


@pytest.mark.django_db(transaction=True)
def test_enrolment_uniqueness_holds_under_concurrent_requests(region, make_user):
    first = make_user(Role.EMPLOYER, employer=factories.employer(region, name="甲单位"))
    second = make_user(Role.EMPLOYER, employer=factories.employer(region, name="乙单位"))
    number = factories.id_number()
    factories.person(region, name="王五", number=number)
    barrier = threading.Barrier(2)
    outcomes = []

    def hire(user):
        from django.db import connections

        try:
            barrier.wait(5)
            factories.hire(user.employer, user, number=number)
            outcomes.append("ok")
        except (EnrolmentAlreadyActiveError, RowsInvalidError) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hire, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes)[-1] == "ok"
    assert outcomes.count("ok") == 1
    assert Enrolment.objects.filter(insurance_type="pension_employee", status="active").count() == 1


def test_the_database_allows_one_active_enrolment_per_person_and_type(hr):
    from django.db import IntegrityError, transaction

    employment = factories.hire(hr.employer, hr)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            person=employment.person,
            insurance_type="pension_employee",
            region=hr.employer.region,
            start_date=date(2024, 2, 1),
        )


def _records(person, months, line_start=1, **overrides):
    return [
        {
            "line": line_start + i,
            "id_number": person.id_number,
            "insurance_type": "pension_employee",
            "month": f"2024-{month:02d}",
            "base": "8000.00",
            "employer_amount": "1280.00",
            "personal_amount": "640.00",
            "source": "collection",
            **overrides,
        }
        for i, month in enumerate(months)
    ]


def test_a_batch_loads_set_based_reports_bad_lines_and_is_idempotent(hr, clerk):
    employment = factories.hire(hr.employer, hr)
    person = employment.person
    records = _records(person, range(1, 7))
    records.append({**records[0], "line": 99, "id_number": "110105199001011234"})
    records.append({**records[0], "line": 100, "month": "2024-13"})
    batch, created = contribution_batch_receive(
        external_id="TAX-1", records=records, region=hr.employer.region, by=clerk
    )
    assert created
    assert batch.status == "partial"
    assert (batch.records_loaded, batch.records_rejected) == (6, 2)
    assert list(batch.errors.values_list("line", "field")) == [(99, "id_number"), (100, "month")]
    again, created_again = contribution_batch_receive(
        external_id="TAX-1", records=records, region=hr.employer.region, by=clerk
    )
    assert not created_again
    assert again.pk == batch.pk
    assert ContributionRecord.objects.count() == 6
    assert (
        selectors.contribution_months(person_id=person.pk, insurance_type="pension_employee") == 6
    )
    assert selectors.account_balance(person_id=person.pk) == Decimal("3840.00")


def test_a_correction_is_a_reversal_plus_a_new_entry(hr, clerk):
    person = factories.hire(hr.employer, hr).person
    contribution_batch_receive(
        external_id="TAX-2", records=_records(person, [1, 2]), region=hr.employer.region, by=clerk
    )
    original = ContributionRecord.objects.get(month=date(2024, 1, 1))
    reversal, replacement = contribution_correct(
        record_id=original.pk,
        base=Decimal("9000.00"),
        employer_amount=Decimal("1440.00"),
        personal_amount=Decimal("720.00"),
        by=clerk,
        reason="基数申报错误",
    )
    original.refresh_from_db()
    assert original.personal_amount == Decimal("640.00")  # never edited
    assert reversal.kind == ContributionKind.REVERSAL
    assert reversal.reverses_id == original.pk
    assert reversal.personal_amount == Decimal("-640.00")
    assert replacement.personal_amount == Decimal("720.00")
    assert (
        selectors.contribution_months(person_id=person.pk, insurance_type="pension_employee") == 2
    )
    assert selectors.account_balance(person_id=person.pk) == Decimal("1360.00")
    with pytest.raises(ContributionAlreadyReversedError):
        contribution_correct(record_id=original.pk, by=clerk, reason="again")


def test_rerunning_the_interest_job_credits_nothing_twice(hr, clerk):
    from registration.tasks import account_interest_credit_year_task

    PolicyParameter.objects.create(
        key="account_interest_rate", valid_from=date(2024, 1, 1), value="0.0262", source="test"
    )
    person = factories.hire(hr.employer, hr).person
    contribution_batch_receive(
        external_id="TAX-3",
        records=_records(person, range(1, 13)),
        region=hr.employer.region,
        by=clerk,
    )
    first = account_interest_credit_year_task(2024)
    second = account_interest_credit_year_task(2024)
    assert (first["credited"], second["credited"]) == (1, 0)
    interest = AccountEntry.objects.get(kind=AccountEntryKind.INTEREST)
    # 12 × 640 = 7680 credited in 2024: 7680 × 0.0262 × 1.083 / 2 = 108.958… → 108.96 (half-up)
    assert interest.amount == Decimal("108.96")
    assert selectors.account_balance(person_id=person.pk) == Decimal("7788.96")


def test_an_offset_cannot_exceed_the_balance_and_is_idempotent_by_reference(hr, clerk):
    person = factories.hire(hr.employer, hr).person
    contribution_batch_receive(
        external_id="TAX-4", records=_records(person, [1]), region=hr.employer.region, by=clerk
    )
    with pytest.raises(AccountBalanceInsufficientError):
        account_post(
            person_id=person.pk, kind="deduction", amount=Decimal("641"), reference="OP-1", by=clerk
        )
    entry, created = account_post(
        person_id=person.pk, kind="deduction", amount=Decimal("100"), reference="OP-1", by=clerk
    )
    again, created_again = account_post(
        person_id=person.pk, kind="deduction", amount=Decimal("100"), reference="OP-1", by=clerk
    )
    assert (created, created_again, again.pk) == (True, False, entry.pk)
    assert selectors.account_balance(person_id=person.pk) == Decimal("540.00")


def test_cancellation_is_refused_while_arrears_are_outstanding(hr, clerk):
    employer = hr.employer
    employer_arrears_report(
        employer_id=employer.pk,
        kind="late_fees",
        amount=Decimal("12.50"),
        as_of=date(2025, 1, 1),
        by=clerk,
    )
    with pytest.raises(EmployerHasArrearsError) as error:
        employer_cancel_apply(employer_id=employer.pk, on=date(2025, 2, 1), by=clerk)
    assert error.value.extra["outstanding"] == {"late_fees": "12.50"}
    employer_arrears_report(
        employer_id=employer.pk,
        kind="late_fees",
        amount=Decimal("0"),
        as_of=date(2025, 1, 20),
        by=clerk,
    )
    employer_cancel_check(employer_id=employer.pk)
    employer_cancel_apply(employer_id=employer.pk, on=date(2025, 2, 1), by=clerk)
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.CANCELLED


def test_contribution_months_ignore_reversed_and_repeated_months(hr, clerk):
    person = factories.hire(hr.employer, hr).person
    records = _records(person, [1, 2, 3])
    records.append({**records[0], "line": 50, "source": "back_payment"})
    records.append({**records[0], "line": 51, "insurance_type": InsuranceType.UNEMPLOYMENT})
    contribution_batch_receive(
        external_id="TAX-5", records=records, region=hr.employer.region, by=clerk
    )
    assert selectors.contribution_months_by_person([person.pk], "pension_employee") == {
        person.pk: 3
    }
    assert selectors.contribution_months(person_id=person.pk, insurance_type="unemployment") == 1
    assert Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE).count() == 5


def test_a_transferred_history_loads_without_a_second_account_credit(hr, clerk):
    from registration.services.enrolments import enrolments_transfer_out

    person = factories.hire(hr.employer, hr).person
    batch, _created = contribution_batch_receive(
        external_id="TRANSFER-1",
        records=_records(person, [1, 2], source="transfer_in"),
        region=hr.employer.region,
        by=clerk,
        post_to_account=False,
    )
    assert batch.records_loaded == 2
    assert selectors.account_balance(person_id=person.pk) == Decimal("0.00")
    pooling = hr.employer.region.pooling_region_id
    first = enrolments_transfer_out(
        person_id=person.pk,
        insurance_type="pension_employee",
        pooling_region_id=pooling,
        on=date(2025, 1, 31),
        by=clerk,
    )
    again = enrolments_transfer_out(
        person_id=person.pk,
        insurance_type="pension_employee",
        pooling_region_id=pooling,
        on=date(2025, 1, 31),
        by=clerk,
    )
    assert (first, again) == (1, 0)
    assert Enrolment.objects.get(insurance_type="pension_employee").status == "transferred_out"


def _history(months, region_code="110000"):
    return [
        {
            "month": f"2023-{month:02d}",
            "base": "6000.00",
            "employer_amount": "960.00",
            "personal_amount": "480.00",
            "region_code": region_code,
        }
        for month in months
    ]


def test_a_transfer_history_is_credited_once_by_person_without_id_numbers(hr, clerk):
    from registration.services.contributions import contribution_history_transfer_in

    person = factories.hire(hr.employer, hr).person
    # The person already holds March (a deployment serving both regions): it is not added again.
    contribution_batch_receive(
        external_id="TAX-HELD",
        records=[{**_records(person, [3])[0], "month": "2023-03"}],
        region=hr.employer.region,
        by=clerk,
    )
    history = _history([1, 2, 3]) + _history([4], region_code="999999")  # 999999: unknown here
    batch = contribution_history_transfer_in(
        external_id="transfer-in:ZY1:r1",
        person_id=person.pk,
        insurance_type=InsuranceType.UNEMPLOYMENT,
        history=history,
        region=hr.employer.region,
        by=clerk,
    )
    assert (batch.records_loaded, batch.records_rejected, batch.status) == (4, 0, "accepted")
    again = contribution_history_transfer_in(
        external_id="transfer-in:ZY1:r1",
        person_id=person.pk,
        insurance_type=InsuranceType.UNEMPLOYMENT,
        history=history,
        region=hr.employer.region,
        by=clerk,
    )
    assert again.pk == batch.pk
    loaded = ContributionRecord.objects.filter(batch=batch)
    assert loaded.count() == 4
    assert set(loaded.values_list("source", flat=True)) == {"transfer_in"}
    assert loaded.get(month=date(2023, 4, 1)).region_id == hr.employer.region_id
    # Pension history of the same months: March is held as a pension month, so it is skipped.
    pension = contribution_history_transfer_in(
        external_id="transfer-in:ZY2:r1",
        person_id=person.pk,
        insurance_type=InsuranceType.PENSION_EMPLOYEE,
        history=_history([2, 3]),
        region=hr.employer.region,
        by=clerk,
    )
    assert (pension.records_loaded, pension.records_rejected) == (1, 0)
    assert selectors.account_balance(person_id=person.pk) == Decimal("640.00")  # TAX-HELD only
    receipt = AuditEvent.objects.filter(action="registration.contribution_batch.receive").first()
    assert receipt.changes["already_held"] == 1

"""Applications that go through the case engine: individual registration, employer registration
online, changes (bank account: high-risk, reviewed) and cancellation blocked by arrears."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import User
from accounts.roles import Role

cases = pytest.importorskip("cases.services")  # the case engine, in another branch of work
from cases.models import CaseStatus, DecisionStatus  # noqa: E402
from registration.errors import EmployerHasArrearsError  # noqa: E402
from registration.models import (  # noqa: E402
    ApplicationStatus,
    Employer,
    EmployerStatus,
    InsuredPerson,
    RegistrationApplication,
)
from registration.services import applications  # noqa: E402
from registration.services.employers import employer_arrears_report  # noqa: E402
from registration.tests import factories  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK)


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER)


def _decide(case, clerk, outcome="granted", reviewer=None):
    cases.case_claim(case_id=case.pk, by=clerk)
    cases.case_accept(case_id=case.pk, by=clerk)
    decision = cases.decision_propose(
        case_id=case.pk,
        outcome=outcome,
        reasons="材料齐全" if outcome == "granted" else "材料不符",
        legal_basis="社会保险经办条例第十条",
        by=clerk,
    )
    if decision.status == DecisionStatus.PROPOSED and reviewer is not None:
        decision = cases.decision_approve(decision_id=decision.pk, by=reviewer)
    return decision


def test_individual_registration_is_a_case_applied_on_approval(region, agency, clerk):
    number = factories.id_number("19950505")
    case = applications.person_registration_file(
        id_number=number,
        name="孙七",
        region=region,
        channel="counter",
        by=clerk,
        received_by=agency,
    )
    assert case.time_limit_working_days == 10
    assert not InsuredPerson.objects.exists()
    _decide(case, clerk)
    person = InsuredPerson.objects.get()
    assert (person.name, person.birth_date) == ("孙七", date(1995, 5, 5))
    assert RegistrationApplication.objects.get().status == ApplicationStatus.APPLIED
    assert number not in str(case.payload)


def test_an_online_employer_registration_creates_the_employer_and_its_account(
    region, agency, clerk
):
    from core.demo import credit_code

    case = applications.employer_registration_file(
        credit_code=credit_code("12110108MB0999999"),
        name="北京某某研究院",
        employer_type="public_institution",
        legal_representative="周八",
        address="北京市海淀区",
        region=region,
        handler_id_number=factories.id_number(),
        handler_name="周八",
        username="research-hr",
        password="Long-Enough-Pass-1",
        bank_account="6222000011112222",
    )
    _decide(case, clerk)
    employer = Employer.objects.get(name="北京某某研究院")
    assert employer.channel == "online"
    assert employer.bank_account == "6222000011112222"
    user = User.objects.get(username="research-hr")
    assert user.employer_id == employer.pk
    assert user.check_password("Long-Enough-Pass-1")
    assert user.has_role(Role.EMPLOYER)
    # accounts created it (its service, its audit event), from the hash kept since filing.
    from audit.models import AuditEvent

    assert AuditEvent.objects.get(action="accounts.user.employer_create").target_id == str(user.pk)


def test_an_online_employer_registration_with_a_weak_password_is_refused_at_filing(region):
    from core.demo import credit_code
    from core.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as refused:
        applications.employer_registration_file(
            credit_code=credit_code("12110108MB0999999"),
            name="北京某某研究院",
            employer_type="public_institution",
            legal_representative="周八",
            address="北京市海淀区",
            region=region,
            handler_id_number=factories.id_number(),
            handler_name="周八",
            username="research-hr",
            password="12345678901",
        )
    assert "password" in refused.value.fields
    assert not RegistrationApplication.objects.exists()


def test_a_bank_account_change_needs_a_reviewer_and_then_applies(
    region, clerk, reviewer, make_user
):
    employer = factories.employer(region)
    hr = make_user(Role.EMPLOYER, employer=employer)
    case = applications.employer_change_file(
        employer_id=employer.pk, changes={"bank_account": "6222999988887777"}, by=hr
    )
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.CHANGE_PENDING
    decision = _decide(case, clerk)
    assert decision.status == DecisionStatus.PROPOSED  # high-risk: not effective on the maker alone
    employer.refresh_from_db()
    assert employer.bank_account != "6222999988887777"
    cases.decision_approve(decision_id=decision.pk, by=reviewer)
    employer.refresh_from_db()
    assert (employer.bank_account, employer.status) == ("6222999988887777", EmployerStatus.ACTIVE)


def test_cancellation_is_refused_at_filing_while_arrears_are_outstanding(region, clerk, make_user):
    employer = factories.employer(region)
    hr = make_user(Role.EMPLOYER, employer=employer)
    employer_arrears_report(
        employer_id=employer.pk,
        kind="contributions",
        amount=Decimal("1000.00"),
        as_of=date(2025, 1, 31),
        by=clerk,
    )
    with pytest.raises(EmployerHasArrearsError):
        applications.employer_cancel_file(employer_id=employer.pk, by=hr, reason="歇业")
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.ACTIVE


def test_arrears_reported_while_the_case_runs_refuse_the_approval(
    region, clerk, reviewer, make_user
):
    employer = factories.employer(region)
    hr = make_user(Role.EMPLOYER, employer=employer)
    case = applications.employer_cancel_file(employer_id=employer.pk, by=hr, reason="歇业")
    decision = _decide(case, clerk)
    employer_arrears_report(
        employer_id=employer.pk,
        kind="fines",
        amount=Decimal("500"),
        as_of=date(2025, 2, 1),
        by=clerk,
    )
    with pytest.raises(EmployerHasArrearsError):
        cases.decision_approve(decision_id=decision.pk, by=reviewer)
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.CANCEL_PENDING


def test_a_denied_change_restores_the_employer(region, clerk, reviewer, make_user):
    employer = factories.employer(region)
    hr = make_user(Role.EMPLOYER, employer=employer)
    case = applications.employer_change_file(
        employer_id=employer.pk, changes={"address": "新地址"}, by=hr
    )
    decision = _decide(case, clerk, outcome="denied")
    if decision.status == DecisionStatus.PROPOSED:
        cases.decision_approve(decision_id=decision.pk, by=reviewer)
    employer.refresh_from_db()
    assert (employer.status, employer.address) == (EmployerStatus.ACTIVE, "北京市")
    case.refresh_from_db()
    assert case.status in (CaseStatus.DECIDED, CaseStatus.CLOSED)


def test_the_online_form_checks_the_code_at_once(client, region, agency):
    bad = client.post(
        "/registration/apply/employer/check-code/", {"credit_code": "91110105MA01DEMX1X"}
    )
    assert "field-error" in bad.content.decode()
    from core.demo import credit_code

    good = client.post(
        "/registration/apply/employer/check-code/",
        {"credit_code": credit_code("91110105MA01DEMY1")},
    )
    assert "field-error" not in good.content.decode()


def test_an_employer_files_a_change_from_the_portal(client, region, agency, make_user):
    employer = factories.employer(region)
    hr = make_user(Role.EMPLOYER, employer=employer)
    client.force_login(hr)
    response = client.post("/registration/portal/change/", {"address": "北京市东城区1号"})
    assert response.status_code == 302
    application = RegistrationApplication.objects.get()
    assert application.case_number
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.CHANGE_PENDING
    again = client.post("/registration/portal/cancel/", {"reason": "歇业"})
    assert "已有变更或注销申请在办理中" in again.content.decode()


def test_a_clerk_files_a_counter_registration(client, region, agency, make_user):
    client.force_login(make_user(Role.CLERK))
    response = client.post(
        "/registration/persons/register/",
        {"id_number": factories.id_number(), "name": "吴九", "hukou_type": ""},
    )
    assert response.status_code == 302
    assert RegistrationApplication.objects.get().kind == "person_register"

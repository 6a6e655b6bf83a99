"""Registration API: persons, employees (payroll software), contribution batches, arrears."""

import pytest

from accounts.roles import Role
from audit.models import AccessLogEntry
from registration.models import ContributionRecord, Employment, InsuredPerson
from registration.tests import factories

pytestmark = pytest.mark.django_db


def test_registering_a_person_is_idempotent_and_the_answer_masks_the_number(gov_api, region):
    number = factories.id_number("19800101")
    body = {"id_number": number, "name": "张三", "region_code": "110000"}
    first = gov_api.post("/api/v1/persons", body, format="json")
    again = gov_api.post("/api/v1/persons", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["id_number"] == number[:6] + "********" + number[-4:]
    assert first.json()["birth_date"] == "1980-01-01"
    assert InsuredPerson.objects.count() == 1


def test_an_invalid_id_number_gets_400_naming_the_field(gov_api, region):
    response = gov_api.post(
        "/api/v1/persons", {"id_number": "110105199001011234", "name": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "id_number" in response.json()["fields"]


def test_finding_a_person_by_id_number_is_logged(gov_api, region):
    person = factories.person(region, name="张三")
    found = gov_api.get("/api/v1/persons", {"id_number": person.id_number})
    assert found.status_code == 200
    assert found.json()["name"] == "张三"
    assert person.id_number not in found.content.decode()
    assert AccessLogEntry.objects.filter(subject_id=str(person.pk)).count() == 1
    assert gov_api.get("/api/v1/persons", {"id_number": "x"}).status_code == 404


def test_employer_payroll_api_adds_and_ends_employees(client, make_user, region):
    hr = make_user(Role.EMPLOYER, employer=factories.employer(region))
    client.force_login(hr)
    number = factories.id_number()
    added = client.post(
        f"/api/v1/employers/{hr.employer_id}/employees",
        {
            "employees": [
                {
                    "id_number": number,
                    "name": "王五",
                    "start_date": "2024-03-01",
                    "contribution_base": "8000.00",
                }
            ]
        },
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    listed = client.get(f"/api/v1/employers/{hr.employer_id}/employees").json()["results"]
    assert [row["name"] for row in listed] == ["王五"]
    ended = client.post(
        f"/api/v1/employers/{hr.employer_id}/employees/end",
        {"employees": [{"id_number": number, "end_date": "2024-12-31", "reason": "dismissed"}]},
        content_type="application/json",
    )
    assert ended.status_code == 200, ended.content
    assert Employment.objects.get().end_reason == "dismissed"


def test_an_api_upload_with_one_bad_row_reports_it_and_saves_nothing(client, make_user, region):
    hr = make_user(Role.EMPLOYER, employer=factories.employer(region))
    client.force_login(hr)
    rows = [
        {
            "id_number": factories.id_number(),
            "name": "甲",
            "start_date": "2024-03-01",
            "contribution_base": "8000",
        },
        {
            "id_number": "110105199001011234",
            "name": "乙",
            "start_date": "2024-03-01",
            "contribution_base": "8000",
        },
    ]
    response = client.post(
        f"/api/v1/employers/{hr.employer_id}/employees",
        {"employees": rows},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "rows_invalid"
    assert response.json()["extra"]["errors"][0]["row"] == 2
    assert Employment.objects.count() == 0


def test_employer_a_never_sees_or_touches_employer_b(client, make_user, region):
    a = make_user(Role.EMPLOYER, employer=factories.employer(region, name="甲单位"))
    b = make_user(Role.EMPLOYER, employer=factories.employer(region, name="乙单位"))
    employment = factories.hire(b.employer, b, name="乙员工")
    client.force_login(a)
    assert client.get(f"/api/v1/employers/{b.employer_id}/employees").status_code == 404
    response = client.post(
        f"/api/v1/employers/{b.employer_id}/employees/end",
        {
            "employees": [
                {
                    "id_number": employment.person.id_number,
                    "end_date": "2024-12-31",
                    "reason": "dismissed",
                }
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(
        "/api/v1/persons", {"id_number": employment.person.id_number}
    ).status_code in (
        403,
        404,
    )
    assert client.post("/api/v1/persons", {"id_number": "x", "name": "x"}).status_code == 403


def test_contribution_batches_through_the_api(gov_api, make_user, region):
    hr = make_user(Role.EMPLOYER, employer=factories.employer(region))
    person = factories.hire(hr.employer, hr).person
    body = {
        "batch_id": "TAX-API-1",
        "records": [
            {
                "line": 1,
                "id_number": person.id_number,
                "insurance_type": "pension_employee",
                "month": "2024-01",
                "base": "8000.00",
                "employer_amount": "1280.00",
                "personal_amount": "640.00",
                "source": "collection",
                "credit_code": hr.employer.credit_code,
            },
            {"line": 2, "id_number": person.id_number, "insurance_type": "x"},
        ],
    }
    first = gov_api.post("/api/v1/contributions/batches", body, format="json")
    again = gov_api.post("/api/v1/contributions/batches", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["status"] == "partial"
    assert first.json()["errors"] == [
        {"line": 2, "field": "insurance_type", "message": first.json()["errors"][0]["message"]}
    ]
    assert ContributionRecord.objects.get().employer_id == hr.employer_id


def test_a_clerk_without_the_scope_cannot_send_contributions(api_client, make_user):
    api_client.force_authenticate(make_user(Role.CLERK))
    response = api_client.post(
        "/api/v1/contributions/batches", {"batch_id": "x", "records": [{}]}, format="json"
    )
    assert response.status_code == 403


def test_arrears_reported_by_the_collection_authority(gov_api, region):
    employer = factories.employer(region)
    response = gov_api.post(
        f"/api/v1/employers/{employer.pk}/arrears",
        {"kind": "contributions", "amount": "3000.00", "as_of": "2025-01-31"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["outstanding"] == "3000.00"


def test_a_death_record_queues_a_discrepancy(gov_api, make_user, region):
    hr = make_user(Role.EMPLOYER, employer=factories.employer(region))
    person = factories.hire(hr.employer, hr).person
    body = {
        "reference": "MZ-1",
        "kind": "death",
        "event_date": "2025-03-05",
        "id_number": person.id_number,
    }
    first = gov_api.post("/api/v1/shared-records", body, format="json")
    again = gov_api.post("/api/v1/shared-records", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["discrepancies"] == 3  # still registered, employed and enrolled

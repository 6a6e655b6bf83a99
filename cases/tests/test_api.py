"""The case API: scope read, region scoping for API clients, employers through their session."""

import pytest

from accounts.roles import Role
from cases import services
from cases.tests.conftest import PERSON_ID

pytestmark = pytest.mark.django_db


def test_an_api_client_reads_a_case_with_deadline_and_timeline(gov_api, claimed_case, clerk):
    case = claimed_case()
    services.case_review_start(case_id=case.pk, by=clerk)
    response = gov_api.get(f"/api/v1/cases/{case.case_number}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_review"
    assert (body["deadline"], body["deadline_provisional"]) == ("2025-03-17", False)
    assert body["sla"] in {"on_time", "due_soon", "overdue"}
    assert [step["kind"] for step in body["timeline"]] == [
        "filed",
        "claimed",
        "accepted",
        "review_started",
    ]
    assert PERSON_ID not in response.content.decode()  # masked (Art. 49)


def test_the_list_is_cursor_paginated_and_filtered(gov_api, file_case):
    file_case()
    file_case("pension_claim")
    response = gov_api.get("/api/v1/cases", {"item": "pension_claim"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [row["item"] for row in body["results"]] == ["pension_claim"]


def test_an_api_client_of_another_region_sees_nothing(api_client, file_case, other_region):
    from accounts.scopes import AGENCY_SCOPES
    from accounts.services import api_client_create
    from conftest import obtain_token
    from core.models import Agency

    case = file_case()
    guangzhou = Agency.objects.create(code="GZ", name="广州", region=other_region)
    api_client_create(
        name="GZ",
        client_id="gz",
        client_secret="gz-secret",
        scopes=AGENCY_SCOPES,
        agency_id=guangzhou.pk,
        by=None,
    )
    token = obtain_token("gz", "gz-secret").json()["access_token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get(f"/api/v1/cases/{case.case_number}").status_code == 404
    assert api_client.get("/api/v1/cases").json()["results"] == []


def test_a_token_without_the_read_scope_is_refused(api_client, gov_client, file_case):
    from conftest import obtain_token

    case = file_case()
    token = obtain_token(gov_client["client_id"], gov_client["secret"], "feeds:write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    response = api_client.get(f"/api/v1/cases/{case.case_number}")
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")


def test_an_employer_user_reads_its_own_cases_through_its_session(
    api_client, file_case, employer, employer_user
):
    own = file_case("registration_change", applicant_id_number="", employer=employer)
    other = file_case()
    api_client.force_login(employer_user, backend="django.contrib.auth.backends.ModelBackend")
    listed = [row["case_number"] for row in api_client.get("/api/v1/cases").json()["results"]]
    assert listed == [own.case_number]
    assert api_client.get(f"/api/v1/cases/{other.case_number}").status_code == 404


def test_an_anonymous_caller_gets_the_error_format(api_client, file_case):
    response = api_client.get("/api/v1/cases")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "fields"}


def test_staff_without_case_permissions_see_no_cases(api_client, make_user, file_case):
    file_case()
    secadmin = make_user(Role.SECURITY_ADMIN, username="sec")
    api_client.force_login(secadmin, backend="django.contrib.auth.backends.ModelBackend")
    assert api_client.get("/api/v1/cases").status_code == 403

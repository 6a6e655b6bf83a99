"""Payroll software for employers: an API client bound to one employer, acting as an employer
user of it (scope "employer"), and the employer accounts accounts creates."""

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from accounts.errors import UsernameTakenError
from accounts.models import ApiClient, User
from accounts.roles import Role
from accounts.scopes import AGENCY_SCOPES
from accounts.services import api_client_create, employer_user_create
from audit.models import AuditEvent
from conftest import obtain_token
from core.errors import InvalidInputError
from registration.models import Employment
from registration.tests import factories

pytestmark = pytest.mark.django_db


def _payroll_client(employer, client_id="payroll"):
    return api_client_create(
        name="工资软件",
        client_id=client_id,
        client_secret=f"{client_id}-secret",
        scopes=["employer"],
        agency_id=None,
        employer_id=employer.pk,
        by=None,
    )


def _bearer(client_id, secret, scope=None):
    response = obtain_token(client_id, secret, scope=scope)
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return client


def _start(number, name="王五"):
    return {
        "employees": [
            {
                "id_number": number,
                "name": name,
                "start_date": "2024-03-01",
                "contribution_base": "8000.00",
            }
        ]
    }


def test_the_service_account_is_an_employer_user_of_that_employer(region):
    employer = factories.employer(region)
    client = _payroll_client(employer)
    account = client.user
    assert (account.employer_id, account.is_staff) == (employer.pk, False)
    assert account.has_role(Role.EMPLOYER)
    assert not account.is_api_client
    assert account.has_perm("accounts.scope_employer")
    assert not account.has_usable_password()
    event = AuditEvent.objects.get(action="accounts.api_client.create")
    assert event.changes["employer"] == [None, employer.pk]


def test_payroll_software_adds_lists_ends_and_rebases_its_own_employees(region):
    employer = factories.employer(region)
    _payroll_client(employer)
    token = obtain_token("payroll", "payroll-secret").json()
    assert token["scope"] == "employer"
    api = _bearer("payroll", "payroll-secret")
    url = f"/api/v1/employers/{employer.pk}/employees"
    number = factories.id_number()
    added = api.post(url, _start(number), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert added.status_code == 201, added.content
    assert [row["name"] for row in api.get(url).json()["results"]] == ["王五"]
    rebased = api.post(
        f"{url}/base",
        {
            "employees": [
                {"id_number": number, "effective_month": "2024-07", "contribution_base": "9000"}
            ]
        },
        format="json",
    )
    assert rebased.status_code == 200, rebased.content
    ended = api.post(
        f"{url}/end",
        {"employees": [{"id_number": number, "end_date": "2024-12-31", "reason": "dismissed"}]},
        format="json",
    )
    assert ended.status_code == 200, ended.content
    assert Employment.objects.get().end_reason == "dismissed"
    assert AuditEvent.objects.filter(actor_label="api:payroll").exists()


def test_payroll_software_never_sees_or_touches_another_employer(region):
    ours = factories.employer(region, name="甲单位")
    theirs = factories.employer(region, name="乙单位")
    hr = User.objects.create(username="hr-b", employer=theirs)
    employment = factories.hire(theirs, hr, name="乙员工")
    _payroll_client(ours)
    api = _bearer("payroll", "payroll-secret")
    url = f"/api/v1/employers/{theirs.pk}/employees"
    assert api.get(url).status_code == 404
    assert api.post(url, _start(factories.id_number()), format="json").status_code == 404
    ended = api.post(
        f"{url}/end",
        {
            "employees": [
                {
                    "id_number": employment.person.id_number,
                    "end_date": "2024-12-31",
                    "reason": "dismissed",
                }
            ]
        },
        format="json",
    )
    assert ended.status_code == 404
    assert Employment.objects.get().end_date is None
    # Reads beyond its own employees need a scope it cannot hold.
    assert api.get("/api/v1/employers").status_code == 403


def test_payroll_software_is_refused_what_its_scope_does_not_cover(region):
    employer = factories.employer(region)
    _payroll_client(employer)
    refused = obtain_token("payroll", "payroll-secret", scope="registration:write")
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_scope")
    api = _bearer("payroll", "payroll-secret")
    body = {"id_number": factories.id_number(), "name": "张三", "region_code": "110000"}
    for response in (
        api.post("/api/v1/persons", body, format="json"),
        api.post(
            "/api/v1/employers",
            {
                "credit_code": "91110000600037341L",
                "name": "示范公司",
                "legal_representative": "李明",
                "address": "北京",
            },
            format="json",
        ),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"


def test_employee_endpoints_need_the_employer_scope(region, gov_api, client, make_user):
    employer = factories.employer(region)
    url = f"/api/v1/employers/{employer.pk}/employees"
    # An agency's system (every agency scope) is no employer: refused, not scoped.
    refused = gov_api.get(url)
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert "employer" in refused.json()["message"]
    client.force_login(make_user(Role.CLERK))
    assert client.get(url).status_code == 403
    # The employer's own people work through their role's permission.
    client.force_login(make_user(Role.EMPLOYER, employer=employer))
    assert client.get(url).status_code == 200


def test_the_employer_scope_belongs_to_employer_bound_clients_only(region, agency):
    employer = factories.employer(region)
    with pytest.raises(ValueError, match="only for a client bound"):
        api_client_create(
            name="x",
            client_id="x",
            client_secret="s",
            scopes=["employer", "read"],
            agency_id=agency.pk,
            by=None,
        )
    with pytest.raises(ValueError, match="'employer' scope only"):
        api_client_create(
            name="x",
            client_id="x",
            client_secret="s",
            scopes=["employer", "read"],
            agency_id=None,
            employer_id=employer.pk,
            by=None,
        )
    assert "employer" not in AGENCY_SCOPES
    client = _payroll_client(employer)
    client.allowed_scopes = "employer read"
    with pytest.raises(IntegrityError), transaction.atomic():
        client.save(update_fields=["allowed_scopes"])
    assert ApiClient.objects.get(pk=client.pk).allowed_scopes == "employer"


def test_an_employer_account_is_created_with_its_role_and_a_checked_password(region, make_user):
    employer = factories.employer(region)
    admin = make_user(Role.SYSTEM_ADMIN)
    user = employer_user_create(
        employer_id=employer.pk,
        username="acme-hr",
        password="Long-Enough-Pass-1",
        full_name="某某公司人事",
        by=admin,
    )
    assert user.is_employer_user
    assert not user.is_staff
    assert user.check_password("Long-Enough-Pass-1")
    event = AuditEvent.objects.get(action="accounts.user.employer_create")
    assert (event.actor, event.target_id) == (admin, str(user.pk))
    with pytest.raises(InvalidInputError) as weak:
        employer_user_create(
            employer_id=employer.pk,
            username="acme-2",
            password="password1",
            full_name="x",
            by=admin,
        )
    assert weak.value.fields["password"]
    with pytest.raises(UsernameTakenError):
        employer_user_create(
            employer_id=employer.pk,
            username="acme-hr",
            password="Long-Enough-Pass-2",
            full_name="x",
            by=admin,
        )
    assert User.objects.filter(employer=employer).count() == 1

"""OAuth2 client credentials for government systems, limited to each client's scopes."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_client_create
from conftest import obtain_token

pytestmark = pytest.mark.django_db

BODY = {
    "credit_code": "91110000600037341L",
    "name": "示范公司",
    "legal_representative": "李明",
    "address": "北京",
    "region_code": "110000",
}


def test_token_flow_and_a_scoped_call(gov_client, region):
    response = obtain_token(gov_client["client_id"], gov_client["secret"])
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) >= {"read", "registration:write"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    created = client.post("/api/v1/employers", BODY, format="json")
    assert created.status_code == 201
    assert client.post("/api/v1/employers", BODY, format="json").status_code == 200  # same code


def test_a_scope_the_client_was_not_granted_is_refused_at_the_token(region, agency):
    api_client_create(
        name="Tax",
        client_id="tax",
        client_secret="tax-secret",
        scopes=["contributions:write"],
        agency_id=agency.pk,
        by=None,
    )
    refused = obtain_token("tax", "tax-secret", scope="registration:write")
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_scope"


def test_a_view_refuses_a_token_without_its_scope(region, agency):
    api_client_create(
        name="Tax",
        client_id="tax",
        client_secret="tax-secret",
        scopes=["contributions:write"],
        agency_id=agency.pk,
        by=None,
    )
    token = obtain_token("tax", "tax-secret").json()["access_token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post("/api/v1/employers", BODY, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert "registration:write" in response.json()["message"]


def test_wrong_secret_gets_no_token(gov_client):
    assert obtain_token(gov_client["client_id"], "wrong").status_code == 401


def test_the_audit_trail_names_the_client(gov_api, region):
    from audit.models import AuditEvent

    gov_api.post("/api/v1/employers", BODY, format="json")
    event = AuditEvent.objects.get(action="registration.employer.register")
    assert event.actor_label == "api:test-gov"
    assert event.actor_kind == "api_client"


def test_invalid_credit_code_names_the_field(gov_api, region):
    response = gov_api.post("/api/v1/employers", {**BODY, "credit_code": "123"}, format="json")
    assert response.status_code == 400
    assert "credit_code" in response.json()["fields"]

"""Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on POSTs that create."""

import threading

import pytest
from django.db import connection

from core.models import IdempotencyRecord, IdempotencyState
from registration.models import Employer

BODY = {
    "credit_code": "91110000600037341L",
    "name": "北京示范有限公司",
    "legal_representative": "李明",
    "address": "北京市朝阳区",
    "region_code": "110000",
}


@pytest.mark.django_db
def test_replay_returns_the_stored_response_with_one_effect(gov_api):
    first = gov_api.post("/api/v1/employers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = gov_api.post("/api/v1/employers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert again.status_code == 201  # the stored answer, not a fresh 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Employer.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_refused(gov_api):
    gov_api.post("/api/v1/employers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = gov_api.post(
        "/api/v1/employers",
        {**BODY, "name": "另一家公司"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Employer.objects.get().name == BODY["name"]


@pytest.mark.django_db
def test_a_refusal_is_stored_and_changes_nothing(gov_api):
    bad = {**BODY, "credit_code": "91110000600037341M"}
    first = gov_api.post("/api/v1/employers", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    again = gov_api.post("/api/v1/employers", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert (first.status_code, again.status_code) == (400, 400)
    assert first.json()["fields"]["credit_code"]
    assert Employer.objects.count() == 0


@pytest.mark.django_db
def test_keys_are_scoped_per_client(gov_api, make_user, api_client):
    from accounts.roles import Role

    gov_api.post("/api/v1/employers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert IdempotencyRecord.objects.filter(key="shared").count() == 1
    clerk = make_user(Role.CLERK)
    api_client.force_authenticate(clerk)
    # The clerk has no registration:write scope, but the key is the clerk's own: no 422.
    response = api_client.post(
        "/api/v1/employers", {**BODY, "name": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_gets_409(gov_client):
    """While the first request holds the key, the duplicate is told to retry (409)."""
    from rest_framework.test import APIClient

    from conftest import obtain_token

    token = obtain_token(gov_client["client_id"], gov_client["secret"]).json()["access_token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    # Hold a lock on the region row so the first request blocks inside its transaction.
    from core.models import Region

    Region.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": "province"})
    results = {}
    locker_ready = threading.Event()
    release = threading.Event()

    def locker():
        from django.db import connections, transaction

        with transaction.atomic():
            Employer.objects.none()
            with connections["default"].cursor() as cursor:
                cursor.execute("LOCK TABLE registration_employer IN EXCLUSIVE MODE")
            locker_ready.set()
            release.wait(10)
        connections["default"].close()

    def first():
        results["first"] = client.post(
            "/api/v1/employers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="race"
        ).status_code
        from django.db import connections

        connections["default"].close()

    lock_thread = threading.Thread(target=locker)
    lock_thread.start()
    locker_ready.wait(5)
    first_thread = threading.Thread(target=first)
    first_thread.start()
    for _ in range(100):  # wait until the first request has claimed the key
        if IdempotencyRecord.objects.filter(
            key="race", state=IdempotencyState.IN_PROGRESS
        ).exists():
            break
        threading.Event().wait(0.05)
    duplicate = client.post("/api/v1/employers", BODY, format="json", HTTP_IDEMPOTENCY_KEY="race")
    release.set()
    first_thread.join(10)
    lock_thread.join(10)
    connection.close()
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_conflict"
    assert results["first"] == 201
    assert Employer.objects.count() == 1

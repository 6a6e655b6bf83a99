"""The payment-run API: 201 on the first start, 409 on a second, 403 when the starter
approves, and a token that may read cannot start a run."""

from datetime import date

import pytest

from benefits.models import PaymentRun
from benefits.tests.factories import award

pytestmark = pytest.mark.django_db


def test_start_then_409_then_approval_by_another(
    api_client, region, clerk, supervisor, django_capture_on_commit_callbacks
):
    award(region, amount="3000.00")
    api_client.force_authenticate(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post("/api/v1/payment-runs", {"period": "2025-03"}, format="json")
    second = api_client.post("/api/v1/payment-runs", {"period": "2025-03"}, format="json")

    assert first.status_code == 201, first.content
    assert first.json()["period"] == "2025-03"
    assert (second.status_code, second.json()["code"]) == (409, "payment_run_exists")
    run = PaymentRun.objects.get()
    assert api_client.get(f"/api/v1/payment-runs/{run.pk}").json()["status"] == "built"
    assert api_client.post(f"/api/v1/payment-runs/{run.pk}/approve").status_code == 403

    api_client.force_authenticate(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        approved = api_client.post(f"/api/v1/payment-runs/{run.pk}/approve")
    assert approved.status_code == 200
    run.refresh_from_db()
    assert run.status == "released"
    assert run.period == date(2025, 3, 1)


def test_a_government_token_cannot_start_a_run(gov_api, region):
    response = gov_api.post("/api/v1/payment-runs", {"period": "2025-03"}, format="json")
    assert response.status_code in (400, 403)
    assert not PaymentRun.objects.exists()

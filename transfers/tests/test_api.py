"""The transfers API for clerks, government systems, and the person or employer (Art. 16)."""

from __future__ import annotations

import pytest

from transfers.procedures import TransferKind
from transfers.tests.conftest import PERSON_ID

pytestmark = pytest.mark.django_db


def application(region, **extra):
    return {
        "kind": TransferKind.PENSION_EMP_INTER_AREA,
        "id_number": PERSON_ID,
        "name": "张转移",
        "other_region": region.code,
        **extra,
    }


def test_a_clerk_applies_and_reads_the_progress(api_client, mover, gz, region, local_partner):
    api_client.force_authenticate(gz["clerk"])
    created = api_client.post(
        "/api/v1/transfers", application(region), format="json", HTTP_IDEMPOTENCY_KEY="a-1"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["side"], body["status"], body["current_step"]) == ("in", "open", 1)
    assert [s["handled_by"] for s in body["steps"]] == ["us", "partner", "us"]
    assert body["steps"][0]["deadline"]
    assert body["steps"][0]["case_number"]
    again = api_client.post(
        "/api/v1/transfers", application(region), format="json", HTTP_IDEMPOTENCY_KEY="a-1"
    )
    assert (again.status_code, again.json()["reference"]) == (201, body["reference"])
    listed = api_client.get("/api/v1/transfers")
    assert [row["reference"] for row in listed.json()] == [body["reference"]]


def test_errors_use_the_project_format(api_client, mover, gz, region, local_partner):
    api_client.force_authenticate(gz["clerk"])
    refused = api_client.post(
        "/api/v1/transfers", application(region, kind="WORK_INJURY"), format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "not_transferable")
    unknown = api_client.post(
        "/api/v1/transfers", application(region, other_region="999999"), format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["fields"]["other_region"]


def test_the_person_follows_progress_with_their_own_login(
    api_client, mover, gz, region, local_partner, make_user
):
    api_client.force_authenticate(gz["clerk"])
    reference = api_client.post("/api/v1/transfers", application(region), format="json").json()[
        "reference"
    ]
    person_user = make_user(is_staff=False, agency=None)
    mover.user = person_user
    mover.save(update_fields=["user"])
    api_client.force_authenticate(person_user)
    response = api_client.get(f"/api/v1/transfers/{reference}")
    assert response.status_code == 200
    assert response.json()["id_number_masked"].startswith("110105")
    api_client.force_authenticate(make_user(is_staff=False, agency=None))
    assert api_client.get(f"/api/v1/transfers/{reference}").status_code == 404


def test_a_government_system_reads_progress_with_the_read_scope(
    gov_api, api_client, mover, gz, region, local_partner
):
    api_client.force_authenticate(gz["clerk"])
    reference = api_client.post("/api/v1/transfers", application(region), format="json").json()[
        "reference"
    ]
    response = gov_api.get(f"/api/v1/transfers/{reference}")
    # The client belongs to the Beijing agency: it sees Beijing's side only, none here yet.
    assert response.status_code == 404


def test_clerks_of_another_region_cannot_work_a_step(
    api_client, mover, gz, bj, region, local_partner
):
    api_client.force_authenticate(gz["clerk"])
    reference = api_client.post("/api/v1/transfers", application(region), format="json").json()[
        "reference"
    ]
    api_client.force_authenticate(bj["clerk"])
    response = api_client.post(f"/api/v1/transfers/{reference}/steps/1/complete", {})
    assert response.status_code == 404

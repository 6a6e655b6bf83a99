"""Art. 49 and MLPS level 3: a raw dump of the whole database holds no plaintext ID number,
after the number has passed through the API, the audit trail, a case and a data feed."""

import os
import shutil
import subprocess

import pytest
from django.db import connection
from rest_framework.test import APIClient

from conftest import obtain_token

pytestmark = pytest.mark.django_db(transaction=True)

ID_NUMBER = "110101199003074514"


def _dump() -> str:
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for this test"
    db = connection.settings_dict
    return subprocess.run(
        [
            pg_dump,
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            "--data-only",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
    ).stdout


def test_a_dump_of_the_whole_database_holds_no_plaintext_id_number(gov_client, region):
    token = obtain_token(gov_client["client_id"], gov_client["secret"]).json()["access_token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    person = api.post(
        "/api/v1/persons",
        {"id_number": ID_NUMBER, "name": "刘洋", "region_code": "110000"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="person-1",
    )
    assert person.status_code == 201, person.content
    assert ID_NUMBER not in person.content.decode()  # masked in the answer too
    feed = api.post(
        "/api/v1/feeds/death/batches",
        {
            "records": [
                {
                    "source": "民政部门",
                    "source_reference": "D-1",
                    "id_number": ID_NUMBER,
                    "event_date": "2025-03-05",
                }
            ]
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="feed-1",
    )
    assert feed.status_code == 201, feed.content

    from cases.services import case_file
    from core.models import Agency

    case_file(
        item_code="unemployment_benefit",
        channel="counter",
        received_by=Agency.objects.get(code="BJ"),
        by=gov_client["client"].user,
        applicant_id_number=ID_NUMBER,
        applicant_name="刘洋",
        payload={},
    )

    dump = _dump()
    assert "刘洋" in dump  # the dump did capture the rows
    assert ID_NUMBER not in dump
    assert ID_NUMBER[:17] not in dump

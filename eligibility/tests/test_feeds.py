from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from eligibility.models import FeedBatch, FeedRecord
from eligibility.services.feeds import feed_batch_receive, feed_file_parse
from eligibility.tests.factories import feed_record, id_number

pytestmark = pytest.mark.django_db

URL = "/api/v1/feeds/death/batches"


def test_a_batch_keeps_valid_records_and_reports_each_bad_one_with_index_and_field(gov_api):
    good = feed_record(id_number(), "2025-03-05", name="张三")
    bad_number = feed_record("110105199001010000", "2025-03-05")
    bad_date = feed_record(id_number(), "2025-02-30")
    future = feed_record(id_number(), timezone.localdate() + timedelta(days=1))
    bad_source = feed_record(id_number(), "2025-03-05", source="rumour")
    response = gov_api.post(
        URL, {"records": [good, bad_number, bad_date, future, bad_source]}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["received"], body["accepted"]) == (5, 1)
    assert [(r["index"], r["field"]) for r in body["rejected"]] == [
        (1, "id_number"),
        (2, "event_date"),
        (3, "event_date"),
        (4, "source"),
    ]
    assert "校验码" in body["rejected"][0]["message"]
    assert "check character" in body["rejected"][0]["message"]
    record = FeedRecord.objects.get()
    assert record.id_number == good["id_number"]
    assert record.event_date == date(2025, 3, 5)
    assert record.compared_at is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM eligibility_feedrecord")
        assert good["id_number"] not in cursor.fetchone()[0]  # encrypted at rest
    assert FeedBatch.objects.get().errors.count() == 4


def test_resending_records_is_idempotent_by_source_reference(gov_api):
    records = [feed_record(id_number(), "2025-03-05") for _ in range(3)]
    first = gov_api.post(URL, {"records": records}, format="json").json()
    again = gov_api.post(
        URL, {"records": [*records, feed_record(id_number(), "2025-04-01")]}, format="json"
    ).json()
    assert first["accepted"] == 3
    assert again["accepted"] == 1
    assert [d["index"] for d in again["already_received"]] == [0, 1, 2]
    assert again["already_received"][0]["message"].endswith("already received")
    assert FeedRecord.objects.count() == 4


def test_the_same_reference_twice_in_one_batch_is_kept_once(gov_api):
    record = feed_record(id_number(), "2025-03-05")
    body = gov_api.post(URL, {"records": [record, dict(record)]}, format="json").json()
    assert body["accepted"] == 1
    assert [d["index"] for d in body["already_received"]] == [1]


def test_the_same_reference_from_another_source_is_another_record(gov_api):
    number = id_number()
    records = [
        feed_record(number, "2025-03-05", source_reference="X1"),
        feed_record(number, "2025-03-05", source_reference="X1", source="public_security"),
    ]
    assert gov_api.post(URL, {"records": records}, format="json").json()["accepted"] == 2


def test_an_idempotency_key_replays_the_first_answer(gov_api):
    records = [feed_record(id_number(), "2025-03-05")]
    first = gov_api.post(URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    second = gov_api.post(URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert FeedBatch.objects.count() == 1


def test_an_unknown_kind_is_404_and_a_missing_scope_is_403(gov_api, gov_client, api_client):
    assert (
        gov_api.post("/api/v1/feeds/gossip/batches", {"records": [{}]}, format="json").status_code
        == 404
    )
    from conftest import obtain_token

    token = obtain_token(gov_client["client_id"], gov_client["secret"], scope="read").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    response = api_client.post(
        URL, {"records": [feed_record(id_number(), "2025-03-05")]}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")


def test_an_empty_batch_is_refused_field_by_field(gov_api):
    response = gov_api.post(URL, {"records": []}, format="json")
    assert response.status_code == 400
    assert "records" in response.json()["fields"]


def test_the_batch_detail_lists_its_rejected_records(gov_api):
    body = gov_api.post(
        URL,
        {"records": [feed_record("123", "2025-03-05", source_reference="BAD")]},
        format="json",
    ).json()
    detail = gov_api.get(f"{URL}/{body['batch_id']}").json()
    assert detail["rejected"] == [
        {
            "index": 0,
            "source_reference": "BAD",
            "field": "id_number",
            "message": body["rejected"][0]["message"],
        }
    ]


def test_a_batch_is_audited_once_with_its_counts(make_user):
    feed_batch_receive(
        kind="imprisonment",
        records=[feed_record(id_number(), "2025-01-02", source="justice"), {"x": 1}],
        by=None,
    )
    event = AuditEvent.objects.get(action="eligibility.feed_batch.receive")
    assert event.changes["accepted"] == 1
    assert event.changes["rejected"] == 1


def test_a_clerks_csv_file_is_parsed_by_its_header():
    content = (
        "\ufeffsource,source_reference,id_number,event_date,name\n"
        "civil_affairs,R1,11010519491231002X,2025-03-05,张三\n"
    ).encode()
    assert feed_file_parse(content) == [
        {
            "source": "civil_affairs",
            "source_reference": "R1",
            "id_number": "11010519491231002X",
            "event_date": "2025-03-05",
            "name": "张三",
        }
    ]

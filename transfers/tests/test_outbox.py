"""The outbox relay: a partner that is down gets the message later, with backoff, once."""

from __future__ import annotations

import io
import json
import urllib.error
from datetime import timedelta

import pytest
from django.db import transaction

from transfers import signing
from transfers.models import OutboxMessage, OutboxStatus
from transfers.services import relay
from transfers.services.messages import outbox_write
from transfers.services.partners import partner_register
from transfers.tasks import outbox_message_relay_task, periodic_outbox_relay_due_task

pytestmark = pytest.mark.django_db

OUR_KEY = signing.new_private_key()
THEIR_KEY = signing.new_private_key()


@pytest.fixture
def partner(settings, region, other_region):
    settings.TRANSFERS_SIGNING_KEY = OUR_KEY
    settings.TRANSFERS_KEY_ID = "BJ-SI"
    partner_register(code="BJ-LOCAL", name="北京", region_codes=["110000"], local=True, by=None)
    return partner_register(
        code="GZ-SI",
        name="广州",
        region_codes=["440100"],
        base_url="http://127.0.0.1:9",
        public_key=signing.public_key_of(signing.private_key_from(THEIR_KEY)),
        by=None,
    )


def queue(partner):
    with transaction.atomic():
        return outbox_write(partner=partner, transfer=None, kind="refusal", payload={"x": 1})


class Answer(io.BytesIO):
    def __init__(self, status, body, headers):
        super().__init__(body)
        self.status = status
        self.headers = headers

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def partner_answers(status=200, signed=True):
    """A fake urlopen: the partner answers `status`, signing its answer."""
    calls = []

    def urlopen(request, timeout):
        calls.append(json.loads(request.data))
        raw = json.dumps({"status": "processed"}).encode()
        headers = {}
        if signed:
            headers = signing.sign(
                sender="GZ-SI",
                recipient="BJ-SI",
                method="RESPONSE",
                path=str(status),
                message_id=calls[-1]["message_id"],
                body=raw,
                private_key=signing.private_key_from(THEIR_KEY),
            )
        if status >= 400:
            raise urllib.error.HTTPError(request.full_url, status, "no", headers, io.BytesIO(raw))
        return Answer(status, raw, headers)

    return urlopen, calls


def partner_down(request, timeout):
    raise ConnectionRefusedError(111, "Connection refused")


def test_the_backoff_doubles_up_to_the_cap(settings):
    settings.TRANSFERS_RETRY_BASE_SECONDS = 10
    settings.TRANSFERS_RETRY_MAX_SECONDS = 3600
    assert [relay.backoff_seconds(n) for n in range(1, 11)] == [
        10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600,
    ]  # fmt: skip


def test_a_partner_that_is_down_gets_the_message_later_and_once(partner, monkeypatch):
    message = queue(partner)
    monkeypatch.setattr("urllib.request.urlopen", partner_down)
    # Eager (as in tests and `make run`): the retry is left to the sweep's schedule.
    assert outbox_message_relay_task.delay(message.pk).get() == "scheduled"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at - message.last_attempt_at == timedelta(seconds=10)
    assert "Connection refused" in message.last_error
    assert relay.outbox_relay(message_id=message.pk) is None  # not due yet
    relay.outbox_relay(message_id=message.pk, force=True)
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - message.last_attempt_at == timedelta(seconds=20)
    urlopen, calls = partner_answers()
    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=message.next_attempt_at - timedelta(seconds=30)
    )
    assert periodic_outbox_relay_due_task() == {
        "attempted": 1, "delivered": 1, "failed": 0, "pending": 0,
    }  # fmt: skip
    message.refresh_from_db()
    assert (message.status, message.attempts, len(calls)) == (OutboxStatus.DELIVERED, 3, 1)
    assert message.response_body == {"status": "processed"}
    assert message.request_headers[signing.H_SIGNATURE]
    assert calls[0]["message_id"] == str(message.message_id)
    assert periodic_outbox_relay_due_task()["attempted"] == 0
    relay.outbox_relay(message_id=message.pk, force=True)
    assert len(calls) == 1  # delivered messages are never sent again


def test_an_unsigned_success_is_not_a_delivery(partner, monkeypatch):
    message = queue(partner)
    urlopen, _calls = partner_answers(signed=False)
    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    relay.outbox_relay(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "response" in message.last_error


def test_a_refusal_by_the_partner_goes_to_a_clerk_not_back_on_the_wire(partner, monkeypatch):
    message = queue(partner)
    urlopen, calls = partner_answers(status=400)
    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    relay.outbox_relay(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.response_status) == (OutboxStatus.FAILED, 400)
    relay.outbox_relay(message_id=message.pk, force=True)
    assert len(calls) == 1


def test_a_worker_retries_through_celery_with_the_backoff_countdown(partner, monkeypatch):
    from celery.exceptions import Retry

    message = queue(partner)
    monkeypatch.setattr("urllib.request.urlopen", partner_down)
    asked = []

    def retry(countdown):
        asked.append(countdown)
        return Retry(when=countdown)

    monkeypatch.setattr(outbox_message_relay_task, "retry", retry)
    with pytest.raises(Retry):
        outbox_message_relay_task(message.pk)  # as a worker runs it, not eagerly
    relay_again(message)
    with pytest.raises(Retry):
        outbox_message_relay_task(message.pk)
    assert asked == [10, 20]


def relay_again(message):
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)

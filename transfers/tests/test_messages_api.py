"""Signed inter-agency messages: a partner's signature is verified, stale or forged requests are
refused in the project's error format, a duplicate is ignored, and the answer is signed."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from cases.models import Case
from transfers import signing
from transfers.models import InboxMessage, InboxStatus, Transfer
from transfers.procedures import Side, TransferKind
from transfers.services.partners import partner_register
from transfers.tests.conftest import PERSON_ID, person_with_history

pytestmark = pytest.mark.django_db

PATH = "/api/v1/transfers/messages"
OUR_KEY = signing.new_private_key()
THEIR_KEY = signing.new_private_key()


@pytest.fixture
def remote(settings, region, other_region, agency):
    """This deployment serves Beijing; Guangzhou is a partner on its own deployment."""
    settings.TRANSFERS_SIGNING_KEY = OUR_KEY
    settings.TRANSFERS_KEY_ID = "BJ-SI"
    partner_register(code="BJ-LOCAL", name="北京", region_codes=["110000"], local=True, by=None)
    return partner_register(
        code="GZ-SI",
        name="广州市社会保险基金管理中心",
        region_codes=["440100"],
        base_url="https://gz.example.test",
        public_key=signing.public_key_of(signing.private_key_from(THEIR_KEY)),
        by=None,
    )


def letter(reference="ZY4401002026021300AAAA", message_id=None):
    return {
        "message_id": message_id or str(uuid.uuid4()),
        "kind": "contact_letter",
        "reference": reference,
        "sent_at": "2026-02-13T10:00:00+08:00",
        "from_side": "in",
        "transfer": {
            "kind": TransferKind.PENSION_EMP_INTER_AREA,
            "id_number": PERSON_ID,
            "name": "张转移",
            "from_region": "110000",
            "to_region": "440100",
            "is_military": False,
            "military_organ": "",
            "military_document": "",
            "applied_on": "2026-02-13",
        },
        "step": {
            "number": 1,
            "status": "done",
            "started_on": "2026-02-13",
            "deadline": "2026-03-12",
            "deadline_provisional": False,
            "finished_at": "2026-02-16T09:00:00+08:00",
        },
    }


def post_signed(client, body, *, key=THEIR_KEY, sender="GZ-SI", timestamp=None, raw=None):
    raw = raw if raw is not None else json.dumps(body).encode()
    headers = signing.sign(
        sender=sender,
        recipient="BJ-SI",
        method="POST",
        path=PATH,
        message_id=body["message_id"],
        body=json.dumps(body).encode(),
        private_key=signing.private_key_from(key),
        timestamp=timestamp,
    )
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    return client.post(PATH, data=raw, content_type="application/json", **extra)


def test_a_signed_contact_letter_starts_step_two_and_the_answer_is_signed(
    api_client, remote, region
):
    person_with_history(number=PERSON_ID, name="张转移", region=region)
    body = letter()
    response = post_signed(api_client, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "processed"
    transfer = Transfer.objects.get(side=Side.OUT)
    assert transfer.person is not None
    assert transfer.partner == remote
    step2 = transfer.steps.get(number=2)
    assert step2.case.item.code == "pension_transfer_out"
    assert transfer.steps.get(number=1).deadline.isoformat() == "2026-03-12"
    answer_headers = {name: response.headers.get(name, "") for name in signing.SIGNED_HEADERS}
    signing.verify(
        headers={**answer_headers},
        public_key=signing.public_key_of(signing.private_key_from(OUR_KEY)),
        recipient="GZ-SI",
        method="RESPONSE",
        path="200",
        body=response.content,
    )
    inbox = InboxMessage.objects.get()
    assert inbox.body["transfer"]["id_number"] == PERSON_ID
    assert inbox.request_headers[signing.H_SIGNATURE]
    assert inbox.response_body["status"] == "processed"


def test_a_duplicate_message_is_ignored(api_client, remote, region):
    person_with_history(number=PERSON_ID, name="张转移", region=region)
    body = letter()
    first = post_signed(api_client, body)
    second = post_signed(api_client, body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["duplicate"] is True
    assert second.json()["case"] == first.json()["case"]
    assert Transfer.objects.count() == 1
    assert Case.objects.count() == 1
    assert InboxMessage.objects.get().duplicates == 1


def test_a_stale_timestamp_is_refused(api_client, remote):
    response = post_signed(api_client, letter(), timestamp=int(time.time()) - 301)
    assert response.status_code == 401
    assert response.json()["code"] == "timestamp_stale"
    assert set(response.json()) >= {"code", "message", "fields"}
    assert InboxMessage.objects.count() == 0


def test_a_forged_signature_is_refused(api_client, remote):
    response = post_signed(api_client, letter(), key=signing.new_private_key())
    assert (response.status_code, response.json()["code"]) == (401, "signature_invalid")


def test_a_changed_body_is_refused(api_client, remote):
    body = letter()
    tampered = json.dumps({**body, "reference": "ZYX"}).encode()
    response = post_signed(api_client, body, raw=tampered)
    assert (response.status_code, response.json()["code"]) == (401, "digest_mismatch")


def test_an_unknown_sender_is_refused(api_client, remote):
    response = post_signed(api_client, letter(), sender="SZ-SI")
    assert (response.status_code, response.json()["code"]) == (401, "partner_unknown")


def test_an_oauth_client_must_act_for_a_partner(gov_api, remote):
    response = gov_api.post(PATH, data=letter(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] in {"permission_denied", "error"}


def test_an_oauth_client_registered_for_the_partner_is_accepted(
    gov_client, gov_api, remote, region
):
    person_with_history(number=PERSON_ID, name="张转移", region=region)
    remote.api_client = gov_client["client"]
    remote.save(update_fields=["api_client"])
    response = gov_api.post(PATH, data=letter(), format="json")
    assert response.status_code == 200, response.content


def test_a_message_for_a_region_we_do_not_serve_is_rejected_and_kept(api_client, remote):
    body = letter()
    body["transfer"]["from_region"] = "440100"
    body["transfer"]["to_region"] = "110000"
    response = post_signed(api_client, body)
    assert response.status_code == 400
    assert response.json()["code"] == "message_invalid"
    assert InboxMessage.objects.get().status == InboxStatus.REJECTED
    again = post_signed(api_client, body)
    assert (again.status_code, again.json()["duplicate"]) == (400, True)

"""Two agencies on two deployments: a pension transfer from Beijing (server A, database
<db>_xfer_a) to Guangzhou (server B, database <db>_xfer_b), driven over HTTP, with signed messages
between the servers (transfers.signing). Then a retry: B's partner is down, the outbox backs off,
and once A is back the message arrives exactly once.

Each server runs gunicorn with CELERY_TASK_ALWAYS_EAGER=1, so a step's message is relayed in
process as soon as its transaction commits; retries after a failure wait for the sweep, which
the test runs with `manage.py transfers_relay`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings

from transfers import signing

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("transfers_live")]
PASSWORD = "Live-Test-Pass-2026!"


def ric_number(base17: str) -> str:
    from stdnum.cn import ric

    return base17 + ric.calc_check_digit(base17 + "0")


# Named after this run's own database, so engineers testing in parallel never share them.
_BASE = f"{settings.DATABASES['default']['NAME']}{os.environ.get('PYTEST_XDIST_WORKER', '')}"
DB_A, DB_B = f"{_BASE}_xfer_a"[:63], f"{_BASE}_xfer_b"[:63]
MOVER = (ric_number("11010519850315001"), "张转移")
SECOND = (ric_number("11010819900101003"), "王重试")

# Runs inside each deployment (manage.py shell): regions, the agency and its staff, this side's
# LOCAL registration and the other side as a partner, and the people.
SETUP = r"""
import os
from datetime import date
from decimal import Decimal
from django.contrib.auth.models import Group
from accounts.models import User
from core.models import Agency, Region, RegionLevel
from registration.models import (AccountEntry, ContributionRecord, Enrolment, InsuredPerson,
    PersonalAccount)
from transfers.services.partners import partner_register

side = os.environ["XFER_SIDE"]
bj, _ = Region.objects.get_or_create(code="110000", defaults={"name": "北京市",
    "name_en": "Beijing", "level": RegionLevel.PROVINCE})
gz, _ = Region.objects.get_or_create(code="440100", defaults={"name": "广州市",
    "name_en": "Guangzhou", "level": RegionLevel.PREFECTURE})
for region in (bj, gz):
    region.pooling_region = region
    region.save(update_fields=["pooling_region"])
ours, theirs = (bj, gz) if side == "A" else (gz, bj)
our_code, their_code = ("BJ-SI", "GZ-SI") if side == "A" else ("GZ-SI", "BJ-SI")
agency = Agency.objects.create(code=our_code, name=our_code, region=ours)
for role in ("clerk", "reviewer", "supervisor"):
    user = User(username=role, full_name=f"{role} {our_code}", is_staff=True, agency=agency)
    user.set_password(os.environ["XFER_PASSWORD"])
    user.save()
    user.groups.add(Group.objects.get(name=role))
partner_register(code="LOCAL", name=our_code, region_codes=[ours.code], local=True, by=None)
partner_register(code=their_code, name=their_code, region_codes=[theirs.code],
    base_url=os.environ["XFER_PARTNER_URL"], public_key=os.environ["XFER_PARTNER_KEY"],
    our_key_id=our_code, by=None)
for number, name in [tuple(p.split(":")) for p in os.environ["XFER_PEOPLE"].split(",")]:
    person = InsuredPerson.objects.create(id_number=number, name=name,
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        sex="male" if int(number[16]) % 2 else "female", region=ours, channel="counter")
    if side == "A":  # 2015-2024 in Beijing at a base of 6,000 (benefit-rules.md (f))
        ContributionRecord.objects.bulk_create(ContributionRecord(person=person,
            insurance_type="pension_employee", month=date(year, month, 1), region=bj,
            base=Decimal("6000.00"), employer_amount=Decimal("960.00"),
            personal_amount=Decimal("480.00"), source="collection")
            for year in range(2015, 2025) for month in range(1, 13))
        Enrolment.objects.create(person=person, insurance_type="pension_employee", region=bj,
            start_date=date(2015, 1, 1), end_date=date(2024, 12, 31), status="ended")
        account = PersonalAccount.objects.create(person=person, region=bj)
        AccountEntry.objects.create(account=account, kind="contribution", year=2024,
            amount=Decimal("65000.00"))
    else:  # enrolled and contributing at the new place before applying (66号 Art. 8)
        Enrolment.objects.create(person=person, insurance_type="pension_employee", region=gz,
            start_date=date(2025, 1, 1))
print("ok")
"""

# Reads a deployment's records for the assertions (registration and the outbox).
QUERY = r"""
import json, os
from registration.models import ContributionRecord, Enrolment
from registration.selectors import account_balance, contribution_months, person_get_by_id_number
from transfers.models import InboxMessage, OutboxMessage
person = person_get_by_id_number(os.environ["XFER_PERSON"])
reference = os.environ.get("XFER_REF", "")
print(json.dumps({
    "months": contribution_months(person_id=person.pk, insurance_type="pension_employee"),
    "transfer_in_records": ContributionRecord.objects.filter(person=person,
        source="transfer_in").count(),
    "balance": str(account_balance(person_id=person.pk)),
    "enrolments": list(Enrolment.objects.filter(person=person).values_list("status", flat=True)),
    "outbox": [
        {"kind": m.kind, "status": m.status, "attempts": m.attempts,
         "message_id": str(m.message_id), "error": m.last_error,
         "backoff": (m.next_attempt_at - m.last_attempt_at).total_seconds()
             if m.last_attempt_at else None}
        for m in OutboxMessage.objects.filter(transfer__reference=reference).order_by("pk")],
    "inbox": [
        {"kind": m.kind, "message_id": str(m.message_id), "duplicates": m.duplicates}
        for m in InboxMessage.objects.filter(reference=reference).order_by("pk")],
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _db_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin_sql(*statements: str) -> None:
    import psycopg2

    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


@dataclass
class Deployment:
    name: str
    database: str
    port: int
    key: str
    key_id: str
    process: subprocess.Popen[str] | None = None
    sessions: dict[str, requests.Session] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER", "CACHE_URL"}
            and not key.startswith("TRANSFERS_")
        }
        env.update(
            DJANGO_ENV_FILE="config/env/test.env",
            DATABASE_URL=_db_url(self.database),
            CACHE_URL="locmemcache://",
            CELERY_TASK_ALWAYS_EAGER="1",
            CELERY_BROKER_URL="memory://",
            OTP_REQUIRED="0",
            OFFICE_HOURS_END="",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            TRANSFERS_SIGNING_KEY=self.key,
            TRANSFERS_KEY_ID=self.key_id,
            PYTHONUNBUFFERED="1",
            **extra,
        )
        return env

    def manage(self, *args: str, **extra: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def query(self, person: str, reference: str = "") -> dict[str, Any]:
        out = self.manage("shell", "-c", QUERY, XFER_PERSON=person, XFER_REF=reference)
        return dict(json.loads(out.strip().splitlines()[-1]))

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stop()[-3000:]
            try:
                if requests.get(f"{self.url}/accounts/login/", timeout=20).status_code == 200:
                    self.sessions.clear()
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError(f"{self.name} did not start: {self.stop()[-3000:]}")

    def stop(self) -> str:
        if self.process is None:
            return ""
        self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        self.process = None
        return out

    def as_user(self, username: str) -> requests.Session:
        if username not in self.sessions:
            session = requests.Session()
            session.get(f"{self.url}/accounts/login/", timeout=10)
            response = session.post(
                f"{self.url}/accounts/login/",
                data={
                    "username": username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": session.cookies["csrftoken"],
                },
                timeout=10,
            )
            assert response.status_code == 200, response.text[-2000:]
            assert "sessionid" in session.cookies, f"{username} could not log in"
            session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
            self.sessions[username] = session
        return self.sessions[username]

    def post(self, username: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.as_user(username).post(f"{self.url}{path}", json=body or {}, timeout=60)
        assert response.status_code in (200, 201), (path, response.status_code, response.text)
        return response.json()

    def get(self, username: str, path: str) -> Any:
        response = self.as_user(username).get(f"{self.url}{path}", timeout=30)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()


@pytest.fixture(scope="module")
def deployments() -> Iterator[tuple[Deployment, Deployment]]:
    started = time.monotonic()
    key_a, key_b = signing.new_private_key(), signing.new_private_key()
    a = Deployment("A (Beijing)", DB_A, _free_port(), key_a, "BJ-SI")
    b = Deployment("B (Guangzhou)", DB_B, _free_port(), key_b, "GZ-SI")
    drop = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in (DB_A, DB_B)]
    try:
        _admin_sql(*drop, f"CREATE DATABASE {DB_A}")
        a.manage("migrate", "--noinput")
        # B's schema is A's, migrated: a copy of the freshly migrated database is the same as
        # migrating again, in a second instead of forty.
        _admin_sql(f"CREATE DATABASE {DB_B} TEMPLATE {DB_A}")
        public = {d.name: signing.public_key_of(signing.private_key_from(d.key)) for d in (a, b)}
        people = ",".join(f"{number}:{name}" for number, name in (MOVER, SECOND))
        for this, other, side in ((a, b, "A"), (b, a, "B")):
            this.manage(
                "shell",
                "-c",
                SETUP,
                XFER_SIDE=side,
                XFER_PARTNER_URL=other.url,
                XFER_PARTNER_KEY=public[other.name],
                XFER_PASSWORD=PASSWORD,
                XFER_PEOPLE=people,
            )
        a.start()
        b.start()
        print(f"\n[transfers live] two deployments ready in {time.monotonic() - started:.1f}s")
        yield a, b
    finally:
        logs = a.stop() + b.stop()  # also when setting up failed half-way
        if os.environ.get("TRANSFERS_LIVE_LOGS"):
            print(logs[-5000:])
        _admin_sql(*drop)


def _step(transfer: dict[str, Any], number: int) -> dict[str, Any]:
    return next(step for step in transfer["steps"] if step["number"] == number)


def test_a_pension_transfer_between_two_deployments(deployments):
    a, b = deployments
    started = time.monotonic()
    # 1. The person applies in Guangzhou (B), which checks and sends the contact letter.
    applied = b.post(
        "clerk",
        "/api/v1/transfers",
        {
            "kind": "PENSION_EMP_INTER_AREA",
            "id_number": MOVER[0],
            "name": MOVER[1],
            "other_region": "110000",
            "channel": "counter",
        },
    )
    reference = applied["reference"]
    assert _step(applied, 1)["deadline"]
    assert _step(applied, 1)["case_number"]
    b.post("clerk", f"/api/v1/transfers/{reference}/steps/1/complete")
    # The letter reached Beijing (A) over HTTP, signed; A filed step 2 as a case.
    at_a = a.get("clerk", f"/api/v1/transfers/{reference}")
    assert (at_a["side"], at_a["current_step"]) == ("out", 2)
    assert _step(at_a, 1)["status"] == "done"
    assert _step(at_a, 2)["case_number"]
    assert _step(at_a, 2)["deadline"]

    # 2. Beijing computes and sends the record and the funds: 151,400 needs two approvals.
    proposed = a.post("clerk", f"/api/v1/transfers/{reference}/steps/2/complete")
    assert _step(proposed, 2)["awaiting_approval"] is True
    assert proposed["amounts"]["pooled_fund"] == "86400.00"
    a.post("reviewer", f"/api/v1/transfers/{reference}/steps/2/approve")
    sent = a.post("supervisor", f"/api/v1/transfers/{reference}/steps/2/approve")
    assert _step(sent, 2)["status"] == "done"

    # 3. Guangzhou received them, checked the 12% rule, and takes them in.
    at_b = b.get("clerk", f"/api/v1/transfers/{reference}")
    assert at_b["current_step"] == 3
    assert at_b["amounts"] == {
        **at_b["amounts"],
        "pooled_fund": "86400.00",
        "recomputed_pooled_fund": "86400.00",
        "account_balance": "65000.00",
        "total": "151400.00",
        "months": 120,
    }
    b.post(
        "clerk",
        f"/api/v1/transfers/{reference}/steps/3/complete",
        {"funds_received": "151400.00"},
    )
    b.post("reviewer", f"/api/v1/transfers/{reference}/steps/3/approve")
    b.post("supervisor", f"/api/v1/transfers/{reference}/steps/3/approve")

    done_b = b.get("clerk", f"/api/v1/transfers/{reference}")
    done_a = a.get("clerk", f"/api/v1/transfers/{reference}")
    for done in (done_a, done_b):
        assert (done["status"], done["reconciliation"]) == ("completed", "matched")
        assert [step["status"] for step in done["steps"]] == ["done", "done", "done"]
        assert all(step["deadline"] for step in done["steps"])
    # The history and the account arrived in Guangzhou and left Beijing.
    in_b = b.query(MOVER[0], reference)
    assert (in_b["months"], in_b["transfer_in_records"]) == (120, 120)
    assert Decimal(in_b["balance"]) == Decimal("65000.00")
    in_a = a.query(MOVER[0], reference)
    assert Decimal(in_a["balance"]) == Decimal("0.00")
    assert in_a["enrolments"] == ["transferred_out"]
    assert [m["kind"] for m in in_b["outbox"]] == ["contact_letter", "intake_result"]
    assert [m["kind"] for m in in_a["inbox"]] == ["contact_letter", "intake_result"]
    assert [m["kind"] for m in in_a["outbox"]] == ["package"]
    assert all(m["status"] == "delivered" and m["attempts"] == 1 for m in in_b["outbox"])
    print(f"[transfers live] three steps over HTTP in {time.monotonic() - started:.1f}s")


def test_a_message_to_a_partner_that_is_down_is_retried_and_delivered_once(deployments):
    a, b = deployments
    applied = b.post(
        "clerk",
        "/api/v1/transfers",
        {
            "kind": "PENSION_EMP_INTER_AREA",
            "id_number": SECOND[0],
            "name": SECOND[1],
            "other_region": "110000",
        },
    )
    reference = applied["reference"]
    a.stop()  # Beijing is down: its port is closed
    b.post("clerk", f"/api/v1/transfers/{reference}/steps/1/complete")
    outbox = b.query(SECOND[0], reference)["outbox"]
    assert len(outbox) == 1
    letter = outbox[0]
    assert (letter["status"], letter["attempts"], letter["backoff"]) == ("pending", 1, 10.0)
    assert "refused" in letter["error"].lower()
    assert b.manage("transfers_relay", "--now").strip() == (
        "attempted=1 delivered=0 failed=0 pending=1"
    )
    letter = b.query(SECOND[0], reference)["outbox"][0]
    assert (letter["attempts"], letter["backoff"]) == (2, 20.0)  # the backoff doubles

    a.start()  # Beijing is back
    assert b.manage("transfers_relay").strip().startswith("attempted=0")  # not due yet
    assert b.manage("transfers_relay", "--now").strip() == (
        "attempted=1 delivered=1 failed=0 pending=0"
    )
    assert b.manage("transfers_relay", "--now").strip().startswith("attempted=0")
    letter = b.query(SECOND[0], reference)["outbox"][0]
    assert (letter["status"], letter["attempts"]) == ("delivered", 3)
    inbox = a.query(SECOND[0], reference)["inbox"]
    assert inbox == [
        {"kind": "contact_letter", "message_id": letter["message_id"], "duplicates": 0}
    ]
    at_a = a.get("clerk", f"/api/v1/transfers/{reference}")
    assert (at_a["side"], at_a["current_step"]) == ("out", 2)

    # The same message again (a resend after a lost answer) is recognised and changes nothing.
    b.manage(
        "shell",
        "-c",
        "from transfers.models import OutboxMessage as M; "
        f"M.objects.filter(message_id='{letter['message_id']}').update(status='pending')",
    )
    assert b.manage("transfers_relay", "--now").strip() == (
        "attempted=1 delivered=1 failed=0 pending=0"
    )
    inbox = a.query(SECOND[0], reference)["inbox"]
    assert (len(inbox), inbox[0]["duplicates"]) == (1, 1)
    assert a.get("clerk", f"/api/v1/transfers/{reference}")["current_step"] == 2

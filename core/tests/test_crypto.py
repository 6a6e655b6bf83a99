"""Encryption at rest (Art. 49): no plaintext in a dump, lookup by keyed hash, key rotation."""

import base64
import os
import shutil
import subprocess

import pytest
from django.db import connection

from core import crypto
from core.models import Region
from registration.models import Employer

BANK_ACCOUNT = "6222020200112233445"


def _employer(region, **fields):
    defaults = {
        "credit_code": "91110000600037341L",
        "name": "示范公司",
        "legal_representative": "李明",
        "address": "北京",
        "region": region,
        "bank_account": BANK_ACCOUNT,
    }
    defaults.update(fields)
    return Employer.objects.create(**defaults)


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_plaintext_number():
    region = Region.objects.create(code="110000", name="北京市", level="province")
    _employer(region)
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for this test"
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    dump = subprocess.run(
        [
            pg_dump,
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            "--data-only",
            "-t",
            "registration_employer",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert "示范公司" in dump  # the dump did capture the row
    assert BANK_ACCOUNT not in dump
    assert BANK_ACCOUNT[-8:] not in dump


@pytest.mark.django_db
def test_lookup_by_keyed_hash(region):
    employer = _employer(region)
    digest = crypto.blind_index(BANK_ACCOUNT, purpose="bank_account")
    assert Employer.objects.get(bank_account_hash=digest) == employer
    stored = Employer.objects.filter(pk=employer.pk).values_list("bank_account", flat=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bank_account FROM registration_employer WHERE id = %s", [employer.pk]
        )
        raw = cursor.fetchone()[0]
    assert raw.startswith("v1:")
    assert list(stored) == [BANK_ACCOUNT]


def test_hash_is_separated_by_purpose():
    assert crypto.blind_index("110101199003074514", purpose="id_number") != crypto.blind_index(
        "110101199003074514", purpose="bank_account"
    )


@pytest.mark.django_db
def test_rotating_to_a_new_key_keeps_old_rows_readable(region, settings):
    old = _employer(region)
    new_key = base64.b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_KEYS = [f"2:{new_key}", *settings.FIELD_ENCRYPTION_KEYS]
    newer = _employer(region, credit_code="91110105MA01DEMX1K", bank_account="6222000011112222")
    rows = dict(Employer.objects.values_list("pk", "bank_account"))
    assert rows == {old.pk: BANK_ACCOUNT, newer.pk: "6222000011112222"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, bank_account FROM registration_employer ORDER BY id")
        versions = [crypto.key_version_of(value) for _pk, value in cursor.fetchall()]
    assert versions == ["1", "2"]

    from django.core.management import call_command

    call_command("rotate_encryption_key")
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM registration_employer")
        assert {crypto.key_version_of(value) for (value,) in cursor.fetchall()} == {"2"}
    assert Employer.objects.get(pk=old.pk).bank_account == BANK_ACCOUNT


def test_a_tampered_ciphertext_is_refused():
    from cryptography.exceptions import InvalidTag

    token = crypto.encrypt("110101199003074514", purpose="id_number")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, purpose="bank_account")  # purpose is bound in

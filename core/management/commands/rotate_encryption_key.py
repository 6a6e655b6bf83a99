"""manage.py rotate_encryption_key: re-encrypt every encrypted field under the newest key.

Prepend the new key to FIELD_ENCRYPTION_KEYS, deploy, run this, then drop the old key.
Rows are walked by id range, so it can run on a live system and be re-run safely."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from audit.services import audit_event_record
from core import crypto
from core.fields import EncryptedField

BATCH = 2000


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields under the newest key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        current = f"v{crypto.current_key_version()}:"
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
            for field in fields:
                total += self._rotate(model, field, current)
        with transaction.atomic():
            audit_event_record(
                actor=None,
                action="core.encryption.rotate",
                changes={"rows": [None, total], "key_version": [None, current.strip("v:")]},
            )
        self.stdout.write(self.style.SUCCESS(f"re-encrypted {total} values under {current[:-1]}"))

    def _rotate(self, model: Any, field: EncryptedField, current: str) -> int:
        table, column = model._meta.db_table, field.column
        rotated, last_id = 0, 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT id FROM "{table}" WHERE id > %s AND "{column}" <> \'\' '  # noqa: S608
                    f'AND "{column}" NOT LIKE %s ORDER BY id LIMIT %s',
                    [last_id, current + "%", BATCH],
                )
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return rotated
            with transaction.atomic():
                rows = list(model.objects.filter(pk__in=ids).select_for_update().only(field.name))
                model.objects.bulk_update(rows, [field.name])
            rotated, last_id = rotated + len(rows), ids[-1]

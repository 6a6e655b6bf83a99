"""Audit trail write rate: chained events (lock, previous hash, SHA-256) against plain INSERTs of
the same rows into an identical table without the chain."""

from __future__ import annotations

from django.db import connection, transaction

from bench.harness import Result, timed

EVENTS = 5000


def run() -> list[Result]:
    from audit.models import AuditEvent
    from audit.services import audit_event_record

    with timed() as chained:
        for number in range(EVENTS):
            with transaction.atomic():
                audit_event_record(actor=None, action="bench.audit.write", note=f"event {number}")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audit_plain")
        cursor.execute(f"CREATE TABLE bench_audit_plain (LIKE {AuditEvent._meta.db_table})")
    columns = (
        "occurred_at, actor_label, actor_kind, action, target_type, target_id, target_repr,"
        " changes, note, request_id, prev_hash, hash"
    )
    with timed() as plain:
        for number in range(EVENTS):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO bench_audit_plain (id, {columns}) VALUES "
                    "(%s, now(), 'system', 'system', 'bench', '', '', '', '{}', %s, '', '', %s)",
                    [number, f"event {number}", f"h{number}"],
                )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_audit_plain")
    return [Result("audit_chained_write_5k", chained(), plain(), target=4.0)]

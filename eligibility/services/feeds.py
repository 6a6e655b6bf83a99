"""Feeds from other authorities (Art. 8): batches of records, each checked on its own.

Good records are kept, bad ones come back one by one (index, field, message) for the sender to
correct and resend, and a record received before (same kind, source and source reference) is
reported as already received and changes nothing: INSERT ... ON CONFLICT DO NOTHING against that
natural key, so a resent batch or a retried request has one effect.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from audit.services import audit_event_record
from core import crypto
from core.identity import EARLIEST_BIRTH, parse_citizen_id
from eligibility.errors import FeedBatchTooLargeError
from eligibility.models import FeedBatch, FeedChannel, FeedKind, FeedRecord, FeedRecordError
from eligibility.models.feeds import FeedSource

if TYPE_CHECKING:
    from accounts.models import User

MAX_RECORDS = 100_000
RECORD_FIELDS = ("source", "source_reference", "id_number", "event_date", "name")
ALREADY_RECEIVED = "已接收过 / already received"


@dataclass(frozen=True)
class RecordError:
    index: int
    field: str
    message: str
    source_reference: str = ""


@dataclass
class FeedBatchResult:
    batch: FeedBatch
    duplicates: list[RecordError] = field(default_factory=list)
    rejected: list[RecordError] = field(default_factory=list)


@dataclass(frozen=True)
class _Clean:
    index: int
    source: str
    source_reference: str
    id_number: str
    event_date: date
    name: str
    data: dict[str, Any]


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def _clean(index: int, record: Any, today: date) -> _Clean | RecordError:
    """The record, checked field by field; the first thing wrong is reported."""
    if not isinstance(record, Mapping):
        return RecordError(index, "record", "记录须为对象 / each record must be an object")
    reference = _text(record, "source_reference")
    source = _text(record, "source")
    if source not in FeedSource.values:
        return RecordError(
            index,
            "source",
            f"来源无效，可选：{', '.join(FeedSource.values)} / unknown source, use one of: "
            f"{', '.join(FeedSource.values)}",
            reference,
        )
    if not reference or len(reference) > 100:
        return RecordError(
            index,
            "source_reference",
            "来源编号不能为空且不超过100个字符 / the source reference is required, at most 100 "
            "characters",
            reference[:100],
        )
    try:
        number = parse_citizen_id(_text(record, "id_number")).number
    except ValidationError as exc:
        return RecordError(index, "id_number", "; ".join(exc.messages), reference)
    event = _event_date(record.get("event_date"), today)
    if isinstance(event, str):
        return RecordError(index, "event_date", event, reference)
    name = _text(record, "name")
    if len(name) > 100:
        return RecordError(
            index, "name", "姓名不超过100个字符 / the name has at most 100 characters", reference
        )
    extra = record.get("data") or {}
    if not isinstance(extra, Mapping):
        return RecordError(index, "data", "附加数据须为对象 / data must be an object", reference)
    return _Clean(index, source, reference, number, event, name, dict(extra))


def _event_date(value: Any, today: date) -> date | str:
    try:
        event = value if isinstance(value, date) else date.fromisoformat(str(value or ""))
    except ValueError:
        return "事件日期须为YYYY-MM-DD / the event date must be YYYY-MM-DD"
    if event > today:
        day = event.isoformat()
        return f"事件日期{day}晚于今天 / the event date {day} is in the future"
    if event < EARLIEST_BIRTH:
        return "事件日期早于1900年 / the event date is before 1900"
    return event


def feed_batch_receive(
    *,
    kind: str,
    records: Sequence[Any],
    channel: str = FeedChannel.API,
    by: User | None,
    file_name: str = "",
) -> FeedBatchResult:
    """Keep the valid records of a batch of one kind (Art. 8); report each rejected one and
    each already received. The comparison run picks the kept ones up (Art. 26)."""
    if kind not in FeedKind.values:
        raise ValueError(f"unknown feed kind {kind!r}")
    if len(records) > MAX_RECORDS:
        raise FeedBatchTooLargeError(
            f"一批最多{MAX_RECORDS}条 / at most {MAX_RECORDS} records per batch",
            limit=MAX_RECORDS,
        )
    today = timezone.localdate()
    clean: list[_Clean] = []
    rejected: list[RecordError] = []
    duplicates: list[RecordError] = []
    seen: set[tuple[str, str]] = set()
    for index, record in enumerate(records):
        checked = _clean(index, record, today)
        if isinstance(checked, RecordError):
            rejected.append(checked)
        elif (checked.source, checked.source_reference) in seen:
            duplicates.append(
                RecordError(index, "source_reference", ALREADY_RECEIVED, checked.source_reference)
            )
        else:
            seen.add((checked.source, checked.source_reference))
            clean.append(checked)
    with transaction.atomic():
        batch = FeedBatch.objects.create(
            kind=kind,
            channel=channel,
            received_by=by if by is not None and by.is_authenticated else None,
            file_name=file_name[:200],
            records_received=len(records),
        )
        inserted = _insert(batch, kind, clean)
        duplicates.extend(
            RecordError(row.index, "source_reference", ALREADY_RECEIVED, row.source_reference)
            for row in clean
            if (row.source, row.source_reference) not in inserted
        )
        duplicates.sort(key=lambda error: error.index)
        FeedRecordError.objects.bulk_create(
            [
                FeedRecordError(
                    batch=batch,
                    index=error.index,
                    source_reference=error.source_reference,
                    field=error.field,
                    message=error.message[:300],
                )
                for error in rejected
            ],
            batch_size=5000,
        )
        batch.records_accepted = len(inserted)
        batch.records_duplicate = len(duplicates)
        batch.records_rejected = len(rejected)
        batch.save(update_fields=["records_accepted", "records_duplicate", "records_rejected"])
        audit_event_record(
            actor=by,
            action="eligibility.feed_batch.receive",
            target=batch,
            changes={
                "kind": kind,
                "received": len(records),
                "accepted": len(inserted),
                "already_received": len(duplicates),
                "rejected": len(rejected),
            },
            note=file_name,
        )
    return FeedBatchResult(batch, duplicates, rejected)


def _insert(batch: FeedBatch, kind: str, rows: list[_Clean]) -> set[tuple[str, str]]:
    """Insert set-based (one statement per 5,000 rows, columns passed as arrays); returns the
    (source, reference) pairs that were new."""
    table = FeedRecord._meta.db_table
    now = timezone.now()
    inserted: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.execute(
                f"""INSERT INTO {table} (batch_id, kind, source, source_reference, id_number,
                        id_number_hash, name, event_date, data, received_at)
                    SELECT %s, %s, r.source, r.reference, r.id_number, r.id_hash, r.name,
                           r.event_date, r.data::jsonb, %s
                    FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                                %s::date[], %s::text[])
                         AS r(source, reference, id_number, id_hash, name, event_date, data)
                    ON CONFLICT ON CONSTRAINT feed_record_source_reference DO NOTHING
                    RETURNING source, source_reference""",  # noqa: S608 - our table name
                [
                    batch.pk,
                    kind,
                    now,
                    [row.source for row in chunk],
                    [row.source_reference for row in chunk],
                    [crypto.encrypt(row.id_number, purpose="id_number") for row in chunk],
                    [crypto.blind_index(row.id_number, purpose="id_number") for row in chunk],
                    [row.name for row in chunk],
                    [row.event_date for row in chunk],
                    [json.dumps(row.data, ensure_ascii=False) for row in chunk],
                ],
            )
            inserted.update((source, reference) for source, reference in cursor.fetchall())
    return inserted


def feed_file_parse(content: bytes) -> list[dict[str, str]]:
    """A clerk's CSV file (UTF-8, optional BOM): a header row naming the columns source,
    source_reference, id_number, event_date and optionally name."""
    text = content.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    return [
        {key.strip(): (value or "").strip() for key, value in row.items() if key}
        for row in _limited(reader)
    ]


def _limited(rows: Iterable[dict[str, str]]) -> Iterable[dict[str, str]]:
    for number, row in enumerate(rows):
        if number >= MAX_RECORDS:
            raise FeedBatchTooLargeError(
                f"一批最多{MAX_RECORDS}条 / at most {MAX_RECORDS} records per batch",
                limit=MAX_RECORDS,
            )
        yield row

"""Contribution records from the collection authority (Art. 11), loaded set-based.

A batch goes: Python resolves the few distinct ID numbers, credit codes and region codes to ids
and streams the rows as CSV into a temporary staging table (COPY); SQL checks every row in one
pass, inserts the good ones with INSERT ... SELECT ... ON CONFLICT DO NOTHING against the natural
key (batch, line), and posts the personal parts of the pension rows to the personal accounts.
No row-by-row ORM work, so a million records load in seconds (bench/bench_registration.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from audit.services import audit_event_record
from core.models import Region
from registration.errors import ContributionAlreadyReversedError
from registration.models import (
    AccountEntry,
    AccountEntryKind,
    ContributionBatch,
    ContributionBatchError,
    ContributionBatchStatus,
    ContributionKind,
    ContributionRecord,
    ContributionSource,
    Employer,
    InsuranceType,
    InsuredPerson,
    PersonalAccount,
)
from registration.services.persons import id_number_hash

if TYPE_CHECKING:
    from accounts.models import User

RECORD_FIELDS = (
    "line",
    "id_number",
    "insurance_type",
    "month",
    "base",
    "employer_amount",
    "personal_amount",
    "source",
    "credit_code",
    "region_code",
)
# Sources the collection authority may send; corrections are made here, never sent.
BATCH_SOURCES = (
    ContributionSource.COLLECTION,
    ContributionSource.BACK_PAYMENT,
    ContributionSource.TRANSFER_IN,
)
_STAGE = "registration_batch_stage"
_AMOUNT = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"

# One CASE over the staging table: the first thing wrong with each row, or NULL.
_ROW_CHECK = f"""CASE
    WHEN line IS NULL OR line !~ '^[0-9]{{1,9}}$' THEN 'line'
    WHEN person_id IS NULL THEN 'id_number'
    WHEN insurance_type IS NULL OR insurance_type NOT IN ({
    ", ".join(f"'{value}'" for value in InsuranceType.values)
}) THEN 'insurance_type'
    WHEN month IS NULL OR month !~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$' OR month > %(this_month)s
        THEN 'month'
    WHEN base IS NULL OR base !~ '{_AMOUNT}' OR base::numeric <= 0 THEN 'base'
    WHEN employer_amount IS NULL OR employer_amount !~ '{_AMOUNT}' THEN 'employer_amount'
    WHEN personal_amount IS NULL OR personal_amount !~ '{_AMOUNT}' THEN 'personal_amount'
    WHEN source IS NULL OR source NOT IN ({", ".join(f"'{value}'" for value in BATCH_SOURCES)})
        THEN 'source'
    WHEN bad_employer THEN 'credit_code'
    WHEN bad_region THEN 'region_code'
END"""
ERROR_MESSAGES = {
    "line": "行号须为正整数且在批次内唯一 / the line number must be a whole number, unique",
    "id_number": "身份证号码未登记或无效 / the ID number is invalid or not registered",
    "insurance_type": "险种无效 / unknown insurance type",
    "month": "费款所属期须为YYYY-MM且不晚于本月 / the month must be YYYY-MM, not in the future",
    "base": "缴费基数须为正数，最多两位小数 / the base must be positive, at most two decimals",
    "employer_amount": "单位缴费金额无效 / the employer amount is not a valid amount",
    "personal_amount": "个人缴费金额无效 / the personal amount is not a valid amount",
    "source": "来源无效 / the source must be collection, back_payment or transfer_in",
    "credit_code": "统一社会信用代码未登记 / no employer is registered with this credit code",
    "region_code": "区划代码未知 / unknown region code",
}


def contribution_batch_receive(
    *,
    external_id: str,
    records: Sequence[Mapping[str, Any]],
    region: Region,
    by: User,
    post_to_account: bool = True,
    person_id: int | None = None,
    skip_held_months: bool = False,
) -> tuple[ContributionBatch, bool]:
    """Load a batch of contribution records (Art. 11). Idempotent by the sender's batch id: the
    same id again returns the first result (created False). Good records load, bad ones are
    reported line by line in `batch.errors`; the sender corrects and resends those.

    `post_to_account=False` loads a history whose account balance arrives as one transfer-in
    posting instead (a relationship transfer, Art. 12): posting both would count it twice.
    `person_id` makes every record that person's (a history received for one person carries no
    ID numbers). `skip_held_months` leaves out a month of a type the person already has an
    unreversed entry for (a deployment serving both regions of a transfer holds it already)."""
    existing = ContributionBatch.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Two deliveries of one batch at once: the second waits here, then finds the first.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"contribution-batch:{external_id}"]
            )
        existing = ContributionBatch.objects.filter(external_id=external_id).first()
        if existing is not None:
            return existing, False
        batch = ContributionBatch.objects.create(
            external_id=external_id,
            received_by=by,
            status=ContributionBatchStatus.REJECTED,
            records_received=len(records),
        )
        with connection.cursor() as cursor:
            _stage(cursor, records, person_id=person_id)
            rejected = _record_errors(cursor, batch)
            loaded = _insert_records(
                cursor, batch, region, has_errors=rejected > 0, skip_held_months=skip_held_months
            )
            if post_to_account:
                _post_to_accounts(cursor, batch)
        batch.records_loaded = loaded
        # Every good line loads in a new batch, except months skipped as already held.
        batch.records_rejected = rejected
        batch.status = (
            ContributionBatchStatus.ACCEPTED
            if not rejected
            else ContributionBatchStatus.PARTIAL
            if loaded
            else ContributionBatchStatus.REJECTED
        )
        batch.save(update_fields=["records_loaded", "records_rejected", "status"])
        changes = {"received": batch.records_received, "loaded": loaded, "rejected": rejected}
        if skip_held_months:
            changes["already_held"] = len(records) - loaded - rejected
        audit_event_record(
            actor=by,
            action="registration.contribution_batch.receive",
            target=batch,
            changes=changes,
        )
    return batch, True


def contribution_history_transfer_in(
    *,
    external_id: str,
    person_id: int,
    insurance_type: str,
    history: Sequence[Mapping[str, Any]],
    region: Region,
    by: User,
) -> ContributionBatch:
    """Credit the monthly history a relationship transfer brought (Arts. 12-14; SIL Art. 52:
    the months add up) as records with source "transfer in", through the batch path. The
    account balance arrives as one transfer-in posting (accounts.account_post), so these
    records post nothing to the account; a month the person already holds is not added again.
    Each history line: `month` (YYYY-MM), `base`, `employer_amount`, `personal_amount` and
    optionally `region_code` (a region unknown here counts as `region`). Loading the same
    `external_id` again loads nothing."""
    codes = {str(line.get("region_code") or "") for line in history} - {""}
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    records = [
        {
            "line": number,
            "insurance_type": insurance_type,
            "month": line["month"],
            "base": str(line["base"]),
            "employer_amount": str(line["employer_amount"]),
            "personal_amount": str(line["personal_amount"]),
            "source": ContributionSource.TRANSFER_IN,
            "region_code": code if (code := str(line.get("region_code") or "")) in known else "",
        }
        for number, line in enumerate(history, start=1)
    ]
    batch, _created = contribution_batch_receive(
        external_id=external_id,
        records=records,
        region=region,
        by=by,
        post_to_account=False,
        person_id=person_id,
        skip_held_months=True,
    )
    return batch


def _lookups(
    records: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The distinct ID numbers, credit codes and region codes of a batch, resolved to ids."""
    numbers = {str(r.get("id_number") or "").strip().upper() for r in records} - {""}
    hashes = {id_number_hash(number): number for number in numbers}
    persons: dict[str, int] = {}
    keys = list(hashes)
    for start in range(0, len(keys), 5000):
        for person_id, digest in InsuredPerson.objects.filter(
            id_number_hash__in=keys[start : start + 5000]
        ).values_list("pk", "id_number_hash"):
            persons[hashes[digest]] = person_id
    codes = {str(r.get("credit_code") or "").strip().upper() for r in records} - {""}
    employers = dict(
        Employer.objects.filter(credit_code__in=codes).values_list("credit_code", "pk")
    )
    region_codes = {str(r.get("region_code") or "").strip() for r in records} - {""}
    regions = dict(Region.objects.filter(code__in=region_codes).values_list("code", "pk"))
    return persons, employers, regions


def _stage(cursor: Any, records: Sequence[Mapping[str, Any]], person_id: int | None) -> None:
    persons, employers, regions = _lookups(records)
    # ON COMMIT DROP ends them with the transaction; an outer transaction may load two batches.
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}, {_STAGE}_errors")
    cursor.execute(
        f"""CREATE TEMP TABLE {_STAGE} (
            seq integer, line text, person_id bigint, insurance_type text, month text,
            base text, employer_amount text, personal_amount text, source text,
            employer_id bigint, bad_employer boolean, region_id bigint, bad_region boolean
        ) ON COMMIT DROP"""
    )
    buffer = io.StringIO()
    write = csv.writer(buffer).writerow
    for seq, r in enumerate(records, 1):
        code = str(r.get("credit_code") or "").strip().upper()
        region_code = str(r.get("region_code") or "").strip()
        employer_id = employers.get(code)
        region_id = regions.get(region_code)
        write(
            (
                seq,
                r.get("line", seq),
                person_id or persons.get(str(r.get("id_number") or "").strip().upper()),
                r.get("insurance_type"),
                r.get("month"),
                r.get("base"),
                r.get("employer_amount"),
                r.get("personal_amount"),
                r.get("source", ContributionSource.COLLECTION),
                employer_id,
                "t" if code and employer_id is None else "f",
                region_id,
                "t" if region_code and region_id is None else "f",
            )
        )
    buffer.seek(0)
    cursor.copy_expert(f"COPY {_STAGE} FROM STDIN WITH (FORMAT csv)", buffer)


def _record_errors(cursor: Any, batch: ContributionBatch) -> int:
    """Write one error per bad line (and per repeated line number); return how many lines."""
    this_month = timezone.localdate().strftime("%Y-%m")
    cursor.execute(
        f"""CREATE TEMP TABLE {_STAGE}_errors ON COMMIT DROP AS
            SELECT seq, line, ({_ROW_CHECK}) AS field FROM {_STAGE}""",  # noqa: S608 - constant SQL
        {"this_month": this_month},
    )
    cursor.execute(f"DELETE FROM {_STAGE}_errors WHERE field IS NULL")  # noqa: S608
    cursor.execute(
        f"""INSERT INTO {_STAGE}_errors (seq, line, field)
            SELECT s.seq, s.line, 'line' FROM {_STAGE} s
            WHERE s.line IN (SELECT line FROM {_STAGE} GROUP BY line HAVING count(*) > 1)
              AND NOT EXISTS (SELECT 1 FROM {_STAGE}_errors e WHERE e.seq = s.seq)"""  # noqa: S608
    )
    cursor.execute(f"SELECT seq, line, field FROM {_STAGE}_errors ORDER BY seq")  # noqa: S608
    rows = cursor.fetchall()
    ContributionBatchError.objects.bulk_create(
        [
            ContributionBatchError(
                batch=batch,
                line=int(line) if line and line.isdigit() and len(line) < 10 else seq,
                field=field,
                message=ERROR_MESSAGES[field],
            )
            for seq, line, field in rows
        ],
        batch_size=5000,
    )
    return len(rows)


def _insert_records(
    cursor: Any, batch: ContributionBatch, region: Region, has_errors: bool, skip_held_months: bool
) -> int:
    # Constant SQL: table names and placeholders only, never input.
    table = ContributionRecord._meta.db_table
    conditions = []
    if has_errors:
        conditions.append(f"NOT EXISTS (SELECT 1 FROM {_STAGE}_errors e WHERE e.seq = s.seq)")  # noqa: S608
    if skip_held_months:
        conditions.append(
            f"""NOT EXISTS (
                SELECT 1 FROM {table} c
                WHERE c.person_id = s.person_id AND c.insurance_type = s.insurance_type
                  AND c.month = to_date(s.month, 'YYYY-MM') AND c.kind = %(entry)s
                  AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.reverses_id = c.id))"""  # noqa: S608
        )
    skip_bad = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    cursor.execute(
        f"""INSERT INTO {table}
              (person_id, insurance_type, month, employer_id, region_id, base, employer_amount,
               personal_amount, source, kind, batch_id, line, recorded_at)
            SELECT s.person_id, s.insurance_type, to_date(s.month, 'YYYY-MM'), s.employer_id,
                   COALESCE(s.region_id, %(region)s), s.base::numeric, s.employer_amount::numeric,
                   s.personal_amount::numeric, s.source, %(entry)s, %(batch)s, s.line::integer,
                   now()
            FROM {_STAGE} s {skip_bad}
            ON CONFLICT ON CONSTRAINT contribution_batch_line DO NOTHING""",  # noqa: S608
        {"region": region.pk, "entry": ContributionKind.ENTRY, "batch": batch.pk},
    )
    return int(cursor.rowcount)


def _post_to_accounts(cursor: Any, batch: ContributionBatch) -> None:
    """Credit the personal part of the employee-pension rows to each person's account, one entry
    per person and year of the batch. The whole personal contribution (8% of the base) goes into
    the account (benefit-rules.md (a), 国发〔2005〕38号); the collection authority computed it."""
    records = ContributionRecord._meta.db_table
    accounts = PersonalAccount._meta.db_table
    params = {"batch": batch.pk, "pension": InsuranceType.PENSION_EMPLOYEE}
    cursor.execute(
        f"""INSERT INTO {accounts} (person_id, region_id, created_at, updated_at)
            SELECT DISTINCT ON (c.person_id) c.person_id,
                   COALESCE(r.pooling_region_id, r.id), now(), now()
            FROM {records} c JOIN {Region._meta.db_table} r ON r.id = c.region_id
            WHERE c.batch_id = %(batch)s AND c.insurance_type = %(pension)s
            ORDER BY c.person_id, c.month DESC
            ON CONFLICT (person_id) DO NOTHING""",  # noqa: S608
        params,
    )
    cursor.execute(
        f"""INSERT INTO {AccountEntry._meta.db_table}
              (account_id, kind, year, amount, batch_id, reference, note, posted_at)
            SELECT a.id, %(kind)s, EXTRACT(YEAR FROM c.month)::integer, SUM(c.personal_amount),
                   %(batch)s, '', '', now()
            FROM {records} c JOIN {accounts} a ON a.person_id = c.person_id
            WHERE c.batch_id = %(batch)s AND c.insurance_type = %(pension)s
            GROUP BY a.id, EXTRACT(YEAR FROM c.month)
            ON CONFLICT DO NOTHING""",  # noqa: S608
        {**params, "kind": AccountEntryKind.CONTRIBUTION},
    )


def contribution_correct(
    *,
    record_id: int,
    by: User,
    reason: str,
    base: Any = None,
    employer_amount: Any = None,
    personal_amount: Any = None,
) -> tuple[ContributionRecord, ContributionRecord | None]:
    """Correct a contribution record: a reversal row that cancels it and, when new amounts are
    given, a new entry. The original is never edited (DESIGN.md). The personal account follows."""
    with transaction.atomic():
        original = ContributionRecord.objects.select_for_update().get(pk=record_id)
        if (
            original.kind != ContributionKind.ENTRY
            or ContributionRecord.objects.filter(reverses=original).exists()
        ):
            raise ContributionAlreadyReversedError(
                "该记录已冲销 / this record is already reversed", record=record_id
            )
        common = {
            "person_id": original.person_id,
            "insurance_type": original.insurance_type,
            "month": original.month,
            "employer_id": original.employer_id,
            "region_id": original.region_id,
            "source": ContributionSource.CORRECTION,
        }
        reversal = ContributionRecord.objects.create(
            **common,
            kind=ContributionKind.REVERSAL,
            reverses=original,
            base=-original.base,
            employer_amount=-original.employer_amount,
            personal_amount=-original.personal_amount,
        )
        replacement = None
        if base is not None:
            replacement = ContributionRecord.objects.create(
                **common,
                base=base,
                employer_amount=employer_amount,
                personal_amount=personal_amount,
            )
        if original.insurance_type == InsuranceType.PENSION_EMPLOYEE:
            _post_correction(reversal, replacement, reason)
        audit_event_record(
            actor=by,
            action="registration.contribution.correct",
            target=original,
            changes={
                "reversal": reversal.pk,
                "replacement": replacement.pk if replacement else None,
                "amounts": [
                    [
                        str(original.base),
                        str(original.employer_amount),
                        str(original.personal_amount),
                    ],
                    [str(base), str(employer_amount), str(personal_amount)] if base else None,
                ],
            },
            note=reason,
        )
    return reversal, replacement


def _post_correction(
    reversal: ContributionRecord, replacement: ContributionRecord | None, reason: str
) -> None:
    account, _created = PersonalAccount.objects.get_or_create(
        person_id=reversal.person_id, defaults={"region_id": reversal.region_id}
    )
    for record, kind in (
        (reversal, AccountEntryKind.CORRECTION),
        (replacement, AccountEntryKind.CONTRIBUTION),
    ):
        if record is not None:
            AccountEntry.objects.create(
                account=account,
                kind=kind,
                year=record.month.year,
                amount=record.personal_amount,
                contribution=record,
                note=reason[:300],
            )

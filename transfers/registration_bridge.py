"""Writes to registration's records that a transfer needs and registration has no service for
yet. Each is named for what registration should own (listed in the hand-over report); until
then they live here, set-based, idempotent and audited, and touch only what they name.

- enrolments_mark_transferred_out: the old region's enrolment ends as "transferred out";
- transferred_history_load: the new region credits the received monthly history as
  ContributionRecord rows with source "transfer in" (a ContributionBatch named after the
  transfer is the natural key, so loading twice loads once). Unlike
  registration.services.contributions.contribution_batch_receive it does not post the personal
  parts to the account: the account arrives as one transfer-in posting of the whole balance
  (account_post), and posting both would count it twice.
The account postings themselves go through registration's public `account_post`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from audit.services import audit_event_record
from core.models import Region
from registration.models import (
    ContributionBatch,
    ContributionBatchStatus,
    ContributionKind,
    ContributionRecord,
    ContributionSource,
    Enrolment,
    EnrolmentStatus,
)

if TYPE_CHECKING:
    from accounts.models import User


def enrolments_mark_transferred_out(
    *, person_id: int, insurance_type: str, pooling_region_id: int, on: date, by: User | None
) -> int:
    """End the person's enrolments of this type in the old pooling region as transferred out
    (the relationship moved; Arts. 12-14). Returns how many changed."""
    with transaction.atomic():
        enrolments = Enrolment.objects.select_for_update().filter(
            person_id=person_id,
            insurance_type=insurance_type,
            region__pooling_region_id=pooling_region_id,
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.ENDED],
        )
        changed = 0
        for enrolment in enrolments:
            before = enrolment.status
            enrolment.status = EnrolmentStatus.TRANSFERRED_OUT
            enrolment.end_date = enrolment.end_date or max(on, enrolment.start_date)
            enrolment.save(update_fields=["status", "end_date", "updated_at"])
            audit_event_record(
                actor=by,
                action="registration.enrolment.transfer_out",
                target=enrolment,
                changes={"status": [before, enrolment.status]},
            )
            changed += 1
    return changed


def transferred_history_load(
    *,
    external_id: str,
    person_id: int,
    insurance_type: str,
    history: list[dict[str, Any]],
    receiving_region: Region,
    by: User,
) -> int:
    """Credit a received history to the person, set-based. A month the person already has an
    entry for is not added again (a deployment serving both regions already holds it).
    Returns the number of records loaded (0 when this external id was loaded before)."""
    with transaction.atomic():
        batch, created = ContributionBatch.objects.get_or_create(
            external_id=external_id,
            defaults={
                "received_by": by,
                "status": ContributionBatchStatus.ACCEPTED,
                "records_received": len(history),
            },
        )
        if not created or not history:
            return 0
        codes = {line.get("region_code") or "" for line in history} - {""}
        regions = dict(Region.objects.filter(code__in=codes).values_list("code", "pk"))
        values = []
        params: list[Any] = []
        for line_number, line in enumerate(history, start=1):
            values.append("(%s::date, %s::bigint, %s::numeric, %s::numeric, %s::numeric, %s)")
            params += [
                f"{line['month']}-01",
                regions.get(line.get("region_code") or "", receiving_region.pk),
                line["base"],
                line["employer_amount"],
                line["personal_amount"],
                line_number,
            ]
        table = ContributionRecord._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {table}
                      (person_id, insurance_type, month, employer_id, region_id, base,
                       employer_amount, personal_amount, source, kind, batch_id, line,
                       recorded_at)
                    SELECT %s, %s, v.month, NULL, v.region_id, v.base, v.employer_amount,
                           v.personal_amount, %s, %s, %s, v.line, now()
                    FROM (VALUES {", ".join(values)})
                         AS v(month, region_id, base, employer_amount, personal_amount, line)
                    WHERE NOT EXISTS (
                        SELECT 1 FROM {table} c
                        WHERE c.person_id = %s AND c.insurance_type = %s
                          AND c.month = v.month AND c.kind = %s
                          AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.reverses_id = c.id))
                    ON CONFLICT ON CONSTRAINT contribution_batch_line DO NOTHING""",  # noqa: S608
                [
                    person_id,
                    insurance_type,
                    ContributionSource.TRANSFER_IN,
                    ContributionKind.ENTRY,
                    batch.pk,
                    *params,
                    person_id,
                    insurance_type,
                    ContributionKind.ENTRY,
                ],
            )
            loaded = int(cursor.rowcount)
        batch.records_loaded = loaded
        batch.records_rejected = 0
        batch.save(update_fields=["records_loaded", "records_rejected"])
        audit_event_record(
            actor=by,
            action="registration.contribution.transfer_in",
            target=batch,
            changes={"received": len(history), "loaded": loaded},
        )
    return loaded

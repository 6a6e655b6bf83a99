"""Declared versus shared data (Arts. 8-9): take in what other authorities share, compare it
with what employers and persons declared, and queue each difference for a clerk."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_event_record
from registration.errors import DiscrepancyNotOpenError
from registration.models import (
    Discrepancy,
    DiscrepancyStatus,
    Employer,
    EmployerStatus,
    Employment,
    Enrolment,
    EnrolmentStatus,
    InsuredPerson,
    PersonStatus,
    SharedRecord,
    SharedRecordKind,
)

if TYPE_CHECKING:
    from accounts.models import User

# Fields the registration authority shares about a business and we keep as declared.
COMPARED_EMPLOYER_FIELDS = ("name", "legal_representative", "address", "type")


def shared_record_receive(
    *,
    reference: str,
    kind: str,
    event_date: date,
    by: User,
    credit_code: str = "",
    id_number: str = "",
    data: dict[str, Any] | None = None,
) -> tuple[SharedRecord, bool]:
    """Keep a shared record (Art. 8) and compare it at once. The sender's reference makes a
    resend harmless: it returns the first record (created False)."""
    existing = SharedRecord.objects.filter(reference=reference).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = SharedRecord.objects.create(
                reference=reference,
                kind=kind,
                credit_code=credit_code.strip().upper(),
                id_number=id_number.strip().upper(),
                event_date=event_date,
                data=data or {},
                received_by=by,
            )
            audit_event_record(
                actor=by,
                action="registration.shared_record.receive",
                target=record,
                changes={"kind": kind, "reference": reference},
            )
            shared_record_compare(record=record)
    except IntegrityError:
        return SharedRecord.objects.get(reference=reference), False
    return record, True


def shared_record_compare(*, record: SharedRecord) -> list[Discrepancy]:
    """Compare one shared record with our declared data (Art. 9); queue the differences."""
    found: list[tuple[str, str, str, Employer | None, InsuredPerson | None]] = []
    if record.credit_code:
        employer = Employer.objects.filter(credit_code=record.credit_code).first()
        if employer is not None:
            found += [
                (f, d, s, employer, None) for f, d, s in _employer_differences(record, employer)
            ]
    if record.id_number_hash:
        person = InsuredPerson.objects.filter(id_number_hash=record.id_number_hash).first()
        if person is not None:
            found += [(f, d, s, None, person) for f, d, s in _person_differences(record, person)]
    created = []
    for field, declared, shared, employer, person in found:
        discrepancy, was_created = Discrepancy.objects.get_or_create(
            shared_record=record,
            field=field,
            defaults={
                "employer": employer,
                "person": person,
                "declared": declared[:300],
                "shared": shared[:300],
            },
        )
        if was_created:
            created.append(discrepancy)
    SharedRecord.objects.filter(pk=record.pk).update(compared_at=timezone.now())
    return created


def _employer_differences(record: SharedRecord, employer: Employer) -> list[tuple[str, str, str]]:
    if record.kind == SharedRecordKind.BUSINESS_DEREGISTERED:
        if employer.status != EmployerStatus.CANCELLED:
            # Art. 8: a deregistration opens the Art. 10 check (arrears before cancellation).
            return [
                (
                    "status",
                    employer.get_status_display(),
                    f"工商注销 deregistered {record.event_date}",
                )
            ]
        return []
    if record.kind == SharedRecordKind.BUSINESS_CHANGED:
        return [
            (name, str(getattr(employer, name)), str(record.data[name]))
            for name in COMPARED_EMPLOYER_FIELDS
            if name in record.data and str(record.data[name]) != str(getattr(employer, name))
        ]
    return []


def _person_differences(record: SharedRecord, person: InsuredPerson) -> list[tuple[str, str, str]]:
    if record.kind == SharedRecordKind.DEATH:
        differences = []
        if person.status != PersonStatus.DECEASED:
            differences.append(
                ("status", person.get_status_display(), f"死亡 died {record.event_date}")
            )
        open_jobs = Employment.objects.filter(person=person, end_date__isnull=True).count()
        if open_jobs:
            differences.append(("employment", f"{open_jobs} 在职 open", "死亡 died"))
        active = Enrolment.objects.filter(person=person, status=EnrolmentStatus.ACTIVE).count()
        if active:
            differences.append(("enrolment", f"{active} 参保中 active", "死亡 died"))
        return differences
    if record.kind == SharedRecordKind.HUKOU_CHANGED:
        return [
            (name, str(getattr(person, name)), str(record.data[name]))
            for name in ("name", "hukou_type", "hukou_address")
            if name in record.data and str(record.data[name]) != str(getattr(person, name))
        ]
    return []


def shared_records_compare_pending() -> int:
    """The sweep: compare every shared record not compared yet (one received while the
    comparison failed is not lost). Returns how many records it compared."""
    count = 0
    for record in SharedRecord.objects.filter(compared_at__isnull=True).order_by("pk")[:10_000]:
        with transaction.atomic():
            shared_record_compare(record=record)
        count += 1
    return count


def discrepancy_resolve(*, discrepancy_id: int, status: str, note: str, by: User) -> Discrepancy:
    """A clerk closes a discrepancy: resolved (the record was put right) or no action needed."""
    if status not in (DiscrepancyStatus.RESOLVED, DiscrepancyStatus.DISMISSED):
        raise ValueError(status)
    with transaction.atomic():
        discrepancy = Discrepancy.objects.select_for_update().get(pk=discrepancy_id)
        if discrepancy.status != DiscrepancyStatus.OPEN:
            raise DiscrepancyNotOpenError("该差异已处理 / already handled")
        discrepancy.status = status
        discrepancy.resolution_note = note
        discrepancy.resolved_by = by
        discrepancy.resolved_at = timezone.now()
        discrepancy.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
        audit_event_record(
            actor=by,
            action="registration.discrepancy.resolve",
            target=discrepancy,
            changes={"status": [DiscrepancyStatus.OPEN, status]},
            note=note,
        )
    return discrepancy

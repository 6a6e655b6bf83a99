"""Enrolment changes other duties need: a relationship transferred out (Arts. 12-14)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from audit.services import audit_event_record
from registration.models import Enrolment, EnrolmentStatus

if TYPE_CHECKING:
    from accounts.models import User


def enrolments_transfer_out(
    *, person_id: int, insurance_type: str, pooling_region_id: int, on: date, by: User | None
) -> int:
    """End the person's enrolments of one type in the old pooling region as transferred out:
    the relationship moved with the person (Arts. 12-14). Returns how many changed; running it
    again changes nothing."""
    with transaction.atomic():
        enrolments = Enrolment.objects.select_for_update().filter(
            person_id=person_id,
            insurance_type=insurance_type,
            region__pooling_region_id=pooling_region_id,
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.ENDED],
        )
        changed = 0
        for enrolment in enrolments.order_by("pk"):
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

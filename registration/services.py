"""Registration writes (Arts. 6-11). Each one transaction, with its audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from audit.services import audit_event_record, snapshot
from core.identity import normalize_credit_code
from core.models import Region
from registration.errors import RegionUnknownError
from registration.models import Employer, EmployerStatus, EmployerType

if TYPE_CHECKING:
    from accounts.models import User

EMPLOYER_AUDIT_FIELDS = [
    "credit_code",
    "name",
    "type",
    "legal_representative",
    "address",
    "region",
    "status",
]


def employer_register_from_market(
    *,
    credit_code: str,
    name: str,
    legal_representative: str,
    address: str,
    region_code: str,
    employer_type: str = EmployerType.ENTERPRISE,
    by: User,
) -> tuple[Employer, bool]:
    """Register an employer at the moment of its business registration (Art. 6): no application,
    no clerk. The same credit code again returns the same employer (created is False)."""
    code = normalize_credit_code(credit_code)
    existing = Employer.objects.filter(credit_code=code).first()
    if existing is not None:
        return existing, False
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise RegionUnknownError(f"区划代码{region_code}未知 / unknown region code {region_code}")
    try:
        with transaction.atomic():
            employer = Employer.objects.create(
                credit_code=code,
                name=name,
                type=employer_type,
                legal_representative=legal_representative,
                address=address,
                region=region,
                status=EmployerStatus.ACTIVE,
            )
            audit_event_record(
                actor=by,
                action="registration.employer.register",
                target=employer,
                changes={
                    k: [None, v] for k, v in snapshot(employer, EMPLOYER_AUDIT_FIELDS).items()
                },
                note="synchronous registration with the market registration authority (Art. 6)",
            )
    except IntegrityError:  # a concurrent request registered the same code first
        return Employer.objects.get(credit_code=code), False
    return employer, True

"""Registration writes (Arts. 6-11). Each one transaction, with its audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from audit.services import audit_event_record, changes_between, snapshot
from core.identity import normalize_credit_code
from core.models import Region
from registration.errors import (
    EmployerAlreadyRegisteredError,
    EmployerHasArrearsError,
    EmployerNotActiveError,
    RegionUnknownError,
)
from registration.models import (
    Employer,
    EmployerArrears,
    EmployerStatus,
    EmployerType,
)
from registration.models.employers import EmployerChannel

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


CHANGEABLE_FIELDS = (
    "name",
    "type",
    "legal_representative",
    "address",
    "bank_name",
    "bank_account",
)
HIGH_RISK_FIELDS = frozenset({"bank_name", "bank_account"})  # Art. 9, Art. 37: tiered review


def employer_arrears_report(
    *,
    employer_id: int,
    kind: str,
    amount: Decimal,
    as_of: date,
    by: User,
    reference: str = "",
) -> EmployerArrears:
    """Record what the collection authority says the employer owes of one kind (Art. 10)."""
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer_id)
        arrears = EmployerArrears.objects.filter(employer=employer, kind=kind).first()
        before = str(arrears.amount) if arrears else None
        if arrears is None:
            arrears = EmployerArrears(employer=employer, kind=kind)
        elif arrears.as_of > as_of:
            return arrears  # an older report arriving late changes nothing
        arrears.amount, arrears.as_of, arrears.reference = amount, as_of, reference
        arrears.save()
        audit_event_record(
            actor=by,
            action="registration.employer.arrears_report",
            target=employer,
            changes={kind: [before, str(amount)], "as_of": str(as_of)},
        )
    return arrears


def employer_cancel_check(*, employer_id: int) -> None:
    """Art. 10: an employer settles unpaid contributions, late fees and fines before it may
    cancel its registration."""
    employer = Employer.objects.get(pk=employer_id)
    if employer.status == EmployerStatus.CANCELLED:
        raise EmployerNotActiveError("单位已注销 / the employer is already cancelled")
    owed = {
        row["kind"]: row["amount"]
        for row in EmployerArrears.objects.filter(employer=employer, amount__gt=0).values(
            "kind", "amount"
        )
    }
    if owed:
        total = sum(owed.values(), Decimal("0"))
        raise EmployerHasArrearsError(
            f"尚有欠费{total}元（社会保险费、滞纳金或罚款），须结清后方可注销 / "
            f"{total} yuan of contributions, late fees or fines is outstanding; it must be "
            "settled before cancellation (Art. 10)",
            outstanding={kind: str(amount) for kind, amount in owed.items()},
        )


def employer_cancel_apply(
    *, employer_id: int, on: date, by: User | None, note: str = ""
) -> Employer:
    """Cancel an employer's registration once the cancellation case is approved (Art. 10); the
    arrears are checked again under the lock, because a report may have come in meanwhile."""
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer_id)
        employer_cancel_check(employer_id=employer_id)
        before = snapshot(employer, ["status"])
        employer.status, employer.cancelled_on = EmployerStatus.CANCELLED, on
        employer.save(update_fields=["status", "cancelled_on", "updated_at"])
        audit_event_record(
            actor=by,
            action="registration.employer.cancel",
            target=employer,
            changes=changes_between(before, snapshot(employer, ["status"])),
            note=note,
        )
    return employer


def employer_change_apply(
    *, employer_id: int, changes: dict[str, Any], by: User | None, note: str = ""
) -> Employer:
    """Apply an approved change of registration (Art. 10). Bank-account values stay encrypted and
    are audited masked."""
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise ValueError(f"not changeable: {sorted(unknown)}")
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer_id)
        if employer.status == EmployerStatus.CANCELLED:
            raise EmployerNotActiveError("单位已注销 / the employer is cancelled")
        before = snapshot(employer, CHANGEABLE_FIELDS)
        for name, value in changes.items():
            setattr(employer, name, value)
        employer.full_clean(exclude=["credit_code", "region"])
        employer.save()
        audit_event_record(
            actor=by,
            action="registration.employer.change",
            target=employer,
            changes=changes_between(before, snapshot(employer, CHANGEABLE_FIELDS)),
            note=note,
        )
    return employer


def employer_register_online(
    *,
    credit_code: str,
    name: str,
    legal_representative: str,
    address: str,
    region: Region,
    employer_type: str,
    by: User | None,
    bank_name: str = "",
    bank_account: str = "",
) -> Employer:
    """Register an employer that applied online (no shared record arrived: an older business or
    an institution registered elsewhere), once its application is approved."""
    code = normalize_credit_code(credit_code)
    with transaction.atomic():
        if Employer.objects.filter(credit_code=code).exists():
            raise EmployerAlreadyRegisteredError(
                f"统一社会信用代码{code}已登记 / {code} is already registered"
            )
        employer = Employer.objects.create(
            credit_code=code,
            name=name,
            type=employer_type,
            legal_representative=legal_representative,
            address=address,
            region=region,
            bank_name=bank_name,
            bank_account=bank_account,
            channel=EmployerChannel.ONLINE,
        )
        audit_event_record(
            actor=by,
            action="registration.employer.register_online",
            target=employer,
            changes={k: [None, v] for k, v in snapshot(employer, EMPLOYER_AUDIT_FIELDS).items()},
        )
    return employer

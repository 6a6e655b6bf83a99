"""Registering insured persons (Art. 6): the citizen ID number is the social security number."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import audit_event_record, snapshot
from core.crypto import blind_index
from core.identity import CitizenId, check_declared_identity, parse_citizen_id
from core.models import Region
from registration.models import InsuredPerson, PersonStatus

if TYPE_CHECKING:
    from accounts.models import User

PERSON_AUDIT_FIELDS = [
    "id_number",
    "name",
    "birth_date",
    "sex",
    "ethnicity",
    "hukou_type",
    "region",
    "status",
    "channel",
]
PERSON_DETAIL_FIELDS = (
    "ethnicity",
    "hukou_type",
    "hukou_address",
    "phone",
    "address",
    "is_minimum_living_allowance",
    "is_extremely_poor",
    "is_severely_disabled",
)


def id_number_hash(id_number: str) -> str:
    """The keyed hash persons are found by (never the number itself)."""
    return blind_index(id_number, purpose="id_number")


def citizen_id_parse(
    id_number: str, *, birth_date: date | None = None, sex: str | None = None
) -> CitizenId:
    """Validate an ID number and any birth date or sex given beside it; errors name the field."""
    try:
        citizen = parse_citizen_id(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    check_declared_identity(citizen, birth_date, sex or None)
    return citizen


def person_register(
    *,
    id_number: str,
    name: str,
    region: Region,
    channel: str,
    by: User | None,
    birth_date: date | None = None,
    sex: str | None = None,
    **details: Any,
) -> tuple[InsuredPerson, bool]:
    """Register a person, or find them: one person per ID number (Art. 6). Birth date and sex
    come from the number; declared ones must agree. Returns (person, created)."""
    citizen = citizen_id_parse(id_number, birth_date=birth_date, sex=sex)
    if not name.strip():
        raise ValidationError({"name": ["姓名不能为空 / the name is required"]})
    unknown = set(details) - set(PERSON_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    existing = InsuredPerson.objects.filter(id_number_hash=id_number_hash(citizen.number)).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            person = InsuredPerson.objects.create(
                id_number=citizen.number,
                name=name.strip(),
                birth_date=citizen.birth_date,
                sex=citizen.sex,
                region=region,
                channel=channel,
                status=PersonStatus.ACTIVE,
                **details,
            )
            audit_event_record(
                actor=by,
                action="registration.person.register",
                target=person,
                changes={k: [None, v] for k, v in snapshot(person, PERSON_AUDIT_FIELDS).items()},
            )
    except IntegrityError:  # a concurrent request registered the same number first
        return InsuredPerson.objects.get(id_number_hash=id_number_hash(citizen.number)), False
    return person, True

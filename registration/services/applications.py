"""Registration applications handled as cases: individual registration (Art. 6), employer
registration online where no shared record arrived, changes and cancellation (Art. 10).

Filing keeps what was applied for in a RegistrationApplication (bank and ID numbers encrypted)
and files a case whose reference points back to it. The case engine calls `application_decided`
inside the deciding transaction: a grant applies the application, a denial leaves everything as
it was. Cancellation is refused at filing and again at approval while arrears are outstanding.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_event_record
from core.errors import DomainError
from core.identity import normalize_credit_code
from core.models import Agency, Region
from registration.errors import EmployerAlreadyRegisteredError
from registration.models import (
    ApplicationKind,
    ApplicationStatus,
    Employer,
    EmployerStatus,
    InsuredPerson,
    RegistrationApplication,
    RegistrationChannel,
)
from registration.services import employers, persons

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case, Decision

PERSON_ITEM = "person_registration"
CHANGE_ITEM = "registration_change"  # change and cancellation (Art. 10), a high-risk item
EMPLOYER_ITEM = "employer_registration"
REFERENCE_PREFIX = "registration:application:"


class ApplicationPendingError(DomainError):
    code = "application_pending"


class PersonAlreadyRegisteredError(DomainError):
    code = "person_already_registered"


class UsernameTakenError(DomainError):
    code = "username_taken"
    status_code = 400


def receiving_agency(region: Region) -> Agency:
    """The agency of the region's pooling region that receives an online application."""
    pooling_id = region.pooling_region_id or region.pk
    agency = (
        Agency.objects.filter(region_id=pooling_id).order_by("code").first()
        or Agency.objects.filter(region__pooling_region_id=pooling_id).order_by("code").first()
    )
    if agency is None:
        raise DomainError(f"区划{region.code}没有经办机构 / no agency serves region {region.code}")
    return agency


def _file(
    application: RegistrationApplication,
    *,
    item_code: str,
    channel: str,
    by: User | None,
    received_by: Agency,
    applicant_id_number: str = "",
    applicant_name: str = "",
    employer: Employer | None = None,
) -> Case:
    from cases.services import case_file

    case = case_file(
        item_code=item_code,
        channel=channel,
        received_by=received_by,
        by=by,
        applicant_id_number=applicant_id_number,
        applicant_name=applicant_name,
        employer=employer,
        payload={"application": application.pk, "kind": application.kind},
        reference=f"{REFERENCE_PREFIX}{application.pk}",
    )
    application.case_number = case.case_number
    application.save(update_fields=["case_number"])
    return case


def person_registration_file(
    *,
    id_number: str,
    name: str,
    region: Region,
    channel: str,
    by: User | None,
    received_by: Agency | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
    **details: Any,
) -> Case:
    """File an individual registration (Art. 6, 10 working days). The number is checked now,
    so a wrong one never becomes a case."""
    citizen = persons.citizen_id_parse(id_number, birth_date=birth_date, sex=sex)
    if InsuredPerson.objects.filter(id_number_hash=persons.id_number_hash(citizen.number)).exists():
        raise PersonAlreadyRegisteredError(
            "该身份证号码已登记 / this ID number is already registered"
        )
    with transaction.atomic():
        application = RegistrationApplication.objects.create(
            kind=ApplicationKind.PERSON_REGISTER,
            id_number=citizen.number,
            data={"name": name, "region": region.code, "channel": channel, **details},
            created_by=by if by is not None and by.is_authenticated else None,
        )
        return _file(
            application,
            item_code=PERSON_ITEM,
            channel=channel,
            by=by,
            received_by=received_by or receiving_agency(region),
            applicant_id_number=citizen.number,
            applicant_name=name,
        )


def employer_registration_file(
    *,
    credit_code: str,
    name: str,
    employer_type: str,
    legal_representative: str,
    address: str,
    region: Region,
    handler_id_number: str,
    handler_name: str,
    username: str,
    password: str,
    bank_name: str = "",
    bank_account: str = "",
) -> Case:
    """An employer without a shared registration record applies online; on approval it is
    registered and its user account (the username and password it chose) is created. The
    password is checked now, against the password rules; only its hash is kept."""
    from accounts.models import User
    from accounts.services import password_validate

    code = normalize_credit_code(credit_code)
    if Employer.objects.filter(credit_code=code).exists():
        raise EmployerAlreadyRegisteredError(
            f"统一社会信用代码{code}已登记 / {code} is already registered"
        )
    if User.objects.filter(username=username).exists():
        raise UsernameTakenError("该用户名已被使用 / this username is taken")
    password_validate(password=password, username=username, full_name=name)
    with transaction.atomic():
        application = RegistrationApplication.objects.create(
            kind=ApplicationKind.EMPLOYER_REGISTER,
            data={
                "credit_code": code,
                "name": name,
                "type": employer_type,
                "legal_representative": legal_representative,
                "address": address,
                "region": region.code,
                "bank_name": bank_name,
                "username": username,
            },
            bank_account=bank_account,
            password_hash=make_password(password),
        )
        return _file(
            application,
            item_code=EMPLOYER_ITEM,
            channel="online",
            by=None,
            received_by=receiving_agency(region),
            applicant_id_number=handler_id_number,
            applicant_name=handler_name,
        )


def _lock_for_application(employer_id: int) -> Employer:
    employer = Employer.objects.select_for_update().get(pk=employer_id)
    if employer.status != EmployerStatus.ACTIVE:
        raise ApplicationPendingError(
            "已有变更或注销申请在办理中 / a change or cancellation is already being handled"
        )
    return employer


def employer_change_file(
    *, employer_id: int, changes: dict[str, Any], by: User, channel: str = "online"
) -> Case:
    """A change of registration (Art. 10, 10 working days). A bank-account change is high-risk
    and goes through tiered review (Art. 9, 37): the item is marked high-risk in the catalogue."""
    bank_account = changes.pop("bank_account", "")
    unknown = set(changes) - set(employers.CHANGEABLE_FIELDS)
    if unknown or not (changes or bank_account):
        raise ValueError(f"nothing to change, or not changeable: {sorted(unknown)}")
    with transaction.atomic():
        employer = _lock_for_application(employer_id)
        application = _pending(
            ApplicationKind.EMPLOYER_CHANGE, employer, by, changes, bank_account=bank_account
        )
        employer.status = EmployerStatus.CHANGE_PENDING
        employer.save(update_fields=["status", "updated_at"])
        return _file(
            application,
            item_code=CHANGE_ITEM,
            channel=channel,
            by=by,
            received_by=receiving_agency(employer.region),
            employer=employer,
        )


def employer_cancel_file(
    *, employer_id: int, by: User, reason: str, channel: str = "online"
) -> Case:
    """Cancellation (Art. 10): refused at once while contributions, late fees or fines are
    outstanding; checked again when the case is approved."""
    with transaction.atomic():
        employer = _lock_for_application(employer_id)
        employers.employer_cancel_check(employer_id=employer.pk)
        application = _pending(ApplicationKind.EMPLOYER_CANCEL, employer, by, {"reason": reason})
        employer.status = EmployerStatus.CANCEL_PENDING
        employer.save(update_fields=["status", "updated_at"])
        return _file(
            application,
            item_code=CHANGE_ITEM,
            channel=channel,
            by=by,
            received_by=receiving_agency(employer.region),
            employer=employer,
        )


def _pending(
    kind: str, employer: Employer, by: User, data: dict[str, Any], bank_account: str = ""
) -> RegistrationApplication:
    try:
        with transaction.atomic():
            return RegistrationApplication.objects.create(
                kind=kind, employer=employer, data=data, bank_account=bank_account, created_by=by
            )
    except IntegrityError:
        raise ApplicationPendingError(
            "已有申请在办理中 / an application is already being handled"
        ) from None


def _application_of(case: Case) -> RegistrationApplication | None:
    reference = case.reference or ""
    if not reference.startswith(REFERENCE_PREFIX):
        return None
    return (
        RegistrationApplication.objects.select_for_update()
        .filter(pk=int(reference.removeprefix(REFERENCE_PREFIX)))
        .first()
    )


def application_decided(case: Case, decision: Decision) -> None:
    """The case engine's call-back, inside the deciding transaction: apply a grant, or restore
    the employer's status on a denial. A DomainError here refuses the decision."""
    application = _application_of(case)
    if application is None or application.status != ApplicationStatus.PENDING:
        return
    if decision.outcome == "granted":
        _apply(application, by=decision.maker)
        application.status = ApplicationStatus.APPLIED
    else:
        _restore(application)
        application.status = ApplicationStatus.REFUSED
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])


def application_finished(case: Case) -> None:
    """Not accepted or withdrawn: nothing changes; a pending employer is active again."""
    application = _application_of(case)
    if application is None or application.status != ApplicationStatus.PENDING:
        return
    _restore(application)
    application.status = ApplicationStatus.REFUSED
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])


def _restore(application: RegistrationApplication) -> None:
    if application.employer_id is not None:
        Employer.objects.filter(
            pk=application.employer_id,
            status__in=[EmployerStatus.CHANGE_PENDING, EmployerStatus.CANCEL_PENDING],
        ).update(status=EmployerStatus.ACTIVE, updated_at=timezone.now())


def _apply(application: RegistrationApplication, by: User | None) -> None:
    data = application.data
    if application.kind == ApplicationKind.PERSON_REGISTER:
        details = {
            k: v for k, v in data.items() if k in persons.PERSON_DETAIL_FIELDS and v is not None
        }
        person, _created = persons.person_register(
            id_number=application.id_number,
            name=data["name"],
            region=Region.objects.get(code=data["region"]),
            channel=RegistrationChannel.COUNTER
            if data.get("channel") == "counter"
            else RegistrationChannel.INDIVIDUAL,
            by=by,
            **details,
        )
        application.person = person
        application.save(update_fields=["person"])
    elif application.kind == ApplicationKind.EMPLOYER_REGISTER:
        _employer_register(application, by)
    elif application.kind == ApplicationKind.EMPLOYER_CHANGE:
        changes = dict(data)
        if application.bank_account:
            changes["bank_account"] = application.bank_account
        Employer.objects.filter(pk=application.employer_id or 0).update(
            status=EmployerStatus.ACTIVE
        )
        employers.employer_change_apply(
            employer_id=application.employer_id or 0,
            changes=changes,
            by=by,
            note=f"case {application.case_number}",
        )
    elif application.kind == ApplicationKind.EMPLOYER_CANCEL:
        employers.employer_cancel_apply(
            employer_id=application.employer_id or 0,
            on=timezone.localdate(),
            by=by,
            note=f"case {application.case_number}: {data.get('reason', '')}",
        )


def _employer_register(application: RegistrationApplication, by: User | None) -> None:
    from accounts.services import employer_user_create

    data = application.data
    employer = employers.employer_register_online(
        credit_code=data["credit_code"],
        name=data["name"],
        legal_representative=data["legal_representative"],
        address=data["address"],
        region=Region.objects.get(code=data["region"]),
        employer_type=data["type"],
        bank_name=data.get("bank_name", ""),
        bank_account=application.bank_account,
        by=by,
    )
    # The password was checked when it was chosen (employer_registration_file); only its hash
    # was kept.
    user = employer_user_create(
        employer_id=employer.pk,
        username=data["username"],
        full_name=data["name"],
        password_hash=application.password_hash,
        by=by,
    )
    application.employer = employer
    application.save(update_fields=["employer"])
    audit_event_record(
        actor=by,
        action="registration.employer.account_create",
        target=employer,
        changes={"username": [None, user.username]},
    )


def catalogue_ensure(**_kwargs: Any) -> None:
    """Define the employer-registration item of the service catalogue, once (post_migrate)."""
    from cases.models import ServiceItem
    from cases.services.catalogue import MaterialSpec, service_item_define

    if ServiceItem.objects.filter(code=EMPLOYER_ITEM).exists():
        return
    with transaction.atomic():
        service_item_define(
            code=EMPLOYER_ITEM,
            name="用人单位社会保险登记（网上申请）",
            name_en="Employer social insurance registration (online application)",
            owner_app="registration",
            legal_basis="《社会保险经办条例》第六条；《社会保险法》第五十七条",
            time_limit_working_days=10,
            time_limit_source=(
                "《社会保险法》第五十七条：自收到申请之日起十五日内予以审核 "
                "(15 calendar days, counted here as 10 working days)"
            ),
            time_limit_is_statutory=False,
            channels=["online", "counter"],
            materials=[
                MaterialSpec(
                    code="id_document",
                    name="经办人身份证件",
                    name_en="Identity document of the person applying",
                    kind="identity",
                ),
                MaterialSpec(
                    code="business_licence",
                    name="营业执照或者登记证书",
                    name_en="Business licence or registration certificate",
                    legal_basis="《社会保险法》第五十七条",
                ),
            ],
            valid_from=date(2023, 12, 1),
            by=None,
        )

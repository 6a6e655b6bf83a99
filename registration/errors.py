"""Errors registration services raise; the API renders them as {"code", "message", ...}."""

from core.errors import DomainError


class RegionUnknownError(DomainError):
    code = "region_unknown"
    status_code = 400


class PersonNotFoundError(DomainError):
    code = "person_not_found"
    status_code = 404


class PersonNotActiveError(DomainError):
    code = "person_not_active"


class AlreadyEmployedError(DomainError):
    code = "already_employed"


class EnrolmentAlreadyActiveError(DomainError):
    """The person is still enrolled through another employer: that employer ends it first."""

    code = "enrolment_already_active"


class EmploymentNotOpenError(DomainError):
    code = "employment_not_open"


class ContributionBaseOutOfRangeError(DomainError):
    code = "contribution_base_out_of_range"
    status_code = 400


class EmployerNotActiveError(DomainError):
    code = "employer_not_active"


class EmployerHasArrearsError(DomainError):
    """Art. 10: contributions, late fees and fines are settled before cancellation."""

    code = "employer_has_arrears"


class EmployerHasEmployeesError(DomainError):
    code = "employer_has_employees"


class ContributionAlreadyReversedError(DomainError):
    code = "contribution_already_reversed"


class AccountBalanceInsufficientError(DomainError):
    code = "account_balance_insufficient"


class DiscrepancyNotOpenError(DomainError):
    code = "discrepancy_not_open"


class EmployerAlreadyRegisteredError(DomainError):
    code = "employer_already_registered"

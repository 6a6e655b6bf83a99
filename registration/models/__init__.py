"""Registration records (Arts. 6-11): employers, insured persons, employments, enrolments,
contribution records, personal accounts, arrears, shared-data comparison, uploads."""

from registration.models.accounts import AccountEntry, AccountEntryKind, PersonalAccount
from registration.models.applications import (
    ApplicationKind,
    ApplicationStatus,
    RegistrationApplication,
)
from registration.models.comparison import (
    Discrepancy,
    DiscrepancyStatus,
    SharedRecord,
    SharedRecordKind,
)
from registration.models.contributions import (
    ContributionBatch,
    ContributionBatchError,
    ContributionBatchStatus,
    ContributionKind,
    ContributionRecord,
    ContributionSource,
)
from registration.models.employers import (
    ArrearsKind,
    Employer,
    EmployerArrears,
    EmployerQuerySet,
    EmployerStatus,
    EmployerType,
)
from registration.models.persons import (
    EMPLOYEE_INSURANCE_TYPES,
    Employment,
    EmploymentBaseChange,
    EmploymentEndReason,
    Enrolment,
    EnrolmentStatus,
    HukouType,
    InsuranceType,
    InsuredPerson,
    InsuredPersonQuerySet,
    PersonStatus,
    RegistrationChannel,
    Sex,
)
from registration.models.uploads import EmployerUpload, UploadKind, UploadStatus

__all__ = [
    "EMPLOYEE_INSURANCE_TYPES",
    "AccountEntry",
    "AccountEntryKind",
    "ApplicationKind",
    "ApplicationStatus",
    "ArrearsKind",
    "ContributionBatch",
    "ContributionBatchError",
    "ContributionBatchStatus",
    "ContributionKind",
    "ContributionRecord",
    "ContributionSource",
    "Discrepancy",
    "DiscrepancyStatus",
    "Employer",
    "EmployerArrears",
    "EmployerQuerySet",
    "EmployerStatus",
    "EmployerType",
    "EmployerUpload",
    "Employment",
    "EmploymentBaseChange",
    "EmploymentEndReason",
    "Enrolment",
    "EnrolmentStatus",
    "HukouType",
    "InsuranceType",
    "InsuredPerson",
    "InsuredPersonQuerySet",
    "PersonStatus",
    "PersonalAccount",
    "RegistrationApplication",
    "RegistrationChannel",
    "Sex",
    "SharedRecord",
    "SharedRecordKind",
    "UploadKind",
    "UploadStatus",
]

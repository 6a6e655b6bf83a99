"""Errors the case engine raises; callers (duty apps, views, the API) may catch them."""

from __future__ import annotations

from core.errors import DomainError, InvalidInputError, PermissionDeniedError


class CatalogueLegalBasisMissingError(InvalidInputError):
    """Art. 31: a material other than an identity document needs a basis in law."""

    code = "catalogue_legal_basis_missing"


class ServiceItemUnknownError(DomainError):
    code = "service_item_unknown"
    status_code = 404


class ChannelNotOfferedError(DomainError):
    code = "channel_not_offered"
    status_code = 400


class ApplicantInvalidError(InvalidInputError):
    code = "applicant_invalid"


class AgencyOutsideRegionError(DomainError):
    code = "agency_outside_region"
    status_code = 400


class ProxyNotValidError(InvalidInputError):
    """Art. 30: the agent's authorisation does not cover this item on this date."""

    code = "proxy_not_valid"


class CaseStateError(DomainError):
    """The case is not in a state that allows the action."""

    code = "case_state"
    status_code = 409


class CaseNotAssignedError(DomainError):
    code = "case_not_assigned_to_you"
    status_code = 403


class CaseAlreadyClaimedError(DomainError):
    code = "case_already_claimed"
    status_code = 409


class SupplementAlreadyRequestedError(DomainError):
    """一次性告知: the applicant is told everything missing at once, so only once."""

    code = "supplement_already_requested"
    status_code = 409


class SupplementMaterialNotCataloguedError(InvalidInputError):
    code = "supplement_material_not_catalogued"


class MaterialRefusedError(InvalidInputError):
    code = "material_refused"


class DecisionInvalidError(InvalidInputError):
    code = "decision_invalid"


class DecisionNotPendingError(DomainError):
    """Another approver got there first, or the decision was returned or withdrawn."""

    code = "decision_not_pending"
    status_code = 409


class SelfApprovalError(PermissionDeniedError):
    code = "self_approval"


class RepeatApproverError(PermissionDeniedError):
    code = "repeat_approver"


class ApprovalLevelNotAllowedError(PermissionDeniedError):
    code = "approval_level_not_allowed"


class HandlerCallbackError(DomainError):
    code = "handler_refused"
    status_code = 409

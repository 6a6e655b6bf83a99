"""Errors benefits services raise; callers may catch them, the API renders {"code", "message"}."""

from core.errors import DomainError, InvalidInputError, PermissionDeniedError


class PaymentRunExistsError(DomainError):
    """One run per region and month: a second start is refused (409)."""

    code = "payment_run_exists"
    status_code = 409


class PaymentRunStateError(DomainError):
    code = "payment_run_state"
    status_code = 409


class PaymentRunSelfApprovalError(PermissionDeniedError):
    """The person who started a run does not approve it (Art. 37)."""

    code = "payment_run_self_approval"


class ReconciliationInvalidError(InvalidInputError):
    code = "reconciliation_invalid"


class AwardStateError(DomainError):
    code = "award_state"
    status_code = 409


class HoldNotOpenError(DomainError):
    code = "hold_not_open"
    status_code = 409


class AdjustmentRetroactiveError(DomainError):
    """An adjustment may not reach back into months whose payment run already exists."""

    code = "adjustment_retroactive"
    status_code = 409


class DebtStateError(DomainError):
    code = "debt_state"
    status_code = 409


class DebtOverRepaymentError(DomainError):
    code = "debt_over_repayment"
    status_code = 409


class ClaimStateError(DomainError):
    code = "claim_state"
    status_code = 409


class CalculationMissingError(DomainError):
    """A benefit decision is proposed from its claim page, with the calculation beside it."""

    code = "calculation_missing"
    status_code = 409

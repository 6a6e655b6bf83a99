"""Errors eligibility services raise; the API renders them as {"code", "message", ...}."""

from core.errors import DomainError


class FeedBatchTooLargeError(DomainError):
    code = "feed_batch_too_large"
    status_code = 413


class PersonUnknownError(DomainError):
    """No registered person has this ID number."""

    code = "person_unknown"
    status_code = 422


class SuspicionStateError(DomainError):
    code = "suspicion_state"


class InvestigationStateError(DomainError):
    code = "investigation_state"

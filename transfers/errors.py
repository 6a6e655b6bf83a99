"""Errors of the transfers app: stable codes, rendered as {"code", "message", "fields"}."""

from __future__ import annotations

from core.errors import DomainError, InvalidInputError


class TransferInvalidError(InvalidInputError):
    code = "transfer_invalid"


class NotTransferableError(DomainError):
    """Art. 15: work-injury and maternity insurance do not move."""

    code = "not_transferable"
    status_code = 409


class ResidentPensionStartedError(DomainError):
    """Art. 12 ¶2: a resident pension moves only while no benefit is paid."""

    code = "resident_pension_benefits_started"
    status_code = 409


class PartnerUnknownError(DomainError):
    code = "partner_unknown"
    status_code = 409


class PersonNotRegisteredHereError(DomainError):
    code = "person_not_registered_here"
    status_code = 409


class NotEnrolledAtNewPlaceError(DomainError):
    code = "not_enrolled_at_new_place"
    status_code = 409


class TransferAlreadyOpenError(DomainError):
    code = "transfer_already_open"
    status_code = 409


class TransferStateError(DomainError):
    code = "transfer_state"
    status_code = 409


class StepNotOursError(DomainError):
    code = "step_not_ours"
    status_code = 409


class ReconciliationMismatchError(DomainError):
    """The amounts do not agree: completion stops and a clerk resolves it."""

    code = "reconciliation_mismatch"
    status_code = 409


class AmountsChangedError(DomainError):
    code = "transfer_amounts_changed"
    status_code = 409


class MessageInvalidError(InvalidInputError):
    code = "message_invalid"

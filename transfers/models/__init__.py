"""Transfers (Arts. 12-17): partner agencies, transfers and their steps, inter-agency messages."""

from transfers.models.messages import (
    InboxMessage,
    InboxStatus,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
)
from transfers.models.partners import PartnerAgency, PartnerStatus
from transfers.models.transfers import (
    Reconciliation,
    StepStatus,
    Transfer,
    TransferPackage,
    TransferQuerySet,
    TransferStatus,
    TransferStep,
)

__all__ = [
    "InboxMessage",
    "InboxStatus",
    "MessageKind",
    "OutboxMessage",
    "OutboxStatus",
    "PartnerAgency",
    "PartnerStatus",
    "Reconciliation",
    "StepStatus",
    "Transfer",
    "TransferPackage",
    "TransferQuerySet",
    "TransferStatus",
    "TransferStep",
]

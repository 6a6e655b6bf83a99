"""Eligibility records (Arts. 8, 25, 26, 45, 46): feeds from other authorities, suspicions and
their investigations, authentications and their cycles, stop-event reports with the 20-working-day
notice duty, and the credit log."""

from eligibility.models.authentication import (
    REMOTE_CHANNELS,
    Authentication,
    AuthenticationChannel,
    AuthenticationCycle,
    AuthenticationReminder,
)
from eligibility.models.credit import CreditAct, CreditRecord, CreditSubject
from eligibility.models.feeds import (
    FeedBatch,
    FeedChannel,
    FeedKind,
    FeedRecord,
    FeedRecordError,
    FeedSource,
)
from eligibility.models.notice import (
    DutyHolder,
    ReportChannel,
    ReporterKind,
    StopEvent,
    StopEventKind,
    StopEventReport,
)
from eligibility.models.suspicions import (
    OPEN_SUSPICION_STATUSES,
    CommissionParty,
    CommissionStatus,
    ComparisonRun,
    Investigation,
    InvestigationOutcome,
    Suspicion,
    SuspicionAction,
    SuspicionStatus,
    Verification,
    VerificationCommission,
)

__all__ = [
    "OPEN_SUSPICION_STATUSES",
    "REMOTE_CHANNELS",
    "Authentication",
    "AuthenticationChannel",
    "AuthenticationCycle",
    "AuthenticationReminder",
    "CommissionParty",
    "CommissionStatus",
    "ComparisonRun",
    "CreditAct",
    "CreditRecord",
    "CreditSubject",
    "DutyHolder",
    "FeedBatch",
    "FeedChannel",
    "FeedKind",
    "FeedRecord",
    "FeedRecordError",
    "FeedSource",
    "Investigation",
    "InvestigationOutcome",
    "ReportChannel",
    "ReporterKind",
    "StopEvent",
    "StopEventKind",
    "StopEventReport",
    "Suspicion",
    "SuspicionAction",
    "SuspicionStatus",
    "Verification",
    "VerificationCommission",
]

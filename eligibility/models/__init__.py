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

__all__ = [
    "REMOTE_CHANNELS",
    "Authentication",
    "AuthenticationChannel",
    "AuthenticationCycle",
    "AuthenticationReminder",
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
    "ReportChannel",
    "ReporterKind",
    "StopEvent",
    "StopEventKind",
    "StopEventReport",
]

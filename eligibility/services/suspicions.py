"""Suspicions on awards (Art. 26). Until the benefits awards land, a report opens nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eligibility.models import StopEventReport


def suspicions_open_for_report(*, report: StopEventReport) -> int:
    """Open a suspicion on each active award of the person a report is about."""
    return 0

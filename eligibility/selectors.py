"""Eligibility reads: permission-scoped querysets for the clerk pages and the API."""

from __future__ import annotations

from typing import Any

from eligibility.models import StopEventReport


def suspicion_states_for_report(report: StopEventReport) -> list[dict[str, Any]]:
    """Where the verification of a report stands: one entry per suspicion it opened."""
    return []

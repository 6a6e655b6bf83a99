"""The chain verification as a background job, so an auditor sees progress on a large trail."""

from collections.abc import Callable
from typing import Any

from audit.selectors import audit_chain_verify
from core.models import Job


def verify_chain_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    report = audit_chain_verify(progress=progress)
    return {
        "checked": report.checked,
        "intact": report.intact,
        "broken_at": report.broken_at,
        "reason": report.reason,
    }

"""Every step of a case: one timeline row and one audit event, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from cases.errors import CaseNotAssignedError, CaseStateError
from cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from core.errors import PermissionDeniedError

if TYPE_CHECKING:
    from accounts.models import User


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "system"
    return str(actor.full_name or actor.username)


def step_record(
    *,
    case: Case,
    kind: CaseEventKind,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> CaseEvent:
    """Art. 38: record the handling process. The audit event names the case as its target."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case steps are recorded inside the service's transaction")
    all_changes = dict(changes or {})
    if from_status != to_status and to_status:
        all_changes.setdefault("status", [from_status or None, to_status])
    audit_event_record(actor=actor, action=action, target=case, changes=all_changes, note=note)
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label(actor),
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=dict(data or {}),
        occurred_at=occurred_at or timezone.now(),
    )


def status_change(
    case: Case,
    *,
    to: CaseStatus,
    kind: CaseEventKind,
    action: str,
    by: User | None,
    note: str = "",
    extra_fields: Iterable[str] = (),
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> CaseEvent:
    """Move the locked case to `to`, save its status (and `extra_fields` the caller set), and
    record the step with both statuses."""
    before = case.status
    case.status = to
    case.save(update_fields=["status", *extra_fields, "updated_at"])
    return step_record(
        case=case,
        kind=kind,
        actor=by,
        action=action,
        from_status=before,
        to_status=to,
        note=note,
        changes=changes,
        data=data,
    )


def require_perm(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDeniedError(
            _("You do not have the permission this action needs."), permission=permission
        )


def require_assignee(case: Case, user: User) -> None:
    """Handling actions are the assigned clerk's (claim the case first)."""
    if case.assignee_id != user.pk:
        raise CaseNotAssignedError(_("Claim the case first: it is not assigned to you."))


def require_status(case: Case, *allowed: CaseStatus) -> None:
    if case.status not in allowed:
        raise CaseStateError(
            _("This action is not possible while the case is “%(status)s”.")
            % {"status": CaseStatus(case.status).label},
            status=case.status,
        )
